import { getTableColumns, getTableName, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Database, DbOrTx } from '../../db/client.js';
import { CompiledStatement } from '../../db/compiled.js';
import { GroupCommit } from '../../db/group-commit.js';
import { auditLog, problemEvents, problemPhotos, problems } from '../../db/schema/index.js';

// The intake's write is one statement: it checks the category and region, draws the problem id,
// event id and code, and writes the problem, its first event, its photos and its audit record —
// atomic on its own, one round trip, prepared once per connection, for one intake or a batch of
// them (group commit). A refused report (unknown or inactive category, unknown region) writes
// nothing and draws no number: CASE evaluates only the branch it takes.

export type IntakeWrite = {
  year: number;
  categoryId: number;
  regionId: number | null;
  /** Every column but id and code, which the statement draws. */
  problem: Omit<typeof problems.$inferSelect, 'id' | 'code'>;
  event: Omit<typeof problemEvents.$inferInsert, 'id' | 'problemId'>;
  photoIds: string[];
  /** The record without its entity id; `after` lacks id, code, categoryName and regionName. */
  audit: Omit<typeof auditLog.$inferInsert, 'entityId'>;
};

export type IntakeResult =
  | {
      ok: true;
      problemId: number;
      eventId: number;
      code: string;
      categoryName: string;
      regionName: string | null;
    }
  | { ok: false; categoryFound: boolean; regionFound: boolean };

/** A table's columns but `skip`, as [property, column] pairs, worked out once per table. */
const columnLists = new Map<string, [string, PgColumn][]>();
function columnList(table: PgTable, skip: readonly string[]): [string, PgColumn][] {
  const key = `${getTableName(table)}:${skip.join(',')}`;
  let list = columnLists.get(key);
  if (!list) {
    list = Object.entries(getTableColumns(table)).filter(([k]) => !skip.includes(k));
    columnLists.set(key, list);
  }
  return list;
}

/** Each write as one JSON object per table row, keyed by column name, for jsonb_populate_record. */
function jsonRow(
  table: PgTable,
  row: Record<string, unknown>,
  skip: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, column] of columnList(table, skip)) {
    const v = row[key];
    if (v === undefined) continue;
    // jsonb columns nest as JSON; the rest as their driver value (dates as ISO text).
    out[column.name] = v === null || column.dataType === 'json' ? v : column.mapToDriverValue(v);
  }
  return out;
}

function columnsOf(table: PgTable, skip: readonly string[]): string[] {
  return columnList(table, skip).map(([, column]) => column.name);
}

const PROBLEM_SKIP = ['id', 'code'] as const;
const EVENT_SKIP = ['id', 'problemId'] as const;
const AUDIT_SKIP = ['id', 'entityId', 'after', 'seq', 'prevHash', 'hash'] as const;

/**
 * Built once, run by name (a prepared statement on PostgreSQL), for a batch of any size: the
 * intakes arrive as one JSON array. Building this statement with Drizzle and planning it cost more
 * than the write itself; running many intakes per statement shares one round trip, one commit and
 * one update of the dashboard rollup among them.
 */
const intakeStatement = new CompiledStatement<{ batch: string }>('cc_intake_v2', () => {
  const cols = (names: string[], alias: string) =>
    sql.raw(names.map((n) => `${alias}.${JSON.stringify(n)}`).join(', '));
  const list = (names: string[]) => sql.raw(names.map((n) => JSON.stringify(n)).join(', '));
  const pCols = columnsOf(problems, PROBLEM_SKIP);
  const eCols = columnsOf(problemEvents, EVENT_SKIP);
  const aCols = columnsOf(auditLog, AUDIT_SKIP);
  const after = sql`jsonb_set(jsonb_set(jsonb_set(jsonb_set(ids.audit_after,
    '{id}', to_jsonb(ids.problem_id)), '{code}', to_jsonb(ids.code)),
    '{categoryName}', to_jsonb(ids.category_name)),
    '{regionName}', coalesce(to_jsonb(ids.region_name), 'null'::jsonb))`;
  return sql`with input as (
      select * from jsonb_to_recordset(${sql.placeholder('batch')}::jsonb) as x(n int,
        category_id int, region_id int, code_prefix text, code_sequence text,
        problem jsonb, event jsonb, audit jsonb, audit_after jsonb, photo_ids jsonb)),
    found as (
      select x.*, c.name as category_name, c.id is not null as category_found,
        r.name as region_name, r.id is not null as region_found,
        coalesce(c.active, false) and (r.id is not null or x.region_id is null) as ok
      from input x
      left join problem_categories c on c.id = x.category_id
      left join regions r on r.id = x.region_id),
    ids as materialized (
      select found.*,
        case when ok then nextval(pg_get_serial_sequence('problems', 'id')) end as problem_id,
        case when ok then nextval(pg_get_serial_sequence('problem_events', 'id')) end as event_id,
        case when ok then code_prefix || lpad(nextval(code_sequence::regclass)::text, 6, '0') end as code
      from found order by n),
    p as (insert into ${problems} ("id", "code", ${list(pCols)}) overriding system value
      select ids.problem_id, ids.code, ${cols(pCols, 'r')}
      from ids, jsonb_populate_record(null::${problems}, ids.problem) r where ids.ok),
    e as (insert into ${problemEvents} ("id", "problem_id", ${list(eCols)}) overriding system value
      select ids.event_id, ids.problem_id, ${cols(eCols, 'r')}
      from ids, jsonb_populate_record(null::${problemEvents}, ids.event) r where ids.ok),
    ph as (insert into ${problemPhotos} ("file_id", "stage", "problem_id", "event_id")
      select f.id::uuid, 'before', ids.problem_id, ids.event_id
      from ids, jsonb_array_elements_text(ids.photo_ids) with ordinality as f(id, k)
      where ids.ok order by ids.n, f.k),
    a as (insert into ${auditLog} ("entity_id", "after", ${list(aCols)})
      select ids.problem_id::text, ${after}, ${cols(aCols, 'r')}
      from ids, jsonb_populate_record(null::${auditLog}, ids.audit) r where ids.ok)
    select n, ok, category_found, region_found, problem_id, event_id, code, category_name, region_name
    from ids order by n`;
});

/** Writes a batch of intakes in one statement; answers in the order given. */
export async function insertIntakes(db: DbOrTx, writes: IntakeWrite[]): Promise<IntakeResult[]> {
  const batch = writes.map((w, n) => ({
    n,
    category_id: w.categoryId,
    region_id: w.regionId,
    code_prefix: `WT${w.year}-`,
    code_sequence: `problem_code_${w.year}`,
    problem: jsonRow(problems, w.problem, PROBLEM_SKIP),
    event: jsonRow(problemEvents, w.event, EVENT_SKIP),
    audit: jsonRow(auditLog, w.audit, AUDIT_SKIP),
    audit_after: w.audit.after ?? null,
    photo_ids: w.photoIds,
  }));
  const rows = await intakeStatement.rows<{
    n: number;
    ok: boolean;
    category_found: boolean;
    region_found: boolean;
    problem_id: string | number | null;
    event_id: string | number | null;
    code: string | null;
    category_name: string | null;
    region_name: string | null;
  }>(db, { batch: JSON.stringify(batch) });
  return rows.map((row) =>
    row.ok
      ? {
          ok: true,
          problemId: Number(row.problem_id),
          eventId: Number(row.event_id),
          code: row.code!,
          categoryName: row.category_name!,
          regionName: row.region_name,
        }
      : { ok: false, categoryFound: row.category_found, regionFound: row.region_found },
  );
}

/** One intake (inside a caller's transaction, say). */
export async function insertIntake(db: DbOrTx, w: IntakeWrite): Promise<IntakeResult> {
  return (await insertIntakes(db, [w]))[0]!;
}

const batchers = new WeakMap<object, GroupCommit<IntakeWrite, IntakeResult>>();

/**
 * The intake write through the database's group commit: concurrent intakes share a statement. For
 * writes on the pool only — never inside a transaction (use insertIntake there).
 */
export function intakeGroupCommit(database: Database): GroupCommit<IntakeWrite, IntakeResult> {
  let b = batchers.get(database);
  if (!b) {
    b = new GroupCommit((writes) => insertIntakes(database.db, writes), {
      maxBatch: 64,
      // PGlite has one connection and runs on this thread: its statements block the loop, so a
      // batch there mostly holds one intake (docs/decisions.md, "Group commit on PGlite"). On PostgreSQL two batches in flight: one executing while
      // the next fills; more in flight meant smaller batches and ~10 % fewer intakes a second in
      // the bench (docs/performance.md), and the pool is shared with every other request.
      maxInFlight: database.driver === 'pglite' ? 1 : 2,
    });
    batchers.set(database, b);
  }
  return b;
}
