import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { healthSchema } from '../../shared/auth';
import type { Database } from '../db/client';
import { AppError } from '../lib/errors';
import { errorResponses, typed } from '../lib/http';

export async function healthRoutes(app: FastifyInstance, { db }: { db: Database }) {
  typed(app).get(
    '/api/health',
    {
      // Probes give up after a few seconds: say 503 before they do.
      config: { public: true, deadlineMs: 3000 },
      schema: {
        tags: ['health'],
        summary: 'Up when the database answers',
        response: { 200: healthSchema, ...errorResponses(503) },
      },
    },
    async (request) => {
      try {
        await db.execute(sql`select 1`);
      } catch (err) {
        request.log.error({ err }, 'database does not answer');
        throw new AppError('UNAVAILABLE', 503, 'The database does not answer.');
      }
      return { status: 'ok' as const };
    },
  );
}
