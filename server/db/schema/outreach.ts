import { sql } from 'drizzle-orm';
import {
  check,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  accountLinkPurposes,
  jobStatuses,
  messageKinds,
  messageStatuses,
  notificationKinds,
  reminderFrequencies,
} from '../../../shared/notify';
import { organisations } from './orgs';
import { localeEnum, users } from './users';

export const jobStatusEnum = pgEnum('job_status', jobStatuses);
export const messageKindEnum = pgEnum('message_kind', messageKinds);
export const messageStatusEnum = pgEnum('message_status', messageStatuses);
export const notificationKindEnum = pgEnum('notification_kind', notificationKinds);
export const reminderFrequencyEnum = pgEnum('reminder_frequency', reminderFrequencies);
export const accountLinkPurposeEnum = pgEnum('account_link_purpose', accountLinkPurposes);

/**
 * An organisation's own days off beside its country's public holidays (the August shutdown),
 * from `startsOn` to `endsOn` included, calendar dates in the organisation's time zone.
 */
export const orgClosures = pgTable(
  'org_closures',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    startsOn: date({ mode: 'string' }).notNull(),
    endsOn: date({ mode: 'string' }).notNull(),
    label: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('org_closures_org_starts_idx').on(t.orgId, t.startsOn),
    check('org_closures_dates_check', sql`${t.endsOn} >= ${t.startsOn}`),
  ],
);

/**
 * Durable background work: one row per run of a job, unique by its idempotency key (one
 * reminder per learner per day, one digest per manager per week), claimed with
 * `FOR UPDATE SKIP LOCKED`, retried with back-off. A claim holds the row until `lockedUntil`;
 * a process that dies mid-run leaves it to be claimed again after that.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** What to run: the handler's name. */
    name: text().notNull(),
    key: text().notNull().unique(),
    orgId: uuid().references(() => organisations.id, { onDelete: 'cascade' }),
    payload: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    status: jobStatusEnum().notNull().default('queued'),
    runAt: timestamp({ withTimezone: true }).notNull(),
    attempts: integer().notNull().default(0),
    maxAttempts: integer().notNull().default(5),
    lockedBy: text(),
    lockedUntil: timestamp({ withTimezone: true }),
    lastError: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('jobs_status_run_at_idx').on(t.status, t.runAt),
    index('jobs_name_created_idx').on(t.name, t.createdAt),
    index('jobs_org_id_idx').on(t.orgId),
  ],
);

/** Secrets made at first start and shared by every instance (VAPID keys, the link-signing key). */
export const appSecrets = pgTable('app_secrets', {
  name: text().primaryKey(),
  value: jsonb().$type<Record<string, string>>().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/**
 * Every mail Rappel sends or would send, with its status. Without SMTP nothing leaves and the
 * rows stay `unsent`: admins read them as "what Rappel would have sent". Messages about an
 * account itself (password reset) belong to no organisation.
 */
export const outboxMessages = pgTable(
  'outbox_messages',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().references(() => organisations.id, { onDelete: 'cascade' }),
    userId: uuid().references(() => users.id, { onDelete: 'set null' }),
    toAddress: text().notNull(),
    locale: localeEnum().notNull(),
    kind: messageKindEnum().notNull(),
    key: text().notNull().unique(),
    /** What the template needs; the message is rendered from it when first sent or read. */
    params: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    subject: text(),
    textBody: text(),
    htmlBody: text(),
    /** Extra headers (List-Unsubscribe, List-Unsubscribe-Post). */
    headers: jsonb().$type<Record<string, string>>().notNull().default({}),
    status: messageStatusEnum().notNull().default('queued'),
    attempts: integer().notNull().default(0),
    lastError: text(),
    nextAttemptAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    sentAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('outbox_messages_org_created_idx').on(t.orgId, t.createdAt),
    index('outbox_messages_user_id_idx').on(t.userId),
    index('outbox_messages_status_next_idx').on(t.status, t.nextAttemptAt),
  ],
);

/** What the bell lists: rendered in the reader's language from `kind` and `params`. */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: notificationKindEnum().notNull(),
    /** One notification per key (one reminder per day); null for those that may repeat. */
    key: text().unique(),
    params: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    /** An app path (`/orgs/…/today`), never an outside address. */
    link: text(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    readAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('notifications_user_org_created_idx').on(t.userId, t.orgId, t.createdAt),
    index('notifications_org_id_idx').on(t.orgId),
  ],
);

/**
 * A person's choices (account page): channels per kind, and when refresher reminders come. No
 * row: the defaults of shared/notify.ts.
 */
export const notificationSettings = pgTable('notification_settings', {
  userId: uuid()
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  /** `{ reminders: ['mail', 'push'], 'new-work': [...], digest: [...] }` (shared/notify.ts). */
  channels: jsonb().$type<Record<string, string[]>>().notNull(),
  reminderFrequency: reminderFrequencyEnum().notNull().default('daily'),
  /** Minutes after midnight, in the organisation's time zone. */
  reminderMinute: smallint().notNull().default(540),
  /** ISO weekday (1 = Monday) for weekly reminders. */
  reminderWeekday: smallint().notNull().default(1),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** A browser's Web Push subscription; removed when the push service says it is gone. */
export const pushSubscriptions = pgTable(
  'push_subscriptions',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    endpoint: text().notNull().unique(),
    p256dh: text().notNull(),
    auth: text().notNull(),
    userAgent: text(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    lastSentAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('push_subscriptions_user_id_idx').on(t.userId)],
);

/** Single-use links sent by mail or shown to an admin; only the token's SHA-256 is kept. */
export const accountLinks = pgTable(
  'account_links',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The organisation a Today sign-in link opens; null for a password reset. */
    orgId: uuid().references(() => organisations.id, { onDelete: 'cascade' }),
    purpose: accountLinkPurposeEnum().notNull(),
    tokenHash: text().notNull().unique(),
    /** The admin who made a reset link for a member; null when the person asked. */
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('account_links_user_created_idx').on(t.userId, t.createdAt),
    index('account_links_org_id_idx').on(t.orgId),
    index('account_links_created_by_idx').on(t.createdBy),
  ],
);
