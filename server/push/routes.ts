import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  pushPublicKeySchema,
  pushSubscriptionBodySchema,
  pushSubscriptionSchema,
  pushUnsubscribeBodySchema,
} from '../../shared/push';
import { errorResponses, signedIn, typed } from '../lib/http';
import { currentUser } from '../plugins/auth';
import type { PushService } from './service';

const tags = ['push'];

/** A signed-in person's own devices: any role, in no organisation in particular. */
export async function pushRoutes(app: FastifyInstance, { push }: { push: PushService }) {
  const r = typed(app);

  r.get(
    '/api/push/public-key',
    {
      schema: {
        tags,
        summary: "The install's VAPID public key, for `pushManager.subscribe`",
        response: { 200: pushPublicKeySchema, ...errorResponses(401) },
      },
    },
    async () => push.publicKey(),
  );

  r.post(
    '/api/me/push-subscriptions',
    {
      schema: {
        tags,
        summary:
          "Notify the caller on this device (the browser's push subscription); an endpoint " +
          'registered before by someone else on the same browser becomes the caller’s',
        body: pushSubscriptionBodySchema,
        response: { 201: pushSubscriptionSchema, ...signedIn },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const info = await push.subscribe(user.id, request.body, request.headers['user-agent']);
      return reply.code(201).send(info);
    },
  );

  r.delete(
    '/api/me/push-subscriptions',
    {
      schema: {
        tags,
        summary:
          'Stop notifying the caller on this device; an endpoint that is not theirs (or no ' +
          'longer exists) is left as it is',
        body: pushUnsubscribeBodySchema,
        response: { 204: z.null(), ...signedIn },
      },
    },
    async (request, reply) => {
      await push.unsubscribe(currentUser(request).id, request.body.endpoint);
      return reply.code(204).send(null);
    },
  );
}
