import type { FastifyInstance } from 'fastify';
import {
  linkSignInResultSchema,
  linkTokenBodySchema,
  passwordResetAcceptedSchema,
  passwordResetBodySchema,
  passwordResetCheckSchema,
  passwordResetConfirmBodySchema,
  passwordResetDoneSchema,
  resetLinkSchema,
} from '../../shared/account';
import { memberParamsSchema } from '../../shared/orgs';
import type { Config } from '../config';
import { errorResponses, tenant, typed } from '../lib/http';
import { currentMembership, SESSION_COOKIE, setSessionCookie } from '../plugins/auth';
import type { RecoveryService } from './recovery';

/**
 * Per client address, as the login's: a whole office behind one address may come back from a
 * holiday at once. Mail to one address is limited apart (RESETS_PER_HOUR), and only addresses
 * with an account get any.
 */
const REQUEST_LIMIT = { max: 30, timeWindow: '1 minute' };
/** Links are 256-bit secrets; the limit only keeps scanners from hammering the database. */
const LINK_LIMIT = { max: 30, timeWindow: '1 minute' };

export async function recoveryRoutes(
  app: FastifyInstance,
  { recovery, config }: { recovery: RecoveryService; config: Config },
) {
  const r = typed(app);

  r.post(
    '/api/auth/password-reset',
    {
      config: { public: true, rateLimit: REQUEST_LIMIT },
      schema: {
        tags: ['account'],
        summary:
          'Ask for a password reset link by mail: the same answer whether or not the address has an account',
        body: passwordResetBodySchema,
        response: { 202: passwordResetAcceptedSchema, ...errorResponses(400, 403, 429) },
      },
    },
    async (request, reply) => {
      await recovery.requestReset(request.body.email, request.body.locale);
      return reply.code(202).send({ status: 'accepted' as const });
    },
  );

  r.post(
    '/api/auth/password-reset/check',
    {
      config: { public: true, rateLimit: LINK_LIMIT },
      schema: {
        tags: ['account'],
        summary: 'Whether a reset link still works (410 INVALID_LINK when not)',
        body: linkTokenBodySchema,
        response: { 200: passwordResetCheckSchema, ...errorResponses(400, 403, 410, 429) },
      },
    },
    async (request) => recovery.checkReset(request.body.token),
  );

  r.post(
    '/api/auth/password-reset/confirm',
    {
      config: { public: true, rateLimit: LINK_LIMIT },
      schema: {
        tags: ['account'],
        summary:
          'Choose a new password through a reset link (once); every session ends, this browser is signed in',
        body: passwordResetConfirmBodySchema,
        response: { 200: passwordResetDoneSchema, ...errorResponses(400, 403, 410, 429) },
      },
    },
    async (request, reply) => {
      const { token, signedIn } = await recovery.confirmReset(
        request.body.token,
        request.body.password,
      );
      if (token) setSessionCookie(reply, token, config);
      return { signedIn };
    },
  );

  r.post(
    '/api/auth/link-sign-in',
    {
      config: { public: true, rateLimit: LINK_LIMIT },
      schema: {
        tags: ['account'],
        summary: "Sign in through a reminder's single-use link (when the organisation allows it)",
        body: linkTokenBodySchema,
        response: { 200: linkSignInResultSchema, ...errorResponses(400, 403, 410, 429) },
      },
    },
    async (request, reply) => {
      const { orgId, session } = await recovery.linkSignIn(
        request.body.token,
        request.cookies[SESSION_COOKIE],
      );
      setSessionCookie(reply, session, config);
      return { orgId };
    },
  );

  r.post(
    '/api/orgs/:orgId/members/:userId/reset-link',
    {
      config: { roles: ['admin'], rateLimit: LINK_LIMIT },
      schema: {
        tags: ['people'],
        summary:
          'Make a password reset link for a member, shown once (admin; for installs without mail)',
        params: memberParamsSchema,
        response: { 201: resetLinkSchema, ...tenant, ...errorResponses(409, 429) },
      },
    },
    async (request, reply) => {
      const m = currentMembership(request);
      // Shown to the admin: the address they use, as invitation links are.
      const baseUrl = config.publicUrl ?? `${request.protocol}://${request.host}`;
      const link = await recovery.adminResetLink(m.orgId, m.userId, request.params.userId, baseUrl);
      return reply.code(201).send(link);
    },
  );
}
