import { ConfigError } from '../config';
import { LocalNeo4jError } from '../db/localNeo4j';
import { GraphQLError } from 'graphql';

/**
 * Runs a command-line entry point: known errors print their message alone and exit 1,
 * anything else prints its stack (it is a bug).
 */
export function runCli(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof ConfigError || error instanceof LocalNeo4jError || error instanceof GraphQLError) {
      console.error(`error: ${error.message}`);
    } else if (error instanceof CliUsageError) {
      console.error(`error: ${error.message}`);
    } else {
      console.error(error);
    }
    process.exitCode = 1;
  });
}

/** A bad command line; the message says what was wrong. */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
}
