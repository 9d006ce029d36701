import type { Database } from '../db/client';
import type { Clock } from '../lib/clock';
import { createForecastService } from './forecast/service';
import { createOverviewService } from './overview/service';
import { createTrueRetentionService } from './true-retention/service';

export type DashboardService = ReturnType<typeof createDashboardService>;

/**
 * The retention reports over the people a member may see (server/lib/scope.ts): the overview
 * (with the refresh of its learner × module rows), the forecast and true retention, each with
 * its organisation's settings (settings-service.ts). The people side is people/service.ts.
 */
export function createDashboardService(deps: { db: Database; clock: Clock }) {
  return {
    ...createOverviewService(deps),
    ...createForecastService(deps),
    ...createTrueRetentionService(deps),
  };
}
