import { buildApp } from '../../server/app';
import type { Harness } from './harness';

/** The real app on the harness's database plus one route that fails unexpectedly. */
export async function withFailingRoute(h: Harness) {
  const app = await buildApp({ config: h.config, db: h.db, clock: h.clock });
  app.get('/api/boom', { config: { public: true } }, async () => {
    throw new Error('secret detail: password=hunter2 at /srv/app.ts:12');
  });
  await app.ready();
  return app;
}
