import { error } from '@sveltejs/kit';
import { failLoad } from '$lib/navigation';
import { outboxApi } from '$lib/outbox-api';
import { m } from '$lib/paraglide/messages.js';
import { can } from '$lib/permissions';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent, params, url, depends }) => {
  depends('app:outbox-message');
  const { membership } = await parent();
  if (!can(membership.roles, 'manageOrg')) {
    error(403, { code: 'FORBIDDEN', message: m.error_forbidden() });
  }
  try {
    return {
      orgId: params.orgId,
      message: await outboxApi.message(params.orgId, params.messageId),
    };
  } catch (e) {
    failLoad(e, url.pathname);
  }
};
