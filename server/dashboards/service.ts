import {
  type DashboardForecast,
  type DashboardOverview,
  type DashboardQuery,
  type DashboardTrueRetention,
  FORECAST_DAYS,
  type TrueRetentionQuery,
} from '../../shared/dashboards';
import { DEFAULT_DECAY } from '../../shared/learning';
import { type WorkingCalendar, weekdaysOnlyCalendar } from '../../shared/calendar';
import { type NextUse, nextUseDates } from '../../shared/tools';
import { loadCalendar } from '../calendar/service';
import type { Database } from '../db/client';
import type { Clock } from '../lib/clock';
import { localDate, nextDate, startOfDay } from '../lib/zoned-day';
import { peopleScope } from '../lib/scope';
import type { MembershipContext } from '../plugins/auth';
import * as forecastRepo from './forecast';
import { refreshPairs } from './dashboard-pairs';
import * as repo from './repository';
import * as trueRetentionRepo from './true-retention';

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

/** The calendar date `days` days after `date`. */
function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Groups the per-day rows into one series per team × module, ordered like the heatmap. */
function forecastSeries(
  rows: forecastRepo.ForecastRow[],
  today: string,
  target: number,
  decay: number,
): DashboardForecast['series'] {
  const cells = new Map<string, forecastRepo.ForecastRow[]>();
  for (const row of rows) {
    const key = `${row.teamId}:${row.moduleId}`;
    const cell = cells.get(key);
    if (cell) cell.push(row);
    else cells.set(key, [row]);
  }
  const firstUnder = (points: { date: string; value: number }[]) =>
    points.find((p) => p.value < target)?.date ?? null;
  return [...cells.values()]
    .sort(
      byName(
        (c) => c[0]!.moduleTitle,
        (c) => c[0]!.moduleId,
      ),
    )
    .sort(
      byName(
        (c) => c[0]!.teamName,
        (c) => c[0]!.teamId,
      ),
    )
    .map((cell) => {
      const days = cell.sort((x, y) => x.day - y.day);
      const points = forecastRepo.fillDays(days, FORECAST_DAYS, decay).map((r) => ({
        day: r.day,
        date: addDays(today, r.day),
        withoutReviews: r.withoutReviews,
        withScheduled: r.withScheduled,
      }));
      const { teamId, teamName, moduleId, moduleTitle, learners, cards } = cell[0]!;
      return {
        ...{ teamId, teamName, moduleId, moduleTitle, learners, cards, points },
        crossesTargetOn: firstUnder(points.map((p) => ({ date: p.date, value: p.withoutReviews }))),
        crossesTargetWithScheduledOn: firstUnder(
          points.map((p) => ({ date: p.date, value: p.withScheduled })),
        ),
      };
    });
}

/**
 * The processes next used within the forecast's window (from today, in the organisation's
 * zone), soonest first, with the moment their recall is read: the end of the day of use, the
 * moment event-anchored refreshers aim at (server/srs/anchor.ts).
 */
function upcomingUses(
  processes: forecastRepo.ProcessRow[],
  today: string,
  timeZone: string,
  calendar: WorkingCalendar,
) {
  const last = addDays(today, FORECAST_DAYS);
  return processes
    .map((p) => ({ ...p, nextUse: nextUseDates(calendar, p.nextUse as NextUse, today, 1)[0] }))
    .filter((p): p is typeof p & { nextUse: string } => !!p.nextUse && p.nextUse <= last)
    .sort(
      (a, b) =>
        a.nextUse.localeCompare(b.nextUse) ||
        a.toolName.localeCompare(b.toolName, 'en') ||
        a.name.localeCompare(b.name, 'en') ||
        a.id.localeCompare(b.id),
    )
    .map((p) => ({ ...p, at: startOfDay(nextDate(p.nextUse), timeZone) }));
}

function passRate(r: { reviews: number; passed: number }) {
  return { ...r, rate: r.reviews ? r.passed / r.reviews : null };
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
     * Brings the overview's learner × module rows (dashboard-pairs.ts) up to date at the
     * clock's time (rows marked by a write, or older than half an hour): run every quarter of
     * an hour while the app is up, so that the overview reads them rather than every card
     * state. Answers the rows written.
     */
    refreshPairs: (orgId?: string) => refreshPairs(db, { now: clock.now(), decay, orgId }),

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

    /**
     * The forecast of `actor`'s scope narrowed by `query`: per team × module, mean predicted
     * recall for each of the next FORECAST_DAYS days if nobody reviews and if the refreshers
     * already scheduled are answered right, with the day each curve crosses the target; and
     * for the processes next used within that window, the people who will be under the target
     * on the day.
     */
    async forecast(
      orgId: string,
      actor: MembershipContext,
      query: DashboardQuery,
    ): Promise<DashboardForecast> {
      const { target, timeZone } = await trueRetentionRepo.orgSettings(db, orgId);
      const now = clock.now();
      const today = localDate(now, timeZone);
      const params = { ...query, scope: peopleScope(actor), now, decay, timeZone };
      const rows = await forecastRepo.forecast(db, orgId, params);
      const processes = await forecastRepo.processes(db, orgId);
      // The calendar only matters for processes with next-use rules.
      const calendar = processes.length
        ? ((await loadCalendar(db, orgId)) ?? weekdaysOnlyCalendar)
        : weekdaysOnlyCalendar;
      const uses = upcomingUses(processes, today, timeZone, calendar);
      const recalls = await forecastRepo.processRecall(
        db,
        orgId,
        { ...params, target },
        uses.map((u) => ({ processId: u.id, at: u.at })),
      );
      return {
        target,
        today,
        series: forecastSeries(rows, today, target, decay),
        processes: uses.map((u) => {
          const mine = recalls.filter((r) => r.processId === u.id);
          return {
            processId: u.id,
            processName: u.name,
            toolName: u.toolName,
            nextUse: u.nextUse,
            learners: mine[0]?.learners ?? 0,
            forgetting: mine
              .filter((r) => r.recall < target)
              .map((r) => ({
                userId: r.userId,
                name: r.name,
                teamName: r.teamName,
                recallAtNextUse: r.recall,
              })),
          };
        }),
      };
    },

    /**
     * True retention in `actor`'s scope narrowed by `query`: per period, the pass rate of
     * refreshers (answers a day or more after the card's previous answer), young and mature,
     * beside the mean recall the model predicted for them. With none yet, the first due date
     * of a learnt card in scope, for the empty state.
     */
    async trueRetention(
      orgId: string,
      actor: MembershipContext,
      query: TrueRetentionQuery,
    ): Promise<DashboardTrueRetention> {
      const { target, timeZone } = await trueRetentionRepo.orgSettings(db, orgId);
      const params = { ...query, scope: peopleScope(actor), decay, timeZone };
      const rows = await trueRetentionRepo.trueRetention(db, orgId, params);
      const first = rows.length ? null : await trueRetentionRepo.firstDue(db, orgId, params);
      return {
        target,
        period: query.period,
        rows: rows.map((r) => ({
          periodStart: r.periodStart,
          young: passRate(r.young),
          mature: passRate(r.mature),
          all: passRate({
            reviews: r.young.reviews + r.mature.reviews,
            passed: r.young.passed + r.mature.passed,
          }),
          predicted: r.predicted,
        })),
        firstDue: first,
      };
    },
  };
}
