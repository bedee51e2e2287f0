import { AppError } from '../errors';

/**
 * The client closed the connection before its request finished; the request's statements were
 * cancelled. Nobody reads this error (the client is gone): it ends the resolvers quickly and is
 * counted in the metrics as `SERVICE_UNAVAILABLE` with reason `CANCELLED`.
 */
export class RequestCancelledError extends AppError {
  constructor() {
    super('The request was cancelled because the client went away.', 'SERVICE_UNAVAILABLE', { reason: 'CANCELLED' });
  }
}
