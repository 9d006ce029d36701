import { z } from 'zod';
import {
  emailSchema,
  idSchema,
  localeSchema,
  nameSchema,
  passwordSchema,
  roleSchema,
} from './common';

export const healthSchema = z.object({ status: z.literal('ok') });

export const setupStatusSchema = z.object({ needed: z.boolean() });

export const setupBodySchema = z.strictObject({
  organisation: z.strictObject({ name: nameSchema }),
  admin: z.strictObject({
    name: nameSchema,
    email: emailSchema,
    password: passwordSchema,
    locale: localeSchema.optional(),
  }),
});
export type SetupBody = z.input<typeof setupBodySchema>;

export const setupResultSchema = z.object({ orgId: idSchema, userId: idSchema });

export const loginBodySchema = z.strictObject({
  email: emailSchema,
  // Any length is accepted at login: the rules apply when a password is chosen.
  password: z.string().min(1).max(256),
});
export type LoginBody = z.input<typeof loginBodySchema>;

export const userSchema = z.object({
  id: idSchema,
  email: z.string(),
  name: z.string(),
  locale: localeSchema,
});
export type User = z.infer<typeof userSchema>;

export const membershipSummarySchema = z.object({
  orgId: idSchema,
  orgName: z.string(),
  roles: z.array(roleSchema),
});
export type MembershipSummary = z.infer<typeof membershipSummarySchema>;

export const meSchema = z.object({
  user: userSchema,
  memberships: z.array(membershipSummarySchema),
});
export type Me = z.infer<typeof meSchema>;

export const updateMeBodySchema = z
  .strictObject({ name: nameSchema, locale: localeSchema })
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'Nothing to change' });
export type UpdateMeBody = z.input<typeof updateMeBodySchema>;

export const changePasswordBodySchema = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: passwordSchema,
});
export type ChangePasswordBody = z.input<typeof changePasswordBodySchema>;
