import { GraphQLError, Kind, type FragmentDefinitionNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphContext } from '../context';
import type { Executor } from '../db/executor';
import type { Role, Viewer } from '../auth/viewer';
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

/** Automatic persisted queries kept per API key: {@link persistedQueries}. */
export interface PersistedQueries {
  /** Apollo's `persistedQueries.cache`: finds saved queries' documents, for every caller. */
  readonly cache: DocumentCache;
  /** Looks a caller's own registrations up, and registers the documents it runs. */
  readonly plugin: ApolloServerPlugin<GraphContext>;
}

/** At most this many registered documents are kept, and at most this many characters of them (about 60 MB). */
const MAX_REGISTERED = 1000;
const MAX_REGISTERED_CHARS = 30_000_000;

/**
 * Apollo's automatic persisted queries (a client sends a document's SHA-256 alone, and the document once when the server
 * does not know the hash), with every document registered under the API key that sent it (the public, without a key, is
 * one caller). Apollo's own cache is shared by every caller, so anyone who could guess a document's exact text could
 * learn whether someone had run it: an investigator's search for a victim's name, say. Here a hash sent alone finds a
 * saved query's document (every role may run saved queries, and their text named no stored victim when they were saved)
 * or a document registered by the same caller; otherwise it is `PERSISTED_QUERY_NOT_FOUND`, as for a hash no one sent.
 *
 * Apollo's cache hook is not told who asks, so the plugin does the per-caller part: before Apollo looks a hash up
 * (`requestDidStart`), it fills in the caller's own document, which Apollo then checks against the hash; and once a
 * document has passed validation and every check of `didResolveOperation` (`executionDidStart`), it registers it for
 * the caller. Apollo's `set` is left a no-op.
 *
 *     const apq = persistedQueries(() => createExecutor(driver, config, logger));
 *     new ApolloServer({ persistedQueries: { cache: apq.cache }, plugins: [apq.plugin] });
 */
export function persistedQueries(newExecutor: () => Executor): PersistedQueries {
  const registered = new LRUCache<string, string>({ max: MAX_REGISTERED, maxSize: MAX_REGISTERED_CHARS, sizeCalculation: (text) => Math.max(1, text.length) });
  const keyOf = (viewer: Viewer, hash: string): string => `${viewer.keyId ?? 'public'}\u0000${hash}`;
  return {
    cache: {
      async get(key) {
        return (await findSavedDocumentByHash(newExecutor(), key.replace(/^apq:/, ''))) ?? undefined;
      },
      async set() {},
      async delete() {
        return false;
      },
    },
    plugin: {
      async requestDidStart({ request, contextValue }) {
        const persisted: unknown = request.extensions?.persistedQuery;
        if (typeof persisted !== 'object' || persisted === null) return;
        const hash = (persisted as { sha256Hash?: unknown }).sha256Hash;
        if (typeof hash !== 'string') return;
        if (request.query === undefined) {
          const own = registered.get(keyOf(contextValue.viewer, hash));
          if (own !== undefined) request.query = own;
        }
        return {
          async executionDidStart({ source, queryHash, metrics }) {
            if (metrics.persistedQueryRegister && source !== undefined && queryHash === hash) registered.set(keyOf(contextValue.viewer, hash), source);
          },
        };
      },
    },
  };
}
