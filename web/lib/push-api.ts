/**
 * Web Push's API calls (shared/push.ts), sent and parsed by web/lib/api.ts's `call` with the
 * shared schemas.
 */
import {
  pushPublicKeySchema,
  pushSubscriptionSchema,
  type PushSubscriptionBody,
} from '$shared/push';
import { call, callEmpty } from '$lib/api';

export const pushApi = {
  /** The install's VAPID public key, for `pushManager.subscribe`. */
  publicKey: () => call('GET', '/push/public-key', pushPublicKeySchema),
  /** Notifies the caller on this device from now on. */
  subscribe: (body: PushSubscriptionBody) =>
    call('POST', '/me/push-subscriptions', pushSubscriptionSchema, body),
  /** Stops notifying the caller on this device. */
  unsubscribe: (endpoint: string) => callEmpty('DELETE', '/me/push-subscriptions', { endpoint }),
};
