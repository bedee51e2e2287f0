import { loadConfig } from '../config';
import {
  boltAnswers,
  devInstanceIn,
  devInstancePid,
  startNeo4j,
  stopDevInstance,
} from '../db/localNeo4j';
import { runCli } from './runCli';

/** `npm run db:start|db:stop|db:status`: the developer's local Neo4j in the background. */
runCli(async () => {
  const command = process.argv[2];
  const config = loadConfig();
  const uri = `bolt://127.0.0.1:${config.local.boltPort}`;
  const devInstance = devInstanceIn(config.local.dataDir);
  switch (command) {
    case 'start': {
      const pid = devInstancePid(devInstance);
      if (pid !== undefined && (await boltAnswers(uri))) {
        console.log(`Neo4j already running (pid ${pid}) at ${uri}`);
        return;
      }
      const started = Date.now();
      const neo = await startNeo4j({
        home: devInstance.home,
        port: config.local.boltPort,
        heap: config.local.heap,
        pageCache: config.local.pageCache,
        background: { logFile: devInstance.logFile, pidFile: devInstance.pidFile },
        say: (line) => console.log(line),
      });
      console.log(`Neo4j started (pid ${neo.pid}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      console.log(neo.uri);
      return;
    }
    case 'stop': {
      const stopped = await stopDevInstance(devInstance);
      console.log(stopped ? 'Neo4j stopped' : 'Neo4j was not running');
      return;
    }
    case 'status': {
      const pid = devInstancePid(devInstance);
      const answers = await boltAnswers(uri);
      if (pid !== undefined && answers) console.log(`running (pid ${pid}) at ${uri}`);
      else if (pid !== undefined) console.log(`process ${pid} alive but Bolt at ${uri} does not answer yet`);
      else console.log(answers ? `not started by this project, but something answers at ${uri}` : 'stopped');
      process.exitCode = pid !== undefined && answers ? 0 : 3;
      return;
    }
    default:
      throw new Error('usage: db.ts start|stop|status');
  }
});
