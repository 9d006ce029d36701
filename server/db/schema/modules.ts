import {
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import type { Block, Card } from '../../../shared/modules';
import { cardKinds, criticalities, imageTypes, moduleStatuses } from '../../../shared/modules';
import { jobRoles, organisations, teams } from './orgs';
import { processes, tools } from './tools';
import { users } from './users';

export const moduleStatusEnum = pgEnum('module_status', moduleStatuses);
export const criticalityEnum = pgEnum('criticality', criticalities);
export const cardKindEnum = pgEnum('card_kind', cardKinds);
export const imageTypeEnum = pgEnum('image_type', imageTypes);

/** Raw bytes; both drivers hand back a Uint8Array (postgres.js a Buffer, which is one). */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
});

/** A module's working copy header; its lessons and cards are the rows below. */
export const modules = pgTable(
  'modules',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    toolId: uuid()
      .notNull()
      .references(() => tools.id, { onDelete: 'restrict' }),
    processId: uuid().references(() => processes.id, { onDelete: 'restrict' }),
    title: text().notNull(),
    summary: text().notNull().default(''),
    estimatedMinutes: smallint().notNull(),
    criticality: criticalityEnum().notNull().default('normal'),
    /** Overrides the organisation's and persona's desired retention (a critical process: 0.95). */
    desiredRetention: doublePrecision(),
    status: moduleStatusEnum().notNull().default('draft'),
    /** Latest published version; null before the first publication. */
    version: integer(),
    publishedAt: timestamp({ withTimezone: true }),
    /** Set by every edit of the working copy, cleared by publishing. */
    hasUnpublishedChanges: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('modules_org_id_idx').on(t.orgId),
    index('modules_tool_id_idx').on(t.toolId),
    index('modules_process_id_idx').on(t.processId),
  ],
);

/** The job roles a module is for (learners in them get it assigned, learner issue). */
export const moduleJobRoles = pgTable(
  'module_job_roles',
  {
    moduleId: uuid()
      .notNull()
      .references(() => modules.id, { onDelete: 'cascade' }),
    jobRoleId: uuid()
      .notNull()
      .references(() => jobRoles.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.moduleId, t.jobRoleId] }),
    index('module_job_roles_job_role_id_idx').on(t.jobRoleId),
  ],
);

/** The teams a module is for. */
export const moduleTeams = pgTable(
  'module_teams',
  {
    moduleId: uuid()
      .notNull()
      .references(() => modules.id, { onDelete: 'cascade' }),
    teamId: uuid()
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.moduleId, t.teamId] }),
    index('module_teams_team_id_idx').on(t.teamId),
  ],
);

export const lessons = pgTable(
  'lessons',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    moduleId: uuid()
      .notNull()
      .references(() => modules.id, { onDelete: 'cascade' }),
    position: integer().notNull(),
    title: text().notNull(),
    /** Empty: every persona. */
    personaIds: uuid().array().notNull().default([]),
    /** Ordered blocks, sources and rendered HTML (validated by the shared schemas on the way in). */
    blocks: jsonb().$type<Block[]>().notNull().default([]),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('lessons_org_id_idx').on(t.orgId), index('lessons_module_id_idx').on(t.moduleId)],
);

/** The part of a card that depends on its kind (question, options… with their HTML). */
export type CardContent = Card extends infer C
  ? C extends Card
    ? Omit<
        C,
        | 'id'
        | 'lessonId'
        | 'position'
        | 'expectedSeconds'
        | 'effectiveExpectedSeconds'
        | 'updatedAt'
      >
    : never
  : never;

export const cards = pgTable(
  'cards',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    moduleId: uuid()
      .notNull()
      .references(() => modules.id, { onDelete: 'cascade' }),
    lessonId: uuid()
      .notNull()
      .references(() => lessons.id, { onDelete: 'cascade' }),
    position: integer().notNull(),
    kind: cardKindEnum().notNull(),
    content: jsonb().$type<CardContent>().notNull(),
    /** Set by the trainer; null: worked out from the length. */
    expectedSeconds: smallint(),
    /** What the app uses (the trainer's value or the default), in seconds. */
    effectiveExpectedSeconds: smallint().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('cards_org_id_idx').on(t.orgId),
    index('cards_module_id_idx').on(t.moduleId),
    index('cards_lesson_id_idx').on(t.lessonId),
  ],
);

/** What learners see: the frozen content of each published version. */
export const moduleVersions = pgTable(
  'module_versions',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    moduleId: uuid()
      .notNull()
      .references(() => modules.id, { onDelete: 'cascade' }),
    version: integer().notNull(),
    /** `ModuleSnapshot` (server/modules/snapshot.ts): header, lessons with blocks and cards. */
    content: jsonb().$type<unknown>().notNull(),
    publishedAt: timestamp({ withTimezone: true }).notNull(),
    publishedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    unique('module_versions_module_version_key').on(t.moduleId, t.version),
    index('module_versions_org_id_idx').on(t.orgId),
    index('module_versions_published_by_idx').on(t.publishedBy),
  ],
);

/** Uploaded images, in the database so that every API instance can serve them. */
export const assets = pgTable(
  'assets',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    /** Sniffed from the bytes, never taken from the upload's header. */
    contentType: imageTypeEnum().notNull(),
    size: integer().notNull(),
    /** SHA-256, hex: the same picture uploaded twice is stored once. */
    sha256: text().notNull(),
    data: bytea().notNull(),
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('assets_org_sha256_key').on(t.orgId, t.sha256),
    index('assets_created_by_idx').on(t.createdBy),
  ],
);
