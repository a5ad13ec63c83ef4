/** Roles, from least to most allowed: each includes what the ones before it may do. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;

/** viewer: reads; operator: also recordings and exports; admin: also users, keys and settings. */
export type Role = (typeof ROLES)[number];

/** True when `have` allows what `need` allows. */
export function roleAllows(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}

/** Narrows a string to a Role. */
export function isRole(s: string): s is Role {
  return (ROLES as readonly string[]).includes(s);
}
