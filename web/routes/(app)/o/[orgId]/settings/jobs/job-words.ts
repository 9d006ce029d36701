import type { JobSummary } from '$shared/jobs';
import { i18n } from '$lib/i18n.svelte';
import { m } from '$lib/paraglide/messages.js';

/** The jobs Rappel defines, in words; a name not listed here is shown as it is. */
const names: Record<string, () => string> = {
  housekeeping: m.jobs_name_housekeeping,
  'dashboard-pairs': m.jobs_name_dashboard_pairs,
  mail: m.jobs_name_mail,
  'mail-expired-links': m.jobs_name_mail_expired_links,
  push: m.jobs_name_push,
  reminders: m.jobs_name_reminders,
  'reminder-mails': m.jobs_name_reminder_mails,
  'new-work': m.jobs_name_new_work,
  digest: m.jobs_name_digest,
  digests: m.jobs_name_digests,
  'fsrs-fits': m.jobs_name_fsrs_fits,
  'fsrs-fit': m.jobs_name_fsrs_fit,
};

export const jobName = (name: string) => names[name]?.() ?? name;

export function jobPeriod(everyMs: number): string {
  const minutes = Math.round(everyMs / 60_000);
  if (minutes < 60) return m.jobs_every_minutes({ minutes });
  if (minutes % (24 * 60) === 0) return m.jobs_every_days({ days: minutes / (24 * 60) });
  return m.jobs_every_hours({ hours: Math.round(minutes / 60) });
}

export const dateTime = (date: Date) =>
  new Intl.DateTimeFormat(i18n.dateLocale, { dateStyle: 'medium', timeStyle: 'short' }).format(
    date,
  );

export type JobState = 'running' | 'retrying' | 'failing' | 'never' | 'ok';

/** One word for where the job stands, most urgent first. */
export function jobState(job: JobSummary): JobState {
  const failure = job.lastFailure;
  if (failure?.retryAt) return 'retrying';
  if (failure && (!job.lastSuccessAt || job.lastSuccessAt < failure.at)) return 'failing';
  if (job.running > 0) return 'running';
  if (!job.lastRunAt) return 'never';
  return 'ok';
}

export const stateLabel: Record<JobState, () => string> = {
  running: m.jobs_state_running,
  retrying: m.jobs_state_retrying,
  failing: m.jobs_state_failing,
  never: m.jobs_state_never,
  ok: m.jobs_state_ok,
};
