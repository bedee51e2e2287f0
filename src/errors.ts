import { GraphQLError } from 'graphql';

/** The closed set of error codes clients can rely on (`extensions.code`). */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

/** Base class: a safe message plus a code. Never carries Cypher, driver text or stacks. */
export class AppError extends GraphQLError {
  constructor(message: string, code: ErrorCode, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
  }
}

/** A client sent a value we cannot accept; `argument` names it. */
export class BadUserInputError extends AppError {
  constructor(message: string, argument?: string) {
    super(message, 'BAD_USER_INPUT', argument ? { argument } : {});
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'The API key is unknown or revoked.') {
    super(message, 'UNAUTHENTICATED', { http: { status: 401 } });
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Your role may not do this.') {
    super(message, 'FORBIDDEN');
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super(message, 'NOT_FOUND');
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super(message, 'CONFLICT');
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(message = 'The graph database is not available; try again shortly.') {
    super(message, 'SERVICE_UNAVAILABLE');
  }
}
