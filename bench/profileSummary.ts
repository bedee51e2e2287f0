import fs from 'node:fs';

/**
 * `npx tsx bench/profileSummary.ts FILE.cpuprofile [N]`: the N functions and files with the most self
 * time in a V8 CPU profile (from `npm run bench -- --profile`), to see where a server spends its CPU.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
const [file, n = '25'] = process.argv.slice(2);
if (!file) throw new Error('usage: profileSummary FILE.cpuprofile [N]');
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const fns = new Map<string, number>();
const files = new Map<string, number>();
for (const [id, us] of self) {
  const frame = byId.get(id)?.callFrame;
  if (!frame) continue;
  const url = frame.url.replace(/^file:\/\//, '').replace(/.*node_modules\//, 'nm:');
  const key = `${frame.functionName || '(anonymous)'} ${url}:${frame.lineNumber + 1}`;
  fns.set(key, (fns.get(key) ?? 0) + us);
  const pkg = url.startsWith('nm:') ? url.split('/').slice(0, url.startsWith('nm:@') ? 2 : 1).join('/') : url || frame.functionName;
  files.set(pkg, (files.get(pkg) ?? 0) + us);
}
const top = (map: Map<string, number>) =>
  [...map].sort((a, b) => b[1] - a[1]).slice(0, Number(n)).map(([k, us]) => `${((us / total) * 100).toFixed(1).padStart(5)}%  ${k}`).join('\n');
console.log(`total ${(total / 1e6).toFixed(1)} s sampled\n\nby package/file:\n${top(files)}\n\nby function:\n${top(fns)}`);
