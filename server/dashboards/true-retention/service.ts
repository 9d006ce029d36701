import {
  CALIBRATION_BINS,
  type CalibrationBin,
  calibrationRmse,
} from '../../../shared/calibration';
import type {
  DashboardTrueRetention,
  TrueRetentionCalibration,
  TrueRetentionQuery,
} from '../../../shared/dashboards';
import { decayOfWeights } from '../../../shared/learning';
import type { Database } from '../../db/client';
import { peopleScope } from '../../lib/scope';
import type { MembershipContext } from '../../plugins/auth';
import { dashboardSettings } from '../settings-service';
import * as repo from './repository';

function passRate(r: { reviews: number; passed: number }) {
  return { ...r, rate: r.reviews ? r.passed / r.reviews : null };
}

/** The bins as the page shows them: bounds, means and shares; RMSE as shared/calibration.ts. */
function calibrationOf(bins: CalibrationBin[]): TrueRetentionCalibration {
  const answers = bins.reduce((sum, b) => sum + b.n, 0);
  return {
    bins: bins.map((b, i) => ({
      from: i / CALIBRATION_BINS,
      to: (i + 1) / CALIBRATION_BINS,
      answers: b.n,
      predicted: b.n ? b.predicted / b.n : null,
      observed: b.n ? b.right / b.n : null,
    })),
    rmse: answers ? calibrationRmse(bins) : null,
  };
}

/** True retention over the people a member may see (server/lib/scope.ts). */
export function createTrueRetentionService({ db }: { db: Database }) {
  return {
    /**
     * True retention in `actor`'s scope narrowed by `query`: per period, the pass rate of
     * refreshers (answers a day or more after the card's previous answer), young and mature,
     * beside the mean recall the model predicted for them, and over all those refreshers the
     * model's calibration. Each prediction is the one the answer was scheduled with: its
     * organisation's fitted weights then in use, or FSRS-6's defaults, not today's weights.
     * With no refresher yet, the first due date of a learnt card in scope, for the empty state.
     */
    async trueRetention(
      orgId: string,
      actor: MembershipContext,
      query: TrueRetentionQuery,
    ): Promise<DashboardTrueRetention> {
      const [{ target, timeZone }, fits] = await Promise.all([
        dashboardSettings(db, orgId),
        repo.fits(db, orgId),
      ]);
      const params = {
        ...query,
        scope: peopleScope(actor),
        timeZone,
        fits: fits.map((f) => ({ id: f.id, decay: decayOfWeights(f.weights) })),
      };
      const { periods, bins } = await repo.trueRetention(db, orgId, params);
      const first = periods.length ? null : await repo.firstDue(db, orgId, params);
      return {
        target,
        period: query.period,
        rows: periods.map((r) => ({
          periodStart: r.periodStart,
          young: passRate(r.young),
          mature: passRate(r.mature),
          all: passRate({
            reviews: r.young.reviews + r.mature.reviews,
            passed: r.young.passed + r.mature.passed,
          }),
          predicted: r.predicted,
        })),
        calibration: calibrationOf(bins),
        firstDue: first,
      };
    },
  };
}
