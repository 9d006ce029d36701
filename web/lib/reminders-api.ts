/**
 * The reminders' API calls (shared/reminders.ts), parsed with the shared schemas like
 * web/lib/api.ts does. Kept apart while web/lib/api.ts is being edited by others (as the
 * dashboards' calls are); they can move there as they are.
 */
import type { z } from 'zod';
import { errorBodySchema } from '$shared/common';
import { myReminderListSchema, reminderSchema } from '$shared/reminders';
import { ApiError } from '$lib/api';

/** POSTs and GETs without a body; `schema` null for a 204. */
async function request<S extends z.ZodType>(
  method: 'GET' | 'POST',
  path: string,
  schema: S | null,
): Promise<z.output<S> | undefined> {
  let res: Response;
  try {
    res = await fetch(`/api${path}`, {
      method,
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'The server could not be reached.');
  }
  if (!res.ok) {
    const parsed = errorBodySchema.safeParse(await res.json().catch(() => undefined));
    if (parsed.success) {
      const { code, message, issues } = parsed.data.error;
      throw new ApiError(res.status, code, message, issues ?? []);
    }
    throw new ApiError(res.status, res.status >= 500 ? 'INTERNAL' : 'BAD_REQUEST', res.statusText);
  }
  return schema ? schema.parse(await res.json()) : undefined;
}

const org = (orgId: string) => `/orgs/${encodeURIComponent(orgId)}`;

export const remindersApi = {
  /**
   * Reminds a learner of the caller's scope; they see it on their home page. At most once a
   * day per learner: a second one that day is an ApiError with status 409.
   */
  remind: async (orgId: string, userId: string) =>
    (await request(
      'POST',
      `${org(orgId)}/dashboards/learners/${encodeURIComponent(userId)}/reminders`,
      reminderSchema,
    ))!,
  /** The caller's reminders not dismissed yet, newest first. */
  mine: async (orgId: string) =>
    (await request('GET', `${org(orgId)}/me/reminders`, myReminderListSchema))!,
  dismiss: async (orgId: string, reminderId: string) => {
    await request(
      'POST',
      `${org(orgId)}/me/reminders/${encodeURIComponent(reminderId)}/dismiss`,
      null,
    );
  },
};
