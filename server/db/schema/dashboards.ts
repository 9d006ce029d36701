import { sql } from 'drizzle-orm';
import {
  boolean,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { modules } from './modules';
import { organisations } from './orgs';
import { users } from './users';

/**
 * Per learner × module, what the retention overview needs of the learner's card states,
 * assignment and lesson progress, as of `asOf`, so that it reads one row per pair rather than
 * every card state (server/dashboards/overview/pairs-repository.ts): the sum of R over the
 * learnt cards (those with a last review) and of its rate of change, from which the overview
 * extrapolates R to its own `now` within the hour; their number; whether one was answered again
 * a day after its first review; when the assignment opens; whether any lesson was started, and
 * which were completed or known; and the forecast's sums (server/dashboards/forecast/curves.ts).
 *
 * Triggers on card_states, assignments and lesson_progress (migration 0012) set `asOf` to null
 * whenever one of the pair's rows is written, and insert the row of a new pair, in the writing
 * transaction; so do the learner's refresher pauses and the organisation's time zone, which move
 * due dates (migration 0020): the overview computes such rows from the tables themselves, as it does rows
 * older than an hour, until the refresh job writes them again.
 */
export const dashboardPairs = pgTable(
  'dashboard_pairs',
  {
    orgId: uuid()
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    moduleId: uuid()
      .notNull()
      .references(() => modules.id, { onDelete: 'cascade' }),
    /** When the row was computed (the app's clock); null: to compute again. */
    asOf: timestamp({ withTimezone: true }),
    recallSum: doublePrecision().notNull().default(0),
    /** d(sum of R)/dt in 1/day at `asOf` (negative: recall falls). */
    recallSlope: doublePrecision().notNull().default(0),
    cards: integer().notNull().default(0),
    refreshed: boolean().notNull().default(false),
    /** The assignment's opening; null: not assigned. */
    opensAt: timestamp({ withTimezone: true }),
    started: boolean().notNull().default(false),
    doneLessons: uuid()
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    /**
     * The forecast's sums over the learnt cards, one per day of its coarse days from `asOf`
     * (server/dashboards/forecast/days.ts `PAIR_DAYS`): of R without reviews and with the
     * scheduled refresher answered, each with its rate of change in 1/day, from which the
     * forecast moves them to its own `now` within the hour. Null until first computed.
     */
    forecastWithout: doublePrecision().array(),
    forecastWithoutSlope: doublePrecision().array(),
    forecastScheduled: doublePrecision().array(),
    forecastScheduledSlope: doublePrecision().array(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.userId, t.moduleId] }),
    index('dashboard_pairs_user_id_idx').on(t.userId),
    index('dashboard_pairs_module_id_idx').on(t.moduleId),
  ],
);
