import { GraphQLError, Kind, type FragmentDefinitionNode } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphContext } from '../context';
import type { Executor } from '../db/executor';
import type { Role } from '../auth/viewer';
import { findSavedDocumentByHash } from './savedQueryStore';
import { rootFieldNames } from './savedDocument';
import { REGISTRY_FIELDS } from './savedQuery.model';

/** The error code of an ad-hoc document refused in persisted-only mode. */
export const PERSISTED_QUERY_REQUIRED = 'PERSISTED_QUERY_REQUIRED';

/** Root fields that are always allowed: the registry and its runner (plus `__typename`). */
const ALWAYS_ALLOWED = new Set<string>([...REGISTRY_FIELDS, '__typename']);

/**
 * An Apollo plugin that, for viewers whose role is in `roles`, lets only saved operations run: a document
 * whose SHA-256 is that of a saved query (any version; sent in full or by hash through Apollo's
 * `extensions.persistedQuery`), or an operation that only uses the saved-query fields (`runSavedQuery`,
 * `savedQueries`, ...). Any other document fails with PERSISTED_QUERY_REQUIRED (HTTP 403) before it runs.
 */
export function persistedOnlyPlugin(roles: readonly Role[]): ApolloServerPlugin<GraphContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document, operation, queryHash }) {
          if (!roles.includes(contextValue.viewer.role) || !operation) return;
          const fragments = new Map(
            document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
          );
          if (rootFieldNames(operation.selectionSet, fragments).every((name) => ALWAYS_ALLOWED.has(name))) return;
          if (queryHash && (await findSavedDocumentByHash(contextValue.executor, queryHash)) !== null) return;
          throw new GraphQLError(
            `Only saved queries may run with the ${contextValue.viewer.role} role on this server: use runSavedQuery(name, variables), ` +
              'GET /saved/NAME, or send a saved document (or its sha256 as extensions.persistedQuery).',
            { extensions: { code: PERSISTED_QUERY_REQUIRED, http: { status: 403 } } },
          );
        },
      };
    },
  };
}

/** The part of Apollo's KeyValueCache that persisted queries use. */
export interface DocumentCache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<boolean | void>;
}

/**
 * The document cache behind Apollo's persisted queries: a hash-only request finds any saved query's
 * document (built-in or stored in Neo4j), and ordinary automatic persisted queries still work through a
 * small in-memory cache. Apollo prefixes keys with `apq:`.
 */
export function savedDocumentCache(newExecutor: () => Executor, capacity = 1000): DocumentCache {
  const registered = new Map<string, string>();
  return {
    async get(key) {
      const hash = key.replace(/^apq:/, '');
      const saved = await findSavedDocumentByHash(newExecutor(), hash);
      return saved ?? registered.get(key);
    },
    async set(key, value) {
      if (registered.size >= capacity) registered.delete(registered.keys().next().value as string);
      registered.set(key, value);
    },
    async delete(key) {
      return registered.delete(key);
    },
  };
}
