import fs from 'node:fs';
import type { Driver, ManagedTransaction, Session } from 'neo4j-driver';
import neo4j from 'neo4j-driver';

/** One Cypher statement a request sent, as the server sent it. */
export interface RecordedStatement {
  mode: 'READ' | 'WRITE';
  cypher: string;
  params: Record<string, unknown>;
  /** The transaction timeout it was sent with, if any (the Executor gives every read TG_QUERY_TIMEOUT_MS). */
  timeoutMs?: number;
  /** Statements with the same number ran in one transaction. */
  transaction: number;
  startedAt: number;
  endedAt: number;
}

/** Statements that were in flight together (one DataLoader dispatch): the raw replay sends them in parallel. */
export type Wave = Omit<RecordedStatement, 'startedAt' | 'endedAt' | 'transaction'>[];

/**
 * A driver that behaves like `driver` and records every statement run through `session.run`
 * (auto-commit reads) and `session.executeRead/executeWrite` (the ways the Executor talks to Neo4j), with its timing.
 * Used once per benchmark query to learn which statements the resolvers send, for the raw-Cypher floor.
 */
export function recordingDriver(driver: Driver): { driver: Driver; take(): RecordedStatement[] } {
  let log: RecordedStatement[] = [];
  let transactions = 0;
  const wrapTx = (tx: ManagedTransaction, mode: 'READ' | 'WRITE', transaction: number, timeoutMs: number | undefined): ManagedTransaction =>
    new Proxy(tx, {
      get(target, key, receiver) {
        if (key !== 'run') return Reflect.get(target, key, receiver) as unknown;
        return async (cypher: string, params: Record<string, unknown> = {}) => {
          const startedAt = performance.now();
          const result = await target.run(cypher, params);
          log.push({ mode, cypher, params, ...(timeoutMs !== undefined ? { timeoutMs } : {}), transaction, startedAt, endedAt: performance.now() });
          return result;
        };
      },
    });
  const wrapSession = (session: Session, sessionMode: 'READ' | 'WRITE'): Session =>
    new Proxy(session, {
      get(target, key, receiver) {
        if (key === 'run') {
          // An auto-commit transaction (the Executor's reads): one statement, its own transaction.
          return async (cypher: string, params: Record<string, unknown> = {}, config?: Parameters<Session['run']>[2]) => {
            transactions += 1;
            const transaction = transactions;
            const startedAt = performance.now();
            const result = await target.run(cypher, params, config);
            const timeoutMs = timeoutOf(config);
            log.push({ mode: sessionMode, cypher, params, ...(timeoutMs !== undefined ? { timeoutMs } : {}), transaction, startedAt, endedAt: performance.now() });
            return result;
          };
        }
        if (key === 'executeRead' || key === 'executeWrite') {
          const mode = key === 'executeRead' ? 'READ' : 'WRITE';
          return (work: (tx: ManagedTransaction) => Promise<unknown>, config?: Parameters<Session['executeRead']>[1]) =>
            (target[key] as (w: typeof work, c?: unknown) => Promise<unknown>).call(
              target,
              (tx) => {
                transactions += 1;
                return work(wrapTx(tx, mode, transactions, timeoutOf(config)));
              },
              config,
            );
        }
        const value = Reflect.get(target, key, receiver) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  const proxy = new Proxy(driver, {
    get(target, key, receiver) {
      if (key === 'session') {
        return (config?: Parameters<Driver['session']>[0]) =>
          wrapSession(target.session(config), config?.defaultAccessMode === neo4j.session.READ ? 'READ' : 'WRITE');
      }
      const value = Reflect.get(target, key, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return {
    driver: proxy,
    take() {
      const taken = log;
      log = [];
      return taken;
    },
  };
}

/**
 * Groups recorded statements into waves: a statement that started before every statement of the
 * current wave had finished ran concurrently with it (DataLoader batches dispatched in one tick).
 */
export function toWaves(statements: readonly RecordedStatement[]): Wave[] {
  const sorted = [...statements].sort((a, b) => a.startedAt - b.startedAt);
  const waves: Wave[] = [];
  let current: RecordedStatement[] = [];
  for (const statement of sorted) {
    const firstEnd = Math.min(...current.map((s) => s.endedAt));
    if (current.length > 0 && statement.startedAt >= firstEnd) {
      waves.push(current.map(strip));
      current = [];
    }
    current.push(statement);
  }
  if (current.length > 0) waves.push(current.map(strip));
  return waves;
}

function strip({ mode, cypher, params, timeoutMs }: RecordedStatement): Wave[number] {
  return { mode, cypher, params, ...(timeoutMs !== undefined ? { timeoutMs } : {}) };
}

/** A transaction config's timeout in milliseconds, if it sets one. */
function timeoutOf(config: { timeout?: unknown } | undefined): number | undefined {
  const timeout = config?.timeout;
  if (typeof timeout === 'number') return timeout;
  return neo4j.isInt(timeout) ? timeout.toNumber() : undefined;
}

/** JSON text of waves; neo4j Integers become `{"$int": "n"}` so {@link parseWaves} restores them. */
export function stringifyWaves(waves: Record<string, Wave[]>): string {
  return JSON.stringify(waves, (_key, value: unknown) => (neo4j.isInt(value) ? { $int: value.toString() } : value));
}

/** Reverses {@link stringifyWaves}. */
export function parseWaves(text: string): Record<string, Wave[]> {
  return JSON.parse(text, (_key, value: unknown) =>
    value && typeof value === 'object' && '$int' in value && Object.keys(value).length === 1
      ? neo4j.int((value as { $int: string }).$int)
      : value,
  ) as Record<string, Wave[]>;
}

/**
 * Writes `recorded` to `file`, keeping the waves already there of every query `recorded` does not name: a run of some
 * queries (`npm run bench -- --only search`) must not take the others away from `npm run bench:cpu`'s replay.
 */
export function mergeWaves(file: string, recorded: Record<string, Wave[]>): void {
  const kept = fs.existsSync(file) ? parseWaves(fs.readFileSync(file, 'utf8')) : {};
  fs.writeFileSync(file, stringifyWaves({ ...kept, ...recorded }));
}
