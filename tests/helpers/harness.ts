import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, expect } from 'vitest';
import type { Role } from '../../shared/common';
import { buildApp } from '../../server/app';
import { createPasswordHasher } from '../../server/auth/passwords';
import * as authRepo from '../../server/auth/repository';
import { defaultPolicies, type Config } from '../../server/config';
import type { Database, DbHandle } from '../../server/db/client';
import { hashToken, newToken } from '../../server/lib/tokens';
import * as orgRepo from '../../server/orgs/repository';
import { createScheduler } from '../../server/srs/fsrs';
import * as structureRepo from '../../server/structure/repository';
import { TestClock } from './clock';
import { createTestDb } from './db';

export const ALL_ROLES: Role[] = ['learner', 'trainer', 'manager', 'referent', 'admin'];
/** Everyone but learners. */
export const STAFF: Role[] = ['admin', 'trainer', 'manager', 'referent'];
/** Those who author training content. */
export const AUTHORS: Role[] = ['admin', 'trainer'];
export const PASSWORD = 'a long test password';

/** Fast argon2 for tests: the algorithm is the same, only the cost is lower. */
const testArgon2 = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    dataDir: '/nonexistent',
    databaseUrl: undefined,
    publicUrl: undefined,
    logLevel: 'silent',
    webDir: path.resolve(import.meta.dirname, '../fixtures/web'),
    ...defaultPolicies,
    argon2: testArgon2,
    ...overrides,
  };
}

export type Req = Omit<InjectOptions, 'cookies'> & {
  method: NonNullable<InjectOptions['method']>;
  url: string;
};

/** Someone who calls the API: signed in with a session cookie, or anonymous. */
export class Caller {
  constructor(
    private readonly app: FastifyInstance,
    public token?: string,
  ) {}

  inject(req: Req): Promise<LightMyRequestResponse> {
    const headers = { ...(req.headers ?? {}) };
    if (this.token) headers.cookie = `rappel_session=${this.token}`;
    return this.app.inject({ ...req, headers } as InjectOptions);
  }
}

export interface UserFixture extends Caller {
  id: string;
  email: string;
  name: string;
  roles: Role[];
}

export interface OrgFixture {
  id: string;
  name: string;
  /** One member per role, each with a live session. */
  users: Record<Role, UserFixture>;
  team: { id: string; name: string };
  jobRole: { id: string; name: string };
}

export interface Harness {
  app: FastifyInstance;
  db: Database;
  handle: DbHandle;
  clock: TestClock;
  config: Config;
  anon: Caller;
  /** Two organisations, `a` and `b`, with one user per role each. */
  world: { a: OrgFixture; b: OrgFixture };
  /** A new user with a session, a member of `orgId` with `roles` (none: no membership). */
  addUser(orgId: string | null, roles: Role[], name?: string): Promise<UserFixture>;
  /** A session for an existing user. */
  signIn(userId: string): Promise<string>;
  close(): Promise<void>;
}

let counter = 0;

/** What creating users needs: the app their callers talk to, the database, clock and config. */
export interface UserMakerDeps {
  app: FastifyInstance;
  db: Database;
  clock: { now(): Date };
  config: Config;
  passwordHash: string;
}

/**
 * Users written through the repositories, each signed in with a session that lasts the
 * configured absolute time-out from the clock's now; `prefix` names them (`user3@example.test`,
 * `User 3`).
 */
export function userMaker({ app, db, clock, config, passwordHash }: UserMakerDeps, prefix: string) {
  async function signIn(userId: string) {
    const token = newToken();
    const now = clock.now();
    await authRepo.insertSession(db, {
      tokenHash: hashToken(token),
      userId,
      now,
      expiresAt: new Date(now.getTime() + config.session.absoluteMs),
    });
    return token;
  }

  async function addUser(orgId: string | null, roles: Role[], name?: string): Promise<UserFixture> {
    const n = ++counter;
    const email = `${prefix}${n}@example.test`;
    const user = await authRepo.insertUser(db, {
      email,
      name: name ?? `${prefix[0]!.toUpperCase()}${prefix.slice(1)} ${n}`,
      locale: 'en',
      passwordHash,
      now: clock.now(),
    });
    if (orgId)
      await orgRepo.insertMembership(db, { orgId, userId: user.id, roles, now: clock.now() });
    const caller = new Caller(app, await signIn(user.id));
    return Object.assign(caller, { id: user.id, email, name: user.name, roles });
  }

  return { signIn, addUser };
}

/**
 * The shared API test harness: a fresh database, the real app, and a small world of two
 * organisations. Closed automatically after the test file.
 */
export async function createHarness(
  options: { config?: Partial<Config>; seed?: boolean } = {},
): Promise<Harness> {
  const handle = await createTestDb();
  const clock = new TestClock();
  const config = testConfig(options.config);
  const hasher = createPasswordHasher(config.argon2);
  // Fixed dates and no fuzz: due dates in tests are exact (STYLE.md, ts-fsrs anchor).
  const scheduler = createScheduler({ fuzz: false });
  const app = await buildApp({ config, db: handle.db, clock, hasher, scheduler });
  await app.ready();
  const db = handle.db;
  const passwordHash = await hasher.hash(PASSWORD);

  const { signIn, addUser } = userMaker({ app, db, clock, config, passwordHash }, 'user');

  async function seedOrg(name: string): Promise<OrgFixture> {
    const org = await orgRepo.insertOrg(db, name, clock.now());
    const team = await structureRepo.insertItem(db, 'team', org.id, 'Sales', clock.now());
    const jobRole = await structureRepo.insertItem(db, 'jobRole', org.id, 'Sales rep', clock.now());
    const users = {} as Record<Role, UserFixture>;
    for (const role of ALL_ROLES) users[role] = await addUser(org.id, [role], `${name} ${role}`);
    return { id: org.id, name, users, team, jobRole };
  }

  const world =
    options.seed === false
      ? ({} as Harness['world'])
      : { a: await seedOrg('Org A'), b: await seedOrg('Org B') };

  // Registered from inside a test (a second harness), afterAll does not run: such a test
  // closes its harness itself, which must then also be safe to close twice.
  let closing: Promise<void> | undefined;
  const harness: Harness = {
    app,
    db,
    handle,
    clock,
    config,
    anon: new Caller(app),
    world,
    addUser,
    signIn,
    close() {
      closing ??= app.close().then(() => handle.close());
      return closing;
    },
  };
  afterAll(() => harness.close());
  return harness;
}

/** Parses a JSON response body; tests read it loosely and assert its shape themselves. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function json<T = any>(res: LightMyRequestResponse): T {
  return res.json() as T;
}

/** Asserts the one error shape, with the given status and code. */
export function expectError(res: LightMyRequestResponse, status: number, code?: string) {
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json();
  expect(body).toEqual({
    error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }),
  });
  if (code) expect(body.error.code).toBe(code);
  expect(res.body).not.toMatch(/at .*\.ts:\d+|stack/i);
  return body.error as {
    code: string;
    message: string;
    issues?: { path: (string | number)[]; message: string }[];
  };
}

/** The issue paths of an error body, dotted (`body.rules.1.personaId`). */
export function issuePaths(err: { issues?: { path: (string | number)[] }[] }) {
  return (err.issues ?? []).map((i) => i.path.join('.'));
}

export interface RouteCheck {
  /**
   * Builds the request against `org` (the organisation in the path). `owner` is the
   * organisation whose objects the request names: the same one, or another for the 404 check.
   * Called once per check, so a request that consumes its object can create a fresh one.
   */
  request: (org: OrgFixture, owner: OrgFixture) => Req | Promise<Req>;
  /** Roles that may call the route (403 for the others). */
  allow: Role[];
  /** The success status. */
  status: number;
  /** The path names an object (team, member…): naming one of another organisation gives 404. */
  objectInPath?: boolean;
  /** The same request with an invalid body or query, when the route takes input. */
  badInput?: (org: OrgFixture) => Req | Promise<Req>;
}

/**
 * The access matrix every tenant route must pass: success for each allowed role, 403 for the
 * others, 401 without a session, 404 for another organisation (its path or its objects), and 400
 * with the error shape for bad input.
 */
export async function checkRoute(h: Harness, check: RouteCheck) {
  const { a, b } = h.world;
  for (const role of ALL_ROLES) {
    const res = await a.users[role].inject(await check.request(a, a));
    if (check.allow.includes(role)) {
      expect(res.statusCode, `${role}: ${res.body}`).toBe(check.status);
    } else {
      expectError(res, 403, 'FORBIDDEN');
    }
  }
  expectError(await h.anon.inject(await check.request(a, a)), 401, 'UNAUTHENTICATED');
  const outsider = b.users.admin;
  expectError(await outsider.inject(await check.request(a, a)), 404, 'NOT_FOUND');
  const allowedInA = a.users[check.allow[0]!];
  if (check.objectInPath) {
    // Organisation A's path naming an object of organisation B.
    expectError(await allowedInA.inject(await check.request(a, b)), 404, 'NOT_FOUND');
  }
  if (check.badInput) {
    const err = expectError(
      await allowedInA.inject(await check.badInput(a)),
      400,
      'VALIDATION_FAILED',
    );
    expect(err.issues?.length ?? 0).toBeGreaterThan(0);
  }
}
