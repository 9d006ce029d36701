import path from 'node:path';
import { acquireDirLock, type DirLock } from './dir-lock';
import { PgliteWorkerClient } from './pglite-worker-client';

export interface StartedPglite {
  client: PgliteWorkerClient;
  lock: DirLock;
}

/**
 * Takes the data directory's lock, then starts PGlite in its own thread on `dataDir/pglite`.
 * This part of opening the embedded database needs none of the app's modules (no Drizzle, no
 * schema), so the entry point begins it first and PGlite's second of start-up overlaps with
 * loading the rest (server/main.ts).
 */
export async function startPglite(dataDir: string): Promise<StartedPglite> {
  const lock = await acquireDirLock(dataDir);
  try {
    return { client: await PgliteWorkerClient.create(path.join(dataDir, 'pglite')), lock };
  } catch (err) {
    await lock.release();
    throw err;
  }
}
