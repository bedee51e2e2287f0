import neo4j, { type Driver } from 'neo4j-driver';

export interface DriverOptions {
  uri: string;
  username?: string | undefined;
  password?: string | undefined;
  /** Connection acquisition fails after this long, so requests fail fast while Neo4j is down. */
  acquisitionTimeoutMs?: number;
  /** Keep INTEGER values as neo4j `Integer` objects (the dump needs to tell INTEGER from FLOAT). */
  losslessIntegers?: boolean;
}

/**
 * How long managed transactions retry transient errors (deadlocks, a leader switch, a dropped
 * connection). The driver waits about 1 s, then 2 s, between attempts: with 1.5 s a transient error
 * is retried twice, and a request to a Neo4j that is down fails after about 3 s instead of hanging.
 */
export const MAX_TRANSACTION_RETRY_MS = 1_500;

/**
 * Creates the one driver of a process. Integers come back as JS numbers (`disableLosslessIntegers`):
 * every integer this graph stores (counts, prices, headcounts) is far below 2^53.
 *
 *     const driver = createDriver({ uri: 'bolt://127.0.0.1:7687' });
 */
export function createDriver(options: DriverOptions): Driver {
  const auth = options.username ? neo4j.auth.basic(options.username, options.password ?? '') : undefined;
  return neo4j.driver(options.uri, auth, {
    disableLosslessIntegers: !options.losslessIntegers,
    connectionAcquisitionTimeout: options.acquisitionTimeoutMs ?? 5_000,
    // A host that drops packets (rather than refusing) is given up on after 3 s.
    connectionTimeout: 3_000,
    maxTransactionRetryTime: MAX_TRANSACTION_RETRY_MS,
    userAgent: 'trafficking-graph/0.1',
  });
}
