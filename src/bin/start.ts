import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { connect } from '../db/connect';
import { migrate } from '../db/migrations';
import { isDatabaseEmpty, seed, SEED_DATASETS } from '../ingest/seedDatasets';
import { createExecutor, createServer } from '../server';
import { runCli } from './runCli';

/**
 * `npm start`: the local Neo4j (unless NEO4J_URI is set), migrations, seed data into an empty
 * database, then the API. SIGINT/SIGTERM drain HTTP, close the driver and stop a Neo4j it started.
 */
runCli(async () => {
  const config = loadConfig();
  const logger = createLogger(config);
  const connection = await connect(config, { startLocal: true, say: (line) => logger.info(line) });
  try {
    const executor = createExecutor(connection.driver, config, logger);
    await migrate(executor);
    if (await isDatabaseEmpty(executor)) {
      const summary = await seed(executor, SEED_DATASETS);
      logger.info({ summary }, 'loaded seed data into the empty database');
    }
    const server = await createServer({ config, driver: connection.driver, logger });
    const port = await server.listen(config.port, config.host);
    logger.info(`trafficking-graph ready at http://${config.host}:${port}/graphql (Neo4j ${connection.uri})`);
    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down');
      await server.stop();
      await connection.close();
      logger.info('stopped');
      process.exit(0);
    };
    process.on('SIGINT', () => void shutdown('SIGINT'));
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
  } catch (error) {
    await connection.close();
    throw error;
  }
});
