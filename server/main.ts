import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './app';
import { ConfigError, loadConfig } from './config';
import { openPglite, openPostgres, type DbHandle } from './db/client';
import { DataDirLockedError } from './db/dir-lock';
import { isDatabaseUnavailable } from './lib/errors';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The one place that listens, handles signals and closes the database. */
async function main() {
  const config = loadConfig(process.env, root);
  const handle: DbHandle = config.databaseUrl
    ? openPostgres(config.databaseUrl)
    : await openPglite(config.dataDir);
  let closing = false;
  try {
    await handle.migrate();
  } catch (err) {
    await handle.close();
    throw err;
  }
  const app = await buildApp({ config, db: handle.db, jobs: true, bus: handle.bus });

  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    // Within `docker stop`'s 10 s before its SIGKILL: a close that hangs ends like a crash,
    // which the database survives, rather than like a process that never stops.
    setTimeout(() => process.exit(1), 8000).unref();
    try {
      await app.close();
    } finally {
      await handle.close();
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // postgres.js can leave a rejected promise nobody awaits when a connection dies while it is
  // still being set up; the next query reconnects, so that one is logged, not fatal. Any other
  // stray rejection is a bug and still ends the process (Node's default).
  process.on('unhandledRejection', (reason) => {
    if (!isDatabaseUnavailable(reason)) throw reason;
    app.log.warn({ err: reason }, 'database connection lost outside a request');
  });

  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await handle.close();
    throw err;
  }
  const where = config.databaseUrl
    ? 'PostgreSQL (DATABASE_URL)'
    : `embedded PGlite in ${config.dataDir}`;
  app.log.info(
    `Rappel is running at http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port} on ${where}`,
  );
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DataDirLockedError) {
    console.error(err.message);
  } else {
    console.error('Rappel could not start:', err);
  }
  process.exit(1);
});
