import { api, ApiError } from '$lib/api';
import { i18n } from '$lib/i18n.svelte';
import { failLoad } from '$lib/navigation';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params }) => {
  try {
    const [preview, me] = await Promise.all([
      api.invitationPreview(params.token),
      // Who is signed in on this browser, if anyone: they join as themselves.
      api.me().catch(() => null),
    ]);
    // The page speaks the account's language, else the invitation's; the switcher can change it.
    i18n.set(me?.user.locale ?? preview.locale);
    return { preview, me };
  } catch (e) {
    // An unknown, expired, revoked or used link is a normal situation, explained on the page.
    if (e instanceof ApiError && (e.code === 'INVITATION_INVALID' || e.status === 404)) {
      return { preview: null, me: null };
    }
    failLoad(e, `/invite/${params.token}`);
  }
};
