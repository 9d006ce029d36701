import type { FastifyInstance } from 'fastify';
import { setupBodySchema, setupResultSchema, setupStatusSchema } from '../../shared/auth';
import type { Config } from '../config';
import { errorResponses, typed } from '../lib/http';
import { setSessionCookie } from '../plugins/auth';
import type { SetupService } from './service';

export async function setupRoutes(
  app: FastifyInstance,
  { setup, config }: { setup: SetupService; config: Config },
) {
  const r = typed(app);

  r.get(
    '/api/setup',
    {
      config: { public: true },
      schema: {
        tags: ['setup'],
        summary: 'Whether this instance still needs its first organisation',
        response: { 200: setupStatusSchema },
      },
    },
    async () => ({ needed: await setup.needed() }),
  );

  r.post(
    '/api/setup',
    {
      config: { public: true, rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags: ['setup'],
        summary: 'Create the first organisation and its admin (first run only)',
        body: setupBodySchema,
        response: { 201: setupResultSchema, ...errorResponses(400, 403, 409, 429) },
      },
    },
    async (request, reply) => {
      const { token, orgId, userId } = await setup.run(request.body);
      setSessionCookie(reply, token, config);
      return reply.code(201).send({ orgId, userId });
    },
  );
}
