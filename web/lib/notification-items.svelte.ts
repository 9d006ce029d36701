/**
 * The notifications one screen shows (the bell's panel, the notifications page) and what the
 * reader does to them. Every change tells the bell, so that its count and an open panel follow.
 */
import type { AppNotification } from '$shared/notify';
import { reportActionError } from '$lib/action-error';
import { announcer } from '$lib/announcer.svelte';
import { notifyApi } from '$lib/notify-api';
import { bell } from '$lib/notify-state.svelte';
import { m } from '$lib/paraglide/messages.js';

/** The read stamp shown until the next load: replaced, never mutated, so a plain Date. */
const readNow = () => new Date();

export class NotificationItems {
  items = $state<AppNotification[]>([]);
  /** The unread count the server gave with the last change. */
  unread = $state(0);
  /** A change in flight: the buttons that make one wait for it. */
  busy = $state(false);

  #orgId: () => string;

  /** `orgId` is read at each change (a component's props change under it). */
  constructor(orgId: () => string) {
    this.#orgId = orgId;
  }

  async markRead(n: AppNotification) {
    await this.#change(async (orgId) => {
      const res = await notifyApi.read(orgId, n.id);
      this.items = this.items.map((x) => (x.id === n.id ? { ...x, readAt: readNow() } : x));
      return { unreadCount: res.unreadCount, said: m.notify_marked_one() };
    });
  }

  async markAll() {
    await this.#change(async (orgId) => {
      const res = await notifyApi.readAll(orgId);
      this.items = this.items.map((x) => ({ ...x, readAt: x.readAt ?? readNow() }));
      return { unreadCount: res.unreadCount, said: m.notify_marked_all() };
    });
  }

  /** Following a notification's link reads it; the page it opens is what the reader wanted. */
  follow(n: AppNotification) {
    if (n.readAt) return;
    const orgId = this.#orgId();
    notifyApi.read(orgId, n.id).then(
      ({ unreadCount }) => bell.changed(orgId, unreadCount),
      () => {},
    );
  }

  async #change(run: (orgId: string) => Promise<{ unreadCount: number; said: string }>) {
    this.busy = true;
    try {
      const orgId = this.#orgId();
      const { unreadCount, said } = await run(orgId);
      this.unread = unreadCount;
      bell.changed(orgId, unreadCount);
      announcer.say(said);
    } catch (e) {
      await reportActionError(e);
    } finally {
      this.busy = false;
    }
  }
}
