import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { notifications, reminders } from '../../server/db/schema';
import * as orgRepo from '../../server/orgs/repository';
import * as reminderRepo from '../../server/reminders/repository';
import { createTestDb } from '../helpers/db';
import { migrationDataStep, migrationFixtures } from '../helpers/migration-data';

const handle = await createTestDb();
afterAll(() => handle.close());
const { db } = handle;
const now = new Date('2026-11-30T09:00:00Z');
const dataStep = () =>
  migrationDataStep('0015_reminder-notifications.sql', 'INSERT INTO "notifications"');
const { member } = migrationFixtures(db, now, 'reminded');

describe('migration 0015 (reminders become notifications)', () => {
  it('turns each reminder still shown into an unread note from its sender, once', async () => {
    const org = await orgRepo.insertOrg(db, 'Before notifications', now);
    const manager = await member(org.id, ['manager']);
    const shown = await member(org.id);
    const dismissed = await member(org.id);
    const pending = await reminderRepo.insertReminder(db, {
      orgId: org.id,
      userId: shown,
      sentBy: manager,
      createdAt: now,
    });
    const gone = await reminderRepo.insertReminder(db, {
      orgId: org.id,
      userId: dismissed,
      sentBy: manager,
      createdAt: now,
    });
    await db.update(reminders).set({ dismissedAt: now }).where(eq(reminders.id, gone));

    await db.execute(sql.raw(dataStep()));
    // Start-up may run it over rows it already made: nothing doubles.
    await db.execute(sql.raw(dataStep()));

    const rows = await db.select().from(notifications).where(eq(notifications.orgId, org.id));
    expect(rows).toEqual([
      expect.objectContaining({
        userId: shown,
        kind: 'manual-reminder',
        key: `manual-reminder:${pending}`,
        params: { senderName: 'Member 1' },
        link: `/o/${org.id}`,
        createdAt: now,
        readAt: null,
      }),
    ]);
  });
});
