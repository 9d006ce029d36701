import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from './config';
import type { DbHandle } from './db/client';
import { DataDirLockedError } from './db/dir-lock';
import { startPglite } from './db/pglite-start';
import { isDatabaseUnavailable } from './lib/errors';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The one place that listens, handles signals and closes the database. */
async function main() {
  const config = loadConfig(process.env, root);
  // PGlite's thread starts first, and the database migrates while this thread loads the app's
  // modules: a restart waits for the longer of the two, not for both.
  const started = config.databaseUrl ? undefined : startPglite(config.dataDir);
  // Awaited below; this only keeps a failure from counting as unhandled meanwhile.
  started?.catch(() => {});
  const opening = (async () => {
    const { openPglite, openPostgres } = await import('./db/client');
    const handle: DbHandle = config.databaseUrl
      ? openPostgres(config.databaseUrl)
      : await openPglite(config.dataDir, started);
    try {
      await handle.migrate();
    } catch (err) {
      await handle.close();
      throw err;
    }
    return handle;
  })();
  const loading = import('./app');
  const [opened, loaded] = await Promise.allSettled([opening, loading]);
  if (opened.status === 'rejected') throw opened.reason;
  const handle = opened.value;
  if (loaded.status === 'rejected') {
    await handle.close();
    throw loaded.reason;
  }
  const { buildApp } = loaded.value;
  let closing = false;
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
