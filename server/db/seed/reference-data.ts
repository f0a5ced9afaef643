import { sql } from 'drizzle-orm';
import { CN_CALENDAR_SEED } from '../../../core/calendar/cn-holidays.data.js';
import { withTx } from '../../platform/tx.js';
import type { Database } from '../client.js';
import { calendarDays, problemCategories } from '../schema/index.js';
import { DEFAULT_CATEGORIES } from './problem-categories.data.js';

/**
 * Reference data every city needs, demo or not: the problem taxonomy (only into an empty table, so
 * the office's edits stand) and the public holiday calendar (days the office has set are kept).
 */
export async function seedReferenceData(database: Database): Promise<void> {
  await withTx(database, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(727004)`);
    const [c] = await tx.select({ n: sql<number>`count(*)::int` }).from(problemCategories);
    if (c!.n === 0) {
      for (const [i, major] of DEFAULT_CATEGORIES.entries()) {
        const [row] = await tx
          .insert(problemCategories)
          .values({
            code: major.code,
            name: major.name,
            deadlineDays: major.deadlineDays,
            sortOrder: i,
          })
          .returning({ id: problemCategories.id });
        await tx.insert(problemCategories).values(
          major.children.map((m, j) => ({
            code: m.code,
            name: m.name,
            parentId: row!.id,
            sortOrder: j,
          })),
        );
      }
    }
    await tx
      .insert(calendarDays)
      .values(CN_CALENDAR_SEED.map((d) => ({ day: d.date, kind: d.kind, name: d.name })))
      .onConflictDoNothing();
  });
}
