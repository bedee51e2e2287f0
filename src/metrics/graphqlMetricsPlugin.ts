import type { ApolloServerPlugin } from '@apollo/server';
import type { Metrics } from './metrics';

/**
 * Counts the errors each GraphQL response carries, by the `extensions.code` the client sees
 * (after masking), in `tg_graphql_errors_total`.
 */
export function graphqlMetricsPlugin<TContext extends object>(metrics: Metrics): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          for (const error of response.body.singleResult.errors ?? []) {
            const code = error.extensions?.code;
            metrics.graphqlErrors.inc({ code: typeof code === 'string' ? code : 'UNKNOWN' });
          }
        },
      };
    },
  };
}
