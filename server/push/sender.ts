/**
 * The one adapter around `web-push`: it signs (VAPID) and encrypts (RFC 8291, aes128gcm) each
 * message; the request itself goes out through `fetch`, so it has a time-out, never follows a
 * redirect, and reaches a push service on this machine's loopback too (see shared/push.ts).
 */
import webpush from 'web-push';
import type { Config } from '../config';
import type { Database } from '../db/client';
import type { Clock } from '../lib/clock';
import { loadSecret } from '../lib/secrets';
import * as repo from './repository';
import type { PushMessage, PushSender } from './types';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

/** The install's VAPID key pair: made by the first instance that starts, then kept. */
export async function loadVapidKeys(db: Database): Promise<VapidKeys> {
  const keys = await loadSecret(db, 'vapid', () => ({ ...webpush.generateVAPIDKeys() }));
  if (!keys.publicKey || !keys.privateKey) throw new Error('The stored VAPID keys are incomplete.');
  return { publicKey: keys.publicKey, privateKey: keys.privateKey };
}

/**
 * Who push services may contact about this install (the JWT's `sub`): the mail sender, else
 * the public HTTPS address. They accept only `mailto:` or `https:`, so a plain-HTTP trial
 * install without mail names a local mailbox.
 */
export function vapidSubject(config: Pick<Config, 'smtp' | 'publicUrl'>): string {
  const from = config.smtp?.from;
  if (from) return `mailto:${/<([^<>]+)>/.exec(from)?.[1] ?? from}`;
  if (config.publicUrl?.startsWith('https:')) return new URL(config.publicUrl).origin;
  return 'mailto:rappel@localhost';
}

export interface PushSenderDeps {
  db: Database;
  clock: Clock;
  vapid: VapidKeys;
  subject: string;
  /** How long a push service may take to answer; 10 s by default. */
  timeoutMs?: number;
}

/** A refresher reminder is about today: not worth showing a day late. */
const TTL_SECONDS = 12 * 60 * 60;

/** What a push service answered for one device. */
type Outcome = 'sent' | 'gone' | { error: string };

export function createPushSender({
  db,
  clock,
  vapid,
  subject,
  timeoutMs = 10_000,
}: PushSenderDeps): PushSender {
  const vapidDetails = { subject, ...vapid };

  async function deliver(sub: repo.PushTarget, payload: string): Promise<Outcome> {
    const origin = new URL(sub.endpoint).origin;
    let details: webpush.RequestDetails;
    try {
      details = webpush.generateRequestDetails(
        { endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } },
        payload,
        { vapidDetails, TTL: TTL_SECONDS, contentEncoding: 'aes128gcm' },
      );
    } catch (e) {
      return { error: `${origin}: ${(e as Error).message}` };
    }
    // fetch counts the body's length itself.
    const headers = Object.fromEntries(
      Object.entries(details.headers)
        .filter(([name]) => name.toLowerCase() !== 'content-length')
        .map(([name, value]) => [name, String(value)]),
    );
    let res: Response;
    try {
      res = await fetch(details.endpoint, {
        method: 'POST',
        headers,
        body: details.body && new Uint8Array(details.body),
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      return { error: `${origin}: ${(e as Error).message}` };
    }
    await res.body?.cancel();
    if (res.ok) return 'sent';
    // The browser unsubscribed, or the push service forgot the subscription: it will not return.
    if (res.status === 404 || res.status === 410) return 'gone';
    return { error: `${origin} answered ${res.status}` };
  }

  return {
    async sendToUser(userId, message: PushMessage) {
      const targets = await repo.listSubscriptions(db, userId);
      const payload = JSON.stringify(message);
      const outcomes = await Promise.all(targets.map((t) => deliver(t, payload)));
      const sent = targets.filter((_, i) => outcomes[i] === 'sent').map((t) => t.id);
      const gone = targets.filter((_, i) => outcomes[i] === 'gone').map((t) => t.id);
      await repo.markSent(db, sent, clock.now());
      await repo.deleteSubscriptions(db, gone);
      const errors = outcomes.flatMap((o) => (typeof o === 'object' ? [o.error] : []));
      // A retry sends to every device again; the notification's tag makes a device that
      // already had it replace it rather than show it twice.
      if (errors.length > 0) throw new Error(`Push failed: ${errors.join('; ')}`);
      return { sent: sent.length, removed: gone.length };
    },
  };
}
