/**
 * The organisation's home for its staff (`GET /api/orgs/:orgId/home`): for each of the caller's
 * roles, what to do next, read from the organisation's data. Learners' Today is `/me/today`.
 */
import { z } from 'zod';
import { idSchema, isoDate } from './common';
import { calendarDateSchema } from './tools';

/**
 * The set-up steps an admin goes through, in the order the field wants them: job roles before
 * invitations (an invitation names one), people before content, and last the first answers.
 */
export const setupSteps = [
  'teams',
  'jobRoles',
  'people',
  'personas',
  'tools',
  'publishedModule',
  'learning',
] as const;
export const setupStepSchema = z.enum(setupSteps);
export type SetupStep = z.infer<typeof setupStepSchema>;

/** How long a draft may stay untouched before the home points at it, in days. */
export const STALE_DRAFT_DAYS = 14;
/** How far ahead the home looks for a team × module falling under the target, in days. */
export const CROSSING_SOON_DAYS = 14;
/** How many people at risk the home names; the at-risk dashboard lists them all. */
export const AT_RISK_NAMED = 3;

/** Predicted recall now of a group of people against the organisation's target. */
const recallSchema = {
  /** Mean predicted recall now over their learnt cards; null when none is learnt yet. */
  recallNow: z.number().nullable(),
  /** People with at least one learnt card. */
  learners: z.number().int(),
};

/** The organisation's state, once set up: what an admin keeps an eye on. */
export const orgStateSchema = z.object({
  /** Active members. */
  members: z.number().int(),
  /** Invitations neither accepted, revoked nor expired. */
  pendingInvitations: z.number().int(),
  publishedModules: z.number().int(),
  draftModules: z.number().int(),
  /** The whole organisation, as the retention overview gives it. */
  ...recallSchema,
  /** People on the at-risk dashboard. */
  atRisk: z.number().int(),
  /** Mail that failed for good in the last 7 days (the outbox). */
  failedMessages: z.number().int(),
  /** Background jobs of the organisation that failed for good in the last 7 days. */
  failedJobs: z.number().int(),
});
export type OrgState = z.infer<typeof orgStateSchema>;

/** The admin's part: the set-up checklist, then the organisation's state. */
export const adminHomeSchema = z.object({
  /** In `setupSteps` order; `count` is what makes the step done (done: at least one). */
  steps: z.array(z.object({ step: setupStepSchema, done: z.boolean(), count: z.number().int() })),
  /** Null until every step is done. */
  state: orgStateSchema.nullable(),
});
export type AdminHome = z.infer<typeof adminHomeSchema>;

const moduleRefSchema = z.object({ moduleId: idSchema, title: z.string() });

/** Why a module needs its author's attention. */
export const attentionReasons = ['under-target', 'stale-draft', 'no-target'] as const;
export type AttentionReason = (typeof attentionReasons)[number];

/** The authors' part (trainers, and admins once the organisation has modules). */
export const authoringHomeSchema = z.object({
  /** Drafts never published, by title. */
  drafts: z.array(moduleRefSchema.extend({ updatedAt: isoDate })),
  /** Published modules whose working copy has changes not published yet, by title. */
  changed: z.array(moduleRefSchema),
  /** Published modules with the organisation's recall of them now, by title. */
  published: z.array(moduleRefSchema.extend(recallSchema)),
  /**
   * What needs attention, in this order: published modules under the target (lowest recall
   * first), drafts untouched for STALE_DRAFT_DAYS days, modules that target no team and no job
   * role (nobody gets them assigned but by hand).
   */
  attention: z.array(
    moduleRefSchema.extend({
      reason: z.enum(attentionReasons),
      /** under-target: the recall now. */
      recallNow: z.number().nullable(),
      /** stale-draft: its last edit. */
      updatedAt: isoDate.nullable(),
    }),
  ),
});
export type AuthoringHome = z.infer<typeof authoringHomeSchema>;

/**
 * A team × module of the forecast that will fall under the target soon if nobody reviews
 * (the forecast's `crossesTargetOn`).
 */
const crossingSchema = z.object({
  teamId: idSchema.nullable(),
  teamName: z.string().nullable(),
  moduleId: idSchema,
  moduleTitle: z.string(),
  crossesOn: calendarDateSchema,
});

/**
 * The manager's or referent's part: the teams they follow (as the dashboards scope them),
 * who is at risk there, and what will fall under the target soon.
 */
export const teamsHomeSchema = z.object({
  /** Active members of those teams. */
  members: z.number().int(),
  ...recallSchema,
  /** One per team followed, by name. */
  teams: z.array(
    z.object({ teamId: idSchema, name: z.string(), members: z.number().int(), ...recallSchema }),
  ),
  atRisk: z.object({
    count: z.number().int(),
    /** The AT_RISK_NAMED most at risk, as the at-risk dashboard orders them. */
    first: z.array(
      z.object({ userId: idSchema, name: z.string(), teamName: z.string().nullable() }),
    ),
  }),
  /** Today in the organisation's zone. */
  today: calendarDateSchema,
  /** Falling under the target after today and within CROSSING_SOON_DAYS days, soonest first. */
  crossingSoon: z.array(crossingSchema),
  /** When none falls that soon: the earliest later crossing within the forecast, if any. */
  nextCrossing: crossingSchema.nullable(),
});
export type TeamsHome = z.infer<typeof teamsHomeSchema>;

/** `GET /api/orgs/:orgId/home`: each part is null when none of the caller's roles has it. */
export const homeSchema = z.object({
  /** The organisation's desired retention: the target line. */
  target: z.number(),
  admin: adminHomeSchema.nullable(),
  authoring: authoringHomeSchema.nullable(),
  teams: teamsHomeSchema.nullable(),
});
export type Home = z.infer<typeof homeSchema>;
