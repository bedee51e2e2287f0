import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serverNodeFlags } from '../../src/bin/nodeFlags';

describe('serverNodeFlags', () => {
  it('reads the Node options of `npm start` from package.json, and this Node accepts them', () => {
    const flags = serverNodeFlags();
    expect(flags).toContain('--no-allocation-site-pretenuring');
    // An option this Node does not know would stop `npm start` with "bad option".
    expect(execFileSync(process.execPath, [...flags, '-e', 'process.stdout.write("started")'], { encoding: 'utf8' })).toBe('started');
  });

  it("turns V8's memory reducer off: after an idle spell it made the next burst of requests pay to warm up again", () => {
    // bench/README.md, "December 5th, 2026, night": a memory-reducing collection during a few idle seconds, then a turn at
    // 60 % of the rate with V8's helper threads busy; without the reducer, no such turn.
    expect(serverNodeFlags()).toContain('--no-memory-reducer');
  });

  it('fails, naming the script, when scripts.start does not run dist/src/bin/start.js', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-flags-'));
    try {
      fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ scripts: { start: 'node --inspect server.js' } }));
      expect(() => serverNodeFlags(root)).toThrow('package.json scripts.start does not run `node [--flags] dist/src/bin/start.js`');
      fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ scripts: { start: 'npm run build && node dist/src/bin/start.js' } }));
      expect(serverNodeFlags(root)).toEqual([]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
