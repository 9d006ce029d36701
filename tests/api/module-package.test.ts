import { readFile } from 'node:fs/promises';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  MODULE_PACKAGE_FORMAT,
  MODULE_PACKAGE_MAX_BYTES,
  type ModulePackage,
  modulePackageSchema,
} from '../../shared/module-package';
import { issueMessages } from '../../shared/modules';
import { assets, cards, lessons, modules, personas, processes } from '../../server/db/schema';
import {
  AUTHORS,
  checkRoute,
  createHarness,
  expectError,
  issuePaths,
  json,
  type OrgFixture,
} from '../helpers/harness';
import { GIF, HTML, PNG } from '../helpers/images';
import { slugify } from '../../server/modules/package-export';
import { modulePackageFixtures, withPlaceholderIds } from '../helpers/module-package';

const h = await createHarness();
const f = modulePackageFixtures(h);

async function exported(org: OrgFixture, moduleId: string, caller = org.users.trainer) {
  const res = await caller.inject({ method: 'GET', url: f.exportUrl(org, moduleId) });
  expect(res.statusCode, res.body).toBe(200);
  return { file: json<ModulePackage>(res), res };
}

/** A valid file of one lesson, for the refusal tests to break in one place each. */
function minimalFile(): ModulePackage {
  const personaId = crypto.randomUUID();
  const imageId = crypto.randomUUID();
  return {
    format: MODULE_PACKAGE_FORMAT,
    module: {
      title: 'Minimal',
      summary: '',
      estimatedMinutes: 5,
      criticality: 'normal',
      tool: { name: 'Minimal tool', description: '' },
      process: null,
      jobRoles: [],
      teams: [],
    },
    personas: [
      {
        id: personaId,
        name: 'Careful',
        description: '',
        confidence: 2,
        device: 'desktop',
        minutesPerDay: 5,
      },
    ],
    images: [{ id: imageId, contentType: 'image/png', data: PNG.toString('base64') }],
    lessons: [
      {
        id: crypto.randomUUID(),
        title: 'One',
        personaIds: [],
        blocks: [
          { id: crypto.randomUUID(), personaIds: [], kind: 'text', markdown: 'Hello' },
          {
            id: crypto.randomUUID(),
            personaIds: [personaId],
            kind: 'image',
            assetId: imageId,
            alt: 'A pixel',
            caption: '',
          },
        ],
        cards: [
          {
            id: crypto.randomUUID(),
            kind: 'truefalse',
            question: 'True?',
            explanation: '',
            expectedSeconds: null,
            answer: true,
          },
        ],
      },
    ],
  };
}

describe('exporting a module file', () => {
  it('trainers and admins export; another organisation’s module is 404', async () => {
    const ids = new Map<string, string>();
    const moduleOf = async (org: OrgFixture) => {
      if (!ids.has(org.id)) ids.set(org.id, await f.smallModule(org));
      return ids.get(org.id)!;
    };
    await checkRoute(h, {
      request: async (org, owner) => ({
        method: 'GET',
        url: f.exportUrl(org, await moduleOf(owner)),
      }),
      allow: [...AUTHORS],
      status: 200,
      objectInPath: true,
      badInput: (org) => ({ method: 'GET', url: f.exportUrl(org, 'nope') }),
    });
    const { a } = h.world;
    expectError(
      await a.users.admin.inject({ method: 'GET', url: f.exportUrl(a, crypto.randomUUID()) }),
      404,
      'NOT_FOUND',
    );
  });

  it('holds Markdown sources, the personas and images used, and nothing of the organisation', async () => {
    const { a } = h.world;
    const rich = await f.richModule(a);
    const { file, res } = await exported(a, rich.moduleId);
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="log-a-call-in-the-new-crm.rappel-module.json"',
    );
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(modulePackageSchema.safeParse(file).success).toBe(true);
    expect(file.module).toEqual({
      title: 'Log a call in the new CRM',
      summary: 'For sales reps: one call, logged in two minutes.',
      estimatedMinutes: 8,
      criticality: 'critical',
      tool: { name: 'CRM', description: 'Customer records' },
      process: {
        name: 'Log a call',
        description: '',
        nextUse: { kind: 'rule', rule: 'last-working-day-of-month' },
      },
      jobRoles: ['Sales rep'],
      teams: ['Sales'],
    });
    expect(file.personas.map((p) => p.name)).toEqual(['Step by step', 'Power user']);
    expect(file.personas.map((p) => p.id)).toEqual(rich.personas.map((p) => p.id));
    expect(file.images.map((i) => [i.id, i.contentType, i.data])).toEqual([
      [rich.assets[0], 'image/png', PNG.toString('base64')],
      [rich.assets[1], 'image/gif', GIF.toString('base64')],
    ]);
    expect(file.lessons.map((l) => l.title)).toEqual(['Find the customer', 'Log it']);
    expect(file.lessons[1]!.cards.map((c) => c.kind)).toEqual(['multiple', 'order', 'short']);
    const text = JSON.stringify(file);
    expect(text).not.toMatch(/html|Html|createdAt|updatedAt|orgId|position/);
    expect(text).not.toContain(a.id);
    expect(text).toContain('# Why\\nEvery call counts.');
    // The same module gives the same file, byte for byte.
    expect((await exported(a, rich.moduleId)).res.body).toBe(res.body);
  });
});

describe('the file name', () => {
  it('is the title as a plain-ASCII slug', () => {
    expect(slugify('Clôture mensuelle : « TVA » (2026)')).toBe('cloture-mensuelle-tva-2026');
    expect(slugify('"; rm -rf /\r\nX-Evil: 1')).toBe('rm-rf-x-evil-1');
    expect(slugify('日本語')).toBe('module');
    expect(slugify('a'.repeat(200))).toHaveLength(80);
  });
});

describe('importing a module file', () => {
  it('trainers and admins import; a file that is not a module file is 400', async () => {
    await checkRoute(h, {
      request: (org) => ({ method: 'POST', url: f.importUrl(org), payload: minimalFile() }),
      allow: [...AUTHORS],
      status: 201,
      badInput: (org) => ({ method: 'POST', url: f.importUrl(org), payload: { format: 'x' } }),
    });
  });

  it('round trip: export → import into another organisation → export gives the same file, ids aside', async () => {
    const { a, b } = h.world;
    const consultant = await f.consultant(a, b);
    const rich = await f.richModule(a);
    const before = await f.rowCounts(b.id);
    const { file: first } = await exported(a, rich.moduleId, consultant);
    // No target recall of its own: the file says nothing of it, as files did before it existed.
    expect(first.module).not.toHaveProperty('desiredRetention');

    const res = await consultant.inject({ method: 'POST', url: f.importUrl(b), payload: first });
    expect(res.statusCode, res.body).toBe(201);
    const result = json(res);
    expect(result).toEqual({
      moduleId: expect.any(String),
      unmatchedJobRoles: [],
      unmatchedTeams: [],
      createdPersonas: ['Step by step', 'Power user'],
      createdTool: true,
      createdProcess: true,
    });
    const { file: second } = await exported(b, result.moduleId, consultant);
    expect(withPlaceholderIds(second)).toEqual(withPlaceholderIds(first));

    // Every id is new; the module is a draft with changes to publish.
    const idsOf = (file: ModulePackage) =>
      JSON.stringify(file).match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g)!;
    expect(idsOf(second).filter((id) => idsOf(first).includes(id))).toEqual([]);
    const [row] = await h.db.select().from(modules).where(eq(modules.id, result.moduleId));
    expect(row).toMatchObject({
      orgId: b.id,
      desiredRetention: null,
      status: 'draft',
      hasUnpublishedChanges: true,
      version: null,
      publishedAt: null,
    });
    expect(await f.rowCounts(b.id)).toEqual({
      modules: before.modules + 1,
      tools: before.tools + 1,
      processes: before.processes + 1,
      personas: before.personas + 2,
      assets: before.assets + 2,
      lessons: before.lessons + 2,
      cards: before.cards + 5,
    });
    const [asset] = await h.db.select().from(assets).where(eq(assets.id, second.images[0]!.id));
    expect(asset).toMatchObject({ orgId: b.id, createdBy: consultant.id });

    // Imported again: a second module; tool, process, personas and images are reused.
    const again = json(
      await consultant.inject({ method: 'POST', url: f.importUrl(b), payload: first }),
    );
    expect(again).toMatchObject({ createdPersonas: [], createdTool: false, createdProcess: false });
    expect(again.moduleId).not.toBe(result.moduleId);
    expect(await f.rowCounts(b.id)).toMatchObject({
      modules: before.modules + 2,
      tools: before.tools + 1,
      personas: before.personas + 2,
      assets: before.assets + 2,
    });
  });

  it('round trip with a target recall: the module keeps it, the file is the same again', async () => {
    const { a, b } = h.world;
    const consultant = await f.consultant(a, b);
    const rich = await f.richModule(a);
    const patched = await consultant.inject({
      method: 'PATCH',
      url: `/api/orgs/${a.id}/modules/${rich.moduleId}`,
      payload: { desiredRetention: 0.95 },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const { file: first } = await exported(a, rich.moduleId, consultant);
    expect(first.module.desiredRetention).toBe(0.95);

    const res = await consultant.inject({ method: 'POST', url: f.importUrl(b), payload: first });
    expect(res.statusCode, res.body).toBe(201);
    const { moduleId } = json(res);
    const read = await consultant.inject({
      method: 'GET',
      url: `/api/orgs/${b.id}/modules/${moduleId}`,
    });
    expect(json(read).desiredRetention).toBe(0.95);
    const { file: second } = await exported(b, moduleId, consultant);
    expect(withPlaceholderIds(second)).toEqual(withPlaceholderIds(first));
  });

  it('a target recall of null imports as none', async () => {
    const { b } = h.world;
    const file = minimalFile();
    file.module.desiredRetention = null;
    // Names of its own, so the imports the other tests make still create theirs.
    file.module.tool.name = 'Tool without a target recall';
    file.personas[0]!.name = 'No target recall';
    const res = await b.users.trainer.inject({
      method: 'POST',
      url: f.importUrl(b),
      payload: file,
    });
    expect(res.statusCode, res.body).toBe(201);
    const [row] = await h.db
      .select()
      .from(modules)
      .where(eq(modules.id, json(res).moduleId));
    expect(row!.desiredRetention).toBeNull();
  });

  it("carries a process's use-day target; a file without one gives the default", async () => {
    const { b } = h.world;
    const importFile = async (toolName: string, process: ModulePackage['module']['process']) => {
      const file = minimalFile();
      file.module.tool.name = toolName;
      file.module.process = process;
      file.personas[0]!.name = `Careful ${toolName}`;
      const res = await b.users.trainer.inject({
        method: 'POST',
        url: f.importUrl(b),
        payload: file,
      });
      expect(res.statusCode, res.body).toBe(201);
      return json(res).moduleId as string;
    };
    const nextUse = { kind: 'rule', rule: 'last-working-day-of-month' } as const;
    const targeted = await importFile('Ledger', {
      name: 'Month-end close',
      description: '',
      nextUse,
      useDayTarget: 0.95,
    });
    const [row] = await h.db
      .select({ useDayTarget: processes.useDayTarget })
      .from(modules)
      .innerJoin(processes, eq(processes.id, modules.processId))
      .where(eq(modules.id, targeted));
    expect(row!.useDayTarget).toBe(0.95);
    expect((await exported(b, targeted)).file.module.process).toEqual({
      name: 'Month-end close',
      description: '',
      nextUse,
      useDayTarget: 0.95,
    });
    // A file written before the target existed: the process takes the default, and exports
    // without the field, as before.
    const older = await importFile('Payroll', { name: 'Payslips', description: '', nextUse });
    const { file } = await exported(b, older);
    expect(file.module.process).toEqual({ name: 'Payslips', description: '', nextUse });
    const refused = minimalFile();
    refused.module.process = { name: 'Close', description: '', useDayTarget: 0.5 };
    const bad = expectError(
      await b.users.trainer.inject({ method: 'POST', url: f.importUrl(b), payload: refused }),
      400,
      'VALIDATION_FAILED',
    );
    expect(issuePaths(bad)).toContain('body.module.process.useDayTarget');
  });

  it('matches names case-insensitively and lists the job roles and teams it could not match', async () => {
    const { b } = h.world;
    const file = minimalFile();
    file.module.tool.name = 'MINIMAL TOOL X';
    file.module.jobRoles = ['SALES REP', 'Accountant'];
    file.module.teams = ['Warehouse', 'sales'];
    file.personas[0]!.name = 'careful ones';
    const first = json(
      await b.users.trainer.inject({ method: 'POST', url: f.importUrl(b), payload: file }),
    );
    expect(first).toMatchObject({
      unmatchedJobRoles: ['Accountant'],
      unmatchedTeams: ['Warehouse'],
      createdPersonas: ['careful ones'],
      createdTool: true,
      createdProcess: false,
    });
    file.module.tool.name = 'minimal tool x';
    file.personas[0]!.name = 'Careful Ones';
    const second = json(
      await b.users.trainer.inject({ method: 'POST', url: f.importUrl(b), payload: file }),
    );
    expect(second).toMatchObject({ createdPersonas: [], createdTool: false });
    const { file: out } = await exported(b, second.moduleId);
    expect(out.module).toMatchObject({
      tool: { name: 'MINIMAL TOOL X' },
      jobRoles: ['Sales rep'],
      teams: ['Sales'],
    });
    const created = await h.db
      .select()
      .from(personas)
      .where(and(eq(personas.orgId, b.id), eq(personas.name, 'careful ones')));
    expect(created).toHaveLength(1);
  });

  it('creates only the personas and images lessons use; big files pass the usual body limit', async () => {
    const { b } = h.world;
    const before = await f.rowCounts(b.id);
    const file = minimalFile();
    const big = Buffer.concat([PNG, Buffer.alloc(1_500_000, 7)]);
    file.images[0]!.data = big.toString('base64');
    file.personas.push({
      id: crypto.randomUUID(),
      name: 'Nobody uses me',
      description: '',
      confidence: 1,
      device: 'phone',
      minutesPerDay: 1,
    });
    file.images.push({
      id: crypto.randomUUID(),
      contentType: 'image/gif',
      data: GIF.toString('base64'),
    });
    const payload = JSON.stringify(file);
    expect(payload.length).toBeGreaterThan(h.config.bodyLimit);
    const res = await b.users.admin.inject({
      method: 'POST',
      url: f.importUrl(b),
      payload,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(json(res).createdPersonas).toEqual(['Careful']);
    expect(await f.rowCounts(b.id)).toMatchObject({
      personas: before.personas + 1,
      assets: before.assets + 1,
    });
    const { file: out } = await exported(b, json(res).moduleId);
    expect(out.images.map((i) => Buffer.from(i.data, 'base64').equals(big))).toEqual([true]);
  });

  it('sanitises hostile Markdown: the import succeeds, the stored HTML is safe', async () => {
    const { b } = h.world;
    const file = minimalFile();
    const hostile = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '[click](javascript:alert(1))',
      '<a href="jAvAsCrIpT:alert(1)">x</a>',
      '<svg onload=alert(1)>',
    ].join('\n\n');
    file.lessons[0]!.blocks[0] = {
      id: crypto.randomUUID(),
      personaIds: [],
      kind: 'text',
      markdown: hostile,
    };
    file.lessons[0]!.cards[0] = {
      id: crypto.randomUUID(),
      kind: 'short',
      question: 'Say <img src=x onerror=alert(2)>',
      explanation: '[x](javascript:alert(3))',
      expectedSeconds: null,
      modelAnswer: 'ok',
    };
    const res = await b.users.trainer.inject({
      method: 'POST',
      url: f.importUrl(b),
      payload: file,
    });
    expect(res.statusCode, res.body).toBe(201);
    const moduleId = json(res).moduleId;
    const [lesson] = await h.db.select().from(lessons).where(eq(lessons.moduleId, moduleId));
    const [card] = await h.db.select().from(cards).where(eq(cards.moduleId, moduleId));
    const html = [
      (lesson!.blocks[0] as { html: string }).html,
      card!.content.questionHtml,
      card!.content.explanationHtml,
    ];
    // What the editor and the lesson player get is what was stored.
    const served = await b.users.trainer.inject({
      method: 'GET',
      url: `/api/orgs/${b.id}/lessons/${lesson!.id}`,
    });
    if (served.statusCode === 200) {
      const body = json(served);
      html.push(body.blocks[0].html, body.cards[0].questionHtml, body.cards[0].explanationHtml);
    }
    expect(html[0]).toContain('<a>click</a>');
    expect(html[1]).toContain('Say');
    for (const text of html) {
      expect(text).not.toMatch(/<script|<svg|onerror|onload|javascript:|href="(?!https?:)/i);
    }
    // The sources are kept as written, for the trainer to edit.
    expect((lesson!.blocks[0] as { markdown: string }).markdown).toBe(hostile);
  });
});

describe('refusing broken and hostile files: 400 with the field, nothing changed', () => {
  async function refused(payload: unknown, expected: { status?: number; paths?: string[] }) {
    const { b } = h.world;
    const before = await f.rowCounts(b.id);
    const res = await b.users.trainer.inject({
      method: 'POST',
      url: f.importUrl(b),
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
      headers: { 'content-type': 'application/json' },
    });
    const err = expectError(res, expected.status ?? 400);
    if (expected.paths) expect(issuePaths(err)).toEqual(expect.arrayContaining(expected.paths));
    expect(await f.rowCounts(b.id)).toEqual(before);
    return err;
  }
  const broken = (change: (file: ModulePackage) => void) => {
    const file = minimalFile();
    change(file);
    return file;
  };

  it('a wrong format string', async () => {
    await refused(
      broken((file) => ((file as { format: string }).format = 'rappel.module/2')),
      {
        paths: ['body.format'],
      },
    );
  });

  it('a target recall outside 70–97 %', async () => {
    await refused(
      broken((file) => (file.module.desiredRetention = 0.99)),
      { paths: ['body.module.desiredRetention'] },
    );
  });

  it('unknown keys, anywhere', async () => {
    await refused({ ...minimalFile(), extra: true }, { paths: ['body'] });
    await refused(
      broken((file) => Object.assign(file.lessons[0]!.cards[0]!, { html: '<b>x</b>' })),
      { paths: ['body.lessons.0.cards.0'] },
    );
    await refused(
      broken((file) => Object.assign(file.lessons[0]!.blocks[0]!, { html: '<script>' })),
      { paths: ['body.lessons.0.blocks.0'] },
    );
  });

  it('a choice card with no right option, or a single-choice one with two, as the editor refuses', async () => {
    const choice = (kind: 'single' | 'multiple', ...correct: boolean[]) =>
      broken((file) =>
        file.lessons[0]!.cards.push({
          id: crypto.randomUUID(),
          kind,
          question: 'Where is a call logged?',
          explanation: '',
          expectedSeconds: null,
          options: correct.map((right, i) => ({
            id: crypto.randomUUID(),
            text: `${i}`,
            correct: right,
          })),
        }),
      );
    const path = 'body.lessons.0.cards.1.options';
    const err = await refused(choice('single', false, false), { paths: [path] });
    expect(err.issues).toEqual([expect.objectContaining({ message: issueMessages.oneCorrect })]);
    await refused(choice('single', true, true), { paths: [path] });
    await refused(choice('multiple', false, false, false), { paths: [path] });
  });

  it('__proto__ and constructor.prototype keys (refused by the JSON parser, before any field)', async () => {
    const text = JSON.stringify(minimalFile());
    await refused(text.replace('"module":{', '"module":{"__proto__":{"polluted":true},'), {});
    await refused(
      text.replace('{"format"', '{"constructor":{"prototype":{"polluted":true}},"format"'),
      {},
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a persona reference that is not in the file', async () => {
    await refused(
      broken((file) => {
        file.lessons[0]!.personaIds = [crypto.randomUUID()];
        file.lessons[0]!.blocks[1]!.personaIds.push(crypto.randomUUID());
      }),
      { paths: ['body.lessons.0.personaIds.0', 'body.lessons.0.blocks.1.personaIds.1'] },
    );
  });

  it('an image reference that is not in the file', async () => {
    const err = await refused(
      broken((file) => {
        const block = file.lessons[0]!.blocks[1]!;
        if (block.kind === 'image') block.assetId = crypto.randomUUID();
        file.lessons[0]!.blocks.push({
          id: crypto.randomUUID(),
          personaIds: [],
          kind: 'steps',
          steps: [{ markdown: 'One', assetId: crypto.randomUUID() }],
        });
      }),
      { paths: ['body.lessons.0.blocks.1.assetId', 'body.lessons.0.blocks.2.steps.0.assetId'] },
    );
    expect(err.issues).toHaveLength(2);
  });

  it('HTML or SVG bytes declared as an image, and an image of another type than declared', async () => {
    await refused(
      broken((file) => (file.images[0]!.data = HTML.toString('base64'))),
      { paths: ['body.images.0.data'] },
    );
    await refused(
      broken((file) => (file.images[0]!.data = GIF.toString('base64'))),
      { paths: ['body.images.0.contentType'] },
    );
  });

  it('bad base64', async () => {
    for (const data of ['AAA', 'AB==', 'iVBO*w0K', 'iVBORw0KGgo=\n']) {
      await refused(
        broken((file) => (file.images[0]!.data = data)),
        { paths: ['body.images.0.data'] },
      );
    }
  });

  it('Markdown that cannot be rendered, with every problem of the file in one answer', async () => {
    const err = await refused(
      broken((file) => {
        const block = file.lessons[0]!.blocks[0]!;
        if (block.kind === 'text') block.markdown = '*'.repeat(2_001);
        file.lessons[0]!.personaIds = [crypto.randomUUID()];
        file.images[0]!.data = 'AB==';
      }),
      {
        paths: [
          'body.lessons.0.blocks.0.markdown',
          'body.lessons.0.personaIds.0',
          'body.images.0.data',
        ],
      },
    );
    expect(err.issues).toHaveLength(3);
  });

  it('NUL characters, which PostgreSQL cannot store, wherever they are', async () => {
    const err = await refused(
      broken((file) => {
        file.lessons[0]!.title = 'One\u0000';
        file.module.tool.name = 'Minimal\u0000tool';
        const card = file.lessons[0]!.cards[0]!;
        card.explanation = 'Because\u0000';
      }),
      {
        paths: [
          'body.module.tool.name',
          'body.lessons.0.title',
          'body.lessons.0.cards.0.explanation',
        ],
      },
    );
    expect(err.issues).toHaveLength(3);
  });

  it(`a file over ${MODULE_PACKAGE_MAX_BYTES} bytes is 413`, async () => {
    const text = JSON.stringify(minimalFile());
    const padded = text.replace('"summary":""', `"summary":"${'x'.repeat(30 * 1024 * 1024)}"`);
    await refused(padded, { status: 413 });
  });
});

describe('the module file format as JSON Schema', () => {
  it('is public, valid JSON Schema 2020-12, and validates exported files', async () => {
    const res = await h.anon.inject({ method: 'GET', url: '/api/schemas/module-package.json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/schema\+json/);
    const schema = json(res);
    expect(schema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: expect.stringMatching(/\/api\/schemas\/module-package\.json$/),
      title: expect.stringContaining(MODULE_PACKAGE_FORMAT),
    });
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(schema);

    const { a } = h.world;
    const { file } = await exported(a, (await f.richModule(a)).moduleId);
    expect(validate(file), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(minimalFile())).toBe(true);
    const withRecall = (desiredRetention: number | null) => ({
      ...file,
      module: { ...file.module, desiredRetention },
    });
    expect(validate(withRecall(0.95))).toBe(true);
    expect(validate(withRecall(null))).toBe(true);
    expect(validate(withRecall(0.99))).toBe(false);
    const example = JSON.parse(
      await readFile(
        new URL('../../docs/examples/consigner-un-appel.rappel-module.json', import.meta.url),
        'utf8',
      ),
    );
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...file, format: 'rappel.module/2' })).toBe(false);
    expect(validate({ ...file, extra: 1 })).toBe(false);
  });
});
