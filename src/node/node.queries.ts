import { CORE_PROPERTIES, type Projection } from '../common/projection';
import type { Statement } from '../db/executor';
import type { NodeRecord } from './node.model';

/**
 * A Cypher map projection of a node into a record: its properties (all, or the core and those of a
 * {@link Projection}), its main label and whether it is a victim.
 * `variable` is a Cypher variable name chosen by the caller (never user input).
 */
export function projectNode(variable: string, projection: Projection = null): string {
  // Projections are worked out once per field of an operation (src/common/projection.ts), so the same
  // array comes back for every request of that operation: its text is built once.
  let texts = wholeNodeTexts;
  if (projection !== null) {
    texts = projectedTexts.get(projection) ?? new Map<string, string>();
    if (texts.size === 0) projectedTexts.set(projection, texts);
  }
  let text = texts.get(variable);
  if (text === undefined) {
    const properties = projection === null ? '.*' : [...new Set([...CORE_PROPERTIES, ...projection])].map(propertySelector).join(', ');
    text = `${variable} {${properties}, label: head([l IN labels(${variable}) WHERE l IN ['Person','Compound','Organisation','Event','Source']]), victim: ${variable}:Victim}`;
    texts.set(variable, text);
  }
  return text;
}

/** {@link projectNode}'s texts by variable: of whole nodes, and of each projection (by identity). */
const wholeNodeTexts = new Map<string, string>();
const projectedTexts = new WeakMap<readonly string[], Map<string, string>>();

/** `.name` for a property name from the projection table (never from a request). */
function propertySelector(name: string): string {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) throw new Error(`not a property name: ${name}`);
  return `.${name}`;
}

export interface NodeByIdRow {
  id: string;
  node: NodeRecord | null;
}

/**
 * Nodes by global id, one row per id asked, `node` null where absent. The id of an entity merged into
 * another (src/resolution/) answers the kept entity, following up to two merges.
 */
export function findNodesByIds(ids: readonly string[]): Statement {
  return {
    cypher: `UNWIND $ids AS id
OPTIONAL MATCH (found:Node {id: id})
OPTIONAL MATCH (m1:Merge {mergedId: id, active: true}) WHERE found IS NULL
OPTIONAL MATCH (k1:Node {id: m1.keptId})
OPTIONAL MATCH (m2:Merge {mergedId: m1.keptId, active: true}) WHERE k1 IS NULL
OPTIONAL MATCH (k2:Node {id: m2.keptId})
WITH id, coalesce(found, k1, k2) AS n
RETURN id, CASE WHEN n IS NULL THEN null ELSE ${projectNode('n')} END AS node`,
    params: { ids },
  };
}
