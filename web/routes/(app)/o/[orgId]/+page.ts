import { redirect } from '@sveltejs/kit';
import { resolve } from '$app/paths';
import { api } from '$lib/api';
import { failLoad } from '$lib/navigation';
import { homeApi } from './home-api';
import type { PageLoad } from './$types';

/**
 * The organisation's home. For a learner it is Today: the next lesson, the refreshers due and a
 * quiet summary. For staff, what to do next for each of their roles: that call is not awaited
 * here, so the page (and a learner's Today) shows at once and says it is loading the rest.
 */
export const load: PageLoad = async ({ parent, params, url, depends }) => {
  depends('app:today');
  depends('app:home');
  const { membership } = await parent();
  const staff = membership.roles.some((r) => r !== 'learner');
  const home = staff ? homeApi.home(params.orgId) : null;
  // Its failure is shown where the parts would be (+page.svelte), not as an unhandled rejection.
  home?.catch(() => {});
  if (!membership.roles.includes('learner')) return { learning: null, home };
  let learning;
  try {
    const [profile, today] = await Promise.all([
      api.learnerProfile(params.orgId),
      api.today(params.orgId),
    ]);
    learning = { profile, today };
  } catch (e) {
    failLoad(e, url.pathname);
  }
  // The questionnaire comes with the first thing to learn: before that it would choose for nothing.
  if (!learning.profile.onboardedAt && learning.today.summary.modulesAssigned > 0) {
    redirect(307, resolve('/(app)/o/[orgId]/onboarding', { orgId: params.orgId }));
  }
  return { learning, home };
};
