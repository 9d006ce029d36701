import { error, redirect } from '@sveltejs/kit';
import { ApiError } from '$lib/api';
import { safeNext } from '$lib/safe-next';

export { safeNext };

export function loginPath(next?: string): string {
  const safe = safeNext(next);
  return safe && safe !== '/' ? `/login?next=${encodeURIComponent(safe)}` : '/login';
}

/**
 * Turns a failed API call inside a `load` into SvelteKit's answer: an expired session goes to
 * the login page, anything else to +error.svelte with the API's code.
 */
export function failLoad(e: unknown, here: string): never {
  if (e instanceof ApiError) {
    if (e.status === 401) redirect(307, loginPath(here));
    error(e.status === 0 ? 503 : e.status, { code: e.code, message: e.message });
  }
  throw e;
}
