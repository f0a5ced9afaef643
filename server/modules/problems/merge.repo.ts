import { and, asc, eq, sql } from 'drizzle-orm';
import type { TScope } from '../../../core/permissions.js';
import { execRows, type DbOrTx } from '../../db/client.js';
import { problems } from '../../db/schema/index.js';
import { problemScope } from './problems.repo.js';

// Merging duplicates: the rows a merge touches besides the duplicate itself.

/**
 * Locks the problems of a merge, in id order (two merges crossing each other wait instead of
 * deadlocking). Read them after this: the lock makes what is read current.
 */
export async function lockProblems(db: DbOrTx, ids: number[]): Promise<void> {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  await execRows(
    db,
    sql`select ${problems.id} from ${problems}
        where ${problems.id} in ${sorted} order by ${problems.id} for update`,
  );
}

/**
 * Points what `fromId` had absorbed at `toId` (it is being merged into `toId`), so that a merged
 * problem always points at one that is not merged: no chains.
 */
export async function repointAbsorbed(
  db: DbOrTx,
  fromId: number,
  toId: number,
  now: Date,
): Promise<{ id: number; code: string }[]> {
  const rows = await db
    .update(problems)
    .set({ mergedIntoId: toId, version: sql`${problems.version} + 1`, updatedAt: now })
    .where(eq(problems.mergedIntoId, fromId))
    .returning({ id: problems.id, code: problems.code });
  return rows.sort((a, b) => a.id - b.id);
}

/**
 * Shows the duplicate's before-photos in the primary's gallery: new links to the same files (the
 * files are not copied), tied to the primary's 'absorb' event; a photo it already shows is skipped.
 */
export async function linkBeforePhotos(
  db: DbOrTx,
  fromId: number,
  toId: number,
  eventId: number,
): Promise<number> {
  const rows = await execRows<{ id: number | string }>(
    db,
    sql`insert into problem_photos (problem_id, file_id, stage, event_id, linked)
        select ${toId}, f.file_id, 'before', ${eventId}, true
        from (select file_id, min(id) as first from problem_photos
              where problem_id = ${fromId} and stage = 'before' group by file_id) f
        where not exists (select 1 from problem_photos x
                          where x.problem_id = ${toId} and x.file_id = f.file_id)
        order by f.first
        returning id`,
  );
  return rows.length;
}

/** The primary changed (a new timeline entry and photos) but none of its fields: no new version. */
export async function touchProblem(db: DbOrTx, id: number, now: Date): Promise<void> {
  await db.update(problems).set({ updatedAt: now }).where(eq(problems.id, id));
}

const ref = {
  id: problems.id,
  code: problems.code,
  title: problems.title,
  state: problems.state,
};

/** A problem's code and title, if the scope shows it. */
export async function findRef(db: DbOrTx, id: number, scope: TScope) {
  const s = problemScope(scope);
  const [row] = await db
    .select(ref)
    .from(problems)
    .where(and(eq(problems.id, id), ...(s ? [s] : [])))
    .limit(1);
  return row;
}

/** The duplicates merged into a problem (that the scope shows), with when each was merged. */
export async function listAbsorbed(db: DbOrTx, id: number, scope: TScope) {
  const s = problemScope(scope);
  return db
    .select({
      ...ref,
      // spelled out: inside a select list Drizzle would leave the column unqualified
      mergedAt: sql<Date | string | null>`(select max(e.at) from problem_events e
        where e.problem_id = problems.id and e.action = 'merge')`,
    })
    .from(problems)
    .where(and(eq(problems.mergedIntoId, id), ...(s ? [s] : [])))
    .orderBy(asc(problems.id));
}
