import type { DashboardOverview, DashboardQuery } from '../../shared/dashboards';
import { DEFAULT_DECAY } from '../../shared/learning';
import type { Database } from '../db/client';
import type { Clock } from '../lib/clock';
import { peopleScope } from '../lib/scope';
import type { MembershipContext } from '../plugins/auth';
import * as repo from './repository';

export type DashboardService = ReturnType<typeof createDashboardService>;

/** Names first (none last), then ids, so that equal names still come in a stable order. */
function byName<T>(name: (x: T) => string | null, id: (x: T) => string | null) {
  return (x: T, y: T) => {
    const [a, b] = [name(x), name(y)];
    if (a !== b) return a === null ? 1 : b === null ? -1 : a.localeCompare(b, 'en');
    return (id(x) ?? '').localeCompare(id(y) ?? '');
  };
}

const recallOf = (g: repo.RecallGroupRow) => ({
  recall: g.recall ?? 0,
  learners: g.learners,
  cards: g.cards,
});

function heatmap(groups: repo.RecallGroupRow[]): DashboardOverview['heatmap'] {
  return groups
    .filter((g) => g.grouping === 'cell')
    .sort(
      byName(
        (g) => g.moduleTitle,
        (g) => g.moduleId,
      ),
    )
    .sort(
      byName(
        (g) => g.teamName,
        (g) => g.teamId,
      ),
    )
    .map((g) => ({
      teamId: g.teamId,
      teamName: g.teamName,
      moduleId: g.moduleId!,
      moduleTitle: g.moduleTitle!,
      ...recallOf(g),
    }));
}

function byPersona(groups: repo.RecallGroupRow[]): DashboardOverview['byPersona'] {
  return groups
    .filter((g) => g.grouping === 'persona')
    .sort(
      byName(
        (g) => g.personaName,
        (g) => g.personaId,
      ),
    )
    .map((g) => ({ personaId: g.personaId, name: g.personaName, ...recallOf(g) }));
}

function byJobRole(groups: repo.RecallGroupRow[]): DashboardOverview['byJobRole'] {
  return groups
    .filter((g) => g.grouping === 'jobRole')
    .sort(
      byName(
        (g) => g.jobRoleName,
        (g) => g.jobRoleId,
      ),
    )
    .map((g) => ({ jobRoleId: g.jobRoleId, name: g.jobRoleName, ...recallOf(g) }));
}

/**
 * Retention dashboards over the people a member may see (server/lib/scope.ts), with the FSRS
 * decay the scheduler uses (FSRS-6's default until organisations get their own parameters).
 */
export function createDashboardService({
  db,
  clock,
  decay = DEFAULT_DECAY,
}: {
  db: Database;
  clock: Clock;
  decay?: number;
}) {
  return {
    /**
     * The retention overview of `actor`'s scope narrowed by `query`: predicted recall now
     * against the organisation's target, per team × module, persona and job role, and the
     * completion funnel. A filter outside the scope narrows it to nobody: zeros, never the
     * numbers of a team the actor may not see.
     */
    async overview(
      orgId: string,
      actor: MembershipContext,
      query: DashboardQuery,
    ): Promise<DashboardOverview> {
      const target = await repo.desiredRetention(db, orgId);
      const { groups, funnel } = await repo.overview(db, orgId, {
        ...query,
        scope: peopleScope(actor),
        now: clock.now(),
        decay,
        target,
      });
      const all = groups.find((g) => g.grouping === 'all')!;
      return {
        target,
        recallNow: all.recall,
        learners: all.learners,
        cardsLearnt: all.cards,
        heatmap: heatmap(groups),
        byPersona: byPersona(groups),
        byJobRole: byJobRole(groups),
        funnel,
      };
    },
  };
}
