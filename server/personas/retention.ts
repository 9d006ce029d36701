import type { ErrorIssue } from '../../shared/common';
import { desiredRetentionSchema } from '../../shared/learning';
import { ValidationError } from '../lib/errors';

/**
 * Refuses a persona's or module's desired retention outside the range the organisation's own
 * setting allows (the shared body schemas cannot import that range: see
 * `retentionOverrideSchema`). Null (the organisation's applies) and absent pass.
 */
export function checkRetentionOverride(value: number | null | undefined) {
  if (value === null || value === undefined) return;
  const result = desiredRetentionSchema.safeParse(value);
  if (result.success) return;
  const issues: ErrorIssue[] = result.error.issues.map((issue) => ({
    path: ['desiredRetention'],
    message: issue.message,
    code: issue.code,
  }));
  throw new ValidationError('Some fields are invalid.', issues);
}
