import { inArray } from 'drizzle-orm';
import {
  type ChannelsByKind,
  DEFAULT_REMINDER_MINUTE,
  DEFAULT_REMINDER_WEEKDAY,
  type ReminderFrequency,
  resolveChannels,
} from '../../shared/notify';
import type { Executor } from '../db/client';
import { notificationSettings } from '../db/schema';

/** A person's notification choices, the defaults filled in (shared/notify.ts). */
export interface ResolvedSettings {
  channels: ChannelsByKind;
  reminderFrequency: ReminderFrequency;
  /** Minutes after midnight in the organisation's time zone. */
  reminderMinute: number;
  /** ISO weekday (1 = Monday). */
  reminderWeekday: number;
}

type StoredSettings = Pick<
  typeof notificationSettings.$inferSelect,
  'channels' | 'reminderFrequency' | 'reminderMinute' | 'reminderWeekday'
>;

/** The settings of someone with no row, or from a row. */
export function resolveSettings(row: StoredSettings | null | undefined): ResolvedSettings {
  return {
    channels: resolveChannels(row?.channels),
    reminderFrequency: row?.reminderFrequency ?? 'daily',
    reminderMinute: row?.reminderMinute ?? DEFAULT_REMINDER_MINUTE,
    reminderWeekday: row?.reminderWeekday ?? DEFAULT_REMINDER_WEEKDAY,
  };
}

/**
 * Everyone's settings in one query, for producers that notify many people at once; a person
 * with no row gets the defaults. Every id asked for is in the map.
 */
export async function settingsFor(
  db: Executor,
  userIds: readonly string[],
): Promise<Map<string, ResolvedSettings>> {
  const out = new Map<string, ResolvedSettings>();
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return out;
  const rows = await db
    .select({
      userId: notificationSettings.userId,
      channels: notificationSettings.channels,
      reminderFrequency: notificationSettings.reminderFrequency,
      reminderMinute: notificationSettings.reminderMinute,
      reminderWeekday: notificationSettings.reminderWeekday,
    })
    .from(notificationSettings)
    .where(inArray(notificationSettings.userId, unique));
  const byUser = new Map(rows.map((r) => [r.userId, r]));
  for (const id of unique) out.set(id, resolveSettings(byUser.get(id)));
  return out;
}
