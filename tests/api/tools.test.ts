import { describe, expect, it } from 'vitest';
import { AUTHORS, checkRoute, createHarness, expectError, json, STAFF } from '../helpers/harness';
import { moduleFixtures } from '../helpers/modules';
import { toolFixtures } from '../helpers/tools';
import * as toolRepo from '../../server/tools/repository';

const h = await createHarness();
const { freshTool, freshProcess, tools, processes } = toolFixtures(h);
const { freshModule, modules } = moduleFixtures(h);
let n = 0; // unique names for requests built here

describe('tools', () => {
  it('staff list them by name with process counts; nothing of another organisation', async () => {
    const { a, b } = h.world;
    const crm = await toolRepo.insertTool(
      h.db,
      a.id,
      { name: 'CRM', description: 'Customer records' },
      h.clock.now(),
    );
    await freshProcess(a, crm.id);
    await freshProcess(a, crm.id);
    const theirs = await freshTool(b);
    await checkRoute(h, {
      request: (org) => ({ method: 'GET', url: tools(org) }),
      allow: [...STAFF],
      status: 200,
    });
    const items = json(await a.users.referent.inject({ method: 'GET', url: tools(a) })).items;
    expect(items).toContainEqual({
      id: crm.id,
      name: 'CRM',
      description: 'Customer records',
      processCount: 2,
      createdAt: expect.stringMatching(/Z$/),
      updatedAt: expect.stringMatching(/Z$/),
    });
    expect(items.map((t: { id: string }) => t.id)).not.toContain(theirs.id);
  });

  it('trainers and admins create; names are unique per organisation, case-insensitively', async () => {
    await checkRoute(h, {
      request: (org) => ({ method: 'POST', url: tools(org), payload: { name: `New ${++n}` } }),
      allow: [...AUTHORS],
      status: 201,
      badInput: (org) => ({ method: 'POST', url: tools(org), payload: { name: '' } }),
    });
    const { a, b } = h.world;
    const created = await a.users.trainer.inject({
      method: 'POST',
      url: tools(a),
      payload: { name: ' Accounting ', description: 'The new ledger' },
    });
    expect(created.statusCode).toBe(201);
    expect(json(created)).toMatchObject({
      name: 'Accounting',
      description: 'The new ledger',
      processCount: 0,
      processes: [],
    });
    const dup = { method: 'POST', url: tools(a), payload: { name: 'ACCOUNTING' } } as const;
    expectError(await a.users.admin.inject(dup), 409, 'CONFLICT');
    const other = await b.users.admin.inject({ ...dup, url: tools(b) });
    expect(other.statusCode).toBe(201);
  });

  it('staff read one with its processes; another organisation’s is 404', async () => {
    await checkRoute(h, {
      request: async (org, owner) => ({
        method: 'GET',
        url: tools(org, `/${(await freshTool(owner)).id}`),
      }),
      allow: [...STAFF],
      status: 200,
      objectInPath: true,
    });
    const { a } = h.world;
    const tool = await freshTool(a);
    const p = await freshProcess(a, tool.id);
    const res = json(await a.users.manager.inject({ method: 'GET', url: tools(a, `/${tool.id}`) }));
    expect(res).toMatchObject({ id: tool.id, processCount: 1 });
    expect(res.processes).toEqual([
      {
        id: p.id,
        toolId: tool.id,
        name: p.name,
        description: null,
        nextUse: { kind: 'none' },
        useDayTarget: null,
        createdAt: expect.stringMatching(/Z$/),
        updatedAt: expect.stringMatching(/Z$/),
      },
    ]);
  });

  it('lists its processes as people read names: "Step 2" before "Step 10"', async () => {
    const { a } = h.world;
    const tool = await freshTool(a);
    for (const name of ['Step 10', 'Étape 3', 'Step 2']) {
      const res = await a.users.trainer.inject({
        method: 'POST',
        url: tools(a, `/${tool.id}/processes`),
        payload: { name, nextUse: { kind: 'none' } },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const res = json(await a.users.manager.inject({ method: 'GET', url: tools(a, `/${tool.id}`) }));
    expect(res.processes.map((p: { name: string }) => p.name)).toEqual([
      'Étape 3',
      'Step 2',
      'Step 10',
    ]);
  });

  it('trainers and admins change one; a taken name is 409', async () => {
    await checkRoute(h, {
      request: async (org, owner) => ({
        method: 'PATCH',
        url: tools(org, `/${(await freshTool(owner)).id}`),
        payload: { description: 'Changed' },
      }),
      allow: [...AUTHORS],
      status: 200,
      objectInPath: true,
      badInput: async (org) => ({
        method: 'PATCH',
        url: tools(org, `/${(await freshTool(org)).id}`),
        payload: { name: 'x'.repeat(121) },
      }),
    });
    const { a } = h.world;
    const [one, two] = [await freshTool(a), await freshTool(a)];
    const res = await a.users.admin.inject({
      method: 'PATCH',
      url: tools(a, `/${one.id}`),
      payload: { name: 'Mail', description: null },
    });
    expect(json(res)).toMatchObject({ id: one.id, name: 'Mail', description: null });
    expectError(
      await a.users.admin.inject({
        method: 'PATCH',
        url: tools(a, `/${two.id}`),
        payload: { name: 'mail' },
      }),
      409,
      'CONFLICT',
    );
  });

  it('trainers and admins delete one, with its processes', async () => {
    await checkRoute(h, {
      request: async (org, owner) => ({
        method: 'DELETE',
        url: tools(org, `/${(await freshTool(owner)).id}`),
      }),
      allow: [...AUTHORS],
      status: 204,
      objectInPath: true,
    });
    const { a } = h.world;
    const p = await freshProcess(a);
    expect(
      (await a.users.admin.inject({ method: 'DELETE', url: tools(a, `/${p.toolId}`) })).statusCode,
    ).toBe(204);
    expectError(
      await a.users.admin.inject({ method: 'GET', url: tools(a, `/${p.toolId}`) }),
      404,
      'NOT_FOUND',
    );
    expectError(
      await a.users.admin.inject({ method: 'DELETE', url: processes(a, `/${p.id}`) }),
      404,
      'NOT_FOUND',
    );
  });

  it('refuses to delete a tool or process that modules use, with IN_USE, until they are gone', async () => {
    const { a } = h.world;
    const process = await freshProcess(a);
    const module = await freshModule(a, { toolId: process.toolId, processId: process.id });
    const other = await freshModule(a, { toolId: process.toolId });
    const del = (url: string) => a.users.admin.inject({ method: 'DELETE', url });

    let err = expectError(await del(tools(a, `/${process.toolId}`)), 409, 'IN_USE');
    expect(err.message).toContain('2 module(s)');
    err = expectError(await del(processes(a, `/${process.id}`)), 409, 'IN_USE');
    expect(err.message).toContain('1 module(s)');
    const res = await a.users.admin.inject({ method: 'GET', url: tools(a, `/${process.toolId}`) });
    expect(json(res).processes).toHaveLength(1);

    // Once the module no longer names the process, the process can go; then the tool.
    await a.users.trainer.inject({
      method: 'PATCH',
      url: modules(a, `/${module.id}`),
      payload: { processId: null },
    });
    expect((await del(processes(a, `/${process.id}`))).statusCode).toBe(204);
    for (const m of [module, other]) {
      await a.users.trainer.inject({ method: 'DELETE', url: modules(a, `/${m.id}`) });
    }
    expect((await del(tools(a, `/${process.toolId}`))).statusCode).toBe(204);
  });
});
