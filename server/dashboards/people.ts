/**
 * The people side of the retention dashboards (issue 5): who is at risk of forgetting, and one
 * learner's drill-down, over the people a member may see. The statements are in people-sql.ts.
 */
import type {
  AtRiskLearner,
  DashboardAtRisk,
  DashboardQuery,
  LearnerDrillDown,
} from '../../shared/dashboards';
import { DEFAULT_DECAY } from '../../shared/learning';
import type { Pause } from '../../shared/pauses';
import type { Database } from '../db/client';
import { findSettings } from '../learning/repository';
import type { Clock } from '../lib/clock';
import { NotFoundError } from '../lib/errors';
import { inPeopleScope, peopleScope } from '../lib/scope';
import { startOfDay, zonedToday } from '../lib/zoned-day';
import * as pauseRepo from '../pauses/repository';
import type { MembershipContext } from '../plugins/auth';
import { atRiskSql, drillDownSql, findMember, type Raw, run } from './people-sql';

/** How far back the drill-down's review history goes, in days (today included). */
export const HISTORY_DAYS = 180;

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
const at = (v: unknown) => (v === null || v === undefined ? null : new Date(Number(v)));

/** JSON from the database: postgres.js parses jsonb, PGlite may hand it over as text. */
const jsonOf = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

/** Names first (none last, as the overview), then ids, so that equal names keep one order. */
function byName(a: string | null, b: string | null, idA: string, idB: string) {
  if (a !== b) return a === null ? 1 : b === null ? -1 : a.localeCompare(b, 'en');
  return idA.localeCompare(idB);
}

function toAtRisk(r: Raw): AtRiskLearner {
  type Critical = AtRiskLearner['criticalUnderTarget'][number];
  return {
    userId: String(r.user_id),
    name: String(r.name),
    teamId: str(r.team_id),
    teamName: str(r.team_name),
    overdueCards: Number(r.overdue_cards),
    overdueSince: at(r.overdue_since),
    criticalUnderTarget: jsonOf<Critical[]>(r.critical).sort(
      (x, y) => x.recall - y.recall || byName(x.moduleTitle, y.moduleTitle, x.moduleId, y.moduleId),
    ),
    recall: num(r.recall),
    risk: Number(r.risk),
    pausedUntil: str(r.paused_until),
    lastRemindedAt: at(r.last_reminded_at),
  };
}

/** pauses/service.ts's mapping, which is not exported: the same shape as `GET …/pauses`. */
function toPause(row: pauseRepo.PauseRow, today: string): Pause {
  const status = today < row.startsOn ? 'upcoming' : today > row.endsOn ? 'over' : 'active';
  return {
    id: row.id,
    userId: row.userId,
    startsOn: row.startsOn,
    endsOn: row.endsOn,
    status,
    createdBy:
      row.createdById && row.createdByName !== null
        ? { id: row.createdById, name: row.createdByName }
        : null,
    createdAt: row.createdAt,
  };
}

/** `date` (`YYYY-MM-DD`) minus `days` days. */
function daysBefore(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

export type DashboardPeopleService = ReturnType<typeof createDashboardPeopleService>;

/**
 * The at-risk list and the learner drill-down over the people a member may see
 * (server/lib/scope.ts), with the FSRS decay the scheduler uses.
 */
export function createDashboardPeopleService({
  db,
  clock,
  decay = DEFAULT_DECAY,
}: {
  db: Database;
  clock: Clock;
  decay?: number;
}) {
  async function settingsOf(orgId: string) {
    const settings = await findSettings(db, orgId);
    if (!settings) throw new NotFoundError('Organisation');
    const now = clock.now();
    const { date } = zonedToday(now, settings.timeZone);
    const day = {
      now,
      todayStart: startOfDay(date, settings.timeZone),
      timeZone: settings.timeZone,
    };
    return { target: settings.desiredRetention, today: date, day };
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
      const { target, day } = await settingsOf(orgId);
      const rows = await run(
        db,
        atRiskSql(orgId, { ...day, scope: peopleScope(actor), query, decay, target }),
      );
      const items = rows
        .map(toAtRisk)
        .sort((x, y) => y.risk - x.risk || byName(x.name, y.name, x.userId, y.userId));
      return { target, timeZone: day.timeZone, items };
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
      const { target, today, day } = await settingsOf(orgId);
      const historyStart = startOfDay(daysBefore(today, HISTORY_DAYS - 1), day.timeZone);
      const personaId = str(member.persona_id);
      const [row] = await run(
        db,
        drillDownSql(orgId, { ...day, userId, personaId, decay, historyStart }),
      );
      const pauses = await pauseRepo.listPauses(db, orgId, userId);
      type Module = Omit<LearnerDrillDown['modules'][number], 'nextDue'> & { nextDue: unknown };
      const modules = jsonOf<Module[]>(row!.modules)
        .map((m) => ({ ...m, nextDue: at(m.nextDue) }))
        .sort((x, y) => byName(x.moduleTitle, y.moduleTitle, x.moduleId, y.moduleId));
      return {
        target,
        learner: {
          userId,
          name: String(member.name),
          teamName: str(member.team_name),
          personaName: str(member.persona_name),
          jobRoleName: str(member.job_role_name),
          lastRemindedAt: at(member.last_reminded_at),
        },
        timeZone: day.timeZone,
        modules,
        history: jsonOf<LearnerDrillDown['history']>(row!.history),
        pauses: pauses.map((p) => toPause(p, today)),
      };
    },
  };
}
