import type { GraphContext } from '../context';
import type { MutationResolvers, QueryResolvers, SavedQueryResolvers } from '../generated/graphql';
import { findVisibleSavedQuery, listSavedQueries, retireSavedQuery, saveQuery, withoutVictimText } from './savedQueryStore';
import { runSavedQuery } from './runSavedQuery';
import type { SavedQueryRecord } from './savedQuery.model';
import { documentLimitsOf } from '../security/armor';
import { findBuiltinQuery } from './builtinQueries';

/**
 * The link that runs a saved query over HTTP: a stored query's pins its version, as does an earlier version of a built-in;
 * a built-in's current version runs whatever version ships.
 */
export function savedQueryPath(query: SavedQueryRecord): string {
  const params = new URLSearchParams();
  if (!query.builtIn || query.version !== findBuiltinQuery(query.name)?.version) params.set('version', String(query.version));
  return `/saved/${encodeURIComponent(query.name)}${params.size ? `?${params.toString()}` : ''}`;
}

export const savedQueryResolvers: SavedQueryResolvers<GraphContext> = {
  path: (query) => savedQueryPath(query),
};

export const savedQueryQueryResolvers: Pick<QueryResolvers<GraphContext>, 'savedQueries' | 'savedQuery' | 'runSavedQuery'> = {
  // Withheld from journalists and the public: a stored version whose text names a victim recorded after it was saved.
  savedQueries: async (_root, _args, context) => withoutVictimText(await listSavedQueries(context.executor), context.viewer, context.executor),
  savedQuery: (_root, args, context) => findVisibleSavedQuery(context.executor, context.viewer, args.name, args.version ?? null),
  runSavedQuery: (_root, args, context, info) =>
    runSavedQuery(info.schema, context, {
      name: args.name,
      version: args.version ?? null,
      variables: (args.variables ?? null) as Record<string, unknown> | null,
    }),
};

export const savedQueryMutationResolvers: Pick<MutationResolvers<GraphContext>, 'saveQuery' | 'retireSavedQuery'> = {
  saveQuery: (_root, args, context, info) =>
    saveQuery(context.executor, info.schema, context.viewer, args.input, documentLimitsOf(context.config.limits)),
  retireSavedQuery: (_root, args, context) => retireSavedQuery(context.executor, context.viewer, args.name),
};
