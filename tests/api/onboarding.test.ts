import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import * as orgRepo from '../../server/orgs/repository';
import { DAY } from '../helpers/clock';
import {
  ALL_ROLES,
  checkRoute,
  createHarness,
  expectError,
  issuePaths,
  json,
  type OrgFixture,
} from '../helpers/harness';
import { learningFixtures } from '../helpers/learning';

const h = await createHarness();
const f = learningFixtures(h);
const profileUrl = (org: OrgFixture) => `/api/orgs/${org.id}/me/learner`;
const onboardingUrl = (org: OrgFixture) => `/api/orgs/${org.id}/me/onboarding`;
const personaUrl = (org: OrgFixture) => `/api/orgs/${org.id}/me/persona`;

/** Per organisation: "step by step" for low confidence on a phone, "autonomous" otherwise. */
const personas = {} as Record<
  string,
  { stepByStep: string; phoneFirst: string; autonomous: string }
>;

beforeAll(async () => {
  for (const org of [h.world.a, h.world.b]) {
    const p = {
      stepByStep: await f.freshPersona(org),
      phoneFirst: await f.freshPersona(org),
      autonomous: await f.freshPersona(org),
    };
    personas[org.id] = p;
    const res = await org.users.trainer.inject({
      method: 'PUT',
      url: `/api/orgs/${org.id}/personas/rules`,
      payload: {
        rules: [
          { minConfidence: 1, maxConfidence: 2, devices: ['phone'], personaId: p.phoneFirst },
          { minConfidence: 1, maxConfidence: 3, personaId: p.stepByStep },
        ],
        fallbackPersonaId: p.autonomous,
      },
    });
    expect(res.statusCode, res.body).toBe(200);
  }
});

describe('the learner profile', () => {
  it('every member reads their own; before onboarding there is no persona', async () => {
    await checkRoute(h, {
      request: (org) => ({ method: 'GET', url: profileUrl(org) }),
      allow: ALL_ROLES,
      status: 200,
    });
    const { a } = h.world;
    const res = await a.users.learner.inject({ method: 'GET', url: profileUrl(a) });
    expect(json(res)).toEqual({
      personaId: null,
      persona: null,
      onboardedAt: null,
      timeZone: 'Europe/Paris',
      dailyBudgetMinutes: 5,
    });
  });
});

describe('onboarding', () => {
  it('any member answers; the bad answers are 400 at their field', async () => {
    await checkRoute(h, {
      request: (org) => ({
        method: 'POST',
        url: onboardingUrl(org),
        payload: { answers: { confidence: 4, device: 'desktop', minutesPerDay: 10 } },
      }),
      allow: ALL_ROLES,
      status: 200,
      badInput: (org) => ({
        method: 'POST',
        url: onboardingUrl(org),
        payload: { answers: { confidence: 6, device: 'desktop', minutesPerDay: 10 } },
      }),
    });
    const { a } = h.world;
    const bad = (answers: object) =>
      a.users.learner.inject({ method: 'POST', url: onboardingUrl(a), payload: { answers } });
    const err = expectError(
      await bad({ confidence: 2, device: 'watch', minutesPerDay: 0 }),
      400,
      'VALIDATION_FAILED',
    );
    expect(issuePaths(err)).toEqual(
      expect.arrayContaining(['body.answers.device', 'body.answers.minutesPerDay']),
    );
  });

  it("chooses the persona with the organisation's rules; answering again chooses again", async () => {
    const { a } = h.world;
    const learner = await h.addUser(a.id, ['learner']);
    const p = personas[a.id]!;
    const firstAt = h.clock.now();
    const first = await learner.inject({
      method: 'POST',
      url: onboardingUrl(a),
      payload: { answers: { confidence: 2, device: 'phone', minutesPerDay: 5 } },
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(json(first)).toEqual({
      personaId: p.phoneFirst,
      persona: { id: p.phoneFirst, name: expect.any(String), description: expect.any(String) },
      onboardedAt: firstAt.toISOString(),
      timeZone: 'Europe/Paris',
      dailyBudgetMinutes: 5,
    });
    // The same confidence on a desktop: the second rule.
    h.clock.advance(DAY);
    const again = await learner.inject({
      method: 'POST',
      url: onboardingUrl(a),
      payload: { answers: { confidence: 2, device: 'desktop', minutesPerDay: 5 } },
    });
    expect(json(again)).toMatchObject({
      personaId: p.stepByStep,
      onboardedAt: firstAt.toISOString(),
    });
    // No rule matches: the fallback.
    const confident = await learner.inject({
      method: 'POST',
      url: onboardingUrl(a),
      payload: { answers: { confidence: 5, device: 'phone', minutesPerDay: 5 } },
    });
    expect(json(confident).personaId).toBe(p.autonomous);
    const read = await learner.inject({ method: 'GET', url: profileUrl(a) });
    expect(json(read)).toEqual(json(confident));
  });

  it('an organisation with neither rules nor fallback onboards without a persona', async () => {
    // Organisations made before personas existed have no rules at all.
    const org = await orgRepo.insertOrg(h.db, 'Before personas', h.clock.now());
    const learner = await h.addUser(org.id, ['learner']);
    const res = await learner.inject({
      method: 'POST',
      url: `/api/orgs/${org.id}/me/onboarding`,
      payload: { answers: { confidence: 3, device: 'tablet', minutesPerDay: 5 } },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toMatchObject({
      personaId: null,
      persona: null,
      onboardedAt: h.clock.now().toISOString(),
    });
  });
});

describe('choosing a persona by hand', () => {
  it("any member picks one of their organisation's personas", async () => {
    await checkRoute(h, {
      request: (org) => ({
        method: 'PATCH',
        url: personaUrl(org),
        payload: { personaId: personas[org.id]!.autonomous },
      }),
      allow: ALL_ROLES,
      status: 200,
      badInput: (org) => ({ method: 'PATCH', url: personaUrl(org), payload: { personaId: 'x' } }),
    });
    const { a } = h.world;
    const learner = await h.addUser(a.id, ['learner']);
    const chosen = personas[a.id]!.stepByStep;
    const res = await learner.inject({
      method: 'PATCH',
      url: personaUrl(a),
      payload: { personaId: chosen },
    });
    expect(json(res)).toMatchObject({
      personaId: chosen,
      persona: { id: chosen },
      // Picking a persona is onboarding enough.
      onboardedAt: h.clock.now().toISOString(),
    });
  });

  it("another organisation's persona, or none, is 400 at personaId", async () => {
    const { a, b } = h.world;
    for (const personaId of [personas[b.id]!.autonomous, randomUUID()]) {
      const err = expectError(
        await a.users.learner.inject({
          method: 'PATCH',
          url: personaUrl(a),
          payload: { personaId },
        }),
        400,
        'VALIDATION_FAILED',
      );
      expect(issuePaths(err)).toEqual(['body.personaId']);
    }
  });

  it('a deleted persona leaves the learner without one', async () => {
    const { a } = h.world;
    const learner = await h.addUser(a.id, ['learner']);
    const personaId = await f.freshPersona(a);
    await learner.inject({ method: 'PATCH', url: personaUrl(a), payload: { personaId } });
    const del = await a.users.trainer.inject({
      method: 'DELETE',
      url: `/api/orgs/${a.id}/personas/${personaId}`,
    });
    expect(del.statusCode, del.body).toBe(204);
    const read = await learner.inject({ method: 'GET', url: profileUrl(a) });
    expect(json(read)).toMatchObject({ personaId: null, persona: null });
    expect(json(read).onboardedAt).not.toBeNull();
  });
});
