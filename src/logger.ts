import pino, { type Logger } from 'pino';
import type { Config } from './config';

/**
 * The process logger: JSON lines, level from LOG_LEVEL, on stdout unless `destination` names another
 * file descriptor or a path.
 *
 * Lines are written asynchronously (pino's SonicBoom with `sync: false`): a request's log line is
 * queued and written from libuv's thread pool, so the event loop does not wait for a `write(2)` per
 * request at `info`, the production default. Lines written back to back are joined into one write.
 * Nothing is held back waiting for a buffer to fill, and what is queued is flushed synchronously when
 * the process exits (pino registers that itself), so `process.exit` after a fatal line loses nothing.
 * A log reader that stops reading no longer stops the server: lines queue instead, up to
 * {@link LOG_QUEUE_LIMIT}, past which new lines are dropped rather than memory exhausted.
 */
export function createLogger(config: Pick<Config, 'logLevel'>, destination: number | string = 1): Logger {
  return pino(
    { level: config.logLevel, base: { service: 'trafficking-graph' } },
    pino.destination({ dest: destination, sync: false, maxLength: LOG_QUEUE_LIMIT }),
  );
}

/** The most log output (in characters) queued for a reader that has stopped reading: 16 Mi. */
export const LOG_QUEUE_LIMIT = 16 * 1024 * 1024;

export type { Logger };
