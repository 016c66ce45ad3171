import type { Knex } from 'knex';
import type { AuthMetrics } from '../auth-metrics.js';
import { purgeTaps, type TapPurgeOptions, type TapPurgeResult } from './purge-taps.js';

type PurgeMetrics = Pick<AuthMetrics, 'tapPurgeLastSuccess' | 'tapPurgeDeleted' | 'tapPurgeFailures'>;

/**
 * purgeTaps, counted on /metrics: the scheduler and the admin route both run it this way, so a
 * dashboard sees every purge the platform made. A dry run changes nothing and counts nothing.
 */
export async function countedPurge(knex: Knex, metrics: PurgeMetrics, options: TapPurgeOptions): Promise<TapPurgeResult> {
  let result: TapPurgeResult;
  try {
    result = await purgeTaps(knex, options);
  } catch (error) {
    if (!options.dryRun) metrics.tapPurgeFailures.inc();
    throw error;
  }
  if (!result.dryRun) {
    metrics.tapPurgeDeleted.inc(result.deleted);
    metrics.tapPurgeLastSuccess.set(options.now.getTime() / 1000);
  }
  return result;
}
