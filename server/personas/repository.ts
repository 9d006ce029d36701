import { and, asc, count, eq, inArray, max, sql } from 'drizzle-orm';
import type { Device, PersonaRules } from '../../shared/personas';
import type { Executor } from '../db/client';
import { personaRules, personaRuleSets, personas } from '../db/schema';

export type PersonaRow = typeof personas.$inferSelect;

export interface PersonaValues {
  name: string;
  description: string;
  confidence: number;
  device: Device;
  minutesPerDay: number;
  /** Null: the organisation's desired retention applies. */
  desiredRetention?: number | null;
  position: number;
}

/** The organisation's personas in display order; one persona when `id` is given. */
export async function listPersonas(db: Executor, orgId: string, id?: string) {
  return db
    .select()
    .from(personas)
    .where(and(eq(personas.orgId, orgId), id ? eq(personas.id, id) : undefined))
    .orderBy(asc(personas.position), asc(sql`lower(${personas.name})`));
}

/** Which of `ids` are personas of the organisation. */
export async function existingPersonaIds(db: Executor, orgId: string, ids: string[]) {
  if (ids.length === 0) return new Set<string>();
  const rows = await db
    .select({ id: personas.id })
    .from(personas)
    .where(and(eq(personas.orgId, orgId), inArray(personas.id, ids)));
  return new Set(rows.map((r) => r.id));
}

/** The position after the last persona. */
export async function nextPosition(db: Executor, orgId: string) {
  const [row] = await db
    .select({ last: max(personas.position) })
    .from(personas)
    .where(eq(personas.orgId, orgId));
  return row?.last === null || row?.last === undefined ? 0 : row.last + 1;
}

export async function insertPersona(
  db: Executor,
  orgId: string,
  values: PersonaValues,
  now: Date,
): Promise<PersonaRow> {
  const [row] = await db
    .insert(personas)
    .values({ ...values, orgId, createdAt: now, updatedAt: now })
    .returning();
  return row!;
}

export async function updatePersona(
  db: Executor,
  orgId: string,
  id: string,
  values: Partial<PersonaValues>,
  now: Date,
) {
  const [row] = await db
    .update(personas)
    .set({ ...values, updatedAt: now })
    .where(and(eq(personas.orgId, orgId), eq(personas.id, id)))
    .returning();
  return row;
}

export async function deletePersona(db: Executor, orgId: string, id: string) {
  const rows = await db
    .delete(personas)
    .where(and(eq(personas.orgId, orgId), eq(personas.id, id)))
    .returning({ id: personas.id });
  return rows.length > 0;
}

/** How many onboarding rules (the fallback counts as one) point at the persona. */
export async function countRuleUses(db: Executor, orgId: string, personaId: string) {
  const [rules] = await db
    .select({ n: count() })
    .from(personaRules)
    .where(and(eq(personaRules.orgId, orgId), eq(personaRules.personaId, personaId)));
  const [fallback] = await db
    .select({ n: count() })
    .from(personaRuleSets)
    .where(and(eq(personaRuleSets.orgId, orgId), eq(personaRuleSets.fallbackPersonaId, personaId)));
  return (rules?.n ?? 0) + (fallback?.n ?? 0);
}

/** The organisation's onboarding rules in order, with the fallback (null before any rules). */
export async function findRules(db: Executor, orgId: string): Promise<PersonaRules> {
  const [set] = await db
    .select({ fallbackPersonaId: personaRuleSets.fallbackPersonaId })
    .from(personaRuleSets)
    .where(eq(personaRuleSets.orgId, orgId));
  const rules = await db
    .select({
      minConfidence: personaRules.minConfidence,
      maxConfidence: personaRules.maxConfidence,
      devices: personaRules.devices,
      personaId: personaRules.personaId,
    })
    .from(personaRules)
    .where(eq(personaRules.orgId, orgId))
    .orderBy(asc(personaRules.position));
  return { rules, fallbackPersonaId: set?.fallbackPersonaId ?? null };
}

/**
 * Replaces the organisation's rules. The upsert of the rule set comes first: its row lock
 * makes a concurrent replacement wait until this one commits.
 */
export async function replaceRules(
  db: Executor,
  orgId: string,
  rules: PersonaRules['rules'],
  fallbackPersonaId: string,
  now: Date,
) {
  await db
    .insert(personaRuleSets)
    .values({ orgId, fallbackPersonaId, updatedAt: now })
    .onConflictDoUpdate({
      target: personaRuleSets.orgId,
      set: { fallbackPersonaId, updatedAt: now },
    });
  await db.delete(personaRules).where(eq(personaRules.orgId, orgId));
  if (rules.length === 0) return;
  await db
    .insert(personaRules)
    .values(rules.map((rule, position) => ({ ...rule, orgId, position })));
}
