/**
 * The notifications' API calls (shared/notify.ts): the bell, the preferences, one-click
 * unsubscribe. Sent and parsed by web/lib/api.ts's `call` with the shared schemas.
 */
import {
  digestOptInResultSchema,
  notificationListSchema,
  notificationSettingsSchema,
  readAllResultSchema,
  unsubscribeStateSchema,
  type UpdateNotificationSettingsBody,
} from '$shared/notify';
import { call } from '$lib/api';

const org = (orgId: string) => `/orgs/${encodeURIComponent(orgId)}`;
/** `<payload>.<signature>`: each part is base64url, safe in a path as it is. */
const unsubscribe = (token: string) => `/unsubscribe/${token}`;

export const notifyApi = {
  list: (orgId: string, opts: { limit?: number; before?: string; unread?: boolean } = {}) => {
    const q = new URLSearchParams();
    if (opts.limit) q.set('limit', String(opts.limit));
    if (opts.before) q.set('before', opts.before);
    if (opts.unread) q.set('unread', 'true');
    const query = q.size ? `?${q}` : '';
    return call('GET', `${org(orgId)}/notifications${query}`, notificationListSchema);
  },
  read: (orgId: string, id: string) =>
    call('POST', `${org(orgId)}/notifications/${encodeURIComponent(id)}/read`, readAllResultSchema),
  readAll: (orgId: string) =>
    call('POST', `${org(orgId)}/notifications/read-all`, readAllResultSchema),
  settings: () => call('GET', '/me/notifications', notificationSettingsSchema),
  saveSettings: (body: UpdateNotificationSettingsBody) =>
    call('PUT', '/me/notifications', notificationSettingsSchema, body),
  setDigest: (orgId: string, optIn: boolean) =>
    call('PUT', `${org(orgId)}/me/digest`, digestOptInResultSchema, { optIn }),
  unsubscribeState: (token: string) => call('GET', unsubscribe(token), unsubscribeStateSchema),
  unsubscribe: (token: string) => call('POST', unsubscribe(token), unsubscribeStateSchema),
};
