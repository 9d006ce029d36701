import {
  type ChannelsByKind,
  type NotificationList,
  type NotificationSettings,
  type PreferenceKind,
  preferenceKindSchema,
  minutesToTime,
  timeToMinutes,
  type UnsubscribeState,
  type UpdateNotificationSettingsBody,
} from '../../shared/notify';
import type { Database, Executor } from '../db/client';
import type { Clock } from '../lib/clock';
import { NotFoundError } from '../lib/errors';
import type { TokenSigner } from '../lib/signed-tokens';
import { dismissByNotificationKeys } from '../reminders/repository';
import * as repo from './repository';
import { resolveSettings } from './settings';

export type NotificationService = ReturnType<typeof createNotificationService>;

type Reader = { orgId: string; userId: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What a person reads and chooses: their in-app notifications (the bell), their channel and
 * reminder-time preferences, the whole-organisation digest opt-in, and the one-click
 * unsubscribe of a mail's signed link.
 */
export function createNotificationService({
  db,
  clock,
  signer,
}: {
  db: Database;
  clock: Clock;
  /** The install's link signer; loaded once, on first use (its key lives in the database). */
  signer: () => Promise<TokenSigner>;
}) {
  async function settingsOf(db: Executor, userId: string): Promise<NotificationSettings> {
    const s = resolveSettings(await repo.findSettingsRow(db, userId));
    return {
      channels: s.channels,
      reminderFrequency: s.reminderFrequency,
      reminderTime: minutesToTime(s.reminderMinute),
      reminderWeekday: s.reminderWeekday,
      digestOrgs: await repo.digestOrgs(db, userId),
    };
  }

  /** Applies a change to the stored settings (the defaults when none), in one transaction. */
  async function change(userId: string, apply: (s: NotificationSettings) => void) {
    await db.transaction(async (tx) => {
      const current = await settingsOf(tx, userId);
      apply(current);
      await repo.upsertSettings(tx, {
        userId,
        channels: current.channels,
        reminderFrequency: current.reminderFrequency,
        reminderMinute: timeToMinutes(current.reminderTime),
        reminderWeekday: current.reminderWeekday,
        updatedAt: clock.now(),
      });
    });
  }

  /** Who and what a token is about; a forged, altered or stale one is 404. */
  async function readToken(token: string): Promise<{ userId: string; kind: PreferenceKind }> {
    const payload = (await signer()).verify(token);
    const kind = preferenceKindSchema.safeParse(payload?.k);
    if (!payload || !kind.success || !payload.u || !UUID.test(payload.u)) {
      throw new NotFoundError('Unsubscribe link');
    }
    return { userId: payload.u, kind: kind.data };
  }

  return {
    async list(
      reader: Reader,
      opts: { limit: number; before?: string; unreadOnly: boolean },
    ): Promise<NotificationList> {
      const rows = await repo.listPage(db, reader, opts);
      if (!rows) throw new NotFoundError('Notification');
      const items = rows.slice(0, opts.limit);
      return {
        items,
        unreadCount: await repo.unreadCount(db, reader),
        nextBefore: rows.length > opts.limit ? items.at(-1)!.id : null,
      };
    },

    /** Marks one of the reader's notifications read (a manual reminder: dismissed too). */
    async markRead(reader: Reader, id: string): Promise<{ unreadCount: number }> {
      await db.transaction(async (tx) => {
        const now = clock.now();
        const row = await repo.markRead(tx, reader, id, now);
        if (!row) throw new NotFoundError('Notification');
        if (row.kind === 'manual-reminder' && row.key) {
          await dismissByNotificationKeys(tx, reader, [row.key], now);
        }
      });
      return { unreadCount: await repo.unreadCount(db, reader) };
    },

    async markAllRead(reader: Reader): Promise<{ unreadCount: number }> {
      await db.transaction(async (tx) => {
        const now = clock.now();
        const rows = await repo.markAllRead(tx, reader, now);
        const keys = rows.filter((r) => r.kind === 'manual-reminder' && r.key).map((r) => r.key!);
        await dismissByNotificationKeys(tx, reader, keys, now);
      });
      return { unreadCount: await repo.unreadCount(db, reader) };
    },

    settings: (userId: string) => settingsOf(db, userId),

    async updateSettings(userId: string, body: UpdateNotificationSettingsBody) {
      await change(userId, (s) => {
        for (const [kind, list] of Object.entries(body.channels ?? {})) {
          if (list) s.channels[kind as keyof ChannelsByKind] = list;
        }
        if (body.reminderFrequency) s.reminderFrequency = body.reminderFrequency;
        if (body.reminderTime) s.reminderTime = body.reminderTime;
        if (body.reminderWeekday) s.reminderWeekday = body.reminderWeekday;
      });
      return settingsOf(db, userId);
    },

    async setDigestOptIn(reader: Reader, optIn: boolean) {
      await repo.setDigestOptIn(db, reader, optIn);
      return { optIn };
    },

    /** What the link would stop, and whether that mail is still on. */
    async unsubscribeState(token: string): Promise<UnsubscribeState> {
      const { userId, kind } = await readToken(token);
      if (!(await repo.userExists(db, userId))) throw new NotFoundError('Unsubscribe link');
      const s = resolveSettings(await repo.findSettingsRow(db, userId));
      return { kind, mail: s.channels[kind].includes('mail') };
    },

    /** Turns off mail for the token's kind, for the token's person only; other channels stay. */
    async unsubscribe(token: string): Promise<UnsubscribeState> {
      const { userId, kind } = await readToken(token);
      if (!(await repo.userExists(db, userId))) throw new NotFoundError('Unsubscribe link');
      await change(userId, (s) => {
        s.channels[kind] = s.channels[kind].filter((c) => c !== 'mail');
      });
      return { kind, mail: false };
    },
  };
}
