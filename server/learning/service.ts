import type {
  LearnerProfile,
  LearningSettings,
  UpdateLearningSettingsBody,
} from '../../shared/learning';
import { choosePersona, type OnboardingAnswers } from '../../shared/personas';
import type { Database } from '../db/client';
import type { Clock } from '../lib/clock';
import { isForeignKeyViolation, NotFoundError, ValidationError } from '../lib/errors';
import * as personaRepo from '../personas/repository';
import * as repo from './repository';

export type LearningService = ReturnType<typeof createLearningService>;

const noSuchPersona = () =>
  new ValidationError('Some fields are invalid.', [
    { path: ['personaId'], message: 'No such persona in this organisation.' },
  ]);

/**
 * The organisation's learning settings (time zone, desired retention, daily budget) and each
 * learner's profile: the persona the onboarding questionnaire chose, or the one they picked.
 */
export function createLearningService({ db, clock }: { db: Database; clock: Clock }) {
  async function profile(orgId: string, userId: string): Promise<LearnerProfile> {
    const row = await repo.findLearner(db, orgId, userId);
    if (!row) throw new NotFoundError('Member');
    return {
      personaId: row.personaId,
      persona:
        row.personaId && row.personaName !== null
          ? {
              id: row.personaId,
              name: row.personaName,
              description: row.personaDescription ?? '',
            }
          : null,
      onboardedAt: row.onboardedAt,
      timeZone: row.timeZone,
      dailyBudgetMinutes: row.dailyBudgetMinutes,
    };
  }

  return {
    async settings(orgId: string): Promise<LearningSettings> {
      const settings = await repo.findSettings(db, orgId);
      if (!settings) throw new NotFoundError('Organisation');
      return settings;
    },

    async updateSettings(
      orgId: string,
      body: UpdateLearningSettingsBody,
    ): Promise<LearningSettings> {
      const settings = await repo.updateSettings(db, orgId, body);
      if (!settings) throw new NotFoundError('Organisation');
      return settings;
    },

    profile,

    /**
     * Records the onboarding answers' outcome: the persona the organisation's rules choose
     * (shared `choosePersona`; none when the organisation has neither a matching rule nor a
     * fallback). Answering again later chooses again; `onboardedAt` keeps the first time.
     */
    async onboard(orgId: string, userId: string, answers: OnboardingAnswers) {
      const rules = await personaRepo.findRules(db, orgId);
      const { personaId } = choosePersona(answers, rules);
      // Personas named by the rules cannot be deleted, so the chosen one exists.
      await repo.setPersona(db, orgId, userId, personaId, clock.now());
      return profile(orgId, userId);
    },

    /** The learner picks a persona of the organisation themselves (400 at `personaId` else). */
    async choosePersona(orgId: string, userId: string, personaId: string) {
      const known = await personaRepo.existingPersonaIds(db, orgId, [personaId]);
      if (!known.has(personaId)) throw noSuchPersona();
      try {
        await repo.setPersona(db, orgId, userId, personaId, clock.now());
      } catch (err) {
        // Deleted at the same moment.
        if (isForeignKeyViolation(err)) throw noSuchPersona();
        throw err;
      }
      return profile(orgId, userId);
    },
  };
}
