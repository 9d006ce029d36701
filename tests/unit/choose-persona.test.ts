import { describe, expect, it } from 'vitest';
import {
  choosePersona,
  type OnboardingAnswers,
  personaRuleSchema,
  type PersonaRules,
} from '../../shared/personas';

const STEP = '00000000-0000-4000-8000-000000000001';
const AUTO = '00000000-0000-4000-8000-000000000002';
const POWER = '00000000-0000-4000-8000-000000000003';
const MOBILE = '00000000-0000-4000-8000-000000000004';

const rules: PersonaRules = {
  rules: [
    // Low confidence on a phone: a dedicated mobile persona, before the general low rule.
    { minConfidence: 1, maxConfidence: 2, devices: ['phone'], personaId: MOBILE },
    { minConfidence: 1, maxConfidence: 2, devices: [], personaId: STEP },
    { minConfidence: 5, maxConfidence: 5, devices: ['desktop', 'tablet'], personaId: POWER },
  ],
  fallbackPersonaId: AUTO,
};

const answers = (
  confidence: number,
  device: OnboardingAnswers['device'],
  minutesPerDay = 5,
): OnboardingAnswers => ({ confidence, device, minutesPerDay });

describe('choosePersona', () => {
  it.each([
    // confidence, device, persona, rule index (null: the fallback)
    [1, 'phone', MOBILE, 0],
    [2, 'phone', MOBILE, 0],
    [1, 'desktop', STEP, 1],
    [2, 'tablet', STEP, 1],
    [3, 'phone', AUTO, null],
    [4, 'desktop', AUTO, null],
    [5, 'desktop', POWER, 2],
    [5, 'tablet', POWER, 2],
    [5, 'phone', AUTO, null],
  ] as const)('confidence %i on %s → %s (rule %s)', (confidence, device, personaId, ruleIndex) => {
    expect(choosePersona(answers(confidence, device), rules)).toEqual({ personaId, ruleIndex });
  });

  it('the first matching rule wins, whatever comes after', () => {
    const overlapping: PersonaRules = {
      rules: [
        { minConfidence: 1, maxConfidence: 5, devices: [], personaId: STEP },
        { minConfidence: 5, maxConfidence: 5, devices: [], personaId: POWER },
      ],
      fallbackPersonaId: AUTO,
    };
    expect(choosePersona(answers(5, 'desktop'), overlapping)).toEqual({
      personaId: STEP,
      ruleIndex: 0,
    });
  });

  it('no rules: the fallback; no fallback yet: null', () => {
    expect(choosePersona(answers(3, 'phone'), { rules: [], fallbackPersonaId: AUTO })).toEqual({
      personaId: AUTO,
      ruleIndex: null,
    });
    expect(choosePersona(answers(3, 'phone'), { rules: [], fallbackPersonaId: null })).toEqual({
      personaId: null,
      ruleIndex: null,
    });
  });
});

describe('personaRuleSchema', () => {
  it('refuses an inverted range at the upper bound, and repeated devices', () => {
    const inverted = personaRuleSchema.safeParse({
      minConfidence: 4,
      maxConfidence: 2,
      personaId: STEP,
    });
    expect(inverted.error?.issues.map((i) => i.path)).toEqual([['maxConfidence']]);
    const repeated = personaRuleSchema.safeParse({
      minConfidence: 1,
      maxConfidence: 2,
      devices: ['phone', 'phone'],
      personaId: STEP,
    });
    expect(repeated.success).toBe(false);
  });

  it('devices default to any', () => {
    expect(
      personaRuleSchema.parse({ minConfidence: 1, maxConfidence: 1, personaId: STEP }).devices,
    ).toEqual([]);
  });
});
