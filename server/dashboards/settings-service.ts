import type { Executor } from '../db/client';
import { findSettings } from '../learning/repository';
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

/**
 * The organisation's learning settings as the dashboards use them, read in this one place, so
 * that per-organisation FSRS weights, once fitted, reach every dashboard from here: until then,
 * FSRS-6's defaults, as the scheduler uses.
 */
export async function dashboardSettings(db: Executor, orgId: string): Promise<DashboardSettings> {
  const settings = await findSettings(db, orgId);
  if (!settings) throw new NotFoundError('Organisation');
  return { target: settings.desiredRetention, timeZone: settings.timeZone, fsrs: DEFAULT_FSRS };
}
