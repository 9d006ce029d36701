import {
  type DashboardQuery,
  dashboardQuerySchema,
  retentionPeriodSchema,
  type RetentionPeriod,
} from '$shared/dashboards';

export const filterKeys = ['teamId', 'moduleId', 'personaId', 'jobRoleId'] as const;
export type FilterKey = (typeof filterKeys)[number];

/** The dashboard filters in the address (bookmarkable); a value that makes no sense is ignored. */
export function filtersFrom(params: URLSearchParams): DashboardQuery {
  const filters: DashboardQuery = {};
  for (const key of filterKeys) {
    const value = dashboardQuerySchema.shape[key].safeParse(params.get(key) ?? undefined).data;
    if (value) filters[key] = value;
  }
  return filters;
}

/** The retention page's period; a month unless the address says otherwise. */
export function periodFrom(params: URLSearchParams): RetentionPeriod {
  return retentionPeriodSchema.safeParse(params.get('period')).data ?? 'month';
}

/** `?teamId=…` (or nothing) from the defined values, in a stable order. */
export function queryOf(values: Record<string, string | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** A choice of a filter: a team, a module, a persona, a job role. */
export interface Option {
  id: string;
  name: string;
}

// Module names met on any dashboard in this tab: managers and referents cannot list modules, so
// their module filter offers those (a bookmark opened cold shows the chosen one unnamed).
const seenModules = new Map<string, string>();

/** Remembers `list` and returns every module met so far. */
export function rememberModules(list: readonly Option[]): Option[] {
  for (const o of list) seenModules.set(o.id, o.name);
  return [...seenModules].map(([id, name]) => ({ id, name }));
}
