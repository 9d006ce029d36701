import { EventEmitter } from 'node:events';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import type { InvalidationBus } from '../../server/auth/principal-cache';
import { createHarness, json } from '../helpers/harness';

const h = await createHarness();

/** Links instances in one process the way PostgreSQL NOTIFY links them across processes. */
function memoryBus(): InvalidationBus & { reconnect(): void } {
  const emitter = new EventEmitter();
  return {
    publish: async (m) => void emitter.emit('m', m),
    subscribe: async (fn, onListening) => {
      emitter.on('m', fn);
      emitter.on('listening', onListening);
      onListening();
    },
    /** As after a lost connection: what was sent meanwhile is gone; subscribers listen again. */
    reconnect: () => void emitter.emit('listening'),
  };
}

async function instance(bus?: InvalidationBus): Promise<FastifyInstance> {
  const app = await buildApp({ config: h.config, db: h.db, clock: h.clock, bus });
  await app.ready();
  return app;
}

const me = (app: FastifyInstance, token: string) =>
  app.inject({ method: 'GET', url: '/api/me', cookies: { rappel_session: token } });

/** Polls until `check` passes: NOTIFY arrives asynchronously. */
async function eventually(check: () => Promise<void>, ms = 3000) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > end) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

describe('several API instances on one database', () => {
  it('a change made through one instance reaches the sessions cached by another at once', async () => {
    const bus = h.handle.bus ?? memoryBus();
    const one = await instance(bus);
    const two = await instance(bus);
    const { a } = h.world;
    const person = await h.addUser(a.id, ['learner']);
    const adminToken = a.users.admin.token!;

    expect(json(await me(two, person.token!)).memberships[0].roles).toEqual(['learner']); // now cached by two
    const patched = await one.inject({
      method: 'PATCH',
      url: `/api/orgs/${a.id}/members/${person.id}`,
      payload: { roles: ['learner', 'manager'] },
      cookies: { rappel_session: adminToken },
    });
    expect(patched.statusCode).toBe(200);
    await eventually(async () => {
      expect(json(await me(two, person.token!)).memberships[0].roles).toEqual([
        'learner',
        'manager',
      ]);
    });

    await one.inject({
      method: 'PATCH',
      url: `/api/orgs/${a.id}/members/${person.id}`,
      payload: { active: false },
      cookies: { rappel_session: adminToken },
    });
    await eventually(async () => expect((await me(two, person.token!)).statusCode).toBe(401));

    // Logging out through one instance ends the session on the other.
    const other = await h.addUser(a.id, ['learner']);
    expect((await me(two, other.token!)).statusCode).toBe(200);
    await one.inject({
      method: 'POST',
      url: '/api/auth/logout',
      cookies: { rappel_session: other.token! },
    });
    await eventually(async () => expect((await me(two, other.token!)).statusCode).toBe(401));
    await one.close();
    await two.close();
  });

  it('after the bus reconnects, nothing cached before is served: messages may have been lost', async () => {
    const bus = memoryBus();
    const lonely = await instance(); // on no bus: its changes reach nobody, as during an outage
    const two = await instance(bus);
    const { a } = h.world;
    const person = await h.addUser(a.id, ['learner']);
    expect(json(await me(two, person.token!)).memberships[0].roles).toEqual(['learner']);
    const patched = await lonely.inject({
      method: 'PATCH',
      url: `/api/orgs/${a.id}/members/${person.id}`,
      payload: { roles: ['learner', 'manager'] },
      cookies: { rappel_session: a.users.admin.token! },
    });
    expect(patched.statusCode).toBe(200);
    expect(json(await me(two, person.token!)).memberships[0].roles).toEqual(['learner']);
    bus.reconnect();
    expect(json(await me(two, person.token!)).memberships[0].roles).toEqual(['learner', 'manager']);
    await lonely.close();
    await two.close();
  });

  it('without any message, a cached principal lives no longer than its time-to-live', async () => {
    const one = await instance();
    const two = await instance();
    const { a } = h.world;
    const person = await h.addUser(a.id, ['learner']);
    expect((await me(two, person.token!)).statusCode).toBe(200);
    await one.inject({
      method: 'PATCH',
      url: `/api/orgs/${a.id}/members/${person.id}`,
      payload: { active: false },
      cookies: { rappel_session: a.users.admin.token! },
    });
    // Instance two has heard nothing: it serves the cached session until the TTL runs out…
    h.clock.advance(h.config.principalCacheTtlMs - 1);
    expect((await me(two, person.token!)).statusCode).toBe(200);
    h.clock.advance(1);
    // …and not a moment longer.
    expect((await me(two, person.token!)).statusCode).toBe(401);
    await one.close();
    await two.close();
  });
});
