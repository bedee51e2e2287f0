import { Neo4jError } from 'neo4j-driver';
import { GraphQLError } from 'graphql';
import { AppError, ConflictError, ServiceUnavailableError } from '../errors';

const UNAVAILABLE = new Set(['ServiceUnavailable', 'SessionExpired', 'Neo.TransientError.General.DatabaseUnavailable']);
const TIMEOUT = new Set([
  'Neo.ClientError.Transaction.TransactionTimedOut',
  'Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration',
  'Neo.TransientError.Transaction.LockClientStopped',
]);

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
    if (UNAVAILABLE.has(error.code) || error.code.startsWith('Neo.TransientError.General')) {
      return new ServiceUnavailableError();
    }
    if (TIMEOUT.has(error.code)) return new QueryTimeoutError();
    if (error.code === 'Neo.ClientError.Schema.ConstraintValidationFailed') {
      return new ConflictError('That record conflicts with one that already exists.');
    }
  }
  if (error instanceof Error && /connect ECONNREFUSED|Pool is closed|Connection acquisition timed out/i.test(error.message)) {
    return new ServiceUnavailableError();
  }
  return error;
}
