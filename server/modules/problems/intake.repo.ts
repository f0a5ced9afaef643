import { sql } from 'drizzle-orm';
import { execRows, type DbOrTx } from '../../db/client.js';
import { insertSql } from '../../db/insert-sql.js';
import { auditLog, problemEvents, problemPhotos, problems } from '../../db/schema/index.js';

// The intake's two statements. Every write of a new problem — the problem, its first timeline
// event, its photos and its audit record — is one statement, so it is atomic on its own and costs
// one round trip; the ids it needs are drawn beforehand with the category and region in one read.

export interface IntakePrelude {
  problemId: number;
  eventId: number;
  codeNumber: number;
  categoryName: string | null;
  categoryActive: boolean | null;
  regionName: string | null;
  regionFound: boolean;
}

/** Draws the problem id, event id and code number, and reads the category and region. */
export async function intakePrelude(
  db: DbOrTx,
  year: number,
  categoryId: number,
  regionId: number | null,
): Promise<IntakePrelude> {
  const [row] = await execRows<{
    problem_id: string | number;
    event_id: string | number;
    code_number: string | number;
    category_name: string | null;
    category_active: boolean | null;
    region_name: string | null;
    region_found: boolean;
  }>(
    db,
    // CASE evaluates only the branch taken: a refused report draws no id and uses up no code.
    sql`with found as (
          select c.name as category_name, c.active as category_active,
            r.name as region_name, r.id is not null as region_found,
            coalesce(c.active, false) and (r.id is not null or ${regionId === null}) as ok
          from (select 1) as one
          left join problem_categories c on c.id = ${categoryId}
          left join regions r on r.id = ${regionId ?? -1})
        select case when ok then nextval(pg_get_serial_sequence('problems', 'id')) end as problem_id,
          case when ok then nextval(pg_get_serial_sequence('problem_events', 'id')) end as event_id,
          case when ok then nextval(${`problem_code_${year}`}::regclass) end as code_number,
          category_name, category_active, region_name, region_found
        from found`,
  );
  return {
    problemId: Number(row!.problem_id),
    eventId: Number(row!.event_id),
    codeNumber: Number(row!.code_number),
    categoryName: row!.category_name,
    categoryActive: row!.category_active,
    regionName: row!.region_name,
    regionFound: row!.region_found,
  };
}

/** Writes the problem, its first event, its before-photos and the audit record in one statement. */
export async function insertIntake(
  db: DbOrTx,
  w: {
    problem: typeof problems.$inferInsert;
    event: typeof problemEvents.$inferInsert;
    photos: (typeof problemPhotos.$inferInsert)[];
    audit: typeof auditLog.$inferInsert;
  },
): Promise<void> {
  const parts = [
    sql`p as (${insertSql(problems, [w.problem], { overridingSystemValue: true })})`,
    sql`e as (${insertSql(problemEvents, [w.event], { overridingSystemValue: true })})`,
  ];
  if (w.photos.length) parts.push(sql`ph as (${insertSql(problemPhotos, w.photos)})`);
  await db.execute(sql`with ${sql.join(parts, sql`, `)} ${insertSql(auditLog, [w.audit])}`);
}
