import { compareNames } from '$shared/names';
import { i18n } from '$lib/i18n.svelte';
import type { NamedItem } from '$shared/orgs';

/** Select options for a team or job role, with "none" first (the empty value means null). */
export function optionsOf(items: NamedItem[], none: string) {
  return [
    { value: '', label: none },
    ...[...items]
      .sort((a, b) => compareNames(a.name, b.name, i18n.locale))
      .map((item) => ({ value: item.id, label: item.name })),
  ];
}

/** The name of a team or job role by id, or undefined. */
export function nameOf(items: NamedItem[], id: string | null): string | undefined {
  return id ? items.find((item) => item.id === id)?.name : undefined;
}
