/**
 * What the outreach journeys share: the app on a test clock with a real SMTP server and a push
 * service, and the organisation they start from (Léa learnt a module; Maud manages her team).
 * Each journey file starts its own, so that it runs on its own.
 */
import { randomUUID } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { MINUTE, TestClock } from '../helpers/clock';
import { startPushService, type TestSubscription } from '../helpers/push-service';
import { freePort } from '../helpers/server-spawn';
import { startSmtp } from '../helpers/smtp';
import { apiAs, joinAsLearner, setUpOrganisation, startAppWithClock } from './helpers';

export const mailFrom = 'rappel@example.com';
export const learnerEmail = 'lea.roux@example.com';
export const oldPassword = 'the password Léa forgot';
export const newPassword = 'a brand new passphrase';
export const managerEmail = 'maud.martin@example.com';
export const managerPassword = 'a long password of Maud';

const cards = [
  { question: 'Invoices of the month are booked before the close.', answer: true },
  { question: 'The close can be reopened by anyone.', answer: false },
];

/** The addresses a mail was sent to. */
export const to = (mail: ParsedMail) =>
  (Array.isArray(mail.to) ? mail.to : [mail.to]).flatMap((a) => a?.value.map((v) => v.address));

/** A header as it came over the wire (mailparser turns some into objects). */
export const header = (mail: ParsedMail, name: string) =>
  mail.headerLines
    .find((l) => l.key === name)
    ?.line.slice(name.length + 1)
    .trim();

export type Outreach = Awaited<ReturnType<typeof startOutreach>>;

/**
 * The app at Monday 2 March 2026, 10:00 in Paris, sending mail to a test SMTP server (links in
 * mails point at this server) and pushes to a test push service.
 */
export async function startOutreach() {
  const smtp = await startSmtp();
  const pushService = await startPushService().catch(async (e: unknown) => {
    await smtp.close();
    throw e;
  });
  const port = await freePort();
  const app = await startAppWithClock(new TestClock('2026-03-02T09:00:00Z'), {
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    SMTP_URL: smtp.url,
    MAIL_FROM: `Rappel <${mailFrom}>`,
  }).catch(async (e: unknown) => {
    await smtp.close();
    await pushService.close();
    throw e;
  });

  const mailsTo = (address: string) => smtp.messages.filter((m) => to(m).includes(address));

  /** The links to this app in a mail's text part, each also in its HTML part. */
  function linksIn(mail: ParsedMail) {
    const base = app.base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const links = mail.text?.match(new RegExp(`${base}/[^\\s)>\\]]*`, 'g')) ?? [];
    for (const link of links)
      expect(mail.html || '').toContain(`href="${link.replace(/&/g, '&amp;')}"`);
    return links;
  }

  /** Runs the jobs due now, and those they queue for now (a mail after a reset request). */
  async function runJobs() {
    while ((await app.jobs.runDue()) > 0);
  }

  /** What the server's poll does at the clock's now: the recurring jobs, then what they queue. */
  async function tick() {
    await app.jobs.tick();
    await runJobs();
  }

  /** Signs in on the login page, its words in the page's language (English unless given). */
  async function signIn(
    page: Page,
    email: string,
    password: string,
    words = { email: 'Email address', password: 'Password', submit: 'Sign in' },
  ) {
    await page.goto(`${app.base}/login`);
    await page.getByLabel(words.email).fill(email);
    await page.getByLabel(words.password).fill(password);
    await page.getByRole('button', { name: words.submit }).click();
    await page.waitForURL(/\/o\/[0-9a-f-]{36}$/);
  }

  /**
   * An organisation with a Sales team, its manager Maud, and Léa in it who learnt a module;
   * then ten minutes pass and the jobs run (the mail that says what was assigned goes out).
   */
  async function setUp() {
    const {
      orgId,
      o,
      api: admin,
    } = await setUpOrganisation(app.base, 'Dupont Compta', {
      name: 'Alice Admin',
      email: 'alice@example.com',
    });
    const jobRole = await admin<{ id: string }>('POST', `${o}/job-roles`, { name: 'Sales rep' });
    const team = await admin<{ id: string }>('POST', `${o}/teams`, { name: 'Sales' });
    const tool = await admin<{ id: string }>('POST', `${o}/tools`, { name: 'Accounting' });
    const module = await admin<{ id: string }>('POST', `${o}/modules`, {
      title: 'Month-end close',
      toolId: tool.id,
      jobRoleIds: [jobRole.id],
      criticality: 'critical',
    });
    const lesson = await admin<{ id: string }>('POST', `${o}/modules/${module.id}/lessons`, {
      title: 'Closing the month',
      blocks: [{ id: randomUUID(), kind: 'text', markdown: 'Book everything, then close.' }],
    });
    const cardIds: string[] = [];
    for (const c of cards) {
      const card = {
        kind: 'truefalse',
        ...c,
        explanation: 'As the lesson says.',
        expectedSeconds: 10,
      };
      cardIds.push(
        (await admin<{ id: string }>('POST', `${o}/lessons/${lesson.id}/cards`, card)).id,
      );
    }
    await admin('POST', `${o}/modules/${module.id}/publish`);

    // Léa speaks French; she learns the lesson and answers its cards right.
    const lea = await joinAsLearner(app.base, admin, o, {
      name: 'Léa Roux',
      email: learnerEmail,
      password: oldPassword,
      jobRoleId: jobRole.id,
    });
    await lea('PATCH', '/me', { locale: 'fr' });
    const { user } = await lea<{ user: { id: string } }>('GET', '/me');
    await admin('PATCH', `${o}/members/${user.id}`, { teamId: team.id });
    await lea('POST', `${o}/me/onboarding`, {
      answers: { confidence: 3, device: 'phone', minutesPerDay: 5 },
    });
    const mod = await lea<{ lessons: { id: string }[] }>('GET', `${o}/me/modules/${module.id}`);
    await lea('PUT', `${o}/me/lessons/${mod.lessons[0]!.id}/progress`, {
      position: 1,
      completed: true,
    });
    for (const [i, cardId] of cardIds.entries()) {
      await lea('POST', `${o}/reviews`, {
        id: randomUUID(),
        cardId,
        answer: { kind: 'truefalse', value: cards[i]!.answer },
        durationMs: 8_000,
      });
    }

    // Maud manages the Sales team; she wants her digest in the app too, not only by mail.
    const { link } = await admin<{ link: string }>('POST', `${o}/invitations`, {
      email: managerEmail,
      roles: ['manager'],
      locale: 'en',
    });
    const accepted = await fetch(
      `${app.base}/api/invitations/${link.split('/invite/')[1]}/accept`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ password: managerPassword, name: 'Maud Martin', locale: 'en' }),
      },
    );
    expect(accepted.ok).toBe(true);
    const maud = apiAs(app.base, accepted.headers.getSetCookie()[0]!.split(';')[0]!);
    const manager = await maud<{ user: { id: string } }>('GET', '/me');
    await admin('PATCH', `${o}/members/${manager.user.id}`, { managedTeamIds: [team.id] });
    await maud('PUT', '/me/notifications', { channels: { digest: ['mail', 'in-app'] } });

    app.clock.advance(10 * MINUTE);
    await runJobs();
    return { orgId, lea };
  }

  return {
    app,
    smtp,
    pushService,
    mailsTo,
    linksIn,
    runJobs,
    tick,
    signIn,
    setUp,
    async close() {
      await app.close();
      await smtp.close();
      await pushService.close();
    },
  };
}

/**
 * What the browser's push service would do, done by the test: `PushManager.subscribe` hands back
 * a subscription to the local push service, made by the test, and remembers the server key the
 * page subscribed with (a real subscription survives reloads: so does this one).
 */
export async function standInForPushService(context: BrowserContext, sub: TestSubscription) {
  await context.addInitScript((s: TestSubscription) => {
    const saved = 'e2e.pushServerKey';
    const bytes = (b64u: string) => {
      const b64 = b64u.replace(/-/g, '+').replace(/_/g, '/');
      const raw = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
      return Uint8Array.from(raw, (c) => c.charCodeAt(0)).buffer;
    };
    const make = (serverKey: string) =>
      ({
        endpoint: s.endpoint,
        expirationTime: null,
        options: { userVisibleOnly: true, applicationServerKey: bytes(serverKey) },
        getKey: (name: 'p256dh' | 'auth') => bytes(s.keys[name]),
        toJSON: () => ({ endpoint: s.endpoint, expirationTime: null, keys: s.keys }),
        unsubscribe: async () => {
          localStorage.removeItem(saved);
          return true;
        },
      }) as unknown as PushSubscription;
    PushManager.prototype.subscribe = async function (options?: PushSubscriptionOptionsInit) {
      const key = new Uint8Array(options!.applicationServerKey as ArrayBuffer);
      const serverKey = btoa(String.fromCharCode(...key))
        .replace(/\+/g, '-')
        .replace(/\//g, '_')
        .replace(/=+$/, '');
      localStorage.setItem(saved, serverKey);
      return make(serverKey);
    };
    PushManager.prototype.getSubscription = async function () {
      const serverKey = localStorage.getItem(saved);
      return serverKey ? make(serverKey) : null;
    };
  }, sub);
}
