import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../projectRoot';

/**
 * The Node options `npm start` serves the API with: those between `node` and `dist/src/bin/start.js` in
 * package.json's `scripts.start`. The benchmark's servers (bench/run.ts) and the start test run with the same,
 * so what they measure and test is how the API is served.
 *
 *     spawn(process.execPath, [...serverNodeFlags(), 'dist/src/bin/start.js']);
 */
export function serverNodeFlags(root: string = PROJECT_ROOT): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts?: { start?: string } };
  const match = /\bnode((?:\s+--[\w-]+(?:=\S+)?)*)\s+dist\/src\/bin\/start\.js\b/.exec(manifest.scripts?.start ?? '');
  if (!match) throw new Error('package.json scripts.start does not run `node [--flags] dist/src/bin/start.js`');
  return (match[1] ?? '').split(/\s+/).filter(Boolean);
}
