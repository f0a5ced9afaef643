import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { TAssignmentReportStatus } from '../../../core/contracts/frameworks.js';
import { execRows, type DbOrTx } from '../../db/client.js';
import {
  settings,
  assignmentReportReminders,
  assignmentReports,
  users,
} from '../../db/schema/index.js';

// Queries of the progress reports (进度报送): the rhythm setting, assignments, reports and reminders.

const RHYTHM_KEY = 'assignment_report_rhythm';

export async function rhythmSetting(db: DbOrTx): Promise<unknown> {
  const [row] = await db.select().from(settings).where(eq(settings.key, RHYTHM_KEY));
  return row?.value;
}

export async function saveRhythm(
  db: DbOrTx,
  value: { everyDays: number },
  by: number | null,
): Promise<void> {
  await db
    .insert(settings)
    .values({ key: RHYTHM_KEY, value, updatedBy: by })
    .onConflictDoUpdate({
      target: settings.key,
      set: { value, updatedBy: by, updatedAt: new Date() },
    });
}

/** What an assignment's reports are keyed by (framework, standard key), and its units (lead first). */
export async function assignmentOf(db: DbOrTx, assignmentId: number) {
  const [row] = await execRows<{
    framework_id: number;
    standard_key: string;
    lead_unit_id: number;
    unit_ids: number[] | null;
  }>(
    db,
    sql`select v.framework_id, n.key as standard_key, a.lead_unit_id,
          (select array_agg(au.unit_id) from assignment_units au where au.assignment_id = a.id) as unit_ids
        from assignments a
        join framework_nodes n on n.id = a.standard_id
        join framework_versions v on v.id = a.version_id
        where a.id = ${assignmentId}`,
  );
  if (!row) return undefined;
  return {
    frameworkId: Number(row.framework_id),
    standardKey: row.standard_key,
    unitIds: [Number(row.lead_unit_id), ...(row.unit_ids ?? []).map(Number)],
  };
}

export async function insertAssignmentReport(
  db: DbOrTx,
  values: typeof assignmentReports.$inferInsert,
): Promise<number> {
  const [row] = await db
    .insert(assignmentReports)
    .values(values)
    .returning({ id: assignmentReports.id });
  return row!.id;
}

/** An assignment's latest reports (100), with the reporter's name; only these units' when given. */
export function reportRows(
  db: DbOrTx,
  assignment: { frameworkId: number; standardKey: string },
  unitIds: number[] | null,
  onlyId?: number,
) {
  return db
    .select({ r: assignmentReports, by: users.name })
    .from(assignmentReports)
    .leftJoin(users, eq(users.id, assignmentReports.reportedBy))
    .where(
      and(
        eq(assignmentReports.frameworkId, assignment.frameworkId),
        eq(assignmentReports.standardKey, assignment.standardKey),
        ...(unitIds !== null ? [inArray(assignmentReports.unitId, unitIds)] : []),
        ...(onlyId !== undefined ? [eq(assignmentReports.id, onlyId)] : []),
      ),
    )
    .orderBy(desc(assignmentReports.reportedAt), desc(assignmentReports.id))
    .limit(100);
}

/** Every (assignment, unit) of the versions in force with its last report. */
export function lastReports(db: DbOrTx) {
  return execRows<{
    framework_id: number;
    standard_key: string;
    unit_id: number;
    assignment_id: number;
    code: string;
    last_at: Date | string | null;
    last_status: TAssignmentReportStatus | null;
    published_at: Date | string | null;
  }>(
    db,
    sql`with tasks as (
          select v.framework_id, n.key as standard_key, n.code, a.id as assignment_id, v.published_at,
            unnest(array[a.lead_unit_id] || coalesce(
              (select array_agg(au.unit_id) from assignment_units au where au.assignment_id = a.id),
              '{}'::int[])) as unit_id
          from assignments a
          join framework_versions v on v.id = a.version_id and v.status = 'published'
          join framework_nodes n on n.id = a.standard_id)
        select t.*, r.reported_at as last_at, r.status as last_status
        from tasks t
        left join lateral (
          select reported_at, status from assignment_reports ar
          where ar.framework_id = t.framework_id and ar.standard_key = t.standard_key
            and ar.unit_id = t.unit_id
          order by reported_at desc limit 1) r on true`,
  );
}

/** Claims the reminder of an (assignment, unit) for a period; false when one was already sent. */
export async function claimReminder(
  db: DbOrTx,
  r: { frameworkId: number; standardKey: string; unitId: number; periodStart: string },
): Promise<boolean> {
  const claimed = await db
    .insert(assignmentReportReminders)
    .values(r)
    .onConflictDoNothing()
    .returning();
  return claimed.length > 0;
}
