import { spawn } from 'node:child_process';
import { addGcLine, describeGc, followGc, gcSince, NO_GC } from '../../bench/lib/gcTrace';

/** bench/lib/gcTrace.ts reads V8's `--trace-gc-nvp` lines, which `npm run bench:cpu -- --gc` turns into GC per request. */
describe('GC trace of bench:cpu --gc', () => {
  it('counts the collections and allocation a real Node process reports', async () => {
    // About 200 MB of short-lived arrays, then one full collection.
    const child = spawn(process.execPath, [
      '--trace-gc-nvp',
      '--expose-gc',
      '-e',
      'let keep = 0; for (let i = 0; i < 200000; i++) keep += new Array(128).fill(i).length; globalThis.gc(); console.log(keep);',
    ]);
    const { totals } = followGc(child.stdout);
    const before = totals();
    await new Promise((resolve) => child.once('close', resolve));
    const gc = gcSince(before, totals());
    expect(gc.scavenges).toBeGreaterThan(3);
    expect(gc.markCompacts).toBeGreaterThanOrEqual(1);
    expect(gc.allocatedBytes).toBeGreaterThan(100 * 1024 * 1024);
    expect(gc.scavengeMs).toBeGreaterThan(0);
    expect(describeGc(gc, 1000)).toMatch(/^GC per request: \d+ KB allocated, \d+ µs in scavenges \(one every [\d.]+ requests\), \d+ µs in \d+ full collections?$/);
  });

  it('reads a scavenge line and leaves other output alone', () => {
    const totals = { ...NO_GC };
    addGcLine(totals, '[25668:0x2d952da0]    16702 ms: pause=11.4 mutator=147.6 gc=s reduce_memory=0 scavenge=11.27 allocated=11685880 promoted=3303272');
    addGcLine(totals, '{"port": 4000}');
    addGcLine(totals, '[25668:0x2d952da0]    17702 ms: pause=6.6 mutator=980.1 gc=mc reduce_memory=0 allocated=645608');
    expect(totals).toEqual({ scavenges: 1, scavengeMs: 11.4, markCompacts: 1, markCompactMs: 6.6, allocatedBytes: 11685880 + 645608 });
  });
});
