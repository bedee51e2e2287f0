import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { runInTurns } from '../../bench/lib/load';
import type { HostCpu } from '../../bench/lib/host';

/**
 * runInTurns against a real HTTP server (autocannon sends real requests) and a scripted host: each turn reads the host
 * before and after, and the script says how much of that turn the hypervisor took. The server answers each turn with the
 * delay the script gives it, so the measurement of the quiet rounds can be told from the one of all rounds.
 */
describe('bench: systems measured in turns, rounds the hypervisor disturbed taken again', () => {
  let server: http.Server;
  let url: string;
  let delayMs = 0;
  const served: string[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      served.push(req.url ?? '');
      req.resume();
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{}}'), delayMs);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    served.length = 0;
    delayMs = 0;
  });

  /** Turn k (counted over the whole measurement) has steal `steals[k]` and its answers take `delays[k]` ms. */
  function scriptedHost(steals: number[], delays: number[]): { readHost: () => HostCpu; turns: () => number } {
    let reads = 0;
    let busy = 0;
    let steal = 0;
    return {
      readHost: () => {
        if (reads % 2 === 1) {
          // After turn k: 100 ticks wanted, the scripted share of them stolen.
          const share = steals[(reads - 1) / 2] ?? 0;
          busy += 100 * (1 - share);
          steal += 100 * share;
        } else {
          delayMs = delays[reads / 2] ?? 0;
        }
        reads += 1;
        return { busy, steal };
      },
      turns: () => Math.floor(reads / 2),
    };
  }

  const systems = (): [string, { url: string; body: string }][] => [
    ['a', { url: `${url}/a`, body: '{}' }],
    ['b', { url: `${url}/b`, body: '{}' }],
  ];
  // By count, one connection: 10 responses over the rounds asked for (autocannon ends each turn on its next 1 s tick).
  const base = { connections: 1, durationS: 2, turns: 2, slow: true };

  test("without a steal limit: the rounds asked for, each turn's steal recorded, no quiet measurement", async () => {
    const host = scriptedHost([0.5, 0, 0, 0.2], []);
    const runs = await runInTurns(systems(), { ...base, readHost: host.readHost });
    expect(host.turns()).toBe(4);
    // Rotation: a b, then b a.
    expect(runs.get('a')).toMatchObject({ turns: 2, requests: 10, turnSteals: [0.5, 0.2] });
    expect(runs.get('b')).toMatchObject({ turns: 2, requests: 10, turnSteals: [0, 0] });
    expect(runs.get('a')!.quiet).toBeUndefined();
    expect(served.filter((u) => u === '/a')).toHaveLength(10);
  });

  test('takes rounds again until as many are quiet as were asked for, and measures those alone beside all of them', async () => {
    // Round 0 disturbed (b's turn above 10 %) and its answers slow; rounds 1 and 2 quiet (10 % is still quiet) and fast.
    const host = scriptedHost([0.05, 0.3, 0.02, 0.1, 0, 0.01], [40, 40, 1, 1, 1, 1]);
    const runs = await runInTurns(systems(), { ...base, quiet: { maxSteal: 0.1, extraRounds: 2 }, readHost: host.readHost });
    expect(host.turns()).toBe(6);
    const a = runs.get('a')!;
    expect(a).toMatchObject({ turns: 3, requests: 15, turnSteals: [0.05, 0.1, 0] });
    expect(a.quiet).toMatchObject({ maxSteal: 0.1, rounds: [1, 2], requests: 10 });
    // The quiet rounds answered in about 1 ms, the disturbed one in 40: all rounds' p99 is one of the slow ones.
    expect(a.quiet!.p99).toBeLessThan(30);
    expect(a.p99).toBeGreaterThanOrEqual(40);
    expect(runs.get('b')!.quiet!.rounds).toEqual([1, 2]);
  });

  test('stops after the extra rounds allowed, with the quiet rounds it had', async () => {
    const host = scriptedHost(Array(10).fill(0.5), []);
    const runs = await runInTurns(systems().slice(0, 1), { ...base, turns: 1, quiet: { maxSteal: 0.1, extraRounds: 2 }, readHost: host.readHost });
    expect(host.turns()).toBe(3);
    expect(runs.get('a')).toMatchObject({ turns: 3, quiet: { rounds: [], requests: 0 } });
    expect(runs.get('a')!.quiet!.p50).toBeNaN();
  });

  test("where steal cannot be read: no rounds added, no quiet measurement, each turn's steal null", async () => {
    const runs = await runInTurns(systems().slice(0, 1), { ...base, quiet: { maxSteal: 0.1, extraRounds: 3 }, readHost: () => undefined });
    expect(runs.get('a')).toMatchObject({ turns: 2, turnSteals: [null, null] });
    expect(runs.get('a')!.quiet).toBeUndefined();
  });

  test('ends a timed turn shorter than a second when it is due, not on autocannon\'s next whole-second tick', async () => {
    // Each answer takes at least 10 ms, so a turn of 0.5 s (and the tick, 0.1 s, that ends it) holds at most 60; one of a whole second about 100.
    const host = scriptedHost([], [10, 10, 10, 10]);
    const runs = await runInTurns(systems(), { connections: 1, durationS: 1, turns: 2, slow: false, readHost: host.readHost });
    for (const name of ['a', 'b']) {
      const run = runs.get(name)!;
      expect(run.turns).toBe(2);
      expect(run.requests).toBeGreaterThan(0);
      expect(run.requests).toBeLessThanOrEqual(2 * 60);
      // Its own clock, not the nominal duration: two turns of about half a second.
      expect(run.durationS).toBeGreaterThanOrEqual(1);
      expect(run.durationS).toBeLessThan(1.5);
    }
  });

  test("records each turn's rate: a turn whose answers took five times as long served about a fifth as many", async () => {
    // Rounds in rotation: a's turns are 0 and 3, b's 1 and 2. a's second turn answers in 50 ms, every other in 10.
    const host = scriptedHost([], [10, 10, 10, 50]);
    const runs = await runInTurns(systems(), { connections: 1, durationS: 2, turns: 2, slow: false, readHost: host.readHost });
    const a = runs.get('a')!.turnRps!;
    const b = runs.get('b')!.turnRps!;
    expect(a).toHaveLength(2);
    expect(b).toHaveLength(2);
    // At most one answer per 10 ms (100 a second); with 50 ms, under 20 a second.
    for (const rate of [a[0]!, ...b]) expect(rate).toBeGreaterThan(40);
    for (const rate of [a[0]!, ...b]) expect(rate).toBeLessThanOrEqual(100);
    expect(a[1]).toBeLessThan(20);
    // The pooled rate is the whole run's: responses over its own clock.
    const run = runs.get('a')!;
    expect(run.rps).toBeCloseTo(run.requests / run.durationS, 0);
  });

  test("records when each turn started and where the CPU went in it, from readings taken before and after the turn", async () => {
    // A scripted account: "busy" uses 0.5 s of CPU per reading pair, so over a turn of about half a second it had about one core.
    let reads = 0;
    const readCpu = () => {
      reads += 1;
      return { busy: Math.floor(reads / 2) * 0.5, 'host:idle': 0 };
    };
    const startedAt = Date.now();
    const runs = await runInTurns(systems(), { connections: 1, durationS: 1, turns: 2, slow: false, readHost: () => undefined, readCpu });
    expect(reads).toBe(8);
    for (const name of ['a', 'b']) {
      const run = runs.get(name)!;
      expect(run.turnStartedAt).toHaveLength(2);
      for (const at of run.turnStartedAt!) {
        expect(at).toBeGreaterThanOrEqual(startedAt);
        expect(at).toBeLessThanOrEqual(Date.now());
      }
      expect(run.turnCpu).toHaveLength(2);
      for (const shares of run.turnCpu!) {
        expect(shares!['host:idle']).toBe(0);
        expect(shares!.busy).toBeGreaterThan(0.5);
        expect(shares!.busy).toBeLessThanOrEqual(1.05);
      }
    }
    // In rotation (a b, then b a): b's second turn started after a's first, and a's second after b's second.
    const [a0, a1] = runs.get('a')!.turnStartedAt!;
    const [b0, b1] = runs.get('b')!.turnStartedAt!;
    expect(a0!).toBeLessThanOrEqual(b0!);
    expect(b0!).toBeLessThanOrEqual(b1!);
    expect(b1!).toBeLessThanOrEqual(a1!);
  });

  test('without readCpu: no CPU shares', async () => {
    const runs = await runInTurns(systems().slice(0, 1), { ...base, turns: 1, readHost: () => undefined });
    expect(runs.get('a')!.turnCpu).toBeUndefined();
    expect(runs.get('a')!.turnStartedAt).toHaveLength(1);
  });
});
