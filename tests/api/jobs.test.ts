import { beforeEach, describe, expect, it } from 'vitest';
import { jobs } from '../../server/db/schema';
import type { JobSummary } from '../../shared/jobs';
import { MINUTE } from '../helpers/clock';
import { checkRoute, createHarness, json, type OrgFixture } from '../helpers/harness';

const h = await createHarness();
/** The harness's sessions are valid from this moment. */
const START = '2026-03-02T09:00:00Z';
const url = (org: OrgFixture) => `/api/orgs/${org.id}/jobs`;

async function summary(org: OrgFixture) {
  const res = await org.users.admin.inject({ method: 'GET', url: url(org) });
  expect(res.statusCode, res.body).toBe(200);
  return json<{ items: JobSummary[]; checkedAt: string }>(res);
}
const find = (items: JobSummary[], name: string, scope: JobSummary['scope']) =>
  items.find((i) => i.name === name && i.scope === scope);

// A job of this organisation that fails every time (as a mail server refusing would).
let refusals = 0;
h.app.jobs.define(
  'test-refused',
  async () => {
    refusals += 1;
    throw new Error('550 mailbox unavailable');
  },
  { maxAttempts: 2 },
);

beforeEach(async () => {
  await h.db.delete(jobs);
  h.clock.set(START);
});

describe('GET /api/orgs/:orgId/jobs', () => {
  it('is for admins of the organisation only', async () => {
    await checkRoute(h, {
      request: (org) => ({ method: 'GET', url: url(org) }),
      allow: ['admin'],
      status: 200,
    });
  });

  it("lists the install's recurring upkeep before it has ever run", async () => {
    const { items, checkedAt } = await summary(h.world.a);
    expect(checkedAt).toBe('2026-03-02T09:00:00.000Z');
    expect(find(items, 'housekeeping', 'install')).toEqual({
      name: 'housekeeping',
      scope: 'install',
      everyMs: 60 * MINUTE,
      lastRunAt: null,
      lastSuccessAt: null,
      lastFailure: null,
      failed: 0,
      queued: 0,
      running: 0,
      nextRunAt: null,
    });
    expect(find(items, 'dashboard-pairs', 'install')).toMatchObject({ everyMs: 15 * MINUTE });
    expect(find(items, 'dashboard-answer-periods', 'install')).toMatchObject({
      everyMs: 15 * MINUTE,
    });
    expect(items.filter((i) => i.scope === 'organisation')).toEqual([]);
  });

  it('says when the recurring jobs last ran and succeeded', async () => {
    await h.app.jobs.tick();
    h.clock.advance(20 * MINUTE);
    await h.app.jobs.tick();
    const { items } = await summary(h.world.a);
    expect(find(items, 'housekeeping', 'install')).toMatchObject({
      lastRunAt: '2026-03-02T09:00:00.000Z',
      lastSuccessAt: '2026-03-02T09:00:00.000Z',
      lastFailure: null,
      queued: 0,
    });
    expect(find(items, 'dashboard-pairs', 'install')).toMatchObject({
      lastRunAt: '2026-03-02T09:20:00.000Z',
      lastSuccessAt: '2026-03-02T09:20:00.000Z',
    });
  });

  it("shows this organisation's failures with their reason, retries and queue", async () => {
    const { a, b } = h.world;
    await h.app.jobs.enqueue({ name: 'test-refused', key: 'refused:1', orgId: a.id });
    await h.app.jobs.runDue();
    let item = find((await summary(a)).items, 'test-refused', 'organisation');
    expect(item).toMatchObject({
      lastRunAt: '2026-03-02T09:00:00.000Z',
      lastSuccessAt: null,
      lastFailure: {
        at: '2026-03-02T09:00:00.000Z',
        reason: '550 mailbox unavailable',
        retryAt: '2026-03-02T09:00:30.000Z',
      },
      failed: 0,
      queued: 1,
      nextRunAt: '2026-03-02T09:00:30.000Z',
    });
    h.clock.advance(MINUTE);
    await h.app.jobs.runDue();
    item = find((await summary(a)).items, 'test-refused', 'organisation');
    expect(item).toMatchObject({
      lastFailure: { at: '2026-03-02T09:01:00.000Z', retryAt: null },
      failed: 1,
      queued: 0,
    });
    expect(refusals).toBe(2);
    // Another organisation sees none of it.
    expect(find((await summary(b)).items, 'test-refused', 'organisation')).toBeUndefined();
  });

  it('forgets jobs done over 30 days ago at housekeeping, but not their last success', async () => {
    const { a } = h.world;
    const daysAgo = (days: number) => new Date(h.clock.now().getTime() - days * 24 * 60 * MINUTE);
    await h.db.insert(jobs).values(
      [45, 40, 31, 29].map((days) => ({
        name: 'mail',
        key: `mail:${days}`,
        orgId: a.id,
        status: 'done' as const,
        runAt: daysAgo(days),
        startedAt: daysAgo(days),
        finishedAt: daysAgo(days),
      })),
    );
    await h.app.housekeeping();
    const left = await h.db.select({ key: jobs.key }).from(jobs);
    expect(left.map((j) => j.key).sort()).toEqual(['mail:29']);
    await h.db.delete(jobs);
    await h.db.insert(jobs).values({
      name: 'mail',
      key: 'mail:only',
      orgId: a.id,
      status: 'done',
      runAt: daysAgo(60),
      finishedAt: daysAgo(60),
    });
    await h.app.housekeeping();
    expect(find((await summary(a)).items, 'mail', 'organisation')).toMatchObject({
      lastSuccessAt: daysAgo(60).toISOString(),
    });
  });

  it("hides jobs of no organisation that are not the install's upkeep", async () => {
    const { a } = h.world;
    // A password-reset mail belongs to no organisation: its failure names someone else.
    await h.db.insert(jobs).values({
      name: 'mail',
      key: 'mail:reset',
      status: 'failed',
      runAt: h.clock.now(),
      finishedAt: h.clock.now(),
      lastError: '550 no such user: someone@elsewhere.test',
    });
    await h.app.jobs.enqueue({ name: 'mail', key: 'mail:a', orgId: a.id });
    const { items } = await summary(a);
    expect(items.filter((i) => i.name === 'mail')).toMatchObject([
      { scope: 'organisation', queued: 1, lastFailure: null },
    ]);
  });
});
