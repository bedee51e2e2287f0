import type { ApolloServerPlugin } from '@apollo/server';

/**
 * Answers HTTP 503 with `Retry-After: 1` when a GraphQL response failed only because Neo4j could not
 * be reached (every error is SERVICE_UNAVAILABLE without a `reason`), so load balancers and clients
 * treat it as the transient outage it is. Timeouts and cancellations keep their 200.
 */
export function unavailablePlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const errors = response.body.singleResult.errors ?? [];
          if (errors.length === 0 || !errors.every((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE' && !e.extensions.reason)) return;
          response.http.status = 503;
          response.http.headers.set('retry-after', '1');
        },
      };
    },
  };
}
