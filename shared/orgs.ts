import { z } from 'zod';
import {
  emailSchema,
  idSchema,
  isoDate,
  localeSchema,
  nameSchema,
  roleSchema,
  type Role,
} from './common';

export const orgIdParamsSchema = z.object({ orgId: idSchema });

export const createOrgBodySchema = z.strictObject({ name: nameSchema });
export const createOrgResultSchema = z.object({ orgId: idSchema });

/** The roles whose holders may create another organisation (a consultant trainer serves several). */
export const orgCreatorRoles: readonly Role[] = ['admin', 'trainer'];

/**
 * Who may create an organisation: an admin or trainer of one, or someone who has never belonged
 * to any (they set their own up). Learners, managers and referents get their access from their
 * organisation, and so does anyone whose memberships have all ended: they ask their admin.
 * `memberships` are the active ones; `formerMember` says whether any ended one exists.
 */
export function mayCreateOrg(
  memberships: readonly { roles: readonly Role[] }[],
  formerMember: boolean,
): boolean {
  if (memberships.length === 0) return !formerMember;
  return memberships.some((ms) => ms.roles.some((r) => orgCreatorRoles.includes(r)));
}

export const orgSchema = z.object({ id: idSchema, name: z.string(), createdAt: isoDate });
export type Org = z.infer<typeof orgSchema>;
export const updateOrgBodySchema = z.strictObject({ name: nameSchema });

/** At least one role, no duplicates. */
export const rolesSchema = z
  .array(roleSchema)
  .min(1)
  .max(5)
  .refine((r) => new Set(r).size === r.length, { message: 'Each role once' });

// ---- Teams and job roles: the same small shape ----

export const namedItemSchema = z.object({
  id: idSchema,
  name: z.string(),
  memberCount: z.number().int().nonnegative(),
  createdAt: isoDate,
});
export type NamedItem = z.infer<typeof namedItemSchema>;
export const namedItemListSchema = z.object({ items: z.array(namedItemSchema) });
export const namedItemBodySchema = z.strictObject({ name: nameSchema });
export const teamParamsSchema = orgIdParamsSchema.extend({ teamId: idSchema });
export const jobRoleParamsSchema = orgIdParamsSchema.extend({ jobRoleId: idSchema });

// ---- Members ----

export const memberSchema = z.object({
  userId: idSchema,
  name: z.string(),
  email: z.string(),
  roles: z.array(roleSchema),
  teamId: idSchema.nullable(),
  jobRoleId: idSchema.nullable(),
  /**
   * The teams this member manages (dashboards, assigning). Kept when the manager role is taken
   * away, but they only count while the member is a manager, so giving the role back restores
   * them. Being in a team (`teamId`) is not managing it.
   */
  managedTeamIds: z.array(idSchema),
  active: z.boolean(),
  joinedAt: isoDate,
});
export type Member = z.infer<typeof memberSchema>;
export const memberListSchema = z.object({ items: z.array(memberSchema) });
export const memberParamsSchema = orgIdParamsSchema.extend({ userId: idSchema });

/** Ids of teams of the organisation, each once; replaces the whole list. */
export const managedTeamIdsSchema = z
  .array(idSchema)
  .max(50)
  .refine((ids) => new Set(ids).size === ids.length, { message: 'Each team once' });

export const updateMemberBodySchema = z
  .strictObject({
    roles: rolesSchema,
    teamId: idSchema.nullable(),
    jobRoleId: idSchema.nullable(),
    managedTeamIds: managedTeamIdsSchema,
    active: z.boolean(),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'Nothing to change' });
export type UpdateMemberBody = z.input<typeof updateMemberBodySchema>;

// ---- Invitations ----

export const createInvitationBodySchema = z
  .strictObject({
    email: emailSchema,
    roles: rolesSchema.default(['learner']),
    teamId: idSchema.nullable().optional(),
    jobRoleId: idSchema.nullable().optional(),
    /**
     * The teams the invitee will manage once they accept (teams of the organisation). Only with
     * the manager role: an invitation is set up once, so teams on anyone else are a mistake.
     */
    managedTeamIds: managedTeamIdsSchema.default([]),
    /** The language of the invitation page and of the new account; defaults to the inviter's. */
    locale: localeSchema.optional(),
  })
  .refine((b) => b.managedTeamIds.length === 0 || b.roles.includes('manager'), {
    path: ['managedTeamIds'],
    message: 'Only managers manage teams: give the manager role or leave the teams out.',
  });
export type CreateInvitationBody = z.input<typeof createInvitationBodySchema>;

export const invitationSchema = z.object({
  id: idSchema,
  email: z.string(),
  roles: z.array(roleSchema),
  teamId: idSchema.nullable(),
  jobRoleId: idSchema.nullable(),
  /** The teams the invitee will manage once they accept (teams deleted since are gone). */
  managedTeamIds: z.array(idSchema),
  locale: localeSchema,
  invitedBy: z.string(),
  createdAt: isoDate,
  expiresAt: isoDate,
  expired: z.boolean(),
});
export type Invitation = z.infer<typeof invitationSchema>;
export const invitationListSchema = z.object({ items: z.array(invitationSchema) });
export const invitationParamsSchema = orgIdParamsSchema.extend({ invitationId: idSchema });

/** Returned once, when an invitation is created or renewed: the link holds the secret token. */
export const invitationCreatedSchema = z.object({
  invitation: invitationSchema,
  link: z.url(),
  /** True: the link was also mailed to the invitee; false: no mail is set up, pass it on. */
  mailConfigured: z.boolean(),
});

export const invitationTokenParamsSchema = z.object({ token: z.string().min(20).max(100) });

/**
 * What the invitation page shows before the invitee accepts: the invitation's own fields only,
 * never whether the address has an account (anyone can invite any address).
 */
export const invitationPreviewSchema = z.object({
  orgName: z.string(),
  email: z.string(),
  roles: z.array(roleSchema),
  invitedBy: z.string(),
  locale: localeSchema,
  expiresAt: isoDate,
});
export type InvitationPreview = z.infer<typeof invitationPreviewSchema>;

/**
 * Signed in as the invited address: an empty body joins. Not signed in, for an address without
 * an account: the new account's password (checked by the service, `passwordSchema`'s rule), an
 * optional name and language. Passwords of existing accounts are never checked here: they
 * sign in first (`SIGN_IN_REQUIRED`).
 */
export const acceptInvitationBodySchema = z.strictObject({
  password: z.string().min(1).max(256).optional(),
  name: nameSchema.optional(),
  locale: localeSchema.optional(),
});
export type AcceptInvitationBody = z.input<typeof acceptInvitationBodySchema>;
export const acceptInvitationResultSchema = z.object({ orgId: idSchema, userId: idSchema });
