import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { Answer } from '../../../shared/learning';
import { assignmentReasons } from '../../../shared/learning';
import { cardKindEnum, type CardContent, modules } from './modules';
import { organisations } from './orgs';
import { users } from './users';

export const assignmentReasonEnum = pgEnum('assignment_reason', assignmentReasons);

/** Learner × module: who follows what, why, and from when. */
export const assignments = pgTable(
  'assignments',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    moduleId: uuid()
      .notNull()
      .references(() => modules.id, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    reason: assignmentReasonEnum().notNull(),
    opensAt: timestamp({ withTimezone: true }).notNull(),
    /** A calendar date in the organisation's time zone. */
    dueOn: date({ mode: 'string' }),
    assignedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('assignments_module_user_key').on(t.moduleId, t.userId),
    // Also the dashboards' learner × module pairs, read from the index alone in that order.
    index('assignments_org_user_module_idx').on(t.orgId, t.userId, t.moduleId, t.opensAt),
    index('assignments_user_id_idx').on(t.userId),
    index('assignments_assigned_by_idx').on(t.assignedBy),
  ],
);

/**
 * The cards of each module's latest published version, one row per card, written at publish:
 * what an answer is checked against, without reading the whole version snapshot.
 */
export const publishedCards = pgTable(
  'published_cards',
  {
    moduleId: uuid()
      .notNull()
      .references(() => modules.id, { onDelete: 'cascade' }),
    /** The card's stable id (kept across versions). */
    cardId: uuid().notNull(),
    orgId: uuid()
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    lessonId: uuid().notNull(),
    version: integer().notNull(),
    position: integer().notNull(),
    kind: cardKindEnum().notNull(),
    content: jsonb().$type<CardContent>().notNull(),
    effectiveExpectedSeconds: smallint().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.moduleId, t.cardId] }),
    unique('published_cards_card_id_key').on(t.cardId),
    index('published_cards_org_id_idx').on(t.orgId),
  ],
);

/**
 * One learner's FSRS memory of one card (ts-fsrs `Card` fields). Keyed by the card's stable id
 * with no foreign key to `cards`: the working copy may drop a card, the learner's memory and
 * history of it stay.
 */
export const cardStates = pgTable(
  'card_states',
  {
    orgId: uuid()
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    cardId: uuid().notNull(),
    moduleId: uuid()
      .notNull()
      .references(() => modules.id, { onDelete: 'cascade' }),
    due: timestamp({ withTimezone: true }).notNull(),
    stability: doublePrecision().notNull(),
    difficulty: doublePrecision().notNull(),
    elapsedDays: integer().notNull(),
    scheduledDays: integer().notNull(),
    learningSteps: integer().notNull(),
    reps: integer().notNull(),
    lapses: integer().notNull(),
    /** ts-fsrs State: 0 new, 1 learning, 2 review, 3 relearning. */
    state: smallint().notNull(),
    lastReview: timestamp({ withTimezone: true }),
    /** The first review's date (the earliest of the card's review log), null before any: with
     * `lastReview`, dashboards tell a refresher from a first answer without reading the log. */
    firstReview: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.cardId] }),
    index('card_states_org_user_due_idx').on(t.orgId, t.userId, t.due),
    index('card_states_module_id_idx').on(t.moduleId),
    // Dashboards: what the retention overview and the forecast read of each card state, in
    // learner × module order, so that they sum them from the index alone (an index-only scan,
    // no hashing).
    index('card_states_org_user_module_idx').on(
      t.orgId,
      t.userId,
      t.moduleId,
      t.lastReview,
      t.stability,
      t.firstReview,
      t.due,
      t.difficulty,
    ),
  ],
);

/** Append-only: every answer, with what the scheduler needs to replay it. */
export const reviewLogs = pgTable(
  'review_logs',
  {
    /** Chosen by the client per answer: the idempotency key. */
    id: uuid().primaryKey(),
    orgId: uuid()
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    cardId: uuid().notNull(),
    moduleId: uuid()
      .notNull()
      .references(() => modules.id, { onDelete: 'cascade' }),
    moduleVersion: integer().notNull(),
    answer: jsonb().$type<Answer>().notNull(),
    correct: boolean().notNull(),
    rating: smallint().notNull(),
    durationMs: integer().notNull(),
    reviewedAt: timestamp({ withTimezone: true }).notNull(),
    /** The desired retention the scheduler used, so a replay schedules the same way. */
    requestRetention: doublePrecision().notNull(),
    /** State of the card before this review (ts-fsrs ReviewLog). */
    stateBefore: smallint().notNull(),
    elapsedDays: integer().notNull(),
    /** After this review. */
    stability: doublePrecision().notNull(),
    difficulty: doublePrecision().notNull(),
    /**
     * The interval the card was given, in days, as its memory's (after event anchoring and days
     * off); older rows of anchored refreshers hold the scheduler's.
     */
    scheduledDays: integer().notNull(),
    /** The scheduler's due date. */
    due: timestamp({ withTimezone: true }).notNull(),
    /**
     * The due date the card was given when it is not the scheduler's (`due`): made earlier by an
     * event-anchored refresher before a next use, or moved off a day off of the organisation.
     */
    anchoredDue: timestamp({ withTimezone: true }),
    /**
     * The same learner's previous answer to the same card in this log (none for a first
     * answer): when it was, its stability and the interval it was given (`scheduledDays`).
     * Written with the review, so that true retention reads each refresher's
     * predecessor from the refresher's own row instead of sorting the whole log.
     */
    prevReviewedAt: timestamp({ withTimezone: true }),
    prevStability: doublePrecision(),
    prevScheduledDays: integer(),
    /**
     * The organisation's fitted FSRS weights the answer was scheduled with (`fsrs_fits`;
     * null: FSRS's defaults), so that a replay schedules it the same way. No foreign key:
     * fits are deleted only with their organisation, and the answer path stays one insert.
     */
    fsrsFitId: uuid(),
  },
  (t) => [
    index('review_logs_org_reviewed_at_idx').on(t.orgId, t.reviewedAt),
    // True retention's answers, read from the index alone: every answer after a first one,
    // by learner so that a team's (a manager's view) are a few ranges of it. The weights each
    // was scheduled with are there for its predicted recall (null, the defaults, takes no room).
    index('review_logs_org_refresher_idx')
      .on(
        t.orgId,
        t.userId,
        t.moduleId,
        t.reviewedAt,
        t.rating,
        t.prevReviewedAt,
        t.prevStability,
        t.prevScheduledDays,
        t.fsrsFitId,
      )
      .where(sql`${t.prevReviewedAt} is not null`),
    index('review_logs_user_card_idx').on(t.userId, t.cardId, t.reviewedAt),
    index('review_logs_module_id_idx').on(t.moduleId),
    check('review_logs_rating_check', sql`${t.rating} between 1 and 4`),
  ],
);

/** Where a learner is in a lesson (resume), and when they finished it. */
export const lessonProgress = pgTable(
  'lesson_progress',
  {
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The lesson's stable id, with no foreign key: the working copy may drop a lesson that a
     * published version still serves, and the learner's progress on it stays. */
    lessonId: uuid().notNull(),
    orgId: uuid()
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    moduleId: uuid()
      .notNull()
      .references(() => modules.id, { onDelete: 'cascade' }),
    /** Index of the last block seen. */
    position: integer().notNull().default(0),
    completedAt: timestamp({ withTimezone: true }),
    /** "I already know this": passed the placement check instead of reading. */
    knownAt: timestamp({ withTimezone: true }),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.lessonId] }),
    index('lesson_progress_lesson_id_idx').on(t.lessonId),
    // Also the dashboards' funnel, read from the index alone in learner × module order.
    index('lesson_progress_org_user_module_idx').on(
      t.orgId,
      t.userId,
      t.moduleId,
      t.lessonId,
      t.completedAt,
      t.knownAt,
    ),
    index('lesson_progress_module_id_idx').on(t.moduleId),
  ],
);

/**
 * A learner's refreshers paused for a holiday, from `startsOn` to `endsOn` included (calendar
 * dates in the organisation's time zone). Card states are left as FSRS made them: due dates
 * are pushed back by the pauses where they are read (shared/pauses.ts).
 */
export const refresherPauses = pgTable(
  'refresher_pauses',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    startsOn: date({ mode: 'string' }).notNull(),
    endsOn: date({ mode: 'string' }).notNull(),
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('refresher_pauses_org_user_idx').on(t.orgId, t.userId, t.startsOn),
    index('refresher_pauses_user_id_idx').on(t.userId),
    index('refresher_pauses_created_by_idx').on(t.createdBy),
    check('refresher_pauses_dates_check', sql`${t.endsOn} >= ${t.startsOn}`),
  ],
);

/**
 * A nudge sent to a learner from the at-risk list: shown on the learner's home until they
 * dismiss it, and sent as a notification on their channels (server/notify).
 */
export const reminders = pgTable(
  'reminders',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    /** The learner reminded. */
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    sentBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** When the learner dismissed it; no longer shown from then. */
    dismissedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('reminders_org_user_idx').on(t.orgId, t.userId, t.createdAt),
    index('reminders_user_id_idx').on(t.userId),
    index('reminders_sent_by_idx').on(t.sentBy),
  ],
);

/**
 * FSRS weights fitted to an organisation's own answers (server/srs/fit-weights.ts), every one
 * kept with how it did against the weights then in use on answers the fit did not see. At most
 * one per organisation is in use (none: FSRS's default weights); a fit is put in use when it
 * is better, and admins may go back to an earlier one or to the defaults.
 */
export const fsrsFits = pgTable(
  'fsrs_fits',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    weights: doublePrecision().array().notNull(),
    /** Answers after a first one the weights were fitted on, and those held out to measure them. */
    answers: integer().notNull(),
    heldOutAnswers: integer().notNull(),
    /** Log loss and calibration (RMSE over bins) on the held-out answers: weights then in use, fitted. */
    logLossBefore: doublePrecision().notNull(),
    logLossAfter: doublePrecision().notNull(),
    rmseBefore: doublePrecision().notNull(),
    rmseAfter: doublePrecision().notNull(),
    fittedAt: timestamp({ withTimezone: true }).notNull(),
    /** Whether the fit predicted the held-out answers better than the weights then in use. */
    better: boolean().notNull(),
    inUse: boolean().notNull().default(false),
    /** When it was last put in use or out of use, and by whom (null: by the weekly fit). */
    changedAt: timestamp({ withTimezone: true }),
    changedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('fsrs_fits_org_fitted_at_idx').on(t.orgId, t.fittedAt),
    uniqueIndex('fsrs_fits_org_in_use_key')
      .on(t.orgId)
      .where(sql`${t.inUse}`),
    check('fsrs_fits_weights_check', sql`cardinality(${t.weights}) = 21`),
  ],
);
