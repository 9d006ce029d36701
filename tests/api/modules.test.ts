import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { moduleVersions } from '../../server/db/schema';
import { moduleSnapshotSchema } from '../../server/modules/snapshot';
import * as structureRepo from '../../server/structure/repository';
import {
  AUTHORS,
  checkRoute,
  createHarness,
  expectError,
  issuePaths,
  json,
  type OrgFixture,
} from '../helpers/harness';
import { MINUTE } from '../helpers/clock';
import { moduleFixtures, sampleCards, textBlock } from '../helpers/modules';

const h = await createHarness();
const f = moduleFixtures(h);
const { modules, lessons, cards } = f;

const versionRows = (moduleId: string) =>
  h.db
    .select()
    .from(moduleVersions)
    .where(eq(moduleVersions.moduleId, moduleId))
    .orderBy(moduleVersions.version);

const patch = (org: OrgFixture, id: string, payload: object) =>
  org.users.trainer.inject({ method: 'PATCH', url: modules(org, `/${id}`), payload });

describe('module list', () => {
  it('trainers and admins list them by title, case-insensitively, with counts', async () => {
    await checkRoute(h, {
      request: (org) => ({ method: 'GET', url: modules(org) }),
      allow: [...AUTHORS],
      status: 200,
      badInput: (org) => ({ method: 'GET', url: modules(org, '?status=gone') }),
    });
    const { a, b } = h.world;
    const tool = await f.freshTool(a);
    const zebra = await f.freshModule(a, { title: 'zebra crossing', toolId: tool.id });
    const apple = await f.freshModule(a, { title: 'Apple basics', toolId: tool.id });
    const mango = await f.freshModule(a, { title: 'mango', toolId: tool.id });
    await f.freshCard(a, (await f.freshLesson(a, mango.id)).id);
    await f.freshModule(b, { title: 'Theirs' });
    const res = json(
      await a.users.admin.inject({ method: 'GET', url: modules(a, `?toolId=${tool.id}`) }),
    );
    expect(res.items.map((m: { id: string }) => m.id)).toEqual([apple.id, mango.id, zebra.id]);
    expect(res.items[1]).toMatchObject({
      toolId: tool.id,
      toolName: tool.name,
      lessonCount: 1,
      cardCount: 1,
      status: 'draft',
    });
    const all = json(await a.users.admin.inject({ method: 'GET', url: modules(a) })).items;
    expect(all.map((m: { title: string }) => m.title)).not.toContain('Theirs');
  });

  it('filters by job role and status', async () => {
    const { a } = h.world;
    const role = await structureRepo.insertItem(h.db, 'jobRole', a.id, 'Accountant', h.clock.now());
    const forRole = await f.freshModule(a, { jobRoleIds: [role.id] });
    const ready = await f.readyModule(a, { jobRoleIds: [role.id] });
    await f.publish(a, ready.module.id);
    await f.freshModule(a);
    const list = async (query: string) =>
      json(await a.users.trainer.inject({ method: 'GET', url: modules(a, query) })).items.map(
        (m: { id: string }) => m.id,
      );
    expect((await list(`?jobRoleId=${role.id}`)).sort()).toEqual(
      [forRole.id, ready.module.id].sort(),
    );
    expect(await list(`?jobRoleId=${role.id}&status=published`)).toEqual([ready.module.id]);
    expect(await list(`?jobRoleId=${randomUUID()}`)).toEqual([]);
  });
});

describe('module create', () => {
  it('trainers and admins create a draft with its targets', async () => {
    await checkRoute(h, {
      request: async (org) => ({
        method: 'POST',
        url: modules(org),
        payload: { title: 'CRM basics', toolId: (await f.freshTool(org)).id },
      }),
      allow: [...AUTHORS],
      status: 201,
      badInput: async (org) => ({
        method: 'POST',
        url: modules(org),
        payload: { title: ' ', toolId: (await f.freshTool(org)).id },
      }),
    });
    const { a } = h.world;
    const process = await f.freshProcess(a);
    const res = await a.users.admin.inject({
      method: 'POST',
      url: modules(a),
      payload: {
        title: ' Log a call ',
        summary: 'For sales reps',
        toolId: process.toolId,
        processId: process.id,
        jobRoleIds: [a.jobRole.id],
        teamIds: [a.team.id],
        estimatedMinutes: 12,
        criticality: 'critical',
      },
    });
    expect(res.statusCode).toBe(201);
    expect(json(res)).toMatchObject({
      title: 'Log a call',
      summary: 'For sales reps',
      toolId: process.toolId,
      processId: process.id,
      processName: process.name,
      jobRoleIds: [a.jobRole.id],
      teamIds: [a.team.id],
      estimatedMinutes: 12,
      criticality: 'critical',
      status: 'draft',
      version: null,
      publishedAt: null,
      hasUnpublishedChanges: true,
      lessons: [],
      createdAt: h.clock.now().toISOString(),
    });
  });

  it('refuses another organisation’s tool, process, job role or team at the field, without leaking', async () => {
    const { a, b } = h.world;
    const theirTool = await f.freshTool(b);
    const theirProcess = await f.freshProcess(b, theirTool.id);
    const ours = await f.freshTool(a);
    const otherOfOurs = await f.freshProcess(a);
    const create = (payload: object) =>
      a.users.trainer.inject({
        method: 'POST',
        url: modules(a),
        payload: { title: 'X', ...payload },
      });

    let err = expectError(await create({ toolId: theirTool.id }), 400, 'VALIDATION_FAILED');
    expect(issuePaths(err)).toEqual(['body.toolId']);
    expect(JSON.stringify(err)).not.toContain(theirTool.name);

    err = expectError(
      await create({ toolId: ours.id, processId: theirProcess.id }),
      400,
      'VALIDATION_FAILED',
    );
    expect(issuePaths(err)).toEqual(['body.processId']);
    // A process of another tool of the same organisation is refused too.
    err = expectError(
      await create({ toolId: ours.id, processId: otherOfOurs.id }),
      400,
      'VALIDATION_FAILED',
    );
    expect(issuePaths(err)).toEqual(['body.processId']);

    err = expectError(
      await create({
        toolId: ours.id,
        jobRoleIds: [a.jobRole.id, b.jobRole.id],
        teamIds: [b.team.id],
      }),
      400,
      'VALIDATION_FAILED',
    );
    expect(issuePaths(err)).toEqual(['body.jobRoleIds.1', 'body.teamIds.0']);
    expect(JSON.stringify(err)).not.toContain(b.jobRole.name);
    const list = json(await a.users.admin.inject({ method: 'GET', url: modules(a) })).items;
    expect(list.filter((m: { toolId: string }) => m.toolId === ours.id)).toEqual([]);
  });
});

describe('one module', () => {
  it('trainers and admins read it with its lessons in order and their estimated times', async () => {
    await checkRoute(h, {
      request: async (org, owner) => ({
        method: 'GET',
        url: modules(org, `/${(await f.freshModule(owner)).id}`),
      }),
      allow: [...AUTHORS],
      status: 200,
      objectInPath: true,
    });
    const { a } = h.world;
    const module = await f.freshModule(a);
    // 90 words of text: 30 s; a video: 90 s.
    const first = await f.freshLesson(a, module.id, {
      title: 'Read',
      blocks: [textBlock('word '.repeat(90))],
    });
    const second = await f.freshLesson(a, module.id, {
      title: 'Watch',
      blocks: [{ id: randomUUID(), kind: 'video', url: 'https://v.example/1' }],
    });
    await f.freshCard(a, second.id);
    await f.freshCard(a, second.id, sampleCards.short);
    expect((await f.getModule(a, module.id)).lessons).toEqual([
      {
        id: first.id,
        title: 'Read',
        position: 0,
        personaIds: [],
        blockCount: 1,
        cardCount: 0,
        estimatedSeconds: 30,
      },
      {
        id: second.id,
        title: 'Watch',
        position: 1,
        personaIds: [],
        blockCount: 1,
        cardCount: 2,
        estimatedSeconds: 90,
      },
    ]);
  });

  it('trainers and admins change it; a change marks the working copy as unpublished', async () => {
    await checkRoute(h, {
      request: async (org, owner) => ({
        method: 'PATCH',
        url: modules(org, `/${(await f.freshModule(owner)).id}`),
        payload: { summary: 'Changed' },
      }),
      allow: [...AUTHORS],
      status: 200,
      objectInPath: true,
      badInput: async (org) => ({
        method: 'PATCH',
        url: modules(org, `/${(await f.freshModule(org)).id}`),
        payload: { estimatedMinutes: 0 },
      }),
    });
    const { a } = h.world;
    const { module } = await f.readyModule(a);
    await f.publish(a, module.id);
    h.clock.advance(MINUTE);
    const process = await f.freshProcess(a, module.toolId);
    const res = await patch(a, module.id, {
      title: 'Renamed',
      processId: process.id,
      jobRoleIds: [a.jobRole.id],
      teamIds: [a.team.id],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toMatchObject({
      title: 'Renamed',
      processId: process.id,
      jobRoleIds: [a.jobRole.id],
      teamIds: [a.team.id],
      status: 'published',
      version: 1,
      hasUnpublishedChanges: true,
      updatedAt: h.clock.now().toISOString(),
    });
    const cleared = json(await patch(a, module.id, { jobRoleIds: [], processId: null }));
    expect(cleared).toMatchObject({ jobRoleIds: [], teamIds: [a.team.id], processId: null });
  });

  it('refuses other organisations’ references on change, and changes nothing', async () => {
    const { a, b } = h.world;
    const module = await f.freshModule(a);
    const theirs = await f.freshTool(b);
    const err = expectError(
      await patch(a, module.id, { title: 'Lost', toolId: theirs.id, teamIds: [b.team.id] }),
      400,
      'VALIDATION_FAILED',
    );
    expect(issuePaths(err)).toEqual(['body.toolId', 'body.teamIds.0']);
    // Changing the tool keeps a process of the old tool: refused at the process.
    const process = await f.freshProcess(a, module.toolId);
    await patch(a, module.id, { processId: process.id });
    const other = await f.freshTool(a);
    expect(issuePaths(expectError(await patch(a, module.id, { toolId: other.id }), 400))).toEqual([
      'body.processId',
    ]);
    expect(await f.getModule(a, module.id)).toMatchObject({
      title: module.title,
      toolId: module.toolId,
      processId: process.id,
      teamIds: [],
    });
  });

  it('archives a published module and publishes it again; other status changes are 409', async () => {
    const { a } = h.world;
    const { module } = await f.readyModule(a);
    expectError(await patch(a, module.id, { status: 'archived' }), 409, 'CONFLICT');
    expectError(await patch(a, module.id, { status: 'published' }), 409, 'CONFLICT');
    await f.publish(a, module.id);
    expectError(await patch(a, module.id, { status: 'published' }), 409, 'CONFLICT');
    const archived = json(await patch(a, module.id, { status: 'archived' }));
    expect(archived).toMatchObject({
      status: 'archived',
      version: 1,
      hasUnpublishedChanges: false,
    });
    expectError(await patch(a, module.id, { status: 'archived' }), 409, 'CONFLICT');
    const back = json(await patch(a, module.id, { status: 'published' }));
    expect(back).toMatchObject({ status: 'published', version: 1, hasUnpublishedChanges: false });
    expect(await versionRows(module.id)).toHaveLength(1);
  });

  it('deletes a draft with its lessons; a module ever published is IN_USE', async () => {
    await checkRoute(h, {
      request: async (org, owner) => ({
        method: 'DELETE',
        url: modules(org, `/${(await f.freshModule(owner)).id}`),
      }),
      allow: [...AUTHORS],
      status: 204,
      objectInPath: true,
    });
    const { a } = h.world;
    const draft = await f.readyModule(a);
    const del = (id: string) =>
      a.users.trainer.inject({ method: 'DELETE', url: modules(a, `/${id}`) });
    expect((await del(draft.module.id)).statusCode).toBe(204);
    expectError(
      await a.users.trainer.inject({ method: 'GET', url: lessons(a, `/${draft.lesson.id}`) }),
      404,
      'NOT_FOUND',
    );
    expectError(await del(draft.module.id), 404, 'NOT_FOUND');

    const { module } = await f.readyModule(a);
    await f.publish(a, module.id);
    await patch(a, module.id, { status: 'archived' });
    const err = expectError(await del(module.id), 409, 'IN_USE');
    expect(err.message).toMatch(/archive/i);
    expect((await f.getModule(a, module.id)).status).toBe('archived');
  });
});

describe('publishing', () => {
  it('trainers and admins publish; the version freezes the working copy', async () => {
    await checkRoute(h, {
      request: async (org, owner) => ({
        method: 'POST',
        url: modules(org, `/${(await f.readyModule(owner)).module.id}/publish`),
      }),
      allow: [...AUTHORS],
      status: 200,
      objectInPath: true,
    });
    const { a } = h.world;
    const { module, lesson, card } = await f.readyModule(a, { jobRoleIds: [a.jobRole.id] });
    h.clock.advance(MINUTE);
    const published = await f.publish(a, module.id);
    expect(published).toMatchObject({
      status: 'published',
      version: 1,
      publishedAt: h.clock.now().toISOString(),
      hasUnpublishedChanges: false,
    });
    const [row] = await versionRows(module.id);
    expect(row).toMatchObject({ version: 1, publishedBy: a.users.trainer.id, orgId: a.id });
    const snapshot = moduleSnapshotSchema.parse(row!.content);
    expect(snapshot.module).toMatchObject({
      title: module.title,
      toolId: module.toolId,
      jobRoleIds: [a.jobRole.id],
    });
    expect(snapshot.lessons).toHaveLength(1);
    expect(snapshot.lessons[0]).toMatchObject({ id: lesson.id, title: lesson.title });
    expect(snapshot.lessons[0]!.blocks).toEqual(lesson.blocks);
    const { lessonId: _l, position: _p, updatedAt: _u, ...cardContent } = card;
    expect(snapshot.lessons[0]!.cards).toEqual([cardContent]);

    // Nothing changed: nothing to publish.
    expectError(
      await a.users.trainer.inject({ method: 'POST', url: modules(a, `/${module.id}/publish`) }),
      409,
      'CONFLICT',
    );

    // An edit after publishing shows as unpublished; the version stays as it was.
    h.clock.advance(MINUTE);
    const edited = await a.users.trainer.inject({
      method: 'PATCH',
      url: lessons(a, `/${lesson.id}`),
      payload: { title: 'New title', blocks: [textBlock('Changed text')] },
    });
    expect(edited.statusCode).toBe(200);
    expect(await f.getModule(a, module.id)).toMatchObject({
      version: 1,
      hasUnpublishedChanges: true,
      updatedAt: h.clock.now().toISOString(),
    });
    const [same] = await versionRows(module.id);
    expect(same).toEqual(row);

    const second = await f.publish(a, module.id);
    expect(second).toMatchObject({ version: 2, hasUnpublishedChanges: false });
    const rows = await versionRows(module.id);
    expect(rows.map((r) => r.version)).toEqual([1, 2]);
    expect(rows[0]).toEqual(row);
    const v2 = moduleSnapshotSchema.parse(rows[1]!.content);
    // Ids survive publishing and editing.
    expect(v2.lessons[0]!.id).toBe(lesson.id);
    expect(v2.lessons[0]!.title).toBe('New title');
    expect(v2.lessons[0]!.cards.map((c) => c.id)).toEqual([card.id]);
    const frozen = v2.lessons[0]!.cards[0]!;
    expect(frozen.kind === 'single' && frozen.options.map((o) => o.id)).toEqual(
      card.options.map((o: { id: string }) => o.id),
    );
  });

  it('refuses with NOT_READY and lists the problems at the lesson and block', async () => {
    const { a } = h.world;
    const empty = await f.freshModule(a);
    const publish = (id: string) =>
      a.users.trainer.inject({ method: 'POST', url: modules(a, `/${id}/publish`) });
    let err = expectError(await publish(empty.id), 409, 'NOT_READY');
    expect(err.issues).toEqual([{ path: [], message: expect.any(String), code: 'no-lessons' }]);

    const module = await f.freshModule(a);
    const blank = await f.freshLesson(a, module.id, { title: 'Blank' });
    const text = textBlock('  ');
    const image = { id: randomUUID(), kind: 'image', assetId: null, alt: '' };
    const asset = await f.freshAsset(a);
    const noAlt = { id: randomUUID(), kind: 'image', assetId: asset.id, alt: '' };
    const video = { id: randomUUID(), kind: 'video', url: '' };
    const steps = {
      id: randomUUID(),
      kind: 'steps',
      steps: [{ markdown: 'ok' }, { markdown: '' }],
    };
    const task = { id: randomUUID(), kind: 'task', markdown: 'Do it', check: '' };
    const callout = { id: randomUUID(), kind: 'callout', tone: 'warning', markdown: '' };
    const full = await f.freshLesson(a, module.id, {
      title: 'Full of holes',
      blocks: [text, image, noAlt, video, steps, task, callout],
    });
    err = expectError(await publish(module.id), 409, 'NOT_READY');
    expect(err.issues).toEqual([
      { path: [blank.id], message: expect.any(String), code: 'lesson-empty' },
      { path: [full.id, text.id], message: expect.any(String), code: 'text-empty' },
      { path: [full.id, image.id], message: expect.any(String), code: 'image-missing' },
      { path: [full.id, noAlt.id], message: expect.any(String), code: 'image-alt-missing' },
      { path: [full.id, video.id], message: expect.any(String), code: 'video-url-missing' },
      { path: [full.id, steps.id], message: expect.any(String), code: 'steps-empty' },
      { path: [full.id, task.id], message: expect.any(String), code: 'task-empty' },
      { path: [full.id, callout.id], message: expect.any(String), code: 'text-empty' },
    ]);
    expect(await f.getModule(a, module.id)).toMatchObject({ status: 'draft', version: null });
    expect(await versionRows(module.id)).toEqual([]);
  });

  it('publishes an archived module that changed as a new version', async () => {
    const { a } = h.world;
    const { module, lesson } = await f.readyModule(a);
    await f.publish(a, module.id);
    await patch(a, module.id, { status: 'archived' });
    // Archived and unchanged: nothing to publish (restore it instead).
    const err = expectError(
      await a.users.trainer.inject({ method: 'POST', url: modules(a, `/${module.id}/publish`) }),
      409,
      'CONFLICT',
    );
    expect(err.message).toMatch(/restore/i);
    await f.freshCard(a, lesson.id, sampleCards.truefalse);
    expect(await f.publish(a, module.id)).toMatchObject({ status: 'published', version: 2 });
  });
});

describe('changes since the last version', () => {
  it('trainers and admins read them; before the first publication every lesson is added', async () => {
    await checkRoute(h, {
      request: async (org, owner) => ({
        method: 'GET',
        url: modules(org, `/${(await f.freshModule(owner)).id}/changes`),
      }),
      allow: [...AUTHORS],
      status: 200,
      objectInPath: true,
    });
    const { a } = h.world;
    const { module, lesson } = await f.readyModule(a);
    const blank = await f.freshLesson(a, module.id, { title: 'Blank' });
    const res = json(
      await a.users.admin.inject({ method: 'GET', url: modules(a, `/${module.id}/changes`) }),
    );
    expect(res).toEqual({
      nextVersion: 1,
      moduleFields: [],
      lessonsAdded: [
        { id: lesson.id, title: lesson.title },
        { id: blank.id, title: 'Blank' },
      ],
      lessonsRemoved: [],
      lessonsChanged: [],
      cardsAdded: 1,
      cardsRemoved: 0,
      cardsChanged: 0,
      problems: [{ lessonId: blank.id, blockId: null, code: 'lesson-empty' }],
    });
  });

  it('counts added, removed and changed lessons and cards by their stable ids', async () => {
    const { a } = h.world;
    const module = await f.freshModule(a);
    const kept = await f.freshLesson(a, module.id, { title: 'Kept', blocks: [textBlock()] });
    const edited = await f.freshLesson(a, module.id, { title: 'Edited', blocks: [textBlock()] });
    const dropped = await f.freshLesson(a, module.id, { title: 'Dropped', blocks: [textBlock()] });
    const keptCard = await f.freshCard(a, kept.id);
    const changedCard = await f.freshCard(a, kept.id, sampleCards.order);
    const goneCard = await f.freshCard(a, kept.id, sampleCards.short);
    await f.freshCard(a, dropped.id);
    await f.freshCard(a, dropped.id, sampleCards.truefalse);
    await f.publish(a, module.id);

    const changes = async () =>
      json(await a.users.admin.inject({ method: 'GET', url: modules(a, `/${module.id}/changes`) }));
    expect(await changes()).toMatchObject({
      nextVersion: 2,
      moduleFields: [],
      lessonsAdded: [],
      lessonsRemoved: [],
      lessonsChanged: [],
      cardsAdded: 0,
      cardsRemoved: 0,
      cardsChanged: 0,
    });

    const t = a.users.trainer;
    await t.inject({
      method: 'PATCH',
      url: modules(a, `/${module.id}`),
      payload: { summary: 'New' },
    });
    await t.inject({
      method: 'PATCH',
      url: lessons(a, `/${edited.id}`),
      payload: { title: 'Edited again' },
    });
    await t.inject({ method: 'DELETE', url: lessons(a, `/${dropped.id}`) });
    const added = await f.freshLesson(a, module.id, { title: 'Added', blocks: [textBlock()] });
    await f.freshCard(a, added.id);
    await f.freshCard(a, edited.id);
    await t.inject({ method: 'DELETE', url: cards(a, `/${goneCard.id}`) });
    const { id: _id, lessonId: _l, position: _p, updatedAt: _u, ...orderCard } = changedCard;
    const put = await t.inject({
      method: 'PUT',
      url: cards(a, `/${changedCard.id}`),
      payload: {
        kind: 'order',
        question: orderCard.question,
        steps: [
          ...orderCard.steps.map((s: { id: string; text: string }) => ({ id: s.id, text: s.text })),
          { text: 'Close' },
        ],
      },
    });
    expect(put.statusCode, put.body).toBe(200);
    // Saving a card unchanged is no change.
    const same = await t.inject({
      method: 'PUT',
      url: cards(a, `/${keptCard.id}`),
      payload: {
        kind: 'single',
        question: keptCard.question,
        options: keptCard.options.map((o: { id: string; text: string; correct: boolean }) => ({
          id: o.id,
          text: o.text,
          correct: o.correct,
        })),
      },
    });
    expect(json(same).options).toEqual(keptCard.options);

    expect(await changes()).toEqual({
      nextVersion: 2,
      moduleFields: ['summary'],
      lessonsAdded: [{ id: added.id, title: 'Added' }],
      lessonsRemoved: [{ id: dropped.id, title: 'Dropped' }],
      lessonsChanged: [{ id: edited.id, title: 'Edited again' }],
      cardsAdded: 2,
      cardsRemoved: 3,
      cardsChanged: 1,
      problems: [],
    });

    // Moving lessons kept from the last version is a change of the module's lesson order.
    const order = [added.id, edited.id, kept.id];
    const moved = await t.inject({
      method: 'PUT',
      url: modules(a, `/${module.id}/lessons/order`),
      payload: { ids: order },
    });
    expect((await changes()).moduleFields).toEqual(['summary', 'lessonOrder']);
    expect(json(moved).lessons.map((l: { id: string }) => l.id)).toEqual(order);
  });
});

describe('lesson order', () => {
  it('trainers and admins reorder; the ids must be exactly the module’s lessons', async () => {
    const twoLessons = async (org: OrgFixture) => {
      const module = await f.freshModule(org);
      const first = await f.freshLesson(org, module.id);
      const second = await f.freshLesson(org, module.id);
      return { module, ids: [first.id, second.id] };
    };
    await checkRoute(h, {
      request: async (org, owner) => {
        const { module, ids } = await twoLessons(owner);
        return {
          method: 'PUT',
          url: modules(org, `/${module.id}/lessons/order`),
          payload: { ids: ids.reverse() },
        };
      },
      allow: [...AUTHORS],
      status: 200,
      objectInPath: true,
      badInput: async (org) => ({
        method: 'PUT',
        url: modules(org, `/${(await twoLessons(org)).module.id}/lessons/order`),
        payload: { ids: ['not-an-id'] },
      }),
    });
    const { a, b } = h.world;
    const { module, ids } = await twoLessons(a);
    const theirs = await f.freshLesson(b);
    const reorder = (payload: object) =>
      a.users.trainer.inject({
        method: 'PUT',
        url: modules(a, `/${module.id}/lessons/order`),
        payload,
      });
    for (const bad of [[ids[0]], [ids[0], theirs.id], [...ids, theirs.id], [ids[0], ids[0]]]) {
      const err = expectError(await reorder({ ids: bad }), 400, 'VALIDATION_FAILED');
      expect(issuePaths(err)).toEqual(['body.ids']);
    }
    const res = json(await reorder({ ids: [ids[1], ids[0]] }));
    expect(res.lessons.map((l: { id: string; position: number }) => [l.id, l.position])).toEqual([
      [ids[1], 0],
      [ids[0], 1],
    ]);
  });
});

describe('tenancy of module content', () => {
  it('never lists or counts another organisation’s lessons and cards', async () => {
    const { a, b } = h.world;
    const ours = await f.readyModule(a);
    const theirs = await f.readyModule(b);
    const rows = await h.db
      .select()
      .from(moduleVersions)
      .where(and(eq(moduleVersions.orgId, a.id), eq(moduleVersions.moduleId, theirs.module.id)));
    expect(rows).toEqual([]);
    expect(await f.getModule(a, ours.module.id)).toMatchObject({ lessonCount: 1, cardCount: 1 });
    expectError(
      await a.users.admin.inject({
        method: 'GET',
        url: modules(a, `/${theirs.module.id}/changes`),
      }),
      404,
      'NOT_FOUND',
    );
  });
});
