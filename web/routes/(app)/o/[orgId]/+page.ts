import { redirect } from '@sveltejs/kit';
import { resolve } from '$app/paths';
import { api } from '$lib/api';
import { failLoad } from '$lib/navigation';
import type { PageLoad } from './$types';

/**
 * The organisation's home. For a learner it is Today: the next lesson, the refreshers due and a
 * quiet summary. Staff-only members need nothing more than their membership.
 */
export const load: PageLoad = async ({ parent, params, url, depends }) => {
  depends('app:today');
  const { membership } = await parent();
  if (!membership.roles.includes('learner')) return { learning: null };
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
  return { learning };
};
