import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { Permission } from '../../../core/permissions.js';
import { execRows, type Database, type DbOrTx } from '../../db/client.js';
import { settings, taskReportReminders, taskReports, users } from '../../db/schema/index.js';
import { requirePermission, requireUnitReporter, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { notify, usersWithRole } from '../notifications/notifications.service.js';

// Progress reports on tasks (任务分解 → 进度报送) at a reporting rhythm the office sets
// (default weekly); a task not reported within the rhythm is overdue and its unit is reminded
// once per period through the notification outbox.

export const TASK_STATUSES = ['not_started', 'in_progress', 'done', 'blocked'] as const;
export const TASK_STATUS_LABELS: Record<
  (typeof TASK_STATUSES)[number],
  { zh: string; en: string }
> = {
  not_started: { zh: '未启动', en: 'Not started' },
  in_progress: { zh: '推进中', en: 'In progress' },
  done: { zh: '已完成', en: 'Done' },
  blocked: { zh: '有困难', en: 'Blocked' },
};

export const ZTaskReportInputSchema = z.object({
  status: z.enum(TASK_STATUSES),
  text: z.string().trim().min(2).max(1000),
  fileIds: z.array(z.uuid()).max(9).default([]),
});

export const ZTaskReportSchema = z.object({
  id: z.number().int(),
  status: z.enum(TASK_STATUSES),
  text: z.string(),
  fileIds: z.array(z.string()),
  reportedBy: z.string().nullable(),
  reportedAt: z.string(),
});
export type TTaskReport = z.infer<typeof ZTaskReportSchema>;

export const ZRhythmSchema = z.object({ everyDays: z.number().int().min(1).max(92) });
const DEFAULT_EVERY_DAYS = 7;
const DAY = 86_400_000;

export async function reportingRhythm(db: DbOrTx): Promise<number> {
  const [row] = await db.select().from(settings).where(eq(settings.key, 'task_report_rhythm'));
  return (row?.value as { everyDays?: number } | undefined)?.everyDays ?? DEFAULT_EVERY_DAYS;
}

export async function setReportingRhythm(database: Database, actor: Actor, everyDays: number) {
  requirePermission(actor, Permission.AssignmentWrite);
  await withTx(database, async (tx) => {
    const value = { everyDays };
    await tx
      .insert(settings)
      .values({ key: 'task_report_rhythm', value, updatedBy: actor.id })
      .onConflictDoUpdate({
        target: settings.key,
        set: { value, updatedBy: actor.id, updatedAt: new Date() },
      });
    await writeAudit(tx, actor, {
      action: 'settings.task_report_rhythm',
      entityType: 'settings',
      entityId: 'task_report_rhythm',
      after: value,
    });
  });
  return { everyDays };
}

/** The task an assignment stands for, and whether a unit works on it (lead or responsible). */
async function taskOf(db: DbOrTx, assignmentId: number) {
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

/** A unit reports on one of its tasks. */
export async function submitTaskReport(
  database: Database,
  actor: Actor,
  assignmentId: number,
  input: z.infer<typeof ZTaskReportInputSchema>,
): Promise<TTaskReport> {
  const unitId = requireUnitReporter(actor, Permission.AssignmentRead);
  const task = await taskOf(database.db, assignmentId);
  if (!task || !task.unitIds.includes(unitId)) throw errors.notFound('assignment', assignmentId);
  const id = await withTx(database, async (tx) => {
    const [row] = await tx
      .insert(taskReports)
      .values({ ...task, unitId, ...input, reportedBy: actor.id })
      .returning({ id: taskReports.id });
    await writeAudit(tx, actor, {
      action: 'task.report',
      entityType: 'assignment',
      entityId: assignmentId,
      after: { ...input, ...task },
    });
    return row!.id;
  });
  return (await reportsOf(database.db, task, actor.unitId, id))[0]!;
}

async function reportsOf(
  db: DbOrTx,
  task: { frameworkId: number; standardKey: string },
  unitId: number | null,
  onlyId?: number,
): Promise<TTaskReport[]> {
  const rows = await db
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
  return rows.map(({ r, by }) => ({
    id: r.id,
    status: r.status,
    text: r.text,
    fileIds: r.fileIds,
    reportedBy: by,
    reportedAt: r.reportedAt.toISOString(),
  }));
}

/** A task's reports: its units see their own, the office and leaders all. */
export async function listTaskReports(database: Database, actor: Actor, assignmentId: number) {
  const scope = requirePermission(actor, Permission.AssignmentRead);
  const task = await taskOf(database.db, assignmentId);
  const mine = actor.unitId !== null && task?.unitIds.includes(actor.unitId);
  if (!task || (scope.kind !== 'all' && !mine)) throw errors.notFound('assignment', assignmentId);
  return reportsOf(database.db, task, scope.kind === 'all' ? null : actor.unitId);
}

/**
 * Whether each (task, unit) has reported within the rhythm: the last report and an overdue flag,
 * for the tasks of the frameworks in force. Used by "my tasks" and by the reminder job.
 */
export async function reportingState(db: DbOrTx, now = new Date()) {
  const everyDays = await reportingRhythm(db);
  const rows = await execRows<{
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
  return rows.map((r) => {
    const last = r.last_at ? new Date(r.last_at) : null;
    // The clock starts when the version came into force; a finished task no longer owes reports.
    const since = last ?? (r.published_at ? new Date(r.published_at) : now);
    const overdue = r.last_status !== 'done' && now.getTime() - since.getTime() > everyDays * DAY;
    return {
      frameworkId: Number(r.framework_id),
      standardKey: r.standard_key,
      code: r.code,
      unitId: Number(r.unit_id),
      assignmentId: Number(r.assignment_id),
      lastReportAt: last?.toISOString() ?? null,
      lastStatus: r.last_status,
      overdue,
      everyDays,
    };
  });
}

/** The reminder job: one notice per overdue (task, unit) per reporting period. */
export async function remindOverdueReports(database: Database, now = new Date()): Promise<number> {
  const state = (await reportingState(database.db, now)).filter((s) => s.overdue);
  let sent = 0;
  for (const s of state) {
    const periodStart = new Date(
      Math.floor(now.getTime() / (s.everyDays * DAY)) * s.everyDays * DAY,
    )
      .toISOString()
      .slice(0, 10);
    await withTx(database, async (tx) => {
      // A unit with nobody signed up to receive it gets nothing (and is tried again next time).
      const recipients = await usersWithRole(tx, 'unit', s.unitId);
      if (!recipients.length) return;
      const claimed = await tx
        .insert(taskReportReminders)
        .values({
          frameworkId: s.frameworkId,
          standardKey: s.standardKey,
          unitId: s.unitId,
          periodStart,
        })
        .onConflictDoNothing()
        .returning();
      if (!claimed.length) return;
      await notify(tx, recipients, {
        kind: 'task_report_due',
        title: `请报送任务进度：${s.code}`,
        body: `测评标准 ${s.code} 已超过 ${s.everyDays} 天未报送进度`,
      });
      sent++;
    });
  }
  return sent;
}
