import type { Statement } from '../db/executor';

export interface ClaimRow {
  id: string;
  claim: Record<string, unknown>;
}

/** The claims about each subject id. */
export function findClaimsBySubjectIds(ids: readonly string[]): Statement {
  return {
    cypher: `UNWIND $ids AS id
MATCH (c:Claim)-[:ABOUT]->(:Node {id: id})
RETURN id, c {.*} AS claim
ORDER BY c.property, c.id`,
    params: { ids },
  };
}
