/**
 * The checks a module file must pass before import touches the database, beyond its schema:
 * every reference points into the file, every image is what it claims, every Markdown field
 * renders. All problems come back at once, as one `ValidationError` with field paths.
 */
import type { ErrorIssue } from '../../shared/common';
import type { ModulePackage } from '../../shared/module-package';
import {
  type Block,
  type BlockSource,
  IMAGE_MAX_BYTES,
  type ImageType,
} from '../../shared/modules';
import { NOT_AN_IMAGE } from '../assets/service';
import { sniffImageType } from '../assets/sniff';
import { ValidationError } from '../lib/errors';
import { type RenderedCard, renderBlocks, renderCard } from './render';

type Path = (string | number)[];

export interface CheckedLesson {
  title: string;
  /** Still the file's persona ids. */
  personaIds: string[];
  /** Rendered, still with the file's block, persona and image ids. */
  blocks: Block[];
  cards: RenderedCard[];
}

export interface CheckedPackage {
  /** The file's images, decoded, by their id in the file. */
  images: Map<string, { contentType: ImageType; data: Buffer }>;
  lessons: CheckedLesson[];
  /** The file ids of the personas and images lessons use, in order of first use. */
  usedPersonaIds: string[];
  usedImageIds: string[];
}

/** The file ids an image block or a procedure step refers to, with where. */
function imageRefs(block: BlockSource, at: Path): { id: string; path: Path }[] {
  if (block.kind === 'image' && block.assetId) {
    return [{ id: block.assetId, path: [...at, 'assetId'] }];
  }
  if (block.kind === 'steps') {
    return block.steps.flatMap((step, s) =>
      step.assetId ? [{ id: step.assetId, path: [...at, 'steps', s, 'assetId'] }] : [],
    );
  }
  return [];
}

function decodeImages(file: ModulePackage, issues: ErrorIssue[]) {
  const images: CheckedPackage['images'] = new Map();
  file.images.forEach((image, m) => {
    const at = ['images', m];
    const data = Buffer.from(image.data, 'base64');
    // Node's decoder skips what it cannot read; only a canonical encoding round-trips.
    if (image.data.length % 4 !== 0 || data.toString('base64') !== image.data) {
      issues.push({ path: [...at, 'data'], message: 'Not valid base64.' });
      return;
    }
    if (data.length > IMAGE_MAX_BYTES) {
      issues.push({ path: [...at, 'data'], message: `At most ${IMAGE_MAX_BYTES} bytes.` });
      return;
    }
    const sniffed = sniffImageType(data);
    if (!sniffed) {
      issues.push({ path: [...at, 'data'], message: NOT_AN_IMAGE });
    } else if (sniffed !== image.contentType) {
      issues.push({
        path: [...at, 'contentType'],
        message: `The image is ${sniffed}, not ${image.contentType}.`,
      });
    } else {
      images.set(image.id, { contentType: sniffed, data });
    }
  });
  return images;
}

/** Runs a renderer, moving its issues (paths prefixed with `body`) into `issues`. */
function rendered<T>(render: () => T, issues: ErrorIssue[]): T | undefined {
  try {
    return render();
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    issues.push(...(err.issues ?? []).map((i) => ({ ...i, path: i.path.slice(1) })));
    return undefined;
  }
}

/**
 * Checks a module file that passed its schema, and renders its Markdown. Throws one
 * `ValidationError` (paths under `body`) listing every problem; pure, touches no database.
 */
export function checkPackage(file: ModulePackage): CheckedPackage {
  const issues: ErrorIssue[] = [];
  const personaIds = new Set(file.personas.map((p) => p.id));
  const imageIds = new Set(file.images.map((i) => i.id));
  const usedPersonas = new Set<string>();
  const usedImages = new Set<string>();

  const checkPersonas = (ids: string[], at: Path) =>
    ids.forEach((id, k) => {
      if (personaIds.has(id)) usedPersonas.add(id);
      else
        issues.push({
          path: [...at, 'personaIds', k],
          message: 'No persona with this id in the file.',
        });
    });

  const images = decodeImages(file, issues);
  const lessons: CheckedLesson[] = [];
  file.lessons.forEach((lesson, i) => {
    const at = ['lessons', i];
    checkPersonas(lesson.personaIds, at);
    lesson.blocks.forEach((block, j) => {
      const blockAt = [...at, 'blocks', j];
      checkPersonas(block.personaIds, blockAt);
      for (const ref of imageRefs(block, blockAt)) {
        if (imageIds.has(ref.id)) usedImages.add(ref.id);
        else issues.push({ path: ref.path, message: 'No image with this id in the file.' });
      }
    });
    const blocks = rendered(() => renderBlocks(lesson.blocks, [...at, 'blocks']), issues);
    const cards = lesson.cards.map((card, j) =>
      rendered(() => renderCard(card, new Set(), [...at, 'cards', j]), issues),
    );
    if (blocks && cards.every((c) => c !== undefined)) {
      lessons.push({ title: lesson.title, personaIds: lesson.personaIds, blocks, cards });
    }
  });

  if (issues.length) {
    throw new ValidationError('The module file has errors; nothing was imported.', issues);
  }
  return { images, lessons, usedPersonaIds: [...usedPersonas], usedImageIds: [...usedImages] };
}
