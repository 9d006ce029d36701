import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  acceptInvitationBodySchema,
  acceptInvitationResultSchema,
  createInvitationBodySchema,
  invitationCreatedSchema,
  invitationListSchema,
  invitationParamsSchema,
  invitationPreviewSchema,
  invitationTokenParamsSchema,
  orgIdParamsSchema,
} from '../../shared/orgs';
import type { Config } from '../config';
import { errorResponses, tenant, typed } from '../lib/http';
import { currentMembership, currentUser, setSessionCookie } from '../plugins/auth';
import type { InvitationService } from './service';

export const INVITERS = ['admin', 'trainer'] as const;

/** Links point at PUBLIC_URL when set, else at the address the inviter used. */
export const invitationBaseUrl = (config: Config, request: FastifyRequest) =>
  config.publicUrl ?? `${request.protocol}://${request.host}`;

export async function invitationRoutes(
  app: FastifyInstance,
  { invitations, config }: { invitations: InvitationService; config: Config },
) {
  const r = typed(app);
  const baseUrl = (request: FastifyRequest) => invitationBaseUrl(config, request);

  r.get(
    '/api/orgs/:orgId/invitations',
    {
      config: { roles: INVITERS },
      schema: {
        tags: ['people'],
        summary: 'Pending invitations (expired ones are flagged, to renew or revoke)',
        params: orgIdParamsSchema,
        response: { 200: invitationListSchema, ...tenant },
      },
    },
    async (request) => ({ items: await invitations.list(currentMembership(request).orgId) }),
  );

  r.post(
    '/api/orgs/:orgId/invitations',
    {
      config: { roles: INVITERS },
      schema: {
        tags: ['people'],
        summary:
          'Invite someone by email; returns the link (admins: any roles, trainers: learners)',
        params: orgIdParamsSchema,
        body: createInvitationBodySchema,
        response: { 201: invitationCreatedSchema, ...tenant, ...errorResponses(409) },
      },
    },
    async (request, reply) => {
      const m = currentMembership(request);
      const { locale, name } = currentUser(request);
      const actor = { ...m, locale, name };
      const created = await invitations.create(m.orgId, actor, request.body, baseUrl(request));
      return reply.code(201).send(created);
    },
  );

  r.delete(
    '/api/orgs/:orgId/invitations/:invitationId',
    {
      config: { roles: INVITERS },
      schema: {
        tags: ['people'],
        summary: 'Revoke a pending invitation: its link stops working',
        params: invitationParamsSchema,
        response: { 204: z.null(), ...tenant },
      },
    },
    async (request, reply) => {
      const m = currentMembership(request);
      await invitations.revoke(m.orgId, m, request.params.invitationId);
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/api/orgs/:orgId/invitations/:invitationId/renew',
    {
      config: { roles: INVITERS },
      schema: {
        tags: ['people'],
        summary: 'Make a new link with a new expiry date; the old link stops working',
        params: invitationParamsSchema,
        response: { 200: invitationCreatedSchema, ...tenant },
      },
    },
    async (request) => {
      const m = currentMembership(request);
      return invitations.renew(m.orgId, m, request.params.invitationId, baseUrl(request));
    },
  );

  r.get(
    '/api/invitations/:token',
    {
      config: { public: true, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['people'],
        summary: 'What an invitation link offers, before accepting it',
        params: invitationTokenParamsSchema,
        response: { 200: invitationPreviewSchema, ...errorResponses(400, 404, 429) },
      },
    },
    async (request) => invitations.preview(request.params.token),
  );

  r.post(
    '/api/invitations/:token/accept',
    {
      config: { public: true, rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags: ['people'],
        summary: 'Accept an invitation: join as the signed-in invited address, or make its account',
        params: invitationTokenParamsSchema,
        body: acceptInvitationBodySchema,
        response: {
          200: acceptInvitationResultSchema,
          ...errorResponses(400, 403, 404, 409, 429),
        },
      },
    },
    async (request, reply) => {
      const signedIn = request.auth?.user;
      const { token, orgId, userId } = await invitations.accept(
        request.params.token,
        request.body,
        signedIn,
      );
      if (token) setSessionCookie(reply, token, config);
      return { orgId, userId };
    },
  );
}
