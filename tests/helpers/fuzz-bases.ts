import fc from 'fast-check';
import { expect } from 'vitest';
import { accountLinkBases } from './account-links';
import type { ValidParts } from './fuzz-requests';
import { Caller, type Harness, json, PASSWORD, type Req } from './harness';
import { uniquePng } from './images';
import { learningFixtures, sampleSingle } from './learning';
import { sampleBlocks, sampleCards } from './modules';
import { deviceSubscription } from './push-service';

export type CallerName = 'admin' | 'learner' | 'anonymous';

/**
 * A valid request for an operation whose valid input the schema cannot describe (a real
 * password, a link's token, every id of a list, the option a card has…): path parameters, and
 * the bodies. A body is an arbitrary so that what must be new for each request (an answer's id)
 * is.
 */
export interface Base {
  params?: Record<string, string>;
  json: fc.Arbitrary<unknown>;
}

/** Builds the base of one operation for one caller, when its turn comes (ids may have moved). */
export type BaseBuilder = (caller: CallerName) => Promise<Base>;

/** The operation's key in the table: method and path template. */
export const routeOf = (op: { method: string; path: string }) => `${op.method} ${op.path}`;

/**
 * The operations generated input cannot reach, with a valid request for each. Makes what they
 * need in organisation A: a published module of two lessons (the first with every kind of
 * block, a short-answer and a single-choice card), assigned to the admin and the learner, the
 * learner's short-answer card due, and a learner who signs in anonymously. `toolId`: a tool of A
 * (a second set of fixtures would name its first tool as the world's).
 */
export async function fuzzBases(h: Harness, toolId: string): Promise<Record<string, BaseBuilder>> {
  const a = h.world.a;
  const admin = a.users.admin;
  const l = learningFixtures(h);
  const org = `/api/orgs/${a.id}`;
  // A real image: import checks the bytes of the file's images.
  const upload = await admin.inject({
    method: 'POST',
    url: `${org}/assets`,
    headers: { 'content-type': 'image/png' },
    payload: uniquePng(),
  });
  expect(upload.statusCode, upload.body).toBe(201);
  const asset = json(upload);
  const module = await l.publishedModule(a, { toolId }, [
    { blocks: sampleBlocks(asset.id), cards: [sampleCards.short, sampleSingle] },
    { cards: [sampleCards.truefalse] },
  ]);
  await l.assign(a, module.id, [admin.id, a.users.learner.id]);
  const [lesson] = module.lessons;
  const [shortId, singleId] = lesson!.cardIds;
  await l.remember(a, a.users.learner.id, shortId!, { stability: 2, daysAgo: 3 });
  const signingIn = await l.learner(a, 'Fuzz sign-in');
  const emails = { admin: admin.email, learner: a.users.learner.email, anonymous: signingIn.email };
  // A session of its own for each call: by their turn, the fixture's may have been ended (a
  // password change ends them all).
  const asAdmin = async (req: Req) => new Caller(h.app, await h.signIn(admin.id)).inject(req);
  const get = async (url: string) => {
    const res = await asAdmin({ method: 'GET', url: `${org}${url}` });
    expect(res.statusCode, res.body).toBe(200);
    return json(res);
  };
  const ids = (items: { id: string }[]) => items.map((i) => i.id).reverse();
  const constant = (body: unknown): Base => ({ json: fc.constant(body) });

  return {
    ...(await accountLinkBases(h)),
    'POST /api/setup': async () =>
      constant({
        organisation: { name: 'Fuzz organisation' },
        admin: { name: 'Fuzz owner', email: 'fuzz-owner@example.test', password: PASSWORD },
      }),
    'POST /api/auth/login': async (caller) =>
      constant({ email: emails[caller], password: PASSWORD }),
    // A link of its own for each caller: an accepted link is used up.
    'POST /api/invitations/{token}/accept': async (caller) => {
      const res = await asAdmin({
        method: 'POST',
        url: `${org}/invitations`,
        payload: { email: `fuzz-accept-${caller}@example.test` },
      });
      expect(res.statusCode, res.body).toBe(201);
      const token = new URL(json(res).link).pathname.split('/').at(-1)!;
      return { params: { token }, ...constant({ name: 'Fuzz invitee', password: PASSWORD }) };
    },
    'POST /api/orgs/{orgId}/modules/import': async () =>
      constant(await get(`/modules/${module.id}/export`)),
    'PUT /api/orgs/{orgId}/modules/{moduleId}/lessons/order': async () => ({
      params: { moduleId: module.id },
      ...constant({ ids: ids((await get(`/modules/${module.id}`)).lessons) }),
    }),
    'PUT /api/orgs/{orgId}/lessons/{lessonId}/cards/order': async () => ({
      params: { lessonId: lesson!.id },
      ...constant({ ids: ids((await get(`/lessons/${lesson!.id}`)).cards) }),
    }),
    'POST /api/orgs/{orgId}/me/modules/{moduleId}/placement/check': async () => {
      const { cards } = await get(`/lessons/${lesson!.id}`);
      const single = cards.find((c: { id: string }) => c.id === singleId);
      const right = single.options.find((o: { correct: boolean }) => o.correct);
      return {
        params: { moduleId: module.id },
        ...constant({ cardId: singleId, answer: { kind: 'single', optionId: right.id } }),
      };
    },
    // A country (and region) the holidays library knows, which no schema can say.
    'PUT /api/orgs/{orgId}/calendar': async () =>
      constant({ country: 'FR', region: null, workingWeekdays: [1, 2, 3, 4, 5] }),
    // A browser's subscription: its key must be a point of P-256, which no schema can say.
    'POST /api/me/push-subscriptions': async () => constant(deviceSubscription()),
    // A new answer id for each request: an id already used is the same answer again.
    'POST /api/orgs/{orgId}/reviews': async () => ({
      json: fc.uuid({ version: 4 }).map((id) => ({
        id,
        cardId: shortId,
        answer: { kind: 'short', text: 'Ctrl+S', gotIt: true },
        durationMs: 20_000,
      })),
    }),
  };
}

/** Valid parts with the base's path parameters and body in place of generated ones. */
export function basedPartsArb(
  valid: fc.Arbitrary<ValidParts>,
  base: Base | undefined,
): fc.Arbitrary<ValidParts> {
  if (!base) return valid;
  const params = Object.fromEntries(
    Object.entries(base.params ?? {}).map(([k, v]) => [k, encodeURIComponent(v)]),
  );
  return fc
    .tuple(valid, base.json)
    .map(([parts, body]) => ({ ...parts, params: { ...parts.params, ...params }, json: body }));
}
