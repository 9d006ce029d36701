import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenIsFine } from './helpers';
import {
  header,
  learnerEmail,
  managerEmail,
  oldPassword,
  type Outreach,
  standInForPushService,
  startOutreach,
  to,
} from './outreach';

let o: Outreach;

beforeAll(async () => {
  o = await startOutreach();
});

afterAll(async () => {
  await o?.close();
});

describe('reminder time and push', () => {
  it('Léa chooses 8:00 and push on her phone; Monday’s reminder comes then, by mail and push', async () => {
    const { app, smtp, pushService, linksIn, tick } = o;
    const { orgId } = await o.setUp();

    // ---- Friday afternoon, on her phone, where the browser may show notifications ----
    app.clock.set('2026-03-06T14:00:00Z');
    const { page, errors } = await app.person('fr-FR', 390);
    const context = page.context();
    await context.grantPermissions(['notifications'], { origin: app.base });
    const device = pushService.subscribe();
    await standInForPushService(context, device);
    await page.clock.install({ time: app.clock.now() });
    await o.signIn(page, learnerEmail, oldPassword, {
      email: 'Adresse e-mail',
      password: 'Mot de passe',
      submit: 'Se connecter',
    });
    await page.waitForURL(`**/o/${orgId}`);
    await page.getByRole('heading', { level: 1 }).waitFor();

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
      .getByRole('link', {
        name: 'Nouvelle formation pour vous\u00a0: «\u00a0Month-end close\u00a0».',
      })
      .waitFor();
    await screenIsFine(page);

    // 9:00, the default time: nothing more for her.
    app.clock.set('2026-03-09T08:00:00Z');
    await tick();
    expect(smtp.messages.length).toBe(weekend + 2);
    expect(pushService.deliveries).toHaveLength(1);
    expect(errors).toEqual([]);
  });
});
