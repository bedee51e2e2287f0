import fs from 'node:fs';
import path from 'node:path';
import { startTestServer, type TestServer } from '../helpers/testServer';
import { findCompoundFlows } from '../../src/flows/flows.queries';
import { findNeighbourhood, findEdgesAmong } from '../../src/network/network.queries';
import { findShortestPaths } from '../../src/paths/paths.queries';
import { findTimelineEvents } from '../../src/timeline/timeline.queries';
import { findVictimEvents } from '../../src/trace/trace.queries';
import { RELATION_TYPES } from '../../src/relation/relation.model';
import type { Statement } from '../../src/db/executor';

/** The demo dataset itself: expected sources and participants are read from it, not from the database. */
const demo = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../seed/demo/demo.json'), 'utf8')) as {
  events: { id: string; sources: string[]; participants: { id: string; role: string }[]; compound?: string; fromCompound?: string; toCompound?: string }[];
  claims: { subject: string; property: string; value: unknown }[];
};
/** Events whose price or currency the demo's claims give more than one value for. */
const DISPUTED_PRICES: ReadonlySet<string> = (() => {
  const values = new Map<string, Set<string>>();
  for (const claim of demo.claims.filter((c) => c.property === 'price' || c.property === 'currency')) {
    const key = `${claim.subject}\u0000${claim.property}`;
    values.set(key, (values.get(key) ?? new Set()).add(String(claim.value)));
  }
  return new Set([...values].filter(([, set]) => set.size > 1).map(([key]) => key.split('\u0000')[0]!));
})();
const demoEvent = (id: string) => {
  const event = demo.events.find((e) => e.id === id);
  if (!event) throw new Error(`no demo event ${id}`);
  return event;
};
const withRole = (eventId: string, role: string) =>
  demoEvent(eventId)
    .participants.filter((p) => p.role === role)
    .map((p) => p.id)
    .sort();

const RIVERBEND = 'compound:demo-riverbend-park';
const JADE = 'compound:demo-jade-harbour';
const CLOUDGATE = 'compound:demo-cloudgate';
const SILVER_FERN = 'compound:demo-silver-fern';
const LANTERN = 'compound:demo-lantern-bay';
const NEW_FERN = 'compound:demo-new-fern';
const RED_CRANE = 'organisation:demo-red-crane-network';
const BLUEWATER = 'organisation:demo-bluewater-holdings';
const MILITIA = 'organisation:demo-northern-hills-militia';
const ALPHA = 'person:demo-broker-alpha';
const VICTIM_NAME_MARK = 'Demo Victim';

const STEP_FIELDS = `index kind date event { id } compound { id } fromCompound { id } toCompound { id } heldAfter { id }
  price currency sellers { id } buyers { id } brokers { id } recruiters { id } isExit sources { id } claims { id } conflicts { id disputed }`;
const TRACE = `query ($id: ID!, $asOf: Date) { traceVictim(id: $id, asOf: $asOf) {
  victim { id name pseudonym } asOf heldAt { id } exit { index event { id } } hasConflicts
  steps { ${STEP_FIELDS} }
  periods { compound { id } from until arrival { id } departure { id } open }
  gaps { kind lastKnown { id } nextKnown { id } after { index } before { index } from until description }
} }`;

interface ExpectedStep {
  event: string;
  kind: string;
  date: string;
  compound?: string;
  from?: string;
  to?: string;
  held: string | null;
  price?: number;
  currency?: string;
}

/** A step as the API should answer it, built from the README table row and demo.json's participants/sources. */
function expectedStep(index: number, s: ExpectedStep, claims: { id: string; disputed: boolean }[] = []) {
  const ids = (list: string[]) => list.map((id) => ({ id }));
  return {
    index,
    kind: s.kind,
    date: s.date,
    event: { id: s.event },
    compound: s.compound ? { id: s.compound } : null,
    fromCompound: s.from ? { id: s.from } : null,
    toCompound: s.to ? { id: s.to } : null,
    heldAfter: s.held ? { id: s.held } : null,
    price: s.price ?? null,
    currency: s.currency ?? null,
    sellers: ids(withRole(s.event, 'seller')),
    buyers: ids(withRole(s.event, 'buyer')),
    brokers: ids(withRole(s.event, 'broker')),
    recruiters: ids(withRole(s.event, 'recruiter')),
    isExit: ['ESCAPE', 'RELEASE', 'RESCUE', 'REPATRIATION'].includes(s.kind),
    sources: ids(demoEvent(s.event).sources),
    claims: claims.map((c) => ({ id: c.id })),
    conflicts: claims.filter((c) => c.disputed),
  };
}

const V1_STEPS: ExpectedStep[] = [
  { event: 'event:demo-2023-02-10-recruitment', kind: 'RECRUITMENT', date: '2023-02-10', held: null },
  { event: 'event:demo-2023-03-01-transit', kind: 'TRANSIT', date: '2023-03-01', to: RIVERBEND, held: RIVERBEND },
  { event: 'event:demo-2023-06-12-transfer', kind: 'TRANSFER', date: '2023-06-12', from: RIVERBEND, to: JADE, held: JADE, price: 8000, currency: 'USD' },
  { event: 'event:demo-2023-10-03-transfer', kind: 'TRANSFER', date: '2023-10-03', from: JADE, to: CLOUDGATE, held: CLOUDGATE, price: 12000, currency: 'USDT' },
  { event: 'event:demo-2024-02-14-transfer', kind: 'TRANSFER', date: '2024-02-14', from: CLOUDGATE, to: SILVER_FERN, held: SILVER_FERN, price: 14000, currency: 'USDT' },
  { event: 'event:demo-2024-09-08-escape', kind: 'ESCAPE', date: '2024-09-08', compound: SILVER_FERN, held: null },
];

describe('investigative traversals on the demo dataset', () => {
  let t: TestServer;
  let investigator: string;
  let journalist: string;
  beforeAll(async () => {
    t = await startTestServer({ datasets: ['demo'] });
    investigator = await t.keyFor('investigator');
    journalist = await t.keyFor('journalist');
  });
  afterAll(() => t.close());

  describe('traceVictim', () => {
    it('returns the full chain of a victim sold three times, in time order, with stays, sellers, buyers, brokers and sources', async () => {
      const res = await t.graphql(TRACE, { id: 'person:demo-victim-0001' }, { key: investigator });
      expect(res.errors).toBeUndefined();
      expect(res.data?.traceVictim).toEqual({
        victim: { id: 'person:demo-victim-0001', name: 'Demo Victim Anong Quillfeather (pseudonym)', pseudonym: expect.stringMatching(/^Victim /) },
        asOf: null,
        heldAt: null,
        exit: { index: 6, event: { id: 'event:demo-2024-09-08-escape' } },
        hasConflicts: false,
        steps: V1_STEPS.map((s, i) => expectedStep(i + 1, s)),
        periods: [
          { compound: { id: RIVERBEND }, from: '2023-03-01', until: '2023-06-12', arrival: { id: V1_STEPS[1]!.event }, departure: { id: V1_STEPS[2]!.event }, open: false },
          { compound: { id: JADE }, from: '2023-06-12', until: '2023-10-03', arrival: { id: V1_STEPS[2]!.event }, departure: { id: V1_STEPS[3]!.event }, open: false },
          { compound: { id: CLOUDGATE }, from: '2023-10-03', until: '2024-02-14', arrival: { id: V1_STEPS[3]!.event }, departure: { id: V1_STEPS[4]!.event }, open: false },
          { compound: { id: SILVER_FERN }, from: '2024-02-14', until: '2024-09-08', arrival: { id: V1_STEPS[4]!.event }, departure: { id: V1_STEPS[5]!.event }, open: false },
        ],
        gaps: [],
      });
    });

    it('flags the gap and the conflicting price claims of victim 0003 instead of hiding them', async () => {
      const res = await t.graphql(TRACE, { id: 'person:demo-victim-0003' }, { key: investigator });
      expect(res.errors).toBeUndefined();
      const transfer = 'event:demo-2023-11-transfer';
      const escape = 'event:demo-2024-07-20-escape';
      const steps: ExpectedStep[] = [
        { event: 'event:demo-2023-08-15-recruitment', kind: 'RECRUITMENT', date: '2023-08-15', held: null },
        { event: 'event:demo-2023-09-01-transit', kind: 'TRANSIT', date: '2023-09-01', to: RIVERBEND, held: RIVERBEND },
        { event: transfer, kind: 'TRANSFER', date: '2023-11', from: RIVERBEND, to: JADE, held: JADE, price: 9000, currency: 'USD' },
        { event: escape, kind: 'ESCAPE', date: '2024-07-20', compound: CLOUDGATE, held: null },
        { event: 'event:demo-2024-08-05-repatriation', kind: 'REPATRIATION', date: '2024-08-05', held: null },
      ];
      const claims = [
        { id: 'claim:demo-2023-11-transfer-price-11000', disputed: true },
        { id: 'claim:demo-2023-11-transfer-price-9000', disputed: true },
      ];
      const chain = res.data?.traceVictim;
      // Claims come in the loader's order; compare them as sets.
      const sortClaims = (step: any) => ({ ...step, claims: [...step.claims].sort((a: any, b: any) => a.id.localeCompare(b.id)), conflicts: [...step.conflicts].sort((a: any, b: any) => a.id.localeCompare(b.id)) });
      expect({ ...chain, steps: chain.steps.map(sortClaims), gaps: chain.gaps.map(({ description: _description, ...g }: any) => g) }).toEqual({
        victim: { id: 'person:demo-victim-0003', name: 'Demo Victim Rizal Marigoldson (pseudonym)', pseudonym: expect.any(String) },
        asOf: null,
        heldAt: null,
        exit: { index: 5, event: { id: 'event:demo-2024-08-05-repatriation' } },
        hasConflicts: true,
        steps: steps.map((s, i) => expectedStep(i + 1, s, s.event === transfer ? claims : [])),
        periods: [
          { compound: { id: RIVERBEND }, from: '2023-09-01', until: '2023-11', arrival: { id: steps[1]!.event }, departure: { id: transfer }, open: false },
          { compound: { id: JADE }, from: '2023-11', until: null, arrival: { id: transfer }, departure: null, open: false },
          { compound: { id: CLOUDGATE }, from: null, until: '2024-07-20', arrival: null, departure: { id: escape }, open: false },
        ],
        gaps: [{ kind: 'UNRECORDED_MOVE', lastKnown: { id: JADE }, nextKnown: { id: CLOUDGATE }, after: { index: 3 }, before: { index: 4 }, from: '2023-11-30', until: '2024-07-20' }],
      });
      expect(chain.gaps[0].description).toContain(JADE);
    });

    it('finds a gap for victim 0003 only: the other four chains have none', async () => {
      const gaps: Record<string, number> = {};
      for (const n of [1, 2, 3, 4, 5]) {
        const id = `person:demo-victim-000${n}`;
        const res = await t.graphql(TRACE, { id }, { key: investigator });
        gaps[id] = res.data?.traceVictim.gaps.length;
      }
      expect(gaps).toEqual({
        'person:demo-victim-0001': 0,
        'person:demo-victim-0002': 0,
        'person:demo-victim-0003': 1,
        'person:demo-victim-0004': 0,
        'person:demo-victim-0005': 0,
      });
    });

    it('answers asOf: on 2024-01-01 victim 0001 is held at Cloudgate, with the later steps left out', async () => {
      const res = await t.graphql(TRACE, { id: 'person:demo-victim-0001', asOf: '2024-01-01' }, { key: investigator });
      const chain = res.data?.traceVictim;
      expect(chain.asOf).toBe('2024-01-01');
      expect(chain.heldAt).toEqual({ id: CLOUDGATE });
      expect(chain.exit).toBeNull();
      expect(chain.steps.map((s: any) => s.event.id)).toEqual(V1_STEPS.slice(0, 4).map((s) => s.event));
      expect(chain.periods[chain.periods.length - 1]).toEqual({
        compound: { id: CLOUDGATE }, from: '2023-10-03', until: null, arrival: { id: V1_STEPS[3]!.event }, departure: null, open: true,
      });
      const later = await t.graphql(TRACE, { id: 'person:demo-victim-0002', asOf: '2024-10-01' }, { key: investigator });
      expect(later.data?.traceVictim.heldAt).toEqual({ id: LANTERN });
      const now = await t.graphql(TRACE, { id: 'person:demo-victim-0002' }, { key: investigator });
      expect(now.data?.traceVictim.heldAt).toBeNull();
      expect(now.data?.traceVictim.periods.map((p: any) => p.compound.id)).toEqual([RIVERBEND, JADE, LANTERN, NEW_FERN]);
    });

    it('shows journalists the chain under the pseudonym only', async () => {
      const res = await t.graphql(TRACE, { id: 'person:demo-victim-0001' }, { key: journalist });
      expect(res.errors).toBeUndefined();
      const chain = res.data?.traceVictim;
      expect(chain.victim.name).toBe(chain.victim.pseudonym);
      expect(chain.steps).toHaveLength(6);
      expect(JSON.stringify(res)).not.toContain(VICTIM_NAME_MARK);
    });

    it('answers null to the public, and null for an id that is no victim', async () => {
      const pub = await t.graphql(TRACE, { id: 'person:demo-victim-0001' });
      expect(pub.data).toEqual({ traceVictim: null });
      expect(JSON.stringify(pub)).not.toContain(VICTIM_NAME_MARK);
      const notVictim = await t.graphql(TRACE, { id: ALPHA }, { key: investigator });
      expect(notVictim.data).toEqual({ traceVictim: null });
    });
  });

  describe('compoundFlows', () => {
    const FLOWS = `query ($filter: FlowFilter, $limit: Int) { compoundFlows(filter: $filter, limit: $limit) { truncated nodes { id label type } edges { id source target type label properties } } }`;
    const flow = (source: string, target: string, count: number, prices: unknown[], firstDate: string, lastDate: string, events: string[]) => ({
      id: `flow:${source}->${target}`, source, target, type: 'TRANSFER_FLOW', label: `${count} transfer${count === 1 ? '' : 's'}`,
      properties: {
        count, prices, firstDate, lastDate, events, disputedEvents: events.filter((id) => DISPUTED_PRICES.has(id)),
        // The flow's citations: every source its transfers cite in the demo dataset, once each, in id order.
        sources: [...new Set(events.flatMap((id) => demoEvent(id).sources))].sort(),
      },
    });
    const stats = (currency: string, count: number, min: number, median: number, max: number, disputed = 0) => ({ currency, count, min, median, max, disputed });
    it('the demo disputes one price, on Riverbend to Jade Harbour', () => {
      expect([...DISPUTED_PRICES]).toEqual(['event:demo-2023-11-transfer']);
    });
    // event:demo-2023-11-transfer is priced 9000 USD; a second claim says 11 000.
    const R_J = flow(RIVERBEND, JADE, 5, [stats('USD', 3, 8000, 8500, 9000, 1), stats('USDT', 2, 9500, 9750, 10000)], '2023-06-12', '2024-01-22', [
      'event:demo-2023-06-12-transfer', 'event:demo-2023-09-05-transfer', 'event:demo-2023-11-transfer', 'event:demo-2023-12-18-transfer', 'event:demo-2024-01-22-transfer',
    ]);
    const J_C = flow(JADE, CLOUDGATE, 3, [stats('USD', 1, 11000, 11000, 11000), stats('USDT', 2, 12000, 12500, 13000)], '2023-10-03', '2024-04-02', [
      'event:demo-2023-10-03-transfer', 'event:demo-2024-03-11-transfer', 'event:demo-2024-04-02-transfer',
    ]);
    const C_S = flow(CLOUDGATE, SILVER_FERN, 1, [stats('USDT', 1, 14000, 14000, 14000)], '2024-02-14', '2024-02-14', ['event:demo-2024-02-14-transfer']);
    const L_N = flow(LANTERN, NEW_FERN, 1, [stats('USD', 1, 10000, 10000, 10000)], '2024-12-10', '2024-12-10', ['event:demo-2024-12-10-transfer']);
    const NAMES: Record<string, string> = {
      [RIVERBEND]: 'Riverbend Demo Park', [JADE]: 'Jade Harbour Demo Zone', [CLOUDGATE]: 'Cloudgate Demo Estate',
      [SILVER_FERN]: 'Silver Fern Demo Camp', [LANTERN]: 'Lantern Bay Demo Complex', [NEW_FERN]: 'New Fern Demo Camp',
    };
    const nodes = (...ids: string[]) => [...ids].sort().map((id) => ({ id, label: NAMES[id], type: 'COMPOUND' }));

    it('gives one edge per ordered pair with counts, price statistics per currency and first/last dates', async () => {
      for (const key of [investigator, journalist, undefined]) {
        const res = await t.graphql(FLOWS, {}, key ? { key } : {});
        expect(res.errors).toBeUndefined();
        expect(res.data?.compoundFlows).toEqual({
          truncated: false,
          nodes: nodes(RIVERBEND, JADE, CLOUDGATE, SILVER_FERN, LANTERN, NEW_FERN),
          edges: [C_S, J_C, L_N, R_J].sort((a, b) => a.id.localeCompare(b.id)),
        });
      }
    });

    it('filters by minimum count, country and date window', async () => {
      const min2 = await t.graphql(FLOWS, { filter: { minCount: 2 } });
      expect(min2.data?.compoundFlows.edges).toEqual([J_C, R_J].sort((a, b) => a.id.localeCompare(b.id)));
      const laos = await t.graphql(FLOWS, { filter: { countries: ['LA'] } });
      expect(laos.data?.compoundFlows).toEqual({ truncated: false, nodes: nodes(LANTERN, NEW_FERN), edges: [L_N] });
      const in2024 = await t.graphql(FLOWS, { filter: { from: '2024-01-01', to: '2024-12-31' } });
      expect(in2024.data?.compoundFlows.edges).toEqual(
        [
          flow(RIVERBEND, JADE, 1, [stats('USDT', 1, 10000, 10000, 10000)], '2024-01-22', '2024-01-22', ['event:demo-2024-01-22-transfer']),
          flow(JADE, CLOUDGATE, 2, [stats('USD', 1, 11000, 11000, 11000), stats('USDT', 1, 13000, 13000, 13000)], '2024-03-11', '2024-04-02', [
            'event:demo-2024-03-11-transfer', 'event:demo-2024-04-02-transfer',
          ]),
          C_S,
          L_N,
        ].sort((a, b) => a.id.localeCompare(b.id)),
      );
    });

    it('follows the victims of one compound onward, hop by hop', async () => {
      const hop = async (hops: number) => (await t.graphql(FLOWS, { filter: { fromCompound: RIVERBEND, hops } }, { key: journalist })).data?.compoundFlows;
      expect(await hop(1)).toEqual({ truncated: false, nodes: nodes(RIVERBEND, JADE), edges: [R_J] });
      // Victim 0002's next transfer leaves from Lantern Bay, not from Jade Harbour: the onward chain stops there.
      expect(await hop(2)).toEqual({ truncated: false, nodes: nodes(RIVERBEND, JADE, CLOUDGATE), edges: [J_C, R_J] });
      expect(await hop(3)).toEqual({ truncated: false, nodes: nodes(RIVERBEND, JADE, CLOUDGATE, SILVER_FERN), edges: [C_S, J_C, R_J] });
    });

    it('does not follow victims beyond one hop for the public: that would link one victim\'s transfers into a chain', async () => {
      const publicHop = async (hops: number) => t.graphql(FLOWS, { filter: { fromCompound: RIVERBEND, hops } });
      expect((await publicHop(1)).data?.compoundFlows).toEqual({ truncated: false, nodes: nodes(RIVERBEND, JADE), edges: [R_J] });
      for (const hops of [2, 3]) {
        const res = await publicHop(hops);
        expect([res.data, res.errors?.map((e) => [e.extensions?.code, e.message])]).toEqual([
          null,
          [['FORBIDDEN', 'Argument "filter.hops" above 1 follows individual victims from transfer to transfer, as a custody chain does: it needs a journalist key or stronger.']],
        ]);
      }
    });

    it('keeps the `limit` flows with most transfers (ties by origin id) and says when it left some out', async () => {
      const flows = async (limit: number, filter: Record<string, unknown> = {}) => {
        const res = await t.graphql(FLOWS, { filter, limit }, { key: journalist });
        expect(res.errors).toBeUndefined();
        return res.data?.compoundFlows;
      };
      expect(await flows(1)).toEqual({ truncated: true, nodes: nodes(RIVERBEND, JADE), edges: [R_J] });
      // C_S and L_N both count 1: Cloudgate's id sorts before Lantern Bay's. Only the kept flows' compounds are nodes.
      expect(await flows(3)).toEqual({ truncated: true, nodes: nodes(RIVERBEND, JADE, CLOUDGATE, SILVER_FERN), edges: [C_S, J_C, R_J] });
      expect(await flows(4)).toEqual({ truncated: false, nodes: nodes(RIVERBEND, JADE, CLOUDGATE, SILVER_FERN, LANTERN, NEW_FERN), edges: [C_S, J_C, L_N, R_J] });
      // The cap counts the flows left after the filters, the onward view's too.
      expect(await flows(1, { minCount: 2 })).toEqual({ truncated: true, nodes: nodes(RIVERBEND, JADE), edges: [R_J] });
      expect(await flows(2, { fromCompound: RIVERBEND, hops: 3 })).toEqual({ truncated: true, nodes: nodes(RIVERBEND, JADE, CLOUDGATE), edges: [J_C, R_J] });
      expect(await flows(1, { countries: ['LA'] })).toEqual({ truncated: false, nodes: nodes(LANTERN, NEW_FERN), edges: [L_N] });
    });
  });

  describe('paths', () => {
    const PATHS = `query ($from: ID!, $to: ID!, $first: Int, $maxHops: Int, $types: [RelationType!], $events: Boolean) {
      paths(from: $from, to: $to, first: $first, maxHops: $maxHops, relationTypes: $types, includeEvents: $events) {
        length nodes { id label type } hops { from { id } to { id } type direction relationId start end position role sources { id } }
      } }`;

    it('explains each hop of the shortest path from a broker to a network', async () => {
      const res = await t.graphql(PATHS, { from: ALPHA, to: RED_CRANE, first: 1 });
      expect(res.errors).toBeUndefined();
      expect(res.data?.paths).toEqual([
        {
          length: 2,
          nodes: [
            { id: ALPHA, label: 'Demo Broker Alpha', type: 'PERSON' },
            { id: RIVERBEND, label: 'Riverbend Demo Park', type: 'COMPOUND' },
            { id: RED_CRANE, label: 'Red Crane Demo Network', type: 'ORGANISATION' },
          ],
          hops: [
            { from: { id: ALPHA }, to: { id: RIVERBEND }, type: 'WORKS_AT', direction: 'FORWARD', relationId: `${ALPHA}|WORKS_AT|${RIVERBEND}`, start: '2023', end: null, position: 'broker', role: null, sources: [{ id: 'source:demo-synthetic' }] },
            { from: { id: RIVERBEND }, to: { id: RED_CRANE }, type: 'OPERATES', direction: 'BACKWARD', relationId: `${RED_CRANE}|OPERATES|${RIVERBEND}`, start: '2021-03', end: '2024-06', position: null, role: null, sources: [{ id: 'source:demo-synthetic' }] },
          ],
        },
      ]);
    });

    it('walks only relationships in force on asOf, open ends included, and no event after it', async () => {
      // Juliet was employed by Bluewater Security (part of Bluewater Holdings) and worked at Jade Harbour (which
      // Bluewater Holdings operates) from 2022 to 2024-05; those are her only links.
      const JULIET = 'person:demo-guard-juliet';
      const AS_OF = `query ($asOf: Date, $events: Boolean, $types: [RelationType!]) {
        paths(from: "${JULIET}", to: "${BLUEWATER}", first: 2, maxHops: 3, asOf: $asOf, includeEvents: $events, relationTypes: $types) { nodes { id } } }`;
      const routes = async (asOf: string | null, events = false, types: string[] | null = null) => {
        const res = await t.graphql(AS_OF, { asOf, events, types });
        expect(res.errors).toBeUndefined();
        return (res.data?.paths as { nodes: { id: string }[] }[]).map((p) => p.nodes.map((n) => n.id).join(' > '));
      };
      const both = [`${JULIET} > ${JADE} > ${BLUEWATER}`, `${JULIET} > organisation:demo-bluewater-security > ${BLUEWATER}`];
      expect(await routes(null)).toEqual(both);
      expect(await routes('2023-06-15')).toEqual(both);
      // Her links end in 2024-05: a date in that month still overlaps them; one after it does not.
      expect(await routes('2024-05')).toEqual(both);
      expect(await routes('2024-06-01')).toEqual([]);
      // Before her links began (2022).
      expect(await routes('2021')).toEqual([]);
      // Through her arrest at Jade Harbour on 2024-05-14, with her own links left out by type: there on the day of the
      // arrest and after it (event links have no period), not the day before.
      const ARREST = 'event:demo-2024-05-14-arrest-guard-juliet';
      const viaRaid = [`${JULIET} > ${ARREST} > ${JADE} > ${BLUEWATER}`];
      expect(await routes(null, true, ['OPERATES', 'PART_OF'])).toEqual(viaRaid);
      expect(await routes('2024-05-14', true, ['OPERATES', 'PART_OF'])).toEqual(viaRaid);
      expect(await routes('2024-05-13', true, ['OPERATES', 'PART_OF'])).toEqual([]);
      const bad = await t.graphql(AS_OF, { asOf: '2024-13' });
      expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('returns every tied shortest path to a company, and the three-hop path to a militia', async () => {
      const ids = (p: any) => p.nodes.map((n: any) => n.id);
      const bluewater = await t.graphql(PATHS, { from: ALPHA, to: BLUEWATER, first: 2 });
      expect(bluewater.data?.paths.map(ids)).toEqual([
        [ALPHA, JADE, BLUEWATER],
        [ALPHA, RIVERBEND, BLUEWATER],
      ]);
      const militia = await t.graphql(PATHS, { from: ALPHA, to: MILITIA, first: 1 });
      expect(militia.data?.paths.map(ids)).toEqual([[ALPHA, RIVERBEND, RED_CRANE, MILITIA]]);
      expect(militia.data?.paths[0].hops.map((h: any) => [h.type, h.direction])).toEqual([
        ['WORKS_AT', 'FORWARD'], ['OPERATES', 'BACKWARD'], ['AFFILIATED_WITH', 'FORWARD'],
      ]);
      const more = await t.graphql(PATHS, { from: ALPHA, to: RED_CRANE, first: 3 });
      expect(more.data?.paths.map((p: any) => p.length)).toEqual([2, 3, 3]);
    });

    it('honours relationship-type filters and finds no path to the police over relationships alone', async () => {
      const onlyWorks = await t.graphql(PATHS, { from: ALPHA, to: RED_CRANE, types: ['WORKS_AT'] });
      expect(onlyWorks.data?.paths).toEqual([]);
      const police = await t.graphql(PATHS, { from: ALPHA, to: 'organisation:demo-provincial-police' });
      expect(police.data?.paths).toEqual([]);
      const viaEvents = await t.graphql(PATHS, { from: ALPHA, to: 'organisation:demo-provincial-police', first: 3, events: true });
      expect(viaEvents.data?.paths.map((p: any) => p.length)).toEqual([3, 3, 3]);
      for (const p of viaEvents.data?.paths ?? []) {
        expect(p.nodes[2].type).toBe('EVENT');
        expect(p.hops[2]).toMatchObject({ type: 'INVOLVES', direction: 'FORWARD' });
        expect(p.hops[2].sources.length).toBeGreaterThan(0);
      }
    });

    it('shows victims on paths to journalists by pseudonym only, and never to the public', async () => {
      const vars = { from: 'person:demo-victim-0001', to: 'person:demo-recruiter-delta', first: 1, events: true };
      const inv = await t.graphql(PATHS, vars, { key: investigator });
      expect(inv.data?.paths[0].nodes[0].label).toBe('Demo Victim Anong Quillfeather (pseudonym)');
      const jou = await t.graphql(PATHS, vars, { key: journalist });
      expect(jou.data?.paths.map((p: any) => p.nodes.map((n: any) => n.id))).toEqual(inv.data?.paths.map((p: any) => p.nodes.map((n: any) => n.id)));
      expect(jou.data?.paths[0].nodes[0].label).toMatch(/^Victim [A-Z2-9]{4}-[A-Z2-9]{4}$/);
      expect(JSON.stringify(jou)).not.toContain(VICTIM_NAME_MARK);
      const pub = await t.graphql(PATHS, vars);
      expect(pub.data?.paths).toEqual([]);
      // Between two non-victims, the public's paths never pass through a victim.
      const around = await t.graphql(PATHS, { from: 'person:demo-recruiter-delta', to: 'person:demo-recruiter-echo', first: 10, maxHops: 4, events: true });
      expect(around.data?.paths.length).toBeGreaterThan(0);
      expect(around.data?.paths.flatMap((p: any) => p.nodes.map((n: any) => n.id)).filter((id: string) => id.includes('victim'))).toEqual([]);
      expect(JSON.stringify(around)).not.toContain(VICTIM_NAME_MARK);
    });
  });

  describe('network', () => {
    const NETWORK = `query ($ids: [ID!]!, $depth: Int, $limit: Int, $asOf: Date, $events: Boolean) {
      network(ids: $ids, depth: $depth, limit: $limit, asOf: $asOf, includeEvents: $events) {
        truncated nodes { id label type properties } edges { id source target from to type label properties } cytoscape } }`;
    const PATH_SOURCES = `query ($from: ID!, $to: ID!) { paths(from: $from, to: $to, first: 1, maxHops: 1, includeEvents: true) { hops { sources { id } } } }`;
    const edgeIds = (slice: any) => slice.edges.map((e: any) => e.id);
    const nodeIds = (slice: any) => slice.nodes.map((n: any) => n.id);
    const OPS_RED = `${RED_CRANE}|OPERATES|${RIVERBEND}`;
    const OPS_BLUE = `${BLUEWATER}|OPERATES|${RIVERBEND}`;
    const WORKS = ['person:demo-broker-alpha', 'person:demo-broker-bravo', 'person:demo-guard-india', 'person:demo-recruiter-delta'].map((p) => `${p}|WORKS_AT|${RIVERBEND}`);

    it('gives the slice of a compound: its operators and staff, with every edge among them', async () => {
      const res = await t.graphql(NETWORK, { ids: [RIVERBEND] });
      expect(res.errors).toBeUndefined();
      const slice = res.data?.network;
      expect(slice.truncated).toBe(false);
      expect(nodeIds(slice)).toEqual([RIVERBEND, BLUEWATER, RED_CRANE, ALPHA, 'person:demo-broker-bravo', 'person:demo-guard-india', 'person:demo-recruiter-delta'].sort());
      expect(edgeIds(slice)).toEqual(
        [
          OPS_RED, OPS_BLUE, ...WORKS,
          `${BLUEWATER}|AFFILIATED_WITH|${RED_CRANE}`,
          `person:demo-guard-india|MEMBER_OF|${RED_CRANE}`,
          `person:demo-recruiter-delta|EMPLOYED_BY|${RED_CRANE}`,
        ].sort(),
      );
      expect(slice.nodes.find((n: any) => n.id === RIVERBEND)).toEqual({
        id: RIVERBEND, label: 'Riverbend Demo Park', type: 'COMPOUND',
        properties: expect.objectContaining({ name: 'Riverbend Demo Park', country: 'kh', status: 'operating', dataset: 'demo', synthetic: true, sources: ['source:demo-synthetic'] }),
      });
      expect(slice.edges.find((e: any) => e.id === OPS_RED)).toEqual({
        id: OPS_RED, source: RED_CRANE, target: RIVERBEND, from: RED_CRANE, to: RIVERBEND, type: 'OPERATES', label: 'OPERATES',
        properties: { start: '2021-03', end: '2024-06', sources: ['source:demo-synthetic'] },
      });
      // The Cytoscape elements are the same nodes and edges, with properties spread into data.
      expect(slice.cytoscape).toEqual([
        ...slice.nodes.map((n: any) => ({ group: 'nodes', data: { ...n.properties, id: n.id, label: n.label, type: n.type } })),
        ...slice.edges.map((e: any) => ({ group: 'edges', data: { ...e.properties, id: e.id, source: e.source, target: e.target, type: e.type, label: e.label } })),
      ]);
    });

    it('answers asOf: Red Crane operates Riverbend on 2024-01-01, Bluewater on 2025-01-01', async () => {
      const staff = ['person:demo-broker-alpha', 'person:demo-broker-bravo', 'person:demo-guard-india', 'person:demo-recruiter-delta'];
      const before = (await t.graphql(NETWORK, { ids: [RIVERBEND], asOf: '2024-01-01' })).data?.network;
      expect(nodeIds(before)).toEqual([RIVERBEND, RED_CRANE, ...staff].sort());
      expect(edgeIds(before)).toEqual(
        [OPS_RED, ...WORKS, `person:demo-guard-india|MEMBER_OF|${RED_CRANE}`, `person:demo-recruiter-delta|EMPLOYED_BY|${RED_CRANE}`].sort(),
      );
      const after = (await t.graphql(NETWORK, { ids: [RIVERBEND], asOf: '2025-01-01' })).data?.network;
      expect(nodeIds(after)).toEqual([RIVERBEND, BLUEWATER, ...staff].sort());
      expect(edgeIds(after)).toEqual([OPS_BLUE, ...WORKS].sort());
    });

    it('cuts a large neighbourhood at the limit, nearest nodes first, and says so', async () => {
      const res = await t.graphql(NETWORK, { ids: [RIVERBEND], depth: 2, limit: 3 });
      expect(res.data?.network.truncated).toBe(true);
      expect(nodeIds(res.data?.network)).toEqual([RIVERBEND, BLUEWATER, RED_CRANE].sort());
      expect(edgeIds(res.data?.network)).toEqual([OPS_BLUE, OPS_RED, `${BLUEWATER}|AFFILIATED_WITH|${RED_CRANE}`].sort());
    });

    it('shows victims to journalists by pseudonym without identity properties, and hides them from the public', async () => {
      const vars = { ids: [JADE], depth: 2, events: true };
      const inv = (await t.graphql(NETWORK, vars, { key: investigator })).data?.network;
      const jouRes = await t.graphql(NETWORK, vars, { key: journalist });
      const pubRes = await t.graphql(NETWORK, vars);
      const jou = jouRes.data?.network;
      const pub = pubRes.data?.network;
      const victims = nodeIds(inv).filter((id: string) => id.startsWith('person:demo-victim-'));
      expect(victims).toEqual(['person:demo-victim-0001', 'person:demo-victim-0002', 'person:demo-victim-0003', 'person:demo-victim-0004', 'person:demo-victim-0005']);
      expect(JSON.stringify(inv)).toContain(VICTIM_NAME_MARK);
      expect(nodeIds(jou)).toEqual(nodeIds(inv));
      expect(edgeIds(jou)).toEqual(edgeIds(inv));
      for (const node of jou.nodes.filter((n: any) => victims.includes(n.id))) {
        expect(node.label).toBe(node.properties.pseudonym);
        expect(Object.keys(node.properties).sort()).toEqual(['ageBand', 'dataset', 'isVictim', 'pseudonym', 'roles', 'sources', 'synthetic']);
      }
      expect(JSON.stringify(jouRes)).not.toContain(VICTIM_NAME_MARK);
      expect(nodeIds(pub)).toEqual(nodeIds(inv).filter((id: string) => !victims.includes(id)));
      expect(edgeIds(pub)).toEqual(inv.edges.filter((e: any) => !victims.includes(e.source) && !victims.includes(e.target)).map((e: any) => e.id));
      expect(JSON.stringify(pubRes)).not.toContain(VICTIM_NAME_MARK);
      const victimOnly = await t.graphql(NETWORK, { ids: ['person:demo-victim-0001'], events: true });
      expect(victimOnly.data?.network).toEqual({ truncated: false, nodes: [], edges: [], cytoscape: [] });
    });

    it('answers depth 0 with the start nodes alone and the edges among them, cut at the limit', async () => {
      const res = await t.graphql(NETWORK, { ids: [RIVERBEND, BLUEWATER, RED_CRANE], depth: 0 });
      expect(res.errors).toBeUndefined();
      expect(nodeIds(res.data?.network)).toEqual([RIVERBEND, BLUEWATER, RED_CRANE]);
      expect(edgeIds(res.data?.network)).toEqual([`${BLUEWATER}|AFFILIATED_WITH|${RED_CRANE}`, OPS_BLUE, OPS_RED]);
      expect(res.data?.network.truncated).toBe(false);
      // The staff and the other compounds one hop away are not there.
      const cut = await t.graphql(NETWORK, { ids: [RIVERBEND, BLUEWATER, RED_CRANE], depth: 0, limit: 2 });
      expect(cut.errors).toBeUndefined();
      expect({ truncated: cut.data?.network.truncated, nodes: nodeIds(cut.data?.network), edges: edgeIds(cut.data?.network) }).toEqual({
        truncated: true, nodes: [RIVERBEND, BLUEWATER], edges: [OPS_BLUE],
      });
    });

    it('answers depth 0 for every role, a hidden victim exactly as an id that names nothing', async () => {
      const V3_TRANSFER = 'event:demo-2023-11-transfer';
      const VICTIM = 'person:demo-victim-0003';
      const BOTH_SOURCES = ['source:demo-synthetic', 'source:demo-synthetic-casefile-b'];
      const ids = [V3_TRANSFER, RIVERBEND, JADE, ALPHA, VICTIM];
      const edge = (id: string, source: string, target: string, type: string, label: string, properties: Record<string, unknown>) => ({
        id, source, target, from: source, to: target, type, label, properties,
      });
      const eventEdges = [
        edge(`${V3_TRANSFER}|FROM|${RIVERBEND}`, V3_TRANSFER, RIVERBEND, 'FROM', 'FROM', { sources: BOTH_SOURCES }),
        edge(`${V3_TRANSFER}|INVOLVES|${ALPHA}|broker`, V3_TRANSFER, ALPHA, 'INVOLVES', 'broker', { role: 'broker', sources: BOTH_SOURCES }),
        edge(`${V3_TRANSFER}|INVOLVES|${VICTIM}|victim`, V3_TRANSFER, VICTIM, 'INVOLVES', 'victim', { role: 'victim', sources: BOTH_SOURCES }),
        edge(`${V3_TRANSFER}|TO|${JADE}`, V3_TRANSFER, JADE, 'TO', 'TO', { sources: BOTH_SOURCES }),
      ];
      const staffEdges = [JADE, RIVERBEND].map((c) =>
        edge(`${ALPHA}|WORKS_AT|${c}`, ALPHA, c, 'WORKS_AT', 'WORKS_AT (broker)', { start: '2023', position: 'broker', sources: ['source:demo-synthetic'] }),
      );
      const expectedEdges = [...eventEdges, ...staffEdges].sort((a, b) => a.id.localeCompare(b.id));
      const shown = [V3_TRANSFER, RIVERBEND, JADE, ALPHA, VICTIM].sort();

      const inv = await t.graphql(NETWORK, { ids, depth: 0, events: true }, { key: investigator });
      expect(inv.errors).toBeUndefined();
      expect(nodeIds(inv.data?.network)).toEqual(shown);
      expect(inv.data?.network.edges).toEqual(expectedEdges);
      expect(inv.data?.network.nodes.find((n: any) => n.id === VICTIM).label).toContain(VICTIM_NAME_MARK);

      const jou = await t.graphql(NETWORK, { ids, depth: 0, events: true }, { key: journalist });
      expect(jou.errors).toBeUndefined();
      expect(nodeIds(jou.data?.network)).toEqual(shown);
      expect(jou.data?.network.edges).toEqual(expectedEdges);
      expect(jou.data?.network.nodes.find((n: any) => n.id === VICTIM).label).toMatch(/^Victim [A-Z2-9]{4}-[A-Z2-9]{4}$/);
      expect(JSON.stringify(jou)).not.toContain(VICTIM_NAME_MARK);

      const pub = await t.graphql(NETWORK, { ids, depth: 0, events: true });
      expect(pub.errors).toBeUndefined();
      expect(nodeIds(pub.data?.network)).toEqual(shown.filter((id) => id !== VICTIM));
      expect(pub.data?.network.edges).toEqual(expectedEdges.filter((e) => e.target !== VICTIM));
      const nothing = await t.graphql(NETWORK, { ids: [V3_TRANSFER, RIVERBEND, JADE, ALPHA, 'person:demo-victim-9999'], depth: 0, events: true });
      expect(JSON.stringify(pub)).toBe(JSON.stringify(nothing));
      for (const key of [investigator, journalist, undefined]) {
        const alone = await t.graphql(NETWORK, { ids: ['person:demo-victim-9999'], depth: 0, events: true }, key ? { key } : {});
        expect(alone.data?.network).toEqual({ truncated: false, nodes: [], edges: [], cytoscape: [] });
      }
      const victimAlone = await t.graphql(NETWORK, { ids: [VICTIM], depth: 0, events: true });
      expect(JSON.stringify(victimAlone)).toBe(JSON.stringify(await t.graphql(NETWORK, { ids: ['person:demo-victim-9999'], depth: 0, events: true })));
    });

    it("cites an event's sources on its AT, FROM and TO edges, as paths cites the same hops", async () => {
      const res = await t.graphql(NETWORK, { ids: [JADE], depth: 1, events: true });
      expect(res.errors).toBeUndefined();
      const slice = res.data?.network;
      const eventSources = new Map<string, string[]>(slice.nodes.filter((n: any) => n.type === 'EVENT').map((n: any) => [n.id, n.properties.sources]));
      const compoundLinks = slice.edges.filter((e: any) => ['AT', 'FROM', 'TO'].includes(e.type));
      // Every event at Jade Harbour (AT) and every transfer into (TO) or out of it (FROM), as the dataset records them.
      const recorded = demo.events.flatMap((e) =>
        (['compound', 'fromCompound', 'toCompound'] as const)
          .filter((k) => e[k] === JADE)
          .map((k) => `${e.id}|${{ compound: 'AT', fromCompound: 'FROM', toCompound: 'TO' }[k]}|${JADE}`),
      );
      expect(recorded).toHaveLength(14);
      expect(compoundLinks.map((e: any) => e.id).sort()).toEqual(recorded.sort());
      for (const e of slice.edges.filter((x: any) => eventSources.has(x.source))) {
        expect({ edge: e.id, sources: e.properties.sources }).toEqual({ edge: e.id, sources: demoEvent(e.source).sources });
      }
      expect(slice.edges.find((e: any) => e.id === `event:demo-2024-05-14-raid-jade-harbour|AT|${JADE}`).properties).toEqual({
        sources: ['source:demo-synthetic', 'source:demo-synthetic-casefile-b'],
      });
      // The same link as a hop of a path carries the same sources.
      for (const link of compoundLinks) {
        const path = await t.graphql(PATH_SOURCES, { from: link.source, to: JADE });
        expect(path.errors).toBeUndefined();
        expect({ link: link.id, sources: path.data?.paths[0].hops[0].sources.map((s: any) => s.id) }).toEqual({ link: link.id, sources: link.properties.sources });
      }
    });
  });

  describe('timeline', () => {
    const TIMELINE = `query ($ids: [ID!], $filter: TimelineFilter) { timeline(ids: $ids, filter: $filter) {
      id date kind participants { role entity { id name } } sources { id } } }`;

    it('lists the events at a compound in date order, partial dates kept', async () => {
      const res = await t.graphql(TIMELINE, { ids: [JADE] });
      expect(res.errors).toBeUndefined();
      expect(res.data?.timeline.map((e: any) => e.id)).toEqual([
        'event:demo-2022-01-status-jade-harbour-operating', 'event:demo-2023-06-12-transfer', 'event:demo-2023-09-05-transfer',
        'event:demo-2023-10-03-transfer', 'event:demo-2023-11-transfer', 'event:demo-2023-12-18-transfer',
        'event:demo-2024-01-22-transfer', 'event:demo-2024-03-11-transfer', 'event:demo-2024-04-02-transfer',
        'event:demo-2024-05-14-arrest-guard-juliet', 'event:demo-2024-05-14-raid-jade-harbour', 'event:demo-2024-05-15-status-jade-harbour-raided',
        'event:demo-2024-05-16-release', 'event:demo-2024-08-01-status-jade-harbour-operating',
      ]);
      const partial = res.data?.timeline.find((e: any) => e.id === 'event:demo-2023-11-transfer');
      expect(partial.date).toBe('2023-11');
      expect(partial.sources).toEqual(demoEvent(partial.id).sources.map((id) => ({ id })));
      // The public sees the events but not the victim among their participants.
      expect(partial.participants.map((p: any) => `${p.role}:${p.entity.id}`).sort()).toEqual(
        demoEvent(partial.id).participants.filter((p) => p.role !== 'victim').map((p) => `${p.role.toUpperCase()}:${p.id}`).sort(),
      );
    });

    it('filters by kind and period, across all events when no ids are given', async () => {
      const res = await t.graphql(TIMELINE, { filter: { kinds: ['TRANSFER'], from: '2024-01-01', to: '2024-12-31' } });
      expect(res.data?.timeline.map((e: any) => e.id)).toEqual([
        'event:demo-2024-01-22-transfer', 'event:demo-2024-02-14-transfer', 'event:demo-2024-03-11-transfer',
        'event:demo-2024-04-02-transfer', 'event:demo-2024-12-10-transfer',
      ]);
      const alpha = await t.graphql(TIMELINE, { ids: [ALPHA] });
      expect(alpha.data?.timeline.map((e: any) => e.id)).toEqual([
        'event:demo-2023-06-12-transfer', 'event:demo-2023-09-05-transfer', 'event:demo-2023-11-transfer', 'event:demo-2023-12-18-transfer',
      ]);
    });

    it("gives journalists a victim's timeline under the pseudonym, and the public nothing", async () => {
      const inv = await t.graphql(TIMELINE, { ids: ['person:demo-victim-0001'] }, { key: investigator });
      expect(inv.data?.timeline.map((e: any) => e.id)).toEqual(V1_STEPS.map((s) => s.event));
      const jou = await t.graphql(TIMELINE, { ids: ['person:demo-victim-0001'] }, { key: journalist });
      expect(jou.data?.timeline.map((e: any) => e.id)).toEqual(V1_STEPS.map((s) => s.event));
      expect(JSON.stringify(jou)).not.toContain(VICTIM_NAME_MARK);
      const pub = await t.graphql(TIMELINE, { ids: ['person:demo-victim-0001'] });
      expect(pub.data?.timeline).toEqual([]);
    });
  });

  describe('guard rails', () => {
    it.each([
      ['paths', 'maxHops', '{ paths(from: "person:demo-broker-alpha", to: "organisation:demo-red-crane-network", maxHops: 11) { length } }'],
      ['paths', 'first', '{ paths(from: "person:demo-broker-alpha", to: "organisation:demo-red-crane-network", first: 11) { length } }'],
      ['network', 'depth', '{ network(ids: ["compound:demo-jade-harbour"], depth: 4) { truncated } }'],
      ['network', 'limit', '{ network(ids: ["compound:demo-jade-harbour"], limit: 5001) { truncated } }'],
      ['network', 'ids', '{ network(ids: []) { truncated } }'],
      ['compoundFlows', 'filter.hops', '{ compoundFlows(filter: { fromCompound: "compound:demo-riverbend-park", hops: 6 }) { truncated } }'],
      ['compoundFlows', 'limit', '{ compoundFlows(limit: 10001) { truncated } }'],
      ['timeline', 'filter.first', '{ timeline(filter: { first: 1001 }) { id } }'],
    ])('%s rejects an over-cap %s with BAD_USER_INPUT naming it', async (_field, argument, query) => {
      const res = await t.graphql(query);
      expect(res.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument });
      expect(res.errors?.[0]?.message).toContain(`"${argument}"`);
    });

    it.each([
      ['events', '{ events(filter: { from: "2025", to: "2024-12" }) { totalCount } }', 'filter.to'],
      ['compoundFlows', '{ compoundFlows(filter: { from: "2025-03-02", to: "2025-03-01" }) { truncated } }', 'filter.to'],
      ['timeline', '{ timeline(filter: { from: "2026", to: "2020" }) { id } }', 'filter.to'],
      ['sources', '{ sources(filter: { publishedFrom: "2025-11", publishedTo: "2025-10-31" }) { totalCount } }', 'filter.publishedTo'],
    ])('%s refuses a period that ends before it begins, naming its end', async (_field, query, argument) => {
      const res = await t.graphql(query);
      expect(res.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument });
      expect(res.errors?.[0]?.message).toMatch(new RegExp(`^Argument "${argument}" \\(.+\\) ends before ".+" \\(.+\\) begins\\.$`));
    });

    it.each([
      ['{ events(filter: { sourceId: "bad id" }) { totalCount } }', 'filter.sourceId'],
      ['{ events(filter: { compoundId: "person:chen-zhi" }) { totalCount } }', 'filter.compoundId'],
      ['{ events(filter: { participantId: "xx" }) { totalCount } }', 'filter.participantId'],
      ['{ compounds(filter: { operatorId: "not an id" }) { totalCount } }', 'filter.operatorId'],
      ['{ compounds(filter: { sourceId: "compound:demo-cloudgate" }) { totalCount } }', 'filter.sourceId'],
      ['{ organisations(filter: { sourceId: "source" }) { totalCount } }', 'filter.sourceId'],
      ['{ persons(filter: { sourceId: "person:chen-zhi" }) { totalCount } }', 'filter.sourceId'],
    ])('%s is BAD_USER_INPUT naming the filter, not an empty list', async (query, argument) => {
      const res = await t.graphql(query);
      expect(res.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument });
      expect(res.errors?.[0]?.message).toContain(`"${argument}"`);
    });

    it('takes a period whose end is a day inside its month or year start', async () => {
      const res = await t.graphql('{ events(filter: { from: "2024-05", to: "2024-05-14" }) { totalCount } y: events(filter: { from: "2024", to: "2024-01-01" }) { totalCount } }');
      expect(res.errors).toBeUndefined();
      expect(res.data!.events.totalCount).toBeGreaterThan(0);
    });

    it('rejects a malformed asOf date with BAD_USER_INPUT, the value and where it is written', async () => {
      const res = await t.graphql('{ traceVictim(id: "person:demo-victim-0001", asOf: "2024-13") { heldAt { id } } }');
      expect(res.errors).toEqual([
        {
          message: 'Date must be a string of the form YYYY, YYYY-MM or YYYY-MM-DD; got "2024-13".',
          locations: [{ line: 1, column: 52 }],
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ]);
      expect(res.status).toBe(400);
      expect(res.data).toBeUndefined();
    });
  });

  describe('query plans', () => {
    const planNotes: { cypher: string; dbHits: number; notes: string[] }[] = [];
    /** Operator names of a PROFILEd statement's plan, depth first. */
    async function planOperators(statement: Statement): Promise<string[]> {
      const session = t.driver.session({ database: t.config.neo4jDatabase });
      try {
        const result = await session.run(`PROFILE ${statement.cypher}`, statement.params);
        const names: string[] = [];
        const notes: string[] = [];
        let dbHits = 0;
        const walk = (plan: { operatorType: string; children: unknown[]; dbHits: number; arguments: Record<string, unknown> }) => {
          names.push(plan.operatorType.replace(/@.*$/, ''));
          dbHits += plan.dbHits;
          if (/Scan|Seek|ShortestPath/.test(plan.operatorType)) notes.push(`${plan.operatorType.replace(/@.*$/, '')} ${String(plan.arguments.Details ?? '')}`);
          for (const child of plan.children) walk(child as never);
        };
        walk(result.summary.profile as never);
        planNotes.push({ cypher: statement.cypher.split('\n')[0] ?? '', dbHits, notes });
        return names;
      } finally {
        await session.close();
      }
    }
    const scope = { relationTypes: [...RELATION_TYPES], includeEvents: true, victimsVisible: false, asOf: undefined };

    it('starts every hot traversal from an index seek, never an all-nodes scan', async () => {
      const plans: Record<string, string[]> = {
        trace: await planOperators(findVictimEvents('person:demo-victim-0001', null)),
        allFlows: await planOperators(findCompoundFlows({ countries: null, from: undefined, to: undefined, minCount: 1, onward: null, limit: 1000 })),
        onwardFlows: await planOperators(findCompoundFlows({ countries: null, from: undefined, to: undefined, minCount: 1, onward: { compoundId: RIVERBEND, hops: 3 }, limit: 1000 })),
        paths: await planOperators(findShortestPaths(ALPHA, RED_CRANE, 3, 6, scope)),
        neighbourhood: await planOperators(findNeighbourhood([JADE], 2, 500, scope)),
        startNodes: await planOperators(findNeighbourhood([JADE, BLUEWATER], 0, 500, scope)),
        edges: await planOperators(findEdgesAmong([JADE, BLUEWATER], scope)),
        timeline: await planOperators(findTimelineEvents({ ids: [JADE], kinds: null, from: undefined, to: undefined, first: 200, victimsVisible: false })),
      };
      console.log(JSON.stringify(planNotes, null, 1));
      for (const [name, operators] of Object.entries(plans)) {
        expect({ name, allNodesScan: operators.includes('AllNodesScan') }).toEqual({ name, allNodesScan: false });
        // The network-wide flow aggregation reads every transfer by design: one label scan, then expands.
        if (name !== 'allFlows') expect({ name, seeks: operators.some((o) => /IndexSeek/.test(o)) }).toEqual({ name, seeks: true });
      }
      expect(plans.allFlows?.filter((o) => /Scan|Seek/.test(o))).toEqual(['NodeByLabelScan']);
      expect(plans.paths).toContain('StatefulShortestPath(Into)');
      expect(plans.neighbourhood?.some((o) => o.startsWith('StatefulShortestPath'))).toBe(true);
    });
  });
});
