/** The API's validation issues for lessons and cards, said at the field in the interface's language. */
import type { ErrorIssue } from '$shared/common';
import {
  EXPECTED_SECONDS_MAX,
  EXPECTED_SECONDS_MIN,
  IMAGE_MAX_BYTES,
  issueMessages,
  MIN_ORDER_STEPS,
} from '$shared/modules';
import { ApiError } from '$lib/api';
import { errorText, issueText } from '$lib/errors';
import { m } from '$lib/paraglide/messages.js';

/** The shared schemas' own sentences (English), by the constants that hold them. */
const byMessage: Record<string, () => string> = {
  [issueMessages.oneCorrect]: m.card_error_one_correct,
  [issueMessages.someCorrect]: m.card_error_some_correct,
  [issueMessages.twoOptions]: m.card_error_two_options,
  [issueMessages.orderSteps]: () => m.card_error_order_steps({ min: MIN_ORDER_STEPS }),
  [issueMessages.webUrl]: m.block_error_url,
};

type Issue = ErrorIssue & { origin?: string };

export function lessonIssueText(issue: Issue): string {
  const known = byMessage[issue.message];
  if (known) return known();
  if (issue.path.at(-1) === 'expectedSeconds') {
    return m.card_error_seconds({ min: EXPECTED_SECONDS_MIN, max: EXPECTED_SECONDS_MAX });
  }
  if (issue.code === 'too_complex') return m.lesson_error_too_complex();
  if (issue.code === 'too_big' && !issue.origin) return m.lesson_error_too_long();
  return issueText(issue);
}

/** Errors keyed by dotted path ("blocks.3.markdown"), without the API's "body" prefix. */
export function lessonFieldErrors(issues: readonly Issue[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const path = issue.path[0] === 'body' ? issue.path.slice(1) : issue.path;
    const key = path.join('.');
    if (!(key in out)) out[key] = lessonIssueText(issue);
  }
  return out;
}

/**
 * Re-keys block errors by block id ("<id>.markdown"), from the ids in the order they were sent,
 * so they stay on the right block when blocks move after the save.
 */
export function keyByBlockId(
  errors: Record<string, string>,
  sentIds: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, message] of Object.entries(errors)) {
    const match = /^blocks\.(\d+)(\..*)?$/.exec(key);
    const id = match ? sentIds[Number(match[1])] : undefined;
    out[id ? `${id}${match?.[2] ?? ''}` : key] = message;
  }
  return out;
}

/** Why an upload failed: wrong type or too big, said plainly. */
export function uploadErrorText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.code === 'PAYLOAD_TOO_LARGE') return m.block_image_too_big({ mb: IMAGE_MAX_MB });
    if (e.code === 'UNSUPPORTED_MEDIA_TYPE') return m.block_image_wrong_type();
    if (e.code === 'VALIDATION_FAILED') {
      // The server sniffs the bytes: a renamed file is "not an image"; its size is checked too.
      const message = e.issues[0]?.message ?? e.message;
      if (/^At most \d+ bytes/.test(message)) return m.block_image_too_big({ mb: IMAGE_MAX_MB });
      return m.block_image_wrong_type();
    }
    return errorText(e.code);
  }
  return errorText('INTERNAL');
}

/** The upload limit in megabytes, for messages. */
export const IMAGE_MAX_MB = IMAGE_MAX_BYTES / (1024 * 1024);
