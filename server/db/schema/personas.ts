import { sql } from 'drizzle-orm';
import {
  check,
  doublePrecision,
  index,
  integer,
  pgEnum,
  pgTable,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { answerDevices, devices } from '../../../shared/personas';
import { organisations } from './orgs';

export const deviceEnum = pgEnum('device', devices);
export const answerDeviceEnum = pgEnum('answer_device', answerDevices);

export const personas = pgTable(
  'personas',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    description: text().notNull().default(''),
    confidence: smallint().notNull(),
    device: deviceEnum().notNull(),
    minutesPerDay: smallint().notNull(),
    position: integer().notNull(),
    /** Overrides the organisation's desired retention for learners of this persona. */
    desiredRetention: doublePrecision(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('personas_org_name_key').on(t.orgId, sql`lower(${t.name})`),
    check('personas_confidence_check', sql`${t.confidence} between 1 and 5`),
    check('personas_minutes_check', sql`${t.minutesPerDay} between 1 and 60`),
  ],
);

/** One per organisation once it has rules: the persona chosen when no rule matches. */
export const personaRuleSets = pgTable(
  'persona_rule_sets',
  {
    orgId: uuid()
      .primaryKey()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    fallbackPersonaId: uuid()
      .notNull()
      .references(() => personas.id, { onDelete: 'restrict' }),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('persona_rule_sets_fallback_persona_id_idx').on(t.fallbackPersonaId)],
);

/** The onboarding rules, in order: the first that matches the answers picks the persona. */
export const personaRules = pgTable(
  'persona_rules',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    position: integer().notNull(),
    minConfidence: smallint().notNull(),
    maxConfidence: smallint().notNull(),
    /** Empty: any device. */
    devices: answerDeviceEnum().array().notNull().default([]),
    personaId: uuid()
      .notNull()
      .references(() => personas.id, { onDelete: 'restrict' }),
  },
  (t) => [
    unique('persona_rules_org_position_key').on(t.orgId, t.position),
    index('persona_rules_persona_id_idx').on(t.personaId),
    check(
      'persona_rules_confidence_check',
      sql`1 <= ${t.minConfidence} and ${t.minConfidence} <= ${t.maxConfidence} and ${t.maxConfidence} <= 5`,
    ),
  ],
);
