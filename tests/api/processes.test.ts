import { describe, expect, it } from 'vitest';
import {
  AUTHORS,
  checkRoute,
  createHarness,
  expectError,
  issuePaths,
  json,
  STAFF,
} from '../helpers/harness';
import { toolFixtures } from '../helpers/tools';

const h = await createHarness();
const { freshTool, freshProcess, tools, processes } = toolFixtures(h);
let n = 0; // unique names for requests built here

describe('processes', () => {
  it('trainers and admins add one to a tool; names are unique per tool', async () => {
    await checkRoute(h, {
      request: async (org, owner) => ({
        method: 'POST',
        url: tools(org, `/${(await freshTool(owner)).id}/processes`),
        payload: {
          name: 'Month-end close',
          nextUse: { kind: 'rule', rule: 'last-working-day-of-month' },
        },
      }),
      allow: [...AUTHORS],
      status: 201,
      objectInPath: true,
      badInput: async (org) => ({
        method: 'POST',
        url: tools(org, `/${(await freshTool(org)).id}/processes`),
        payload: { name: 'Close', nextUse: { kind: 'rule', rule: 'every-full-moon' } },
      }),
    });
    const { a } = h.world;
    const tool = await freshTool(a);
    const add = (payload: object, toolId = tool.id) =>
      a.users.trainer.inject({ method: 'POST', url: tools(a, `/${toolId}/processes`), payload });
    const created = await add({ name: 'Log a call' });
    expect(created.statusCode).toBe(201);
    expect(json(created)).toMatchObject({
      toolId: tool.id,
      name: 'Log a call',
      description: null,
      nextUse: { kind: 'none' },
    });
    expectError(await add({ name: 'LOG A CALL' }), 409, 'CONFLICT');
    // The same name under another tool is fine.
    expect((await add({ name: 'Log a call' }, (await freshTool(a)).id)).statusCode).toBe(201);
  });

  it('refuses bad next-use dates at the field', async () => {
    const { a } = h.world;
    const tool = await freshTool(a);
    const add = (nextUse: object) =>
      a.users.trainer.inject({
        method: 'POST',
        url: tools(a, `/${tool.id}/processes`),
        payload: { name: 'Inventory', nextUse },
      });
    const unsorted = expectError(
      await add({ kind: 'dates', dates: ['2026-06-30', '2026-03-31'] }),
      400,
      'VALIDATION_FAILED',
    );
    expect(issuePaths(unsorted)).toContain('body.nextUse.dates');
    const notADate = expectError(
      await add({ kind: 'dates', dates: ['2026-03-31', '2026-02-30'] }),
      400,
      'VALIDATION_FAILED',
    );
    expect(issuePaths(notADate)).toContain('body.nextUse.dates.1');
    const tooMany = Array.from({ length: 101 }, (_, i) => `${2030 + i}-01-15`);
    expectError(await add({ kind: 'dates', dates: tooMany }), 400, 'VALIDATION_FAILED');
    const tool2 = json(
      await a.users.trainer.inject({ method: 'GET', url: tools(a, `/${tool.id}`) }),
    );
    expect(tool2.processes).toEqual([]);
  });

  it('trainers and admins change one, next-use dates included', async () => {
    await checkRoute(h, {
      request: async (org, owner) => ({
        method: 'PATCH',
        url: processes(org, `/${(await freshProcess(owner)).id}`),
        payload: { nextUse: { kind: 'dates', dates: ['2026-04-15', '2026-10-15'] } },
      }),
      allow: [...AUTHORS],
      status: 200,
      objectInPath: true,
      badInput: async (org) => ({
        method: 'PATCH',
        url: processes(org, `/${(await freshProcess(org)).id}`),
        payload: { nextUse: { kind: 'dates' } },
      }),
    });
    const { a } = h.world;
    const [one, two] = [await freshProcess(a), await freshProcess(a)];
    const res = await a.users.admin.inject({
      method: 'PATCH',
      url: processes(a, `/${one.id}`),
      payload: {
        description: 'Before the 5th',
        nextUse: { kind: 'rule', rule: 'first-working-day-of-month' },
      },
    });
    expect(json(res)).toMatchObject({
      id: one.id,
      description: 'Before the 5th',
      nextUse: { kind: 'rule', rule: 'first-working-day-of-month' },
    });
    // Moving to another tool is not a change this route makes: unknown fields are refused.
    expectError(
      await a.users.admin.inject({
        method: 'PATCH',
        url: processes(a, `/${one.id}`),
        payload: { toolId: two.toolId },
      }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('keeps a use-day target between 0.70 and 0.97; none means the default', async () => {
    const { a } = h.world;
    const tool = await freshTool(a);
    const add = (payload: object) =>
      a.users.trainer.inject({ method: 'POST', url: tools(a, `/${tool.id}/processes`), payload });
    const change = (id: string, payload: object) =>
      a.users.trainer.inject({ method: 'PATCH', url: processes(a, `/${id}`), payload });
    const plain = json(await add({ name: 'Log a call' }));
    expect(plain.useDayTarget).toBeNull();
    const close = await add({
      name: 'Month-end close',
      nextUse: { kind: 'rule', rule: 'last-working-day-of-month' },
      useDayTarget: 0.95,
    });
    expect(close.statusCode).toBe(201);
    const closeId = json(close).id as string;
    expect(json(close).useDayTarget).toBe(0.95);
    for (const bad of [0.5, 1.2, '0.9']) {
      const refused = expectError(
        await add({ name: `P ${++n}`, useDayTarget: bad }),
        400,
        'VALIDATION_FAILED',
      );
      expect(issuePaths(refused)).toContain('body.useDayTarget');
      expectError(await change(closeId, { useDayTarget: bad }), 400, 'VALIDATION_FAILED');
    }
    // A change of one field leaves the target alone; null puts the default back.
    expect(json(await change(closeId, { description: 'Before the 5th' })).useDayTarget).toBe(0.95);
    expect(json(await change(plain.id, { useDayTarget: 0.7 })).useDayTarget).toBe(0.7);
    expect(json(await change(closeId, { useDayTarget: null })).useDayTarget).toBeNull();
    const read = json(
      await a.users.manager.inject({ method: 'GET', url: tools(a, `/${tool.id}`) }),
    );
    expect(
      Object.fromEntries(
        (read.processes as { name: string; useDayTarget: number | null }[]).map((p) => [
          p.name,
          p.useDayTarget,
        ]),
      ),
    ).toEqual({ 'Log a call': 0.7, 'Month-end close': null });
  });

  it('trainers and admins delete one', async () => {
    await checkRoute(h, {
      request: async (org, owner) => ({
        method: 'DELETE',
        url: processes(org, `/${(await freshProcess(owner)).id}`),
      }),
      allow: [...AUTHORS],
      status: 204,
      objectInPath: true,
    });
  });

  it('staff get the next use dates, from a given day or from today', async () => {
    const { a } = h.world;
    const tool = await freshTool(a);
    const add = async (nextUse: object) =>
      json(
        await a.users.admin.inject({
          method: 'POST',
          url: tools(a, `/${tool.id}/processes`),
          payload: { name: `P ${++n}`, nextUse },
        }),
      ).id as string;
    const monthEnd = await add({ kind: 'rule', rule: 'last-working-day-of-month' });
    await checkRoute(h, {
      request: async (org, owner) => ({
        method: 'GET',
        url: processes(org, `/${(await freshProcess(owner)).id}/next-uses?count=2`),
      }),
      allow: [...STAFF],
      status: 200,
      objectInPath: true,
      badInput: (org) => ({
        method: 'GET',
        url: processes(org, `/${monthEnd}/next-uses?from=2026-13-01&count=0`),
      }),
    });
    const get = (id: string, query = '') =>
      a.users.manager.inject({ method: 'GET', url: processes(a, `/${id}/next-uses${query}`) });
    // The test clock says 2026-03-02; 31 January 2026 is a Saturday.
    expect(json(await get(monthEnd, '?from=2026-01-01&count=3'))).toEqual({
      dates: ['2026-01-30', '2026-02-27', '2026-03-31'],
    });
    expect(json(await get(monthEnd))).toEqual({
      dates: ['2026-03-31', '2026-04-30', '2026-05-29', '2026-06-30', '2026-07-31'],
    });
    const explicit = await add({
      kind: 'dates',
      dates: ['2026-01-05', '2026-03-02', '2026-09-01'],
    });
    expect(json(await get(explicit))).toEqual({ dates: ['2026-03-02', '2026-09-01'] });
    expect(json(await get(await add({ kind: 'none' })))).toEqual({ dates: [] });
  });
});
