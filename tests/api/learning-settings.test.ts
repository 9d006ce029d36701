import { describe, expect, it } from 'vitest';
import {
  ALL_ROLES,
  checkRoute,
  createHarness,
  expectError,
  issuePaths,
  json,
  type OrgFixture,
} from '../helpers/harness';

const h = await createHarness();
const settingsUrl = (org: OrgFixture) => `/api/orgs/${org.id}/settings/learning`;
const defaults = {
  timeZone: 'Europe/Paris',
  desiredRetention: 0.9,
  dailyBudgetMinutes: 5,
  reminderSignInLinks: false,
};

describe('learning settings', () => {
  it('every member reads them; a new organisation has the defaults', async () => {
    await checkRoute(h, {
      request: (org) => ({ method: 'GET', url: settingsUrl(org) }),
      allow: ALL_ROLES,
      status: 200,
    });
    const { a } = h.world;
    const res = await a.users.learner.inject({ method: 'GET', url: settingsUrl(a) });
    expect(json(res)).toEqual(defaults);
  });

  it('admins change them, one field or several; other organisations keep theirs', async () => {
    await checkRoute(h, {
      request: (org) => ({
        method: 'PATCH',
        url: settingsUrl(org),
        payload: { dailyBudgetMinutes: 6 },
      }),
      allow: ['admin'],
      status: 200,
      badInput: (org) => ({
        method: 'PATCH',
        url: settingsUrl(org),
        payload: { timeZone: 'Mars/Olympus_Mons' },
      }),
    });
    const { a, b } = h.world;
    const res = await a.users.admin.inject({
      method: 'PATCH',
      url: settingsUrl(a),
      payload: { timeZone: 'America/Montreal', desiredRetention: 0.95 },
    });
    const changed = {
      ...defaults,
      timeZone: 'America/Montreal',
      desiredRetention: 0.95,
      dailyBudgetMinutes: 6,
    };
    expect(json(res)).toEqual(changed);
    const read = await a.users.learner.inject({ method: 'GET', url: settingsUrl(a) });
    expect(json(read)).toEqual(changed);
    const other = await b.users.learner.inject({ method: 'GET', url: settingsUrl(b) });
    expect(json(other)).toEqual(defaults);
    // The learner profile carries the zone and the budget.
    const profile = await a.users.learner.inject({
      method: 'GET',
      url: `/api/orgs/${a.id}/me/learner`,
    });
    expect(json(profile)).toMatchObject({ timeZone: 'America/Montreal', dailyBudgetMinutes: 6 });
  });

  it('refuses unknown zones, retention outside 0.70–0.97, budgets outside 1–60, nothing', async () => {
    const { a } = h.world;
    const patch = (payload: object) =>
      a.users.admin.inject({ method: 'PATCH', url: settingsUrl(a), payload });
    const cases: [object, string][] = [
      [{ timeZone: 'Nowhere/Else' }, 'body.timeZone'],
      [{ timeZone: '' }, 'body.timeZone'],
      [{ desiredRetention: 0.99 }, 'body.desiredRetention'],
      [{ desiredRetention: 0.5 }, 'body.desiredRetention'],
      [{ dailyBudgetMinutes: 0 }, 'body.dailyBudgetMinutes'],
      [{ dailyBudgetMinutes: 61 }, 'body.dailyBudgetMinutes'],
      [{ dailyBudgetMinutes: 2.5 }, 'body.dailyBudgetMinutes'],
      [{ color: 'blue' }, 'body'],
    ];
    for (const [payload, path] of cases) {
      const err = expectError(await patch(payload), 400, 'VALIDATION_FAILED');
      expect(issuePaths(err), JSON.stringify(payload)).toContain(path);
    }
    expectError(await patch({}), 400, 'VALIDATION_FAILED');
    const read = await a.users.admin.inject({ method: 'GET', url: settingsUrl(a) });
    expect(json(read).desiredRetention).toBe(0.95);
  });
});
