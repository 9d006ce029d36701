import type { LightMyRequestResponse } from 'fastify';
import type { Role } from '../../shared/common';
import { ALL_ROLES, type Caller, type Harness, type Req, type UserFixture } from './harness';
import type { OrgWorld } from './isolation-world';

type Build<Args extends unknown[]> = (...args: Args) => Req | Promise<Req>;

/** Tells how a route is reached and who may call it, for the isolation suite. */
export type IsolationCase =
  | {
      /** The request names objects (in its path, query or body) of `owner`. */
      kind: 'objects';
      allow: readonly Role[];
      request: Build<[org: OrgWorld, owner: OrgWorld]>;
      /** Who makes the control request with A's own objects (default: the first allowed). */
      controlAs?: Role;
      /**
       * Where the ids of `owner` go. In the path another organisation's object is 404; in the
       * body it may instead be 400 (the field names no object of this organisation); in a query
       * filter the answer may be an empty result; `ignored` is for a body id the route skips on
       * purpose (an answer to a card no longer in the module). Wherever they go, B's ids answer
       * exactly as ids that never existed.
       */
      foreignIn: ForeignIn;
    }
  | {
      /** The request names no object but its organisation: a list, a creation, one's own page. */
      kind: 'org';
      allow: readonly Role[];
      request: Build<[org: OrgWorld]>;
      controlAs?: Role;
    }
  | {
      /** Signed in but outside any organisation: the caller's own account. */
      kind: 'account';
      why: string;
      request: Build<[me: UserFixture]>;
      /** The roles it succeeds for, the others being refused (403); every role when absent. */
      allow?: readonly Role[];
      /** The request ends the caller's session (a password change): a new member per call. */
      freshCaller?: boolean;
    }
  | {
      kind: 'public';
      why: string;
      /** A request sent anonymously: answered without a 5xx, and without B's sentinel. */
      probe?: Build<[org: OrgWorld]>;
    };

export type ForeignIn = 'path' | 'body' | 'query' | 'ignored';

/**
 * The suite's table: a case per registered route, or several when the route names objects in
 * its path and in its body (B's ids in the body with A's own object in the path).
 */
export type CaseTable = Record<string, IsolationCase | IsolationCase[]>;

export const objects = (
  allow: readonly Role[],
  request: Build<[org: OrgWorld, owner: OrgWorld]>,
  options: { controlAs?: Role; foreignIn?: ForeignIn } = {},
): IsolationCase => ({ kind: 'objects', allow, request, foreignIn: 'path', ...options });

/** B's ids in the body, the path naming A's own object: the body's ids must not reach B's. */
export const inBody: typeof objects = (allow, request, options) =>
  objects(allow, request, { foreignIn: 'body', ...options });

export const inOrg = (
  allow: readonly Role[],
  request: Build<[org: OrgWorld]>,
  controlAs?: Role,
): IsolationCase => ({ kind: 'org', allow, request, controlAs });

export const publicRoute = (why: string, probe?: Build<[org: OrgWorld]>): IsolationCase => ({
  kind: 'public',
  why,
  probe,
});

/** What an answer must be: a success, or one of these errors (status and code). */
type Outcome = 'success' | [number, string][];
const NOT_FOUND: [number, string] = [404, 'NOT_FOUND'];
const FORBIDDEN: [number, string] = [403, 'FORBIDDEN'];
const INVALID: [number, string] = [400, 'VALIDATION_FAILED'];

/** What each allowed role may get with B's ids, by where they go (an empty query result too). */
const foreignOutcome: Record<ForeignIn, Outcome | 'any'> = {
  path: [NOT_FOUND],
  body: [NOT_FOUND, INVALID],
  query: 'any',
  ignored: 'any',
};

/** An answer with its ids blanked, to compare answers about different objects. */
const shape = (res: LightMyRequestResponse) =>
  `${res.statusCode} ${res.body.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, 'ID')}`;

/**
 * Counts and findings of a run. A leak is B's sentinel in any answer, a success where B's
 * object had to stay out of reach, or B's ids answered otherwise than ids that never existed.
 */
export class IsolationRun {
  requests = 0;
  leaks: string[] = [];

  constructor(
    private readonly h: Harness,
    private readonly a: OrgWorld,
    private readonly b: OrgWorld,
    private readonly ghost: OrgWorld,
    private readonly sentinel: string,
  ) {}

  /** Sends the request; any answer holding B's sentinel is a leak. */
  private async send(route: string, who: string, caller: Caller, req: Req) {
    const res = await caller.inject(req);
    this.requests++;
    const raw = res.rawPayload.toString('latin1').toLowerCase();
    if (raw.includes(this.sentinel.toLowerCase())) {
      this.leaks.push(`${route} as ${who}: ${res.statusCode} shows B's sentinel`);
    }
    return res;
  }

  /** Sends and compares with the expected outcome; returns what differs. */
  private async expect(
    route: string,
    who: string,
    caller: Caller,
    req: Req,
    outcome: Outcome | 'any',
  ): Promise<string[]> {
    const res = await this.send(route, who, caller, req);
    const got = `${res.statusCode} ${res.body.slice(0, 200)}`;
    if (outcome === 'any') {
      const fine = res.statusCode < 400 || hasErrorShape(res);
      return fine && res.statusCode < 500 ? [] : [`${who}: got ${got}`];
    }
    if (outcome === 'success')
      return res.statusCode < 300 ? [] : [`${who}: expected a success, got ${got}`];
    if (res.statusCode < 300) {
      this.leaks.push(`${route} as ${who}: ${res.statusCode} where B's object is out of reach`);
      return [`${who}: expected ${outcome.map(([s]) => s).join(' or ')}, got ${got}`];
    }
    if (outcome.some(([status, code]) => res.statusCode === status && hasErrorShape(res, code)))
      return [];
    return [`${who}: expected ${outcome.map((o) => o.join(' ')).join(' or ')}, got ${got}`];
  }

  /** Runs every check of `route`; returns what went wrong (leaks first), empty when all passed. */
  async check(route: string, cases: IsolationCase | IsolationCase[]): Promise<string[]> {
    const before = this.leaks.length;
    const problems = [];
    for (const c of [cases].flat()) problems.push(...(await this.checkCase(route, c)));
    return [...this.leaks.slice(before), ...problems];
  }

  private async checkCase(route: string, c: IsolationCase): Promise<string[]> {
    const problems: string[] = [];
    const run = async (
      who: string,
      caller: Caller,
      req: Req | Promise<Req>,
      outcome: Outcome | 'any',
    ) => problems.push(...(await this.expect(route, who, caller, await req, outcome)));
    if (c.kind === 'public') {
      if (c.probe) await run('anonymous', this.h.anon, c.probe(this.a), 'any');
    } else if (c.kind === 'account') {
      for (const role of ALL_ROLES) {
        const me = c.freshCaller ? await this.h.addUser(this.a.id, [role]) : this.a.users[role];
        const outcome = !c.allow || c.allow.includes(role) ? 'success' : [FORBIDDEN];
        await run(role, me, c.request(me), outcome);
      }
    } else if (c.kind === 'org') {
      await this.checkOrg(c, run);
    } else {
      await this.checkObjects(c, run);
      problems.push(...(await this.compareWithGhost(route, c)));
    }
    return problems;
  }

  /** Each role in A; B's admin in A's path; A's member in B's path. */
  private async checkOrg(c: Extract<IsolationCase, { kind: 'org' }>, run: Run) {
    const { a, b } = this;
    const controlAs = c.controlAs ?? c.allow[0]!;
    for (const role of ALL_ROLES) {
      const outcome = c.allow.includes(role) ? 'success' : [FORBIDDEN];
      await run(role, a.users[role], c.request(a), outcome);
    }
    await run('B admin', b.users.admin, c.request(a), [NOT_FOUND]);
    await run(`${controlAs} in B's path`, a.users[controlAs], c.request(b), [NOT_FOUND]);
  }

  /** A's own objects (the control), then B's ids as each role, by B's admin, in B's path. */
  private async checkObjects(c: ObjectsCase, run: Run) {
    const { a, b } = this;
    const controlAs = c.controlAs ?? c.allow[0]!;
    const control = a.users[controlAs];
    // The control proves the request reaches the object: the 404s below are about B's object.
    await run(`${controlAs} (control)`, control, c.request(a, a), 'success');
    // Refused roles never reach the object: one request of B's serves them all.
    let refused: Promise<Req> | undefined;
    for (const role of ALL_ROLES) {
      const who = `${role} with B's ids`;
      if (c.allow.includes(role)) {
        await run(who, a.users[role], c.request(a, b), foreignOutcome[c.foreignIn]);
      } else {
        refused ??= Promise.resolve(c.request(a, b));
        await run(who, a.users[role], refused, [FORBIDDEN]);
      }
    }
    await run('B admin', b.users.admin, c.request(a, a), [NOT_FOUND]);
    await run('B admin, own ids', b.users.admin, c.request(a, b), [NOT_FOUND]);
    await run(`${controlAs} in B's path`, control, c.request(b, b), [NOT_FOUND]);
  }

  /** B's objects must be indistinguishable from objects that never existed. */
  private async compareWithGhost(route: string, c: ObjectsCase): Promise<string[]> {
    const controlAs = c.controlAs ?? c.allow[0]!;
    const control = this.a.users[controlAs];
    const foreign = await this.send(route, controlAs, control, await c.request(this.a, this.b));
    const ghost = await this.send(route, controlAs, control, await c.request(this.a, this.ghost));
    if (shape(foreign) === shape(ghost)) return [];
    this.leaks.push(`${route}: B's ids answer otherwise than ids that never existed`);
    return [`B's ids: ${shape(foreign).slice(0, 200)}; unknown ids: ${shape(ghost).slice(0, 200)}`];
  }
}

type ObjectsCase = Extract<IsolationCase, { kind: 'objects' }>;
type Run = (
  who: string,
  caller: Caller,
  req: Req | Promise<Req>,
  outcome: Outcome | 'any',
) => Promise<unknown>;

function hasErrorShape(res: LightMyRequestResponse, code?: string) {
  try {
    const body = res.json();
    return (
      Object.keys(body).length === 1 &&
      typeof body.error?.code === 'string' &&
      (code === undefined || body.error.code === code) &&
      typeof body.error.message === 'string'
    );
  } catch {
    return false;
  }
}
