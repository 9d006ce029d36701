import { api } from '$lib/api';
import { session } from '$lib/session.svelte';
import type { PageLoad } from './$types';

/**
 * The learning profile of the organisation in use, when this person learns there. The rest of
 * the page needs nothing loaded; a failure here only hides that one section.
 */
export const load: PageLoad = async ({ parent }) => {
  await parent();
  const orgId = session.homeOrgId();
  const membership = orgId ? session.membership(orgId) : undefined;
  if (!membership?.roles.includes('learner')) return { learning: null };
  try {
    const [profile, { items: personas }] = await Promise.all([
      api.learnerProfile(membership.orgId),
      api.personas(membership.orgId),
    ]);
    return {
      learning: { orgId: membership.orgId, orgName: membership.orgName, profile, personas },
    };
  } catch (e) {
    console.error(e);
    return { learning: null };
  }
};
