/**
 * The staff's home: for each of the caller's roles, what to do next, from the organisation's
 * data. Numbers about people come from the dashboards' services, over the same scope
 * (server/lib/scope.ts), so the home never says something the dashboards would not.
 */
import type { Role } from '../../shared/common';
import type { DashboardForecast, DashboardOverview } from '../../shared/dashboards';
import {
  type AdminHome,
  AT_RISK_NAMED,
  type AuthoringHome,
  CROSSING_SOON_DAYS,
  type Home,
  type OrgState,
  STALE_DRAFT_DAYS,
  type TeamsHome,
} from '../../shared/home';
import { addDays } from '../../shared/calendar';
import type { ModuleSummary } from '../../shared/modules';
import type { DashboardPeopleService } from '../dashboards/people/service';
import type { DashboardService } from '../dashboards/service';
import { dashboardSettings } from '../dashboards/settings-service';
import type { Database } from '../db/client';
import type { Clock } from '../lib/clock';
import { peopleScope } from '../lib/scope';
import { MAIL_JOB } from '../mail/outbox';
import type { ModuleService } from '../modules/service';
import type { MembershipContext } from '../plugins/auth';
import * as structureRepo from '../structure/repository';
import { setupCounts } from './repository';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How far back the admin's "open problems" look. */
const PROBLEMS_DAYS = 7;

/** The roles whose part is the teams they follow. */
const FOLLOWING: Role[] = ['manager', 'referent'];

export type HomeService = ReturnType<typeof createHomeService>;

/** Per module, the organisation's recall now: the heatmap's team cells put back together. */
function recallPerModule(overview: DashboardOverview) {
  const sums = new Map<string, { weighted: number; cards: number; learners: number }>();
  for (const cell of overview.heatmap) {
    const sum = sums.get(cell.moduleId) ?? { weighted: 0, cards: 0, learners: 0 };
    // A cell's recall is the mean over its cards; a person is in one team, so learners add up.
    sum.weighted += cell.recall * cell.cards;
    sum.cards += cell.cards;
    sum.learners += cell.learners;
    sums.set(cell.moduleId, sum);
  }
  return (moduleId: string) => {
    const sum = sums.get(moduleId);
    return sum && sum.cards > 0
      ? { recallNow: sum.weighted / sum.cards, learners: sum.learners }
      : { recallNow: null, learners: 0 };
  };
}

/** Modules by state, and what needs their author's attention, in shared/home.ts's order. */
function authoringPart(
  modules: ModuleSummary[],
  overview: DashboardOverview,
  now: Date,
): AuthoringHome {
  const recallOf = recallPerModule(overview);
  const ref = (m: ModuleSummary) => ({ moduleId: m.id, title: m.title });
  const drafts = modules.filter((m) => m.status === 'draft');
  const published = modules
    .filter((m) => m.status === 'published')
    .map((m) => ({ ...ref(m), ...recallOf(m.id) }));
  const staleBefore = now.getTime() - STALE_DRAFT_DAYS * DAY_MS;
  const none = { recallNow: null, updatedAt: null };
  const attention: AuthoringHome['attention'] = [
    ...published
      .filter((m) => m.recallNow !== null && m.recallNow < overview.target)
      .sort((a, b) => a.recallNow! - b.recallNow!)
      .map(({ moduleId, title, recallNow }) => ({
        ...{ moduleId, title, recallNow, updatedAt: null },
        reason: 'under-target' as const,
      })),
    ...drafts
      .filter((m) => m.updatedAt.getTime() < staleBefore)
      .sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime())
      .map((m) => ({ ...none, ...ref(m), reason: 'stale-draft' as const, updatedAt: m.updatedAt })),
    ...modules
      .filter((m) => m.status !== 'archived' && !m.jobRoleIds.length && !m.teamIds.length)
      .map((m) => ({ ...none, ...ref(m), reason: 'no-target' as const })),
  ];
  return {
    drafts: drafts.map((m) => ({ ...ref(m), updatedAt: m.updatedAt })),
    changed: modules.filter((m) => m.status === 'published' && m.hasUnpublishedChanges).map(ref),
    published,
    attention,
  };
}

/**
 * The forecast's team × module curves that fall under the target after today and within
 * CROSSING_SOON_DAYS days if nobody reviews; the ones under it already are the recall now's.
 */
function crossings(forecast: DashboardForecast) {
  const later = forecast.series
    .filter((s) => s.crossesTargetOn !== null && s.crossesTargetOn > forecast.today)
    .map((s) => ({
      teamId: s.teamId,
      teamName: s.teamName,
      moduleId: s.moduleId,
      moduleTitle: s.moduleTitle,
      crossesOn: s.crossesTargetOn!,
    }))
    .sort((a, b) => a.crossesOn.localeCompare(b.crossesOn));
  const soonLast = addDays(forecast.today, CROSSING_SOON_DAYS);
  const soon = later.filter((c) => c.crossesOn <= soonLast);
  return { crossingSoon: soon, nextCrossing: soon.length ? null : (later[0] ?? null) };
}

export function createHomeService(deps: {
  db: Database;
  clock: Clock;
  dashboards: DashboardService;
  people: DashboardPeopleService;
  modules: ModuleService;
}) {
  const { db, clock, dashboards, people, modules } = deps;

  /** The teams `actor` follows as manager or referent, with each one's recall and members. */
  async function teamsPart(orgId: string, actor: MembershipContext): Promise<TeamsHome> {
    // The dashboards' scope rule, over the roles that follow teams only: an admin who also
    // manages a team sees that team here, the whole organisation in the admin's part.
    const follower = { ...actor, roles: actor.roles.filter((r) => FOLLOWING.includes(r)) };
    const scope = peopleScope(follower);
    const teamIds = scope.all ? [] : scope.teamIds;
    const [all, atRisk, forecast, teams] = await Promise.all([
      dashboards.overview(orgId, follower, {}),
      people.atRisk(orgId, follower, {}),
      dashboards.forecast(orgId, follower, {}),
      structureRepo.listItems(db, 'team', orgId),
    ]);
    const followed = teams.filter((t) => teamIds.includes(t.id));
    const perTeam = await Promise.all(
      followed.map(async (t) => {
        const o = await dashboards.overview(orgId, follower, { teamId: t.id });
        return {
          teamId: t.id,
          name: t.name,
          members: t.memberCount,
          recallNow: o.recallNow,
          learners: o.learners,
        };
      }),
    );
    return {
      members: perTeam.reduce((n, t) => n + t.members, 0),
      recallNow: all.recallNow,
      learners: all.learners,
      teams: perTeam,
      atRisk: {
        count: atRisk.items.length,
        first: atRisk.items
          .slice(0, AT_RISK_NAMED)
          .map(({ userId, name, teamName }) => ({ userId, name, teamName })),
      },
      today: forecast.today,
      ...crossings(forecast),
    };
  }

  /** The set-up checklist; once every step is done, the organisation's state too. */
  async function adminPart(
    orgId: string,
    actor: MembershipContext,
    overview: DashboardOverview,
  ): Promise<{ admin: AdminHome; hasModules: boolean }> {
    const now = clock.now();
    const since = new Date(now.getTime() - PROBLEMS_DAYS * DAY_MS);
    const c = await setupCounts(db, orgId, { now, since, mailJob: MAIL_JOB });
    const counts = {
      teams: c.teams,
      jobRoles: c.jobRoles,
      // Anyone beyond the admin looking: other members, or people invited.
      people: c.members - 1 + c.pendingInvitations,
      personas: c.personas,
      tools: c.tools,
      publishedModule: c.publishedModules,
      learning: c.learning,
    };
    const steps = Object.entries(counts).map(([step, count]) => ({
      step: step as keyof typeof counts,
      done: count > 0,
      count,
    }));
    const state = async (): Promise<OrgState> => ({
      members: c.members,
      pendingInvitations: c.pendingInvitations,
      publishedModules: c.publishedModules,
      draftModules: c.draftModules,
      recallNow: overview.recallNow,
      learners: overview.learners,
      atRisk: (await people.atRisk(orgId, actor, {})).items.length,
      failedMessages: c.failedMessages,
      failedJobs: c.failedJobs,
    });
    return {
      admin: { steps, state: steps.every((s) => s.done) ? await state() : null },
      hasModules: c.publishedModules + c.draftModules > 0,
    };
  }

  return {
    /**
     * The parts of the home for `actor`'s roles: the admin's checklist or organisation state,
     * the authors' modules (trainers; admins once there are modules), the teams a manager or
     * referent follows. A part none of the roles has is null.
     */
    async home(orgId: string, actor: MembershipContext): Promise<Home> {
      const { target } = await dashboardSettings(db, orgId);
      const roles = actor.roles;
      const authors = roles.includes('admin') || roles.includes('trainer');
      // Admins and trainers see the whole organisation (server/lib/scope.ts).
      const overview = authors ? await dashboards.overview(orgId, actor, {}) : null;
      const admin = roles.includes('admin') ? await adminPart(orgId, actor, overview!) : null;
      const authoring =
        roles.includes('trainer') || admin?.hasModules
          ? authoringPart(await modules.list(orgId, {}), overview!, clock.now())
          : null;
      const teams = roles.some((r) => FOLLOWING.includes(r)) ? await teamsPart(orgId, actor) : null;
      return { target, admin: admin?.admin ?? null, authoring, teams };
    },
  };
}
