import type { FastifyInstance } from 'fastify';
import {
  choosePersonaBodySchema,
  learnerProfileSchema,
  learningSettingsSchema,
  onboardingBodySchema,
  updateLearningSettingsBodySchema,
} from '../../shared/learning';
import { orgIdParamsSchema } from '../../shared/orgs';
import { tenant, typed } from '../lib/http';
import { currentMembership } from '../plugins/auth';
import type { LearningService } from './service';

const base = '/api/orgs/:orgId';

export async function learningRoutes(
  app: FastifyInstance,
  { learning }: { learning: LearningService },
) {
  const r = typed(app);

  r.get(
    `${base}/settings/learning`,
    {
      schema: {
        tags: ['learning settings'],
        summary: "The organisation's time zone, desired retention and daily refresher budget",
        params: orgIdParamsSchema,
        response: { 200: learningSettingsSchema, ...tenant },
      },
    },
    async (request) => learning.settings(currentMembership(request).orgId),
  );

  r.patch(
    `${base}/settings/learning`,
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['learning settings'],
        summary:
          "Change the time zone, desired retention, daily budget or reminders' sign-in links (admin)",
        params: orgIdParamsSchema,
        body: updateLearningSettingsBodySchema,
        response: { 200: learningSettingsSchema, ...tenant },
      },
    },
    async (request) => learning.updateSettings(currentMembership(request).orgId, request.body),
  );

  r.get(
    `${base}/me/learner`,
    {
      schema: {
        tags: ['learner'],
        summary: "The caller's learner profile: persona, onboarding date, time zone, budget",
        params: orgIdParamsSchema,
        response: { 200: learnerProfileSchema, ...tenant },
      },
    },
    async (request) => {
      const m = currentMembership(request);
      return learning.profile(m.orgId, m.userId);
    },
  );

  r.post(
    `${base}/me/onboarding`,
    {
      schema: {
        tags: ['learner'],
        summary: 'Answer the onboarding questionnaire: the rules choose the persona',
        params: orgIdParamsSchema,
        body: onboardingBodySchema,
        response: { 200: learnerProfileSchema, ...tenant },
      },
    },
    async (request) => {
      const m = currentMembership(request);
      return learning.onboard(m.orgId, m.userId, request.body.answers);
    },
  );

  r.patch(
    `${base}/me/persona`,
    {
      schema: {
        tags: ['learner'],
        summary: 'Pick another persona of the organisation',
        params: orgIdParamsSchema,
        body: choosePersonaBodySchema,
        response: { 200: learnerProfileSchema, ...tenant },
      },
    },
    async (request) => {
      const m = currentMembership(request);
      return learning.choosePersona(m.orgId, m.userId, request.body.personaId);
    },
  );
}
