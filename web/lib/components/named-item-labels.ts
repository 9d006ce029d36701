import type { NamedKind } from '$lib/api';
import { m } from '$lib/paraglide/messages.js';

/** The words of the teams page and of the job-roles page, which share one component. */
export function namedItemLabels(kind: NamedKind) {
  return kind === 'teams'
    ? {
        title: m.teams_title(),
        lead: m.teams_lead(),
        listHeading: m.teams_list_heading(),
        newLabel: m.teams_new_label(),
        newHint: m.teams_new_hint(),
        add: m.teams_add(),
        emptyTitle: m.teams_empty(),
        emptyText: m.teams_empty_text(),
        readOnly: m.teams_read_only(),
        created: (name: string) => m.teams_created({ name }),
        deleted: (name: string) => m.teams_deleted({ name }),
        inUse: (name: string) => m.teams_in_use({ name }),
        deleteTitle: (name: string) => m.teams_delete_title({ name }),
        deleteMessage: m.teams_delete_message(),
      }
    : {
        title: m.job_roles_title(),
        lead: m.job_roles_lead(),
        listHeading: m.job_roles_list_heading(),
        newLabel: m.job_roles_new_label(),
        newHint: m.job_roles_new_hint(),
        add: m.job_roles_add(),
        emptyTitle: m.job_roles_empty(),
        emptyText: m.job_roles_empty_text(),
        readOnly: m.job_roles_read_only(),
        created: (name: string) => m.job_roles_created({ name }),
        deleted: (name: string) => m.job_roles_deleted({ name }),
        inUse: (name: string) => m.job_roles_in_use({ name }),
        deleteTitle: (name: string) => m.job_roles_delete_title({ name }),
        deleteMessage: m.job_roles_delete_message(),
      };
}

export type NamedItemLabels = ReturnType<typeof namedItemLabels>;
