import { roles as allRoles, type Role } from '$shared/common';
import { i18n } from '$lib/i18n.svelte';
import { m } from '$lib/paraglide/messages.js';

const roleLabels: Record<Role, () => string> = {
  learner: m.role_learner,
  trainer: m.role_trainer,
  manager: m.role_manager,
  referent: m.role_referent,
  admin: m.role_admin,
};

export function roleLabel(role: Role): string {
  return roleLabels[role]();
}

/** "Learner, Trainer and Administrator"; `lower` for the middle of a sentence. */
export function rolesText(roles: readonly Role[], { lower = false } = {}): string {
  const ordered = allRoles.filter((r) => roles.includes(r));
  const labels = ordered.map((r) =>
    lower ? roleLabel(r).toLocaleLowerCase(i18n.locale) : roleLabel(r),
  );
  return new Intl.ListFormat(i18n.locale, { style: 'long', type: 'conjunction' }).format(labels);
}

export function formatDate(date: Date): string {
  return new Intl.DateTimeFormat(i18n.dateLocale, { dateStyle: 'medium' }).format(date);
}

/** A calendar date (`YYYY-MM-DD`, no zone) in words, e.g. "31 déc. 2026". */
export function formatCalendarDate(date: string): string {
  return new Intl.DateTimeFormat(i18n.dateLocale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(`${date}T00:00:00Z`),
  );
}

/** Today on this device's calendar, as `YYYY-MM-DD`. */
export function todayCalendarDate(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
