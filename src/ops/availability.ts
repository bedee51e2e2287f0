import neo4j, { Neo4jError, type Driver } from 'neo4j-driver';

/** How often a database marked down is probed, so service resumes within about this long of its return. */
const PROBE_INTERVAL_MS = 500;
/** A probe (and so `/ready`) gives up after this long: a load balancer's health check must not hang. */
const PROBE_TIMEOUT_MS = 1_500;
/** The probe query itself is given up on (server side) after this long. */
const PROBE_QUERY_TIMEOUT_MS = 10_000;

/**
 * True for errors that say the database cannot be reached at all (refused or dropped connection, no
 * routing table, database offline), as opposed to a slow query or a busy pool on a live database.
 */
export function isConnectivityError(error: unknown): boolean {
  if (error instanceof Neo4jError) {
    if (/Connection acquisition timed out/i.test(error.message)) return false;
    return ['ServiceUnavailable', 'SessionExpired', 'Neo.TransientError.General.DatabaseUnavailable'].includes(error.code);
  }
  return error instanceof Error && /connect ECONNREFUSED|ECONNRESET|EHOSTUNREACH/i.test(error.message);
}

/**
 * A circuit breaker in front of one driver and database. After a statement failed because Neo4j could
 * not be reached (the driver has already retried for about 3 s), the database is marked down: further
 * statements fail at once with SERVICE_UNAVAILABLE instead of each waiting out the driver's retries, and
 * a background probe (`RETURN 1`, every 500 ms) marks it up again as soon as Neo4j answers.
 *
 * It holds no application data: only whether the last contact with Neo4j worked.
 *
 *     const availability = availabilityOf(driver, 'neo4j');
 *     if (availability.isDown()) throw new ServiceUnavailableError();
 */
export class DatabaseAvailability {
  private down = false;
  private probeTimer: NodeJS.Timeout | undefined;
  private inFlight: Promise<boolean> | undefined;
  private readonly listeners = new Set<(up: boolean) => void>();

  constructor(
    private readonly driver: Driver,
    private readonly database: string,
  ) {}

  /** Whether the database is currently marked down; statements should fail fast. */
  isDown(): boolean {
    return this.down;
  }

  /** Records a failed statement; connectivity failures mark the database down and start probing. */
  reportFailure(error: unknown): void {
    if (!isConnectivityError(error) || this.down) return;
    this.setDown(true);
    this.startProbing();
  }

  /** Records a statement that reached Neo4j. */
  reportSuccess(): void {
    if (this.down) this.setDown(false);
  }

  /** Called with `false` when the database goes down and `true` when it comes back. */
  onChange(listener: (up: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Asks Neo4j `RETURN 1`, without the driver's retries, and updates the state; resolves within
   * `waitMs` (1.5 s by default) with whether it answered. `/ready` calls this. A slow answer (a cold
   * Neo4j compiles its first query for seconds) is not abandoned: the state follows it when it comes.
   */
  async probe(waitMs = PROBE_TIMEOUT_MS): Promise<boolean> {
    this.inFlight ??= this.ask().finally(() => {
      this.inFlight = undefined;
    });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), waitMs);
      timer.unref();
    });
    try {
      return await Promise.race([this.inFlight, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async ask(): Promise<boolean> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.READ });
    try {
      await session.run('RETURN 1', {}, { timeout: PROBE_QUERY_TIMEOUT_MS });
      this.reportSuccess();
      return true;
    } catch (error) {
      if (error instanceof Error && /Pool is closed/.test(error.message)) {
        // The driver was closed: nobody will ask again.
        this.dispose();
      } else if (!this.down) {
        this.setDown(true);
        this.startProbing();
      }
      return false;
    } finally {
      await session.close().catch(() => undefined);
    }
  }

  /** Stops the background probe (the driver is closing). */
  dispose(): void {
    clearInterval(this.probeTimer);
    this.probeTimer = undefined;
  }

  private setDown(down: boolean): void {
    this.down = down;
    if (!down) this.dispose();
    for (const listener of this.listeners) listener(!down);
  }

  private startProbing(): void {
    if (this.probeTimer) return;
    let probing = false;
    this.probeTimer = setInterval(() => {
      if (probing) return;
      probing = true;
      void this.probe(PROBE_QUERY_TIMEOUT_MS).finally(() => {
        probing = false;
      });
    }, PROBE_INTERVAL_MS);
    // The probe must not keep a process (a CLI, a test) alive.
    this.probeTimer.unref();
  }
}

const registry = new WeakMap<Driver, Map<string, DatabaseAvailability>>();

/** The one {@link DatabaseAvailability} of a driver and database, shared by every executor of the process. */
export function availabilityOf(driver: Driver, database: string): DatabaseAvailability {
  let byDatabase = registry.get(driver);
  if (!byDatabase) {
    byDatabase = new Map();
    registry.set(driver, byDatabase);
  }
  let availability = byDatabase.get(database);
  if (!availability) {
    availability = new DatabaseAvailability(driver, database);
    byDatabase.set(database, availability);
  }
  return availability;
}
