import { describe, expect, it } from 'vitest';
import {
  AUTHORS,
  checkRoute,
  createHarness,
  expectError,
  issuePaths,
  json,
  type OrgFixture,
  type UserFixture,
} from '../helpers/harness';
import { DAY } from '../helpers/clock';
import { learningFixtures } from '../helpers/learning';

const h = await createHarness();
const fx = learningFixtures(h);

const personasUrl = (org: OrgFixture, rest = '') => `/api/orgs/${org.id}/personas${rest}`;
const modulesUrl = (org: OrgFixture, rest = '') => `/api/orgs/${org.id}/modules${rest}`;
const persona = { confidence: 3, device: 'any', minutesPerDay: 5 };
let n = 0;

async function createPersona(org: OrgFixture, desiredRetention?: number | null) {
  const res = await org.users.trainer.inject({
    method: 'POST',
    url: personasUrl(org),
    payload: { ...persona, name: `Careful ${++n}`, desiredRetention },
  });
  expect(res.statusCode, res.body).toBe(201);
  return json(res) as { id: string; desiredRetention: number | null };
}

describe('a persona’s desired retention', () => {
  it('trainers and admins set and clear it; another organisation’s persona is 404', async () => {
    await checkRoute(h, {
      request: async (org, owner) => ({
        method: 'PATCH',
        url: personasUrl(org, `/${(await createPersona(owner)).id}`),
        payload: { desiredRetention: 0.95 },
      }),
      allow: AUTHORS,
      status: 200,
      objectInPath: true,
      badInput: async (org) => ({
        method: 'PATCH',
        url: personasUrl(org, `/${(await createPersona(org)).id}`),
        payload: { desiredRetention: 0.99 },
      }),
    });

    const { a } = h.world;
    const created = await createPersona(a);
    expect(created.desiredRetention).toBeNull();
    const patch = (desiredRetention: number | null) =>
      a.users.admin.inject({
        method: 'PATCH',
        url: personasUrl(a, `/${created.id}`),
        payload: { desiredRetention },
      });
    expect(json(await patch(0.95)).desiredRetention).toBe(0.95);
    const read = await a.users.learner.inject({
      method: 'GET',
      url: personasUrl(a, `/${created.id}`),
    });
    expect(json(read).desiredRetention).toBe(0.95);
    expect(json(await patch(null)).desiredRetention).toBeNull();
    expect((await createPersona(a, 0.8)).desiredRetention).toBe(0.8);
  });

  it('outside 70–97 % is 400 at the field, and changes nothing', async () => {
    const { a } = h.world;
    const created = await createPersona(a, 0.85);
    for (const desiredRetention of [0.69, 0.98, 1]) {
      const err = expectError(
        await a.users.trainer.inject({
          method: 'PATCH',
          url: personasUrl(a, `/${created.id}`),
          payload: { desiredRetention },
        }),
        400,
        'VALIDATION_FAILED',
      );
      expect(issuePaths(err)).toEqual(['body.desiredRetention']);
    }
    const refused = await a.users.trainer.inject({
      method: 'POST',
      url: personasUrl(a),
      payload: { ...persona, name: `Too sure ${++n}`, desiredRetention: 0.99 },
    });
    expect(issuePaths(expectError(refused, 400, 'VALIDATION_FAILED'))).toEqual([
      'body.desiredRetention',
    ]);
    const read = await a.users.trainer.inject({
      method: 'GET',
      url: personasUrl(a, `/${created.id}`),
    });
    expect(json(read).desiredRetention).toBe(0.85);
  });
});

describe('a module’s desired retention', () => {
  it('trainers and admins set and clear it; another organisation’s module is 404', async () => {
    await checkRoute(h, {
      request: async (org, owner) => ({
        method: 'PATCH',
        url: modulesUrl(org, `/${(await fx.freshModule(owner)).id}`),
        payload: { desiredRetention: 0.95 },
      }),
      allow: AUTHORS,
      status: 200,
      objectInPath: true,
      badInput: async (org) => ({
        method: 'PATCH',
        url: modulesUrl(org, `/${(await fx.freshModule(org)).id}`),
        payload: { desiredRetention: 0.5 },
      }),
    });

    const { a } = h.world;
    const module = await fx.freshModule(a, { desiredRetention: 0.95 });
    expect(module.desiredRetention).toBe(0.95);
    const cleared = await a.users.trainer.inject({
      method: 'PATCH',
      url: modulesUrl(a, `/${module.id}`),
      payload: { desiredRetention: null },
    });
    expect(json(cleared).desiredRetention).toBeNull();
    expect((await fx.freshModule(a)).desiredRetention).toBeNull();
  });

  it('outside 70–97 % is 400 at the field, when creating and when changing', async () => {
    const { a } = h.world;
    const module = await fx.freshModule(a, { desiredRetention: 0.92 });
    const changed = await a.users.trainer.inject({
      method: 'PATCH',
      url: modulesUrl(a, `/${module.id}`),
      payload: { title: 'Still the same', desiredRetention: 0.98 },
    });
    expect(issuePaths(expectError(changed, 400, 'VALIDATION_FAILED'))).toEqual([
      'body.desiredRetention',
    ]);
    const created = await a.users.trainer.inject({
      method: 'POST',
      url: modulesUrl(a),
      payload: { title: 'Too lax', toolId: module.toolId, desiredRetention: 0.6 },
    });
    expect(issuePaths(expectError(created, 400, 'VALIDATION_FAILED'))).toEqual([
      'body.desiredRetention',
    ]);
    const read = await a.users.trainer.inject({
      method: 'GET',
      url: modulesUrl(a, `/${module.id}`),
    });
    expect(json(read)).toMatchObject({ title: module.title, desiredRetention: 0.92 });
  });

  it('applies at once to a published module: nothing to publish for it', async () => {
    const { a } = h.world;
    const published = await fx.publishedModule(a);
    const res = await a.users.trainer.inject({
      method: 'PATCH',
      url: modulesUrl(a, `/${published.id}`),
      payload: { desiredRetention: 0.95 },
    });
    expect(json(res)).toMatchObject({ desiredRetention: 0.95, hasUnpublishedChanges: false });
  });
});

describe('refreshers follow the override', () => {
  const inDays = (days: number) => new Date(h.clock.now().getTime() + days * DAY).toISOString();

  /**
   * When a new learner's first refresher comes after answering the module's card right and fast
   * (rated Easy: at a first Good answer, ts-fsrs gives 3 days from 0.90 to 0.97 alike), with
   * `personaId` chosen first when given.
   */
  async function firstDue(org: OrgFixture, moduleId: string, lessonId: string, personaId?: string) {
    const learner: UserFixture = await h.addUser(org.id, ['learner']);
    if (personaId) {
      const chosen = await learner.inject({
        method: 'PATCH',
        url: `/api/orgs/${org.id}/me/persona`,
        payload: { personaId },
      });
      expect(chosen.statusCode, chosen.body).toBe(200);
    }
    await fx.assign(org, moduleId, [learner.id]);
    // In under a third of the expected time: an Easy rating.
    const review = await fx.answerRight(org, learner, lessonId, 0.3);
    expect(review).toMatchObject({ rating: 4, reviewedAt: h.clock.now().toISOString() });
    return review.due as string;
  }

  it('97 % on the module brings the refresher sooner than the organisation’s 90 %; else the persona’s applies', async () => {
    const { a } = h.world;
    const plain = await fx.publishedModule(a);
    const critical = await fx.publishedModule(a, { desiredRetention: 0.97 });
    const relaxed = await fx.publishedModule(a, { desiredRetention: 0.9 });
    const careful = await createPersona(a, 0.97);

    const organisations = await firstDue(a, plain.id, plain.lessons[0]!.id);
    const modules = await firstDue(a, critical.id, critical.lessons[0]!.id);
    expect(organisations).toBe(inDays(8));
    expect(modules).toBe(inDays(4));
    // The module has none: the persona's 97 % applies.
    expect(await firstDue(a, plain.id, plain.lessons[0]!.id, careful.id)).toBe(modules);
    // The module's own 90 % wins over the persona's 97 %.
    expect(await firstDue(a, relaxed.id, relaxed.lessons[0]!.id, careful.id)).toBe(organisations);
  });
});
