import { sql } from 'drizzle-orm';
import { execRows, type Database } from '../db/client.js';
import { AppError } from './errors.js';

export interface RateRule {
  /** What is counted, e.g. `report:ip:1.2.3.4`. */
  key: string;
  limit: number;
  windowMs: number;
}

/**
 * Counts one use against each rule (fixed windows, in the database so several app servers share
 * the counts) and refuses with 429 and a Retry-After once any rule's limit is passed. The count is
 * taken before the work, so parallel requests cannot slip past the limit.
 */
export async function takeRateLimits(database: Database, rules: RateRule[]): Promise<void> {
  const now = Date.now();
  for (const rule of rules) {
    const windowStart = new Date(Math.floor(now / rule.windowMs) * rule.windowMs);
    const [row] = await execRows<{ count: number }>(
      database.db,
      sql`insert into rate_limits (key, window_start, count) values (${rule.key}, ${windowStart}, 1)
          on conflict (key, window_start) do update set count = rate_limits.count + 1
          returning count`,
    );
    await database.afterCommit();
    if (row!.count > rule.limit) {
      const retryAfterS = Math.ceil((windowStart.getTime() + rule.windowMs - now) / 1000);
      throw new AppError(
        'rate_limited',
        429,
        {
          zh: `提交过于频繁，请 ${formatWait(retryAfterS).zh}后再试`,
          en: `too many requests; try again in ${formatWait(retryAfterS).en}`,
        },
        { retryAfterS },
      );
    }
  }
}

function formatWait(s: number): { zh: string; en: string } {
  if (s < 90) return { zh: `${s} 秒`, en: `${s} s` };
  const m = Math.ceil(s / 60);
  return { zh: `${m} 分钟`, en: `${m} min` };
}

/** Drops windows that ended long ago (a job). */
export async function purgeRateLimits(database: Database, olderThan: Date): Promise<void> {
  await database.db.execute(sql`delete from rate_limits where window_start < ${olderThan}`);
  await database.afterCommit();
}
