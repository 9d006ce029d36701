import { api, ApiError } from '$lib/api';
import { i18n } from '$lib/i18n.svelte';
import { failLoad } from '$lib/navigation';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params }) => {
  try {
    const preview = await api.invitationPreview(params.token);
    // The page speaks the invitation's language; the switcher on the page can change it.
    i18n.set(preview.locale);
    return { preview };
  } catch (e) {
    // An unknown, expired, revoked or used link is a normal situation, explained on the page.
    if (e instanceof ApiError && (e.code === 'INVITATION_INVALID' || e.status === 404)) {
      return { preview: null };
    }
    failLoad(e, `/invite/${params.token}`);
  }
};
