import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { unsubscribeParamsSchema, unsubscribeStateSchema } from '../../shared/notify';
import { errorResponses, typed } from '../lib/http';
import type { NotificationService } from './inbox';

const tags = ['notifications'];
/** What RFC 8058 says a one-click POST carries, and all this route reads of a form. */
const ONE_CLICK = 'List-Unsubscribe=One-Click';
const FORM_MAX_BYTES = 1024;
/**
 * `/api/unsubscribe/<token>`, the token (`<payload>.<signature>`, about 125 characters) in its
 * two parts: the router refuses a single `:param` over 100 characters (414 everywhere else).
 */
const UNSUBSCRIBE_PATH = '/api/unsubscribe/:payload.:signature';
const tokenOf = (p: { payload: string; signature: string }) => `${p.payload}.${p.signature}`;

/**
 * One-click unsubscribe from a mail's signed link: no sign-in, the token names the person and
 * the kind. A mail client's one-click POST (RFC 8058) is a form body; the web page's is empty
 * or JSON.
 */
export async function unsubscribeRoutes(
  app: FastifyInstance,
  { notifications }: { notifications: NotificationService },
) {
  // Registered in this plugin's scope only: everywhere else the API takes JSON alone.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: FORM_MAX_BYTES },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body.toString())));
    },
  );
  // RFC 8058 allows the same key/value as multipart/form-data; the link alone decides, so its
  // parts are not read.
  app.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'string', bodyLimit: FORM_MAX_BYTES },
    (_request, _body, done) => done(null, {}),
  );
  const r = typed(app);

  r.get(
    UNSUBSCRIBE_PATH,
    {
      config: { public: true },
      schema: {
        tags,
        summary:
          'What an unsubscribe link stops, and whether that mail is still on (404 for a forged link)',
        params: unsubscribeParamsSchema,
        response: { 200: unsubscribeStateSchema, 303: z.null(), ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      // Someone who followed the mail's link in a browser gets the page with its button: a GET
      // never unsubscribes (mail scanners follow links too).
      if (request.headers.accept?.includes('text/html')) {
        return reply.redirect(`/unsubscribe/${encodeURIComponent(tokenOf(request.params))}`, 303);
      }
      return notifications.unsubscribeState(tokenOf(request.params));
    },
  );

  r.post(
    UNSUBSCRIBE_PATH,
    {
      // The token is the authority, not a session: a mail provider posts from anywhere.
      config: { public: true, anyOrigin: true },
      schema: {
        tags,
        summary:
          "Stop this kind of mail for the link's person (RFC 8058 one-click: form body " +
          `\`${ONE_CLICK}\`, or empty/JSON); other channels stay`,
        params: unsubscribeParamsSchema,
        // Whatever else a form or JSON body says is ignored: the link alone decides.
        body: z.object({}).nullish(),
        response: { 200: unsubscribeStateSchema, ...errorResponses(400, 404) },
      },
    },
    async (request) => notifications.unsubscribe(tokenOf(request.params)),
  );
}
