import { eq, sql, type SQL } from 'drizzle-orm';
import { Permission, permissionsOf } from '../../../core/permissions.js';
import { execRows, type Database } from '../../db/client.js';
import { files } from '../../db/schema/index.js';
import { actorScope, type Actor } from '../../platform/actor.js';
import { AppError, errors } from '../../platform/errors.js';
import { mayReadEvidenceFile } from '../evidence/evidence.service.js';
import { mayReadTaskReportsOf } from '../frameworks/task-report-access.js';
import { getDuty } from '../frontage/frontage.service.js';
import { getAgreement } from '../groups/groups.service.js';
import { listIndicators } from '../indicators/indicators.repo.js';
import { problemScope } from '../problems/problems.repo.js';
import { visitScopeSql } from '../rounds/visits.repo.js';
import { getActivity } from '../volunteers/activities.service.js';
import type { FileRow } from './files.service.js';

// Who may download a file (issue #16). A file has no rules of its own: it may be read by whoever
// may read one of the records it belongs to — with that record's permission AND scope, decided by
// the owning module's own logic — by its uploader while it belongs to nothing, and by an
// administrator. Everything else is a 404, the same answer as for a file that does not exist.
//
// Each check answers null when the file does not belong to a record of its kind, else whether the
// actor may read one of those records. The cheap, indexed and common kinds come first; the first
// `true` ends the search.

type Check = (database: Database, actor: Actor, f: FileRow) => Promise<boolean | null>;

/** True when reading the record succeeds, false when its module answers 403 or 404. */
async function readable(read: () => Promise<unknown>): Promise<boolean> {
  try {
    await read();
    return true;
  } catch (err) {
    if (err instanceof AppError && (err.status === 403 || err.status === 404)) return false;
    throw err;
  }
}

const has = (actor: Actor, p: Permission) => permissionsOf(actor.roles).has(p);

/**
 * Problem photos (before / after / verify; citizen and patrol photos are problem photos too). A
 * photo is attached to one problem; a merge links a duplicate's photos into the problem it joined
 * (and that one's into the next), so the holders are the attaching problem and the problems up its
 * merged-into chain that show the photo. Read: problem.read within the problem scope.
 */
const problemPhoto: Check = async (database, actor, f) => {
  const scope: SQL = has(actor, Permission.ProblemRead)
    ? (problemScope(actorScope(actor)) ?? sql`true`)
    : sql`false`;
  const [row] = await execRows<{ n: number; ok: boolean | null }>(
    database.db,
    sql`with recursive holders(id, depth) as (
          select problem_id, 0 from problem_photos where file_id = ${f.id} and not linked
          union all
          select p.merged_into_id, h.depth + 1 from problems p join holders h on p.id = h.id
           where p.merged_into_id is not null and h.depth < 16)
        select count(*)::int as n, bool_or(${scope}) as ok
          from holders h join problems on problems.id = h.id
         where exists (select 1 from problem_photos pp
                        where pp.problem_id = h.id and pp.file_id = ${f.id})`,
  );
  return row && Number(row.n) > 0 ? row.ok === true : null;
};

const evidenceFile: Check = (database, actor, f) => mayReadEvidenceFile(database.db, actor, f.id);

/**
 * Photos of an inspection visit's checklist items. Read: problem.read within the visit scope (the
 * round's inspectors; the point's unit or region once the round is open). A photo first appears in
 * a visit of its uploader (visits take only the inspector's own uploads), whose round and point
 * the whole correction chain shares, so the lookup follows the inspector index.
 */
const visitPhoto: Check = async (database, actor, f) => {
  const scope = has(actor, Permission.ProblemRead)
    ? visitScopeSql(actorScope(actor), actor.id)
    : sql`false`;
  const contains = JSON.stringify([{ photoIds: [f.id] }]);
  const [row] = await execRows<{ n: number; ok: boolean | null }>(
    database.db,
    sql`select count(*)::int as n, bool_or(${scope}) as ok
          from inspection_visits v
          join rounds r on r.id = v.round_id
          join points p on p.id = v.point_id
         where v.items @> ${contains}::jsonb
           ${f.uploadedBy !== null ? sql`and v.inspector_id = ${f.uploadedBy}` : sql``}`,
  );
  return row && Number(row.n) > 0 ? row.ok === true : null;
};

async function ids(database: Database, query: SQL): Promise<Record<string, unknown>[]> {
  return execRows<Record<string, unknown>>(database.db, query);
}

/** Photos of a volunteer activity: read as the activity is (registry readers and volunteers). */
const activityPhoto: Check = async (database, actor, f) => {
  const rows = await ids(
    database,
    sql`select activity_id as id from activity_photos where file_id = ${f.id}`,
  );
  if (!rows.length) return null;
  for (const r of rows) {
    if (await readable(() => getActivity(database, actor, Number(r.id)))) return true;
  }
  return false;
};

/** The signed scan of a responsibility agreement: read as the agreement is. */
const agreementScan: Check = async (database, actor, f) => {
  const rows = await ids(
    database,
    sql`select campaign_id, unit_id from responsibility_agreements
         where signed_file_id = ${f.id}`,
  );
  if (!rows.length) return null;
  for (const r of rows) {
    const read = () => getAgreement(database, actor, Number(r.campaign_id), Number(r.unit_id));
    if (await readable(read)) return true;
  }
  return false;
};

/** A frontage duty holder's agreement: read as the duty holder is. */
const frontageAgreement: Check = async (database, actor, f) => {
  const rows = await ids(
    database,
    sql`select id from frontage_duties where agreement_file_id = ${f.id}`,
  );
  if (!rows.length) return null;
  for (const r of rows) {
    if (await readable(() => getDuty(database, actor, Number(r.id)))) return true;
  }
  return false;
};

/** Attachments of an indicator's values: read as the indicator is (assignment.read, its scope). */
const indicatorAttachment: Check = async (database, actor, f) => {
  const rows = await ids(
    database,
    sql`select distinct indicator_id as id from indicator_values
         where ${f.id}::uuid = any(file_ids)`,
  );
  if (!rows.length) return null;
  if (!has(actor, Permission.AssignmentRead)) return false;
  const scope = actorScope(actor);
  for (const r of rows) {
    if ((await listIndicators(database.db, scope, { id: Number(r.id) })).length) return true;
  }
  return false;
};

/** Attachments of a task report: read as the unit's task reports are. */
const taskReportAttachment: Check = async (database, actor, f) => {
  const rows = await ids(
    database,
    sql`select distinct unit_id from task_reports where ${f.id}::uuid = any(file_ids)`,
  );
  if (!rows.length) return null;
  return rows.some((r) => mayReadTaskReportsOf(actor, Number(r.unit_id)));
};

/** Every kind of record a file can belong to (every reference to `files` in the schema). */
const OWNERS: readonly Check[] = [
  problemPhoto,
  evidenceFile,
  visitPhoto,
  activityPhoto,
  agreementScan,
  frontageAgreement,
  indicatorAttachment,
  taskReportAttachment,
];

/** The file, when the actor may read it (see above); else a 404. */
export async function readableFile(database: Database, actor: Actor, id: string): Promise<FileRow> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
    throw errors.notFound('file', id);
  }
  const [f] = await database.db.select().from(files).where(eq(files.id, id)).limit(1);
  if (!f) throw errors.notFound('file', id);
  if (actor.id === null || actor.roles.includes('admin')) return f;
  let owned = false;
  for (const check of OWNERS) {
    const verdict = await check(database, actor, f);
    if (verdict) return f;
    if (verdict === false) owned = true;
  }
  if (!owned && f.uploadedBy !== null && f.uploadedBy === actor.id) return f;
  throw errors.notFound('file', id);
}
