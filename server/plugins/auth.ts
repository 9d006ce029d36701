import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Role } from '../../shared/common';
import type { Authenticated, AuthService } from '../auth/service';
import type { Config } from '../config';
import type { Database } from '../db/client';
import { AppError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../lib/errors';
import { findActiveMembership } from '../orgs/repository';

export const SESSION_COOKIE = 'rappel_session';

export interface MembershipContext {
  orgId: string;
  userId: string;
  roles: Role[];
  teamId: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user and session; set before any handler of a non-public route. */
    auth: Authenticated | null;
    /** The caller's membership in `:orgId`; set on every `/api/orgs/:orgId/…` route. */
    membership: MembershipContext | null;
  }
  interface FastifyContextConfig {
    /** Reachable without a session. */
    public?: boolean;
    /** Roles allowed on an `/api/orgs/:orgId/…` route; any member when absent. */
    roles?: readonly Role[];
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const TENANT_PREFIX = '/api/orgs/:orgId';

interface AuthPluginOptions {
  db: Database;
  auth: AuthService;
  config: Pick<Config, 'publicUrl' | 'session'>;
  /** Paths served by plugins (API docs) that need no session. */
  publicPrefixes: string[];
}

/** The signed-in user; routes that are not public can rely on it. */
export function currentUser(request: FastifyRequest) {
  if (!request.auth) throw new UnauthenticatedError();
  return request.auth.user;
}

/** The caller's membership; tenant routes can rely on it. */
export function currentMembership(request: FastifyRequest): MembershipContext {
  if (!request.membership) throw new NotFoundError('Organisation');
  return request.membership;
}

/**
 * Authentication, CSRF and tenancy in one place, before any handler runs: every route needs a
 * session unless marked public; every `/api/orgs/:orgId/…` route needs an active membership
 * there (404 otherwise, so other organisations stay invisible) and one of the route's roles (403).
 */
export const authPlugin = fp(async (app: FastifyInstance, opts: AuthPluginOptions) => {
  const { db, auth, config, publicPrefixes } = opts;
  const publicOrigin = config.publicUrl ? new URL(config.publicUrl).origin : undefined;

  app.decorateRequest('auth', null);
  app.decorateRequest('membership', null);

  app.addHook('onRequest', async (request) => {
    if (request.is404 || !request.url.startsWith('/api/')) return;
    if (!SAFE_METHODS.has(request.method)) checkOrigin(request, publicOrigin);
    const token = request.cookies[SESSION_COOKIE];
    if (token) request.auth = await auth.authenticate(token);
    if (request.routeOptions.config.public) return;
    if (publicPrefixes.some((p) => request.url.startsWith(p))) return;
    if (!request.auth) throw new UnauthenticatedError();

    if (!request.routeOptions.url?.startsWith(TENANT_PREFIX)) return;
    const { orgId } = request.params as { orgId?: string };
    if (!orgId || !UUID.test(orgId)) throw new NotFoundError('Organisation');
    const membership = await findActiveMembership(db, orgId, request.auth.user.id);
    if (!membership) throw new NotFoundError('Organisation');
    request.membership = membership;
    const allowed = request.routeOptions.config.roles;
    if (allowed && !membership.roles.some((r) => allowed.includes(r))) throw new ForbiddenError();
  });
});

/** Refuses state-changing requests sent by another site (CSRF), by Origin and Sec-Fetch-Site. */
function checkOrigin(request: FastifyRequest, publicOrigin: string | undefined) {
  const origin = request.headers.origin;
  const fetchSite = request.headers['sec-fetch-site'];
  const own = `${request.protocol}://${request.host}`;
  const badOrigin = origin !== undefined && origin !== own && origin !== publicOrigin;
  if (badOrigin || fetchSite === 'cross-site') {
    throw new AppError('BAD_ORIGIN', 403, 'This request came from another site and was refused.');
  }
}

/** Sets the session cookie: httpOnly, SameSite=Lax, Secure when served over HTTPS. */
export function setSessionCookie(
  reply: FastifyReply,
  token: string,
  config: Pick<Config, 'publicUrl' | 'session'>,
) {
  const secure = reply.request.protocol === 'https' || !!config.publicUrl?.startsWith('https:');
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    maxAge: Math.floor(config.session.absoluteMs / 1000),
  });
}

export function clearSessionCookie(reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}
