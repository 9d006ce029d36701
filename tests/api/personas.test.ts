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
  issuePaths,
} from '../helpers/harness';

const h = await createHarness();

let n = 0;
const fresh = (org: OrgFixture, position = 100) =>
  personaRepo.insertPersona(
    h.db,
    org.id,
    {
      name: `Persona ${++n}`,
      description: '',
      confidence: 3,
      device: 'any',
      minutesPerDay: 5,
      position,
    },
    h.clock.now(),
  );
const url = (org: OrgFixture, rest = '') => `/api/orgs/${org.id}/personas${rest}`;
const valid = { name: 'Field sales', confidence: 3, device: 'phone', minutesPerDay: 4 };

describe('personas', () => {
  it('every member lists them in order; nothing of another organisation', async () => {
    const { a, b } = h.world;
    const second = await fresh(a, 2);
    const first = await fresh(a, 1);
    const theirs = await fresh(b, 0);
    await checkRoute(h, {
      request: (org) => ({ method: 'GET', url: url(org) }),
      allow: ALL_ROLES,
      status: 200,
    });
    const items = json(await a.users.learner.inject({ method: 'GET', url: url(a) })).items;
    const ids = items.map((p: { id: string }) => p.id);
    expect(ids.indexOf(first.id)).toBeLessThan(ids.indexOf(second.id));
    expect(ids).not.toContain(theirs.id);
    expect(items.find((p: { id: string }) => p.id === first.id)).toEqual({
      id: first.id,
      name: first.name,
      description: '',
      confidence: 3,
      device: 'any',
      minutesPerDay: 5,
      desiredRetention: null,
      position: 1,
      createdAt: expect.stringMatching(/Z$/),
      updatedAt: expect.stringMatching(/Z$/),
    });
  });

  it('trainers and admins create; names are unique per organisation, case-insensitively', async () => {
    await checkRoute(h, {
      request: (org) => ({
        method: 'POST',
        url: url(org),
        payload: { ...valid, name: `New ${++n}` },
      }),
      allow: [...AUTHORS],
      status: 201,
      badInput: (org) => ({ method: 'POST', url: url(org), payload: { ...valid, confidence: 6 } }),
    });
    const { a, b } = h.world;
    const created = await a.users.trainer.inject({
      method: 'POST',
      url: url(a),
      payload: { ...valid, name: '  Night shift  ' },
    });
    expect(created.statusCode).toBe(201);
    expect(json(created)).toMatchObject({ ...valid, name: 'Night shift', description: '' });
    // Without a position, a new persona goes after the last one.
    const items = json(await a.users.admin.inject({ method: 'GET', url: url(a) })).items;
    expect(items.at(-1).id).toBe(json(created).id);
    expectError(
      await a.users.admin.inject({
        method: 'POST',
        url: url(a),
        payload: { ...valid, name: 'NIGHT SHIFT' },
      }),
      409,
      'CONFLICT',
    );
    const other = await b.users.admin.inject({
      method: 'POST',
      url: url(b),
      payload: { ...valid, name: 'Night shift' },
    });
    expect(other.statusCode).toBe(201);
  });

  it('refuses bad fields, each at its path', async () => {
    const { a } = h.world;
    const err = expectError(
      await a.users.admin.inject({
        method: 'POST',
        url: url(a),
        payload: { name: '', confidence: 0, device: 'watch', minutesPerDay: 61, extra: true },
      }),
      400,
      'VALIDATION_FAILED',
    );
    expect(issuePaths(err)).toEqual(
      expect.arrayContaining(['body.name', 'body.confidence', 'body.device', 'body.minutesPerDay']),
    );
  });

  it('every member reads one; another organisation’s is 404', async () => {
    await checkRoute(h, {
      request: async (org, owner) => ({
        method: 'GET',
        url: url(org, `/${(await fresh(owner)).id}`),
      }),
      allow: ALL_ROLES,
      status: 200,
      objectInPath: true,
    });
  });

  it('trainers and admins change one; a taken name is 409', async () => {
    await checkRoute(h, {
      request: async (org, owner) => ({
        method: 'PATCH',
        url: url(org, `/${(await fresh(owner)).id}`),
        payload: { minutesPerDay: 15, device: 'tablet' },
      }),
      allow: [...AUTHORS],
      status: 200,
      objectInPath: true,
      badInput: async (org) => ({
        method: 'PATCH',
        url: url(org, `/${(await fresh(org)).id}`),
        payload: {},
      }),
    });
    const { a } = h.world;
    const [one, two] = [await fresh(a), await fresh(a)];
    const res = await a.users.trainer.inject({
      method: 'PATCH',
      url: url(a, `/${one.id}`),
      payload: { description: 'Works from the warehouse', confidence: 1 },
    });
    expect(json(res)).toMatchObject({
      name: one.name,
      description: 'Works from the warehouse',
      confidence: 1,
    });
    expectError(
      await a.users.trainer.inject({
        method: 'PATCH',
        url: url(a, `/${one.id}`),
        payload: { name: two.name.toUpperCase() },
      }),
      409,
      'CONFLICT',
    );
  });

  it('trainers and admins delete one; refused with IN_USE while the rules use it', async () => {
    await checkRoute(h, {
      request: async (org, owner) => ({
        method: 'DELETE',
        url: url(org, `/${(await fresh(owner)).id}`),
      }),
      allow: [...AUTHORS],
      status: 204,
      objectInPath: true,
    });
    const { a } = h.world;
    const [used, fallback] = [await fresh(a), await fresh(a)];
    const rules = {
      rules: [{ minConfidence: 1, maxConfidence: 2, personaId: used.id }],
      fallbackPersonaId: fallback.id,
    };
    const put = await a.users.admin.inject({
      method: 'PUT',
      url: url(a, '/rules'),
      payload: rules,
    });
    expect(put.statusCode).toBe(200);
    for (const persona of [used, fallback]) {
      expectError(
        await a.users.trainer.inject({ method: 'DELETE', url: url(a, `/${persona.id}`) }),
        409,
        'IN_USE',
      );
    }
    await a.users.admin.inject({
      method: 'PUT',
      url: url(a, '/rules'),
      payload: { rules: [], fallbackPersonaId: fallback.id },
    });
    const res = await a.users.trainer.inject({ method: 'DELETE', url: url(a, `/${used.id}`) });
    expect(res.statusCode).toBe(204);
    expectError(
      await a.users.trainer.inject({ method: 'GET', url: url(a, `/${used.id}`) }),
      404,
      'NOT_FOUND',
    );
  });
});
