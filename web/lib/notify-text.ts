/**
 * A notification's words in the reader's language, from its kind and the params its producer
 * wrote (the same the mail and push read). Missing or odd params give the plain sentence,
 * never "undefined".
 */
import type { AppNotification } from '$shared/notify';
import { m } from '$lib/paraglide/messages.js';

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

export function notificationText(n: Pick<AppNotification, 'kind' | 'params'>): string {
  const p = n.params;
  switch (n.kind) {
    case 'reminder': {
      const count = num(p.dueCount);
      if (!count) return m.notify_text_reminder_plain();
      return m.notify_text_reminder({ count, minutes: Math.max(1, num(p.minutes) ?? 1) });
    }
    case 'manual-reminder': {
      const name = str(p.senderName);
      return name ? m.notify_text_manual({ name }) : m.notify_text_manual_someone();
    }
    case 'new-work': {
      const titles = Array.isArray(p.moduleTitles) ? p.moduleTitles.map(str).filter(Boolean) : [];
      if (titles.length === 1) return m.notify_text_new_work_one({ title: titles[0]! });
      return m.notify_text_new_work({ count: titles.length || (num(p.count) ?? 1) });
    }
    case 'digest':
      return m.notify_text_digest();
  }
}

/** Only app paths are followed: a link is never an outside address. */
export function safeAppLink(link: string | null): string | null {
  return link && link.startsWith('/') && !link.startsWith('//') ? link : null;
}
