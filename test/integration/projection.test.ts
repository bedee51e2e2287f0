import { getNamedType, isInterfaceType, isLeafType, isNonNullType, isObjectType, type GraphQLObjectType } from 'graphql';
import { startTestServer, type TestServer } from '../helpers/testServer';
import { createSchema } from '../../src/schema';
import { ENTITY_TYPES, PROPERTIES_READ, projectionOf, relationProjectionAt } from '../../src/common/projection';
import { RELATION_TYPES } from '../../src/relation/relation.model';
import { CHAIN_EVENT_PROPERTIES, chainProjections } from '../../src/trace/chainProjection';
import { parse, type OperationDefinitionNode, type FieldNode } from 'graphql';

/**
 * Projections (src/common/projection.ts) fetch only the properties a query selects on related nodes and
 * list rows. This checks every field of the projection table, for every role, against the same fields
 * read through `nodes(ids:)`, which always loads whole records: any property the table forgot would
 * show up as a difference.
 */

type Role = 'investigator' | 'journalist' | 'public';
const ROLES: Role[] = ['investigator', 'journalist', 'public'];
const schema = createSchema();

/** Every projectable field of `type` as a selection: leaves as they are, object fields as `{ id }`. */
function selectionOf(typeName: string): string {
  const type = schema.getType(typeName) as GraphQLObjectType;
  const fields = Object.keys(PROPERTIES_READ[typeName] ?? {}).filter((name) => name !== '__typename');
  return fields
    .map((name) => {
      const field = type.getFields()[name];
      if (!field) throw new Error(`${typeName}.${name} is in the projection table but not in the schema`);
      if (field.args.some((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined)) return '';
      const named = getNamedType(field.type);
      // Aliased by type: fields of one name differ in type across types (Compound.country, Organisation.country).
      const alias = `${typeName}_${name}: ${name}`;
      if (isLeafType(named)) return alias;
      // Object fields (sources, claims, relations, events, members, ...) load by id: their ids are enough.
      if ((isObjectType(named) || isInterfaceType(named)) && named.getFields().id) return `${alias} { id }`;
      if (isObjectType(named) && named.getFields().other) return `${alias} { other { id } }`;
      if (isObjectType(named) && named.getFields().event) return `${alias} { event { id } }`;
      if (isObjectType(named) && named.getFields().entity) return `${alias} { entity { id } }`;
      throw new Error(`no selection for ${typeName}.${name}`);
    })
    .filter(Boolean)
    .join(' ');
}

const on = (type: string) => `... on ${type} { id __typename ${selectionOf(type)} }`;
const ENTITY = `id ${on('Compound')} ${on('Organisation')} ${on('Person')}`;
/** The demonstration victims: the custody chain projects its events, participants, compounds and sources. */
const VICTIMS = [1, 2, 3, 4, 5].map((n) => `person:demo-victim-000${n}`);
const STEP = `event { ...E } compound { ...C } fromCompound { ...C } toCompound { ...C } heldAfter { ...C }
  sellers { ...N } buyers { ...N } brokers { ...N } recruiters { ...N } sources { ...S }`;
/** Every place of a chain a node is in, through named fragments (the chain projects through them too). */
const CHAINS = `{ ${VICTIMS.map((id, i) => `v${i}: traceVictim(id: "${id}") { ...Chain }`).join(' ')} }
  fragment Chain on CustodyChain { steps { ...Step } exit { ...Step } heldAt { ...C }
    gaps { lastKnown { ...C } nextKnown { ...C } after { ...Step } before { ...Step } }
    periods { compound { ...C } arrival { ...E } departure { ...E } } }
  fragment Step on CustodyStep { ${STEP} }
  fragment E on Event { id __typename ${selectionOf('Event')} }
  fragment C on Compound { id __typename ${selectionOf('Compound')} }
  fragment S on Source { id __typename ${selectionOf('Source')} }
  fragment N on Entity { ${ENTITY} }`;

/** Queries whose related nodes and rows are all projected, covering every way in: lists, relations, events. */
const QUERIES: Record<string, string> = {
  compoundList: `{ compounds(first: 100) { nodes { ${on('Compound')} } } }`,
  organisationList: `{ organisations(first: 100) { edges { node { ${on('Organisation')} } } } }`,
  personList: `{ persons(first: 100) { nodes { ${on('Person')} } } }`,
  eventList: `{ events(first: 100) { nodes { ${on('Event')} } } }`,
  compoundRelations: `{ compounds(first: 100) { nodes { id
      operators { other { ${ENTITY} } } staff { other { ${ENTITY} } } protectors { other { ${ENTITY} } }
      relations { other { ${ENTITY} } } events(first: 100) { event { ${on('Event')} } } } } }`,
  organisationRelations: `{ organisations(first: 100) { nodes { id
      members { other { ${ENTITY} } } compounds { other { ${ENTITY} } } linkedOrganisations { other { ${ENTITY} } }
      events(first: 100) { event { ${on('Event')} } } } } }`,
  searchCompounds: `{ search(query: "park", types: [COMPOUND], first: 100) { edges { score node { ${on('Compound')} } } } }`,
  searchEntities: `{ search(query: "demo", types: [COMPOUND, ORGANISATION, PERSON, EVENT], first: 100) { edges { node { id
      ${on('Compound')} ${on('Organisation')} ${on('Person')} ${on('Event')} } } } }`,
  custodyChains: CHAINS,
  sourceList: `{ sources(first: 100) { nodes { ${on('Source')} } } }`,
  personRelations: `{ persons(first: 100) { nodes { id
      organisations { other { ${ENTITY} } } compounds { other { ${ENTITY} } } relations { other { ${ENTITY} } }
      events(first: 100) { event { ${on('Event')} } } } } }`,
};

/** Every object with an id and a __typename in an answer, by id. */
function recordsIn(value: unknown, out = new Map<string, Record<string, unknown>>()): Map<string, Record<string, unknown>> {
  if (Array.isArray(value)) value.forEach((v) => recordsIn(v, out));
  else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.id === 'string' && typeof record.__typename === 'string') out.set(record.id, record);
    Object.values(record).forEach((v) => recordsIn(v, out));
  }
  return out;
}

describe('projections give the same answers as whole records', () => {
  let t: TestServer;
  const keys: Partial<Record<Role, string>> = {};

  beforeAll(async () => {
    // The generated queries alias every field and go deep; the operation limits are not under test here.
    t = await startTestServer({ datasets: ['public-record', 'demo'], env: { TG_MAX_ALIASES: '10000', TG_MAX_COST: '1000000000', TG_MAX_TOKENS: '100000' } });
    keys.investigator = await t.keyFor('investigator');
    keys.journalist = await t.keyFor('journalist');
  });
  afterAll(() => t.close());

  it('projects the relation ends, events and rows of these queries (they select only table fields)', () => {
    const inner = (selection: string) =>
      ((parse(`{ x { ${selection} } }`).definitions[0] as OperationDefinitionNode).selectionSet.selections[0] as FieldNode).selectionSet;
    for (const type of Object.keys(PROPERTIES_READ)) expect([type, projectionOf(inner(on(type)), {}, [type])]).toEqual([type, expect.any(Array)]);
    expect(projectionOf(inner(ENTITY), {}, ENTITY_TYPES)).toEqual(expect.arrayContaining(['name', 'aliases', 'kind', 'roles']));
    // The custody chains below are projected too, through their named fragments: none of the three kinds is whole.
    const document = parse(CHAINS);
    const fragments = Object.fromEntries(document.definitions.flatMap((d) => (d.kind === 'FragmentDefinition' ? [[d.name.value, d]] : [])));
    const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
    const chain = chainProjections({ fieldNodes: [operation.selectionSet.selections[0] as FieldNode], fragments });
    expect(chain).toEqual({ events: expect.any(Array), entities: expect.any(Array), referenced: expect.any(Array) });
    expect(chain.events).toEqual(expect.arrayContaining([...CHAIN_EVENT_PROPERTIES, 'title']));
    expect(chain.referenced).toEqual(expect.arrayContaining(['name', 'publisher', 'retiredAt']));
  });

  it.each(ROLES)('as %s, every projected field equals the whole-record answer', async (role) => {
    const key = keys[role];
    let compared = 0;
    for (const [name, query] of Object.entries(QUERIES)) {
      const res = await t.graphql<Record<string, unknown>>(query, {}, key ? { key } : {});
      expect([name, res.errors]).toEqual([name, undefined]);
      if (name === 'custodyChains' && role === 'public') {
        // The public traces no victim.
        expect(Object.values(res.data!)).toEqual(VICTIMS.map(() => null));
        continue;
      }
      const projected = recordsIn(res.data);
      expect(projected.size).toBeGreaterThan(0);
      const ids = [...projected.keys()];
      const whole = await t.graphql<{ nodes: unknown[] }>(
        `query($ids: [ID!]!) { nodes(ids: $ids) { id ${on('Compound')} ${on('Organisation')} ${on('Person')} ${on('Event')} ${on('Source')} } }`,
        { ids },
        key ? { key } : {},
      );
      expect(whole.errors).toBeUndefined();
      const byId = recordsIn(whole.data!.nodes);
      for (const [id, record] of projected) {
        const reference = byId.get(id);
        expect([name, id, reference === undefined]).toEqual([name, id, false]);
        for (const [field, value] of Object.entries(record)) {
          // Nested records are compared on their own; here only this record's own fields.
          if (value && typeof value === 'object' && !Array.isArray(value)) continue;
          const expected = reference![field];
          expect([name, id, field, value]).toEqual([name, id, field, expected]);
          compared += 1;
        }
      }
    }
    // Every query found records of every type it reaches; thousands of fields are compared per role.
    expect(compared).toBeGreaterThan(1000);
  });

  it('fetches only the relationship properties a relation field selects, and the period when it has asOf', () => {
    const fieldOf = (query: string) => {
      const document = parse(query);
      const fragments = Object.fromEntries(
        document.definitions.flatMap((d) => (d.kind === 'FragmentDefinition' ? [[d.name.value, d]] : [])),
      );
      const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
      return { fieldNodes: [operation.selectionSet.selections[0] as FieldNode], fragments };
    };
    expect(relationProjectionAt(fieldOf('{ operators { id type direction other { id name } } }'))).toEqual([]);
    expect(relationProjectionAt(fieldOf('{ operators { start other { id } } }'))).toEqual(['start']);
    expect(relationProjectionAt(fieldOf('{ operators(asOf: "2024") { other { id } } }'))).toEqual(['endTo', 'startFrom']);
    expect(relationProjectionAt(fieldOf('{ relations { ...R } } fragment R on Relation { end ... on Relation { sources { id } position } }'))).toEqual([
      'end',
      'position',
      'sources',
    ]);
    expect(relationProjectionAt(undefined)).toBeNull();
  });

  it('answers every relationship property and asOf as stored, whatever the relation field selects', async () => {
    // Each alias asks the loaders with another relation projection; the database is the reference.
    const aliases = `id
      all: relations { id start end position sources { id } }
      start: relations { id start } end: relations { id end } position: relations { id position }
      sources: relations { id sources { id } } bare: relations { id other { id } }
      dated: relations(asOf: "2024-07-01") { id }`;
    type Relation = { id: string; start?: string | null; end?: string | null; position?: string | null; sources?: { id: string }[] };
    type Row = { id: string } & Record<'all' | 'start' | 'end' | 'position' | 'sources' | 'bare' | 'dated', Relation[]>;
    const res = await t.graphql<Record<string, { nodes: Row[] }>>(
      `{ compounds(first: 100) { nodes { ${aliases} } } organisations(first: 100) { nodes { ${aliases} } } persons(first: 100) { nodes { ${aliases} } } }`,
      {},
      { key: keys.investigator },
    );
    expect(res.errors).toBeUndefined();
    const rows = Object.values(res.data!).flatMap((list) => list.nodes);
    const truth = await t.executor.read<{ id: string; rid: string; start: string | null; end: string | null; position: string | null; sources: string[]; startFrom: string | null; endTo: string | null }>({
      cypher: `UNWIND $ids AS id
MATCH (n:Node {id: id})-[r]-(o:Node) WHERE type(r) IN $types AND r.retiredAt IS NULL AND o.retiredAt IS NULL
RETURN id, r.id AS rid, r.start AS start, r.end AS end, r.position AS position,
       [s IN coalesce(r.sources, []) WHERE EXISTS { MATCH (:Source {id: s}) }] AS sources, r.startFrom AS startFrom, r.endTo AS endTo`,
      params: { ids: rows.map((row) => row.id), types: RELATION_TYPES },
    });
    const stored = new Map(truth.map((r) => [`${r.id} ${r.rid}`, r]));
    let compared = 0;
    const seen = { start: 0, end: 0, position: 0, sources: 0, outOfForce: 0 };
    for (const row of rows) {
      const all = row.all.map((r) => r.id).sort();
      expect([row.id, all]).toEqual([row.id, truth.filter((r) => r.id === row.id).map((r) => r.rid).sort()]);
      for (const alias of ['start', 'end', 'position', 'sources', 'bare'] as const) expect([row.id, alias, row[alias].map((r) => r.id).sort()]).toEqual([row.id, alias, all]);
      for (const field of ['start', 'end', 'position'] as const) {
        for (const relation of row[field]) {
          const value = stored.get(`${row.id} ${relation.id}`)![field];
          expect([row.id, relation.id, field, relation[field]]).toEqual([row.id, relation.id, field, value]);
          if (value) seen[field] += 1;
          compared += 1;
        }
      }
      for (const relation of row.sources) {
        const value = stored.get(`${row.id} ${relation.id}`)!.sources;
        expect([row.id, relation.id, relation.sources!.map((s) => s.id)]).toEqual([row.id, relation.id, value]);
        if (value.length) seen.sources += 1;
      }
      const inForce = truth
        .filter((r) => r.id === row.id && (!r.startFrom || r.startFrom <= '2024-07-01') && (!r.endTo || r.endTo >= '2024-07-01'))
        .map((r) => r.rid)
        .sort();
      seen.outOfForce += all.length - inForce.length;
      expect([row.id, 'dated', row.dated.map((r) => r.id).sort()]).toEqual([row.id, 'dated', inForce]);
    }
    // The seed has relationships with each property, and some not in force on the date: the comparisons can fail.
    expect(compared).toBeGreaterThan(100);
    for (const [what, count] of Object.entries(seen)) expect([what, count > 0]).toEqual([what, true]);
  });

  it('fetches the whole node when a selected field is not in the table', () => {
    const set = (parse('{ x { id location { latitude } } }').definitions[0] as OperationDefinitionNode).selectionSet;
    const inner = (set.selections[0] as FieldNode).selectionSet;
    expect(projectionOf(inner, {}, ['Compound'])).toBeNull();
    expect(projectionOf(inner, {}, ['Organisation'])).toBeNull();
  });
});
