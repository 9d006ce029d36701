import type { LearnerDrillDown } from '$shared/dashboards';
import { formatDate } from '$lib/format';
import { m } from '$lib/paraglide/messages.js';

/**
 * The "next refresher" of a module as the learner meets it: overdue since a date, due today, or
 * the date of the next one (the API never gives a past one).
 */
export function nextRefresherText(x: LearnerDrillDown['modules'][number]): string {
  if (x.overdueSince) return m.dash_next_overdue_since({ date: formatDate(x.overdueSince) });
  if (x.dueToday > 0) return m.dash_next_due_today();
  return x.nextDue ? formatDate(x.nextDue) : '—';
}
