/**
 * A simulated May 2026 in a French organisation, the job runner ticking every quarter of an hour
 * around reminder times and a few times later in the day: who gets a reminder, on which days and
 * at what time. May 2026: 1 May (Friday) and 8 May are public holidays, Ascension is Thursday 14,
 * Whit Monday the 25th; the organisation closes on Friday 15 (a bridge day).
 */
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications, outboxMessages, users } from '../../server/db/schema';
import { localDate } from '../../server/lib/zoned-day';
import { createHarness, type Harness, json, type UserFixture } from '../helpers/harness';
import { learningFixtures } from '../helpers/learning';
import { startSmtp, type TestSmtp } from '../helpers/smtp';

const TZ = 'Europe/Paris';
const APP_URL = 'http://rappel.test';
/** A local time on a May 2026 day in Paris (summer time, UTC+2). */
const at = (day: number, time: string) =>
  new Date(`2026-05-${String(day).padStart(2, '0')}T${time}:00+02:00`);
/** Local times of the ticks of one day: every quarter of an hour from 07:45 to 10:00, then three. */
const TICKS = [
  ...Array.from({ length: 10 }, (_, i) => {
    const minutes = 7 * 60 + 45 + i * 15;
    return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  }),
  '13:00',
  '17:30',
  '23:45',
];

const WORKING = [4, 5, 6, 7, 11, 12, 13, 15, 18, 19, 20, 21, 22, 26, 27, 28, 29];
const days = (list: number[], time: string) =>
  list.map((d) => `2026-05-${String(d).padStart(2, '0')} ${time}`);

let smtp: TestSmtp;
let h: Harness;
let f: ReturnType<typeof learningFixtures>;
const people: Record<string, UserFixture> = {};

beforeAll(async () => {
  smtp = await startSmtp();
  h = await createHarness({
    config: {
      smtp: { url: smtp.url, from: 'rappel@example.test' },
      publicUrl: APP_URL,
      // The world's sessions are made in March; the month simulated is May.
      session: { idleMs: 365 * 86_400_000, absoluteMs: 365 * 86_400_000 },
    },
  });
  f = learningFixtures(h);
}, 60_000);
afterAll(async () => {
  await h.close();
  await smtp.close();
});

/** The reminders sent, as `name date HH:MM` in the organisation's zone, in order. */
async function remindersSent() {
  const rows = await h.db
    .select({ name: users.name, createdAt: outboxMessages.createdAt })
    .from(outboxMessages)
    .innerJoin(users, eq(users.id, outboxMessages.userId))
    .where(eq(outboxMessages.kind, 'reminder'))
    .orderBy(asc(outboxMessages.createdAt), asc(users.name));
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone: TZ,
    hour: '2-digit',
    minute: '2-digit',
  });
  return rows.map((r) => `${r.name} ${localDate(r.createdAt, TZ)} ${time.format(r.createdAt)}`);
}

const byName = (list: string[], name: string) =>
  list.filter((l) => l.startsWith(`${name} `)).map((l) => l.slice(name.length + 1));

describe('automatic refresher reminders over a month', () => {
  beforeAll(async () => {
    const { a, b } = h.world;
    h.clock.set(at(1, '00:30'));
    const lessons = Array.from({ length: 6 }, () => ({}));
    const moduleA = await f.publishedModule(a, { title: 'CRM basics' }, lessons);
    const moduleB = await f.publishedModule(b, { title: 'Expenses' }, [{}]);
    const slow = await f.freshPersona(a, { minutesPerDay: 1 });
    for (const name of ['Daily', 'Early', 'Weekly', 'Nothing due', 'Done early']) {
      people[name] = await f.learner(a, name, name === 'Done early' ? { personaId: slow } : {});
    }
    people['Sign-in'] = await f.learner(b, 'Sign-in');
    await f.assign(
      a,
      moduleA.id,
      ['Daily', 'Early', 'Weekly', 'Nothing due', 'Done early'].map((n) => people[n]!.id),
    );
    await f.assign(b, moduleB.id, [people['Sign-in']!.id]);
    // Every card learnt 40 days ago with a stability of 30 days: due all month until answered.
    for (const name of ['Daily', 'Early', 'Weekly', 'Done early']) {
      for (const lesson of moduleA.lessons) {
        await f.remember(a, people[name]!.id, lesson.cardIds[0]!, { stability: 30, daysAgo: 40 });
      }
    }
    await f.remember(a, people['Nothing due']!.id, moduleA.lessons[0]!.cardIds[0]!, {
      stability: 60,
      daysAgo: 1,
    });
    await f.remember(b, people['Sign-in']!.id, moduleB.lessons[0]!.cardIds[0]!, {
      stability: 30,
      daysAgo: 40,
    });

    const put = async (who: string, payload: object) => {
      const res = await people[who]!.inject({
        method: 'PUT',
        url: '/api/me/notifications',
        payload,
      });
      expect(res.statusCode, res.body).toBe(200);
    };
    await put('Early', { reminderTime: '08:00' });
    await put('Weekly', { reminderFrequency: 'weekly', reminderWeekday: 3 });
    const fr = await people.Daily!.inject({
      method: 'PATCH',
      url: '/api/me',
      payload: { locale: 'fr' },
    });
    expect(fr.statusCode, fr.body).toBe(200);

    const pause = await people.Early!.inject({
      method: 'POST',
      url: f.url(a, '/pauses'),
      payload: { startsOn: '2026-05-18', endsOn: '2026-05-22' },
    });
    expect(pause.statusCode, pause.body).toBe(201);
    const closure = await a.users.admin.inject({
      method: 'POST',
      url: f.url(a, '/calendar/closures'),
      payload: { startsOn: '2026-05-15', label: 'Pont de l’Ascension' },
    });
    expect(closure.statusCode, closure.body).toBe(201);
    await f.learningSettings(b, { reminderSignInLinks: true });

    for (let day = 1; day <= 31; day++) {
      for (const time of TICKS) {
        if (day === 12 && time === '08:45') {
          // Before their 09:00 reminder, a day's budget (1 min: three 20 s cards) answered.
          h.clock.set(at(12, '08:40'));
          for (const lesson of moduleA.lessons.slice(0, 3)) {
            await f.answerRight(a, people['Done early']!, lesson.id);
          }
        }
        h.clock.set(at(day, time));
        await h.app.jobs.tick();
      }
    }
  }, 600_000);

  it('reminds on working days only, at the chosen time, never twice a day', async () => {
    const sent = await remindersSent();
    const noClosure = WORKING.filter((d) => d !== 15);
    expect(byName(sent, 'Daily')).toEqual(days(noClosure, '09:00'));
    expect(byName(sent, 'Early')).toEqual(
      days(
        noClosure.filter((d) => d < 18 || d > 22),
        '08:00',
      ),
    );
    expect(byName(sent, 'Weekly')).toEqual(days([6, 13, 20, 27], '09:00'));
    expect(byName(sent, 'Nothing due')).toEqual([]);
    expect(byName(sent, 'Done early')).toEqual(
      days(
        noClosure.filter((d) => d !== 12),
        '09:00',
      ),
    );
    // The other organisation has no closure on the 15th.
    expect(byName(sent, 'Sign-in')).toEqual(days(WORKING, '09:00'));
    // Members with nothing in memory are never reminded.
    expect(sent.filter((l) => l.startsWith('Org '))).toEqual([]);
  });

  it('shows each reminder in the app too, linking to Today', async () => {
    const rows = await h.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, people.Daily!.id), eq(notifications.kind, 'reminder')));
    expect(rows).toHaveLength(16);
    expect(rows[0]!.link).toBe(`/o/${h.world.a.id}`);
    expect(rows[0]!.params).toMatchObject({ dueCount: 6, minutes: 2 });
  });

  it('says how many refreshers and minutes, in the learner’s language, with a link to Today', async () => {
    const mails = smtp.messages.filter(
      (m) => m.to && JSON.stringify(m.to).includes(people.Daily!.email),
    );
    const reminders = mails.filter((m) => m.subject?.includes('rappels aujourd’hui'));
    expect(reminders).toHaveLength(16);
    const mail = reminders[0]!;
    expect(mail.subject).toBe('6 rappels aujourd’hui, environ 2 min');
    expect(mail.text).toContain('6 rappels vous attendent');
    expect(mail.text).toContain(`${APP_URL}/o/${h.world.a.id}`);
    expect(mail.text).not.toContain('/sign-in-link');
    expect(mail.html).toContain(`href="${APP_URL}/o/${h.world.a.id}"`);
    const header = (key: string) => mail.headerLines.find((l) => l.key === key)?.line;
    expect(header('list-unsubscribe-post')).toBe(
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    );
    expect(header('list-unsubscribe')).toMatch(
      /^List-Unsubscribe:\s+<http:\/\/rappel\.test\/api\/unsubscribe\/[\w.-]+>$/,
    );
    // The learner with a one-minute budget is told of the three refreshers that fit in it.
    const slow = smtp.messages.find(
      (m) =>
        JSON.stringify(m.to).includes(people['Done early']!.email) &&
        m.subject?.includes('refresher'),
    );
    expect(slow?.subject).toBe('3 refreshers today, about 1 min');
  });

  it('signs the learner in when their organisation allows it, once', async () => {
    const mail = smtp.messages.find(
      (m) =>
        JSON.stringify(m.to).includes(people['Sign-in']!.email) && m.subject?.includes('refresher'),
    )!;
    const token = new RegExp(`${APP_URL}/sign-in-link#([A-Za-z0-9_-]+)`).exec(mail.text ?? '')?.[1];
    expect(token).toBeTruthy();
    h.clock.set(at(4, '12:00'));
    const first = await h.anon.inject({
      method: 'POST',
      url: '/api/auth/link-sign-in',
      payload: { token },
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(json(first).orgId).toBe(h.world.b.id);
    const again = await h.anon.inject({
      method: 'POST',
      url: '/api/auth/link-sign-in',
      payload: { token },
    });
    expect(again.statusCode).toBe(410);
  });
});
