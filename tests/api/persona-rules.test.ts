import { describe, expect, it } from 'vitest';
import * as personaRepo from '../../server/personas/repository';
import {
  ALL_ROLES,
  checkRoute,
  createHarness,
  expectError,
  json,
  type OrgFixture,
  AUTHORS,
} from '../helpers/harness';

const h = await createHarness();

let n = 0;
const fresh = async (org: OrgFixture) =>
  (
    await personaRepo.insertPersona(
      h.db,
      org.id,
      {
        name: `Persona ${++n}`,
        description: '',
        confidence: 3,
        device: 'any',
        minutesPerDay: 5,
        position: n,
      },
      h.clock.now(),
    )
  ).id;
const rulesUrl = (org: OrgFixture, rest = '') => `/api/orgs/${org.id}/personas/rules${rest}`;
const answers = { confidence: 1, device: 'phone', minutesPerDay: 5 };

describe('onboarding rules', () => {
  it('every member reads them; an organisation without rules has none and no fallback', async () => {
    await checkRoute(h, {
      request: (org) => ({ method: 'GET', url: rulesUrl(org) }),
      allow: ALL_ROLES,
      status: 200,
    });
    const res = await h.world.b.users.learner.inject({ method: 'GET', url: rulesUrl(h.world.b) });
    expect(json(res)).toEqual({ rules: [], fallbackPersonaId: null });
  });

  it('trainers and admins replace them, in order', async () => {
    await checkRoute(h, {
      request: async (org) => ({
        method: 'PUT',
        url: rulesUrl(org),
        payload: { rules: [], fallbackPersonaId: await fresh(org) },
      }),
      allow: [...AUTHORS],
      status: 200,
      badInput: async (org) => ({
        method: 'PUT',
        url: rulesUrl(org),
        payload: {
          rules: [{ minConfidence: 4, maxConfidence: 2, personaId: await fresh(org) }],
          fallbackPersonaId: await fresh(org),
        },
      }),
    });
    const { a } = h.world;
    const [low, phone, fallback] = [await fresh(a), await fresh(a), await fresh(a)];
    const body = {
      rules: [
        { minConfidence: 1, maxConfidence: 2, devices: ['phone'], personaId: phone },
        { minConfidence: 1, maxConfidence: 3, personaId: low },
      ],
      fallbackPersonaId: fallback,
    };
    const put = await a.users.trainer.inject({ method: 'PUT', url: rulesUrl(a), payload: body });
    const expected = {
      rules: [body.rules[0], { ...body.rules[1], devices: [] }],
      fallbackPersonaId: fallback,
    };
    expect(json(put)).toEqual(expected);
    const read = await a.users.learner.inject({ method: 'GET', url: rulesUrl(a) });
    expect(json(read)).toEqual(expected);
    // Organisation B's rules are untouched.
    const theirs = await h.world.b.users.admin.inject({ method: 'GET', url: rulesUrl(h.world.b) });
    expect(json(theirs).rules).not.toContainEqual(expect.objectContaining({ personaId: phone }));
  });

  it('refuses bad ranges and another organisation’s personas at the field, changing nothing', async () => {
    const { a, b } = h.world;
    const before = json(await a.users.admin.inject({ method: 'GET', url: rulesUrl(a) }));
    const inverted = expectError(
      await a.users.admin.inject({
        method: 'PUT',
        url: rulesUrl(a),
        payload: {
          rules: [
            { minConfidence: 1, maxConfidence: 2, personaId: await fresh(a) },
            { minConfidence: 5, maxConfidence: 3, personaId: await fresh(a) },
            { minConfidence: 0, maxConfidence: 9, devices: ['fax'], personaId: await fresh(a) },
          ],
          fallbackPersonaId: await fresh(a),
        },
      }),
      400,
      'VALIDATION_FAILED',
    );
    expect(inverted.issues!.map((i) => i.path.join('.'))).toEqual(
      expect.arrayContaining([
        'body.rules.1.maxConfidence',
        'body.rules.2.minConfidence',
        'body.rules.2.maxConfidence',
        'body.rules.2.devices.0',
      ]),
    );
    const foreign = expectError(
      await a.users.admin.inject({
        method: 'PUT',
        url: rulesUrl(a),
        payload: {
          rules: [
            { minConfidence: 1, maxConfidence: 2, personaId: await fresh(a) },
            { minConfidence: 3, maxConfidence: 5, personaId: await fresh(b) },
          ],
          fallbackPersonaId: await fresh(b),
        },
      }),
      400,
      'VALIDATION_FAILED',
    );
    expect(foreign.issues!.map((i) => i.path.join('.'))).toEqual([
      'body.rules.1.personaId',
      'body.fallbackPersonaId',
    ]);
    expect(json(await a.users.admin.inject({ method: 'GET', url: rulesUrl(a) }))).toEqual(before);
  });

  it('trainers and admins preview the saved rules, or draft ones before saving', async () => {
    const { a } = h.world;
    const [step, fallback, draftStep] = [await fresh(a), await fresh(a), await fresh(a)];
    await a.users.admin.inject({
      method: 'PUT',
      url: rulesUrl(a),
      payload: {
        rules: [{ minConfidence: 1, maxConfidence: 2, personaId: step }],
        fallbackPersonaId: fallback,
      },
    });
    await checkRoute(h, {
      request: (org) => ({ method: 'POST', url: rulesUrl(org, '/preview'), payload: { answers } }),
      allow: [...AUTHORS],
      status: 200,
      badInput: (org) => ({
        method: 'POST',
        url: rulesUrl(org, '/preview'),
        payload: { answers: { ...answers, confidence: 0 } },
      }),
    });
    const preview = (payload: object) =>
      a.users.trainer.inject({ method: 'POST', url: rulesUrl(a, '/preview'), payload });
    expect(json(await preview({ answers }))).toEqual({ personaId: step, ruleIndex: 0 });
    expect(json(await preview({ answers: { ...answers, confidence: 4 } }))).toEqual({
      personaId: fallback,
      ruleIndex: null,
    });
    const draft = {
      rules: [
        { minConfidence: 5, maxConfidence: 5, personaId: step },
        { minConfidence: 1, maxConfidence: 4, devices: ['phone'], personaId: draftStep },
      ],
      fallbackPersonaId: fallback,
    };
    expect(json(await preview({ answers, rules: draft }))).toEqual({
      personaId: draftStep,
      ruleIndex: 1,
    });
    // The draft was only tried: the saved rules still say the same.
    expect(json(await preview({ answers }))).toEqual({ personaId: step, ruleIndex: 0 });
    const foreign = expectError(
      await preview({ answers, rules: { ...draft, fallbackPersonaId: await fresh(h.world.b) } }),
      400,
      'VALIDATION_FAILED',
    );
    expect(foreign.issues!.map((i) => i.path.join('.'))).toEqual(['body.rules.fallbackPersonaId']);
  });
});
