import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness';
import { IsolationRun } from '../helpers/isolation-check';
import { ghostOf } from '../helpers/isolation-ghost';
import { buildIsolationWorld, newSentinel } from '../helpers/isolation-world';
import { openApiRoutes, routerRoutes } from '../helpers/route-registry';
import { contentCases } from './content-cases';
import { learnerCases } from './learner-cases';
import { peopleCases } from './people-cases';
import { accountCases } from './public-cases';

/**
 * Tenant and role isolation over every route the app registers: each route, called by each role
 * of organisation A with B's ids, by B's members in A's path and by A's members in B's path,
 * answers 404 (403 for a role the route refuses), never B's object; no answer of the run shows
 * B's sentinel. A route without a case here fails the suite, so new routes must join it.
 */
const cases = { ...contentCases, ...peopleCases, ...learnerCases, ...accountCases };
const sentinel = newSentinel();

let h: Harness;
let world: Awaited<ReturnType<typeof buildIsolationWorld>>;
let run: IsolationRun;
let registered: string[] = [];

beforeAll(async () => {
  h = await createHarness();
  world = await buildIsolationWorld(h, sentinel);
  run = new IsolationRun(h, world.a, world.b, ghostOf(world.b), sentinel);
  const documented = await openApiRoutes(h.app);
  const routed = routerRoutes(h.app);
  // HEAD is answered by the GET handler of the same path.
  const own = routed.filter((r) => !r.startsWith('HEAD ') || !routed.includes(`GET ${r.slice(5)}`));
  registered = [...new Set([...documented, ...own])].sort();
  expect(
    documented.filter((r) => !routed.includes(r)),
    'documented but not routed',
  ).toEqual([]);
}, 180_000);

afterAll(() => {
  const covered = registered.filter((r) => r in cases).length;
  console.log(
    `isolation: ${covered} routes covered / ${registered.length} registered, ` +
      `${run?.requests ?? 0} requests, ${run?.leaks.length ?? 0} leaks`,
  );
});

describe('the registry of routes', () => {
  it('has an isolation case for every registered route', () => {
    expect(registered.length).toBeGreaterThan(50);
    expect(registered.filter((r) => !(r in cases))).toEqual([]);
  });

  it('has no case for a route that no longer exists', () => {
    expect(Object.keys(cases).filter((r) => !registered.includes(r))).toEqual([]);
  });
});

describe('every route keeps organisation B out of A', () => {
  for (const [route, c] of Object.entries(cases)) {
    it(
      route,
      async () => {
        expect(await run.check(route, c)).toEqual([]);
      },
      60_000,
    );
  }

  it("leaves B's objects in place and never shows B's sentinel", async () => {
    const gone = [];
    for (const { req, id } of world.survivors) {
      const res = await world.b.users.admin.inject(req);
      if (res.statusCode !== 200 || !res.body.includes(id))
        gone.push(`${req.url}: ${res.statusCode}`);
    }
    expect({ gone, leaks: run.leaks }).toEqual({ gone: [], leaks: [] });
  });
});
