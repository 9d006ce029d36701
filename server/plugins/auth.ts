import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Role } from '../../shared/common';
import type { Principal } from '../auth/principal-cache';
import type { AuthService } from '../auth/service';
import type { Config } from '../config';
import { AppError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../lib/errors';

export const SESSION_COOKIE = 'rappel_session';

export interface MembershipContext {
  orgId: string;
  userId: string;
  roles: Role[];
  teamId: string | null;
  /** The teams this member manages; they count while they are a manager (server/lib/scope.ts). */
  managedTeamIds: string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user, session and memberships; set before any handler of a non-public route. */
    auth: Principal | null;
    /** The caller's membership in `:orgId`; set on every `/api/orgs/:orgId/…` route. */
    membership: MembershipContext | null;
  }
  interface FastifyContextConfig {
    /** Reachable without a session. */
    public?: boolean;
    /** Roles allowed on an `/api/orgs/:orgId/…` route; any member when absent. */
    roles?: readonly Role[];
    /** Accepts state-changing requests from any site: the URL's signed token is the authority. */
    anyOrigin?: boolean;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const TENANT_PREFIX = '/api/orgs/:orgId';

interface AuthPluginOptions {
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

/** The signed-in user with their session and memberships. */
export function currentPrincipal(request: FastifyRequest): Principal {
  if (!request.auth) throw new UnauthenticatedError();
  return request.auth;
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
  const { auth, config, publicPrefixes } = opts;
  const publicOrigin = config.publicUrl ? new URL(config.publicUrl).origin : undefined;

  app.decorateRequest('auth', null);
  app.decorateRequest('membership', null);

  app.addHook('onRequest', async (request) => {
    if (request.is404 || !request.url.startsWith('/api/')) return;
    if (!SAFE_METHODS.has(request.method) && !request.routeOptions.config.anyOrigin) {
      checkOrigin(request, publicOrigin);
    }
    const token = request.cookies[SESSION_COOKIE];
    if (token) request.auth = await auth.authenticate(token);
    if (request.routeOptions.config.public) return;
    if (publicPrefixes.some((p) => request.url.startsWith(p))) return;
    if (!request.auth) throw new UnauthenticatedError();

    if (!request.routeOptions.url?.startsWith(TENANT_PREFIX)) return;
    const { orgId } = request.params as { orgId?: string };
    const found = request.auth.memberships.find((m) => m.orgId === orgId);
    if (!orgId || !UUID.test(orgId) || !found) throw new NotFoundError('Organisation');
    request.membership = {
      orgId,
      userId: request.auth.user.id,
      roles: found.roles,
      teamId: found.teamId,
      managedTeamIds: found.managedTeamIds,
    };
    const allowed = request.routeOptions.config.roles;
    if (allowed && !found.roles.some((r) => allowed.includes(r))) throw new ForbiddenError();
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
