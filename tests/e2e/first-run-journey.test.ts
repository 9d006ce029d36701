import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, axeViolations, startApp } from './helpers';

let app: App;
let base: string;

beforeAll(async () => {
  app = await startApp();
  base = app.base;
});

afterAll(async () => {
  await app?.close();
});

const person = (locale: string, width?: number) => app.person(locale, width);

describe('first run: set-up → invite a learner → the learner joins in French → logs out → joins a second organisation', () => {
  it('works end to end in a real browser', async () => {
    const learnerEmail = 'bob.durand@example.com';

    // The admin's browser speaks English: the app follows it before login.
    const admin = await person('en-US');
    await admin.page.goto(`${base}/`);
    await admin.page.waitForURL('**/setup');
    await expect.poll(() => admin.page.title()).toContain('Rappel');
    expect(await axeViolations(admin.page)).toEqual([]);
    // A Content-Security-Policy allows our own scripts only (the boot snippet by its hash).
    const csp = await admin.page
      .locator('meta[http-equiv="content-security-policy"]')
      .getAttribute('content');
    expect(csp).toMatch(/script-src 'self' 'sha256-[^']+'(;|$)/);
    await admin.page.getByLabel('Organisation name').fill('Atelier Dupont');
    await admin.page.getByLabel('Your name').fill('Claire Martin');
    await admin.page.getByLabel('Email address').fill('claire@example.com');
    await admin.page.getByLabel('Password').fill('a long enough passphrase');
    await admin.page.getByRole('button', { name: 'Create the organisation' }).click();
    await admin.page.waitForURL(/\/o\/[0-9a-f-]{36}$/);

    // Set-up is gone for good.
    expect(await (await fetch(`${base}/api/setup`)).json()).toEqual({ needed: false });

    // A team and a job role to invite people into.
    await admin.page.evaluate(async () => {
      const orgId = location.pathname.split('/')[2];
      for (const [kind, name] of [
        ['teams', 'Support'],
        ['job-roles', 'Sales rep'],
      ]) {
        const res = await fetch(`/api/orgs/${orgId}/${kind}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name }),
        });
        if (res.status !== 201) throw new Error(`${kind} not created: ${res.status}`);
      }
    });

    // Invite a learner into them, with French as the invitation's language.
    await admin.page
      .getByRole('navigation')
      .getByRole('link', { name: 'People', exact: true })
      .click();
    await admin.page.waitForURL('**/people');
    const email = admin.page.getByLabel('Email address');
    const team = admin.page.getByLabel('Team', { exact: true });
    const jobRole = admin.page.getByLabel('Job role', { exact: true });
    const language = admin.page.getByLabel('Invitation language');
    await email.fill(learnerEmail);
    await team.selectOption({ label: 'Support' });
    await jobRole.selectOption({ label: 'Sales rep' });
    await language.selectOption('fr');
    await admin.page.getByRole('button', { name: 'Create invitation link' }).click();
    // Said to screen readers too (no mail is set up here).
    await admin.page
      .getByRole('status')
      .getByText(`Invitation created for ${learnerEmail}.`, { exact: false })
      .waitFor();
    const linkField = admin.page.getByLabel(`Invitation link for ${learnerEmail}`);
    await linkField.waitFor();
    const link = await linkField.inputValue();
    expect(link).toMatch(new RegExp(`^${base}/invite/[A-Za-z0-9_-]{43}$`));
    await expect
      .poll(() => admin.page.getByText(learnerEmail, { exact: true }).count())
      .toBeGreaterThan(0);

    // The next person starts from an empty form, with the focus on its first field.
    expect(await email.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(
      await Promise.all([email, team, jobRole, language].map((field) => field.inputValue())),
    ).toEqual(['', '', '', 'en']);

    // Invite a manager who will manage the Support team: the teams show once Manager is ticked.
    const managerEmail = 'nadia.petit@example.com';
    const managedTeams = admin.page.getByRole('group', { name: 'Teams managed' });
    await email.fill(managerEmail);
    expect(await managedTeams.count()).toBe(0);
    const manager = admin.page.getByRole('group', { name: 'Roles' }).getByLabel('Manager');
    await manager.check();
    await managedTeams.getByLabel('Support').check();
    expect(await axeViolations(admin.page)).toEqual([]);
    await admin.page.getByRole('button', { name: 'Create invitation link' }).click();
    const managerLink = await admin.page
      .getByLabel(`Invitation link for ${managerEmail}`)
      .inputValue();
    const managerInvitation = admin.page.getByRole('listitem').filter({ hasText: managerEmail });
    await managerInvitation.getByText('Will manage: Support').waitFor();
    // Nor does the role of the previous person stay ticked.
    expect(await manager.isChecked()).toBe(false);
    expect(await managedTeams.count()).toBe(0);

    // The learner opens the link on a phone whose browser speaks English; the invitation is in French.
    const learner = await person('en-GB', 360);
    await learner.page.goto(link);
    await learner.page
      .getByRole('heading', { level: 1, name: 'Rejoindre Atelier Dupont' })
      .waitFor();
    expect(await learner.page.evaluate(() => document.documentElement.lang)).toBe('fr');
    await learner.page.getByLabel('Votre nom').fill('Bob Durand');
    await learner.page.getByLabel('Choisissez un mot de passe').fill('le mot de passe de Bob');
    await learner.page.getByRole('button', { name: 'Rejoindre Atelier Dupont' }).click();
    await learner.page.waitForURL(/\/o\/[0-9a-f-]{36}$/);

    // The learner sees the app in French, with only what a learner may use.
    await learner.page.getByRole('heading', { level: 1, name: 'Aujourd’hui' }).waitFor();
    await learner.page.getByText('Rien à apprendre pour l’instant').waitFor();
    const nav = learner.page.getByRole('navigation', { name: 'Navigation principale' });
    expect(await nav.getByRole('link').allTextContents()).not.toContain('Personnes');
    expect(await axeViolations(learner.page)).toEqual([]);

    // The admin sees the new member in the list.
    await admin.page.reload();
    await admin.page.getByText('Bob Durand').first().waitFor();

    // The admin makes Bob a manager too, through the member editor dialog.
    await admin.page.getByRole('button', { name: 'Edit Bob Durand' }).click();
    const editor = admin.page.getByRole('dialog', { name: 'Edit Bob Durand' });
    await editor.getByLabel('Manager').check();
    await editor.getByRole('button', { name: 'Save' }).click();
    await editor.waitFor({ state: 'hidden' });
    const bobRoles = await admin.page.evaluate(async () => {
      const orgId = location.pathname.split('/')[2];
      const res = await fetch(`/api/orgs/${orgId}/members`);
      const { items } = (await res.json()) as { items: { name: string; roles: string[] }[] };
      return items.find((i) => i.name === 'Bob Durand')?.roles;
    });
    expect(bobRoles).toEqual(['learner', 'manager']);

    // Signed in, Bob opens the manager's link: it is not for him, and nothing is offered but
    // signing out (in his language, the account's).
    await learner.page.goto(managerLink);
    await learner.page
      .getByText(
        `Cette invitation est destinée à ${managerEmail}, mais vous êtes connecté avec le compte ${learnerEmail}.`,
        { exact: false },
      )
      .waitFor();
    expect(await learner.page.getByLabel('Choisissez un mot de passe').count()).toBe(0);
    await learner.page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
    expect(await axeViolations(learner.page)).toEqual([]);
    await learner.page.goto(`${base}/`);
    await learner.page.waitForURL(/\/o\/[0-9a-f-]{36}$/);

    // The learner logs out: back on the sign-in page, and the session is dead on the server.
    await learner.page.getByRole('button', { name: 'Se déconnecter' }).click();
    await learner.page.waitForURL('**/login');
    await learner.page.getByRole('heading', { level: 1, name: 'Connexion' }).waitFor();
    const status = await learner.page.evaluate(async () => (await fetch('/api/me')).status);
    expect(status).toBe(401);

    // Signed out, the manager's link (in English, the inviter's language) offers the new
    // account, or to sign in and come back.
    await learner.page.goto(managerLink);
    await learner.page.getByLabel('Choose a password').waitFor();
    const signIn = learner.page.getByRole('link', { name: 'Sign in' });
    expect(await signIn.getAttribute('href')).toBe(
      `/login?next=${encodeURIComponent(new URL(managerLink).pathname)}`,
    );

    // Claire invites Bob into a second organisation. Signed out, the link's form cannot take his
    // password: it asks him to sign in, and brings him back to join as himself.
    const second = await admin.page.evaluate(async (email) => {
      const post = async (url: string, body: object) => {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        if (res.status !== 201) throw new Error(`${url}: ${res.status}`);
        return res.json();
      };
      const { orgId } = await post('/api/orgs', { name: 'Atelier Dupont Lyon' });
      const { link } = await post(`/api/orgs/${orgId}/invitations`, { email, locale: 'fr' });
      return { orgId: orgId as string, link: link as string };
    }, learnerEmail);
    await learner.page.goto(second.link);
    await learner.page.getByLabel('Choisissez un mot de passe').fill('le mot de passe de Bob');
    await learner.page.getByRole('button', { name: 'Rejoindre Atelier Dupont Lyon' }).click();
    await learner.page
      .getByRole('alert')
      .getByText(
        'Cette adresse a déjà un compte Rappel\u00a0: connectez-vous, puis rouvrez ce lien.',
      )
      .waitFor();
    expect(await axeViolations(learner.page)).toEqual([]);
    await learner.page.getByRole('link', { name: 'Se connecter' }).first().click();
    await learner.page.waitForURL('**/login?next=*');
    await learner.page.getByLabel('Adresse e-mail').fill(learnerEmail);
    await learner.page.getByLabel('Mot de passe').fill('le mot de passe de Bob');
    await learner.page.getByRole('button', { name: 'Se connecter' }).click();
    await learner.page.waitForURL(second.link);
    await learner.page
      .getByRole('button', { name: `Rejoindre Atelier Dupont Lyon en tant que ${learnerEmail}` })
      .click();
    await learner.page.waitForURL(`**/o/${second.orgId}`);

    expect(admin.errors).toEqual([]);
    expect(learner.errors).toEqual([]);
  });
});
