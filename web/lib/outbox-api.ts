/** The outbox screens' API calls (shared/outbox.ts), through web/lib/api.ts's `call`. */
import type { MessageKind, MessageStatus } from '$shared/notify';
import { outboxListSchema, outboxMessageDetailSchema, outboxMessageSchema } from '$shared/outbox';
import { call } from '$lib/api';

const base = (orgId: string) => `/orgs/${encodeURIComponent(orgId)}/outbox`;

export interface OutboxFilter {
  status?: MessageStatus;
  kind?: MessageKind;
  before?: string;
  limit?: number;
}

export const outboxApi = {
  /** Admins: the organisation's mail, newest first. */
  list: (orgId: string, filter: OutboxFilter = {}) => {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(filter)) {
      if (value !== undefined) query.set(key, String(value));
    }
    const qs = query.size > 0 ? `?${query}` : '';
    return call('GET', `${base(orgId)}${qs}`, outboxListSchema);
  },
  message: (orgId: string, messageId: string) =>
    call('GET', `${base(orgId)}/${encodeURIComponent(messageId)}`, outboxMessageDetailSchema),
  retry: (orgId: string, messageId: string) =>
    call('POST', `${base(orgId)}/${encodeURIComponent(messageId)}/retry`, outboxMessageSchema),
};
