import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  changePasswordBodySchema,
  loginBodySchema,
  meSchema,
  updateMeBodySchema,
} from '../../shared/auth';
import type { Config } from '../config';
import { errorResponses, signedIn, typed } from '../lib/http';
import {
  clearSessionCookie,
  currentPrincipal,
  currentUser,
  SESSION_COOKIE,
  setSessionCookie,
} from '../plugins/auth';
import { type AuthService, toMe } from './service';

export async function authRoutes(
  app: FastifyInstance,
  { auth, config }: { auth: AuthService; config: Config },
) {
  const r = typed(app);

  r.post(
    '/api/auth/login',
    {
      config: { public: true, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['account'],
        summary: 'Sign in with email and password',
        body: loginBodySchema,
        response: { 200: meSchema, ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const { email, password } = request.body;
      const { token, me } = await auth.login(email, password, request.cookies[SESSION_COOKIE]);
      setSessionCookie(reply, token, config);
      return me;
    },
  );

  r.post(
    '/api/auth/logout',
    {
      config: { public: true },
      schema: {
        tags: ['account'],
        summary: 'Sign out: the session ends on the server',
        response: { 204: z.null(), ...errorResponses(403) },
      },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await auth.logout(token);
      clearSessionCookie(reply);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/api/me',
    {
      schema: {
        tags: ['account'],
        summary: 'The signed-in user and their organisations',
        response: { 200: meSchema, ...errorResponses(401) },
      },
    },
    async (request) => toMe(currentPrincipal(request)),
  );

  r.patch(
    '/api/me',
    {
      schema: {
        tags: ['account'],
        summary: 'Change your name or language',
        body: updateMeBodySchema,
        response: { 200: meSchema, ...signedIn },
      },
    },
    async (request) => auth.updateMe(currentUser(request).id, request.body),
  );

  r.post(
    '/api/me/password',
    {
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['account'],
        summary: 'Change your password; your other sessions end',
        body: changePasswordBodySchema,
        response: { 204: z.null(), ...signedIn, ...errorResponses(429) },
      },
    },
    async (request, reply) => {
      const { currentPassword, newPassword } = request.body;
      const token = await auth.changePassword(
        currentUser(request).id,
        currentPassword,
        newPassword,
      );
      setSessionCookie(reply, token, config);
      return reply.code(204).send(null);
    },
  );
}
