import {
  and,
  asc,
  desc,
  eq,
  getTableColumns,
  ilike,
  inArray,
  isNull,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import type { EscalationBound } from '../../../core/problems/escalation.js';
import type { TListProblemsQuery } from '../../../core/contracts/problems.js';
import type { TScope } from '../../../core/permissions.js';
import type { CalendarTable } from '../../../core/calendar/working-days.js';
import { execRows, type DbOrTx } from '../../db/client.js';
import {
  calendarDays,
  problemCategories,
  problemEvents,
  problems,
  regions,
  units,
} from '../../db/schema/index.js';
import { afterCursor, likePattern } from '../../platform/pagination.js';
import { ShortCache } from '../../platform/short-cache.js';
import { regionSubtree } from '../org/regions.repo.js';

export type ProblemValues = Omit<
  typeof problems.$inferInsert,
  'id' | 'version' | 'createdAt' | 'updatedAt'
>;
const selection = {
  ...getTableColumns(problems),
  categoryName: problemCategories.name,
  regionName: regions.name,
  unitName: units.name,
  handedToName: sql<
    string | null
  >`(select hr.name from regions hr where hr.id = ${problems.handedToRegionId})`,
};
export type ProblemRow = typeof problems.$inferSelect & {
  categoryName: string;
  regionName: string | null;
  unitName: string | null;
  /** The name of the level the problem was handed down to (交办), when it was. */
  handedToName?: string | null;
};
export type EventRow = typeof problemEvents.$inferSelect;

/** 交办 still waiting for the office below to dispatch it; `overdue`: past its 时限 at `now`. */
export function handDownCondition(which: 'waiting' | 'overdue', now: Date): SQL {
  const waiting = sql`(${problems.handedToRegionId} is not null and ${problems.state} = 'registered')`;
  return which === 'waiting' ? waiting : sql`(${waiting} and ${problems.handDueAt} < ${now})`;
}
export type CategoryRow = typeof problemCategories.$inferSelect;

function base(db: DbOrTx) {
  return db
    .select(selection)
    .from(problems)
    .innerJoin(problemCategories, eq(problemCategories.id, problems.categoryId))
    .leftJoin(regions, eq(regions.id, problems.regionId))
    .leftJoin(units, eq(units.id, problems.unitId));
}

/** The problems a scope may see: a unit its own (dispatched to it or reported by it). */
export function problemScope(scope: TScope): SQL | undefined {
  switch (scope.kind) {
    case 'all':
      return undefined;
    case 'unit':
      return or(
        eq(problems.unitId, scope.unitId),
        eq(problems.reporterUnitId, scope.unitId),
        ...(scope.userId !== undefined ? [eq(problems.reporterId, scope.userId)] : []),
      );
    case 'region':
      return or(
        sql`${problems.regionId} in ${regionSubtree(scope.regionId)}`,
        ...(scope.userId !== undefined
          ? [eq(problems.reporterId, scope.userId), inMyGrids(scope.userId)]
          : []),
        // A district leader who also heads a unit: that unit's problems wherever they lie.
        ...(scope.unitId !== undefined
          ? [eq(problems.unitId, scope.unitId), eq(problems.reporterUnitId, scope.unitId)]
          : []),
      );
    case 'self':
      return or(eq(problems.reporterId, scope.userId), inMyGrids(scope.userId));
  }
}

/** Field staff also see the problems of the grids they are named in (网格员, 网格长, 楼栋长). */
function inMyGrids(userId: number): SQL {
  return sql`${problems.gridId} in (select gm.grid_id from grid_members gm where gm.user_id = ${userId})`;
}

const ensuredSequences = new WeakMap<object, Set<number>>();

/**
 * Makes sure the year's code sequence exists (created once, outside any transaction). A sequence,
 * unlike a counter row, is not locked until commit, so intakes do not queue behind each other; the
 * price is that a rolled-back intake leaves a gap in the numbers.
 */
export async function ensureCodeSequence(database: { db: DbOrTx }, year: number): Promise<void> {
  const done = ensuredSequences.get(database) ?? new Set<number>();
  ensuredSequences.set(database, done);
  if (done.has(year)) return;
  const name = `problem_code_${year}`;
  const [exists] = await execRows<{ n: number }>(
    database.db,
    sql`select count(*)::int as n from pg_class where relkind = 'S' and relname = ${name}`,
  );
  if (!exists?.n) {
    // Start after any code of the year already issued (e.g. before this scheme existed).
    const [max] = await execRows<{ n: number }>(
      database.db,
      sql`select coalesce(max(substring(code from 8)::int), 0)::int as n from problems where code like ${`WT${year}-%`}`,
    );
    try {
      await database.db.execute(
        sql.raw(`create sequence if not exists ${name} start with ${(max?.n ?? 0) + 1}`),
      );
    } catch (err) {
      // Another server created it at the same moment: that is fine.
      if (
        !JSON.stringify(err).includes('23505') &&
        !String((err as Error).message).includes('already exists')
      )
        throw err;
    }
  }
  done.add(year);
}

export async function findProblem(
  db: DbOrTx,
  id: number,
  scope?: TScope,
): Promise<ProblemRow | undefined> {
  const s = scope ? problemScope(scope) : undefined;
  const rows = await base(db)
    .where(and(eq(problems.id, id), ...(s ? [s] : [])))
    .limit(1);
  return rows[0];
}

export async function findByExternalRef(
  db: DbOrTx,
  channel: string,
  ref: string,
): Promise<ProblemRow | undefined> {
  const rows = await base(db)
    .where(and(eq(problems.channel, channel), eq(problems.externalRef, ref)))
    .limit(1);
  return rows[0];
}

export async function updateProblem(
  db: DbOrTx,
  id: number,
  version: number,
  v: Partial<ProblemValues>,
): Promise<boolean> {
  const rows = await db
    .update(problems)
    .set({ ...v, version: sql`${problems.version} + 1`, updatedAt: new Date() })
    .where(and(eq(problems.id, id), eq(problems.version, version)))
    .returning({ id: problems.id });
  return rows.length === 1;
}

export async function insertEvent(db: DbOrTx, v: Omit<EventRow, 'id'>): Promise<number> {
  const [row] = await db.insert(problemEvents).values(v).returning({ id: problemEvents.id });
  return row!.id;
}

/**
 * The step a phone sent under this client id (act-on-problem: a repeated submission), if taken.
 * The id sits in the event's data: a problem has a handful of events, read by its index.
 */
export async function findEventByClientId(
  db: DbOrTx,
  problemId: number,
  clientId: string,
): Promise<EventRow | undefined> {
  const [row] = await db
    .select()
    .from(problemEvents)
    .where(
      and(
        eq(problemEvents.problemId, problemId),
        sql`${problemEvents.data}->>'clientId' = ${clientId}`,
      ),
    )
    .limit(1);
  return row;
}

export async function listEvents(db: DbOrTx, problemId: number): Promise<EventRow[]> {
  return db
    .select()
    .from(problemEvents)
    .where(eq(problemEvents.problemId, problemId))
    .orderBy(asc(problemEvents.id));
}

/** SQL for "the escalation level is one of these", from the ladder's instant bounds. */
export function escalationCondition(levels: string[], bounds: readonly EscalationBound[]): SQL {
  const holds = (b: EscalationBound): SQL => {
    const parts: SQL[] = [];
    if (b.due)
      parts.push(
        sql`(${problems.deadline} >= ${b.due.from} and ${problems.deadline} <= ${b.due.to})`,
      );
    if (b.overdueBefore) parts.push(sql`${problems.deadline} < ${b.overdueBefore}`);
    if (b.reworkAtLeast !== undefined)
      parts.push(sql`${problems.reworkCount} >= ${b.reworkAtLeast}`);
    return parts.length ? sql`(${sql.join(parts, sql` or `)})` : sql`false`;
  };
  const rank = { none: 0, blue: 1, yellow: 2, red: 3 } as const;
  const inDeadlineState = sql`(${problems.state} = 'dispatched' and ${problems.deadline} is not null)`;
  const atLevel = (level: keyof typeof rank): SQL => {
    const higher = bounds.filter((b) => rank[b.level] > rank[level]);
    const notHigher = higher.length
      ? sql`not (${sql.join(higher.map(holds), sql` or `)})`
      : sql`true`;
    if (level === 'none') {
      const any = bounds.length ? sql`not (${sql.join(bounds.map(holds), sql` or `)})` : sql`true`;
      return sql`(not ${inDeadlineState} or ${any})`;
    }
    const own = bounds.filter((b) => b.level === level);
    if (!own.length) return sql`false`;
    return sql`(${inDeadlineState} and (${sql.join(own.map(holds), sql` or `)}) and ${notHigher})`;
  };
  return sql`(${sql.join(
    levels.map((l) => atLevel(l as keyof typeof rank)),
    sql` or `,
  )})`;
}

function filters(
  scope: TScope,
  q: Partial<TListProblemsQuery>,
  bounds: readonly EscalationBound[],
  now: Date,
): SQL[] {
  const conds: SQL[] = [];
  const s = problemScope(scope);
  if (s) conds.push(s);
  if (q.q) {
    const p = likePattern(q.q);
    conds.push(
      or(
        ilike(problems.title, p),
        ilike(problems.code, p),
        ilike(problems.address, p),
        ilike(problems.externalRef, p),
      )!,
    );
  }
  if (q.state?.length) conds.push(inArray(problems.state, q.state));
  if (q.channel?.length) conds.push(inArray(problems.channel, q.channel));
  if (q.severity?.length) conds.push(inArray(problems.severity, q.severity));
  if (q.unitId) conds.push(eq(problems.unitId, q.unitId));
  if (q.regionId) conds.push(sql`${problems.regionId} in ${regionSubtree(q.regionId)}`);
  if (q.located === 'none') conds.push(isNull(problems.regionId));
  if (q.handDown) conds.push(handDownCondition(q.handDown, now));
  if (q.categoryId) {
    conds.push(
      sql`${problems.categoryId} in (select id from problem_categories where id = ${q.categoryId} or parent_id = ${q.categoryId})`,
    );
  }
  if (q.overdue === 'true')
    conds.push(sql`(${problems.state} = 'dispatched' and ${problems.deadline} < ${now})`);
  if (q.overdue === 'false')
    conds.push(
      sql`not (${problems.state} = 'dispatched' and coalesce(${problems.deadline} < ${now}, false))`,
    );
  if (q.createdFrom) conds.push(sql`${problems.createdAt} >= ${new Date(q.createdFrom)}`);
  if (q.createdTo) conds.push(sql`${problems.createdAt} <= ${new Date(q.createdTo)}`);
  if (q.deadlineFrom) conds.push(sql`${problems.deadline} >= ${new Date(q.deadlineFrom)}`);
  if (q.deadlineTo) conds.push(sql`${problems.deadline} <= ${new Date(q.deadlineTo)}`);
  if (q.escalation?.length) conds.push(escalationCondition(q.escalation, bounds));
  return conds;
}

/** The ledger counts matches up to this many; beyond it the page says "10,000+". */
export const TOTAL_CAP = 10_000;

const SORT = {
  createdAt: problems.createdAt,
  deadline: problems.deadline,
  updatedAt: problems.updatedAt,
};

/** The ledger (台账): filtered, sorted, keyset-paginated. */
export async function listProblems(
  db: DbOrTx,
  scope: TScope,
  q: TListProblemsQuery,
  bounds: readonly EscalationBound[],
  now: Date,
): Promise<{ rows: ProblemRow[]; total: number; totalCapped: boolean }> {
  const conds = filters(scope, q, bounds, now);
  const sortCol = SORT[q.sort];
  // Problems without a deadline sort last either way; the cursor needs a non-null value.
  const sortExpr =
    q.sort === 'deadline'
      ? sql`coalesce(${problems.deadline}, ${q.order === 'asc' ? 'infinity' : '-infinity'}::timestamptz)`
      : sortCol;
  const after = afterCursor(sortExpr, problems.id, q.order, q.cursor);
  const dir = q.order === 'asc' ? asc : desc;
  const rows = await base(db)
    .where(and(...conds, ...(after ? [after] : [])))
    .orderBy(q.order === 'asc' ? sql`${sortExpr} asc` : sql`${sortExpr} desc`, dir(problems.id))
    .limit(q.limit + 1);
  // Counting millions of rows on every page costs more than the page: count up to a cap.
  const capped = db
    .select({ one: sql`1` })
    .from(problems)
    .where(conds.length ? and(...conds) : undefined)
    .limit(TOTAL_CAP + 1)
    .as('capped');
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(capped);
  return { rows, total: Math.min(count!.n, TOTAL_CAP), totalCapped: count!.n > TOTAL_CAP };
}

/** Every problem matching the ledger filters, in id order, in batches (streaming export). */
export async function* iterateProblems(
  db: DbOrTx,
  scope: TScope,
  q: Partial<TListProblemsQuery>,
  bounds: readonly EscalationBound[],
  now: Date,
  batch = 2000,
): AsyncGenerator<ProblemRow[]> {
  const conds = filters(scope, q, bounds, now);
  let last = 0;
  for (;;) {
    const rows: ProblemRow[] = await base(db)
      .where(and(...conds, sql`${problems.id} > ${last}`))
      .orderBy(asc(problems.id))
      .limit(batch);
    if (!rows.length) return;
    yield rows;
    last = rows[rows.length - 1]!.id;
  }
}

export async function listCategories(db: DbOrTx): Promise<CategoryRow[]> {
  return db
    .select()
    .from(problemCategories)
    .orderBy(asc(problemCategories.sortOrder), asc(problemCategories.id));
}

export async function findCategory(
  db: DbOrTx,
  id: number,
): Promise<(CategoryRow & { parent: CategoryRow | null }) | undefined> {
  const rows = await db
    .select()
    .from(problemCategories)
    .where(eq(problemCategories.id, id))
    .limit(1);
  const c = rows[0];
  if (!c) return undefined;
  const parent = c.parentId
    ? ((
        await db
          .select()
          .from(problemCategories)
          .where(eq(problemCategories.id, c.parentId))
          .limit(1)
      )[0] ?? null)
    : null;
  return { ...c, parent };
}

const calendarCache = new ShortCache<CalendarTable>(10);
/** How long an app server reuses the holiday table it read (other servers see an edit this late). */
const CALENDAR_CACHE_MS = 30_000;

/**
 * The holiday table as the calendar functions want it. Read through a short cache on the database
 * handle (every ledger page needs it); inside a transaction it is read afresh.
 */
export async function loadCalendar(db: DbOrTx): Promise<CalendarTable> {
  return calendarCache.get(db, 'all', CALENDAR_CACHE_MS, async () => {
    const rows = await db.select().from(calendarDays);
    return new Map(rows.map((r) => [r.day, r.kind]));
  });
}

export async function listCalendarYear(db: DbOrTx, year: number) {
  return db
    .select()
    .from(calendarDays)
    .where(
      sql`${calendarDays.day} >= ${`${year}-01-01`} and ${calendarDays.day} <= ${`${year}-12-31`}`,
    )
    .orderBy(asc(calendarDays.day));
}

export async function replaceCalendarYear(
  db: DbOrTx,
  year: number,
  days: { day: string; kind: 'holiday' | 'workday'; name: string }[],
): Promise<void> {
  await db
    .delete(calendarDays)
    .where(
      sql`${calendarDays.day} >= ${`${year}-01-01`} and ${calendarDays.day} <= ${`${year}-12-31`}`,
    );
  calendarCache.invalidate();
  if (days.length) await db.insert(calendarDays).values(days);
}

/** 交办 past their 时限, still waiting for the office below, whose reminder is not yet sent. */
export function dueHandDowns(db: DbOrTx, now: Date, limit: number) {
  return db
    .select({
      id: problems.id,
      code: problems.code,
      title: problems.title,
      handedToRegionId: problems.handedToRegionId,
      handDueAt: problems.handDueAt,
    })
    .from(problems)
    .where(
      and(
        eq(problems.state, 'registered'),
        isNull(problems.handRemindedAt),
        sql`${problems.handedToRegionId} is not null`,
        sql`${problems.handDueAt} < ${now}`,
      ),
    )
    .orderBy(asc(problems.handDueAt))
    .limit(limit);
}

/** Marks a hand-down's reminder as sent; false when another server (or a dispatch) came first. */
export async function claimHandReminder(db: DbOrTx, id: number, now: Date): Promise<boolean> {
  const rows = await db
    .update(problems)
    .set({ handRemindedAt: now })
    .where(
      and(
        eq(problems.id, id),
        eq(problems.state, 'registered'),
        isNull(problems.handRemindedAt),
        sql`${problems.handDueAt} < ${now}`,
      ),
    )
    .returning({ id: problems.id });
  return rows.length > 0;
}
