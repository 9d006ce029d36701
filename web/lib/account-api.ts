/**
 * Password recovery and account links (shared/account.ts), sent and parsed by web/lib/api.ts's
 * `call` with the shared schemas. Tokens travel in request bodies, never in a URL the server
 * logs: pages read them from the fragment (`#…`).
 */
import {
  linkSignInResultSchema,
  passwordResetAcceptedSchema,
  passwordResetCheckSchema,
  passwordResetDoneSchema,
  resetLinkSchema,
  type PasswordResetBody,
  type PasswordResetConfirmBody,
} from '$shared/account';
import { call } from '$lib/api';

export const accountApi = {
  /** Always answers the same, whether or not the address has an account. */
  requestReset: (body: PasswordResetBody) =>
    call('POST', '/auth/password-reset', passwordResetAcceptedSchema, body),
  /** For whom the link works and until when; ApiError `INVALID_LINK` (410) when it does not. */
  checkReset: (token: string) =>
    call('POST', '/auth/password-reset/check', passwordResetCheckSchema, { token }),
  confirmReset: (body: PasswordResetConfirmBody) =>
    call('POST', '/auth/password-reset/confirm', passwordResetDoneSchema, body),
  linkSignIn: (token: string) =>
    call('POST', '/auth/link-sign-in', linkSignInResultSchema, { token }),
  /** A reset link for a member, to show once to the admin who asked. */
  memberResetLink: (orgId: string, userId: string) =>
    call(
      'POST',
      `/orgs/${encodeURIComponent(orgId)}/members/${encodeURIComponent(userId)}/reset-link`,
      resetLinkSchema,
    ),
};
