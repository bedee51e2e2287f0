import type { GraphContext } from '../context';
import type { PersonResolvers, QueryResolvers } from '../generated/graphql';
import { canSeeVictimIdentity, canSeeVictims } from '../auth/viewer';
import { entityFields, fixedRelationsOf, RELATION_FIELDS, toEnum } from '../common/entityResolvers';
import { readPage } from '../common/pagination';
import { listConnection, type ListRow } from '../common/listQuery';
import type { PersonRecord } from './person.model';
import { listPersons } from './person.queries';
import { pseudonymFor } from './pseudonym';
import { MASKED_VICTIM_ROLES } from './victimIdentity';
import { checkIdOf } from '../common/ids';

/**
 * Reads one identity field of a person. For a victim, only investigators and admins get the value,
 * and each such read is noted for the audit log; everyone else gets `hidden`.
 */
function identity<T>(person: PersonRecord, context: GraphContext, value: T, hidden: T): T {
  if (!person.victim) return value;
  if (!canSeeVictimIdentity(context.viewer)) return hidden;
  context.identityReads.add(person.id);
  return value;
}

export const personResolvers: PersonResolvers<GraphContext> = {
  ...entityFields,
  type: () => 'PERSON',
  // A hidden victim's name is their pseudonym, an HMAC made only then: not for every person a list or a trace names.
  name: (p, _a, context) =>
    p.victim && !canSeeVictimIdentity(context.viewer) ? pseudonymFor(p.id, context.config.pseudonymSecret) : identity(p, context, p.name, p.name),
  aliases: (p, _a, context) => identity(p, context, p.aliases ?? [], []),
  nationality: (p, _a, context) => identity(p, context, p.nationality ?? [], []),
  gender: (p, _a, context) => identity(p, context, p.gender ?? null, null),
  birthDate: (p, _a, context) => identity(p, context, p.birthDate ?? null, null),
  description: (p, _a, context) => identity(p, context, p.description ?? null, null),
  // Claims about a victim restate identity fields (a name, a birth date): the same rule applies.
  claims: async (p, _a, context) => identity(p, context, await context.loaders.claims.load(p.id), []),
  // Slices show the same (src/network/graphSlice.ts): to a journalist a victim is a victim, with no other role,
  // position or topics (src/person/victimIdentity.ts).
  roles: (p, _a, context) => identity(p, context, p.roles ?? [], MASKED_VICTIM_ROLES).map((role) => toEnum(role)),
  isVictim: (p) => p.victim,
  pseudonym: (p, _a, context) => (p.victim ? pseudonymFor(p.id, context.config.pseudonymSecret) : null),
  ageBand: (p, _a, context) => (p.victim && canSeeVictims(context.viewer) ? (p.ageBand ?? null) : null),
  position: (p, _a, context) => identity(p, context, p.position ?? null, null),
  topics: (p, _a, context) => identity(p, context, p.topics ?? [], []),
  organisations: (p, args, context, info) =>
    fixedRelationsOf(p, RELATION_FIELDS.Person.organisations, args.asOf, context, info),
  compounds: (p, args, context, info) => fixedRelationsOf(p, RELATION_FIELDS.Person.compounds, args.asOf, context, info),
};

export const personQueryResolvers: Pick<QueryResolvers<GraphContext>, 'persons'> = {
  persons: async (_root, args, context, info) => {
    checkIdOf(args.filter?.sourceId, ['source'], 'filter.sourceId');
    const page = readPage(args.first, args.after, info, 'Person');
    const [row] = await context.executor.read<ListRow>(listPersons(args.filter, args.orderBy, page, context.viewer));
    return listConnection<PersonRecord>(row, page, context.loaders);
  },
};
