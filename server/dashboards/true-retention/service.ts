import type { DashboardTrueRetention, TrueRetentionQuery } from '../../../shared/dashboards';
import type { Database } from '../../db/client';
import { peopleScope } from '../../lib/scope';
import type { MembershipContext } from '../../plugins/auth';
import { dashboardSettings } from '../settings-service';
import * as repo from './repository';

function passRate(r: { reviews: number; passed: number }) {
  return { ...r, rate: r.reviews ? r.passed / r.reviews : null };
}

/** True retention over the people a member may see (server/lib/scope.ts). */
export function createTrueRetentionService({ db }: { db: Database }) {
  return {
    /**
     * True retention in `actor`'s scope narrowed by `query`: per period, the pass rate of
     * refreshers (answers a day or more after the card's previous answer), young and mature,
     * beside the mean recall the model predicted for them. With none yet, the first due date
     * of a learnt card in scope, for the empty state.
     */
    async trueRetention(
      orgId: string,
      actor: MembershipContext,
      query: TrueRetentionQuery,
    ): Promise<DashboardTrueRetention> {
      const { target, timeZone, fsrs } = await dashboardSettings(db, orgId);
      const params = { ...query, ...fsrs, scope: peopleScope(actor), timeZone };
      const rows = await repo.trueRetention(db, orgId, params);
      const first = rows.length ? null : await repo.firstDue(db, orgId, params);
      return {
        target,
        period: query.period,
        rows: rows.map((r) => ({
          periodStart: r.periodStart,
          young: passRate(r.young),
          mature: passRate(r.mature),
          all: passRate({
            reviews: r.young.reviews + r.mature.reviews,
            passed: r.young.passed + r.mature.passed,
          }),
          predicted: r.predicted,
        })),
        firstDue: first,
      };
    },
  };
}
