/**
 * The people side of the retention dashboards: who is at risk of forgetting, and one learner's
 * drill-down, over the people a member may see. The statements are in repository.ts.
 */
import type {
  AtRiskLearner,
  DashboardAtRisk,
  DashboardPeople,
  DashboardQuery,
  LearnerDrillDown,
  ScopePerson,
} from '../../../shared/dashboards';
import { addDays, lastOverdueDueDay, nextWorkingDay } from '../../../shared/calendar';
import { loadCalendar, type OrgCalendar } from '../../calendar/service';
import type { Database } from '../../db/client';
import type { Clock } from '../../lib/clock';
import { NotFoundError } from '../../lib/errors';
import { inPeopleScope, peopleScope } from '../../lib/scope';
import { startOfDay, zonedToday } from '../../lib/zoned-day';
import * as pauseRepo from '../../pauses/repository';
import { toPause } from '../../pauses/service';
import { overdueFrom } from '../../srs/working-days';
import type { MembershipContext } from '../../plugins/auth';
import { byName } from '../../../shared/names';
import { dashboardSettings } from '../settings-service';
import { epochMs, jsonOf, num, type Raw, str } from '../sql/rows';
import { atRiskSql, drillDownSql, findMember, run } from './repository';
import { peopleListSql } from './team-repository';

/** How far back the drill-down's review history goes, in days (today included). */
export const HISTORY_DAYS = 180;

const byModule = byName<{ moduleTitle: string; moduleId: string }>(
  (m) => m.moduleTitle,
  (m) => m.moduleId,
);

function toAtRisk(r: Raw, calendar: OrgCalendar): AtRiskLearner {
  type Critical = AtRiskLearner['criticalUnderTarget'][number];
  const oldestDue = epochMs(r.overdue_since);
  return {
    userId: String(r.user_id),
    name: String(r.name),
    teamId: str(r.team_id),
    teamName: str(r.team_name),
    overdueCards: Number(r.overdue_cards),
    overdueSince: oldestDue && overdueFrom(oldestDue, calendar, calendar.timeZone),
    criticalUnderTarget: jsonOf<Critical[]>(r.critical).sort(
      (x, y) => x.recall - y.recall || byModule(x, y),
    ),
    recall: num(r.recall),
    risk: Number(r.risk),
    pausedUntil: str(r.paused_until),
    lastRemindedAt: epochMs(r.last_reminded_at),
  };
}

function toPerson(r: Raw): ScopePerson {
  return {
    userId: String(r.user_id),
    name: String(r.name),
    teamId: str(r.team_id),
    teamName: str(r.team_name),
    jobRoleName: str(r.job_role_name),
    recall: num(r.recall),
    lessonsDone: Number(r.lessons_done),
    lessonsTotal: Number(r.lessons_total),
    lastActiveAt: epochMs(r.last_active),
    overdueCards: Number(r.overdue_cards),
    atRisk: Boolean(r.at_risk),
    risk: Number(r.risk),
    pausedUntil: str(r.paused_until),
  };
}

const byPerson = byName<{ name: string; userId: string }>(
  (x) => x.name,
  (x) => x.userId,
);

type DrillModule = LearnerDrillDown['modules'][number];
type ModuleRow = Omit<DrillModule, 'nextDue' | 'overdueSince'> & {
  nextDue: unknown;
  overdueSince: unknown;
};

/**
 * A drill-down module as Today shows its refreshers, never a past date as the next one: what
 * is due already is `dueToday`, overdue since the first working day it was late on; on a pause
 * nothing is due, and what waits comes back at `resumesAt`, the first working day after it.
 */
function toDrillModule(m: ModuleRow, calendar: OrgCalendar, resumesAt: Date | null): DrillModule {
  const nextDue = epochMs(m.nextDue);
  if (resumesAt && m.dueToday > 0) {
    const next = nextDue && nextDue < resumesAt ? nextDue : resumesAt;
    return { ...m, dueToday: 0, nextDue: next, overdueSince: null };
  }
  const oldestDue = epochMs(m.overdueSince);
  return {
    ...m,
    nextDue,
    overdueSince: oldestDue && overdueFrom(oldestDue, calendar, calendar.timeZone),
  };
}

export type DashboardPeopleService = ReturnType<typeof createDashboardPeopleService>;

/**
 * The at-risk list and the learner drill-down over the people a member may see
 * (server/lib/scope.ts).
 */
export function createDashboardPeopleService({ db, clock }: { db: Database; clock: Clock }) {
  async function settingsOf(orgId: string) {
    const [{ target, timeZone, fsrs }, calendar] = await Promise.all([
      dashboardSettings(db, orgId),
      loadCalendar(db, orgId),
    ]);
    if (!calendar) throw new NotFoundError('Organisation');
    const now = clock.now();
    const { date, end } = zonedToday(now, timeZone);
    // Overdue counts working days: due before the end of the last working day before today.
    const overdueBefore = startOfDay(addDays(lastOverdueDueDay(calendar, date), 1), timeZone);
    const day = { now, overdueBefore, timeZone };
    return { target, fsrs, today: date, todayEnds: end, day, calendar };
  }

  return {
    /**
     * The people of `actor`'s scope (narrowed by `query`; a filter outside the scope narrows
     * it to nobody) with overdue refreshers or a critical module under the organisation's
     * target, most at risk first, then by name.
     */
    async atRisk(
      orgId: string,
      actor: MembershipContext,
      query: DashboardQuery,
    ): Promise<DashboardAtRisk> {
      const { target, fsrs, day, calendar } = await settingsOf(orgId);
      const rows = await run(
        db,
        atRiskSql(orgId, { ...day, ...fsrs, scope: peopleScope(actor), query, target }),
      );
      const items = rows
        .map((r) => toAtRisk(r, calendar))
        .sort((x, y) => y.risk - x.risk || byPerson(x, y));
      return { target, timeZone: day.timeZone, items };
    },

    /**
     * Everyone of `actor`'s scope (narrowed by `query`, as `atRisk`), at risk or not, by name:
     * their recall, progress, last activity, overdue refreshers and pause, the same figures as
     * the at-risk list and their learner page.
     */
    async people(
      orgId: string,
      actor: MembershipContext,
      query: DashboardQuery,
    ): Promise<DashboardPeople> {
      const { target, fsrs, day } = await settingsOf(orgId);
      const rows = await run(
        db,
        peopleListSql(orgId, { ...day, ...fsrs, scope: peopleScope(actor), query, target }),
      );
      return { target, items: rows.map(toPerson).sort(byPerson) };
    },

    /**
     * One learner of `actor`'s scope: their opened modules with progress, recall and due
     * refreshers, their answers per day over the last HISTORY_DAYS days, and their pauses. A
     * person outside the scope, deactivated, or of another organisation is 404.
     */
    async learner(
      orgId: string,
      actor: MembershipContext,
      userId: string,
    ): Promise<LearnerDrillDown> {
      const member = await findMember(db, orgId, userId);
      if (!member || !inPeopleScope(peopleScope(actor), str(member.team_id))) {
        throw new NotFoundError('Learner');
      }
      const { target, fsrs, today, todayEnds, day, calendar } = await settingsOf(orgId);
      const historyStart = startOfDay(addDays(today, -(HISTORY_DAYS - 1)), day.timeZone);
      const personaId = str(member.persona_id);
      const [row] = await run(
        db,
        drillDownSql(orgId, { ...day, ...fsrs, userId, personaId, historyStart, todayEnds }),
      );
      const pauses = (await pauseRepo.listPauses(db, orgId, userId)).map((p) => toPause(p, today));
      const pause = pauses.find((p) => p.status === 'active');
      const resumesAt = pause
        ? startOfDay(nextWorkingDay(calendar, pause.endsOn), day.timeZone)
        : null;
      const modules = jsonOf<ModuleRow[]>(row!.modules)
        .map((m) => toDrillModule(m, calendar, resumesAt))
        .sort(byModule);
      return {
        target,
        learner: {
          userId,
          name: String(member.name),
          teamName: str(member.team_name),
          personaName: str(member.persona_name),
          jobRoleName: str(member.job_role_name),
          lastRemindedAt: epochMs(member.last_reminded_at),
        },
        timeZone: day.timeZone,
        modules,
        history: jsonOf<LearnerDrillDown['history']>(row!.history),
        pauses,
      };
    },
  };
}
