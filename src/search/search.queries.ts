import { int, type Statement } from '../db/executor';
import { projectNode } from '../node/node.queries';
import type { Page } from '../common/pagination';
import type { Projection } from '../common/projection';

export interface SearchRow {
  total: number;
  hits: { node: Record<string, unknown>; score: number }[];
}

/**
 * One page of full-text hits over `labels`, best first, with the total. Victims are left out unless
 * `includeVictims` (investigators): their names and aliases are protected, so they must not be matchable.
 * Hits are projected as `projection` says (default: every property).
 */
export function searchNodes(lucene: string, labels: string[], page: Page, includeVictims: boolean, projection: Projection = null): Statement {
  return {
    cypher: `CALL db.index.fulltext.queryNodes('node_names', $lucene) YIELD node, score
WHERE any(l IN labels(node) WHERE l IN $labels) AND ($includeVictims OR NOT node:Victim) AND node.retiredAt IS NULL
WITH node, score ORDER BY score DESC, node.id
WITH collect({node: node, score: score}) AS ranked
WITH size(ranked) AS total, ranked[$offset..($offset + $limit)] AS pageHits
CALL (pageHits) {
  UNWIND pageHits AS hit
  WITH hit.node AS n, hit.score AS score
  RETURN collect({node: ${projectNode('n', projection)}, score: score}) AS hits
}
RETURN total, hits`,
    params: { lucene, labels, offset: int(page.offset), limit: int(page.first), includeVictims },
  };
}
