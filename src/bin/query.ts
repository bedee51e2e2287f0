import { loadConfig } from '../config';
import { connect } from '../db/connect';
import { createLogger } from '../logger';
import { parseQueryCommand, QueryUsageError, runQueryCommand } from '../saved/queryCommand';
import { CliUsageError, runCli } from './runCli';

/** `npm run query -- NAME [--var k=v ...] [--format json|csv]`: runs a saved query from the shell. */
runCli(async () => {
  let command;
  try {
    command = parseQueryCommand(process.argv.slice(2));
  } catch (error) {
    throw error instanceof QueryUsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
      ? new CliUsageError((error as Error).message)
      : error;
  }
  const config = loadConfig();
  const connection = await connect(config, { startLocal: false });
  try {
    process.stdout.write(await runQueryCommand(command, { config, driver: connection.driver, logger: createLogger(config) }));
  } finally {
    await connection.close();
  }
});
