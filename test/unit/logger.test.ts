import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import pino from 'pino';
import { createLogger } from '../../src/logger';

const ROOT = path.resolve(__dirname, '..', '..');

describe('the process logger', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-logger-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('does not write a line on the event loop, and writes it whole soon after', async () => {
    const file = path.join(dir, 'log.jsonl');
    const writeSync = jest.spyOn(fs, 'writeSync');
    try {
      const logger = createLogger({ logLevel: 'info' }, file);
      logger.info({ method: 'POST', path: '/graphql', status: 200, ms: 3 }, 'request');
      // A synchronous destination calls write(2) here, on the event loop. (Whether the thread pool has already
      // written the line by now is a race, so the file itself is not looked at until the stream has ended.)
      expect(writeSync).not.toHaveBeenCalled();
      // Ending the destination waits for the write in flight, then closes the file (SonicBoom's flush() does not
      // wait without a minLength, and closing the file under a write in flight made it fail with EBADF).
      const stream = (logger as unknown as Record<symbol, { end(): void; once(event: 'close', listener: () => void): void }>)[pino.symbols.streamSym]!;
      await new Promise<void>((resolve) => {
        stream.once('close', () => resolve());
        stream.end();
      });
      const [line, ...rest] = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
      expect(rest).toEqual([]);
      expect(JSON.parse(line!)).toMatchObject({ level: 30, service: 'trafficking-graph', msg: 'request', path: '/graphql', status: 200 });
    } finally {
      writeSync.mockRestore();
    }
  });

  it('loses no queued line when the process exits right after logging', () => {
    const file = path.join(dir, 'exit.jsonl');
    const script = `
      const { createLogger } = require('./src/logger');
      const logger = createLogger({ logLevel: 'info' }, require('node:fs').openSync(${JSON.stringify(file)}, 'w'));
      for (let i = 0; i < 500; i += 1) logger.info({ i }, 'line');
      logger.fatal('last words');
      process.exit(1);
    `;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status).toBe(1);
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string; i?: number });
    expect(lines).toHaveLength(501);
    expect(lines.slice(0, 500).map((l) => l.i)).toEqual([...Array(500).keys()]);
    expect(lines[500]!.msg).toBe('last words');
  });
});
