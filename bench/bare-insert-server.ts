/**
 * The yardstick for bench/reviews.ts: a plain Fastify instance (no plugins, logger off) with one
 * route that parses a small JSON body and does one INSERT in a transaction, through the same
 * database client as the app: PostgreSQL when DATABASE_URL is set (the app's database, its own
 * table), else PGlite in DATA_DIR (PGlite admits one process per directory, so not the app's).
 */
import { sql } from 'drizzle-orm';
import Fastify from 'fastify';
import { openPglite, openPostgres } from '../server/db/client';

const url = process.env.DATABASE_URL;
const handle = url ? openPostgres(url) : await openPglite(process.env.DATA_DIR);
await handle.db.execute(
  sql`create table if not exists bench_bare_inserts (id uuid primary key, body jsonb not null, created_at timestamptz not null default now())`,
);

const app = Fastify({ logger: false });
app.post('/bare', async (request) => {
  const body = request.body as { id: string };
  await handle.db.transaction(async (tx) => {
    await tx.execute(
      sql`insert into bench_bare_inserts (id, body) values (${body.id}, ${JSON.stringify(body)}::jsonb)`,
    );
  });
  return { id: body.id };
});
app.get('/health', async () => ({ status: 'ok' }));

const shutdown = () =>
  void app
    .close()
    .then(() => handle.close())
    .then(() => process.exit(0));
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

await app.listen({ port: Number(process.env.PORT), host: process.env.HOST ?? '127.0.0.1' });
