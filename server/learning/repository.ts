import { and, eq, sql } from 'drizzle-orm';
import type { LearningSettings } from '../../shared/learning';
import type { Executor } from '../db/client';
import { fsrsFits, memberships, organisations, personas } from '../db/schema';

const settingsColumns = {
  timeZone: organisations.timeZone,
  desiredRetention: organisations.desiredRetention,
  dailyBudgetMinutes: organisations.dailyBudgetMinutes,
  reminderSignInLinks: organisations.reminderSignInLinks,
};

/** The organisation's learning settings; undefined for an unknown organisation. */
export async function findSettings(
  db: Executor,
  orgId: string,
): Promise<LearningSettings | undefined> {
  const [row] = await db
    .select(settingsColumns)
    .from(organisations)
    .where(eq(organisations.id, orgId));
  return row;
}

export async function updateSettings(
  db: Executor,
  orgId: string,
  values: Partial<LearningSettings>,
): Promise<LearningSettings | undefined> {
  const [row] = await db
    .update(organisations)
    .set(values)
    .where(eq(organisations.id, orgId))
    .returning(settingsColumns);
  return row;
}

/** A member's persona (with its name) and onboarding date, with the organisation's settings. */
export async function findLearner(db: Executor, orgId: string, userId: string) {
  const [row] = await db
    .select({
      personaId: memberships.personaId,
      personaName: personas.name,
      personaDescription: personas.description,
      personaMinutesPerDay: personas.minutesPerDay,
      onboardedAt: memberships.onboardedAt,
      ...settingsColumns,
      /** The organisation's fitted weights in use; null: FSRS's defaults. */
      weights: fsrsFits.weights,
    })
    .from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.orgId))
    .leftJoin(fsrsFits, and(eq(fsrsFits.orgId, memberships.orgId), eq(fsrsFits.inUse, true)))
    .leftJoin(
      personas,
      and(eq(personas.id, memberships.personaId), eq(personas.orgId, memberships.orgId)),
    )
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  return row;
}

/** Sets a member's persona; the first call also records when they were onboarded. */
export async function setPersona(
  db: Executor,
  orgId: string,
  userId: string,
  personaId: string | null,
  now: Date,
) {
  const rows = await db
    .update(memberships)
    .set({
      personaId,
      onboardedAt: sql`coalesce(${memberships.onboardedAt}, ${now.toISOString()}::timestamptz)`,
    })
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
    .returning({ userId: memberships.userId });
  return rows.length > 0;
}
