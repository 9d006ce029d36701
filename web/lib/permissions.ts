import type { Role } from '$shared/common';

/** What each screen needs, mirroring the API's role checks (DESIGN.md §2). */
const rules = {
  viewPeople: ['admin', 'trainer'],
  managePeople: ['admin'],
  invite: ['admin', 'trainer'],
  viewStructure: ['admin', 'trainer', 'manager', 'referent'],
  /** Their team's people and the catalogue in the menu (admins and trainers go by dashboards). */
  leadTeam: ['manager', 'referent'],
  manageStructure: ['admin'],
  manageOrg: ['admin'],
  /** Personas, onboarding rules, tools and processes. */
  author: ['admin', 'trainer'],
  /** Today's lessons and refreshers, my progress. */
  learn: ['learner'],
} satisfies Record<string, Role[]>;

export type Permission = keyof typeof rules;

export function can(roles: readonly Role[], permission: Permission): boolean {
  return roles.some((r) => (rules[permission] as Role[]).includes(r));
}
