import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, axeViolations, fitsWidth, startApp } from './helpers';

let app: App;

beforeAll(async () => {
  app = await startApp();
});

afterAll(async () => {
  await app?.close();
});

const firstNames = ['Hélène', 'François', 'Agnès', 'Loïc', 'Zoé', 'Jérôme'];
const lastNames = ['Dupré', 'Leclère', 'Garçon', 'Noël', 'Bérénice'];

/**
 * What French Excel writes for "CSV (séparateur : point-virgule)": Windows-1252 bytes, CRLF, and
 * quotes around a field holding a semicolon. 30 people to invite, the admin herself (a member)
 * and one row with a mistyped address.
 */
function frenchExcelFile(adminEmail: string) {
  const rows = ['Nom;Courriel;Équipe;Fonction;Rôles;Langue'];
  for (let i = 0; i < 30; i++) {
    const name = `${firstNames[i % 6]} ${lastNames[i % 5]} ${i + 1}`;
    const team = i % 2 === 0 ? 'Comptabilité' : 'Atelier';
    const job = i % 3 === 0 ? '"Aide-comptable; paie"' : 'Opérateur';
    rows.push(`${name};personne${i + 1}@atelier.example;${team};${job};apprenant;fr`);
  }
  rows.push(`Claire Martin;${adminEmail};Atelier;;admin;fr`);
  rows.push('Sans Arobase;sans.arobase.example;Atelier;;;fr');
  const text = rows.join('\r\n') + '\r\n';
  // Every character here is in Windows-1252, one byte each.
  const bytes = Buffer.from(
    [...text].map((c) => {
      const code = c.codePointAt(0)!;
      expect(code).toBeLessThan(256);
      return code;
    }),
  );
  return bytes;
}

describe('staff import', () => {
  it('an admin imports 30 people from a French Excel file on a phone', async () => {
    const adminEmail = 'claire@atelier.example';
    const setup = await fetch(`${app.base}/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        organisation: { name: 'Atelier Dupont' },
        admin: {
          name: 'Claire Martin',
          email: adminEmail,
          password: 'a long enough passphrase',
          locale: 'fr',
        },
      }),
    });
    expect(setup.status).toBe(201);
    const { orgId } = (await setup.json()) as { orgId: string };
    const [name, value] = setup.headers.getSetCookie()[0]!.split(';')[0]!.split('=');

    const { page, errors } = await app.person('fr-FR', 390);
    await page.context().addCookies([{ name: name!, value: value!, url: app.base }]);
    await page.goto(`${app.base}/o/${orgId}/people`);
    await page.getByRole('heading', { level: 1, name: 'Personnes' }).waitFor();

    await page.getByRole('button', { name: 'Importer depuis un tableur' }).click();
    const dialog = page.getByRole('dialog', { name: 'Importer des personnes depuis un tableur' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Télécharger un exemple' }).waitFor();
    const check = dialog.getByRole('button', { name: 'Vérifier le fichier' });
    expect(await check.isDisabled()).toBe(true);

    // Windows names a .csv file as an Excel one.
    await dialog.getByLabel('Tableau (fichier CSV)').setInputFiles({
      name: 'personnel.csv',
      mimeType: 'application/vnd.ms-excel',
      buffer: frenchExcelFile(adminEmail),
    });
    await dialog
      .getByLabel(
        'Créer les équipes et les postes que le fichier nomme et qui n’existent pas encore',
      )
      .check();
    await check.click();

    const counts = dialog.getByRole('list').first();
    await dialog.getByRole('heading', { name: 'Ce que donne le fichier' }).waitFor();
    expect(await counts.getByRole('listitem').allTextContents()).toEqual([
      '30 invitations',
      '1 déjà membre',
      '0 déjà invitée',
      '1 erreur',
    ]);
    await dialog.getByText('Équipes à créer\u00a0: Comptabilité, Atelier').waitFor();
    await dialog.getByText('Postes à créer\u00a0: Aide-comptable; paie, Opérateur').waitFor();
    // The table says each row's outcome, accents read from Windows-1252.
    const table = dialog.getByRole('table', { name: 'Ce que devient chaque ligne du fichier' });
    const first = table.getByRole('row').nth(1);
    expect(await first.getByRole('rowheader').textContent()).toBe('2');
    await first.getByText('Hélène Dupré 1').waitFor();
    await first.getByText('À inviter').waitFor();
    const wrong = table.getByRole('row').filter({ hasText: 'Sans Arobase' });
    await wrong.getByText('L’adresse e-mail n’est pas valide.').waitFor();
    await table.getByRole('row').filter({ hasText: adminEmail }).getByText('Déjà membre').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    expect(await fitsWidth(page)).toBe(true);

    await dialog.getByRole('button', { name: 'Envoyer 30 invitations' }).click();
    await dialog.getByRole('heading', { name: 'Résultat' }).waitFor();
    // No mail server in this test: the messages wait in the outbox, and the live region says so.
    const done =
      '30 invitations créées. Aucun envoi de courriel n’est configuré\u00a0: les messages attendent dans la boîte d’envoi.';
    await dialog.getByText(done, { exact: true }).first().waitFor();
    await expect.poll(() => dialog.getByRole('status').textContent()).toBe(done);
    await dialog.getByText('Équipes créées\u00a0: Comptabilité, Atelier').waitFor();
    expect(await dialog.getByText('Invitée', { exact: true }).count()).toBe(30);
    expect(await fitsWidth(page)).toBe(true);

    await dialog.getByRole('button', { name: 'Fermer' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // The invitations list shows them, each with its own buttons.
    const pending = page.getByRole('region', { name: 'Invitations en attente (30)' });
    await pending
      .getByRole('button', { name: 'Annuler l’invitation personne17@atelier.example' })
      .waitFor();
    expect(await pending.getByRole('button', { name: /^Annuler l’invitation / }).count()).toBe(30);
    expect(errors).toEqual([]);
  }, 180_000);
});
