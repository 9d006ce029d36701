import {
  type DashboardForecast,
  type DashboardForecastPage,
  type DashboardQuery,
  FORECAST_DAYS,
  type ForecastQuery,
  type ForecastSeries,
} from '../../../shared/dashboards';
import { addDays, type WorkingCalendar } from '../../../shared/calendar';
import { DEFAULT_USE_DAY_TARGET } from '../../../shared/retention';
import { type NextUse, nextUseDates } from '../../../shared/tools';
import { calendarForUses } from '../../calendar/service';
import type { Database } from '../../db/client';
import type { Clock } from '../../lib/clock';
import { localDate, nextDate, startOfDay } from '../../lib/zoned-day';
import { peopleScope } from '../../lib/scope';
import type { MembershipContext } from '../../plugins/auth';
import { byName, compareNames } from '../../../shared/names';
import { dashboardSettings } from '../settings-service';
import { fillDays } from './days';
import * as repo from './repository';

/** Groups the per-day rows into one series per team × module, by need of attention. */
function forecastSeries(
  rows: repo.ForecastRow[],
  today: string,
  target: number,
  decay: number,
): DashboardForecast['series'] {
  const cells = new Map<string, repo.ForecastRow[]>();
  for (const row of rows) {
    const key = `${row.teamId}:${row.moduleId}`;
    const cell = cells.get(key);
    if (cell) cell.push(row);
    else cells.set(key, [row]);
  }
  const firstUnder = (points: { date: string; value: number }[]) =>
    points.find((p) => p.value < target)?.date ?? null;
  const series = [...cells.values()]
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
      const points = fillDays(days, FORECAST_DAYS, decay).map((r) => ({
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
  // Stable: equal needs keep the heatmap's order.
  return series.sort(byAttention);
}

/**
 * Need of attention, most first (`dashboardForecastPageSchema.series`): the first day under the
 * target without reviews, which is today for a series under it already and never (null) last,
 * then the lower recall today.
 */
function byAttention(a: ForecastSeries, b: ForecastSeries): number {
  const [x, y] = [a.crossesTargetOn, b.crossesTargetOn];
  if (x !== y) {
    if (x === null) return 1;
    if (y === null) return -1;
    return x.localeCompare(y);
  }
  return (a.points[0]?.withoutReviews ?? 1) - (b.points[0]?.withoutReviews ?? 1);
}

/**
 * One page of `forecast` (`limit` series from `offset`), with what the page says of every
 * series (how many, how many under the target now, their modules) counted before paging.
 */
export function forecastPage(
  forecast: DashboardForecast,
  { limit, offset }: { limit: number; offset: number },
): DashboardForecastPage {
  const { series } = forecast;
  const modules = new Map(series.map((s) => [s.moduleId, s.moduleTitle]));
  return {
    ...forecast,
    series: series.slice(offset, offset + limit),
    total: series.length,
    underNow: series.filter((s) => s.crossesTargetOn === forecast.today).length,
    nextOffset: offset + limit < series.length ? offset + limit : null,
    modules: [...modules]
      .map(([moduleId, moduleTitle]) => ({ moduleId, moduleTitle }))
      .sort(
        byName(
          (x) => x.moduleTitle,
          (x) => x.moduleId,
        ),
      ),
  };
}

/**
 * The processes next used within the forecast's window (from today, in the organisation's
 * zone), soonest first, with the moment their recall is read and the recall aimed at then: the
 * end of the day of use and the process's use-day target, as event-anchored refreshers aim
 * (server/srs/anchor.ts).
 */
function upcomingUses(
  processes: repo.ProcessRow[],
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
        compareNames(a.toolName, b.toolName) ||
        compareNames(a.name, b.name) ||
        a.id.localeCompare(b.id),
    )
    .map((p) => ({
      ...p,
      at: startOfDay(nextDate(p.nextUse), timeZone),
      target: p.useDayTarget ?? DEFAULT_USE_DAY_TARGET,
    }));
}

/** The forecast over the people a member may see (server/lib/scope.ts). */
export function createForecastService({ db, clock }: { db: Database; clock: Clock }) {
  const service = {
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
      const { target, timeZone, fsrs } = await dashboardSettings(db, orgId);
      const now = clock.now();
      const today = localDate(now, timeZone);
      const params = { ...query, ...fsrs, scope: peopleScope(actor), now, timeZone };
      const rows = await repo.forecast(db, orgId, params);
      const processes = await repo.processes(db, orgId);
      const calendar = await calendarForUses(
        db,
        orgId,
        processes.map((p) => p.nextUse as NextUse),
      );
      const uses = upcomingUses(processes, today, timeZone, calendar);
      const recalls = await repo.processRecall(
        db,
        orgId,
        params,
        uses.map((u) => ({ processId: u.id, at: u.at, target: u.target })),
      );
      return {
        target,
        today,
        series: forecastSeries(rows, today, target, fsrs.decay),
        processes: uses.map((u) => {
          const mine = recalls.filter((r) => r.processId === u.id);
          return {
            processId: u.id,
            processName: u.name,
            toolName: u.toolName,
            nextUse: u.nextUse,
            target: u.target,
            learners: mine[0]?.learners ?? 0,
            forgetting: mine
              .filter((r) => r.recall < u.target)
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

    /** One page of `forecast`'s series (`forecastPage`), its other parts whole. */
    async forecastPage(
      orgId: string,
      actor: MembershipContext,
      { limit, offset, ...filters }: ForecastQuery,
    ): Promise<DashboardForecastPage> {
      return forecastPage(await service.forecast(orgId, actor, filters), { limit, offset });
    },
  };
  return service;
}
