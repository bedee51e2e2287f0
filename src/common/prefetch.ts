import {
  getArgumentValues,
  isAbstractType,
  isObjectType,
  Kind,
  type FieldNode,
  type GraphQLResolveInfo,
  type SelectionSetNode,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import { int } from '../db/executor';
import { projectNode } from '../node/node.queries';
import { participationsLoaderKey, relationsLoaderKey, type RelationDirection } from '../loaders';
import { RELATION_TYPES, type RelationType } from '../relation/relation.model';
import { relationMap } from '../relation/relation.queries';
import type { EventKind } from '../generated/graphql';
import { eventsKey, relationKey, RELATION_FIELDS, type RelationQuery } from './entityResolvers';
import { fieldNodesAt } from './lookahead';
import { ENTITY_TYPES, projectionAt, relationProjectionAt, type Projection } from './projection';

/**
 * Prefetch: the statement that fetches some nodes also fetches, in nested COLLECT subqueries, what the
 * query selects below them through relation fields (`operators`, `members`, `relations`, ...) and
 * `events`, and the answer fills the per-request loaders those fields' resolvers will ask, under the
 * very keys they will ask. The nested list `compounds -> operators -> members -> events` is then one
 * statement instead of four.
 *
 * The resolvers do not change: they still ask their loader and still apply victim protection, date
 * filters and masking. A loader value depends only on its key (relationship types, direction,
 * projection; or event kinds, limit, projection) and the id, and the loaders turn prefetched rows into
 * values with the same code as their own rows (src/loaders.ts), so a prefetched value is the value the
 * loader would have fetched. A field the plan does not foresee (a deeper level, a @skip, an argument
 * it cannot read) simply finds its loader empty and fetches as before.
 */

/** One nested fetch: the loader of one relation or events field, for nodes with one of `labels`. */
export type Fetch = {
  /** The loader's key, shared by every field asking the same loader. */
  readonly key: string;
  /** The node labels (entity types) this fetch is for; other nodes are not fetched for nor primed. */
  readonly labels: readonly string[];
  readonly projection: Projection;
  /** What to fetch below each node at the other end. */
  readonly children: Plan;
} & (
  | {
      readonly kind: 'relations';
      readonly types: readonly RelationType[] | null;
      readonly direction: RelationDirection;
      /** The relationship properties the field reads (src/common/projection.ts, relationProjectionAt). */
      readonly relationProjection: Projection;
    }
  | { readonly kind: 'events'; readonly kinds: readonly string[] | null; readonly first: number }
);

export type Plan = readonly Fetch[];

/** What of a resolver's info a plan reads. */
export type PlanInfo = Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments' | 'schema' | 'variableValues'>;

/** Nested levels prefetched below the node the statement fetches; deeper fields use their loaders. */
export const MAX_PREFETCH_DEPTH = 3;

/** The fields of `sets` that apply to objects of type `typeName`, by response key, as graphql-js collects them. */
function collectFields(info: PlanInfo, sets: readonly SelectionSetNode[], typeName: string): Map<string, FieldNode[]> {
  const fields = new Map<string, FieldNode[]>();
  const type = info.schema.getType(typeName);
  const applies = (condition: string | undefined): boolean => {
    if (!condition || condition === typeName) return true;
    const abstract = info.schema.getType(condition);
    return !!abstract && isAbstractType(abstract) && isObjectType(type) && info.schema.isSubType(abstract, type);
  };
  const visit = (set: SelectionSetNode, depth: number): void => {
    if (depth > 20) return;
    for (const node of set.selections) {
      if (node.kind === Kind.FIELD) {
        const key = node.alias?.value ?? node.name.value;
        fields.set(key, [...(fields.get(key) ?? []), node]);
      } else {
        const fragment = node.kind === Kind.INLINE_FRAGMENT ? node : info.fragments[node.name.value];
        if (fragment && applies(fragment.typeCondition?.name.value)) visit(fragment.selectionSet, depth + 1);
      }
    }
  };
  sets.forEach((set) => visit(set, 0));
  return fields;
}

/** The arguments of a field as its resolver receives them; undefined when they cannot be read. */
function argumentsOf(info: PlanInfo, typeName: string, node: FieldNode): Record<string, unknown> | undefined {
  const type = info.schema.getType(typeName);
  const definition = isObjectType(type) ? type.getFields()[node.name.value] : undefined;
  if (!definition) return undefined;
  try {
    return getArgumentValues(definition, node, info.variableValues);
  } catch {
    return undefined;
  }
}

/** The fetch of one field of `typeName`, or undefined when it is not a relation or events field (or its arguments are bad: its resolver will say so). */
function fetchOf(info: PlanInfo, typeName: string, nodes: FieldNode[], depth: number): Fetch | undefined {
  const name = nodes[0]?.name.value ?? '';
  const fixed = (RELATION_FIELDS as Record<string, Record<string, RelationQuery> | undefined>)[typeName]?.[name];
  const entity = (ENTITY_TYPES as readonly string[]).includes(typeName);
  const sub: PlanInfo = { ...info, fieldNodes: nodes };
  if (fixed || (entity && name === 'relations')) {
    const args = fixed ?? argumentsOf(info, typeName, nodes[0] as FieldNode);
    if (!args) return undefined;
    const { types, direction } = relationKey(args);
    const projection = projectionAt(sub, ['other'], ENTITY_TYPES);
    const relationProjection = relationProjectionAt(sub);
    return {
      kind: 'relations',
      key: `relations|${relationsLoaderKey(types, direction, projection, relationProjection)}`,
      labels: [typeName],
      types: types?.length ? types : null,
      direction,
      projection,
      relationProjection,
      children: depth + 1 < MAX_PREFETCH_DEPTH ? planFor(sub, [['other']], ENTITY_TYPES, depth + 1) : [],
    };
  }
  if (entity && name === 'events') {
    const args = argumentsOf(info, typeName, nodes[0] as FieldNode);
    if (!args) return undefined;
    let key: { kinds: string[] | null; first: number };
    try {
      key = eventsKey(args.kinds as EventKind[] | null | undefined, args.first as number | null | undefined);
    } catch {
      return undefined;
    }
    const projection = projectionAt(sub, ['event'], ['Event']);
    return {
      kind: 'events',
      key: `events|${participationsLoaderKey(key.kinds, key.first, projection)}`,
      labels: [typeName],
      kinds: key.kinds,
      first: key.first,
      projection,
      children: [],
    };
  }
  return undefined;
}

/** Fetches asking the same loader become one, for the union of their labels, with their children merged. */
function merge(fetches: readonly Fetch[]): Plan {
  const byKey = new Map<string, Fetch>();
  for (const fetch of fetches) {
    const seen = byKey.get(fetch.key);
    byKey.set(
      fetch.key,
      seen
        ? { ...seen, labels: [...new Set([...seen.labels, ...fetch.labels])], children: merge([...seen.children, ...fetch.children]) }
        : fetch,
    );
  }
  return [...byKey.values()];
}

function planFor(info: PlanInfo, paths: readonly (readonly string[])[], types: readonly string[], depth: number): Plan {
  const sets = paths.flatMap((path) => fieldNodesAt(info, path)).flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  if (sets.length === 0) return [];
  const fetches: Fetch[] = [];
  for (const type of types) {
    for (const nodes of collectFields(info, sets, type).values()) {
      const fetch = fetchOf(info, type, nodes, depth);
      if (fetch) fetches.push(fetch);
    }
  }
  return merge(fetches);
}

/**
 * Plans worked out, per field of an operation and per set of variable values. A plan is read-only and depends only
 * on the operation's document, the schema and the variables (arguments may name them), never on the viewer, so
 * every request of the same operation with the same variables shares it, instead of collecting fields, reading
 * arguments and working out projections again for every request.
 */
const plans = new WeakMap<readonly FieldNode[], LRUCache<string, Map<string, Plan>>>();
/** Variable sets kept per field; the others are worked out again when they come back. */
const PLANS_PER_FIELD = 64;
/** Variables longer than this as JSON (a long list of ids, say) are not kept as a key: their plan is worked out per request. */
const MAX_VARIABLES_KEY = 2048;

/** The variables as a cache key, or undefined when they cannot serve as one. */
function variablesKey(variables: PlanInfo['variableValues']): string | undefined {
  try {
    const key = JSON.stringify(variables);
    return key.length <= MAX_VARIABLES_KEY ? key : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The nested fetches for the records of `types` found at any of `paths` below the field being
 * resolved (e.g. `[['nodes'], ['edges', 'node']]` of a list). Worked out once per field of an operation
 * and set of variables.
 */
export function planAt(info: PlanInfo, paths: readonly (readonly string[])[], types: readonly string[]): Plan {
  const variables = variablesKey(info.variableValues);
  if (variables === undefined) return planFor(info, paths, types, 0);
  let byVariables = plans.get(info.fieldNodes);
  if (!byVariables) {
    byVariables = new LRUCache({ max: PLANS_PER_FIELD });
    plans.set(info.fieldNodes, byVariables);
  }
  let byPath = byVariables.get(variables);
  if (!byPath) {
    byPath = new Map();
    byVariables.set(variables, byPath);
  }
  const key = `${paths.map((path) => path.join('.')).join(';')}|${types.join(',')}`;
  let plan = byPath.get(key);
  if (!plan) {
    plan = planFor(info, paths, types, 0);
    byPath.set(key, plan);
  }
  return plan;
}

const PARTICIPATION_TYPES = 'INVOLVES|AT|FROM|TO';

/**
 * The Cypher map of what `plan` fetches below the node bound to `variable`: one key `f0`, `f1`, ...
 * per fetch, each a list in the form the loader's own statement returns. Parameters it needs are added
 * to `params`. Relationship types come from the closed RELATION_TYPES list, labels from the schema's
 * entity types, property names from the projection table: nothing of the request is spliced in.
 */
export function nestedExpression(variable: string, plan: Plan, params: Record<string, unknown>, depth = 0): string {
  const entries = plan.map((fetch, index) => {
    const suffix = `${depth}_${index}`;
    const labels = fetch.labels.filter((label) => (ENTITY_TYPES as readonly string[]).includes(label));
    let collect: string;
    if (fetch.kind === 'relations') {
      const [r, o] = [`r${suffix}`, `o${suffix}`];
      // Types from the closed list only, as findRelationsByEntityIds does.
      const types = RELATION_TYPES.filter((type) => !fetch.types || fetch.types.includes(type)).join('|');
      const [left, right] = fetch.direction === 'OUTGOING' ? ['-', '->'] : fetch.direction === 'INCOMING' ? ['<-', '-'] : ['-', '-'];
      const nested = fetch.children.length > 0 ? `, nested: ${nestedExpression(o, fetch.children, params, depth + 1)}` : '';
      collect = `COLLECT { MATCH (${variable})${left}[${r}:${types}]${right}(${o}:Node) WHERE ${r}.retiredAt IS NULL AND ${o}.retiredAt IS NULL
  RETURN ${relationMap(r, variable, projectNode(o, fetch.projection), nested, fetch.relationProjection)} }`;
    } else {
      const [r, e, role] = [`r${suffix}`, `e${suffix}`, `role${suffix}`];
      // Parameter names numbered across the whole expression: two fetches at one depth may limit differently.
      const kinds = `prefetch${Object.keys(params).length}`;
      if (fetch.kinds) params[kinds] = fetch.kinds;
      const first = `prefetch${Object.keys(params).length}`;
      params[first] = int(fetch.first);
      collect = `COLLECT { MATCH (${variable})<-[${r}:${PARTICIPATION_TYPES}]-(${e}:Event) WHERE ${e}.retiredAt IS NULL ${fetch.kinds ? `AND ${e}.kind IN $${kinds}` : ''}
  WITH ${e}, CASE type(${r}) WHEN 'INVOLVES' THEN ${r}.role WHEN 'AT' THEN 'location' WHEN 'FROM' THEN 'origin' ELSE 'destination' END AS ${role}
  ORDER BY ${e}.dateStart, ${e}.id, ${role} LIMIT $${first}
  RETURN {role: ${role}, event: ${projectNode(e, fetch.projection)}} }`;
    }
    const everyType = ENTITY_TYPES.every((type) => labels.includes(type));
    return `f${index}: ${everyType ? collect : `CASE WHEN ${variable}:${labels.join('|')} THEN ${collect} ELSE [] END`}`;
  });
  return `{${entries.join(', ')}}`;
}
