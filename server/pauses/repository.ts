import { and, asc, eq, gte, lte } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { memberships, refresherPauses, users } from '../db/schema';

export type PauseRow = Awaited<ReturnType<typeof listPauses>>[number];

const columns = {
  id: refresherPauses.id,
  userId: refresherPauses.userId,
  startsOn: refresherPauses.startsOn,
  endsOn: refresherPauses.endsOn,
  createdAt: refresherPauses.createdAt,
  createdById: refresherPauses.createdBy,
  createdByName: users.name,
};

/** A member's team, their membership locked (pauses of one learner are set one at a time). */
export async function lockMember(db: Executor, orgId: string, userId: string) {
  const [row] = await db
    .select({ teamId: memberships.teamId })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
    .for('update');
  return row;
}

export async function findMember(db: Executor, orgId: string, userId: string) {
  const [row] = await db
    .select({ teamId: memberships.teamId })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  return row;
}

/** A learner's pauses in this organisation, oldest first, with who set each. */
export async function listPauses(db: Executor, orgId: string, userId: string) {
  return db
    .select(columns)
    .from(refresherPauses)
    .leftJoin(users, eq(users.id, refresherPauses.createdBy))
    .where(and(eq(refresherPauses.orgId, orgId), eq(refresherPauses.userId, userId)))
    .orderBy(asc(refresherPauses.startsOn));
}

export async function findPause(db: Executor, orgId: string, pauseId: string) {
  const [row] = await db
    .select(columns)
    .from(refresherPauses)
    .leftJoin(users, eq(users.id, refresherPauses.createdBy))
    .where(and(eq(refresherPauses.orgId, orgId), eq(refresherPauses.id, pauseId)));
  return row;
}

/** The first of the learner's pauses sharing a day with `startsOn`…`endsOn`, if any. */
export async function findOverlap(
  db: Executor,
  key: { orgId: string; userId: string },
  span: { startsOn: string; endsOn: string },
) {
  const [row] = await db
    .select({ startsOn: refresherPauses.startsOn, endsOn: refresherPauses.endsOn })
    .from(refresherPauses)
    .where(
      and(
        eq(refresherPauses.orgId, key.orgId),
        eq(refresherPauses.userId, key.userId),
        lte(refresherPauses.startsOn, span.endsOn),
        gte(refresherPauses.endsOn, span.startsOn),
      ),
    )
    .orderBy(asc(refresherPauses.startsOn))
    .limit(1);
  return row;
}

export async function insertPause(
  db: Executor,
  values: { orgId: string; userId: string; startsOn: string; endsOn: string; createdBy: string },
  now: Date,
) {
  const [row] = await db
    .insert(refresherPauses)
    .values({ ...values, createdAt: now })
    .returning({ id: refresherPauses.id });
  return row!.id;
}

export async function deletePause(db: Executor, orgId: string, pauseId: string) {
  await db
    .delete(refresherPauses)
    .where(and(eq(refresherPauses.orgId, orgId), eq(refresherPauses.id, pauseId)));
}

export async function setPauseEnd(db: Executor, orgId: string, pauseId: string, endsOn: string) {
  await db
    .update(refresherPauses)
    .set({ endsOn })
    .where(and(eq(refresherPauses.orgId, orgId), eq(refresherPauses.id, pauseId)));
}
