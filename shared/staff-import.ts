import { z } from 'zod';
import { idSchema, localeSchema, roleSchema } from './common';

/** Largest spreadsheet accepted, in bytes: a few thousand people with every column. */
export const STAFF_IMPORT_MAX_BYTES = 1024 * 1024;
/** Most people in one file: applying more would outlast a request. */
export const STAFF_IMPORT_MAX_ROWS = 5000;

/** The content types a browser or a script may give a CSV file (Excel on Windows: ms-excel). */
export const staffImportTypes = [
  'text/csv',
  'application/vnd.ms-excel',
  'text/plain',
  'application/octet-stream',
];

/** `?createMissing=true`: teams and job roles the file names but the organisation lacks are made. */
export const staffImportQuerySchema = z.strictObject({
  createMissing: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});

/**
 * What happens to a line: `invite` (a new invitation), `member` (already a member: nothing to
 * do), `pending` (an invitation that has not expired is waiting: nothing to do), `error`.
 */
export const importOutcomes = ['invite', 'member', 'pending', 'error'] as const;
export const importOutcomeSchema = z.enum(importOutcomes);
export type ImportOutcome = z.infer<typeof importOutcomeSchema>;

/** Why a line cannot be imported: codes the web app says in the user's language. */
export const importProblems = [
  'missing_name',
  'missing_email',
  'invalid_email',
  /** The address is on an earlier line of the file: the later line is refused. */
  'duplicate_email',
  'name_too_long',
  'unknown_role',
  'unknown_language',
  'unknown_team',
  'unknown_job_role',
  'unknown_managed_team',
  /** Teams to manage on someone who is not given the manager role. */
  'managed_teams_need_manager',
  /** A trainer's file giving another role than learner (only admins invite those). */
  'role_not_allowed',
] as const;
export const importProblemSchema = z.enum(importProblems);
export type ImportProblem = z.infer<typeof importProblemSchema>;

/** One person as the file gives them: text trimmed, address lower-cased, roles understood. */
export const importPersonSchema = z.object({
  name: z.string(),
  email: z.string(),
  roles: z.array(roleSchema),
  team: z.string().nullable(),
  jobRole: z.string().nullable(),
  /** Null: the invitation takes the inviter's language. */
  locale: localeSchema.nullable(),
  managedTeams: z.array(z.string()),
});
export type ImportPerson = z.infer<typeof importPersonSchema>;

export const importLineSchema = z.object({
  /** The row as a spreadsheet numbers it (the header is row 1; empty rows count but are skipped). */
  line: z.number().int().positive(),
  person: importPersonSchema,
  outcome: importOutcomeSchema,
  /** Every problem of the line (empty unless `outcome` is `error`). */
  problems: z.array(importProblemSchema),
  /** After applying: the invitation made for an `invite` line. */
  invitationId: idSchema.nullable(),
});
export type ImportLine = z.infer<typeof importLineSchema>;

export const importReportSchema = z.object({
  /** False for a preview (nothing written), true once applied. */
  applied: z.boolean(),
  lines: z.array(importLineSchema),
  counts: z.object({
    invite: z.number().int().nonnegative(),
    member: z.number().int().nonnegative(),
    pending: z.number().int().nonnegative(),
    error: z.number().int().nonnegative(),
  }),
  /** Names of the teams and job roles that would be made (preview) or were made (applied). */
  created: z.object({ teams: z.array(z.string()), jobRoles: z.array(z.string()) }),
  /** After applying: whether the invitation mails go out (false: no mail is set up). */
  mailConfigured: z.boolean(),
});
export type ImportReport = z.infer<typeof importReportSchema>;
