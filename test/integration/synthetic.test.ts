import { migrate } from '../../src/db/migrations';
import { generateSynthetic, planSynthetic } from '../../seed/synthetic/generate';
import { seedSynthetic } from '../../seed/synthetic/seedSynthetic';
import { startTestServer, wipeDatabase, type TestServer } from '../helpers/testServer';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

const idsOf = (scale: number, seed: number): string[] =>
  [...generateSynthetic(scale, seed)].flatMap((item) => ('value' in item && typeof item.value.id === 'string' ? [item.value.id] : []));

describe('npm run seed -- --dataset synthetic', () => {
  it('generates the same records for the same seed and different ones for another seed', () => {
    const a = [...generateSynthetic(2000, 7)];
    expect(JSON.stringify([...generateSynthetic(2000, 7)])).toBe(JSON.stringify(a));
    expect(JSON.stringify([...generateSynthetic(2000, 8)])).not.toBe(JSON.stringify(a));
  });

  it("names events without pointing to their victim: no victim's number in an event id, and a victim's events scattered in id order", () => {
    const victimOf = new Map<string, string>();
    for (const item of generateSynthetic(3000, 42)) {
      if (!('value' in item) || typeof item.value.id !== 'string' || !item.value.id.startsWith('event:')) continue;
      const participants = (item.value.participants ?? []) as { id: string; role: string }[];
      victimOf.set(item.value.id, participants.find((p) => p.role === 'victim')!.id);
    }
    const victims = new Set(victimOf.values());
    expect(victims.size).toBeGreaterThan(100);
    for (const [event, victim] of victimOf) expect(event).not.toContain(victim.replace('person:syn-victim-', ''));
    // Sorted by id, neighbours belong to the same victim about as often as chance has it (victims ÷ events of each).
    const sorted = [...victimOf.keys()].sort();
    const same = sorted.slice(1).filter((id, i) => victimOf.get(id) === victimOf.get(sorted[i]!)).length;
    expect(same / (sorted.length - 1)).toBeLessThan(0.02);
  });

  it('writes about `scale` nodes, all synthetic, with the planned shape, the same ids on every run, and nothing more the second time', async () => {
    await wipeDatabase(t.executor);
    await migrate(t.executor);
    const scale = 1200;
    const plan = planSynthetic(scale);
    const summary = await seedSynthetic(t.executor, { scale, seed: 42, batchSize: 500 });
    expect(summary.rejectedBatches).toBe(0);
    const ids = idsOf(scale, 42);
    const [row] = await t.cypher(
      `MATCH (n:Node) RETURN count(n) AS nodes, collect(n.id) AS ids,
        count(CASE WHEN n.dataset = 'synthetic' AND n.synthetic = true THEN 1 END) AS synthetic,
        count(CASE WHEN n:Victim THEN 1 END) AS victims,
        count(CASE WHEN n:Compound THEN 1 END) AS compounds,
        count(CASE WHEN n:Organisation AND n.kind = 'criminal_conglomerate' THEN 1 END) AS conglomerates,
        count(CASE WHEN n:Source AND n.kind = 'synthetic' THEN 1 END) AS sources`,
    );
    expect(row!.nodes).toBe(ids.length);
    expect([...row!.ids].sort()).toEqual([...ids].sort());
    expect(row!.synthetic).toBe(ids.length);
    expect({ victims: row!.victims, compounds: row!.compounds, conglomerates: row!.conglomerates, sources: row!.sources }).toEqual({
      victims: plan.victims, compounds: plan.compounds, conglomerates: plan.conglomerates, sources: plan.sources,
    });
    expect(Math.abs(ids.length - scale) / scale).toBeLessThan(0.1);
    const [rels] = await t.cypher(
      "MATCH ()-[r]->() WHERE NOT type(r) IN ['SOURCED_BY', 'INVOLVES', 'AT', 'FROM', 'TO'] RETURN count(r) AS all, count(CASE WHEN r.synthetic = true AND r.dataset = 'synthetic' THEN 1 END) AS synthetic",
    );
    expect(rels!.all).toBe(summary.written.relationship);
    expect(rels!.synthetic).toBe(rels!.all);
    // Every victim has a recruitment and a transit; pseudonymous names only; brokers serve several compounds.
    const [shape] = await t.cypher(
      `MATCH (v:Victim)
       RETURN count(v) AS victims,
         count(CASE WHEN EXISTS { (:Event {kind: 'recruitment'})-[:INVOLVES {role: 'victim'}]->(v) } AND EXISTS { (:Event {kind: 'transit'})-[:INVOLVES {role: 'victim'}]->(v) } THEN 1 END) AS complete,
         count(CASE WHEN v.name STARTS WITH 'Synthetic Victim ' AND v.name ENDS WITH '(pseudonym)' THEN 1 END) AS pseudonymous,
         max(COUNT { (e:Event {kind: 'transfer'})-[:INVOLVES {role: 'victim'}]->(v) }) AS longestChain`,
    );
    expect(shape!.complete).toBe(shape!.victims);
    expect(shape!.pseudonymous).toBe(shape!.victims);
    expect(shape!.longestChain).toBeGreaterThanOrEqual(4);
    const [brokers] = await t.cypher("MATCH (b:Person)-[:WORKS_AT]->(c:Compound) WHERE 'broker' IN b.roles WITH b, count(c) AS n RETURN max(n) AS most");
    expect(brokers!.most).toBeGreaterThanOrEqual(3);
    const before = await t.cypher('MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS n, count(r) AS r');
    await seedSynthetic(t.executor, { scale, seed: 42, batchSize: 2000 });
    expect(await t.cypher('MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS n, count(r) AS r')).toEqual(before);
  }, 300_000);
});
