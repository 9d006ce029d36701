import { z } from 'zod';

/** Languages the product speaks. The first one is the default. */
export const locales = ['fr', 'en'] as const;
export const localeSchema = z.enum(locales);
export type Locale = z.infer<typeof localeSchema>;

/** Roles a membership can hold inside one organisation (DESIGN.md §2). */
export const roles = ['learner', 'trainer', 'manager', 'referent', 'admin'] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

export const idSchema = z.uuid();

/** A date on the wire is an ISO 8601 string; the codec turns it back into a `Date`. */
export const isoDate = z.codec(z.iso.datetime({ offset: true }), z.date(), {
  decode: (s) => new Date(s),
  encode: (d) => d.toISOString(),
});

/**
 * Longest Markdown source accepted in one field, in UTF-16 code units (what zod's `.max()` counts).
 * A five-minute micro-lesson is about 7,000 characters in all; one block never needs more.
 */
export const MARKDOWN_MAX_LENGTH = 20_000;

/** A trimmed, non-empty display name (people, organisations, teams, job roles). */
export const nameSchema = z.string().trim().min(1).max(120);

/** Email addresses are compared case-insensitively; we store them lower-cased. */
export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email())
  .transform((e) => e.toLowerCase());

export const PASSWORD_MIN = 10;
export const passwordSchema = z.string().min(PASSWORD_MIN).max(256);

export const errorIssueSchema = z.object({
  path: z.array(z.union([z.string(), z.number()])),
  message: z.string(),
  code: z.string().optional(),
});
export type ErrorIssue = z.infer<typeof errorIssueSchema>;

/** The one error shape every API error uses. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(errorIssueSchema).optional(),
    requestId: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** Stable error codes the web app can translate. */
export const errorCodes = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'INVALID_CREDENTIALS',
  'ACCOUNT_DEACTIVATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'SETUP_DONE',
  'ALREADY_MEMBER',
  'IN_USE',
  /** A module with problems to fix before it can be published. */
  'NOT_READY',
  'LAST_ADMIN',
  'INVITATION_INVALID',
  /** An invitation opened while signed in as another address than the invited one. */
  'WRONG_ACCOUNT',
  /** An invitation for an address that has an account: sign in as it, then accept. */
  'SIGN_IN_REQUIRED',
  'WRONG_PASSWORD',
  /** A single-use account link (password reset, sign-in) that is expired, used or unknown. */
  'INVALID_LINK',
  /** A reset link for someone who also belongs to an organisation the admin does not run. */
  'MEMBER_ELSEWHERE',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'BAD_ORIGIN',
  'BAD_REQUEST',
  'UNAVAILABLE',
  'INTERNAL',
  /** A staff spreadsheet that is not readable CSV text. */
  'IMPORT_UNREADABLE',
  /** A staff spreadsheet without a name or an e-mail column. */
  'IMPORT_COLUMNS_MISSING',
  /** A staff spreadsheet with more people than one import takes. */
  'IMPORT_TOO_MANY_ROWS',
] as const;
export type ErrorCode = (typeof errorCodes)[number];
