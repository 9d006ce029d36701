/**
 * What one person's weekly digest says, computed by the dashboards' own services with that
 * person's scope, so that every figure is the one their dashboards show.
 */
import { addDays } from '../../shared/calendar';
import type { Role } from '../../shared/common';
import { compareNames } from '../../shared/names';
import type { Database } from '../db/client';
import type { DashboardPeopleService } from '../dashboards/people/service';
import type { DashboardService } from '../dashboards/service';
import { type PeopleScope, peopleScope } from '../lib/scope';
import { startOfDay } from '../lib/zoned-day';
import type { MembershipContext } from '../plugins/auth';
import * as repo from './digest-repository';
import { digestKey, isoWeek } from './digest-week';

/** How far ahead the digest looks for modules about to fall under the target, in days. */
export const CROSSING_DAYS = 14;
/** At-risk people named in the digest (the rest are counted). */
export const AT_RISK_SHOWN = 5;
/** Team × module forecasts listed at most (the rest are counted). */
export const CROSSING_SHOWN = 10;

/** The digest's template parameters (server/mail/templates/digest.ts reads them). */
export interface DigestParams {
  orgId: string;
  /** ISO week (`2026-W50`) and its Monday in the organisation's zone. */
  week: string;
  monday: string;
  /** The whole organisation (trainers and admins who opted in), else `teams`. */
  whole: boolean;
  teams: string[];
  target: number;
  /** Mean predicted recall now over the learnt cards in scope; null when none is learnt. */
  recallNow: number | null;
  learners: number;
  /** The recall the previous week's digest gave; null without one of the same scope. */
  recallLastWeek: number | null;
  atRiskCount: number;
  atRisk: {
    userId: string;
    name: string;
    teamName: string | null;
    overdueCards: number;
    recall: number | null;
    criticalModules: string[];
  }[];
  /** At risk now and not in last week's digest; null without a digest of the same scope. */
  newlyAtRisk: number | null;
  crossingCount: number;
  crossing: {
    moduleId: string;
    moduleTitle: string;
    teamName: string | null;
    recallNow: number;
    /** The first day under the target if nobody reviews (today: already under). */
    on: string;
    alreadyUnder: boolean;
  }[];
  /** Over the previous Monday-to-Sunday week. */
  lastWeek: { lessonsCompleted: number; refreshers: number; refreshersPassed: number };
  /** The same counts over the week before it. */
  weekBefore: { lessonsCompleted: number; refreshers: number };
}

/** Kept in the digest job's payload for the next week's comparison. */
interface KeptFigures {
  scope: string;
  recallNow: number | null;
  atRiskIds: string[];
}

/**
 * The member as the digest sees them: the whole organisation when a trainer or admin opted in,
 * otherwise their dashboards' scope without the whole-organisation roles (the teams they
 * manage, and their own team if they are also its referent).
 */
export function digestActor(r: repo.DigestRecipient): { actor: MembershipContext; whole: boolean } {
  const wholeRoles: Role[] = ['admin', 'trainer'];
  const whole = r.digestOptIn && r.roles.some((role) => wholeRoles.includes(role));
  const roles = whole ? r.roles : r.roles.filter((role) => !wholeRoles.includes(role));
  const { orgId, userId, teamId, managedTeamIds } = r;
  return { actor: { orgId, userId, roles, teamId, managedTeamIds }, whole };
}

const scopeKey = (scope: PeopleScope) => (scope.all ? 'all' : [...scope.teamIds].sort().join(','));

function isKept(v: unknown): v is KeptFigures {
  const k = v as KeptFigures | null;
  return !!k && typeof k.scope === 'string' && Array.isArray(k.atRiskIds);
}

export type DigestDashboards = {
  dashboards: Pick<DashboardService, 'refreshPairs' | 'overview' | 'forecast' | 'trueRetention'>;
  people: Pick<DashboardPeopleService, 'atRisk'>;
};

/**
 * `r`'s digest for the week starting on `monday` (in `timeZone`), with the figures to keep for
 * next week; null when their scope holds no team (nothing to report, nothing sent).
 */
export async function composeDigest(
  db: Database,
  { dashboards, people }: DigestDashboards,
  r: repo.DigestRecipient,
  { monday, timeZone }: { monday: string; timeZone: string },
): Promise<{ params: DigestParams; figures: KeptFigures } | null> {
  const { actor, whole } = digestActor(r);
  const scope = peopleScope(actor);
  if (!scope.all && scope.teamIds.length === 0) return null;
  // The recall kept here is compared with next week's: read it from rows computed now, not
  // extrapolated from an older refresh, so it is the figure the dashboards show at this moment.
  await dashboards.refreshPairs(r.orgId);
  // One after the other: the forecast and true retention each hold a transaction.
  const overview = await dashboards.overview(r.orgId, actor, {});
  const forecast = await dashboards.forecast(r.orgId, actor, {});
  const retention = await dashboards.trueRetention(r.orgId, actor, { period: 'week' });
  const atRisk = await people.atRisk(r.orgId, actor, {});

  const previousMonday = addDays(monday, -7);
  /** The lessons finished and the refreshers answered in the week starting on `start`. */
  const weekOf = async (start: string) => {
    const bounds = {
      from: startOfDay(start, timeZone),
      to: startOfDay(addDays(start, 7), timeZone),
    };
    const refreshers = retention.rows.find((row) => row.periodStart === start)?.all;
    return {
      lessonsCompleted: await repo.lessonsCompleted(db, r.orgId, { scope }, bounds),
      refreshers: refreshers?.reviews ?? 0,
      refreshersPassed: refreshers?.passed ?? 0,
    };
  };
  const lastWeek = await weekOf(previousMonday);
  const weekBefore = await weekOf(addDays(previousMonday, -7));

  const figures: KeptFigures = {
    scope: scopeKey(scope),
    recallNow: overview.recallNow,
    atRiskIds: atRisk.items.map((i) => i.userId),
  };
  const kept = await repo.keptFigures(db, digestKey(r.orgId, r.userId, isoWeek(previousMonday)));
  const before = isKept(kept) && kept.scope === figures.scope ? kept : null;

  const horizon = addDays(forecast.today, CROSSING_DAYS);
  const crossing = forecast.series
    .filter((s) => s.crossesTargetOn !== null && s.crossesTargetOn <= horizon)
    .map((s) => ({
      moduleId: s.moduleId,
      moduleTitle: s.moduleTitle,
      teamName: s.teamName,
      recallNow: s.points[0]?.withoutReviews ?? 0,
      on: s.crossesTargetOn!,
      alreadyUnder: s.crossesTargetOn! <= forecast.today,
    }))
    .sort((a, b) => a.on.localeCompare(b.on) || a.recallNow - b.recallNow);

  const params: DigestParams = {
    orgId: r.orgId,
    week: isoWeek(monday),
    monday,
    whole,
    teams: scope.all
      ? []
      : (await repo.teamNames(db, r.orgId, scope.teamIds)).sort((a, b) => compareNames(a, b)),
    target: overview.target,
    recallNow: overview.recallNow,
    learners: overview.learners,
    recallLastWeek: before?.recallNow ?? null,
    atRiskCount: atRisk.items.length,
    atRisk: atRisk.items.slice(0, AT_RISK_SHOWN).map((i) => ({
      userId: i.userId,
      name: i.name,
      teamName: i.teamName,
      overdueCards: i.overdueCards,
      recall: i.recall,
      criticalModules: i.criticalUnderTarget.map((c) => c.moduleTitle),
    })),
    newlyAtRisk: before
      ? figures.atRiskIds.filter((id) => !before.atRiskIds.includes(id)).length
      : null,
    crossingCount: crossing.length,
    crossing: crossing.slice(0, CROSSING_SHOWN),
    lastWeek,
    weekBefore: {
      lessonsCompleted: weekBefore.lessonsCompleted,
      refreshers: weekBefore.refreshers,
    },
  };
  return { params, figures };
}
