import type { Locale } from '../../shared/common';
import type { MessageKind } from '../../shared/notify';
import type { Executor } from '../db/client';

/** One message for the outbox; rendered from `params` by its kind's template when sent or read. */
export interface OutboxEntry {
  orgId: string | null;
  userId: string | null;
  to: string;
  locale: Locale;
  kind: MessageKind;
  /** Idempotency key: one message per key, ever. */
  key: string;
  params: Record<string, unknown>;
}

export interface Outbox {
  /** Adds the message unless its key exists; inside `tx` when given. Answers whether it was added. */
  queue(entry: OutboxEntry, tx?: Executor): Promise<boolean>;
}
