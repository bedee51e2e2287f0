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

/** What the Executor needs of a cancellation signal. An `AbortSignal` is one; so is {@link RequestCancellation}. */
export interface CancellationSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
}

/**
 * The cancellation of one HTTP request: aborted once, when its client goes away, and then calls its listeners.
 * Not an `AbortController`: Node's is built on `EventTarget`, and making one cost about 15 µs of CPU a request
 * (bench/README.md) for a signal that is almost never aborted and has at most one listener (the Executor's).
 */
export class RequestCancellation implements CancellationSignal {
  private done = false;
  private listeners: (() => void)[] = [];

  get aborted(): boolean {
    return this.done;
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    if (this.done) return;
    this.listeners.push(listener);
  }

  abort(): void {
    if (this.done) return;
    this.done = true;
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener();
  }
}
