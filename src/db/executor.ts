import type { Driver, ManagedTransaction, BookmarkManager, Session } from 'neo4j-driver';
import neo4j, { Neo4jError } from 'neo4j-driver';
import { mapNeo4jError } from './neo4jErrors';
import { MAX_TRANSACTION_RETRY_MS } from './driver';
import { ServiceUnavailableError } from '../errors';
import type { DatabaseAvailability } from '../ops/availability';
import { RequestCancelledError, type CancellationSignal } from '../ops/cancellation';

/** A Cypher statement with its parameters, as built by a `*.queries.ts` module. */
export interface Statement {
  readonly cypher: string;
  readonly params: Record<string, unknown>;
}

/** A Cypher INTEGER parameter: JS numbers are sent as FLOAT, which SKIP, LIMIT and list slices reject. */
export function int(value: number): ReturnType<typeof neo4j.int> {
  return neo4j.int(value);
}

/**
 * Calls `run` (a `session.run` or `tx.run`) without the caller's stack trace neo4j-driver takes for it. The driver
 * makes an `Error` for every statement and reads its `stack` at once, which formats the trace: about 50 µs of CPU a
 * statement, a tenth of a search's in the server, for a trace it only uses to rewrite the stack of an error the
 * statement fails with. Here that trace would show the Executor's own frames; what an operator needs of a failed
 * statement is its Neo4j code and Cypher, which the log line has (src/server.ts). The driver's error keeps its
 * message and code. `Error.stackTraceLimit` is global, so it is set back before `run`'s synchronous part returns.
 */
export function withoutCallerStack<T>(run: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return run();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Errors (as mapped for clients) whose cause the driver deems worth retrying: a transient error or a lost connection. */
const RETRIABLE = new WeakSet<object>();
/** Auto-commit reads retry after about this long, then twice that (as the driver's managed transactions do). */
const RETRY_DELAY_MS = 1_000;

/** A plain row: what `record.toObject()` gives. Query functions narrow it to a `…Record` type. */
export type Row = Record<string, unknown>;

/** Runs one statement and returns its rows: `executor.read`, or the `run` of a transaction. */
export type RunStatement = <R = Row>(statement: Statement) => Promise<R[]>;

export interface ExecutorOptions {
  database: string;
  /** Read transactions are cancelled by the server after this long. */
  readTimeoutMs: number;
  /** Called after every statement, for metrics and slow-query logs. */
  onStatement?: (info: { mode: 'READ' | 'WRITE'; ms: number; cypher: string; ok: boolean; neo4jCode?: string }) => void;
  /**
   * Aborted when the client went away: open sessions are closed (Neo4j then terminates their
   * transactions) and further statements fail with {@link RequestCancelledError}.
   */
  signal?: CancellationSignal;
  /** While it says the database is down, statements fail at once with SERVICE_UNAVAILABLE. */
  availability?: DatabaseAvailability;
}

/**
 * Runs statements for one unit of work (one GraphQL request, one CLI command). Reads go out as
 * auto-commit transactions in READ sessions and writes through `executeWrite`, so a `neo4j://` cluster
 * routes them; one bookmark manager per executor gives read-your-writes within the unit. It is made by the
 * unit's first write: the reads before it have no write of the unit to wait for, and a session with a
 * bookmark manager asks it for bookmarks before and gives it new ones after every statement (about 15 µs
 * of CPU a read, bench/README.md). Counts its round trips.
 *
 *     const rows = await executor.read<CompoundRecord>(findCompoundsByIds(ids));
 */
export class Executor {
  /** How many statements this executor sent to Neo4j. Tests assert on it. */
  roundTrips = 0;
  /** Made by the first write (see above); every session after it uses it, reads and writes. */
  private bookmarkManager: BookmarkManager | undefined;
  /** Sessions not closed yet: a cancelled request closes them all (see `withSession`). */
  private readonly openSessions = new Set<Session>();
  /** Whether this executor listens to `options.signal` yet: one listener per executor, added by its first session. */
  private listening = false;

  constructor(
    private readonly driver: Driver,
    private readonly options: ExecutorOptions,
  ) {}

  /**
   * Runs one read statement and returns its rows as plain objects.
   *
   * A single read needs no explicit transaction, so it is sent as an auto-commit transaction (RUN and
   * PULL in one message flush): an explicit one (BEGIN, RUN, PULL, COMMIT) costs Neo4j and the driver
   * one more network round trip and two more socket writes per statement, about 0.4-0.6 ms on a local
   * Neo4j (see bench/README.md). What `executeRead` adds, retrying transient errors (a reader going
   * away, a leader switch), is kept: a retriable failure is tried again on a new session after about
   * 1 s, while the whole read stays within the driver's retry time (MAX_TRANSACTION_RETRY_MS).
   */
  async read<R = Row>(statement: Statement): Promise<R[]> {
    const started = performance.now();
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.withSession('READ', statement.cypher, async (session) => {
          const result = await withoutCallerStack(() => session.run(statement.cypher, statement.params, { timeout: this.options.readTimeoutMs }));
          return result.records.map((record) => record.toObject() as R);
        });
      } catch (error) {
        const delayMs = RETRY_DELAY_MS * attempt * (0.8 + Math.random() * 0.4);
        const retriable = typeof error === 'object' && error !== null && RETRIABLE.has(error) && !this.options.signal?.aborted;
        if (!retriable || performance.now() - started + delayMs > MAX_TRANSACTION_RETRY_MS || this.options.availability?.isDown()) throw error;
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }

  /** Runs one write statement in its own transaction and returns its rows. */
  async write<R = Row>(statement: Statement): Promise<R[]> {
    return this.withSession('WRITE', statement.cypher, (session) =>
      session.executeWrite((tx) => runStatement<R>(tx, statement)),
    );
  }

  /**
   * Runs several statements in one write transaction: all of them land or none does.
   * `work` must be idempotent, since the driver may retry it on transient errors.
   */
  async writeTransaction<T>(work: (run: RunStatement) => Promise<T>): Promise<T> {
    return this.withSession('WRITE', '(transaction)', (session) =>
      session.executeWrite((tx) =>
        work(<R = Row>(statement: Statement) => {
          this.roundTrips += 1;
          return runStatement<R>(tx, statement);
        }),
      ),
    );
  }

  private async withSession<T>(
    mode: 'READ' | 'WRITE',
    cypher: string,
    work: (session: Session) => Promise<T>,
  ): Promise<T> {
    const { signal, availability } = this.options;
    if (signal?.aborted) throw new RequestCancelledError();
    if (availability?.isDown()) throw new ServiceUnavailableError();
    if (cypher !== '(transaction)') this.roundTrips += 1;
    const started = performance.now();
    if (mode === 'WRITE') this.bookmarkManager ??= neo4j.bookmarkManager();
    const bookmarkManager = this.bookmarkManager;
    const session = this.driver.session({
      database: this.options.database,
      defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
      ...(bookmarkManager ? { bookmarkManager } : {}),
    });
    // Closing a session makes the driver reset its connection, which terminates the running transaction. One
    // abort listener closes all the executor's open sessions: a listener per session meant an add and a remove
    // on an EventTarget per statement (Node's are slow), and a nested query's loaders open many sessions at once.
    if (signal && !this.listening) {
      this.listening = true;
      signal.addEventListener('abort', () => this.closeOpenSessions(), { once: true });
    }
    this.openSessions.add(session);
    let ok = false;
    let neo4jCode: string | undefined;
    try {
      const result = await work(session);
      ok = true;
      availability?.reportSuccess();
      return result;
    } catch (error) {
      if (signal?.aborted) throw new RequestCancelledError();
      if (error instanceof Neo4jError) neo4jCode = error.code;
      availability?.reportFailure(error);
      const mapped = mapNeo4jError(error);
      if (neo4j.isRetryableError(error) && typeof mapped === 'object' && mapped !== null) RETRIABLE.add(mapped);
      throw mapped;
    } finally {
      this.openSessions.delete(session);
      await session.close();
      this.options.onStatement?.({ mode, ms: performance.now() - started, cypher, ok, ...(neo4jCode ? { neo4jCode } : {}) });
    }
  }

  private closeOpenSessions(): void {
    for (const session of this.openSessions) void session.close().catch(() => undefined);
  }
}

async function runStatement<R>(tx: ManagedTransaction, statement: Statement): Promise<R[]> {
  const result = await withoutCallerStack(() => tx.run(statement.cypher, statement.params));
  return result.records.map((record) => record.toObject() as R);
}
