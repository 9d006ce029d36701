/**
 * An organisation's FSRS weights: the weekly fit (a recurring job looks for organisations
 * owed one, a `fsrs-fit` job per organisation fits), what admins read of the fits, and their
 * choice of the weights in use.
 */
import {
  FIT_EVERY_DAYS,
  MIN_ANSWERS_TO_FIT,
  type WeightsFit,
  type WeightsStatus,
} from '../../shared/fsrs-weights';
import { DEFAULT_DECAY, decayOfWeights } from '../../shared/learning';
import type { Database } from '../db/client';
import type { JobRunner } from '../jobs/runner';
import type { Clock } from '../lib/clock';
import { ConflictError, NotFoundError } from '../lib/errors';
import { fitWeights } from '../srs/fit-weights';
import { DEFAULT_WEIGHTS } from '../srs/fsrs';
import * as repo from './repository';

const DAY_MS = 86_400_000;
const FIT_JOB = 'fsrs-fit';
/** How often the producer looks for organisations owed a fit. */
export const FITS_EVERY_MS = 6 * 60 * 60_000;

export type WeightsService = ReturnType<typeof createWeightsService>;

function fitOf(row: repo.FitRow): WeightsFit {
  return {
    id: row.id,
    fittedAt: row.fittedAt,
    answers: row.answers,
    heldOutAnswers: row.heldOutAnswers,
    logLossBefore: row.logLossBefore,
    logLossAfter: row.logLossAfter,
    rmseBefore: row.rmseBefore,
    rmseAfter: row.rmseAfter,
    better: row.better,
    inUse: row.inUse,
    decay: decayOfWeights(row.weights),
    weights: row.weights,
  };
}

export function createWeightsService({
  db,
  clock,
  jobs,
}: {
  db: Database;
  clock: Clock;
  jobs: Pick<JobRunner, 'enqueue' | 'define' | 'recurring'>;
}) {
  /**
   * Fits weights to the organisation's answers and records the fit; it is put in use when it
   * predicts held-out answers better than the weights in use. Nothing below `MIN_ANSWERS_TO_FIT`.
   */
  async function fit(orgId: string) {
    if ((await repo.countAnswers(db, orgId, MIN_ANSWERS_TO_FIT)) < MIN_ANSWERS_TO_FIT) return null;
    const current = await repo.fitInUse(db, orgId);
    const histories = await repo.readHistories(db, orgId);
    // The count reads the log; the fit reads the histories of the latest learner × card
    // memories (`HISTORIES_READ`): fit only when those hold enough.
    const readable = histories.reduce((n, h) => n + h.length - 1, 0);
    if (readable < MIN_ANSWERS_TO_FIT) return null;
    const result = await fitWeights(histories, { current: current?.weights ?? DEFAULT_WEIGHTS });
    return repo.saveFit(db, {
      orgId,
      weights: result.weights,
      answers: result.answers,
      heldOutAnswers: result.heldOutAnswers,
      logLossBefore: result.before.logLoss,
      logLossAfter: result.after.logLoss,
      rmseBefore: result.before.rmseBins,
      rmseAfter: result.after.rmseBins,
      fittedAt: clock.now(),
      better: result.better,
      inUse: result.better,
      changedAt: result.better ? clock.now() : null,
    });
  }

  jobs.define(FIT_JOB, async (job) => {
    if (!job.orgId) return;
    // The weekly fit stands down when a fit asked for by an admin was made since it was queued.
    if (!job.payload.asked) {
      const [last] = await repo.listFits(db, job.orgId, 1);
      if (last && clock.now().getTime() - last.fittedAt.getTime() < FIT_EVERY_DAYS * DAY_MS) return;
    }
    await fit(job.orgId);
  });

  /**
   * Queues a fit for each organisation whose last one is a week old (or that has none), keyed by
   * that last fit, so that it is queued once whatever the producer's period.
   */
  jobs.recurring('fsrs-fits', { everyMs: FITS_EVERY_MS }, async (_job, now) => {
    for (const { orgId, lastFittedAt } of await repo.orgsWithLastFit(db)) {
      if (lastFittedAt && now.getTime() - lastFittedAt.getTime() < FIT_EVERY_DAYS * DAY_MS)
        continue;
      if ((await repo.countAnswers(db, orgId, MIN_ANSWERS_TO_FIT)) < MIN_ANSWERS_TO_FIT) continue;
      const after = lastFittedAt?.toISOString() ?? 'none';
      await jobs.enqueue({ name: FIT_JOB, key: `${FIT_JOB}:${orgId}:after-${after}`, orgId });
    }
  });

  /** The fits, the weights in use and when the next fit comes. */
  async function status(orgId: string): Promise<WeightsStatus> {
    const [fits, answers, pending] = await Promise.all([
      repo.listFits(db, orgId),
      repo.countAnswers(db, orgId, MIN_ANSWERS_TO_FIT),
      repo.fitPending(db, orgId, FIT_JOB),
    ]);
    const last = fits[0]?.fittedAt;
    let nextFitAfter: Date | null = null;
    if (answers >= MIN_ANSWERS_TO_FIT) {
      nextFitAfter = last ? new Date(last.getTime() + FIT_EVERY_DAYS * DAY_MS) : clock.now();
    }
    return {
      inUseId: fits.find((f) => f.inUse)?.id ?? null,
      defaultDecay: DEFAULT_DECAY,
      answers,
      minAnswers: MIN_ANSWERS_TO_FIT,
      nextFitAfter,
      fitPending: pending,
      fits: fits.map(fitOf),
    };
  }

  return {
    fit,
    status,

    /** Puts a fit in use, or FSRS's defaults (null); 404 for a fit of another organisation. */
    async use(orgId: string, fitId: string | null, userId: string): Promise<WeightsStatus> {
      if (fitId && !(await repo.findFit(db, orgId, fitId))) throw new NotFoundError('Fit');
      await repo.useFit(db, orgId, fitId, { userId, at: clock.now() });
      return status(orgId);
    },

    /**
     * Asks for a fit now (admins, e.g. after a large import of answers): queued once until a
     * fit is recorded; 409 while the log has fewer than `MIN_ANSWERS_TO_FIT` refreshers.
     */
    async askFit(orgId: string): Promise<WeightsStatus> {
      const answers = await repo.countAnswers(db, orgId, MIN_ANSWERS_TO_FIT);
      if (answers < MIN_ANSWERS_TO_FIT) {
        throw new ConflictError(
          `Weights are fitted once the organisation has ${MIN_ANSWERS_TO_FIT} refreshers answered; it has ${answers}.`,
        );
      }
      const fitted = await repo.countFits(db, orgId);
      await jobs.enqueue({
        name: FIT_JOB,
        key: `${FIT_JOB}:${orgId}:asked-after-${fitted}`,
        orgId,
        payload: { asked: true },
      });
      return status(orgId);
    },
  };
}
