import { and, asc, eq, getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import type { TVerificationQueueQuery } from '../../../core/contracts/problems.js';
import type { TScope } from '../../../core/permissions.js';
import { execRows, type DbOrTx } from '../../db/client.js';
import {
  files,
  problemCategories,
  problemPhotos,
  problems,
  regions,
  units,
} from '../../db/schema/index.js';
import { afterCursor } from '../../platform/pagination.js';
import { regionSubtree } from '../org/regions.repo.js';
import { problemScope, type ProblemRow } from './problems.repo.js';

// 核查队列: submitted rectifications waiting for the on-site check, oldest first. One page is three
// queries whatever its size: the problems, their photos, their latest submissions.

function conditions(scope: TScope, q: TVerificationQueueQuery): SQL[] {
  const conds: SQL[] = [eq(problems.state, 'submitted')];
  const s = problemScope(scope);
  if (s) conds.push(s);
  if (q.unitId) conds.push(eq(problems.unitId, q.unitId));
  if (q.regionId) conds.push(sql`${problems.regionId} in ${regionSubtree(q.regionId)}`);
  return conds;
}

/** A page of the queue (limit + 1 rows, for the next cursor) and how many wait in all. */
export async function listSubmitted(
  db: DbOrTx,
  scope: TScope,
  q: TVerificationQueueQuery,
): Promise<{ rows: ProblemRow[]; total: number }> {
  const conds = conditions(scope, q);
  const after = afterCursor(problems.submittedAt, problems.id, 'asc', q.cursor);
  const rows = await db
    .select({
      ...getTableColumns(problems),
      categoryName: problemCategories.name,
      regionName: regions.name,
      unitName: units.name,
    })
    .from(problems)
    .innerJoin(problemCategories, eq(problemCategories.id, problems.categoryId))
    .leftJoin(regions, eq(regions.id, problems.regionId))
    .leftJoin(units, eq(units.id, problems.unitId))
    .where(and(...conds, ...(after ? [after] : [])))
    .orderBy(asc(problems.submittedAt), asc(problems.id))
    .limit(q.limit + 1);
  const [count] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(problems)
    .where(and(...conds));
  return { rows, total: count!.n };
}

/** The before and after photos of several problems at once. */
export async function photosOfMany(db: DbOrTx, ids: number[]) {
  if (!ids.length) return [];
  return db
    .select({
      problemId: problemPhotos.problemId,
      stage: problemPhotos.stage,
      eventId: problemPhotos.eventId,
      file: files,
    })
    .from(problemPhotos)
    .innerJoin(files, eq(files.id, problemPhotos.fileId))
    .where(
      and(inArray(problemPhotos.problemId, ids), inArray(problemPhotos.stage, ['before', 'after'])),
    )
    .orderBy(asc(problemPhotos.id));
}

/** The latest submission (提交整改 event) of each problem. */
export async function latestSubmissions(db: DbOrTx, ids: number[]) {
  if (!ids.length) return [];
  const rows = await execRows<{
    id: number | string;
    problem_id: number | string;
    note: string | null;
    actor_name: string;
    at: Date | string;
  }>(
    db,
    sql`select distinct on (problem_id) id, problem_id, note, actor_name, at
        from problem_events
        where problem_id in ${ids} and action = 'submit'
        order by problem_id, id desc`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    problemId: Number(r.problem_id),
    note: r.note,
    actorName: r.actor_name,
    at: new Date(r.at),
  }));
}
