/**
 * Password recovery and the single-use links that open an account: a reset link sent by mail
 * or made by an admin, and a reminder's link that signs a learner in to Today.
 */
import { z } from 'zod';
import { emailSchema, idSchema, isoDate, localeSchema, passwordSchema } from './common';

/** Reset links asked for by mail stay valid this long. */
export const RESET_LINK_TTL_MINUTES = 30;
/**
 * Reset links an admin makes for a member stay valid this long: they are passed on by hand
 * (chat, phone) on installs without mail, which takes longer than opening a mail.
 */
export const ADMIN_RESET_LINK_TTL_HOURS = 24;
/** A reminder's sign-in link stays valid this long. */
export const SIGN_IN_LINK_TTL_HOURS = 24;

/** A link's secret: 43 base64url characters; anything else is refused as a bad link. */
export const linkTokenSchema = z.string().min(1).max(200);

/** `POST /api/auth/password-reset`: the same answer whether or not the address has an account. */
export const passwordResetBodySchema = z.strictObject({
  email: emailSchema,
  /** The language of the page that asked: the mail is written in it. */
  locale: localeSchema.optional(),
});
export type PasswordResetBody = z.input<typeof passwordResetBodySchema>;

export const passwordResetAcceptedSchema = z.object({ status: z.literal('accepted') });

export const linkTokenBodySchema = z.strictObject({ token: linkTokenSchema });
export type LinkTokenBody = z.input<typeof linkTokenBodySchema>;

/** `POST /api/auth/password-reset/check`: the link works; for whom, and until when. */
export const passwordResetCheckSchema = z.object({
  email: z.string(),
  expiresAt: isoDate,
});
export type PasswordResetCheck = z.infer<typeof passwordResetCheckSchema>;

export const passwordResetConfirmBodySchema = z.strictObject({
  token: linkTokenSchema,
  password: passwordSchema,
});
export type PasswordResetConfirmBody = z.input<typeof passwordResetConfirmBodySchema>;

/**
 * The password is changed and every session ended. `signedIn`: a fresh session was opened for
 * this browser (not when every membership of the account is deactivated).
 */
export const passwordResetDoneSchema = z.object({ signedIn: z.boolean() });
export type PasswordResetDone = z.infer<typeof passwordResetDoneSchema>;

/** `POST /api/orgs/:orgId/members/:userId/reset-link`: shown once to the admin. */
export const resetLinkSchema = z.object({ url: z.url(), expiresAt: isoDate });
export type ResetLink = z.infer<typeof resetLinkSchema>;

/** `POST /api/auth/link-sign-in`: signed in; the page opens the organisation's Today. */
export const linkSignInResultSchema = z.object({ orgId: idSchema });
