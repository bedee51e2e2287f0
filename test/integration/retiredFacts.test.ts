import { startTestServer, type TestServer } from '../helpers/testServer';

/**
 * A retired record counts toward nothing: a withdrawn transfer is no longer part of a compound flow (its count, dates,
 * prices, events and citations), a flow from or to a retired compound is gone, and a withdrawn raid no longer sets a
 * compound's status. Each statement is checked against what the demo graph holds, read straight from the database.
 */
jest.setTimeout(180_000);

const CLOUDGATE = 'compound:demo-cloudgate';
const SILVER_FERN = 'compound:demo-silver-fern';
const RIVERBEND = 'compound:demo-riverbend-park';
const JADE = 'compound:demo-jade-harbour';
const LANTERN = 'compound:demo-lantern-bay';
const RETIRED_TRANSFER = 'event:demo-2024-02-14-transfer';
const JADE_RAID = 'event:demo-2024-05-14-raid-jade-harbour';
const RETIRE = 'mutation($id: ID!) { retireEntity(id: $id, reason: "withdrawn by its source (test)") { entityIds } }';
const FLOWS = `query ($filter: FlowFilter) { compoundFlows(filter: $filter) { nodes { id } edges { id source target properties } } }`;

interface FlowEdge {
  id: string;
  source: string;
  target: string;
  properties: { count: number; events: string[]; sources: string[]; firstDate: string | null; lastDate: string | null };
}

let t: TestServer;
let investigator: string;

beforeAll(async () => {
  t = await startTestServer({ datasets: ['demo'] });
  investigator = await t.keyFor('investigator');
});
afterAll(async () => {
  await t.close();
});

async function flows(filter: Record<string, unknown> = {}): Promise<{ nodes: { id: string }[]; edges: FlowEdge[] }> {
  const res = await t.graphql(FLOWS, { filter }, { key: investigator });
  expect(res.errors).toBeUndefined();
  return res.data!.compoundFlows;
}

/** The sources the given events cite, each once, in id order, as the database holds them. */
async function sourcesOf(events: string[]): Promise<string[]> {
  const rows = await t.cypher<{ s: string }>('MATCH (e:Event) WHERE e.id IN $events UNWIND e.sources AS s RETURN DISTINCT s ORDER BY s', { events });
  return rows.map((row) => row.s);
}

async function retire(id: string): Promise<void> {
  const res = await t.graphql(RETIRE, { id }, { key: investigator });
  expect(res.errors).toBeUndefined();
}

describe('retired records in aggregations', () => {
  it('cites on every flow the sources of its transfers', async () => {
    const { edges } = await flows();
    expect(edges.length).toBeGreaterThan(0);
    for (const edge of edges) {
      expect(edge.properties.sources.length).toBeGreaterThan(0);
      expect(edge.properties.sources).toEqual(await sourcesOf(edge.properties.events));
    }
  });

  it('leaves a retired transfer out of the flows and of the onward view', async () => {
    const before = await flows();
    expect(before.edges.find((e) => e.id === `flow:${CLOUDGATE}->${SILVER_FERN}`)?.properties.events).toEqual([RETIRED_TRANSFER]);
    const onwardBefore = await flows({ fromCompound: RIVERBEND, hops: 3 });
    expect(onwardBefore.edges.flatMap((e) => e.properties.events)).toContain(RETIRED_TRANSFER);

    await retire(RETIRED_TRANSFER);
    const after = await flows();
    // It was that corridor's only transfer: the corridor is gone, and Silver Fern with it (no other flow touches it).
    expect(after.edges.map((e) => e.id)).toEqual(before.edges.map((e) => e.id).filter((id) => id !== `flow:${CLOUDGATE}->${SILVER_FERN}`));
    expect(after.nodes.map((n) => n.id)).not.toContain(SILVER_FERN);
    for (const edge of [...after.edges, ...(await flows({ fromCompound: RIVERBEND, hops: 3 })).edges]) {
      expect(edge.properties.events).not.toContain(RETIRED_TRANSFER);
      expect(edge.properties.count).toBe(edge.properties.events.length);
      expect(edge.properties.sources).toEqual(await sourcesOf(edge.properties.events));
    }
    // The onward view from Riverbend still follows the victims' other transfers.
    const onwardAfter = await flows({ fromCompound: RIVERBEND, hops: 3 });
    expect(onwardAfter.edges.flatMap((e) => e.properties.events).sort()).toEqual(
      onwardBefore.edges.flatMap((e) => e.properties.events).filter((id) => id !== RETIRED_TRANSFER).sort(),
    );
  });

  it('leaves out every flow from or to a retired compound', async () => {
    const before = await flows();
    const touching = before.edges.filter((e) => e.source === LANTERN || e.target === LANTERN);
    expect(touching.length).toBeGreaterThan(0);
    await retire(LANTERN);
    const after = await flows();
    expect(after.edges.filter((e) => e.source === LANTERN || e.target === LANTERN)).toEqual([]);
    expect(after.edges.map((e) => e.id)).toEqual(before.edges.filter((e) => !touching.includes(e)).map((e) => e.id));
    expect(after.nodes.map((n) => n.id)).not.toContain(LANTERN);
  });

  it("leaves a retired raid out of the compound's status history", async () => {
    const HISTORY = 'query($id: ID!) { node(id: $id) { ... on Compound { statusHistory { status event { id } } } } }';
    const history = async () => {
      const res = await t.graphql(HISTORY, { id: JADE }, { key: investigator });
      expect(res.errors).toBeUndefined();
      return res.data!.node.statusHistory as { status: string; event: { id: string } }[];
    };
    const before = await history();
    expect(before.find((p) => p.event.id === JADE_RAID)?.status).toBe('RAIDED');
    await retire(JADE_RAID);
    const after = await history();
    expect(after.map((p) => p.event.id)).toEqual(before.map((p) => p.event.id).filter((id) => id !== JADE_RAID));
  });
});
