import { Neo4jError } from 'neo4j-driver';
import { GraphQLError } from 'graphql';
import { mapNeo4jError } from '../../src/db/neo4jErrors';

/** An error as the driver reports it (its own class, with the code it would carry). */
const reported = (code: string): Neo4jError => new Neo4jError(`a ${code} failure`, code, '50N42', 'error: general processing exception');

/**
 * How each Neo4j failure reaches a client. The live cases (a terminated transaction, a timeout, an outage) are
 * tested against Neo4j in test/integration/queryTimeout.test.ts and outage.test.ts; this table covers the codes a
 * test cannot make Neo4j give on demand (a shutdown race, a deadlock, a leader switch).
 */
describe('mapNeo4jError', () => {
  it.each([
    ['ServiceUnavailable', { code: 'SERVICE_UNAVAILABLE' }],
    ['SessionExpired', { code: 'SERVICE_UNAVAILABLE' }],
    ['Neo.TransientError.General.DatabaseUnavailable', { code: 'SERVICE_UNAVAILABLE' }],
    ['Neo.TransientError.Transaction.DeadlockDetected', { code: 'SERVICE_UNAVAILABLE' }],
    ['Neo.ClientError.Transaction.Terminated', { code: 'SERVICE_UNAVAILABLE' }],
    ['Neo.ClientError.Transaction.LockClientStopped', { code: 'SERVICE_UNAVAILABLE' }],
    ['Neo.DatabaseError.General.UnknownError', { code: 'SERVICE_UNAVAILABLE' }],
    ['Neo.DatabaseError.Transaction.TransactionStartFailed', { code: 'SERVICE_UNAVAILABLE' }],
    ['Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration', { code: 'SERVICE_UNAVAILABLE', reason: 'TIMEOUT' }],
    ['Neo.ClientError.Schema.ConstraintValidationFailed', { code: 'CONFLICT' }],
  ])('maps %s to %j', (code, extensions) => {
    const mapped = mapNeo4jError(reported(code));
    expect(mapped).toBeInstanceOf(GraphQLError);
    expect((mapped as GraphQLError).extensions).toEqual(extensions);
    // The client never sees Neo4j's own text.
    expect((mapped as GraphQLError).message).not.toContain(code);
  });

  it('leaves a fault of this server (bad Cypher) as it is, for the server to log and mask', () => {
    const error = reported('Neo.ClientError.Statement.SyntaxError');
    expect(mapNeo4jError(error)).toBe(error);
  });
});
