/**
 * Web Push on the wire: the install's VAPID public key and the browser subscriptions a person
 * registers for their own devices.
 */
import { z } from 'zod';
import { isoDate } from './common';

/** The most devices one person keeps subscribed; a newer subscription retires the oldest. */
export const MAX_PUSH_SUBSCRIPTIONS = 10;

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Whether a push service address is acceptable: HTTPS (every browser's push service is), or
 * plain HTTP to this machine's loopback only (a push service running beside Rappel), never
 * with credentials in it.
 */
export function isPushEndpoint(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && LOOPBACK.test(url.hostname);
}

export const pushEndpointSchema = z
  .string()
  .max(2048)
  .refine(isPushEndpoint, 'Expected an https:// push service address.');

/** Unpadded base64url of a fixed number of bytes (what `PushSubscription.toJSON()` gives). */
const base64url = (bytes: number) => {
  const chars = Math.ceil((bytes * 4) / 3);
  return z
    .string()
    .length(chars)
    .regex(new RegExp(`^[A-Za-z0-9_-]{${chars}}$`), `Expected ${bytes} bytes in base64url.`);
};

export const pushPublicKeySchema = z.object({
  /** The VAPID public key (an uncompressed P-256 point, base64url): `applicationServerKey`. */
  publicKey: z.string(),
});
export type PushPublicKey = z.infer<typeof pushPublicKeySchema>;

/** `POST /api/me/push-subscriptions`: what `PushSubscription.toJSON()` gives. */
export const pushSubscriptionBodySchema = z.strictObject({
  endpoint: pushEndpointSchema,
  keys: z.strictObject({
    /** The browser's P-256 public key, uncompressed (65 bytes, starting 0x04). */
    p256dh: base64url(65).refine((k) => k.startsWith('B'), 'Expected an uncompressed P-256 key.'),
    /** The 16-byte authentication secret. */
    auth: base64url(16),
  }),
  // Browsers add it (null mostly); Rappel does not use it.
  expirationTime: z.number().nullable().optional(),
});
export type PushSubscriptionBody = z.infer<typeof pushSubscriptionBodySchema>;

export const pushSubscriptionSchema = z.object({
  endpoint: z.string(),
  createdAt: isoDate,
});
export type PushSubscriptionInfo = z.infer<typeof pushSubscriptionSchema>;

/** `DELETE /api/me/push-subscriptions`: the device's subscription to forget. */
export const pushUnsubscribeBodySchema = z.strictObject({ endpoint: z.string().max(2048) });
export type PushUnsubscribeBody = z.infer<typeof pushUnsubscribeBodySchema>;
