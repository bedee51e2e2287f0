import type { ApolloServerPlugin } from '@apollo/server';

const GRAPHQL_RESPONSE = 'application/graphql-response+json';

/**
 * GraphQL over HTTP: a client that asks for `application/json` (and not for
 * `application/graphql-response+json`) SHOULD get 200 for a well-formed request whose document fails to
 * parse or validate, or whose variables do not coerce; the errors are in the body. Apollo answers 400
 * there, which is right for `application/graphql-response+json` only. Requests without an Accept header
 * keep Apollo's status.
 */
export function legacyJsonStatusPlugin<T extends object>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart({ request }) {
      const accept = request.http?.headers.get('accept') ?? '';
      const legacyJson = accept.includes('application/json') && !accept.includes(GRAPHQL_RESPONSE);
      if (!legacyJson) return {};
      return {
        async willSendResponse({ response }) {
          if (response.http.status === 400 && response.body.kind === 'single' && response.body.singleResult.errors?.length) {
            response.http.status = 200;
          }
        },
      };
    },
  };
}
