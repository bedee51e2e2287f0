import { loadDataset } from '../../src/ingest/loadDataset';
import { startTestServer, type TestServer } from '../helpers/testServer';

jest.setTimeout(120_000);

// A victim who also testified at a trial, and who is recorded as working at the compound they were held in. Both are part of who
// they are: journalists see the victim's roles as VICTIM alone and no position, so no participation or relationship may show them.
const SOURCE = 'source:vr-report';
const VICTIM = 'person:vr-v-0001';
const OFFICIAL = 'person:vr-official';
const COMPOUND = 'compound:vr-park';
const TRIAL = 'event:vr-2024-05-trial';
const DATASET = {
  sources: [{ id: SOURCE, title: 'Victim roles test report', kind: 'report', reliability: 'B' }],
  compounds: [
    { id: COMPOUND, name: 'Vr Test Park', country: 'kh', sources: [SOURCE] },
    { id: 'compound:vr-annex', name: 'Vr Test Annex', country: 'kh', sources: [SOURCE] },
  ],
  persons: [
    { id: VICTIM, name: 'Ysolde Brannagh', roles: ['victim', 'witness'], sources: [SOURCE] },
    { id: OFFICIAL, name: 'Corvin Halloway', roles: ['official'], sources: [SOURCE] },
  ],
  events: [
    {
      id: TRIAL,
      kind: 'indictment',
      date: '2024-05-02',
      title: 'Trial of the park managers',
      compound: COMPOUND,
      participants: [
        { id: VICTIM, role: 'witness' },
        { id: OFFICIAL, role: 'witness' },
      ],
      sources: [SOURCE],
    },
  ],
  relationships: [
    { type: 'WORKS_AT', from: VICTIM, to: COMPOUND, position: 'bookkeeper', sources: [SOURCE] },
    // Forced to run the annex, say: a filter on the operator must not tell the public that this id is someone's.
    { type: 'OPERATES', from: VICTIM, to: 'compound:vr-annex', sources: [SOURCE] },
  ],
};

let t: TestServer;
let investigator: string;
let journalist: string;

beforeAll(async () => {
  t = await startTestServer();
  await loadDataset(DATASET, t.executor);
  investigator = await t.keyFor('investigator');
  journalist = await t.keyFor('journalist');
});
afterAll(async () => {
  await t.close();
});

/** Every answer a viewer gets about the victim's part in the trial and their work at the compound. */
async function seen(key: string): Promise<Record<string, unknown>> {
  const res = await t.graphql<any>(
    `query {
      trial: node(id: "${TRIAL}") { ... on Event {
        participants { role entity { id } }
        witnesses: participants(roles: [WITNESS]) { entity { id } }
      } }
      victim: node(id: "${VICTIM}") { ... on Person { events { role event { id } } relations { type position other { id } } } }
      compound: node(id: "${COMPOUND}") { ... on Compound { relations { type position other { id } } } }
      network(ids: ["${COMPOUND}"], depth: 2, includeEvents: true) { edges { source target label properties } }
      paths(from: "${OFFICIAL}", to: "${VICTIM}", includeEvents: true, first: 1) { hops { type role position } }
      work: paths(from: "${COMPOUND}", to: "${VICTIM}", first: 1) { hops { type role position } }
    }`,
    {},
    { key },
  );
  expect(res.errors).toBeUndefined();
  const d = res.data!;
  const atVictim = d.network.edges.filter((e: any) => e.source === VICTIM || e.target === VICTIM);
  return {
    participants: d.trial.participants,
    witnesses: d.trial.witnesses.map((w: any) => w.entity.id),
    events: d.victim.events,
    victimRelations: d.victim.relations.filter((r: any) => r.type === 'WORKS_AT'),
    compoundRelations: d.compound.relations.filter((r: any) => r.other.id === VICTIM),
    networkEdges: atVictim.map((e: any) => ({ label: e.label, role: e.properties.role ?? null, position: e.properties.position ?? null })).sort((a: any, b: any) => (a.label < b.label ? -1 : 1)),
    trialPath: d.paths.map((p: any) => p.hops),
    workPath: d.work.map((p: any) => p.hops),
  };
}

describe("a victim's other roles and positions", () => {
  it('are shown to investigators as recorded', async () => {
    expect(await seen(investigator)).toEqual({
      participants: [
        { role: 'WITNESS', entity: { id: OFFICIAL } },
        { role: 'WITNESS', entity: { id: VICTIM } },
      ],
      witnesses: [OFFICIAL, VICTIM],
      events: [{ role: 'WITNESS', event: { id: TRIAL } }],
      victimRelations: [{ type: 'WORKS_AT', position: 'bookkeeper', other: { id: COMPOUND } }],
      compoundRelations: [{ type: 'WORKS_AT', position: 'bookkeeper', other: { id: VICTIM } }],
      networkEdges: [
        { label: 'OPERATES', role: null, position: null },
        { label: 'WORKS_AT (bookkeeper)', role: null, position: 'bookkeeper' },
        { label: 'witness', role: 'witness', position: null },
      ],
      trialPath: [[
        { type: 'INVOLVES', role: 'witness', position: null },
        { type: 'INVOLVES', role: 'witness', position: null },
      ]],
      workPath: [[{ type: 'WORKS_AT', role: null, position: 'bookkeeper' }]],
    });
  });

  it('are VICTIM and no position to journalists, on the event, the person, relations, slices and paths; a role filter does not find them', async () => {
    const answer = await seen(journalist);
    expect(answer).toEqual({
      participants: [
        { role: 'WITNESS', entity: { id: OFFICIAL } },
        { role: 'VICTIM', entity: { id: VICTIM } },
      ],
      witnesses: [OFFICIAL],
      events: [{ role: 'VICTIM', event: { id: TRIAL } }],
      victimRelations: [{ type: 'WORKS_AT', position: null, other: { id: COMPOUND } }],
      compoundRelations: [{ type: 'WORKS_AT', position: null, other: { id: VICTIM } }],
      networkEdges: [
        { label: 'OPERATES', role: null, position: null },
        { label: 'WORKS_AT', role: null, position: null },
        { label: 'victim', role: 'victim', position: null },
      ],
      trialPath: [[
        { type: 'INVOLVES', role: 'witness', position: null },
        { type: 'INVOLVES', role: 'victim', position: null },
      ]],
      workPath: [[{ type: 'WORKS_AT', role: null, position: null }]],
    });
    expect(JSON.stringify(answer)).not.toMatch(/bookkeeper|Ysolde|Brannagh/);
  });

  it("answers the public's filter on a victim operator as for an id that names nothing", async () => {
    const operated = async (operatorId: string, key?: string) =>
      (await t.graphql<any>('query($id: ID!) { compounds(filter: { operatorId: $id }) { totalCount nodes { id } } }', { id: operatorId }, key ? { key } : {})).data;
    expect(await operated(VICTIM)).toEqual(await operated('person:vr-nobody'));
    expect(await operated(VICTIM)).toEqual({ compounds: { totalCount: 0, nodes: [] } });
    expect(await operated(VICTIM, journalist)).toEqual({ compounds: { totalCount: 1, nodes: [{ id: 'compound:vr-annex' }] } });
  });
});
