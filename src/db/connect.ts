import type { Driver } from 'neo4j-driver';
import type { Config } from '../config';
import { createDriver } from './driver';
import { boltAnswers, devInstanceIn, devInstancePid, startNeo4j, stopDevInstance } from './localNeo4j';

export interface Connection {
  driver: Driver;
  uri: string;
  /** Whether this process started the local Neo4j (and so must stop it on exit). */
  startedLocal: boolean;
  /** Closes the driver, and stops the local Neo4j when this process started it. */
  close(): Promise<void>;
}

/**
 * Connects to NEO4J_URI when set; otherwise reuses the running local instance or starts one
 * (`startLocal`), on the persistent home db/data/neo4j.
 */
export async function connect(config: Config, options: { startLocal: boolean; say?: (line: string) => void }): Promise<Connection> {
  if (config.neo4jUri) {
    const driver = createDriver({ uri: config.neo4jUri, username: config.neo4jUsername, password: config.neo4jPassword });
    return { driver, uri: config.neo4jUri, startedLocal: false, close: () => driver.close() };
  }
  const uri = `bolt://127.0.0.1:${config.local.boltPort}`;
  let startedLocal = false;
  const devInstance = devInstanceIn(config.local.dataDir);
  if (!(devInstancePid(devInstance) !== undefined && (await boltAnswers(uri)))) {
    if (!options.startLocal) {
      throw new Error(`No Neo4j at ${uri}: run \`npm run db:start\` or set NEO4J_URI.`);
    }
    options.say?.(`Starting the local Neo4j at ${uri} (data in ${devInstance.home})...`);
    await startNeo4j({
      home: devInstance.home,
      port: config.local.boltPort,
      heap: config.local.heap,
      pageCache: config.local.pageCache,
      background: { logFile: devInstance.logFile, pidFile: devInstance.pidFile },
      say: options.say,
    });
    startedLocal = true;
  }
  const driver = createDriver({ uri });
  return {
    driver,
    uri,
    startedLocal,
    close: async () => {
      await driver.close();
      if (startedLocal) await stopDevInstance(devInstance);
    },
  };
}
