import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenIsFine } from './helpers';
import {
  header,
  managerEmail,
  managerPassword,
  type Outreach,
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

describe('weekly digest', () => {
  it('Maud’s digest comes on Monday by mail and in the bell; one click stops the mail', async () => {
    const { app, smtp, linksIn, tick } = o;
    const { orgId } = await o.setUp();

    // ---- Monday 9 March, 7:00 in Paris: Maud's weekly digest ----
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

    // ---- Maud, at her desk: the digest in the bell too, as she chose ----
    const maud = await app.person('en-GB', 1280);
    await maud.page.clock.install({ time: app.clock.now() });
    await o.signIn(maud.page, managerEmail, managerPassword);
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
    // All of them on their own page: the summary, read now, its link apart from its words.
    await maud.page.getByRole('button', { name: 'Notifications', exact: true }).click();
    await maud.page.getByRole('link', { name: 'See all notifications' }).click();
    await maud.page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    await maud.page
      .getByRole('link', { name: /^Open\s*: Your weekly retention summary is ready\.$/ })
      .waitFor();
    expect(await maud.page.getByRole('button', { name: /^Mark as read/ }).count()).toBe(0);
    await screenIsFine(maud.page);

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
