/**
 * The learner side: organisation learning settings, onboarding, assignments, answers (reviews)
 * and the pure rules both server and web need: the automatic rating of an answer and the FSRS-6
 * retention function R(t, S) (DESIGN.md §5).
 */
import { z } from 'zod';
import { idSchema, isoDate } from './common';
import { blockSchema } from './modules';
import { orgIdParamsSchema } from './orgs';
import { onboardingAnswersSchema } from './personas';
import { desiredRetentionSchema } from './retention';
import { calendarDateSchema } from './tools';

export {
  DEFAULT_DESIRED_RETENTION,
  DEFAULT_USE_DAY_TARGET,
  desiredRetentionSchema,
  RETENTION_MAX,
  RETENTION_MIN,
} from './retention';

// ---- Organisation learning settings ----

export const DEFAULT_TIME_ZONE = 'Europe/Paris';
export const DEFAULT_DAILY_BUDGET_MINUTES = 5;

/** An IANA time zone this runtime knows ("Europe/Paris"). */
export const timeZoneSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine(
    (zone) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'Unknown time zone' },
  );

export const learningSettingsSchema = z.object({
  /** A learner's "day" (what is due today) follows this zone. */
  timeZone: z.string(),
  desiredRetention: z.number(),
  /** About how long the refreshers of one day may take, per learner. */
  dailyBudgetMinutes: z.number().int(),
  /**
   * Whether a reminder's link may sign the learner in (single use, 24 hours, opens Today): for
   * the learner who will not remember a password after a holiday. Off by default.
   */
  reminderSignInLinks: z.boolean(),
});
export type LearningSettings = z.infer<typeof learningSettingsSchema>;

export const updateLearningSettingsBodySchema = z
  .strictObject({
    timeZone: timeZoneSchema,
    desiredRetention: desiredRetentionSchema,
    dailyBudgetMinutes: z.number().int().min(1).max(60),
    reminderSignInLinks: z.boolean(),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'Nothing to change' });
export type UpdateLearningSettingsBody = z.output<typeof updateLearningSettingsBodySchema>;

// ---- Assignments ----

/** Why a learner has a module: their job role/team is targeted, someone assigned it, a wave. */
export const assignmentReasons = ['target', 'manual', 'wave'] as const;
export const assignmentReasonSchema = z.enum(assignmentReasons);
export type AssignmentReason = z.infer<typeof assignmentReasonSchema>;

export const assignmentSchema = z.object({
  id: idSchema,
  moduleId: idSchema,
  userId: idSchema,
  reason: assignmentReasonSchema,
  /** The module reaches the learner from this moment (a wave's date). */
  opensAt: isoDate,
  /** Calendar date in the organisation's time zone; null: no deadline. */
  dueOn: calendarDateSchema.nullable(),
  assignedBy: idSchema.nullable(),
  createdAt: isoDate,
});
export type Assignment = z.infer<typeof assignmentSchema>;

// ---- Answers and ratings ----

/** FSRS grades, as ts-fsrs numbers them. */
export const ratings = { again: 1, hard: 2, good: 3, easy: 4 } as const;
export type RatingName = keyof typeof ratings;
export type Rating = (typeof ratings)[RatingName];

/** What a learner answered, by card kind. */
export const answerSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('single'), optionId: idSchema }),
  z.strictObject({
    kind: z.literal('multiple'),
    optionIds: z
      .array(idSchema)
      .max(8)
      .refine((ids) => new Set(ids).size === ids.length),
  }),
  z.strictObject({ kind: z.literal('truefalse'), value: z.boolean() }),
  z.strictObject({
    kind: z.literal('order'),
    stepIds: z
      .array(idSchema)
      .max(10)
      .refine((ids) => new Set(ids).size === ids.length),
  }),
  /** Short answers are self-checked: the learner compares with the model answer. */
  z.strictObject({
    kind: z.literal('short'),
    text: z.string().max(500).default(''),
    gotIt: z.boolean(),
  }),
]);
export type Answer = z.output<typeof answerSchema>;

/** Answer thresholds relative to the card's expected time (DESIGN.md §5, "automatic rating"). */
export const FAST_RATIO = 0.5;
export const SLOW_RATIO = 1.5;

/**
 * The automatic rating of an answer: wrong → Again; right but slower than 1.5× the expected time
 * → Hard; right within 0.5× → Easy; right otherwise → Good. Self-checked short answers count
 * as right or wrong by the learner's word, and are never Easy (typing takes the time it takes).
 */
export function rateAnswer(
  correct: boolean,
  durationMs: number,
  expectedSeconds: number,
  selfChecked = false,
): Rating {
  if (!correct) return ratings.again;
  const ratio = durationMs / 1000 / expectedSeconds;
  if (ratio > SLOW_RATIO) return ratings.hard;
  if (ratio < FAST_RATIO && !selfChecked) return ratings.easy;
  return ratings.good;
}

export const reviewBodySchema = z.strictObject({
  /** Made by the client once per answer: sending it again changes nothing. */
  id: idSchema,
  cardId: idSchema,
  answer: answerSchema,
  /** From showing the question to answering, as the client measured it. */
  durationMs: z
    .number()
    .int()
    .min(0)
    .max(60 * 60 * 1000),
});
export type ReviewBody = z.output<typeof reviewBodySchema>;

/** The right answer, shown with the explanation once the learner has answered. */
export const solutionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('single'), optionIds: z.array(idSchema) }),
  z.object({ kind: z.literal('multiple'), optionIds: z.array(idSchema) }),
  z.object({ kind: z.literal('truefalse'), value: z.boolean() }),
  z.object({ kind: z.literal('order'), stepIds: z.array(idSchema) }),
  z.object({ kind: z.literal('short'), modelAnswer: z.string() }),
]);
export type Solution = z.infer<typeof solutionSchema>;

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((id) => b.includes(id));

/**
 * Whether an answer is right by the card's solution: the correct option; exactly the correct
 * set; the true/false value; the steps in their exact order; for a self-checked short answer,
 * the learner's word. The server grades with it; the web app uses it for a practice retry,
 * against the solution the first answer brought back.
 */
export function answerMatches(solution: Solution, answer: Answer): boolean {
  switch (answer.kind) {
    case 'single':
      return solution.kind === 'single' && solution.optionIds.includes(answer.optionId);
    case 'multiple':
      return solution.kind === 'multiple' && sameSet(answer.optionIds, solution.optionIds);
    case 'truefalse':
      return solution.kind === 'truefalse' && solution.value === answer.value;
    case 'order':
      return (
        solution.kind === 'order' &&
        solution.stepIds.length === answer.stepIds.length &&
        solution.stepIds.every((id, i) => answer.stepIds[i] === id)
      );
    case 'short':
      return answer.gotIt;
  }
}

export const reviewResultSchema = z.object({
  id: idSchema,
  cardId: idSchema,
  correct: z.boolean(),
  solution: solutionSchema,
  explanationHtml: z.string(),
  rating: z.number().int().min(1).max(4),
  /** When the card comes back. */
  due: isoDate,
  /** Days until then (0: later today). */
  scheduledDays: z.number().int(),
  reviewedAt: isoDate,
});
export type ReviewResult = z.infer<typeof reviewResultSchema>;

export const reviewParamsSchema = orgIdParamsSchema;

// ---- Retention math (FSRS-6) ----

/** FSRS-6's default decay, w[20]. */
export const DEFAULT_DECAY = 0.1542;

/** The forgetting curve's decay (w[20]) that FSRS-6 weights give; FSRS-6's default without them. */
export function decayOfWeights(weights: readonly number[] | null | undefined): number {
  return weights?.[20] ?? DEFAULT_DECAY;
}

/** `factor = 0.9^(-1/decay) - 1`, so that R(S, S) = 0.9 for any decay. */
export function retentionFactor(decay: number = DEFAULT_DECAY): number {
  return Math.pow(0.9, -1 / decay) - 1;
}

/**
 * Predicted probability of recall `t` days after the last review of a memory of stability `S`
 * days: `R(t, S) = (1 + factor · t / S)^(-decay)`. Dashboards compute the same formula in SQL.
 */
export function retrievability(t: number, stability: number, decay: number = DEFAULT_DECAY) {
  if (stability <= 0) return 0;
  return Math.pow(1 + (retentionFactor(decay) * Math.max(t, 0)) / stability, -decay);
}

/**
 * The inverse of `retrievability`: how many days after the last review predicted recall falls
 * to `recall`, for a memory of stability `S` days: `t = S · (recall^(-1/decay) - 1) / factor`.
 */
export function daysUntilRecall(
  stability: number,
  recall: number,
  decay: number = DEFAULT_DECAY,
): number {
  return (stability * (Math.pow(recall, -1 / decay) - 1)) / retentionFactor(decay);
}

// ---- Learner-facing reads ----

/** A card as a learner sees it before answering: no correct flags, order steps shuffled. */
export const learnerCardSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.enum(['single', 'multiple']),
    id: idSchema,
    lessonId: idSchema,
    moduleId: idSchema,
    questionHtml: z.string(),
    options: z.array(z.object({ id: idSchema, html: z.string() })),
    expectedSeconds: z.number().int(),
  }),
  z.object({
    kind: z.literal('truefalse'),
    id: idSchema,
    lessonId: idSchema,
    moduleId: idSchema,
    questionHtml: z.string(),
    expectedSeconds: z.number().int(),
  }),
  z.object({
    kind: z.literal('order'),
    id: idSchema,
    lessonId: idSchema,
    moduleId: idSchema,
    questionHtml: z.string(),
    /** Shuffled; never in the right order (unless there is only one order). */
    steps: z.array(z.object({ id: idSchema, html: z.string() })),
    expectedSeconds: z.number().int(),
  }),
  z.object({
    kind: z.literal('short'),
    id: idSchema,
    lessonId: idSchema,
    moduleId: idSchema,
    questionHtml: z.string(),
    /**
     * Shown once the learner has written their answer, so they can say whether they got it:
     * short answers are self-checked, so knowing it early gives nothing away.
     */
    modelAnswer: z.string(),
    expectedSeconds: z.number().int(),
  }),
]);
export type LearnerCard = z.infer<typeof learnerCardSchema>;

export const learnerProfileSchema = z.object({
  personaId: idSchema.nullable(),
  persona: z.object({ id: idSchema, name: z.string(), description: z.string() }).nullable(),
  onboardedAt: isoDate.nullable(),
  timeZone: z.string(),
  dailyBudgetMinutes: z.number().int(),
});
export type LearnerProfile = z.infer<typeof learnerProfileSchema>;

export const choosePersonaBodySchema = z.strictObject({ personaId: idSchema });
/** The onboarding questionnaire's answers; the organisation's rules choose the persona. */
export const onboardingBodySchema = z.strictObject({ answers: onboardingAnswersSchema });

/**
 * A process used soon that some of today's refreshers prepare for (event-anchored refreshers,
 * DESIGN.md §5), so Today can say why they are there.
 */
export const todayUseSchema = z.object({
  processId: idSchema,
  processName: z.string(),
  /** The process's next use, today or later, in the organisation's calendar. */
  on: calendarDateSchema,
  /** Today's refreshers of the process's modules, in the order served. */
  cardIds: z.array(idSchema),
});
export type TodayUse = z.infer<typeof todayUseSchema>;

/**
 * What's new in one module for this learner: the cards a later version added to lessons they
 * had already finished (completed or placed out of), as their persona sees them, with no memory
 * yet. A short session answers them as a lesson check would, and they become refreshers.
 */
export const whatsNewSchema = z.object({
  moduleId: idSchema,
  moduleTitle: z.string(),
  /** The finished lessons that gained them, in the module's order. */
  lessons: z.array(z.object({ id: idSchema, title: z.string() })),
  /** In the module's order; never empty. */
  cards: z.array(learnerCardSchema),
  /** The cards' expected answering time. */
  estimatedSeconds: z.number().int(),
});
export type WhatsNew = z.infer<typeof whatsNewSchema>;

export const todaySchema = z.object({
  /** Today in the organisation's time zone, YYYY-MM-DD. */
  date: calendarDateSchema,
  /** The next micro-lesson to do, or null when every opened module is done. */
  nextLesson: z
    .object({
      moduleId: idSchema,
      moduleTitle: z.string(),
      lessonId: idSchema,
      lessonTitle: z.string(),
      /** 0-based place of the lesson among those this learner sees in the module. */
      lessonIndex: z.number().int(),
      lessonCount: z.number().int(),
      estimatedSeconds: z.number().int(),
      /** Block to resume at. */
      resumePosition: z.number().int(),
    })
    .nullable(),
  /** Modules with new cards in lessons the learner had finished, in the modules' priority order. */
  whatsNew: z.array(whatsNewSchema),
  /** Refreshers due today that fit the daily budget, in the order to do them. */
  refreshers: z.array(learnerCardSchema),
  /** The processes used within a week that `refreshers` prepare for, soonest first. */
  uses: z.array(todayUseSchema),
  /** Every refresher due today, also those beyond the budget. */
  dueCount: z.number().int(),
  budgetSeconds: z.number().int(),
  /** When the next refresher after today is due; null when none is scheduled. */
  nextDueAt: isoDate.nullable(),
  /** The last day of the pause the learner is in (no refreshers until then), or null. */
  pausedUntil: calendarDateSchema.nullable(),
  /** The next pause planned after now, its first and last days; null when none. */
  nextPause: z.object({ startsOn: calendarDateSchema, endsOn: calendarDateSchema }).nullable(),
  summary: z.object({
    modulesAssigned: z.number().int(),
    modulesCompleted: z.number().int(),
    cardsInMemory: z.number().int(),
    /** Mean predicted recall now over the cards in memory; null when there are none. */
    meanRecall: z.number().nullable(),
  }),
});
export type Today = z.infer<typeof todaySchema>;

export const learnerModuleSummarySchema = z.object({
  moduleId: idSchema,
  title: z.string(),
  summary: z.string(),
  toolName: z.string(),
  criticality: z.enum(['normal', 'critical']),
  lessonCount: z.number().int(),
  lessonsDone: z.number().int(),
  opensAt: isoDate,
  dueOn: calendarDateSchema.nullable(),
  /** Mean predicted recall now over this module's cards in memory; null before any. */
  recall: z.number().nullable(),
  nextDueAt: isoDate.nullable(),
});
export type LearnerModuleSummary = z.infer<typeof learnerModuleSummarySchema>;
export const learnerModuleListSchema = z.object({ items: z.array(learnerModuleSummarySchema) });

export const learnerLessonSchema = z.object({
  id: idSchema,
  title: z.string(),
  /** Blocks for this learner's persona only. */
  blocks: z.array(blockSchema),
  cards: z.array(learnerCardSchema),
  position: z.number().int(),
  completedAt: isoDate.nullable(),
  knownAt: isoDate.nullable(),
});

export const learnerModuleSchema = z.object({
  moduleId: idSchema,
  title: z.string(),
  summary: z.string(),
  version: z.number().int(),
  lessons: z.array(learnerLessonSchema),
});
export type LearnerModule = z.infer<typeof learnerModuleSchema>;

export const lessonProgressBodySchema = z.strictObject({
  position: z.number().int().min(0).max(1000),
  completed: z.boolean().default(false),
});
export const lessonProgressSchema = z.object({
  lessonId: idSchema,
  position: z.number().int(),
  completedAt: isoDate.nullable(),
});
export type LessonProgress = z.infer<typeof lessonProgressSchema>;

// ---- Placement check ("I already know this") ----

/** One answer of a placement check, graded and recorded nowhere. */
export const placementCheckBodySchema = z.strictObject({ cardId: idSchema, answer: answerSchema });
export type PlacementCheckBody = z.output<typeof placementCheckBodySchema>;

/** Whether the answer is right, with the right answer and the explanation to show. */
export const placementCheckResultSchema = z.object({
  cardId: idSchema,
  correct: z.boolean(),
  solution: solutionSchema,
  explanationHtml: z.string(),
});
export type PlacementCheckResult = z.infer<typeof placementCheckResultSchema>;

/**
 * Every answer of a placement check, each as `POST reviews` takes it (its id made by the client
 * once): the server grades them again, marks known the lessons whose cards were all answered
 * right (the last answer to a card counting), and records as reviews only the answers to those
 * lessons' cards. No answers at all (every card skipped) places out of nothing.
 */
export const placementBodySchema = z.strictObject({
  answers: z
    .array(reviewBodySchema)
    .max(500)
    .refine((answers) => new Set(answers.map((a) => a.id)).size === answers.length, {
      message: 'Each answer once',
    }),
});
export type PlacementBody = z.output<typeof placementBodySchema>;

const placementLessonSchema = z.object({ id: idSchema, title: z.string() });
/** The module's lessons not completed, in order: known (now or before) and still to study. */
export const placementResultSchema = z.object({
  known: z.array(placementLessonSchema),
  toStudy: z.array(placementLessonSchema),
});
export type PlacementResult = z.infer<typeof placementResultSchema>;

// ---- Assigning by hand ----

export const createAssignmentsBodySchema = z.strictObject({
  moduleId: idSchema,
  userIds: z
    .array(idSchema)
    .min(1)
    .max(500)
    .refine((ids) => new Set(ids).size === ids.length, { message: 'Each person once' }),
  dueOn: calendarDateSchema.nullable().default(null),
  /** Defaults to now. */
  opensAt: isoDate.optional(),
});
export const assignmentListSchema = z.object({ items: z.array(assignmentSchema) });
export const assignmentListQuerySchema = z.strictObject({
  moduleId: idSchema.optional(),
  userId: idSchema.optional(),
});
export const assignmentParamsSchema = orgIdParamsSchema.extend({ assignmentId: idSchema });
export const learnerModuleParamsSchema = orgIdParamsSchema.extend({ moduleId: idSchema });
export const learnerLessonParamsSchema = orgIdParamsSchema.extend({ lessonId: idSchema });
