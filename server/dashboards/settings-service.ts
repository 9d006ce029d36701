import type { Executor } from '../db/client';
import { fitInUse } from '../fsrs-weights/repository';
import { findSettings } from '../learning/repository';
import { decayOfWeights } from '../../shared/learning';
import { NotFoundError } from '../lib/errors';
import { DEFAULT_FSRS, type FsrsParams } from './sql/fsrs';

/** What every dashboard reads of its organisation. */
export interface DashboardSettings {
  /** Desired retention: the dashboards' target line. */
  target: number;
  /** Days, periods and pauses are counted in this zone. */
  timeZone: string;
  /** The FSRS parameters recall is computed with. */
  fsrs: FsrsParams;
}

/** The FSRS parameters of fitted weights (server/fsrs-weights), or FSRS-6's defaults. */
export function fsrsParamsOf(fit: { weights: number[] } | null): FsrsParams {
  return fit ? { decay: decayOfWeights(fit.weights), w: fit.weights } : DEFAULT_FSRS;
}

/**
 * The organisation's learning settings as the dashboards use them, read in this one place: its
 * fitted FSRS weights in use (the scheduler's), else FSRS-6's defaults.
 */
export async function dashboardSettings(db: Executor, orgId: string): Promise<DashboardSettings> {
  const [settings, fit] = await Promise.all([findSettings(db, orgId), fitInUse(db, orgId)]);
  if (!settings) throw new NotFoundError('Organisation');
  return {
    target: settings.desiredRetention,
    timeZone: settings.timeZone,
    fsrs: fsrsParamsOf(fit),
  };
}
