import {
  parseRankingPeriod,
  previousRankingPeriod,
  rankingPeriodOf,
} from '../../../core/ranking/periods.js';
import type { Database } from '../../db/client.js';
import { SYSTEM_ACTOR, type Actor } from '../../platform/actor.js';
import * as repo from './rankings.repo.js';
import { createSnapshot } from './rankings.service.js';

/**
 * The monthly job: once a month has ended, takes its snapshot as a draft (the office reviews and
 * publishes it) unless the rules turn it off — for the city, and for every district and street
 * that runs its own office (its own units, its own 流动红旗/黑牌) — each level once: a level whose
 * month already has a snapshot is left alone. Returns the period when it took any, or null.
 */
export async function takeMonthlySnapshot(database: Database, now = new Date()) {
  const { rules } = await repo.loadRules(database.db);
  if (!rules.autoMonthly) return null;
  const last = previousRankingPeriod(parseRankingPeriod(rankingPeriodOf(now, 'month'))!);
  // The system acting as each level's office (the city's: the system itself).
  const actors: Actor[] = [
    SYSTEM_ACTOR,
    ...(await repo.levelsWithOffice(database.db)).map((r): Actor => ({
      ...SYSTEM_ACTOR,
      roles: ['office'],
      regionId: r.id,
      regionLevel: r.level,
    })),
  ];
  let taken = false;
  for (const actor of actors) {
    const owner = actor.regionId;
    if ((await repo.snapshotsOfPeriod(database.db, last.period, owner)).length > 0) continue;
    await createSnapshot(database, actor, { period: last.period }, now);
    taken = true;
  }
  return taken ? last.period : null;
}
