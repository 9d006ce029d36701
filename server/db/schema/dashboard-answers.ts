import { sql } from 'drizzle-orm';
import {
  check,
  date,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { organisations } from './orgs';
import { users } from './users';

/**
 * Per organisation, how far its answers are counted in `dashboard_answer_periods` and
 * `dashboard_answer_bins`: every answer
 * before `through`, by periods of `timeZone`. True retention adds the answers from `through` on,
 * read from the log (server/dashboards/true-retention/). No row, a null `through` or another
 * time zone than the organisation's: nothing is counted, the report reads the whole log, and
 * the refresh counts the organisation's answers again from the start.
 *
 * Triggers on review_logs (the migration that creates this table) set `through` to null when an
 * answer is deleted (a module or a learner deleted with theirs) or changed, in the writing
 * transaction.
 */
export const dashboardAnswerWatermarks = pgTable('dashboard_answer_watermarks', {
  orgId: uuid()
    .primaryKey()
    .references(() => organisations.id, { onDelete: 'cascade' }),
  timeZone: text().notNull(),
  through: timestamp({ withTimezone: true }),
});

/**
 * Per organisation × learner × period (its first day in the organisation's time zone; weeks
 * start on Monday, quarters are summed from months), the learner's refreshers before the
 * watermark, as true retention counts them: young and mature, how many passed, and the sum of
 * the recall predicted for them. Not per module: at the bench's largest organisation that would
 * be nearly one row per answer; a report on one module reads its answers from the log.
 */
export const dashboardAnswerPeriods = pgTable(
  'dashboard_answer_periods',
  {
    orgId: uuid()
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    period: text({ enum: ['week', 'month'] }).notNull(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    periodStart: date({ mode: 'string' }).notNull(),
    youngReviews: integer().notNull(),
    youngPassed: integer().notNull(),
    matureReviews: integer().notNull(),
    maturePassed: integer().notNull(),
    predicted: doublePrecision().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.period, t.userId, t.periodStart] }),
    index('dashboard_answer_periods_user_id_idx').on(t.userId),
    check('dashboard_answer_periods_period_check', sql`${t.period} in ('week', 'month')`),
  ],
);

/**
 * Per organisation × learner, the same refreshers in the ten bins of predicted recall
 * (shared/calibration.ts), whatever their period, as arrays of ten: how many, how many passed,
 * the sum of their predicted recall. One row per learner: read from each period's row, the
 * bins of the bench's largest organisation were 450,000 values to sum for a month view, most of
 * the report's time.
 */
export const dashboardAnswerBins = pgTable(
  'dashboard_answer_bins',
  {
    orgId: uuid()
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    answers: integer().array().notNull(),
    passed: integer().array().notNull(),
    predicted: doublePrecision().array().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.userId] }),
    index('dashboard_answer_bins_user_id_idx').on(t.userId),
  ],
);
