import { randomUUID } from 'node:crypto';
import type { OrgWorld } from './isolation-world';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `world` with every id replaced by one that never existed (the same replacement for the same
 * id), and fresh objects that are only new ids: B's ids must answer exactly as these do.
 */
export function ghostOf(world: OrgWorld): OrgWorld {
  const ids = new Map<string, string>();
  const swap = (value: unknown): unknown => {
    if (typeof value === 'string' && UUID.test(value)) {
      if (!ids.has(value)) ids.set(value, randomUUID());
      return ids.get(value);
    }
    if (Array.isArray(value)) return value.map(swap);
    if (value && typeof value === 'object' && value.constructor === Object)
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, swap(v)]));
    return value;
  };
  const newId = async () => ({ id: randomUUID(), userId: randomUUID(), token: randomUUID() });
  const fresh = new Proxy({} as OrgWorld['fresh'], { get: () => newId });
  const data = Object.fromEntries(
    Object.entries(world)
      .filter(([key]) => key !== 'fresh' && key !== 'users')
      .map(([key, value]) => [key, typeof value === 'function' ? value : swap(value)]),
  );
  const learner = { id: swap(world.learner.id) };
  return { ...world, ...data, learner, fresh } as OrgWorld;
}
