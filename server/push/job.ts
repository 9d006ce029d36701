import { z } from 'zod';
import { notificationKindSchema } from '../../shared/notify';
import type { Database } from '../db/client';
import type { JobHandler } from '../jobs/types';
import { pushText } from './messages';
import { findLocale } from './repository';
import type { PushSender } from './types';

/** The job `push`'s payload, as the notifier enqueues it. */
export const pushJobPayloadSchema = z.object({
  userId: z.uuid(),
  orgId: z.uuid(),
  kind: notificationKindSchema,
  params: z.record(z.string(), z.unknown()).default({}),
  link: z.string().nullable().default(null),
});
export type PushJobPayload = z.infer<typeof pushJobPayloadSchema>;

/** An app path; anything else (another site, `//host`) opens the app's home instead. */
const appPath = (link: string | null) =>
  link && link.startsWith('/') && !link.startsWith('//') && !link.startsWith('/\\') ? link : '/';

/**
 * Sends one notification to every device of its recipient, in their language at the time of
 * sending. A push service failure throws, so the runner tries again later.
 */
export function createPushJob({ db, sender }: { db: Database; sender: PushSender }): JobHandler {
  return async (job) => {
    const { userId, orgId, kind, params, link } = pushJobPayloadSchema.parse(job.payload);
    const locale = await findLocale(db, userId);
    // The account is gone, and its subscriptions with it.
    if (!locale) return;
    const text = pushText(kind, params, locale);
    // One of each kind per organisation on a device: today's reminder replaces yesterday's.
    await sender.sendToUser(userId, { ...text, url: appPath(link), tag: `${kind}:${orgId}` });
  };
}
