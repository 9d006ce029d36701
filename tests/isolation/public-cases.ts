import { PASSWORD } from '../helpers/harness';
import { type CaseTable, publicRoute } from '../helpers/isolation-check';
import { deviceSubscription } from '../helpers/push-service';

const docs = 'the API documentation: the same for everyone, no organisation data';
const get = (url: string) => () => ({ method: 'GET' as const, url });

/**
 * Routes outside any organisation: the caller's own account, and routes reachable without a
 * session. Each says why it is not tenant-scoped; none is left out silently.
 */
export const accountCases: CaseTable = {
  'GET /api/me': {
    kind: 'account',
    why: "the caller's own account and memberships",
    request: () => ({ method: 'GET', url: '/api/me' }),
  },
  'PATCH /api/me': {
    kind: 'account',
    why: "the caller's own name and language",
    request: () => ({ method: 'PATCH', url: '/api/me', payload: { locale: 'en' } }),
  },
  'POST /api/me/password': {
    kind: 'account',
    why: "the caller's own password (ends their sessions: a new member per call)",
    freshCaller: true,
    request: () => ({
      method: 'POST',
      url: '/api/me/password',
      payload: { currentPassword: PASSWORD, newPassword: 'another long test password' },
    }),
  },
  'GET /api/push/public-key': {
    kind: 'account',
    why: "the install's VAPID public key, the same for everyone signed in",
    request: () => ({ method: 'GET', url: '/api/push/public-key' }),
  },
  'POST /api/me/push-subscriptions': {
    kind: 'account',
    why: "the caller's own device (an endpoint is the browser's, not an organisation's)",
    request: () => ({
      method: 'POST',
      url: '/api/me/push-subscriptions',
      payload: deviceSubscription(),
    }),
  },
  'DELETE /api/me/push-subscriptions': {
    kind: 'account',
    why: "the caller's own device only: another person's endpoint is left alone",
    request: () => ({
      method: 'DELETE',
      url: '/api/me/push-subscriptions',
      payload: { endpoint: deviceSubscription().endpoint },
    }),
  },
  'GET /api/me/notifications': {
    kind: 'account',
    why: "the caller's own preferences, and the digest choice of their own memberships",
    request: () => ({ method: 'GET', url: '/api/me/notifications' }),
  },
  'PUT /api/me/notifications': {
    kind: 'account',
    why: "the caller's own preferences (one row per person)",
    request: () => ({
      method: 'PUT',
      url: '/api/me/notifications',
      payload: { reminderTime: '08:00' },
    }),
  },
  'GET /api/calendar/countries': {
    kind: 'account',
    why: "the holidays library's countries and regions, the same for everyone signed in",
    request: () => ({ method: 'GET', url: '/api/calendar/countries' }),
  },
  'POST /api/orgs': {
    kind: 'account',
    why: 'creates a new organisation, of which the caller becomes the admin',
    allow: ['admin', 'trainer'],
    request: (me) => ({ method: 'POST', url: '/api/orgs', payload: { name: `${me.name} Ltd` } }),
  },

  'GET /api/health': publicRoute('liveness and database check, no data', get('/api/health')),
  'GET /api/setup': publicRoute('whether the first set-up is still open', get('/api/setup')),
  'POST /api/setup': publicRoute('first set-up of an empty instance only (409 afterwards)', () => ({
    method: 'POST',
    url: '/api/setup',
    payload: {
      organisation: { name: 'Org C' },
      admin: { name: 'C', email: 'c@example.test', password: PASSWORD },
    },
  })),
  'POST /api/auth/login': publicRoute('signs in by email and password', (org) => ({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: org.users.admin.email, password: PASSWORD },
  })),
  'POST /api/auth/logout': publicRoute("ends the caller's own session, if any", () => ({
    method: 'POST',
    url: '/api/auth/logout',
  })),
  'GET /api/invitations/:token': publicRoute(
    'the secret token is the key: it shows its own invitation to whoever holds the link',
    (org) => ({ method: 'GET', url: `/api/invitations/${org.invitation.token}` }),
  ),
  'POST /api/invitations/:token/accept': publicRoute(
    'the secret token is the key: joins the organisation that sent it',
  ),
  'POST /api/auth/password-reset': publicRoute(
    'asks for a reset mail: the same answer for every address, nothing about an organisation',
    (org) => ({
      method: 'POST',
      url: '/api/auth/password-reset',
      payload: { email: org.users.learner.email },
    }),
  ),
  'POST /api/auth/password-reset/check': publicRoute(
    'the secret token is the key: it shows its own account address to whoever holds the link',
    () => ({ method: 'POST', url: '/api/auth/password-reset/check', payload: { token: 'x' } }),
  ),
  'POST /api/auth/password-reset/confirm': publicRoute(
    "the secret token is the key: it sets its own account's password",
    () => ({
      method: 'POST',
      url: '/api/auth/password-reset/confirm',
      payload: { token: 'x', password: PASSWORD },
    }),
  ),
  'POST /api/auth/link-sign-in': publicRoute(
    "the secret token is the key: it signs in its own learner, to its own organisation's Today",
    () => ({ method: 'POST', url: '/api/auth/link-sign-in', payload: { token: 'x' } }),
  ),
  'GET /api/unsubscribe/:payload.:signature': publicRoute(
    "the signed link is the key: it shows its own person's mail choice for its kind",
    () => ({ method: 'GET', url: '/api/unsubscribe/e30.x' }),
  ),
  'POST /api/unsubscribe/:payload.:signature': publicRoute(
    "the signed link is the key: it turns off its own person's mail for its kind, no one else's",
    () => ({ method: 'POST', url: '/api/unsubscribe/e30.x' }),
  ),
  'GET /api/schemas/module-package.json': publicRoute(
    'the JSON Schema of module files, static',
    get('/api/schemas/module-package.json'),
  ),
  'GET /api/docs': publicRoute(docs, get('/api/docs')),
  'GET /api/docs/': publicRoute(docs, get('/api/docs/')),
  'GET /api/docs/json': publicRoute(docs, get('/api/docs/json')),
  'GET /api/docs/yaml': publicRoute(docs, get('/api/docs/yaml')),
  'GET /api/docs/*': publicRoute(docs),
  'GET /api/docs/static/index.html': publicRoute(docs, get('/api/docs/static/index.html')),
  'GET /api/docs/static/swagger-initializer.js': publicRoute(
    docs,
    get('/api/docs/static/swagger-initializer.js'),
  ),
  'GET /index.html': publicRoute('the web app shell, the same for everyone', get('/index.html')),
};
