import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_ANSWERS_TO_FIT } from '../../shared/fsrs-weights';
import { saveFit } from '../../server/fsrs-weights/repository';
import { DAY } from '../helpers/clock';
import { seedRefreshers } from '../helpers/review-log';
import { type ClockedApp, screenIsFine, setUpOrganisation, startAppWithClock } from './helpers';

let app: ClockedApp;

beforeAll(async () => {
  app = await startAppWithClock();
});

afterAll(async () => {
  await app?.close();
});

const HOUR = 3_600_000;
/** Twenty-one weights, the last one (the forgetting curve's decay) faster than FSRS's 0.1542. */
const weights = (decay: number) => [...Array.from({ length: 20 }, (_, i) => 1 + i / 10), decay];

describe('the organisation’s FSRS weights in Settings', () => {
  it('an admin follows the answers towards a first fit, asks for one, and chooses the weights in use', async () => {
    const {
      orgId,
      o,
      api: admin,
    } = await setUpOrganisation(app.base, 'Atelier Roux', {
      name: 'Ada Admin',
      email: 'ada@example.com',
    });
    const { user } = await admin<{ user: { id: string } }>('GET', '/me');
    const tool = await admin<{ id: string }>('POST', `${o}/tools`, { name: 'ERP' });
    const module = await admin<{ id: string }>('POST', `${o}/modules`, {
      title: 'Orders in the ERP',
      toolId: tool.id,
      jobRoleIds: [],
    });
    const now = app.clock.now();
    const answered = { orgId, userId: user.id, moduleId: module.id };
    await seedRefreshers(app.db, answered, { count: 400, before: now });

    // ---- On a phone, below the threshold: how far the organisation is, and why it matters ----
    const { page, errors } = await app.person('en-GB', 390);
    await page.clock.install({ time: now });
    await page.goto(`${app.base}/login`);
    await page.getByLabel('Email address').fill('ada@example.com');
    await page.getByLabel('Password').fill('a long enough passphrase');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/o\/[0-9a-f-]{36}$/);
    await page.goto(`${app.base}/o/${orgId}/settings`);

    const section = page.getByRole('region', { name: 'How fast your people forget' });
    await section.waitFor();
    await section.getByText('Rappel schedules with FSRS’s default weights.').waitFor();
    const progress = section.getByRole('progressbar', {
      name: 'Refreshers answered before weights can be fitted',
    });
    expect(await progress.getAttribute('value')).toBe('400');
    expect(await progress.getAttribute('max')).toBe(String(MIN_ANSWERS_TO_FIT));
    const threshold = MIN_ANSWERS_TO_FIT.toLocaleString('en-GB');
    await section
      .getByText(
        `400 of ${threshold} refreshers answered; weights are fitted to your organisation once there are ${threshold}.`,
      )
      .waitFor();
    await section.getByText('No weights fitted to your organisation yet').waitFor();
    await section.getByText(/People forget at their own pace/).waitFor();
    const fitNow = section.getByRole('button', { name: 'Fit now' });
    expect(await fitNow.isDisabled()).toBe(true);
    expect(await fitNow.getAttribute('aria-describedby')).toBe('weights-fit-now-why');
    await section.getByText(`Possible once there are ${threshold} refreshers answered.`).waitFor();
    await screenIsFine(page);

    // ---- Enough answers: a fit can be asked for, and then waits for the job runner ----
    await seedRefreshers(app.db, answered, {
      count: MIN_ANSWERS_TO_FIT - 400,
      before: new Date(now.getTime() - 400 * DAY),
    });
    await page.reload();
    await section.waitFor();
    expect(await section.getByRole('progressbar').count()).toBe(0);
    await section.getByText('The weekly fit is due: it runs within a few hours.').waitFor();
    await fitNow.click();
    await page
      .getByRole('status')
      .getByText('Fit asked for: it appears below once done.')
      .waitFor();
    await section.getByText('A fit is waiting to run; it appears below once done.').waitFor();
    expect(await fitNow.isDisabled()).toBe(true);

    // The fits themselves are set down in the database: what is on screen is how they did.
    while ((await app.jobs.runDue()) > 0);
    const older = await saveFit(app.db, {
      orgId,
      weights: weights(0.2),
      answers: 700,
      heldOutAnswers: 180,
      logLossBefore: 0.6012,
      logLossAfter: 0.6104,
      rmseBefore: 0.081,
      rmseAfter: 0.093,
      fittedAt: new Date(now.getTime() - 7 * DAY),
      better: false,
      inUse: false,
      changedAt: null,
    });
    await saveFit(app.db, {
      orgId,
      weights: weights(0.35),
      answers: 800,
      heldOutAnswers: 200,
      logLossBefore: 0.6123,
      logLossAfter: 0.5841,
      rmseBefore: 0.082,
      rmseAfter: 0.041,
      fittedAt: new Date(now.getTime() - HOUR),
      better: true,
      inUse: true,
      changedAt: new Date(now.getTime() - HOUR),
    });

    await page.reload();
    await section
      .getByText('Rappel schedules with the weights fitted on 2 Mar 2026 from 1,000 answers.')
      .waitFor();
    await section.getByText('The next weekly fit comes after 9 Mar 2026.').waitFor();
    expect(await fitNow.isDisabled()).toBe(false);
    const table = section.getByRole('table', { name: 'Fits, newest first' });
    const rows = table.getByRole('row');
    expect(await rows.count()).toBe(3);
    expect(await rows.nth(1).innerText()).toMatch(
      /2 Mar 2026\s+800 fitted \+ 200 held out\s+0\.612 → 0\.584\s+off by 8\.2 → 4\.1 points\s+Yes\s+In use/,
    );
    expect(await rows.nth(2).innerText()).toMatch(
      /23 Feb 2026\s+700 fitted \+ 180 held out\s+0\.601 → 0\.610\s+off by 8\.1 → 9\.3 points\s+No\s+Not in use/,
    );
    // The forgetting curve, with its figures for those who would rather read them.
    await section
      .getByText('Chance of remembering over 30 days, for a memory that holds at 90% after 10 days')
      .waitFor();
    await section.getByText('The same curves in figures').click();
    const figures = section.getByRole('table').filter({ hasText: 'Days since the last answer' });
    const figureRows = await figures.getByRole('row').allInnerTexts();
    // Both hold at 90% at the memory's stability; these weights forget faster after it.
    expect(figureRows.find((r) => r.startsWith('10'))).toMatch(/^10\s+90%\s+90%$/);
    expect(figureRows.find((r) => r.startsWith('30'))).toMatch(/^30\s+81%\s+78%$/);
    await screenIsFine(page);

    // ---- Back to FSRS's defaults, after a confirmation ----
    await section.getByRole('button', { name: 'Go back to FSRS’s default weights' }).click();
    const dialog = page.getByRole('dialog', { name: 'Go back to FSRS’s default weights?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Go back to the defaults' }).click();
    await page
      .getByRole('status')
      .getByText('Rappel now schedules with FSRS’s default weights.')
      .waitFor();
    await section.getByText('Rappel schedules with FSRS’s default weights.').waitFor();
    expect(await section.getByRole('button', { name: /^Use these weights/ }).count()).toBe(2);
    expect(
      (await admin<{ inUseId: string | null }>('GET', `${o}/settings/learning/weights`)).inUseId,
    ).toBeNull();

    // ---- An earlier fit, by keyboard ----
    const useOlder = section.getByRole('button', {
      name: 'Use these weights, fitted on 23 Feb 2026',
    });
    await useOlder.focus();
    await page.keyboard.press('Enter');
    const confirm = page.getByRole('dialog', { name: 'Use the weights fitted on 23 Feb 2026?' });
    await confirm.getByRole('button', { name: 'Use these weights' }).click();
    await page
      .getByRole('status')
      .getByText('Rappel now schedules with the weights fitted on 23 Feb 2026.')
      .waitFor();
    await section
      .getByText('Rappel schedules with the weights fitted on 23 Feb 2026 from 880 answers.')
      .waitFor();
    expect(
      (await admin<{ inUseId: string | null }>('GET', `${o}/settings/learning/weights`)).inUseId,
    ).toBe(older.id);
    await screenIsFine(page);

    // ---- The same screen in French ----
    await admin('PATCH', '/me', { locale: 'fr' });
    await page.reload();
    const french = page.getByRole('region', { name: 'À quel rythme vos équipes oublient' });
    await french
      .getByText('Rappel planifie avec les paramètres ajustés le 23 févr. 2026 sur 880 réponses.')
      .waitFor();
    await french
      .getByRole('table', { name: 'Ajustements, du plus récent au plus ancien' })
      .waitFor();
    await screenIsFine(page);
    expect(errors).toEqual([]);
  });
});
