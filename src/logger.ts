import pino, { type Logger } from 'pino';
import type { Config } from './config';

/** The process logger: JSON lines on stdout, level from LOG_LEVEL. */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({ level: config.logLevel, base: { service: 'trafficking-graph' } });
}

export type { Logger };
