/** Words for a module's status, criticality, fields, publish problems and durations. */
import type { ErrorIssue } from '$shared/common';
import type { Criticality, ModuleStatus, PublishProblem } from '$shared/modules';
import { i18n } from '$lib/i18n.svelte';
import { m } from '$lib/paraglide/messages.js';

const statusLabels: Record<ModuleStatus, () => string> = {
  draft: m.modules_status_draft,
  published: m.modules_status_published,
  archived: m.modules_status_archived,
};

export function statusLabel(status: ModuleStatus): string {
  return statusLabels[status]();
}

const criticalityLabels: Record<Criticality, () => string> = {
  normal: m.modules_criticality_normal,
  critical: m.modules_criticality_critical,
};

export function criticalityLabel(criticality: Criticality): string {
  return criticalityLabels[criticality]();
}

const fieldLabels: Record<string, () => string> = {
  title: m.modules_field_title,
  summary: m.modules_field_summary,
  toolId: m.modules_field_tool,
  processId: m.modules_field_process,
  jobRoleIds: m.modules_field_job_roles,
  teamIds: m.modules_field_teams,
  estimatedMinutes: m.modules_field_minutes,
  criticality: m.modules_field_criticality,
  lessonOrder: m.modules_field_lesson_order,
};

/** A module field's name as the form labels it ("jobRoleIds" → "Target job roles"). */
export function moduleFieldLabel(field: string): string {
  return fieldLabels[field]?.() ?? field;
}

const problemTexts: Record<PublishProblem['code'], () => string> = {
  'no-lessons': m.modules_problem_no_lessons,
  'lesson-empty': m.modules_problem_lesson_empty,
  'text-empty': m.modules_problem_text_empty,
  'image-missing': m.modules_problem_image_missing,
  'image-alt-missing': m.modules_problem_image_alt_missing,
  'video-url-missing': m.modules_problem_video_url_missing,
  'steps-empty': m.modules_problem_steps_empty,
  'task-empty': m.modules_problem_task_empty,
};

/** What to fix, in plain words. */
export function problemText(code: PublishProblem['code']): string {
  return problemTexts[code]();
}

/** "about 3 min" (at least one minute, so a short lesson never reads "0 min"). */
export function minutesText(seconds: number): string {
  return m.modules_minutes({ minutes: Math.max(1, Math.round(seconds / 60)) });
}

/** Names of the items whose ids are given, in the items' order, as one phrase. */
export function namesOf(items: readonly { id: string; name: string }[], ids: readonly string[]) {
  const names = items.filter((item) => ids.includes(item.id)).map((item) => item.name);
  return new Intl.ListFormat(i18n.locale, { style: 'short', type: 'conjunction' }).format(names);
}

const collections: Record<string, (n: { number: number }) => string> = {
  lessons: m.modules_path_lesson,
  blocks: m.modules_path_block,
  cards: m.modules_path_card,
  steps: m.modules_path_step,
  options: m.modules_path_option,
  personas: m.modules_path_persona,
  images: m.modules_path_image,
  jobRoles: m.modules_path_job_role,
  teams: m.modules_path_team,
};

/**
 * Where in a module file an issue is, readable by a trainer: `lessons.0.blocks.2.markdown`
 * becomes "Lesson 1 › block 3 › markdown".
 */
export function issuePlace(path: ErrorIssue['path']): string {
  const parts = path[0] === 'body' ? path.slice(1) : path;
  const words: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const next = parts[i + 1];
    const collection = typeof part === 'string' ? collections[part] : undefined;
    if (collection && typeof next === 'number') {
      words.push(collection({ number: next + 1 }));
      i++;
    } else {
      words.push(String(part));
    }
  }
  return words.length ? words.join(' › ') : m.modules_path_file();
}

/** A file name from a title: "Journal d'appel — CRM" → "journal-d-appel-crm". */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return slug || 'module';
}
