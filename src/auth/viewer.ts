/** Roles, strongest first. No Authorization header means `public`. */
export const ROLES = ['admin', 'investigator', 'journalist', 'public'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { admin: 3, investigator: 2, journalist: 1, public: 0 };

/** Who is asking: the role of their API key, and the key's id for audit and rate limits. */
export interface Viewer {
  readonly role: Role;
  readonly keyId: string | null;
  readonly keyName: string | null;
}

export const PUBLIC_VIEWER: Viewer = Object.freeze({ role: 'public', keyId: null, keyName: null });

/** True when `viewer` holds `role` or a stronger one. */
export function hasRole(viewer: Viewer, role: Role): boolean {
  return RANK[viewer.role] >= RANK[role];
}

/** Only investigators and admins may see who a victim is. */
export function canSeeVictimIdentity(viewer: Viewer): boolean {
  return hasRole(viewer, 'investigator');
}

/** Journalists and above see victims as pseudonyms; the public sees no individual victim. */
export function canSeeVictims(viewer: Viewer): boolean {
  return hasRole(viewer, 'journalist');
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
