import type { Config } from '../config';
import type { Database } from '../db/client';
import type { JobRunner } from '../jobs/runner';
import type { Clock } from '../lib/clock';
import { createPushJob } from './job';
import { createPushService } from './service';
import { createPushSender, loadVapidKeys, vapidSubject } from './sender';
import type { PushSender } from './types';

declare module 'fastify' {
  interface FastifyInstance {
    /** Sends Web Push notifications to a person's devices (server/push/sender.ts). */
    push: PushSender;
  }
}

/** A push service that keeps failing is tried five times, over about eight minutes of back-off. */
const PUSH_MAX_ATTEMPTS = 5;

/**
 * Web Push for the app: the VAPID keys (made at the first start, then read), the sender, the
 * job `push` on the runner, and the service behind the routes.
 */
export async function createPush({
  db,
  clock,
  config,
  jobs,
}: {
  db: Database;
  clock: Clock;
  config: Pick<Config, 'smtp' | 'publicUrl'>;
  jobs: JobRunner;
}) {
  const vapid = await loadVapidKeys(db);
  const sender = createPushSender({ db, clock, vapid, subject: vapidSubject(config) });
  jobs.define('push', createPushJob({ db, sender }), { maxAttempts: PUSH_MAX_ATTEMPTS });
  return { sender, service: createPushService({ db, clock, publicKey: vapid.publicKey }) };
}
