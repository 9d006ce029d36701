/**
 * Retention dashboards: what the people in a caller's scope remember now, by team ×
 * module, persona and job role, and how far they got through their modules. Predicted recall is
 * R(t, S) of DESIGN.md §5 (`retrievability` in shared/learning.ts), computed in the database.
 */
import { z } from 'zod';
import { idSchema, isoDate } from './common';
import { orgIdParamsSchema } from './orgs';
import { pauseSchema } from './pauses';
import { calendarDateSchema } from './tools';

/** The team filter's value for the people who belong to no team. */
export const NO_TEAM = 'none';

/**
 * Filters of every dashboard, in the URL so that a view can be bookmarked and shared. Each one
 * narrows the caller's scope; naming a team outside it (or another organisation's) gives the
 * numbers of an empty scope, never that team's. `teamId=none` keeps the people of no team
 * (within a whole-organisation scope: a manager's or referent's teams hold nobody of no team).
 */
export const dashboardQuerySchema = z.strictObject({
  teamId: z.union([idSchema, z.literal(NO_TEAM)]).optional(),
  moduleId: idSchema.optional(),
  personaId: idSchema.optional(),
  jobRoleId: idSchema.optional(),
});
export type DashboardQuery = z.output<typeof dashboardQuerySchema>;

/**
 * Predicted recall of a group of learnt cards (card states with a last review): `recall` is the
 * mean of R over those cards, `learners` how many people they belong to, `cards` how many.
 */
const recallGroup = {
  recall: z.number(),
  learners: z.number().int(),
  cards: z.number().int(),
};

/** One heatmap cell: a team × module with at least one learnt card. */
export const heatmapCellSchema = z.object({
  /** null: people who belong to no team. */
  teamId: idSchema.nullable(),
  teamName: z.string().nullable(),
  moduleId: idSchema,
  moduleTitle: z.string(),
  ...recallGroup,
});
export type HeatmapCell = z.infer<typeof heatmapCellSchema>;

export const personaBreakdownSchema = z.object({
  /** null: people without a persona yet (not onboarded). */
  personaId: idSchema.nullable(),
  name: z.string().nullable(),
  ...recallGroup,
});
export type PersonaBreakdown = z.infer<typeof personaBreakdownSchema>;

export const jobRoleBreakdownSchema = z.object({
  /** null: people without a job role. */
  jobRoleId: idSchema.nullable(),
  name: z.string().nullable(),
  ...recallGroup,
});
export type JobRoleBreakdown = z.infer<typeof jobRoleBreakdownSchema>;

/**
 * The completion funnel, counted in learner × module pairs: one per assignment of a person in
 * scope that has opened (`opens_at` passed). Stages are cumulative, so the bars never grow: a
 * pair counts at a stage only when it has reached every stage before it.
 */
export const funnelSchema = z.object({
  /** Assignments opened. */
  assigned: z.number().int(),
  /** …with some lesson progress in the module (a lesson opened, finished or known). */
  started: z.number().int(),
  /**
   * …with every lesson of the module's published version that the learner's persona sees
   * completed or known ("I already know this").
   */
  lessonsDone: z.number().int(),
  /**
   * …with at least one review of one of the module's cards answered a day or more after that
   * card's first review: a refresher, not the lesson's own check or its same-session retry.
   */
  firstRefresherDone: z.number().int(),
  /** …whose mean predicted recall now over the module's learnt cards is at least the target. */
  retainedAtTarget: z.number().int(),
});
export type Funnel = z.infer<typeof funnelSchema>;

/** `GET /api/orgs/:orgId/dashboards/overview`: the retention overview of the caller's scope. */
export const dashboardOverviewSchema = z.object({
  /** The organisation's desired retention: the target line. */
  target: z.number(),
  /** Mean predicted recall now over the learnt cards in scope; null when none is learnt yet. */
  recallNow: z.number().nullable(),
  /** People in scope with at least one learnt card. */
  learners: z.number().int(),
  /** Learnt cards in scope (learner × card). */
  cardsLearnt: z.number().int(),
  /** Ordered by team name (no team last), then module title. */
  heatmap: z.array(heatmapCellSchema),
  /** Ordered by name, people without one last. */
  byPersona: z.array(personaBreakdownSchema),
  byJobRole: z.array(jobRoleBreakdownSchema),
  funnel: funnelSchema,
});
export type DashboardOverview = z.infer<typeof dashboardOverviewSchema>;

/*
 * The forecast, true retention, at-risk list and learner page. These schemas are the contract between the API (server/dashboards/) and
 * the web pages (web/routes/(app)/o/[orgId]/dashboards/); each route's summary in OpenAPI says
 * the same in one line.
 */

/** How far the forecast looks ahead, in days. */
export const FORECAST_DAYS = 60;

/** One point of a forecast curve: mean predicted recall of the group's learnt cards that day. */
export const forecastPointSchema = z.object({
  /** Days from today (0 … FORECAST_DAYS). */
  day: z.number().int(),
  date: calendarDateSchema,
  /** If nobody reviews from now on. */
  withoutReviews: z.number(),
  /** If every refresher already scheduled is answered right on its due date. */
  withScheduled: z.number(),
});
export type ForecastPoint = z.infer<typeof forecastPointSchema>;

/** A team × module's forecast (the heatmap's cells, over time). */
export const forecastSeriesSchema = z.object({
  teamId: idSchema.nullable(),
  teamName: z.string().nullable(),
  moduleId: idSchema,
  moduleTitle: z.string(),
  learners: z.number().int(),
  cards: z.number().int(),
  /** Ordered by day. */
  points: z.array(forecastPointSchema),
  /** The first day the curve without reviews is under the target; null: not within the window. */
  crossesTargetOn: calendarDateSchema.nullable(),
  /** The same with the scheduled refreshers done. */
  crossesTargetWithScheduledOn: calendarDateSchema.nullable(),
});
export type ForecastSeries = z.infer<typeof forecastSeriesSchema>;

/**
 * "Who will have forgotten the month-end close by the next close?": for a process with a next
 * use date, the people in scope whose predicted recall of the process's modules on that date,
 * if nobody reviews, will be under the target.
 */
export const processForecastSchema = z.object({
  processId: idSchema,
  processName: z.string(),
  toolName: z.string(),
  nextUse: calendarDateSchema,
  /** The recall aimed at on that day: the process's use-day target. */
  target: z.number(),
  /** People in scope with learnt cards of the process's modules. */
  learners: z.number().int(),
  /** Those under `target` on `nextUse`, lowest recall first. */
  forgetting: z.array(
    z.object({
      userId: idSchema,
      name: z.string(),
      teamName: z.string().nullable(),
      recallAtNextUse: z.number(),
    }),
  ),
});
export type ProcessForecast = z.infer<typeof processForecastSchema>;

/** `GET /api/orgs/:orgId/dashboards/forecast` (same filters as the overview). */
export const dashboardForecastSchema = z.object({
  target: z.number(),
  /** Today in the organisation's time zone: day 0. */
  today: calendarDateSchema,
  /** Ordered by need of attention, as `dashboardForecastPageSchema.series` says. */
  series: z.array(forecastSeriesSchema),
  /** Processes with a next use within the window, soonest first. */
  processes: z.array(processForecastSchema),
});
export type DashboardForecast = z.infer<typeof dashboardForecastSchema>;

/** Series of a forecast page when the query does not say, and the most it may ask for. */
export const FORECAST_PAGE_DEFAULT = 20;
export const FORECAST_PAGE_MAX = 100;

/**
 * The forecast's filters and one page of its series: `limit` series from the `offset`-th in the
 * order of need of attention (`dashboardForecastPageSchema.series`). Offsets, not a cursor:
 * the order is worked out afresh on every request, so a page read a minute later may shift by
 * one series whose recall crossed the target in between, and nothing better would hold.
 */
export const forecastQuerySchema = dashboardQuerySchema.extend({
  limit: z.coerce.number().int().min(1).max(FORECAST_PAGE_MAX).default(FORECAST_PAGE_DEFAULT),
  offset: z.coerce.number().int().min(0).default(0),
});
export type ForecastQuery = z.output<typeof forecastQuerySchema>;

/**
 * `GET /api/orgs/:orgId/dashboards/forecast?limit&offset`: one page of the forecast's series,
 * with what the page says of them all worked out before paging.
 */
export const dashboardForecastPageSchema = dashboardForecastSchema.extend({
  /**
   * Ordered by need of attention: the series already under the target today first, then by the
   * earliest day the curve without reviews crosses the target (never within the window last),
   * then lowest recall today, then by team name (no team last) and module title.
   */
  series: z.array(forecastSeriesSchema),
  /** Series in the view, all pages. */
  total: z.number().int(),
  /** Of those, the ones under the target today. */
  underNow: z.number().int(),
  /** The `offset` of the next page; null on the last one. */
  nextOffset: z.number().int().nullable(),
  /** The modules of every series in the view, by title (the module filter's choices). */
  modules: z.array(z.object({ moduleId: idSchema, moduleTitle: z.string() })),
});
export type DashboardForecastPage = z.infer<typeof dashboardForecastPageSchema>;

export const retentionPeriods = ['week', 'month', 'quarter'] as const;
export const retentionPeriodSchema = z.enum(retentionPeriods);
export type RetentionPeriod = z.infer<typeof retentionPeriodSchema>;

export const trueRetentionQuerySchema = dashboardQuerySchema.extend({
  period: retentionPeriodSchema.default('month'),
});
export type TrueRetentionQuery = z.output<typeof trueRetentionQuerySchema>;

/** Refreshers of one kind in one period: how many, how many answered right. */
const passRateSchema = z.object({
  reviews: z.number().int(),
  passed: z.number().int(),
  /** passed / reviews; null when there was none. */
  rate: z.number().nullable(),
});

/**
 * One period of true retention: refreshers answered a day or more after the card's previous
 * review, split by that previous interval (young < 21 days, mature ≥ 21), beside what the model
 * predicted for those same answers (mean R at the moment of answering).
 */
export const trueRetentionRowSchema = z.object({
  /** First day of the period (a Monday, the 1st of a month or of a quarter). */
  periodStart: calendarDateSchema,
  young: passRateSchema,
  mature: passRateSchema,
  all: passRateSchema,
  /**
   * Mean predicted recall at answer time over the period's refreshers, each with the weights it
   * was scheduled with (the organisation's fit then in use, or FSRS-6's defaults); null when none.
   */
  predicted: z.number().nullable(),
});
export type TrueRetentionRow = z.infer<typeof trueRetentionRowSchema>;

/**
 * Answers a bin of predicted recall needs before its observed share says anything: with fewer,
 * one answer moves it by more than 5 points, and a share of 1 or 0 out of a handful is the
 * rule, not a finding. The page greys out smaller bins and leaves them off the chart.
 */
export const CALIBRATION_MIN_ANSWERS = 20;

/**
 * The refreshers whose predicted recall (at answer time, as in `predicted`) fell in
 * [`from`, `to`) (the last bin includes 1): their mean prediction against the share answered
 * right (rating above Again).
 */
export const calibrationBinSchema = z.object({
  from: z.number(),
  to: z.number(),
  answers: z.number().int(),
  /** Mean predicted recall; null when the bin has no answer. */
  predicted: z.number().nullable(),
  /** Share answered right; null when the bin has no answer. */
  observed: z.number().nullable(),
});

/**
 * How honest the model's predictions were over every refresher in scope (all periods):
 * shared/calibration.ts's ten bins and RMSE.
 */
export const trueRetentionCalibrationSchema = z.object({
  /** Ten bins, 0–10% … 90–100%, empty ones included. */
  bins: z.array(calibrationBinSchema),
  /** Predicted against observed over the bins, weighted by answers; null when none. */
  rmse: z.number().nullable(),
});
export type TrueRetentionCalibration = z.infer<typeof trueRetentionCalibrationSchema>;

/** `GET /api/orgs/:orgId/dashboards/true-retention`. */
export const dashboardTrueRetentionSchema = z.object({
  target: z.number(),
  period: retentionPeriodSchema,
  /** Oldest first; only periods with at least one refresher. */
  rows: z.array(trueRetentionRowSchema),
  calibration: trueRetentionCalibrationSchema,
  /** When no refresher is answered yet: the first due date of a learnt card in scope, if any. */
  firstDue: isoDate.nullable(),
});
export type DashboardTrueRetention = z.infer<typeof dashboardTrueRetentionSchema>;

/**
 * One learner at risk: overdue refreshers, or critical modules under the target. Only
 * the refreshers the learner is served count: cards still in the published version of a module
 * assigned to them and opened.
 */
export const atRiskLearnerSchema = z.object({
  userId: idSchema,
  name: z.string(),
  teamId: idSchema.nullable(),
  teamName: z.string().nullable(),
  /**
   * Overdue refreshers: due at least one of the organisation's working days ago, that is before
   * the end of the last working day before today in its time zone (shared/calendar.ts
   * `overdueWorkingDays`; due on Friday, overdue on Monday; due on Sunday, not yet), due dates
   * pushed back by pauses (shared/pauses.ts `pausedDue`); 0 while on a pause.
   */
  overdueCards: z.number().int(),
  /**
   * The oldest overdue due date; one that fell on a day off counts from the same time on the
   * next working day.
   */
  overdueSince: isoDate.nullable(),
  /**
   * Critical modules (of the view) whose mean predicted recall now over the learner's learnt
   * cards is under the organisation's target; lowest recall first.
   */
  criticalUnderTarget: z.array(
    z.object({ moduleId: idSchema, moduleTitle: z.string(), recall: z.number() }),
  ),
  /** Mean predicted recall now over all their learnt cards in the view. */
  recall: z.number().nullable(),
  /**
   * Higher is more at risk: overdueCards + 100 × the sum over criticalUnderTarget of (target −
   * recall), so one overdue refresher weighs as much as one point (0.01) of recall under the
   * target on a critical module. The list is sorted by it, then by name.
   */
  risk: z.number(),
  /** Last day of an active pause: refreshers are on hold, not forgotten. */
  pausedUntil: calendarDateSchema.nullable(),
  /**
   * When they were last reminded (shared/reminders.ts), by anyone, dismissed or not; null when
   * never. One reminder a day: on the day of this instant in `timeZone`, remind is refused.
   */
  lastRemindedAt: isoDate.nullable(),
});
export type AtRiskLearner = z.infer<typeof atRiskLearnerSchema>;

/** `GET /api/orgs/:orgId/dashboards/at-risk` (same filters as the overview). */
export const dashboardAtRiskSchema = z.object({
  target: z.number(),
  /** The organisation's IANA time zone: the one the days of `lastRemindedAt` are counted in. */
  timeZone: z.string(),
  items: z.array(atRiskLearnerSchema),
});
export type DashboardAtRisk = z.infer<typeof dashboardAtRiskSchema>;

export const learnerDrillParamsSchema = orgIdParamsSchema.extend({ userId: idSchema });

/** `GET /api/orgs/:orgId/dashboards/learners/:userId`: one learner in the caller's scope. */
export const learnerDrillDownSchema = z.object({
  target: z.number(),
  learner: z.object({
    userId: idSchema,
    name: z.string(),
    teamName: z.string().nullable(),
    personaName: z.string().nullable(),
    jobRoleName: z.string().nullable(),
    /** As `atRiskLearnerSchema.lastRemindedAt`. */
    lastRemindedAt: isoDate.nullable(),
  }),
  /** The organisation's IANA time zone (as `dashboardAtRiskSchema.timeZone`). */
  timeZone: z.string(),
  /** Their assigned modules (opened), by title; an empty list when none has opened yet. */
  modules: z.array(
    z.object({
      moduleId: idSchema,
      moduleTitle: z.string(),
      critical: z.boolean(),
      lessonsDone: z.number().int(),
      lessonsTotal: z.number().int(),
      cardsLearnt: z.number().int(),
      /** Mean predicted recall now; null before any card is learnt. */
      recall: z.number().nullable(),
      /**
       * Refreshers due before today ends in the organisation's zone, overdue ones included:
       * what the learner's Today serves; 0 while on a pause.
       */
      dueToday: z.number().int(),
      /**
       * The next refresher after today (pauses taken into account; during a pause, what is
       * waiting comes back on the first working day after it), never a past date; null when
       * none is scheduled.
       */
      nextDue: isoDate.nullable(),
      /** Overdue refreshers (as `atRiskLearnerSchema.overdueCards`). */
      overdueCards: z.number().int(),
      /** The oldest overdue due date, as `atRiskLearnerSchema.overdueSince`; null when none. */
      overdueSince: isoDate.nullable(),
    }),
  ),
  /**
   * Answers per day in the organisation's time zone, oldest first, the last 180 days (today
   * included); only days with at least one answer, so an empty list before any.
   */
  history: z.array(
    z.object({
      date: calendarDateSchema,
      reviews: z.number().int(),
      passed: z.number().int(),
      /** Mean predicted recall at answer time of that day's answers (null: first sightings only). */
      predicted: z.number().nullable(),
    }),
  ),
  /** Their refresher pauses, oldest first, as `GET …/pauses?userId=` gives them. */
  pauses: z.array(pauseSchema),
});
export type LearnerDrillDown = z.infer<typeof learnerDrillDownSchema>;

/**
 * One person of the caller's scope on the people list (`GET …/dashboards/people`): what the
 * at-risk list and the learner page say of them, in one row. Within the view's filters, so with
 * a team and a module it is the people of one heatmap cell.
 */
export const scopePersonSchema = z.object({
  userId: idSchema,
  name: z.string(),
  teamId: idSchema.nullable(),
  teamName: z.string().nullable(),
  jobRoleName: z.string().nullable(),
  /** Mean predicted recall now over their learnt cards in the view (as the at-risk list's). */
  recall: z.number().nullable(),
  /**
   * Lessons done (completed or known) of their opened assigned modules in the view, and how many
   * lessons those modules have for their persona: the learner page's modules, summed.
   */
  lessonsDone: z.number().int(),
  lessonsTotal: z.number().int(),
  /** Their last answer or lesson done, in any module; null when they have done nothing yet. */
  lastActiveAt: isoDate.nullable(),
  /** Overdue refreshers, as `atRiskLearnerSchema.overdueCards` (0 while on a pause). */
  overdueCards: z.number().int(),
  /** Whether the at-risk list names them (overdue refreshers or a critical module under target). */
  atRisk: z.boolean(),
  /** `atRiskLearnerSchema.risk`: 0 when not at risk. */
  risk: z.number(),
  /** Last day of an active pause. */
  pausedUntil: calendarDateSchema.nullable(),
});
export type ScopePerson = z.infer<typeof scopePersonSchema>;

/** `GET /api/orgs/:orgId/dashboards/people` (same filters as the overview), by name. */
export const dashboardPeopleSchema = z.object({
  target: z.number(),
  items: z.array(scopePersonSchema),
});
export type DashboardPeople = z.infer<typeof dashboardPeopleSchema>;
