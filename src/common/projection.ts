import { Kind, type FieldNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import { subSelection, type SelectionInfo } from './lookahead';

/**
 * Projections: which stored properties a record needs for the fields a query selects on it, so a
 * loader fetching the nodes at the end of a relationship (or the events of an entity, or a page of a
 * list) reads and sends only those instead of every property. A record projected this way always
 * carries its id, label, victim flag and the properties below; victim protection reads nothing else.
 *
 * Only fields listed in {@link PROPERTIES_READ} can be projected; a selection with any other field
 * gets the whole node (`null` projection), as before. test/integration/projection.test.ts checks every
 * listed field, for every role, against the whole-node answer.
 */
/**
 * Read for every projected record. Not `retiredAt`: projected records are list rows, relation ends and
 * an entity's events, and the statements that fetch them leave retired nodes out.
 */
export const CORE_PROPERTIES = ['id'] as const;

/** A list of stored property names to fetch (besides the core), or null for the whole node. */
export type Projection = readonly string[] | null;

const ENTITY: Record<string, readonly string[]> = {
  __typename: [],
  id: [],
  type: [],
  dataset: ['dataset'],
  synthetic: ['synthetic'],
  sources: ['sources'],
  claims: [],
  relations: [],
  events: [],
  name: ['name'],
  aliases: ['aliases'],
};

/** For each type, the fields whose resolvers read only the named properties of the record (and its id, label and victim flag). */
export const PROPERTIES_READ: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  Compound: {
    ...ENTITY,
    country: ['country'],
    region: ['region'],
    city: ['city'],
    securityFeatures: ['securityFeatures'],
    estimatedHeadcount: ['estimatedHeadcount'],
    description: ['description'],
    operators: [],
    protectors: [],
    staff: [],
  },
  Organisation: {
    ...ENTITY,
    kind: ['kind'],
    country: ['country'],
    address: ['address'],
    description: ['description'],
    topics: ['topics'],
    members: [],
    compounds: [],
    linkedOrganisations: [],
  },
  Person: {
    ...ENTITY,
    roles: ['roles'],
    isVictim: [],
    pseudonym: [],
    ageBand: ['ageBand'],
    nationality: ['nationality'],
    gender: ['gender'],
    birthDate: ['birthDate'],
    position: ['position'],
    description: ['description'],
    topics: ['topics'],
    organisations: [],
    compounds: [],
  },
  Event: {
    __typename: [],
    id: [],
    kind: ['kind'],
    title: ['title'],
    description: ['description'],
    country: ['country'],
    date: ['date'],
    endDate: ['endDate'],
    place: ['place'],
    compound: ['compoundId'],
    fromCompound: ['fromCompoundId'],
    toCompound: ['toCompoundId'],
    price: ['price'],
    currency: ['currency'],
    channel: ['channel'],
    status: ['status'],
    participants: [],
    dataset: ['dataset'],
    synthetic: ['synthetic'],
    sources: ['sources'],
    claims: [],
  },
  Source: {
    __typename: [],
    id: [],
    title: ['title'],
    publisher: ['publisher'],
    url: ['url'],
    published: ['published'],
    retrieved: ['retrieved'],
    reliability: ['reliability'],
    kind: ['kind'],
    notes: ['notes'],
    dataset: ['dataset'],
    synthetic: ['synthetic'],
    citationCount: [],
    supports: [],
  },
};

/**
 * The relationship properties each field of `Relation` reads. Its id, type and direction are always fetched;
 * `other` is the node at the other end, projected on its own.
 */
export const RELATION_PROPERTIES_READ: Readonly<Record<string, readonly string[]>> = {
  __typename: [],
  id: [],
  type: [],
  direction: [],
  other: [],
  start: ['start'],
  end: ['end'],
  position: ['position'],
  sources: ['sources'],
};

/** Every property a relationship record can carry: what a null relation projection fetches. */
export const RELATION_PROPERTIES = ['start', 'end', 'startFrom', 'endTo', 'position', 'sources'] as const;

/** What a relation field's `asOf` reads to keep the relationships in force. */
const PERIOD = ['startFrom', 'endTo'] as const;

/** The entity types a relationship's `other` end can be. */
export const ENTITY_TYPES = ['Compound', 'Organisation', 'Person'] as const;

/**
 * The projection that answers `selection` for records of `types`, or null when some selected field is
 * not known to read only its own properties. Fragments and inline fragments count; a type condition
 * narrows the types its fields are checked against.
 */
export function projectionOf(
  selection: SelectionSetNode | undefined,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  types: readonly string[],
  table: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = PROPERTIES_READ,
): Projection {
  const properties = new Set<string>();
  const visit = (set: SelectionSetNode | undefined, on: readonly string[], depth: number): boolean => {
    if (depth > 20) return false;
    for (const node of set?.selections ?? []) {
      if (node.kind === Kind.FIELD) {
        for (const type of on) {
          const reads = table[type]?.[node.name.value];
          if (!reads) return false;
          reads.forEach((p) => properties.add(p));
        }
      } else {
        const fragment = node.kind === Kind.INLINE_FRAGMENT ? node : fragments[node.name.value];
        if (!fragment) return false;
        const condition = fragment.typeCondition?.name.value;
        // A condition on one of the types narrows to it; on an interface or union (Entity, Node) it keeps them all.
        const narrowed = condition && types.includes(condition) ? [condition] : condition && table[condition] ? [] : on;
        if (!visit(fragment.selectionSet, narrowed, depth + 1)) return false;
      }
    }
    return true;
  };
  return visit(selection, types, 0) ? [...properties].sort() : null;
}

/** Projections already worked out, per field of the operation (graphql-js passes one `fieldNodes` array per field, for every item of a list). */
const computed = new WeakMap<readonly FieldNode[], { path: readonly string[]; types: readonly string[]; projection: Projection }[]>();

/** Element-wise equality of two short lists (paths, type lists), identity first. */
function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The projection for the records under `path` of the field being resolved; no selection there needs
 * only the core. Worked out once per field of an operation, not once per parent record.
 */
export function projectionAt(info: SelectionInfo | undefined, path: readonly string[], types: readonly string[]): Projection {
  if (!info) return null;
  let entries = computed.get(info.fieldNodes);
  if (!entries) {
    entries = [];
    computed.set(info.fieldNodes, entries);
  }
  // A field asks for one or two (path, types) pairs: a scan is cheaper than building a key.
  for (const entry of entries) if (sameList(entry.path, path) && sameList(entry.types, types)) return entry.projection;
  const selection = subSelection(info, path);
  const projection = selection ? projectionOf(selection, info.fragments, types) : [];
  entries.push({ path, types, projection });
  return projection;
}

const RELATION_TABLE = { Relation: RELATION_PROPERTIES_READ };
const RELATION_TYPE = ['Relation'] as const;
const relationProjections = new WeakMap<readonly FieldNode[], Projection>();

/**
 * The relationship properties a relation field (`operators`, `members`, `relations`, ...) needs for what it
 * selects on each Relation, and for its `asOf` filter when it has one; null (all of them) without `info` or
 * when a selected field is not in {@link RELATION_PROPERTIES_READ}. Worked out once per field of an operation.
 */
export function relationProjectionAt(info: SelectionInfo | undefined): Projection {
  if (!info) return null;
  if (relationProjections.has(info.fieldNodes)) return relationProjections.get(info.fieldNodes) ?? null;
  const properties = new Set<string>();
  let whole = false;
  for (const node of info.fieldNodes) {
    if (node.arguments?.some((argument) => argument.name.value === 'asOf')) PERIOD.forEach((p) => properties.add(p));
    const reads = projectionOf(node.selectionSet, info.fragments, RELATION_TYPE, RELATION_TABLE);
    if (reads === null) whole = true;
    else reads.forEach((p) => properties.add(p));
  }
  const projection = whole ? null : [...properties].sort();
  relationProjections.set(info.fieldNodes, projection);
  return projection;
}
