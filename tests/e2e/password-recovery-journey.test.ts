import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenIsFine } from './helpers';
import {
  header,
  learnerEmail,
  mailFrom,
  newPassword,
  oldPassword,
  type Outreach,
  startOutreach,
} from './outreach';

let o: Outreach;

beforeAll(async () => {
  o = await startOutreach();
});

afterAll(async () => {
  await o?.close();
});

describe('password recovery by mail', () => {
  it('Léa forgot her password: a mail in French, a new password, and she is in', async () => {
    const { app, smtp, mailsTo, linksIn, runJobs } = o;
    const { orgId, lea } = await o.setUp();
    // Ten minutes after the set-up, the mail that says what was assigned (grouped, in her language).
    expect(mailsTo(learnerEmail).map((m) => m.subject)).toEqual([
      'Invitation to join Dupont Compta on Rappel',
      'Nouveau module\u00a0: Month-end close',
    ]);
    const before = smtp.messages.length;

    // ---- Friday afternoon, on her phone: Léa forgot her password ----
    app.clock.set('2026-03-06T14:00:00Z');
    const { page, errors } = await app.person('fr-FR', 390);
    await page.clock.install({ time: app.clock.now() });
    await page.goto(`${app.base}/login`);
    await page.getByRole('link', { name: 'Mot de passe oublié\u00a0?' }).click();
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
    expect(errors).toEqual([]);
  });
});
