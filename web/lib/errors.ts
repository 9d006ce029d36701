/** Error codes and validation issues, said in the interface's language. */
import type { ErrorIssue } from '$shared/common';
import { m } from '$lib/paraglide/messages.js';

const byCode: Record<string, () => string> = {
  VALIDATION_FAILED: m.error_validation,
  UNAUTHENTICATED: m.error_unauthenticated,
  INVALID_CREDENTIALS: m.error_invalid_credentials,
  ACCOUNT_DEACTIVATED: m.error_account_deactivated,
  FORBIDDEN: m.error_forbidden,
  NOT_FOUND: m.error_not_found,
  CONFLICT: m.error_conflict,
  SETUP_DONE: m.error_setup_done,
  ALREADY_MEMBER: m.error_already_member,
  IN_USE: m.error_in_use,
  NOT_READY: m.modules_error_not_ready,
  LAST_ADMIN: m.error_last_admin,
  INVITATION_INVALID: m.error_invitation_invalid,
  WRONG_PASSWORD: m.error_wrong_password,
  INVALID_LINK: m.account_error_invalid_link,
  MEMBER_ELSEWHERE: m.account_error_member_elsewhere,
  RATE_LIMITED: m.error_rate_limited,
  PAYLOAD_TOO_LARGE: m.error_generic,
  BAD_ORIGIN: m.error_generic,
  NETWORK: m.error_network,
  INTERNAL: m.error_internal,
};

/** A sentence for an API error code; unknown codes fall back to a generic one. */
export function errorText(code: string): string {
  return (byCode[code] ?? m.error_generic)();
}

/** Zod's issue details (present on client-side checks, maybe on the server's). */
interface IssueDetail extends ErrorIssue {
  minimum?: number | bigint;
  maximum?: number | bigint;
  origin?: string;
  format?: string;
}

/** A field message for one validation issue. */
export function issueText(issue: IssueDetail): string {
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) <= 1) return m.field_required();
      if (issue.origin === 'string') return m.field_too_short({ min: Number(issue.minimum) });
      if (issue.origin === 'array') return m.field_choose_one();
      return m.field_invalid();
    case 'too_big':
      if (issue.origin === 'string') return m.field_too_long({ max: Number(issue.maximum) });
      return m.field_invalid();
    case 'invalid_format':
      return issue.format === 'email' ? m.field_email() : m.field_invalid();
    case 'invalid_type':
      return m.field_required();
    default:
      return issue.message || m.field_invalid();
  }
}

/**
 * Field errors keyed by their dotted path ("admin.password"); the first issue per field wins.
 * The API prefixes schema failures with where they were found ("body.admin.password"); forms
 * only know their own fields, so that prefix is dropped.
 */
export function fieldErrors(issues: readonly IssueDetail[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const path = issue.path[0] === 'body' ? issue.path.slice(1) : issue.path;
    const key = path.join('.');
    if (!(key in out)) out[key] = issueText(issue);
  }
  return out;
}
