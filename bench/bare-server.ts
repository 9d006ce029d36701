/**
 * The yardstick for bench/me-throughput.ts: a plain Fastify instance with one route returning a
 * constant, no plugins, logger off. Started like the app (`node --import tsx`, PORT and HOST).
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/bare', async () => ({ status: 'ok' }));

const shutdown = () => void app.close().then(() => process.exit(0));
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

await app.listen({ port: Number(process.env.PORT), host: process.env.HOST ?? '127.0.0.1' });
