import { getNamedType, isLeafType, isNonNullType, isObjectType, type GraphQLObjectType } from 'graphql';
import { startTestServer, type TestServer } from '../helpers/testServer';
import { createSchema } from '../../src/schema';
import { ENTITY_TYPES, PROPERTIES_READ, projectionOf } from '../../src/common/projection';
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
      if (isObjectType(named) && named.getFields().id) return `${alias} { id }`;
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
  });

  it.each(ROLES)('as %s, every projected field equals the whole-record answer', async (role) => {
    const key = keys[role];
    let compared = 0;
    for (const [name, query] of Object.entries(QUERIES)) {
      const res = await t.graphql(query, {}, key ? { key } : {});
      expect([name, res.errors]).toEqual([name, undefined]);
      const projected = recordsIn(res.data);
      expect(projected.size).toBeGreaterThan(0);
      const ids = [...projected.keys()];
      const whole = await t.graphql<{ nodes: unknown[] }>(
        `query($ids: [ID!]!) { nodes(ids: $ids) { id ${on('Compound')} ${on('Organisation')} ${on('Person')} ${on('Event')} } }`,
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

  it('fetches the whole node when a selected field is not in the table', () => {
    const set = (parse('{ x { id location { latitude } } }').definitions[0] as OperationDefinitionNode).selectionSet;
    const inner = (set.selections[0] as FieldNode).selectionSet;
    expect(projectionOf(inner, {}, ['Compound'])).toBeNull();
    expect(projectionOf(inner, {}, ['Organisation'])).toBeNull();
  });
});
