import { slugify } from '../module-labels';

/** Saves a module file on the trainer's device as `<slug>.rappel-module.json`. */
export function downloadModuleFile(title: string, content: unknown): string {
  const name = `${slugify(title)}.rappel-module.json`;
  const blob = new Blob([JSON.stringify(content, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Some browsers read the blob after click() returns: free it a little later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
