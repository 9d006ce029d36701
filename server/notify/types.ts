import type { NotificationKind } from '../../shared/notify';
import type { Executor } from '../db/client';

/** Something to tell one person of one organisation, on the channels they chose for its kind. */
export interface NotifyRequest {
  orgId: string;
  userId: string;
  kind: NotificationKind;
  /** Idempotency key: once per key on every channel (the in-app row, the mail, the push). */
  key: string;
  /** What the templates need (counts, module titles, who sent it). */
  params: Record<string, unknown>;
  /** The app path it is about (`/o/<orgId>/today`), or null. */
  link: string | null;
}

export interface Notifier {
  /**
   * Delivers per the person's preferences: an in-app notification row, an outbox mail, a push
   * job. Inside `tx` when given, so nothing is sent for a change that rolls back.
   */
  notify(request: NotifyRequest, tx?: Executor): Promise<void>;
}
