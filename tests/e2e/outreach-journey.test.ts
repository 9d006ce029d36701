import { randomUUID } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE, TestClock } from '../helpers/clock';
import {
  startPushService,
  type PushServiceStub,
  type TestSubscription,
} from '../helpers/push-service';
import { freePort } from '../helpers/server-spawn';
import { startSmtp, type TestSmtp } from '../helpers/smtp';
import {
  apiAs,
  type ClockedApp,
  joinAsLearner,
  screenIsFine,
  setUpOrganisation,
  startAppWithClock,
} from './helpers';

let app: ClockedApp;
let smtp: TestSmtp;
let pushService: PushServiceStub;
const mailFrom = 'rappel@example.com';

beforeAll(async () => {
  smtp = await startSmtp();
  pushService = await startPushService();
  const port = await freePort();
  // Monday 2 March 2026, 10:00 in Paris; links in mails point at this server.
  app = await startAppWithClock(new TestClock('2026-03-02T09:00:00Z'), {
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    SMTP_URL: smtp.url,
    MAIL_FROM: `Rappel <${mailFrom}>`,
  });
});

afterAll(async () => {
  await app?.close();
  await smtp?.close();
  await pushService?.close();
});

const learnerEmail = 'lea.roux@example.com';
const oldPassword = 'the password Léa forgot';
const newPassword = 'a brand new passphrase';
const managerEmail = 'maud.martin@example.com';
const managerPassword = 'a long password of Maud';

const cards = [
  { question: 'Invoices of the month are booked before the close.', answer: true },
  { question: 'The close can be reopened by anyone.', answer: false },
];

/** An organisation with a Sales team, its manager Maud, and Léa in it who learnt a module. */
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
    cardIds.push((await admin<{ id: string }>('POST', `${o}/lessons/${lesson.id}/cards`, card)).id);
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
  const accepted = await fetch(`${app.base}/api/invitations/${link.split('/invite/')[1]}/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ password: managerPassword, name: 'Maud Martin', locale: 'en' }),
  });
  expect(accepted.ok).toBe(true);
  const maud = apiAs(app.base, accepted.headers.getSetCookie()[0]!.split(';')[0]!);
  const manager = await maud<{ user: { id: string } }>('GET', '/me');
  await admin('PATCH', `${o}/members/${manager.user.id}`, { managedTeamIds: [team.id] });
  await maud('PUT', '/me/notifications', { channels: { digest: ['mail', 'in-app'] } });
  return { orgId, lea };
}

/**
 * What the browser's push service would do, done by the test: `PushManager.subscribe` hands back
 * a subscription to the local push service, made by the test, and remembers the server key the
 * page subscribed with (a real subscription survives reloads: so does this one).
 */
async function standInForPushService(context: BrowserContext, sub: TestSubscription) {
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

const to = (mail: ParsedMail) =>
  (Array.isArray(mail.to) ? mail.to : [mail.to]).flatMap((a) => a?.value.map((v) => v.address));
const mailsTo = (address: string) => smtp.messages.filter((m) => to(m).includes(address));

/** A header as it came over the wire (mailparser turns some into objects). */
const header = (mail: ParsedMail, name: string) =>
  mail.headerLines
    .find((l) => l.key === name)
    ?.line.slice(name.length + 1)
    .trim();

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

async function signIn(page: Page, email: string, password: string) {
  await page.goto(`${app.base}/login`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/o\/[0-9a-f-]{36}$/);
}

describe('outreach journey: password recovery by mail, reminder time, push, weekly digest', () => {
  it('Léa gets back in, chooses 8:00 and push; Maud’s digest comes on Monday', async () => {
    const { orgId, lea } = await setUp();
    // Ten minutes later, the mail that says what was assigned (grouped, in her language).
    app.clock.advance(10 * MINUTE);
    await runJobs();
    expect(mailsTo(learnerEmail).map((m) => m.subject)).toEqual([
      'Invitation to join Dupont Compta on Rappel',
      'Nouveau module : Month-end close',
    ]);
    const before = smtp.messages.length;

    // ---- Friday afternoon, on her phone: Léa forgot her password ----
    app.clock.set('2026-03-06T14:00:00Z');
    const { page, errors } = await app.person('fr-FR', 390);
    const context = page.context();
    await context.grantPermissions(['notifications'], { origin: app.base });
    const device = pushService.subscribe();
    await standInForPushService(context, device);
    await page.clock.install({ time: app.clock.now() });
    await page.goto(`${app.base}/login`);
    await page.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
    await page.waitForURL('**/forgot-password');
    await page.getByRole('heading', { level: 1, name: 'Mot de passe oublié' }).waitFor();
    await screenIsFine(page);
    await page.getByLabel('Adresse e-mail').fill(learnerEmail);
    await page.getByRole('button', { name: 'M’envoyer un lien' }).click();
    const sent = page.getByRole('heading', { level: 2, name: 'Consultez votre messagerie' });
    await sent.waitFor();
    expect(await sent.evaluate((el) => el === document.activeElement)).toBe(true);
    await page
      .getByText(`Si un compte existe pour ${learnerEmail}, un lien est en route.`, {
        exact: false,
      })
      .waitFor();
    await screenIsFine(page);

    // The mail: to her, from the install's sender, in French, text and HTML, with one link.
    await runJobs();
    expect(smtp.messages.length).toBe(before + 1);
    const [reset] = mailsTo(learnerEmail).slice(-1);
    expect(reset!.subject).toBe('Choisir un nouveau mot de passe Rappel');
    expect(reset!.from?.value[0]?.address).toBe(mailFrom);
    expect(reset!.text).toContain('Il est valable 30 minutes');
    expect(reset!.html).toMatch(/<html[^>]* lang="fr"/);
    // A password mail is not a newsletter: nothing to unsubscribe from.
    expect(header(reset!, 'list-unsubscribe')).toBeUndefined();
    const [resetUrl = '', ...otherLinks] = linksIn(reset!);
    expect(resetUrl).toMatch(new RegExp(`^${app.base}/reset-password#[\\w-]{20,}$`));
    expect(otherLinks).toEqual([]);

    // ---- The link: a new password, and she is in ----
    await page.goto(resetUrl);
    await page
      .getByRole('heading', { level: 1, name: 'Choisir un nouveau mot de passe' })
      .waitFor();
    await page.getByText(`Pour ${learnerEmail}.`, { exact: false }).waitFor();
    await screenIsFine(page);
    await page.getByLabel('Nouveau mot de passe', { exact: true }).fill(newPassword);
    await page.getByLabel('Nouveau mot de passe, à nouveau').fill(newPassword);
    await page.getByRole('button', { name: 'Enregistrer mon nouveau mot de passe' }).click();
    await page.waitForURL(`**/o/${orgId}`);
    await page.getByRole('heading', { level: 1 }).waitFor();

    // The old password no longer opens her account; the session of before has ended.
    const login = (password: string) =>
      fetch(`${app.base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: learnerEmail, password }),
      });
    expect((await login(oldPassword)).status).toBe(401);
    expect((await login(newPassword)).status).toBe(200);
    await expect(lea('GET', '/me')).rejects.toThrow(/401/);
    // The link worked once.
    const other = await app.person('fr-FR', 390);
    await other.page.goto(resetUrl);
    await other.page
      .getByRole('heading', { level: 1, name: 'Ce lien ne fonctionne plus' })
      .waitFor();
    await other.page.context().close();

    // ---- Push on, from Today ----
    const toggle = page.getByRole('switch', { name: 'Me prévenir sur cet appareil' });
    await toggle.check();
    await page.getByText('Notifications activées sur cet appareil.').waitFor();
    await screenIsFine(page);
    await page.reload();
    await page
      .getByRole('switch', { name: 'Me prévenir sur cet appareil', checked: true })
      .waitFor();

    // ---- Reminders at 8:00, on her account page (push shows on there too) ----
    await page.getByRole('link', { name: /^Mon compte/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Mon compte' }).waitFor();
    const time = page.getByLabel('À (heure de l’organisation)');
    expect(await time.inputValue()).toBe('09:00');
    await time.fill('08:00');
    await page.getByRole('button', { name: 'Enregistrer les notifications' }).click();
    await page.getByText('Réglages des notifications enregistrés.').waitFor();
    await page
      .getByRole('switch', { name: 'Me prévenir sur cet appareil', checked: true })
      .waitFor();
    await screenIsFine(page);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Mon compte' }).waitFor();
    // The form shows once the settings are loaded.
    await time.waitFor();
    expect(await time.inputValue()).toBe('08:00');

    // ---- Monday 9 March, 7:00 in Paris: Maud's weekly digest, and no reminder yet ----
    const weekend = smtp.messages.length;
    app.clock.set('2026-03-09T06:00:00Z');
    await tick();
    expect(smtp.messages.slice(weekend).map(to)).toEqual([[managerEmail]]);
    const digest = smtp.messages.at(-1)!;
    expect(digest.subject).toBe('Week 11 summary: what Dupont Compta remembers');
    expect(digest.text).toContain('Your team: Sales.');
    expect(digest.text).toMatch(/Léa Roux \(Sales\): \d+ overdue refreshers?/);
    expect(digest.html).toContain('Léa Roux');
    expect(header(digest, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(header(digest, 'list-unsubscribe')).toMatch(
      new RegExp(`^<${app.base}/[^>]*unsubscribe/[\\w.-]+>`),
    );
    expect(linksIn(digest)).toContain(`${app.base}/o/${orgId}/dashboards`);
    expect(pushService.deliveries).toEqual([]);

    // ---- 8:00, her time: the reminder by mail and on her phone ----
    app.clock.set('2026-03-09T07:00:00Z');
    await tick();
    expect(smtp.messages.slice(weekend + 1).map(to)).toEqual([[learnerEmail]]);
    const reminder = smtp.messages.at(-1)!;
    expect(reminder.subject).toMatch(/^2 rappels aujourd’hui, environ \d+ min$/);
    expect(reminder.text).toContain('2 rappels vous attendent aujourd’hui');
    expect(reminder.html).toMatch(/<html[^>]* lang="fr"/);
    expect(header(reminder, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(pushService.refused).toEqual([]);
    expect(pushService.deliveries).toHaveLength(1);
    const [push] = pushService.deliveries;
    expect(push!.endpoint).toBe(device.endpoint);
    expect(push!.message).toMatchObject({
      title: 'Vos rappels du jour',
      body: expect.stringMatching(/^2 rappels vous attendent/),
      url: `/o/${orgId}`,
    });
    // Signed with the install's key, the one the page subscribed with.
    const { publicKey } = await page.evaluate(
      async () => (await fetch('/api/push/public-key')).json() as Promise<{ publicKey: string }>,
    );
    expect(push!.vapidKey).toBe(publicKey);
    expect(await page.evaluate(() => localStorage.getItem('e2e.pushServerKey'))).toBe(publicKey);

    // The mail's button opens Today, where the bell has the reminder too.
    await page.clock.setSystemTime(app.clock.now());
    await page.goto(linksIn(reminder).find((l) => l.endsWith(`/o/${orgId}`))!);
    await page.getByRole('heading', { name: 'Rappels du jour' }).waitFor();
    // The bell: the reminder, and the new module of last week she has not opened yet.
    await page.getByRole('button', { name: 'Notifications : 2 non lues' }).click();
    const panel = page.getByRole('region', { name: 'Notifications' });
    await panel
      .getByRole('link', { name: /^2 rappels vous attendent, environ \d+ min\.$/ })
      .waitFor();
    await panel
      .getByRole('link', { name: 'Nouvelle formation pour vous : « Month-end close ».' })
      .waitFor();
    await screenIsFine(page);

    // 9:00, the default time: nothing more for her.
    app.clock.set('2026-03-09T08:00:00Z');
    await tick();
    expect(smtp.messages.length).toBe(weekend + 2);
    expect(pushService.deliveries).toHaveLength(1);
    expect(errors).toEqual([]);

    // ---- Maud, at her desk: the digest in the bell too, as she chose ----
    const maud = await app.person('en-GB', 1280);
    await maud.page.clock.install({ time: app.clock.now() });
    await signIn(maud.page, managerEmail, managerPassword);
    const bell = maud.page.getByRole('button', { name: 'Notifications: 1 unread' });
    await bell.click();
    const summary = maud.page
      .getByRole('region', { name: 'Notifications' })
      .getByRole('link', { name: 'Your weekly retention summary is ready.' });
    await summary.waitFor();
    await screenIsFine(maud.page);
    await summary.click();
    await maud.page.waitForURL(`**/o/${orgId}/dashboards`);
    await maud.page.getByRole('heading', { level: 1, name: 'Retention dashboard' }).waitFor();
    await maud.page.getByRole('button', { name: 'Notifications', exact: true }).waitFor();

    // Her mail program's one-click unsubscribe (RFC 8058) stops the digest by mail, not in-app.
    const oneClick = /^<(.+)>$/.exec(header(digest, 'list-unsubscribe')!)![1]!;
    const stopped = await fetch(oneClick, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(stopped.status).toBe(200);
    await maud.page.getByRole('link', { name: /^My account/ }).click();
    const digestChannels = maud.page.getByRole('group', { name: 'Weekly summary (managers)' });
    expect(await digestChannels.getByLabel('By email').isChecked()).toBe(false);
    expect(await digestChannels.getByLabel('In the app (the bell)').isChecked()).toBe(true);
    await screenIsFine(maud.page);
    expect(maud.errors).toEqual([]);
  });
});
