import { count, eq } from 'drizzle-orm';
import type { Role } from '../../shared/common';
import {
  type CardContentInput,
  type CreateLessonInput,
  type CreateModuleInput,
  createCardBodySchema,
  createLessonBodySchema,
  createModuleBodySchema,
} from '../../shared/modules';
import {
  assets,
  cards,
  lessons,
  modules,
  personas,
  processes,
  tools,
} from '../../server/db/schema';
import { createLessonService } from '../../server/modules/lesson-service';
import { createModuleService } from '../../server/modules/service';
import * as orgRepo from '../../server/orgs/repository';
import * as personaRepo from '../../server/personas/repository';
import * as toolRepo from '../../server/tools/repository';
import { type Harness, json, type OrgFixture } from './harness';
import { GIF, PNG } from './images';

/** Module fixtures written through the module services, and the module-file routes' URLs. */
export function modulePackageFixtures(h: Harness) {
  const moduleService = createModuleService({ db: h.db, clock: h.clock });
  const lessonService = createLessonService({ db: h.db, clock: h.clock });
  let n = 0;

  const urls = {
    exportUrl: (org: OrgFixture, moduleId: string) =>
      `/api/orgs/${org.id}/modules/${moduleId}/export`,
    importUrl: (org: OrgFixture) => `/api/orgs/${org.id}/modules/import`,
    assetsUrl: (org: OrgFixture) => `/api/orgs/${org.id}/assets`,
  };

  async function upload(org: OrgFixture, bytes: Buffer, type = 'image/png'): Promise<string> {
    const res = await org.users.trainer.inject({
      method: 'POST',
      url: urls.assetsUrl(org),
      payload: bytes,
      headers: { 'content-type': type },
    });
    if (res.statusCode !== 201) throw new Error(res.body);
    return json(res).id;
  }

  /** A bare module (one text lesson) with a fresh tool. */
  async function smallModule(org: OrgFixture) {
    const tool = await toolRepo.insertTool(
      h.db,
      org.id,
      { name: `Small tool ${++n}`, description: null },
      h.clock.now(),
    );
    const module = await moduleService.create(
      org.id,
      createModuleBodySchema.parse({ title: `Small module ${n}`, toolId: tool.id }),
    );
    await lessonService.createLesson(
      org.id,
      module.id,
      createLessonBodySchema.parse({
        title: 'Only lesson',
        blocks: [{ id: crypto.randomUUID(), kind: 'text', markdown: 'Hello **there**' }],
      }),
    );
    return module.id;
  }

  /** The tool, process, personas and images the rich module uses, made once per organisation. */
  const setups = new Map<string, ReturnType<typeof setUp>>();
  async function setUp(org: OrgFixture) {
    const now = h.clock.now();
    const crm = await toolRepo.insertTool(
      h.db,
      org.id,
      { name: 'CRM', description: 'Customer records' },
      now,
    );
    const process = await toolRepo.insertProcess(
      h.db,
      org.id,
      crm.id,
      {
        name: 'Log a call',
        description: null,
        nextUse: { kind: 'rule', rule: 'last-working-day-of-month' },
      },
      now,
    );
    const position = await personaRepo.nextPosition(h.db, org.id);
    const persona = (
      name: string,
      i: number,
      values: Pick<
        personaRepo.PersonaValues,
        'description' | 'confidence' | 'device' | 'minutesPerDay'
      >,
    ) => personaRepo.insertPersona(h.db, org.id, { name, ...values, position: position + i }, now);
    const stepByStep = await persona('Step by step', 0, {
      description: 'Screenshots please',
      confidence: 2,
      device: 'desktop',
      minutesPerDay: 10,
    });
    const powerUser = await persona('Power user', 1, {
      description: '',
      confidence: 5,
      device: 'any',
      minutesPerDay: 5,
    });
    // Used by no lesson: stays out of the file.
    await persona('Unused', 2, {
      description: '',
      confidence: 3,
      device: 'phone',
      minutesPerDay: 5,
    });
    const screenshot = await upload(org, PNG);
    const stepShot = await upload(org, GIF, 'application/octet-stream');
    return { crm, process, stepByStep, powerUser, screenshot, stepShot };
  }

  /**
   * "Log a call in the new CRM": two lessons, persona variants on a lesson and on blocks, an
   * image block and a step screenshot, every block kind and all five card kinds.
   */
  async function richModule(org: OrgFixture) {
    if (!setups.has(org.id)) setups.set(org.id, setUp(org));
    const { crm, process, stepByStep, powerUser, screenshot, stepShot } = await setups.get(org.id)!;

    const input: CreateModuleInput = {
      title: 'Log a call in the new CRM',
      summary: 'For sales reps: one call, logged in two minutes.',
      toolId: crm.id,
      processId: process.id,
      jobRoleIds: [org.jobRole.id],
      teamIds: [org.team.id],
      estimatedMinutes: 8,
      criticality: 'critical',
    };
    const module = await moduleService.create(org.id, createModuleBodySchema.parse(input));
    const id = () => crypto.randomUUID();
    const first: CreateLessonInput = {
      title: 'Find the customer',
      blocks: [
        {
          id: id(),
          kind: 'text',
          markdown: '# Why\nEvery call counts. See [the guide](https://example.com/guide).',
        },
        {
          id: id(),
          kind: 'image',
          assetId: screenshot,
          alt: 'The search box',
          caption: 'Top left',
          personaIds: [stepByStep.id],
        },
        { id: id(), kind: 'video', url: 'https://video.example.com/crm', title: 'Two-minute tour' },
        {
          id: id(),
          kind: 'steps',
          steps: [
            { markdown: 'Open **Contacts**', assetId: stepShot },
            { markdown: 'Type the name', assetId: null },
          ],
        },
      ],
    };
    const second: CreateLessonInput = {
      title: 'Log it',
      personaIds: [stepByStep.id, powerUser.id],
      blocks: [
        {
          id: id(),
          kind: 'callout',
          tone: 'warning',
          markdown: 'Log it **before** the next call.',
        },
        {
          id: id(),
          kind: 'task',
          markdown: 'Log your last call now.',
          check: 'It shows in the timeline.',
        },
        { id: id(), kind: 'text', markdown: 'Shortcut: `Ctrl+L`', personaIds: [powerUser.id] },
      ],
    };
    const [l1, l2] = [
      await lessonService.createLesson(org.id, module.id, createLessonBodySchema.parse(first)),
      await lessonService.createLesson(org.id, module.id, createLessonBodySchema.parse(second)),
    ];
    const cardsOf: [string, CardContentInput][] = [
      [
        l1.id,
        {
          kind: 'single',
          question: 'Where do you search?',
          explanation: 'Top left.',
          options: [
            { text: 'Search box', correct: true },
            { text: 'Menu', correct: false },
          ],
        },
      ],
      [
        l1.id,
        {
          kind: 'truefalse',
          question: 'A call needs a contact.',
          answer: true,
          expectedSeconds: 8,
        },
      ],
      [
        l2.id,
        {
          kind: 'multiple',
          question: 'What goes in a call log?',
          options: [
            { text: 'Date', correct: true },
            { text: 'Outcome', correct: true },
            { text: 'Weather', correct: false },
          ],
        },
      ],
      [
        l2.id,
        {
          kind: 'order',
          question: 'Put in order',
          steps: [{ text: 'Open contact' }, { text: 'Click Log' }, { text: 'Save' }],
        },
      ],
      [
        l2.id,
        {
          kind: 'short',
          question: 'Shortcut to log a call?',
          modelAnswer: 'Ctrl+L',
          explanation: '_Fast_.',
        },
      ],
    ];
    for (const [lessonId, card] of cardsOf) {
      await lessonService.createCard(org.id, lessonId, createCardBodySchema.parse(card));
    }
    return {
      moduleId: module.id,
      personas: [stepByStep, powerUser],
      assets: [screenshot, stepShot],
    };
  }

  /** A trainer of `home` who is also a trainer of `other`. */
  async function consultant(home: OrgFixture, other: OrgFixture, roles: Role[] = ['trainer']) {
    const user = await h.addUser(home.id, roles, `Consultant ${++n}`);
    await orgRepo.insertMembership(h.db, {
      orgId: other.id,
      userId: user.id,
      roles,
      now: h.clock.now(),
    });
    return user;
  }

  /** How many rows of each kind the organisation has, to prove a refused import changed nothing. */
  async function rowCounts(orgId: string) {
    const countOf = async (
      table:
        | typeof modules
        | typeof tools
        | typeof processes
        | typeof personas
        | typeof assets
        | typeof lessons
        | typeof cards,
    ) => {
      const [row] = await h.db.select({ n: count() }).from(table).where(eq(table.orgId, orgId));
      return row!.n;
    };
    return {
      modules: await countOf(modules),
      tools: await countOf(tools),
      processes: await countOf(processes),
      personas: await countOf(personas),
      assets: await countOf(assets),
      lessons: await countOf(lessons),
      cards: await countOf(cards),
    };
  }

  return { ...urls, upload, smallModule, richModule, consultant, rowCounts };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A copy of a module file whose ids (UUIDs) are replaced by `#1`, `#2`… in order of first
 * appearance, so two exports of the same content compare equal whatever ids the rows have.
 */
export function withPlaceholderIds(file: unknown): unknown {
  const ids = new Map<string, string>();
  return replace(file);

  function replace(value: unknown): unknown {
    if (typeof value === 'string' && UUID.test(value)) {
      if (!ids.has(value)) ids.set(value, `#${ids.size + 1}`);
      return ids.get(value);
    }
    if (Array.isArray(value)) return value.map(replace);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v)]));
    }
    return value;
  }
}
