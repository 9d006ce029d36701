import { redirect } from '@sveltejs/kit';
import { api } from '$lib/api';
import { failLoad } from '$lib/navigation';
import type { PageLoad } from './$types';

export const load: PageLoad = async () => {
  let needed: boolean;
  try {
    ({ needed } = await api.setupStatus());
  } catch (e) {
    failLoad(e, '/setup');
  }
  // Set-up happens once; afterwards this page only leads into the app.
  if (!needed) redirect(307, '/');
  return {};
};
