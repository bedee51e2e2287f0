import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../projectRoot';
import { createDriver } from './driver';

/**
 * The local Neo4j runtime: Neo4j Community 5.26 embedded in a small Java launcher (db/Launcher.java),
 * its jars fetched from Maven Central with db/pom.xml into a cache outside git.
 */

const DB_DIR = path.join(PROJECT_ROOT, 'db');
/** The developer's persistent instance lives here (git-ignored). */
export const DEV_DATA_DIR = path.join(DB_DIR, 'data');

const JVM_FLAGS = [
  '--add-opens=java.base/java.nio=ALL-UNNAMED',
  '--add-opens=java.base/java.io=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
  '--add-opens=java.base/java.lang=ALL-UNNAMED',
  '--enable-native-access=ALL-UNNAMED',
  '-Dio.netty.tryReflectionSetAccessible=true',
  '-XX:+UseG1GC',
  '-XX:+ExitOnOutOfMemoryError',
];

/** A missing prerequisite (Java, Maven) or a runtime that would not start; the message says what to do. */
export class LocalNeo4jError extends Error {
  override name = 'LocalNeo4jError';
}

type Say = (line: string) => void;

function neo4jVersion(): string {
  const pom = fs.readFileSync(path.join(DB_DIR, 'pom.xml'), 'utf8');
  const match = /<neo4j\.version>([^<]+)<\/neo4j\.version>/.exec(pom);
  if (!match?.[1]) throw new LocalNeo4jError('db/pom.xml has no <neo4j.version>');
  return match[1];
}

/** Where the jars are cached: TG_NEO4J_JARS, else ~/.cache/trafficking-graph/neo4j-VERSION. */
export function jarDirectory(): string {
  if (process.env.TG_NEO4J_JARS) return path.resolve(process.env.TG_NEO4J_JARS);
  const cache = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  return path.join(cache, 'trafficking-graph', `neo4j-${neo4jVersion()}`, 'lib');
}

function checkJava(): void {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (java.error || java.status !== 0) {
    throw new LocalNeo4jError(
      'Java 17 or newer is needed to run the local Neo4j, and `java` was not found. ' +
        'Install it (Debian/Ubuntu: apt-get install openjdk-17-jre-headless) or set NEO4J_URI to an existing Neo4j 5 server.',
    );
  }
  const major = /version "(\d+)/.exec(java.stderr)?.[1];
  if (!major || Number(major) < 17) {
    throw new LocalNeo4jError(
      `Java 17 or newer is needed to run the local Neo4j; found ${major ?? 'an unknown version'}. ` +
        'Install Java 17 or set NEO4J_URI to an existing Neo4j 5 server.',
    );
  }
}

/**
 * Makes sure the Neo4j jars are in the cache, fetching them with Maven on first use (about 115 MB).
 * Safe to call concurrently: the jars are fetched into a temporary folder and renamed into place.
 */
export function ensureRuntime(say: Say = () => undefined): string {
  checkJava();
  const lib = jarDirectory();
  if (fs.existsSync(path.join(lib, '.complete'))) return lib;
  const mvn = spawnSync('mvn', ['-v'], { encoding: 'utf8' });
  if (mvn.error || mvn.status !== 0) {
    throw new LocalNeo4jError(
      'Maven is needed once, to fetch the Neo4j jars from Maven Central, and `mvn` was not found. ' +
        'Install it (Debian/Ubuntu: apt-get install maven), or put the jars in TG_NEO4J_JARS, or set NEO4J_URI to an existing Neo4j 5 server.',
    );
  }
  say(`Fetching Neo4j ${neo4jVersion()} from Maven Central into ${lib} (first run only)...`);
  const staging = `${lib}.partial-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  const fetch = spawnSync(
    'mvn',
    [
      '-B',
      '-q',
      '-f',
      path.join(DB_DIR, 'pom.xml'),
      'org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies',
      `-DoutputDirectory=${staging}`,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (fetch.status !== 0) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new LocalNeo4jError(`Maven could not fetch the Neo4j jars:\n${fetch.stdout}${fetch.stderr}`);
  }
  fs.writeFileSync(path.join(staging, '.complete'), new Date().toISOString());
  if (!fs.existsSync(path.join(lib, '.complete'))) {
    fs.rmSync(lib, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(lib), { recursive: true });
    try {
      fs.renameSync(staging, lib);
    } catch (error) {
      if (!fs.existsSync(path.join(lib, '.complete'))) throw error;
    }
  }
  fs.rmSync(staging, { recursive: true, force: true });
  return lib;
}

function toBytes(size: string): number {
  const match = /^([0-9]+)([kmg]?)$/i.exec(size);
  if (!match?.[1]) throw new LocalNeo4jError(`Bad memory size: ${size}`);
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(match[2] ?? '').toLowerCase()] ?? 1;
  return Number(match[1]) * unit;
}

export interface StartOptions {
  home: string;
  port: number;
  heap: string;
  pageCache: string;
  /** Detach into its own process group and log to a file: the `db:start` background mode. */
  background?: { logFile: string; pidFile: string };
  say?: Say;
  /** How long to wait for Bolt to accept connections. */
  timeoutMs?: number;
  /** More JVM options, after the project's (the benchmark's GC log). */
  jvmFlags?: string[];
}

export interface RunningNeo4j {
  uri: string;
  pid: number;
  /** Stops the process and waits for it to exit (clean shutdown flushes the store). */
  stop(): Promise<void>;
}

/**
 * Starts Neo4j on `home` and resolves once Bolt accepts a connection.
 *
 *     const neo = await startNeo4j({ home: '/tmp/x', port: 7688, heap: '512m', pageCache: '256m' });
 *     ...; await neo.stop();
 */
export async function startNeo4j(options: StartOptions): Promise<RunningNeo4j> {
  const lib = ensureRuntime(options.say);
  fs.mkdirSync(options.home, { recursive: true });
  if (!(await isPortFree(options.port))) {
    throw new LocalNeo4jError(
      `Port ${options.port} on 127.0.0.1 is already in use; stop what uses it or set TG_NEO4J_BOLT_PORT to another port.`,
    );
  }
  const args = [
    `-Xmx${options.heap}`,
    `-Xms${options.heap}`,
    ...JVM_FLAGS,
    ...(options.jvmFlags ?? []),
    '-cp',
    `${lib}/*`,
    path.join(DB_DIR, 'Launcher.java'),
    options.home,
    String(options.port),
    String(toBytes(options.pageCache)),
  ];
  let child: ChildProcess;
  if (options.background) {
    fs.mkdirSync(path.dirname(options.background.logFile), { recursive: true });
    const log = fs.openSync(options.background.logFile, 'a');
    child = spawn('java', args, { detached: true, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    fs.writeFileSync(options.background.pidFile, String(child.pid));
    child.unref();
  } else {
    child = spawn('java', [...args, '--exit-on-stdin-eof'], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdout?.resume();
    child.stderr?.resume();
  }
  const pid = child.pid;
  if (pid === undefined) throw new LocalNeo4jError('Could not start java');
  const uri = `bolt://127.0.0.1:${options.port}`;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const timeoutMs = options.timeoutMs ?? 180_000;
  const up = await Promise.race([
    waitForBolt(uri, timeoutMs).then(() => 'up' as const),
    exited.then((code) => code),
  ]);
  if (up !== 'up') {
    const hint = options.background ? ` See ${options.background.logFile}.` : '';
    throw new LocalNeo4jError(`Neo4j exited during start-up (code ${String(up)}).${hint}`);
  }
  return {
    uri,
    pid,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await atMost(exited, 60_000);
    },
  };
}

/** Resolves once a Bolt handshake succeeds at `uri`, polling; rejects after `timeoutMs`. */
export async function waitForBolt(uri: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (await boltAnswers(uri)) return;
    lastError = `no answer at ${uri}`;
    await sleep(250);
  }
  throw new LocalNeo4jError(`Neo4j did not accept Bolt connections within ${timeoutMs} ms (${String(lastError)})`);
}

/** True when a Bolt connection at `uri` can be opened and verified. */
export async function boltAnswers(uri: string): Promise<boolean> {
  const driver = createDriver({ uri, acquisitionTimeoutMs: 2_000 });
  try {
    await driver.verifyConnectivity();
    return true;
  } catch {
    return false;
  } finally {
    await driver.close();
  }
}

/** A free TCP port on 127.0.0.1, for a test instance. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Resolves after `ms`. The timer keeps the process alive: callers poll with it while nothing else does. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves with `work`, or after `ms` at the latest; the timer is cleared, so it never holds the process open. */
async function atMost<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** The files of a persistent local instance: its store, pid file and log. */
export interface DevInstance {
  readonly home: string;
  readonly pidFile: string;
  readonly logFile: string;
}

/** The persistent local instance whose files live in `dataDir` (default db/data, TG_NEO4J_DATA_DIR). */
export function devInstanceIn(dataDir: string = DEV_DATA_DIR): DevInstance {
  return { home: path.join(dataDir, 'neo4j'), pidFile: path.join(dataDir, 'neo4j.pid'), logFile: path.join(dataDir, 'neo4j.log') };
}

/** The pid of the running instance, or undefined when none runs. */
export function devInstancePid(instance: DevInstance): number | undefined {
  if (!fs.existsSync(instance.pidFile)) return undefined;
  const pid = Number(fs.readFileSync(instance.pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/** Stops the developer instance if it runs; waits for a clean shutdown. Returns whether one was stopped. */
export async function stopDevInstance(instance: DevInstance, timeoutMs = 60_000): Promise<boolean> {
  const pid = devInstancePid(instance);
  if (pid === undefined) {
    fs.rmSync(instance.pidFile, { force: true });
    return false;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      fs.rmSync(instance.pidFile, { force: true });
      return true;
    }
    await sleep(200);
  }
  throw new LocalNeo4jError(`Neo4j (pid ${pid}) did not stop within ${timeoutMs} ms`);
}
