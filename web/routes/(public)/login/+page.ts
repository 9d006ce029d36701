import { redirect } from '@sveltejs/kit';
import { api } from '$lib/api';
import { safeNext } from '$lib/navigation';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url }) => {
  const next = safeNext(url.searchParams.get('next')) ?? '/';
  const [setup, signedIn] = await Promise.all([
    api.setupStatus().catch(() => ({ needed: false })),
    api.me().then(
      () => true,
      () => false,
    ),
  ]);
  if (setup.needed) redirect(307, '/setup');
  // Already signed in (another tab, or the back button): go straight on.
  if (signedIn) redirect(307, next);
  return { next };
};
