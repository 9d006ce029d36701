import type { Criticality, ModuleSummary } from '$shared/modules';
import { fromPercent, toPercent } from '$lib/components/retention';

/** A module's fields as the form holds them; '' is "no process", null an empty number box. */
export interface ModuleDraft {
  title: string;
  summary: string;
  toolId: string;
  processId: string;
  jobRoleIds: string[];
  teamIds: string[];
  estimatedMinutes: number | null;
  criticality: Criticality;
  /** Whole percent; null: the organisation's (or the persona's) target recall applies. */
  retentionPercent: number | null;
}

export function emptyDraft(toolId = ''): ModuleDraft {
  return {
    title: '',
    summary: '',
    toolId,
    processId: '',
    jobRoleIds: [],
    teamIds: [],
    estimatedMinutes: 5,
    criticality: 'normal',
    retentionPercent: null,
  };
}

export function draftOf(module: ModuleSummary): ModuleDraft {
  return {
    title: module.title,
    summary: module.summary,
    toolId: module.toolId,
    processId: module.processId ?? '',
    jobRoleIds: [...module.jobRoleIds],
    teamIds: [...module.teamIds],
    estimatedMinutes: module.estimatedMinutes,
    criticality: module.criticality,
    retentionPercent: toPercent(module.desiredRetention),
  };
}

/** What the API is sent (checked with the shared schema before). */
export function bodyOf(draft: ModuleDraft) {
  return {
    title: draft.title,
    summary: draft.summary,
    toolId: draft.toolId,
    processId: draft.processId || null,
    jobRoleIds: draft.jobRoleIds,
    teamIds: draft.teamIds,
    estimatedMinutes: draft.estimatedMinutes,
    criticality: draft.criticality,
    desiredRetention: fromPercent(draft.retentionPercent),
  };
}

/** Whether two drafts would save the same module (the order of ticked boxes does not count). */
export function sameDraft(a: ModuleDraft, b: ModuleDraft): boolean {
  const key = (d: ModuleDraft) =>
    JSON.stringify({
      ...d,
      title: d.title.trim(),
      summary: d.summary.trim(),
      jobRoleIds: [...d.jobRoleIds].sort(),
      teamIds: [...d.teamIds].sort(),
    });
  return key(a) === key(b);
}
