import fs from 'node:fs';
import path from 'node:path';
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import type { Resolvers } from './generated/graphql';
import type { GraphContext } from './context';
import { DateScalar } from './common/partialDate';
import { nodeInterfaceResolvers, nodeQueryResolvers } from './node/node.resolvers';
import { searchQueryResolvers } from './search/search.resolvers';
import { personQueryResolvers, personResolvers } from './person/person.resolvers';
import { compoundQueryResolvers, compoundResolvers, compoundStatusPeriodResolvers } from './compound/compound.resolvers';
import { organisationQueryResolvers, organisationResolvers } from './organisation/organisation.resolvers';
import { eventQueryResolvers, eventResolvers, participantResolvers, participationResolvers } from './event/event.resolvers';
import { sourceQueryResolvers, sourceResolvers } from './source/source.resolvers';
import { relationResolvers } from './relation/relation.resolvers';
import { claimResolvers } from './claim/claim.resolvers';
import { savedQueryMutationResolvers, savedQueryQueryResolvers, savedQueryResolvers } from './saved/saved.resolvers';
import { insightsQueryResolvers } from './insights/insights.resolvers';
import { traversalQueryResolvers } from './network/traversal.resolvers';
import { graphSliceResolvers } from './network/graphSlice';
import { auditEntryResolvers, auditQueryResolvers } from './auth/audit.resolvers';
import { changeQueryResolvers, mutationResolvers } from './mutation/mutation.resolvers';
import { mergeResolvers, resolutionMutationResolvers, resolutionQueryResolvers } from './resolution/resolution.resolvers';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { applyAuthPolicy } from './auth/authDirective';
import { PROJECT_ROOT } from './projectRoot';

const SCHEMA_DIR = path.join(PROJECT_ROOT, 'schema');

/** The SDL of schema/*.graphql, in file-name order. */
export function loadTypeDefs(): string {
  return fs
    .readdirSync(SCHEMA_DIR)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => fs.readFileSync(path.join(SCHEMA_DIR, file), 'utf8'))
    .join('\n');
}

/** Every resolver of the API, by type. */
export const resolvers: Resolvers<GraphContext> = {
  Date: DateScalar,
  DateTime: DateTimeResolver,
  JSON: JSONResolver,
  ...nodeInterfaceResolvers,
  Query: {
    ...nodeQueryResolvers,
    ...searchQueryResolvers,
    ...personQueryResolvers,
    ...compoundQueryResolvers,
    ...organisationQueryResolvers,
    ...eventQueryResolvers,
    ...sourceQueryResolvers,
    ...savedQueryQueryResolvers,
    ...insightsQueryResolvers,
    ...traversalQueryResolvers,
    ...auditQueryResolvers,
    ...changeQueryResolvers,
    ...resolutionQueryResolvers,
  },
  AuditEntry: auditEntryResolvers,
  Person: personResolvers,
  Compound: compoundResolvers,
  CompoundStatusPeriod: compoundStatusPeriodResolvers,
  Organisation: organisationResolvers,
  Event: eventResolvers,
  Participant: participantResolvers,
  Participation: participationResolvers,
  Source: sourceResolvers,
  Relation: relationResolvers,
  Claim: claimResolvers,
  Merge: mergeResolvers,
  SavedQuery: savedQueryResolvers,
  GraphSlice: graphSliceResolvers,
  Mutation: { ...savedQueryMutationResolvers, ...mutationResolvers, ...resolutionMutationResolvers },
};

/**
 * The executable schema the server runs: SDL plus resolvers, with the `@auth` policy enforced
 * on every field (src/auth/authDirective.ts).
 *
 *     new ApolloServer({ schema: createSchema() })
 */
export function createSchema(): GraphQLSchema {
  return applyAuthPolicy(makeExecutableSchema({ typeDefs: loadTypeDefs(), resolvers: resolvers as never }));
}
