import type { CreatePauseBody, Pause, PauseSpan } from '../../shared/pauses';
import type { Database, Executor } from '../db/client';
import type { Clock } from '../lib/clock';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../lib/errors';
import { localDate, nextDate, startOfDay } from '../lib/zoned-day';
import { findSettings } from '../learning/repository';
import { managedTeams } from '../lib/scope';
import type { MembershipContext } from '../plugins/auth';
import * as repo from './repository';
import type { PauseRow } from './repository';

export type PauseService = ReturnType<typeof createPauseService>;

/** The day before `date` (`YYYY-MM-DD`). */
function previousDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

function statusOf(row: { startsOn: string; endsOn: string }, today: string): Pause['status'] {
  if (today < row.startsOn) return 'upcoming';
  return today > row.endsOn ? 'over' : 'active';
}

/** A pause as the API answers it, with its status on `today` (the organisation's date). */
export function toPause(row: PauseRow, today: string): Pause {
  return {
    id: row.id,
    userId: row.userId,
    startsOn: row.startsOn,
    endsOn: row.endsOn,
    status: statusOf(row, today),
    createdBy:
      row.createdById && row.createdByName !== null
        ? { id: row.createdById, name: row.createdByName }
        : null,
    createdAt: row.createdAt,
  };
}

/**
 * Whether `actor` may handle the pauses of a member of team `teamId`: their own always; an admin
 * anyone's; a manager those of the members of the teams they manage (server/lib/scope.ts).
 * Trainers and referents only their own.
 */
function inScope(actor: MembershipContext, userId: string, teamId: string | null): boolean {
  if (actor.userId === userId || actor.roles.includes('admin')) return true;
  return teamId !== null && managedTeams(actor).includes(teamId);
}

const outsideTeam = () =>
  new ForbiddenError('Managers pause the refreshers of the members of the teams they manage.');

/** Pausing refreshers for a holiday: by the learner, their manager or an admin. */
export function createPauseService({ db, clock }: { db: Database; clock: Clock }) {
  async function todayIn(tx: Executor, orgId: string) {
    const settings = await findSettings(tx, orgId);
    if (!settings) throw new NotFoundError('Organisation');
    return { today: localDate(clock.now(), settings.timeZone), timeZone: settings.timeZone };
  }

  async function target(tx: Executor, orgId: string, actor: MembershipContext, userId: string) {
    const member = await repo.findMember(tx, orgId, userId);
    if (!member) throw new NotFoundError('Member');
    if (!inScope(actor, userId, member.teamId)) throw outsideTeam();
  }

  return {
    /** A learner's pauses (the caller's own by default), oldest first. */
    async list(orgId: string, actor: MembershipContext, userId = actor.userId): Promise<Pause[]> {
      await target(db, orgId, actor, userId);
      const { today } = await todayIn(db, orgId);
      return (await repo.listPauses(db, orgId, userId)).map((row) => toPause(row, today));
    },

    /**
     * Pauses a learner's refreshers from `startsOn` to `endsOn`: 400 for a pause starting
     * before today, 409 when it shares a day with another of their pauses.
     */
    async create(orgId: string, actor: MembershipContext, body: CreatePauseBody): Promise<Pause> {
      const userId = body.userId ?? actor.userId;
      return db.transaction(async (tx) => {
        await target(tx, orgId, actor, userId);
        await repo.lockMember(tx, orgId, userId);
        const { today } = await todayIn(tx, orgId);
        if (body.startsOn < today) {
          const message = 'A pause starts today or later.';
          throw new ValidationError(message, [{ path: ['startsOn'], message }]);
        }
        const overlap = await repo.findOverlap(tx, { orgId, userId }, body);
        if (overlap) {
          throw new ConflictError(
            `This overlaps the pause from ${overlap.startsOn} to ${overlap.endsOn}.`,
          );
        }
        const id = await repo.insertPause(
          tx,
          { orgId, userId, startsOn: body.startsOn, endsOn: body.endsOn, createdBy: actor.userId },
          clock.now(),
        );
        return toPause((await repo.findPause(tx, orgId, id))!, today);
      });
    },

    /**
     * Cancels an upcoming pause, or ends an active one today (refreshers come again from
     * today); a pause that is over stays in the history (409). Someone else's pause out of
     * the caller's scope is 404, as if it did not exist.
     */
    async remove(orgId: string, actor: MembershipContext, pauseId: string): Promise<void> {
      await db.transaction(async (tx) => {
        const found = await repo.findPause(tx, orgId, pauseId);
        const member = found && (await repo.lockMember(tx, orgId, found.userId));
        // Read again under the lock: a cancellation that won the race is seen, and this one
        // answers as it would after it (404, or 409 for a pause it ended).
        const pause = member && (await repo.findPause(tx, orgId, pauseId));
        if (!pause || !member || !inScope(actor, pause.userId, member.teamId)) {
          throw new NotFoundError('Pause');
        }
        const { today } = await todayIn(tx, orgId);
        const status = statusOf(pause, today);
        if (status === 'over')
          throw new ConflictError('This pause is over: it stays in the history.');
        if (status === 'upcoming' || pause.startsOn === today) {
          await repo.deletePause(tx, orgId, pauseId);
        } else {
          await repo.setPauseEnd(tx, orgId, pauseId, previousDate(today));
        }
      });
    },

    /** A learner's pauses as instants, for pushing due dates back (shared/pauses.ts). */
    async spans(
      orgId: string,
      userId: string,
      timeZone: string,
    ): Promise<(PauseSpan & { startsOn: string; endsOn: string })[]> {
      return (await repo.listPauses(db, orgId, userId)).map((p) => ({
        start: startOfDay(p.startsOn, timeZone),
        end: startOfDay(nextDate(p.endsOn), timeZone),
        startsOn: p.startsOn,
        endsOn: p.endsOn,
      }));
    },
  };
}
