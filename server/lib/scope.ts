import type { MembershipContext } from '../plugins/auth';

/** Whose people (learners' assignments, progress, dashboards) a member may see and act on. */
export type PeopleScope = { all: true } | { all: false; teamIds: string[] };

type Actor = Pick<MembershipContext, 'roles' | 'teamId' | 'managedTeamIds'>;

/**
 * The teams a member manages. They count only while the member is a manager: the stored list
 * stays when the role is taken away, so giving it back restores the same teams. Being in a team
 * is not managing it.
 */
export function managedTeams(actor: Actor): string[] {
  return actor.roles.includes('manager') ? actor.managedTeamIds : [];
}

/**
 * The one scope rule over people (DESIGN.md §2): admins and trainers the whole organisation;
 * managers the teams they manage; referents their own team; a member with several of these
 * roles the union. Anyone else an empty list of teams.
 */
export function peopleScope(actor: Actor): PeopleScope {
  if (actor.roles.includes('admin') || actor.roles.includes('trainer')) return { all: true };
  const teamIds = new Set(managedTeams(actor));
  if (actor.roles.includes('referent') && actor.teamId) teamIds.add(actor.teamId);
  return { all: false, teamIds: [...teamIds] };
}

/** Whether a member of team `teamId` (null: no team) is within `scope`. */
export function inPeopleScope(scope: PeopleScope, teamId: string | null): boolean {
  return scope.all || (teamId !== null && scope.teamIds.includes(teamId));
}
