import type { DashboardOverview, DashboardQuery } from '../../../shared/dashboards';
import type { Database } from '../../db/client';
import type { Clock } from '../../lib/clock';
import { peopleScope } from '../../lib/scope';
import type { MembershipContext } from '../../plugins/auth';
import { byName } from '../../../shared/names';
import { fitsInUse } from '../../fsrs-weights/repository';
import { dashboardSettings, fsrsParamsOf } from '../settings-service';
import { DEFAULT_FSRS } from '../sql/fsrs';
import { refreshPairs } from './pairs-repository';
import * as repo from './repository';

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

/** The retention overview over the people a member may see (server/lib/scope.ts). */
export function createOverviewService({ db, clock }: { db: Database; clock: Clock }) {
  return {
    /**
     * Brings the overview's learner × module rows (pairs-repository.ts) up to date at the
     * clock's time (rows marked by a write, or older than half an hour): run every quarter of
     * an hour while the app is up, so that the overview reads them rather than every card
     * state. Answers the rows written. The rows of organisations on FSRS's default weights go
     * at once; each organisation with fitted weights in use, with its own.
     */
    async refreshPairs(orgId?: string) {
      const now = clock.now();
      if (orgId) {
        const { fsrs } = await dashboardSettings(db, orgId);
        return refreshPairs(db, { ...fsrs, now, orgId });
      }
      const fitted = await fitsInUse(db);
      let written = await refreshPairs(db, {
        ...DEFAULT_FSRS,
        now,
        exceptOrgIds: fitted.map((f) => f.orgId),
      });
      for (const fit of fitted) {
        written += await refreshPairs(db, { ...fsrsParamsOf(fit), now, orgId: fit.orgId });
      }
      return written;
    },

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
      const { target, fsrs } = await dashboardSettings(db, orgId);
      const { groups, funnel } = await repo.overview(db, orgId, {
        ...query,
        ...fsrs,
        scope: peopleScope(actor),
        now: clock.now(),
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
