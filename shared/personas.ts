import { z } from 'zod';
import { idSchema, isoDate, nameSchema } from './common';
import { orgIdParamsSchema } from './orgs';
import { retentionOverrideSchema } from './retention';

// ---- Personas ----

/** The device a persona prefers; `any` means lessons should suit every screen. */
export const devices = ['desktop', 'phone', 'tablet', 'any'] as const;
export const deviceSchema = z.enum(devices);
export type Device = z.infer<typeof deviceSchema>;

export const CONFIDENCE_MIN = 1;
export const CONFIDENCE_MAX = 5;
export const MINUTES_MIN = 1;
export const MINUTES_MAX = 60;

/** Digital confidence, 1 (uneasy with software) to 5 (at ease with any tool). */
export const confidenceSchema = z.number().int().min(CONFIDENCE_MIN).max(CONFIDENCE_MAX);
export const minutesPerDaySchema = z.number().int().min(MINUTES_MIN).max(MINUTES_MAX);
export const positionSchema = z.number().int().min(0).max(10_000);

export const descriptionSchema = z.string().trim().max(1000);

export const personaSchema = z.object({
  id: idSchema,
  name: z.string(),
  description: z.string(),
  confidence: z.number().int(),
  device: deviceSchema,
  minutesPerDay: z.number().int(),
  /** Overrides the organisation's desired retention for this persona's learners; null: none. */
  desiredRetention: z.number().nullable(),
  position: z.number().int(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type Persona = z.infer<typeof personaSchema>;
export const personaListSchema = z.object({ items: z.array(personaSchema) });
export const personaParamsSchema = orgIdParamsSchema.extend({ personaId: idSchema });

const personaFields = {
  name: nameSchema,
  description: descriptionSchema,
  confidence: confidenceSchema,
  device: deviceSchema,
  minutesPerDay: minutesPerDaySchema,
  desiredRetention: retentionOverrideSchema,
  /** Order in lists; a new persona goes last when absent. */
  position: positionSchema,
};

export const createPersonaBodySchema = z.strictObject({
  ...personaFields,
  description: descriptionSchema.default(''),
  desiredRetention: retentionOverrideSchema.default(null),
  position: positionSchema.optional(),
});
export type CreatePersonaBody = z.output<typeof createPersonaBodySchema>;

export const updatePersonaBodySchema = z
  .strictObject(personaFields)
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'Nothing to change' });
export type UpdatePersonaBody = z.output<typeof updatePersonaBodySchema>;

// ---- Onboarding questionnaire ----

/** The learner's usual device: one of the concrete ones. */
export const answerDevices = ['desktop', 'phone', 'tablet'] as const;

/**
 * The fixed onboarding questions, in the order they are asked; the web app words them
 * (Paraglide messages keyed by `id`). Rules map the answers to a persona.
 */
export const onboardingQuestions = [
  { id: 'confidence', kind: 'scale', min: CONFIDENCE_MIN, max: CONFIDENCE_MAX },
  { id: 'device', kind: 'choice', options: answerDevices },
  { id: 'minutesPerDay', kind: 'number', min: MINUTES_MIN, max: MINUTES_MAX },
] as const;

export const onboardingAnswersSchema = z.strictObject({
  /** "How comfortable are you with software?" 1–5. */
  confidence: confidenceSchema,
  /** "Which device do you usually work on?" */
  device: z.enum(answerDevices),
  /** "How many minutes a day can you give to learning?" */
  minutesPerDay: minutesPerDaySchema,
});
export type OnboardingAnswers = z.infer<typeof onboardingAnswersSchema>;

export const MAX_RULES = 20;

export const personaRuleSchema = z
  .strictObject({
    minConfidence: confidenceSchema,
    maxConfidence: confidenceSchema,
    /** The rule applies only to these answered devices; empty means any device. */
    devices: z
      .array(z.enum(answerDevices))
      .max(answerDevices.length)
      .refine((d) => new Set(d).size === d.length, { message: 'Each device once' })
      .default([]),
    personaId: idSchema,
  })
  .refine((r) => r.minConfidence <= r.maxConfidence, {
    message: 'The upper bound must not be below the lower bound',
    path: ['maxConfidence'],
  });
export type PersonaRule = z.output<typeof personaRuleSchema>;

/** The ordered rules (first match wins) and the persona chosen when none matches. */
export const personaRulesBodySchema = z.strictObject({
  rules: z.array(personaRuleSchema).max(MAX_RULES),
  fallbackPersonaId: idSchema,
});
export type PersonaRulesBody = z.output<typeof personaRulesBodySchema>;

export const personaRulesSchema = z.object({
  rules: z.array(
    z.object({
      minConfidence: z.number().int(),
      maxConfidence: z.number().int(),
      devices: z.array(z.enum(answerDevices)),
      personaId: idSchema,
    }),
  ),
  /** Null only for an organisation that has never had rules (created before personas). */
  fallbackPersonaId: idSchema.nullable(),
});
export type PersonaRules = z.infer<typeof personaRulesSchema>;

export const previewRulesBodySchema = z.strictObject({
  answers: onboardingAnswersSchema,
  /** Rules being edited, tried before saving; the saved rules when absent. */
  rules: personaRulesBodySchema.optional(),
});
export type PreviewRulesBody = z.output<typeof previewRulesBodySchema>;

export const previewRulesResultSchema = z.object({
  personaId: idSchema.nullable(),
  /** The index of the rule that matched; null when the fallback was used. */
  ruleIndex: z.number().int().nullable(),
});

/** Whether one rule matches the answers: confidence in its range and, if it names devices, the device among them. */
export function ruleMatches(rule: PersonaRules['rules'][number], answers: OnboardingAnswers) {
  const inRange =
    answers.confidence >= rule.minConfidence && answers.confidence <= rule.maxConfidence;
  return inRange && (rule.devices.length === 0 || rule.devices.includes(answers.device));
}

/**
 * The persona a learner's onboarding answers lead to: the first rule (in order) that matches,
 * else the fallback. `ruleIndex` says which rule decided (null: the fallback). `personaId` is
 * null only when no rule matches and the organisation has no fallback yet.
 */
export function choosePersona(
  answers: OnboardingAnswers,
  rules: Pick<PersonaRules, 'rules' | 'fallbackPersonaId'>,
): { personaId: string | null; ruleIndex: number | null } {
  const index = rules.rules.findIndex((rule) => ruleMatches(rule, answers));
  if (index === -1) return { personaId: rules.fallbackPersonaId, ruleIndex: null };
  return { personaId: rules.rules[index]!.personaId, ruleIndex: index };
}
