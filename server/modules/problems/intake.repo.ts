import { getTableColumns, getTableName, sql } from 'drizzle-orm';
import { OPEN_STATES } from '../../../core/problems/lifecycle.js';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Database, DbOrTx } from '../../db/client.js';
import { CompiledStatement } from '../../db/compiled.js';
import { GroupCommit } from '../../db/group-commit.js';
import { auditLog, problemEvents, problemPhotos, problems } from '../../db/schema/index.js';
import { gridTokenSql } from '../grids/grid-routing.js';
import { boundaryTokenSql } from '../org/region-routing.js';

// The intake's write is one statement: it checks the category and region, draws the problem id,
// event id and code, and writes the problem, its first event, its photos and its audit record —
// atomic on its own, one round trip, prepared once per connection, for one intake or a batch of
// them (group commit). A refused report (unknown or inactive category, unknown region) writes
// nothing and draws no number: CASE evaluates only the branch it takes.
//
// A located intake's lookups run in the same statement (issue #16): the problem it recurs (反弹:
// the latest of its category closed within the radius and window), the open problems of its
// category nearby (the answer's `similar`), and the check that the grids deciding its place are
// the ones the app's in-memory index routed it with (`GridRoute.token`), and likewise the region
// boundaries when its region came from one (`RegionRoute.token`). An intake sees the
// problems committed before its statement began and the intakes ahead of it in its own batch —
// as if the batch's intakes had run one after the other in arrival order.

export type IntakeWrite = {
  year: number;
  categoryId: number;
  regionId: number | null;
  /** Every column but id and code, which the statement draws. */
  problem: Omit<typeof problems.$inferSelect, 'id' | 'code'>;
  event: Omit<typeof problemEvents.$inferInsert, 'id' | 'problemId'>;
  photoIds: string[];
  /**
   * The record without its entity id; `after` lacks id, code, categoryName and regionName, and its
   * recurrenceOfId (like the problem's and the event's) is filled in by the statement.
   */
  audit: Omit<typeof auditLog.$inferInsert, 'entityId'>;
  /** A located intake: what its lookups need. */
  place: IntakePlace | null;
};

export interface IntakePlace {
  lat: number;
  lng: number;
  /** Duplicates and recurrences within this distance, in metres. */
  radiusM: number;
  /** A problem closed since then at the place recurs (反弹). */
  since: Date;
  /** The grid token the in-memory index routed with; null: not checked (see intakeProblem). */
  gridToken: string | null;
  /** The boundary token the region was resolved with; null: not checked (region not by boundary). */
  boundaryToken: string | null;
}

/** An open problem of the same category near a new one. */
export interface NearbyProblem {
  id: number;
  code: string;
  title: string;
  state: string;
  distanceM: number;
}

/**
 * The box around a point that holds its radius, as `within` in problems-reports.repo computes it
 * (index-friendly prefilter; the exact distance decides).
 */
function searchBox(lat: number, lng: number, radiusM: number) {
  const dLat = radiusM / 111_320;
  const dLng = radiusM / (111_320 * Math.max(0.01, Math.cos((lat * Math.PI) / 180)));
  return { min_lat: lat - dLat, max_lat: lat + dLat, min_lng: lng - dLng, max_lng: lng + dLng };
}

/** Great-circle distance in metres between a row's position and an intake's (as distanceSql). */
function distance(row: string, x: string) {
  return sql.raw(`(6371000 * 2 * asin(sqrt(
    power(sin(radians(${row}.lat - ${x}.lat) / 2), 2) +
    cos(radians(${x}.lat)) * cos(radians(${row}.lat)) * power(sin(radians(${row}.lng - ${x}.lng) / 2), 2))))`);
}

export type IntakeResult =
  | {
      ok: true;
      problemId: number;
      eventId: number;
      code: string;
      categoryName: string;
      regionName: string | null;
      recurrenceOfId: number | null;
      /** Open problems of the category nearby, nearest first (located intakes; else empty). */
      similar: NearbyProblem[];
    }
  | {
      ok: false;
      categoryFound: boolean;
      regionFound: boolean;
      /**
       * The grids (or region boundaries) at the place changed since the index was loaded: nothing
       * written, route again.
       */
      gridStale: boolean;
    };

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
const intakeStatement = new CompiledStatement<{ batch: string }>('cc_intake_v4', () => {
  const cols = (names: string[], alias: string) =>
    sql.raw(names.map((n) => `${alias}.${JSON.stringify(n)}`).join(', '));
  const list = (names: string[]) => sql.raw(names.map((n) => JSON.stringify(n)).join(', '));
  const pCols = columnsOf(problems, PROBLEM_SKIP);
  const eCols = columnsOf(problemEvents, EVENT_SKIP);
  const aCols = columnsOf(auditLog, AUDIT_SKIP);
  const open = sql.raw(OPEN_STATES.map((st) => `'${st}'`).join(', '));
  const rec = sql`coalesce(to_jsonb(ids.recurrence_of_id), 'null'::jsonb)`;
  const after = sql`jsonb_set(jsonb_set(jsonb_set(jsonb_set(jsonb_set(ids.audit_after,
    '{id}', to_jsonb(ids.problem_id)), '{code}', to_jsonb(ids.code)),
    '{categoryName}', to_jsonb(ids.category_name)),
    '{regionName}', coalesce(to_jsonb(ids.region_name), 'null'::jsonb)),
    '{recurrenceOfId}', ${rec})`;
  // The event's data names the problem it recurs, when it does.
  const event = sql`case when ids.recurrence_of_id is null then ids.event
    else jsonb_set(ids.event, '{data}', coalesce(ids.event->'data', '{}'::jsonb)
      || jsonb_build_object('recurrenceOfId', ids.recurrence_of_id)) end`;
  // `found` is materialized so its lookups run once per intake: inlined into `ids`, the grid
  // check ran once per reference to its result (five times, EXPLAIN showed).
  return sql`with input as (
      select * from jsonb_to_recordset(${sql.placeholder('batch')}::jsonb) as x(n int,
        category_id int, region_id int, code_prefix text, code_sequence text,
        problem jsonb, event jsonb, audit jsonb, audit_after jsonb, photo_ids jsonb,
        lat float8, lng float8, radius_m float8, min_lat float8, max_lat float8,
        min_lng float8, max_lng float8, since timestamptz, grid_token text, boundary_token text)),
    found as materialized (
      select x.*, c.name as category_name, c.id is not null as category_found,
        r.name as region_name, r.id is not null as region_found,
        coalesce(c.active, false) and (r.id is not null or x.region_id is null) as checks_ok,
        (x.grid_token is null or ${gridTokenSql(sql.raw('x.lat'), sql.raw('x.lng'))} = x.grid_token)
          and (x.boundary_token is null
            or ${boundaryTokenSql(sql.raw('x.lat'), sql.raw('x.lng'))} = x.boundary_token)
          as grid_fresh,
        (select p.id from ${problems} p
          where x.lat is not null and p.category_id = x.category_id and p.state = 'closed'
            and p.closed_at >= x.since
            and p.lat between x.min_lat and x.max_lat and p.lng between x.min_lng and x.max_lng
            and ${distance('p', 'x')} <= x.radius_m
          order by p.closed_at desc, p.id desc limit 1) as recurrence_of_id
      from input x
      left join problem_categories c on c.id = x.category_id
      left join regions r on r.id = x.region_id),
    ids as materialized (
      select found.*, checks_ok and grid_fresh as ok,
        case when checks_ok and grid_fresh then nextval(pg_get_serial_sequence('problems', 'id')) end as problem_id,
        case when checks_ok and grid_fresh
          then nextval(pg_get_serial_sequence('problem_events', 'id')) end as event_id,
        case when checks_ok and grid_fresh
          then code_prefix || lpad(nextval(code_sequence::regclass)::text, 6, '0') end as code
      from found order by n),
    p as (insert into ${problems} ("id", "code", ${list(pCols)}) overriding system value
      select ids.problem_id, ids.code, ${cols(pCols, 'r')}
      from ids, jsonb_populate_record(null::${problems},
        ids.problem || jsonb_build_object('recurrence_of_id', ids.recurrence_of_id)) r
      where ids.ok),
    e as (insert into ${problemEvents} ("id", "problem_id", ${list(eCols)}) overriding system value
      select ids.event_id, ids.problem_id, ${cols(eCols, 'r')}
      from ids, jsonb_populate_record(null::${problemEvents}, ${event}) r where ids.ok),
    ph as (insert into ${problemPhotos} ("file_id", "stage", "problem_id", "event_id")
      select f.id::uuid, 'before', ids.problem_id, ids.event_id
      from ids, jsonb_array_elements_text(ids.photo_ids) with ordinality as f(id, k)
      where ids.ok order by ids.n, f.k),
    a as (insert into ${auditLog} ("entity_id", "after", ${list(aCols)})
      select ids.problem_id::text, ${after}, ${cols(aCols, 'r')}
      from ids, jsonb_populate_record(null::${auditLog}, ids.audit) r where ids.ok)
    select ids.n, ids.ok, ids.category_found, ids.region_found, ids.grid_fresh, ids.problem_id,
      ids.event_id, ids.code, ids.category_name, ids.region_name, ids.recurrence_of_id,
      case when ids.ok and ids.lat is not null then (
        select coalesce(jsonb_agg(jsonb_build_array(s.id, s.code, s.title, s.state, s.d)
          order by s.d, s.id), '[]'::jsonb)
        from (
          select * from (
            select p.id, p.code, p.title, p.state, ${distance('p', 'ids')} as d
            from ${problems} p
            where p.category_id = ids.category_id and p.state in (${open})
              and p.lat between ids.min_lat and ids.max_lat
              and p.lng between ids.min_lng and ids.max_lng
            union all
            select o.problem_id, o.code, o.problem->>'title', o.problem->>'state',
              ${distance('o', 'ids')}
            from ids o
            where o.ok and o.n < ids.n and o.category_id = ids.category_id
              and o.problem->>'state' in (${open})
              and o.lat between ids.min_lat and ids.max_lat
              and o.lng between ids.min_lng and ids.max_lng) u
          where u.d <= ids.radius_m
          order by u.d, u.id limit 10) s)
      end as similar
    from ids order by ids.n`;
});

/** The statement's SQL text and its one parameter for a batch (for EXPLAIN; see bench/). */
export function intakeStatementFor(writes: IntakeWrite[]): { text: string; batch: string } {
  return { text: intakeStatement.text(), batch: batchJson(writes) };
}

function batchJson(writes: IntakeWrite[]): string {
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
    ...(w.place
      ? {
          lat: w.place.lat,
          lng: w.place.lng,
          radius_m: w.place.radiusM,
          ...searchBox(w.place.lat, w.place.lng, w.place.radiusM),
          since: w.place.since.toISOString(),
          grid_token: w.place.gridToken,
          boundary_token: w.place.boundaryToken,
        }
      : {}),
  }));
  return JSON.stringify(batch);
}

/** Writes a batch of intakes in one statement; answers in the order given. */
export async function insertIntakes(db: DbOrTx, writes: IntakeWrite[]): Promise<IntakeResult[]> {
  const rows = await intakeStatement.rows<{
    n: number;
    ok: boolean;
    category_found: boolean;
    region_found: boolean;
    grid_fresh: boolean;
    problem_id: string | number | null;
    event_id: string | number | null;
    code: string | null;
    category_name: string | null;
    region_name: string | null;
    recurrence_of_id: string | number | null;
    similar: [string | number, string, string, string, number][] | null;
  }>(db, { batch: batchJson(writes) });
  return rows.map((row) =>
    row.ok
      ? {
          ok: true,
          problemId: Number(row.problem_id),
          eventId: Number(row.event_id),
          code: row.code!,
          categoryName: row.category_name!,
          regionName: row.region_name,
          recurrenceOfId: row.recurrence_of_id === null ? null : Number(row.recurrence_of_id),
          similar: (row.similar ?? []).map(([id, code, title, state, d]) => ({
            id: Number(id),
            code,
            title,
            state,
            distanceM: Number(d),
          })),
        }
      : {
          ok: false,
          categoryFound: row.category_found,
          regionFound: row.region_found,
          gridStale: !row.grid_fresh,
        },
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
