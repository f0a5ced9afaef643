import { sql } from 'drizzle-orm';
import { execRows, type DbOrTx } from '../../db/client.js';
import { insertSelectSql } from '../../db/insert-sql.js';
import { auditLog, problemEvents, problemPhotos, problems } from '../../db/schema/index.js';

// The intake's write is one statement: it checks the category and region, draws the problem id,
// event id and code, and writes the problem, its first event, its photos and its audit record —
// atomic on its own, one round trip. A refused report (unknown or inactive category, unknown
// region) writes nothing and draws no number: CASE evaluates only the branch it takes.

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

export async function insertIntake(db: DbOrTx, w: IntakeWrite): Promise<IntakeResult> {
  const fromIds = sql`ids where ids.ok`;
  const after = sql`jsonb_set(jsonb_set(jsonb_set(jsonb_set(${JSON.stringify(w.audit.after)}::jsonb,
    '{id}', to_jsonb(ids.problem_id)), '{code}', to_jsonb(ids.code)),
    '{categoryName}', to_jsonb(ids.category_name)),
    '{regionName}', coalesce(to_jsonb(ids.region_name), 'null'::jsonb))`;
  const writes = [
    sql`p as (${insertSelectSql(
      problems,
      w.problem,
      { id: sql`ids.problem_id`, code: sql`ids.code` },
      fromIds,
      { overridingSystemValue: true },
    )})`,
    sql`e as (${insertSelectSql(
      problemEvents,
      w.event,
      { id: sql`ids.event_id`, problemId: sql`ids.problem_id` },
      fromIds,
      { overridingSystemValue: true },
    )})`,
    ...w.photoIds.map(
      (fileId, i) =>
        sql`${sql.identifier(`ph${i}`)} as (${insertSelectSql(
          problemPhotos,
          { fileId, stage: 'before' },
          { problemId: sql`ids.problem_id`, eventId: sql`ids.event_id` },
          fromIds,
        )})`,
    ),
    sql`a as (${insertSelectSql(
      auditLog,
      { ...w.audit, after: undefined },
      { entityId: sql`ids.problem_id::text`, after },
      fromIds,
    )})`,
  ];
  const [row] = await execRows<{
    ok: boolean;
    category_found: boolean;
    region_found: boolean;
    problem_id: string | number | null;
    event_id: string | number | null;
    code: string | null;
    category_name: string | null;
    region_name: string | null;
  }>(
    db,
    sql`with found as (
          select c.name as category_name, c.id is not null as category_found,
            r.name as region_name, r.id is not null as region_found,
            coalesce(c.active, false) and (r.id is not null or ${w.regionId === null}) as ok
          from (select 1) as one
          left join problem_categories c on c.id = ${w.categoryId}
          left join regions r on r.id = ${w.regionId ?? -1}),
        ids as materialized (
          select found.*,
            case when ok then nextval(pg_get_serial_sequence('problems', 'id')) end as problem_id,
            case when ok then nextval(pg_get_serial_sequence('problem_events', 'id')) end as event_id,
            case when ok then ${`WT${w.year}-`} || lpad(nextval(${`problem_code_${w.year}`}::regclass)::text, 6, '0') end as code
          from found),
        ${sql.join(writes, sql`, `)}
        select ok, category_found, region_found, problem_id, event_id, code, category_name, region_name
        from ids`,
  );
  if (!row!.ok) {
    return { ok: false, categoryFound: row!.category_found, regionFound: row!.region_found };
  }
  return {
    ok: true,
    problemId: Number(row!.problem_id),
    eventId: Number(row!.event_id),
    code: row!.code!,
    categoryName: row!.category_name!,
    regionName: row!.region_name,
  };
}
