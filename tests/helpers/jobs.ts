import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { vi } from 'vitest';
import { every, type JobLocks } from '../../server/lib/jobs';

/**
 * Starts the job `name` at the same moment on one app per entry of `instances` (each with its
 * own locks, as separate processes would have), holds every run until all instances have either
 * started it or logged it skipped, then closes the apps. Answers how many runs started, and how
 * many were skipped.
 */
export async function runEverywhereAtOnce(name: string, instances: JobLocks[]) {
  let runs = 0;
  let skipped = 0;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const log = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        if ((JSON.parse(line) as { msg?: string }).msg?.includes('skipped')) skipped += 1;
      }
      done();
    },
  });
  const apps = instances.map((locks) => {
    const app = Fastify({ logger: { level: 'debug', stream: log } });
    every(app, {
      name,
      everyMs: 60 * 60 * 1000,
      locks,
      run: async () => {
        runs += 1;
        await gate;
      },
    });
    return app;
  });
  try {
    await Promise.all(apps.map((app) => app.ready()));
    await vi.waitFor(() => {
      if (runs + skipped < instances.length) throw new Error('not every instance has tried yet');
    });
  } finally {
    release();
    await Promise.all(apps.map((app) => app.close()));
  }
  return { runs, skipped };
}
