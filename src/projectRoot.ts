import fs from 'node:fs';
import path from 'node:path';

/**
 * The nearest folder at or above `from` whose package.json is this project's. Source files run from
 * `src/` (tsx, ts-jest) and compiled ones from `dist/src/` (`npm run build`), so a path written relative
 * to `__dirname` would differ between the two; one relative to the project's root does not.
 */
export function findProjectRoot(from: string): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'trafficking-graph') {
      return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`No trafficking-graph package.json at or above ${from}`);
  }
}

/** The repository's root: schema/, seed/, db/ and the web pages under src/web/ are found from here. */
export const PROJECT_ROOT = findProjectRoot(__dirname);
