/**
 * "New work": a learner told of the modules assigned to them, once a day at most, the
 * assignments of a moment grouped in one message (by hand or from a module's targets).
 */
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications, outboxMessages } from '../../server/db/schema';
import { createHarness, type Harness, type UserFixture } from '../helpers/harness';
import { learningFixtures } from '../helpers/learning';
import { startSmtp, type TestSmtp } from '../helpers/smtp';

/** A local time in Paris in May 2026 (UTC+2). */
const at = (day: number, time: string) =>
  new Date(`2026-05-${String(day).padStart(2, '0')}T${time}:00+02:00`);

let smtp: TestSmtp;
let h: Harness;
let f: ReturnType<typeof learningFixtures>;
let lea: UserFixture;

beforeAll(async () => {
  smtp = await startSmtp();
  h = await createHarness({
    config: {
      smtp: { url: smtp.url, from: 'rappel@example.test' },
      publicUrl: 'http://rappel.test',
      session: { idleMs: 365 * 86_400_000, absoluteMs: 365 * 86_400_000 },
    },
  });
  f = learningFixtures(h);
}, 60_000);
afterAll(async () => {
  await h.close();
  await smtp.close();
});

async function newWorkOf(userId: string) {
  const [mails, inApp] = await Promise.all([
    h.db
      .select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.userId, userId), eq(outboxMessages.kind, 'new-work')))
      .orderBy(asc(outboxMessages.createdAt)),
    h.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, userId), eq(notifications.kind, 'new-work')))
      .orderBy(asc(notifications.createdAt)),
  ]);
  return { mails, inApp };
}

/** The runner's tick, then whatever the jobs it ran queued (the mail of a notification). */
async function tick() {
  await h.app.jobs.tick();
  while ((await h.app.jobs.runDue()) > 0);
}

const titles = (params: Record<string, unknown>) =>
  (params.modules as { title: string }[]).map((m) => m.title);

describe('new work', () => {
  it('groups three assignments of a morning into one message, and a later one into the next day’s', async () => {
    const { a } = h.world;
    h.clock.set(at(5, '08:00'));
    lea = await f.learner(a, 'Lea', { jobRoleId: a.jobRole.id });
    const x = await f.publishedModule(a, { title: 'Log a call' });
    const y = await f.publishedModule(a, { title: 'Month-end close' });

    h.clock.set(at(5, '09:00'));
    await f.assign(a, x.id, [lea.id], { dueOn: '2026-05-29' });
    h.clock.set(at(5, '09:04'));
    await f.assign(a, y.id, [lea.id]);
    // Published with targets: assigned to everyone with Lea's job role.
    h.clock.set(at(5, '09:08'));
    await f.publishedModule(a, { title: 'Expenses', jobRoleIds: [a.jobRole.id] });

    h.clock.set(at(5, '09:09'));
    await tick();
    expect((await newWorkOf(lea.id)).mails).toEqual([]);

    h.clock.set(at(5, '09:10'));
    await tick();
    const first = await newWorkOf(lea.id);
    expect(first.mails).toHaveLength(1);
    expect(titles(first.mails[0]!.params)).toEqual(['Log a call', 'Month-end close', 'Expenses']);
    expect(first.inApp).toHaveLength(1);
    expect(first.inApp[0]!.link).toBe(`/o/${a.id}`);

    expect(first.mails[0]).toMatchObject({ status: 'sent', lastError: null });
    const [mail] = await smtp.waitFor(1);
    expect(mail!.subject).toBe('3 new modules to follow');
    expect(mail!.text).toContain('- Log a call (to finish by 29 May 2026)');
    expect(mail!.text).toContain('- Month-end close');
    expect(mail!.text).toContain('- Expenses');
    expect(mail!.text).toContain(`http://rappel.test/o/${a.id}`);

    // The day's message went: a fourth module waits for the next day, at the reminder time.
    const w = await f.publishedModule(a, { title: 'Travel requests' });
    h.clock.set(at(5, '14:00'));
    await f.assign(a, w.id, [lea.id]);
    for (const time of ['14:15', '18:00', '23:50']) {
      h.clock.set(at(5, time));
      await tick();
    }
    expect((await newWorkOf(lea.id)).mails).toHaveLength(1);
    h.clock.set(at(6, '08:59'));
    await tick();
    expect((await newWorkOf(lea.id)).mails).toHaveLength(1);
    h.clock.set(at(6, '09:00'));
    await tick();
    const next = await newWorkOf(lea.id);
    expect(next.mails).toHaveLength(2);
    expect(titles(next.mails[1]!.params)).toEqual(['Travel requests']);
    expect(next.inApp).toHaveLength(2);
  }, 60_000);

  it('tells nobody of an assignment that already existed', async () => {
    const { a } = h.world;
    const before = (await newWorkOf(lea.id)).mails.length;
    const [module] = (await newWorkOf(lea.id)).mails[0]!.params.modules as { moduleId: string }[];
    h.clock.set(at(7, '10:00'));
    await f.assign(a, module!.moduleId, [lea.id], { dueOn: '2026-06-30' });
    h.clock.set(at(8, '12:00'));
    await tick();
    expect((await newWorkOf(lea.id)).mails).toHaveLength(before);
  });
});
