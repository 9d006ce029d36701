import { error } from '@sveltejs/kit';
import { messageStatusSchema } from '$shared/notify';
import { failLoad } from '$lib/navigation';
import { outboxApi } from '$lib/outbox-api';
import { m } from '$lib/paraglide/messages.js';
import { can } from '$lib/permissions';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent, params, url, depends }) => {
  depends('app:outbox');
  const { membership } = await parent();
  if (!can(membership.roles, 'manageOrg')) {
    error(403, { code: 'FORBIDDEN', message: m.error_forbidden() });
  }
  // The filter lives in the address (bookmarkable); a value that makes no sense is ignored.
  const status = messageStatusSchema.safeParse(url.searchParams.get('status')).data;
  try {
    return { outbox: await outboxApi.list(params.orgId, { status }), status, orgId: params.orgId };
  } catch (e) {
    failLoad(e, url.pathname);
  }
};
