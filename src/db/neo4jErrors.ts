import { Neo4jError, isRetryableError } from 'neo4j-driver';
import { GraphQLError } from 'graphql';
import { AppError, ConflictError, ServiceUnavailableError } from '../errors';

const TIMEOUT = new Set(['Neo.ClientError.Transaction.TransactionTimedOut', 'Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration']);
/**
 * The database ended a running transaction: an administrator's TERMINATE TRANSACTIONS, or Neo4j
 * shutting down under traffic. Neo4j sends `Neo.TransientError.Transaction.*`; the driver (5.x and
 * later) reports it as `Neo.ClientError.Transaction.*`, not retryable.
 */
const TERMINATED = new Set(['Neo.ClientError.Transaction.Terminated', 'Neo.ClientError.Transaction.LockClientStopped']);

/** A query ran past its time limit. */
export class QueryTimeoutError extends AppError {
  constructor() {
    super(
      'The query took longer than the time limit and was cancelled; ask for fewer hops, a smaller depth or a lower limit.',
      'SERVICE_UNAVAILABLE',
      { reason: 'TIMEOUT' },
    );
  }
}

/**
 * The one place where Neo4j and driver errors become client errors. Errors that are already
 * GraphQL errors pass through; anything unknown is rethrown unchanged and masked by the server.
 */
export function mapNeo4jError(error: unknown): unknown {
  if (error instanceof GraphQLError) return error;
  if (error instanceof Neo4jError) {
    if (TIMEOUT.has(error.code)) return new QueryTimeoutError();
    if (TERMINATED.has(error.code)) {
      return new ServiceUnavailableError('The graph database ended the query before it finished (it was stopped or is shutting down); try again shortly.');
    }
    // Neo4j could not serve a correct request ("the database failed to service the request"): most often a
    // transaction that raced a shutdown into components already stopped. createExecutor (src/server.ts) logs its code.
    if (error.code.startsWith('Neo.DatabaseError.')) {
      return new ServiceUnavailableError('The graph database failed to answer; try again shortly.');
    }
    if (error.code === 'Neo.ClientError.Schema.ConstraintValidationFailed') {
      return new ConflictError('That record conflicts with one that already exists.');
    }
    // What the driver deems worth retrying (Neo4j unreachable or unavailable, a dropped connection, a
    // transient error such as a deadlock or a leader switch) is a passing condition of the database, not
    // a fault of this server: the client may try again, as the driver did.
    if (isRetryableError(error)) return new ServiceUnavailableError();
  }
  if (error instanceof Error && /connect ECONNREFUSED|Pool is closed|Connection acquisition timed out/i.test(error.message)) {
    return new ServiceUnavailableError();
  }
  return error;
}
