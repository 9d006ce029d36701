/**
 * Reading a module's working copy as a portable module file (`rappel.module/1`): sources only,
 * with the personas and images the lessons use, in a stable order and without dates, so the
 * same module always gives the same file.
 */
import { MODULE_PACKAGE_FORMAT, type ModulePackage } from '../../shared/module-package';
import type { Block, BlockSource } from '../../shared/modules';
import * as assetRepo from '../assets/repository';
import type { Transaction } from '../db/client';
import type { CardContent } from '../db/schema/modules';
import { NotFoundError } from '../lib/errors';
import * as repo from './package-repository';

type PackageCard = ModulePackage['lessons'][number]['cards'][number];

/** `Log a call (CRM)!` → `log-a-call-crm`: a file name any system accepts. */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return slug || 'module';
}

/** The persona and image ids a lesson's blocks use, in order of first use. */
function references(lessons: readonly { personaIds: string[]; blocks: Block[] }[]) {
  const personaIds = new Set<string>();
  const assetIds = new Set<string>();
  for (const lesson of lessons) {
    lesson.personaIds.forEach((id) => personaIds.add(id));
    for (const block of lesson.blocks) {
      block.personaIds.forEach((id) => personaIds.add(id));
      if (block.kind === 'image' && block.assetId) assetIds.add(block.assetId);
      if (block.kind === 'steps') {
        block.steps.forEach((s) => s.assetId && assetIds.add(s.assetId));
      }
    }
  }
  return { personaIds: [...personaIds], assetIds: [...assetIds] };
}

/** A stored block back to its source (no HTML); references to what is gone are dropped. */
function blockSource(
  block: Block,
  personas: (ids: string[]) => string[],
  asset: (id: string | null) => string | null,
): BlockSource {
  const base = { id: block.id, personaIds: personas(block.personaIds) };
  switch (block.kind) {
    case 'text':
      return { ...base, kind: 'text', markdown: block.markdown };
    case 'image':
      return {
        ...base,
        kind: 'image',
        assetId: asset(block.assetId),
        alt: block.alt,
        caption: block.caption,
      };
    case 'video':
      return { ...base, kind: 'video', url: block.url, title: block.title };
    case 'steps':
      return {
        ...base,
        kind: 'steps',
        steps: block.steps.map((s) => ({ markdown: s.markdown, assetId: asset(s.assetId) })),
      };
    case 'callout':
      return { ...base, kind: 'callout', tone: block.tone, markdown: block.markdown };
    case 'task':
      return { ...base, kind: 'task', markdown: block.markdown, check: block.check };
  }
}

/** A stored card back to its source. */
function cardSource(row: {
  id: string;
  content: CardContent;
  expectedSeconds: number | null;
}): PackageCard {
  const c = row.content;
  const base = {
    id: row.id,
    question: c.question,
    explanation: c.explanation,
    expectedSeconds: row.expectedSeconds,
  };
  switch (c.kind) {
    case 'single':
    case 'multiple':
      return {
        ...base,
        kind: c.kind,
        options: c.options.map((o) => ({ id: o.id, text: o.text, correct: o.correct })),
      };
    case 'truefalse':
      return { ...base, kind: 'truefalse', answer: c.answer };
    case 'order':
      return { ...base, kind: 'order', steps: c.steps.map((s) => ({ id: s.id, text: s.text })) };
    case 'short':
      return { ...base, kind: 'short', modelAnswer: c.modelAnswer };
  }
}

/** Reads a module's working copy as a module file (deterministic: no dates, stable order). */
export async function readPackage(tx: Transaction, orgId: string, moduleId: string) {
  const header = await repo.readModuleHeader(tx, orgId, moduleId);
  if (!header) throw new NotFoundError('Module');
  const targets = await repo.readTargetNames(tx, moduleId);
  const tree = await repo.readLessonTree(tx, orgId, moduleId);
  const refs = references(tree.lessons);
  const personaRows = await repo.readPersonas(tx, orgId, refs.personaIds);
  const assetRows = await assetRepo.listAssetData(tx, orgId, refs.assetIds);
  // Persona variants of deleted personas are ignored when lessons are shown; so here.
  const personaById = new Map(personaRows.map((p) => [p.id, p]));
  const assetById = new Map(assetRows.map((a) => [a.id, a]));
  const personas = (ids: string[]) => ids.filter((id) => personaById.has(id));
  const asset = (id: string | null) => (id && assetById.has(id) ? id : null);

  const file: ModulePackage = {
    format: MODULE_PACKAGE_FORMAT,
    module: {
      title: header.title,
      summary: header.summary,
      estimatedMinutes: header.estimatedMinutes,
      criticality: header.criticality,
      // Left out when unset, so files of modules without one read as before.
      ...(header.desiredRetention === null ? {} : { desiredRetention: header.desiredRetention }),
      tool: { name: header.toolName, description: header.toolDescription ?? '' },
      process:
        header.processName === null
          ? null
          : {
              name: header.processName,
              description: header.processDescription ?? '',
              nextUse: header.processNextUse ?? { kind: 'none' },
              ...(header.processUseDayTarget === null
                ? {}
                : { useDayTarget: header.processUseDayTarget }),
            },
      jobRoles: targets.jobRoles,
      teams: targets.teams,
    },
    personas: personas(refs.personaIds).map((id) => {
      const { name, description, confidence, device, minutesPerDay } = personaById.get(id)!;
      return { id, name, description, confidence, device, minutesPerDay };
    }),
    images: refs.assetIds
      .filter((id) => assetById.has(id))
      .map((id) => {
        const { contentType, data } = assetById.get(id)!;
        return { id, contentType, data: Buffer.from(data).toString('base64') };
      }),
    lessons: tree.lessons.map((lesson) => ({
      id: lesson.id,
      title: lesson.title,
      personaIds: personas(lesson.personaIds),
      blocks: lesson.blocks.map((b) => blockSource(b, personas, asset)),
      cards: tree.cards.filter((c) => c.lessonId === lesson.id).map(cardSource),
    })),
  };
  return { file, fileName: `${slugify(header.title)}.rappel-module.json` };
}
