/**
 * The unread count the bell shows, shared so that reading a notification anywhere (the
 * notifications page, Today's reminder banner) updates the bell at once.
 */
import { notifyApi } from '$lib/notify-api';

class Bell {
  orgId = $state<string | null>(null);
  unread = $state(0);
  /** Bumped on every change made elsewhere, so an open list reloads. */
  version = $state(0);

  /** Asks the server again; a failure keeps the last count (the bell is never essential). */
  async refresh(orgId: string) {
    try {
      const { unreadCount } = await notifyApi.list(orgId, { limit: 1, unread: true });
      this.set(orgId, unreadCount);
    } catch {
      // Offline or signed out: the next navigation tries again.
    }
  }

  set(orgId: string, unread: number) {
    this.orgId = orgId;
    this.unread = unread;
  }

  /** After a change made outside the bell (a page marked some read). */
  changed(orgId: string, unread: number) {
    this.set(orgId, unread);
    this.version++;
  }
}

export const bell = new Bell();
