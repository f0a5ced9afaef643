import { sql } from 'drizzle-orm';
import { execRows, type DbOrTx } from '../../db/client.js';

export interface DueMaterialRow {
  framework_id: number;
  framework_name: string;
  standard_key: string;
  code: string;
  text: string;
  due_date: string;
  year: number;
  state: 'draft' | 'submitted' | 'returned' | null;
  return_count: number | null;
  review_comment: string | null;
  files: number;
}

/**
 * The material standards a unit leads on the published versions, with a 时限 on or before
 * `horizon`, whose dossier for the 时限's year is not approved (or does not exist). One statement;
 * the 时限 as text, so no driver turns it into a local-time Date.
 */
export async function dueMaterials(
  db: DbOrTx,
  unitId: number,
  horizon: string,
): Promise<DueMaterialRow[]> {
  const rows = await execRows<DueMaterialRow>(
    db,
    sql`select f.id as framework_id, f.name as framework_name, s.key as standard_key, s.code,
               s.text, to_char(a.due_date, 'YYYY-MM-DD') as due_date,
               extract(year from a.due_date)::int as year,
               d.state, d.return_count, d.review_comment,
               (select count(*)::int from evidence_files ef
                 where ef.dossier_id = d.id and ef.removed_at is null) as files
          from assignments a
          join framework_versions v on v.id = a.version_id and v.status = 'published'
          join frameworks f on f.id = v.framework_id
          join framework_nodes s on s.id = a.standard_id and s.kind = 'standard'
                                and s.method = 'material'
          left join evidence_dossiers d on d.framework_id = f.id and d.standard_key = s.key
                                       and d.year = extract(year from a.due_date)::int
         where a.lead_unit_id = ${unitId}
           and a.due_date is not null
           and a.due_date <= ${horizon}::date
           and (d.state is null or d.state <> 'approved')
         order by a.due_date, s.code, f.id`,
  );
  return rows.map((r) => ({
    ...r,
    framework_id: Number(r.framework_id),
    year: Number(r.year),
    return_count: r.return_count === null ? null : Number(r.return_count),
    files: Number(r.files),
  }));
}

export async function unitName(db: DbOrTx, id: number): Promise<string | undefined> {
  const [u] = await execRows<{ name: string }>(db, sql`select name from units where id = ${id}`);
  return u?.name;
}
