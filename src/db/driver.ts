import neo4j, { type Driver } from 'neo4j-driver';

export interface DriverOptions {
  uri: string;
  username?: string | undefined;
  password?: string | undefined;
  /** Connection acquisition fails after this long, so requests fail fast while Neo4j is down. */
  acquisitionTimeoutMs?: number;
}

/**
 * Creates the one driver of a process. Integers come back as JS numbers (`disableLosslessIntegers`):
 * every integer this graph stores (counts, prices, headcounts) is far below 2^53.
 *
 *     const driver = createDriver({ uri: 'bolt://127.0.0.1:7687' });
 */
export function createDriver(options: DriverOptions): Driver {
  const auth = options.username ? neo4j.auth.basic(options.username, options.password ?? '') : undefined;
  return neo4j.driver(options.uri, auth, {
    disableLosslessIntegers: true,
    connectionAcquisitionTimeout: options.acquisitionTimeoutMs ?? 5_000,
    connectionTimeout: 5_000,
    maxTransactionRetryTime: 5_000,
    userAgent: 'trafficking-graph/0.1',
  });
}
