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
import type { Clock } from '../../lib/clock';
import { peopleScope } from '../../lib/scope';
import type { MembershipContext } from '../../plugins/auth';
import { dashboardSettings } from '../settings-service';
import { organisationIds, refreshAnswerPeriods } from './periods-repository';
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

/** The decay of each of `orgId`'s fitted weights, for the curve each answer was predicted with. */
async function fitDecays(db: Database, orgId: string) {
  const fits = await repo.fits(db, orgId);
  return fits.map((f) => ({ id: f.id, decay: decayOfWeights(f.weights) }));
}

/** True retention over the people a member may see (server/lib/scope.ts). */
export function createTrueRetentionService({ db, clock }: { db: Database; clock: Clock }) {
  return {
    /**
     * Counts the refreshers answered up to a few minutes before the clock's time per learner ×
     * week and month (periods-repository.ts), of `orgId` or of every organisation, each in its
     * own time zone: run every quarter of an hour while the app is up, so that true retention
     * reads those rows and the last minutes of the log rather than every answer. Answers the
     * rows written.
     */
    async refreshAnswerPeriods(orgId?: string) {
      const now = clock.now();
      const orgIds = orgId ? [orgId] : await organisationIds(db);
      let written = 0;
      for (const id of orgIds) {
        const [{ timeZone }, fits] = await Promise.all([
          dashboardSettings(db, id),
          fitDecays(db, id),
        ]);
        written += await refreshAnswerPeriods(db, { orgId: id, timeZone, fits, now });
      }
      return written;
    },

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
        fitDecays(db, orgId),
      ]);
      const params = { ...query, scope: peopleScope(actor), timeZone, fits };
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
