import * as toolRepo from '../../server/tools/repository';
import type { Harness, OrgFixture } from './harness';

/** Fresh tools and processes written straight to the database, and the routes' URLs. */
export function toolFixtures(h: Harness) {
  let n = 0;
  const freshTool = (org: OrgFixture) =>
    toolRepo.insertTool(h.db, org.id, { name: `Tool ${++n}`, description: null }, h.clock.now());
  const freshProcess = async (org: OrgFixture, toolId?: string) =>
    toolRepo.insertProcess(
      h.db,
      org.id,
      toolId ?? (await freshTool(org)).id,
      { name: `Process ${++n}`, description: null, nextUse: { kind: 'none' } },
      h.clock.now(),
    );
  const tools = (org: OrgFixture, rest = '') => `/api/orgs/${org.id}/tools${rest}`;
  const processes = (org: OrgFixture, rest = '') => `/api/orgs/${org.id}/processes${rest}`;
  return { freshTool, freshProcess, tools, processes };
}
