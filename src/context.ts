import type { Config } from './config';
import type { Executor } from './db/executor';
import type { Loaders } from './loaders';
import type { Viewer } from './auth/viewer';
import type { Logger } from './logger';

/** What every resolver receives: who asks, how to reach the database, and this request's loaders. */
export interface GraphContext {
  readonly config: Config;
  readonly viewer: Viewer;
  readonly executor: Executor;
  readonly loaders: Loaders;
  readonly logger: Logger;
  readonly requestId: string;
  /** Ids of victims whose identity this request revealed; written to the audit log when it ends. */
  readonly identityReads: Set<string>;
}
