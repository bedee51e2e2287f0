import { BadUserInputError } from '../errors';

/**
 * Guard rails of the traversals. Every argument that widens a traversal is capped here; an over-cap
 * value is a BAD_USER_INPUT naming the argument, never a slow query. Read transactions are also
 * cancelled by the server after TG_QUERY_TIMEOUT_MS (src/config.ts).
 */
export const TRAVERSAL_LIMITS = Object.freeze({
  /** paths(maxHops): default and cap. */
  maxHops: { default: 6, max: 10 },
  /** paths(first): how many shortest paths, default and cap. */
  paths: { default: 3, max: 10 },
  /** network(depth): default and cap. */
  depth: { default: 1, max: 3 },
  /** network(limit): nodes in a slice, default and cap. */
  nodes: { default: 500, max: 5000 },
  /** network(ids) and timeline(ids): how many start ids. */
  ids: { max: 100 },
  /** compoundFlows(filter.hops): onward hops from a compound. */
  flowHops: { default: 1, max: 5 },
  /** compoundFlows(limit): flows (edges), the largest first, default and cap. */
  flows: { default: 1000, max: 10_000 },
  /** timeline(filter.first): events, default and cap. */
  timeline: { default: 200, max: 1000 },
});

/**
 * An integer argument within [min, max], or its default when absent; otherwise BAD_USER_INPUT naming it.
 *
 *     boundedInt(args.depth, 'depth', 0, 3, 1) // 1 when depth is null
 */
export function boundedInt(value: number | null | undefined, argument: string, min: number, max: number, fallback: number): number {
  const n = value ?? fallback;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new BadUserInputError(`Argument "${argument}" must be an integer between ${min} and ${max} (got ${String(value)}).`, argument);
  }
  return n;
}

/**
 * An integer spelled into Cypher text. Only for places where Cypher accepts no parameter
 * (`SHORTEST k`, quantifier bounds `{1,n}`); the value must already be validated by {@link boundedInt}.
 */
export function cypherIntLiteral(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0 || n > 10_000) throw new Error(`not a safe Cypher integer literal: ${n}`);
  return String(n);
}
