import { and, desc, eq, sql } from 'drizzle-orm';
import { execRows, type DbOrTx } from '../../db/client.js';
import { settings, taskReportReminders, taskReports, users } from '../../db/schema/index.js';

// Queries of the progress reports (进度报送): the rhythm setting, tasks, reports and reminders.

const RHYTHM_KEY = 'task_report_rhythm';

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

/** The task an assignment stands for, and the units working on it (lead first). */
export async function taskOf(db: DbOrTx, assignmentId: number) {
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

export async function insertTaskReport(
  db: DbOrTx,
  values: typeof taskReports.$inferInsert,
): Promise<number> {
  const [row] = await db.insert(taskReports).values(values).returning({ id: taskReports.id });
  return row!.id;
}

/** A task's latest reports (100), with the reporter's name; a unit's own when `unitId` is given. */
export function reportRows(
  db: DbOrTx,
  task: { frameworkId: number; standardKey: string },
  unitId: number | null,
  onlyId?: number,
) {
  return db
    .select({ r: taskReports, by: users.name })
    .from(taskReports)
    .leftJoin(users, eq(users.id, taskReports.reportedBy))
    .where(
      and(
        eq(taskReports.frameworkId, task.frameworkId),
        eq(taskReports.standardKey, task.standardKey),
        ...(unitId !== null ? [eq(taskReports.unitId, unitId)] : []),
        ...(onlyId !== undefined ? [eq(taskReports.id, onlyId)] : []),
      ),
    )
    .orderBy(desc(taskReports.reportedAt), desc(taskReports.id))
    .limit(100);
}

/** Every (task, unit) of the versions in force with its last report. */
export function lastReports(db: DbOrTx) {
  return execRows<{
    framework_id: number;
    standard_key: string;
    unit_id: number;
    assignment_id: number;
    code: string;
    last_at: Date | string | null;
    last_status: string | null;
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
          select reported_at, status from task_reports tr
          where tr.framework_id = t.framework_id and tr.standard_key = t.standard_key
            and tr.unit_id = t.unit_id
          order by reported_at desc limit 1) r on true`,
  );
}

/** Claims the reminder of a (task, unit) for a period; false when one was already sent. */
export async function claimReminder(
  db: DbOrTx,
  r: { frameworkId: number; standardKey: string; unitId: number; periodStart: string },
): Promise<boolean> {
  const claimed = await db.insert(taskReportReminders).values(r).onConflictDoNothing().returning();
  return claimed.length > 0;
}
