/**
 * The reminders' API calls (shared/reminders.ts), sent and parsed by web/lib/api.ts's `call`
 * with the shared schemas.
 */
import { myReminderListSchema, reminderSchema } from '$shared/reminders';
import { call, callEmpty } from '$lib/api';

const org = (orgId: string) => `/orgs/${encodeURIComponent(orgId)}`;

export const remindersApi = {
  /**
   * Reminds a learner of the caller's scope; they see it on their home page. At most once a
   * day per learner: a second one that day is an ApiError with status 409.
   */
  remind: (orgId: string, userId: string) =>
    call(
      'POST',
      `${org(orgId)}/dashboards/learners/${encodeURIComponent(userId)}/reminders`,
      reminderSchema,
    ),
  /** The caller's reminders not dismissed yet, newest first. */
  mine: (orgId: string) => call('GET', `${org(orgId)}/me/reminders`, myReminderListSchema),
  dismiss: (orgId: string, reminderId: string) =>
    callEmpty('POST', `${org(orgId)}/me/reminders/${encodeURIComponent(reminderId)}/dismiss`),
};
