import { redirect } from '@sveltejs/kit';
import { api, ApiError } from '$lib/api';
import { failLoad, loginPath } from '$lib/navigation';
import { session } from '$lib/session.svelte';
import type { LayoutLoad } from './$types';

/** Every signed-in page: who is signed in (once per visit); else set-up or login. */
export const load: LayoutLoad = async ({ url, untrack, depends }) => {
  depends('app:session');
  let unauthenticated = false;
  try {
    session.set(await api.me());
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401))
      failLoad(
        e,
        untrack(() => url.pathname),
      );
    unauthenticated = true;
  }
  if (unauthenticated) {
    session.clear();
    const setup = await api.setupStatus().catch(() => ({ needed: false }));
    if (setup.needed) redirect(307, '/setup');
    redirect(307, loginPath(untrack(() => url.pathname + url.search)));
  }
  return {};
};
