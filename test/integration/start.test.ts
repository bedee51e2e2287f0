import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { boltAnswers, findFreePort } from '../../src/db/localNeo4j';
import { serverNodeFlags } from '../../src/bin/nodeFlags';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * Starts the compiled `dist/src/bin/start.js` as `npm start` does after its build, with its Node options, with NEO4J_URI unset, on its own data
 * folder and ports. (Not through npm itself: npm and its shell would stand between the test's SIGTERM and the server.)
 */
function startApi(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const { NEO4J_URI: _unset, ...rest } = process.env;
  void _unset;
  const child = spawn(process.execPath, [...serverNodeFlags(), 'dist/src/bin/start.js'], {
    cwd: ROOT,
    env: { ...rest, NODE_ENV: 'development', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForReady(url: string, api: { output: () => string; exited: Promise<number | null> }, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | 'running' = 'running';
  void api.exited.then((code) => (exitCode = code));
  while (Date.now() < deadline) {
    if (exitCode !== 'running') throw new Error(`npm start exited (${String(exitCode)}) before it was ready:\n${api.output()}`);
    try {
      if ((await fetch(`${url}/ready`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`npm start was not ready within ${timeoutMs} ms:\n${api.output()}`);
}

describe('npm start on a fresh machine (NEO4J_URI unset)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-start-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  // `npm start` builds first (`npm run build`, incremental); so does this test, so it never runs a stale dist/.
  beforeAll(() => execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'pipe', timeout: 120_000 }), 130_000);

  it('starts a local Neo4j, seeds the empty database, serves, stops it on SIGTERM, and keeps the data for the next start', async () => {
    const [boltPort, httpPort] = [await findFreePort(), await findFreePort()];
    const env = { TG_NEO4J_DATA_DIR: dataDir, TG_NEO4J_BOLT_PORT: String(boltPort), PORT: String(httpPort), TG_NEO4J_HEAP: '512m', TG_NEO4J_PAGECACHE: '128m' };
    const url = `http://127.0.0.1:${httpPort}`;
    const count = async () => {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ compounds { totalCount } sources { totalCount } }' }),
      });
      return ((await res.json()) as { data: unknown }).data;
    };

    const first = startApi(env);
    await waitForReady(url, first, 240_000);
    const seeded = await count();
    expect(seeded).toEqual({ compounds: { totalCount: 14 }, sources: { totalCount: 15 } });
    expect(first.output()).toContain('loaded seed data into the empty database');
    // The compiled server finds the files it reads from the source tree: the explorer page and its script.
    const page = await fetch(`${url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/assets/explorer.js');
    expect((await fetch(`${url}/assets/explorer.js`)).status).toBe(200);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(await boltAnswers(`bolt://127.0.0.1:${boltPort}`)).toBe(false);

    const second = startApi(env);
    await waitForReady(url, second, 240_000);
    expect(await count()).toEqual(seeded);
    expect(second.output()).not.toContain('loaded seed data');
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 600_000);
});
