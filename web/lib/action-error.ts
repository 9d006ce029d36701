import { goto } from '$app/navigation';
import { page } from '$app/state';
import { ApiError } from '$lib/api';
import { announcer } from '$lib/announcer.svelte';
import { errorText } from '$lib/errors';
import { loginPath } from '$lib/navigation';

/**
 * For one-click actions (revoke, renew, deactivate…): an ended session goes to the login page,
 * anything else is said in the live region.
 */
export async function reportActionError(e: unknown): Promise<void> {
  if (!(e instanceof ApiError)) {
    console.error(e);
    announcer.say(errorText('INTERNAL'), 'error');
    return;
  }
  if (e.code === 'UNAUTHENTICATED') {
    // eslint-disable-next-line svelte/no-navigation-without-resolve -- loginPath is a local path
    await goto(loginPath(page.url.pathname));
    return;
  }
  announcer.say(errorText(e.code), 'error');
}
