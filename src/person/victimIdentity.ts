import { canSeeVictimIdentity, type Viewer } from '../auth/viewer';
import type { EntityRecord } from '../node/node.model';

/**
 * The stored properties of a victim that tell who they are: investigators and admins see them (each read audited),
 * journalists see the pseudonym, the age band and the role `victim` instead, the public sees no victim at all.
 * The Person fields mask each of them (src/person/person.resolvers.ts); graph slices and their exports copy them
 * from this list for investigators only (src/network/graphSlice.ts). `position` and `topics` are free text and tags
 * that can single a victim out, and so can their other roles (a victim who is also the witness of a trial).
 */
export const VICTIM_IDENTITY_PROPERTIES = ['name', 'aliases', 'nationality', 'gender', 'birthDate', 'roles', 'position', 'topics', 'description'] as const;

/** A victim's roles as shown to whoever may not see their identity: being a victim, and nothing more. */
export const MASKED_VICTIM_ROLES: readonly string[] = Object.freeze(['victim']);

/**
 * Orders entities by name as `viewer` may see them: a victim whose identity the viewer may not see is never placed
 * by their name, but after every other entity, by id (the persons list orders the same way,
 * src/person/person.queries.ts). Ties by id.
 *
 *     connectors.sort((a, b) => byName(a.entity, b.entity)) // with const byName = byNameFor(viewer)
 */
export function byNameFor(viewer: Viewer): (a: EntityRecord, b: EntityRecord) => number {
  const identity = canSeeVictimIdentity(viewer);
  const named = (entity: EntityRecord): boolean => identity || !entity.victim;
  return (a, b) => {
    const [namedA, namedB] = [named(a), named(b)];
    if (namedA !== namedB) return namedA ? -1 : 1;
    return (namedA ? a.name.localeCompare(b.name) : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  };
}
