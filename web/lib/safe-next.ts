/** A base that can never be a real host: what a value resolves to against it shows where it goes. */
const BASE = new URL('https://rappel.invalid');

/**
 * The path to go to after login, or null when `value` could lead to another site. The value is
 * resolved as a browser would (tabs and newlines dropped, backslashes read as slashes, `..`
 * applied) and kept only when it stays on this origin; what comes back is the normalised path,
 * query and fragment, never a `//host` a browser would take for another site.
 */
export function safeNext(value: string | null | undefined): string | null {
  if (!value || !value.startsWith('/')) return null;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return null;
  }
  if (url.origin !== BASE.origin || url.pathname.startsWith('//')) return null;
  return url.pathname + url.search + url.hash;
}
