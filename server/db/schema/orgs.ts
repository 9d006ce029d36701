import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  doublePrecision,
  smallint,
  index,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { roles } from '../../../shared/common';
import { personas } from './personas';
import { localeEnum, users } from './users';

export const roleEnum = pgEnum('role', roles);

export const organisations = pgTable('organisations', {
  id: uuid().primaryKey().defaultRandom(),
  name: text().notNull(),
  /** IANA zone: a learner's "day" follows it. */
  timeZone: text().notNull().default('Europe/Paris'),
  /** Refreshers aim at this probability of recall; personas and modules may override it. */
  desiredRetention: doublePrecision().notNull().default(0.9),
  dailyBudgetMinutes: smallint().notNull().default(5),
  /** ISO 3166 country (and optional subdivision) whose public holidays are days off. */
  country: text().notNull().default('FR'),
  region: text(),
  /** ISO weekdays worked (1 = Monday … 7 = Sunday). */
  workingWeekdays: smallint()
    .array()
    .notNull()
    .default(sql`'{1,2,3,4,5}'::smallint[]`),
  /** Whether a reminder's link may sign the learner in (single use, Today only); admins decide. */
  reminderSignInLinks: boolean().notNull().default(false),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const teams = pgTable(
  'teams',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('teams_org_name_key').on(t.orgId, sql`lower(${t.name})`)],
);

export const jobRoles = pgTable(
  'job_roles',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('job_roles_org_name_key').on(t.orgId, sql`lower(${t.name})`)],
);

export const memberships = pgTable(
  'memberships',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    roles: roleEnum().array().notNull(),
    teamId: uuid().references(() => teams.id, { onDelete: 'restrict' }),
    jobRoleId: uuid().references(() => jobRoles.id, { onDelete: 'restrict' }),
    /** Trained first (DESIGN.md §2): a flag, not a permission. */
    ambassador: boolean().notNull().default(false),
    /** Trainers and admins get the weekly digest for the whole organisation when they opt in. */
    digestOptIn: boolean().notNull().default(false),
    /** Chosen by the onboarding questionnaire (or by the learner later); null before it. */
    personaId: uuid().references((): AnyPgColumn => personas.id, { onDelete: 'set null' }),
    onboardedAt: timestamp({ withTimezone: true }),
    deactivatedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('memberships_org_user_key').on(t.orgId, t.userId),
    index('memberships_user_id_idx').on(t.userId),
    index('memberships_team_id_idx').on(t.teamId),
    index('memberships_job_role_id_idx').on(t.jobRoleId),
    index('memberships_persona_id_idx').on(t.personaId),
  ],
);

/**
 * The teams a manager manages (DESIGN.md §2): several, and not necessarily their own team. Rows
 * stay when the manager role is taken away and count again if it comes back (server/lib/scope.ts).
 */
export const managedTeams = pgTable(
  'managed_teams',
  {
    orgId: uuid()
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    teamId: uuid()
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.teamId] }),
    index('managed_teams_org_team_idx').on(t.orgId, t.teamId),
    index('managed_teams_team_id_idx').on(t.teamId),
  ],
);

export const invitations = pgTable(
  'invitations',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    email: text().notNull(),
    roles: roleEnum().array().notNull(),
    teamId: uuid().references(() => teams.id, { onDelete: 'set null' }),
    jobRoleId: uuid().references(() => jobRoles.id, { onDelete: 'set null' }),
    locale: localeEnum().notNull(),
    /** SHA-256 of the link's token. */
    tokenHash: text().notNull().unique(),
    invitedBy: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    acceptedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('invitations_org_id_idx').on(t.orgId),
    index('invitations_team_id_idx').on(t.teamId),
    index('invitations_job_role_id_idx').on(t.jobRoleId),
    index('invitations_invited_by_idx').on(t.invitedBy),
    // One pending invitation per organisation and address: a newer one replaces it.
    uniqueIndex('invitations_pending_key')
      .on(t.orgId, t.email)
      .where(sql`${t.acceptedAt} is null and ${t.revokedAt} is null`),
  ],
);

/** The teams an invited manager will manage: copied to managed_teams when they accept. */
export const invitationManagedTeams = pgTable(
  'invitation_managed_teams',
  {
    orgId: uuid()
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    invitationId: uuid()
      .notNull()
      .references(() => invitations.id, { onDelete: 'cascade' }),
    teamId: uuid()
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.invitationId, t.teamId] }),
    index('invitation_managed_teams_org_id_idx').on(t.orgId),
    index('invitation_managed_teams_team_id_idx').on(t.teamId),
  ],
);
