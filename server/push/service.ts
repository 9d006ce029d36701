import { createPublicKey } from 'node:crypto';
import {
  MAX_PUSH_SUBSCRIPTIONS,
  type PushSubscriptionBody,
  type PushSubscriptionInfo,
} from '../../shared/push';
import type { Database } from '../db/client';
import type { Clock } from '../lib/clock';
import { ValidationError } from '../lib/errors';
import * as repo from './repository';

export type PushService = ReturnType<typeof createPushService>;

/** Whether `p256dh` (65 bytes, base64url) is a point of P-256, which encryption needs. */
function isCurvePoint(p256dh: string): boolean {
  const raw = Buffer.from(p256dh, 'base64url');
  if (raw.length !== 65 || raw[0] !== 0x04) return false;
  try {
    const [x, y] = [raw.subarray(1, 33), raw.subarray(33)].map((b) => b.toString('base64url'));
    createPublicKey({ key: { kty: 'EC', crv: 'P-256', x, y }, format: 'jwk' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The devices a person subscribed for push. A subscription belongs to whoever registered it
 * last: a browser shared by two people notifies the one who switched push on in it most
 * recently, never both.
 */
export function createPushService({
  db,
  clock,
  publicKey,
}: {
  db: Database;
  clock: Clock;
  publicKey: string;
}) {
  return {
    publicKey: () => ({ publicKey }),

    async subscribe(
      userId: string,
      body: PushSubscriptionBody,
      userAgent: string | undefined,
    ): Promise<PushSubscriptionInfo> {
      if (!isCurvePoint(body.keys.p256dh)) {
        throw new ValidationError('This subscription key cannot be used.', [
          { path: ['keys', 'p256dh'], message: 'Expected a P-256 public key.' },
        ]);
      }
      return db.transaction(async (tx) => {
        const row = await repo.upsertSubscription(tx, {
          userId,
          endpoint: body.endpoint,
          p256dh: body.keys.p256dh,
          auth: body.keys.auth,
          userAgent: userAgent?.slice(0, 300) ?? null,
          now: clock.now(),
        });
        await repo.trimSubscriptions(tx, userId, MAX_PUSH_SUBSCRIPTIONS);
        return row;
      });
    },

    /** Forgets the device if it is the caller's; someone else's endpoint is left alone. */
    async unsubscribe(userId: string, endpoint: string): Promise<void> {
      await repo.deleteOwnSubscription(db, userId, endpoint);
    },
  };
}
