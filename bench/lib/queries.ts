import neo4j, { type Driver } from 'neo4j-driver';
import { toLuceneQuery } from '../../src/search/luceneQuery';

/** What @neo4j/graphql sends for the same question, or why it cannot ask it. */
export type Neo4jGraphqlEquivalent = { query: string; variables: Record<string, unknown> } | { unsupported: string };

/** One query of the fixed mix, with its arguments picked from the database. */
export interface BenchQuery {
  name: string;
  /** How its arguments were chosen, for the report. */
  picked: string;
  query: string;
  variables: Record<string, unknown>;
  neo4jGraphql: Neo4jGraphqlEquivalent;
  /** Concurrency levels above this are not run for this query (it answers megabytes; see bench/README.md). */
  maxConnections?: number;
}

/**
 * compoundFlows is the flow network, unfiltered, at its cap (`limit: 10000` flows, the largest first):
 * every transfer id of a kept flow is on its edge, 3.7 MB at 100k (10 000 of 22 073 flows) and 5 MB at 1M
 * (10 000 of about 250 000). It groups every transfer of the graph, about 1 s at 100k and 2.7 s at 1M (5 s
 * until December 4th, 2026, when every transfer was sorted and projected before the flows were chosen), and
 * 32 of them at once only measure the machine's memory, so it runs up to 8 connections. Until then it was not
 * run at 1M.
 */
/** The length of the custody chain traced at every scale (the longest chain of the 10k graph). */
const TRACE_EVENTS = 18;
const FLOWS_MAX_CONNECTIONS = 8;

const NESTED_LIST = /* GraphQL */ `
  query NestedList {
    compounds(first: 100, orderBy: { field: ID }) {
      nodes {
        id
        name
        operators {
          other {
            id
            ... on Organisation {
              members { other { id events(first: 50) { event { id kind } } } }
            }
          }
        }
      }
    }
  }
`;

const NESTED_LIST_NEO4J_GRAPHQL = /* GraphQL */ `
  query NestedList {
    compounds(limit: 100, sort: [{ id: ASC }]) {
      id
      name
      operators {
        ... on Person { id name }
        ... on Organisation {
          id
          name
          leaders { ...Member }
          members { ...Member }
          employees { ...Member }
        }
      }
    }
  }
  fragment Member on Person { id events(limit: 50, sort: [{ dateStart: ASC }]) { id kind } }
`;

const TRACE_VICTIM = /* GraphQL */ `
  query TraceVictim($id: ID!) {
    traceVictim(id: $id) {
      victim { id name }
      steps {
        index kind date price currency isExit
        compound { id name } fromCompound { id name } toCompound { id name } heldAfter { id name }
        sellers { id name } buyers { id name } brokers { id name }
        sources { id }
      }
      periods { compound { id } from until open }
      heldAt { id }
      gaps { kind from until }
      hasConflicts
    }
  }
`;

const COMPOUND_FLOWS = /* GraphQL */ `
  query CompoundFlows {
    compoundFlows(limit: 10000) { nodes { id label type } edges { id source target type properties } truncated }
  }
`;

const PATHS = /* GraphQL */ `
  query Paths($from: ID!, $to: ID!) {
    paths(from: $from, to: $to, maxHops: 6, first: 3) {
      length
      nodes { id label type }
      hops { type direction relationId from { id } to { id } start end position }
    }
  }
`;

const NETWORK = /* GraphQL */ `
  query Network($ids: [ID!]!) {
    network(ids: $ids, depth: 2, limit: 500) { nodes { id label type } edges { id source target type } truncated }
  }
`;

const SEARCH = /* GraphQL */ `
  query Search($q: String!) {
    search(query: $q, types: [COMPOUND], first: 20) { totalCount edges { score node { id ... on Compound { name } } } }
  }
`;

const SEARCH_NEO4J_GRAPHQL = /* GraphQL */ `
  query Search($q: String!) {
    compoundsByName(phrase: $q, first: 20) { totalCount edges { score node { id name } } }
  }
`;

async function one(driver: Driver, cypher: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown> | undefined> {
  const { records } = await driver.executeQuery(cypher, params, { routing: 'READ' });
  return records[0]?.toObject();
}

/**
 * The fixed mix, with arguments chosen deterministically from the database (ties broken by id), so
 * two runs over the same store ask the same questions. Queries whose root field is not in `rootFields`
 * (not built yet) are left out.
 */
export async function buildMix(driver: Driver, rootFields: ReadonlySet<string>): Promise<BenchQuery[]> {
  const mix: BenchQuery[] = [];
  if (rootFields.has('traceVictim')) {
    // The same length of chain at every scale (the longest one up to TRACE_EVENTS), so growth from 10k to
    // 1M measures the graph, not a longer answer: the longest chain is 18 events at 10k and 27 at 1M.
    const victim = await one(
      driver,
      `MATCH (v:Person:Victim)<-[:INVOLVES {role: 'victim'}]-(e:Event)
       WITH v, count(e) AS steps WHERE steps <= $most ORDER BY steps DESC, v.id LIMIT 1 RETURN v.id AS id, steps`,
      { most: neo4j.int(TRACE_EVENTS) },
    );
    if (victim) {
      mix.push({
        name: 'traceVictim',
        picked: `the victim with the longest chain of at most ${TRACE_EVENTS} events (${String(victim.steps)})`,
        query: TRACE_VICTIM,
        variables: { id: victim.id },
        neo4jGraphql: { unsupported: 'custody-chain logic (time order, periods, gaps, conflicts) needs code over several reads; only a @cypher field could do it' },
      });
    }
  }
  if (rootFields.has('compoundFlows')) {
    mix.push({
      name: 'compoundFlows',
      picked: 'the flow network, no filter, at its cap of 10000 flows',
      query: COMPOUND_FLOWS,
      variables: {},
      neo4jGraphql: { unsupported: 'grouping transfers by (from, to) compound pair with counts and price statistics is an aggregation it cannot express' },
      maxConnections: FLOWS_MAX_CONNECTIONS,
    });
  }
  if (rootFields.has('paths')) {
    const pair =
      (await one(
        driver,
        `MATCH (a:Person)-[:WORKS_AT]->(:Compound)<-[:OPERATES]-(o:Organisation)-[:OPERATES]->(:Compound)<-[:WORKS_AT]-(b:Person)
         WHERE a.id < b.id AND NOT a:Victim AND NOT b:Victim
         RETURN a.id AS from, b.id AS to ORDER BY a.id, b.id LIMIT 1`,
      )) ??
      (await one(driver, `MATCH (a:Person)-[:MEMBER_OF|LEADS|EMPLOYED_BY]->(:Organisation)-[:OPERATES]->(c:Compound) RETURN a.id AS from, c.id AS to ORDER BY a.id, c.id LIMIT 1`));
    if (pair) {
      mix.push({
        name: 'paths',
        picked: `two staff of different compounds of one operator (${String(pair.from)} -> ${String(pair.to)})`,
        query: PATHS,
        variables: { from: pair.from, to: pair.to },
        neo4jGraphql: { unsupported: 'no shortest-path search (SHORTEST / shortestPath) over arbitrary relationship types' },
      });
    }
  }
  if (rootFields.has('network')) {
    const hub = await one(
      driver,
      `MATCH (c:Compound) WITH c, COUNT { (c)-[]-(:Node) } AS degree ORDER BY degree DESC, c.id LIMIT 1 RETURN c.id AS id, degree`,
    );
    if (hub) {
      mix.push({
        name: 'network',
        picked: `depth 2 around the compound with most relationships (${String(hub.degree)})`,
        query: NETWORK,
        variables: { ids: [hub.id] },
        neo4jGraphql: {
          unsupported: 'an untyped neighbourhood with a node cap (nearest first, truncated flag) and de-duplicated edges is not expressible; typed nested fields fetch trees, not a graph',
        },
      });
    }
  }
  if (rootFields.has('search')) {
    const word = await one(
      driver,
      `MATCH (c:Compound) WHERE c.name IS NOT NULL WITH split(c.name, ' ')[0] AS word, count(*) AS n
       ORDER BY n DESC, word LIMIT 1 RETURN word, n`,
    );
    if (word) {
      // @neo4j/graphql's `phrase` is Lucene syntax, passed to the index as it is: it gets the Lucene query our resolver
      // makes of the same words (every word as itself, as a prefix, and from five letters with one typo), so both do the
      // same search and their answers can be compared hit for hit. Given the bare word it did less work than ours.
      const lucene = toLuceneQuery(String(word.word));
      if (!lucene) throw new Error(`search: no Lucene query for ${String(word.word)}`);
      mix.push({
        name: 'search',
        picked: `full-text "${String(word.word)}" over compounds (the commonest first word of a compound name), first 20; @neo4j/graphql gets our Lucene query, ${lucene}`,
        query: SEARCH,
        variables: { q: word.word },
        neo4jGraphql: { query: SEARCH_NEO4J_GRAPHQL, variables: { q: lucene } },
      });
    }
  }
  if (rootFields.has('compounds')) {
    mix.push({
      name: 'nestedList',
      picked: '100 compounds by id -> operators -> members -> their events (first 50 each)',
      query: NESTED_LIST,
      variables: {},
      neo4jGraphql: { query: NESTED_LIST_NEO4J_GRAPHQL, variables: {} },
    });
  }
  return mix;
}
