import {
  parseRankingPeriod,
  previousRankingPeriod,
  rankingPeriodOf,
} from '../../../core/ranking/periods.js';
import type { Database } from '../../db/client.js';
import { SYSTEM_ACTOR } from '../../platform/actor.js';
import * as repo from './rankings.repo.js';
import { createSnapshot } from './rankings.service.js';

/**
 * The monthly job: once a month has ended, takes its snapshot as a draft (the office reviews and
 * publishes it) unless the rules turn it off or the month already has one. Returns the period
 * taken, or null.
 */
export async function takeMonthlySnapshot(database: Database, now = new Date()) {
  const { rules } = await repo.loadRules(database.db);
  if (!rules.autoMonthly) return null;
  const last = previousRankingPeriod(parseRankingPeriod(rankingPeriodOf(now, 'month'))!);
  if ((await repo.snapshotsOfPeriod(database.db, last.period)).length > 0) return null;
  await createSnapshot(database, SYSTEM_ACTOR, { period: last.period }, now);
  return last.period;
}
