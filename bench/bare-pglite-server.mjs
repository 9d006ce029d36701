// The least a restart on existing data must do, the yardstick of bench/startup.ts: open the
// same PGlite directory (DATA_DIR/pglite), run one query, answer GET /api/health from a bare
// Fastify instance. Plain JavaScript, started by plain `node`: nothing to compile.
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import Fastify from 'fastify';

const db = await PGlite.create(path.join(process.env.DATA_DIR, 'pglite'));
const app = Fastify({ logger: false });
app.get('/api/health', async () => {
  const { rows } = await db.query('select 1 as ok');
  return { status: rows[0].ok === 1 ? 'ok' : 'down' };
});

const shutdown = () =>
  void app
    .close()
    .then(() => db.close())
    .then(() => process.exit(0));
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

await db.query('select 1');
await app.listen({ port: Number(process.env.PORT), host: process.env.HOST ?? '127.0.0.1' });
