import type {
  TAssignmentReport,
  TAssignmentReportInput,
} from '../../../core/contracts/frameworks.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { requirePermission, requireUnitReporter, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { notify, usersWithRole } from '../notifications/notifications.service.js';
import { unitsInScope } from '../org/unit-scope.repo.js';
import * as repo from './assignment-reports.repo.js';

// Progress reports on assignments (任务分解 → 进度报送) at a reporting rhythm the office sets
// (default weekly); an assignment not reported within the rhythm is overdue and its unit is reminded
// once per period through the notification outbox.

const DEFAULT_EVERY_DAYS = 7;
const DAY = 86_400_000;

export async function reportingRhythm(db: DbOrTx): Promise<number> {
  const value = (await repo.rhythmSetting(db)) as { everyDays?: number } | undefined;
  return value?.everyDays ?? DEFAULT_EVERY_DAYS;
}

export async function setReportingRhythm(database: Database, actor: Actor, everyDays: number) {
  requirePermission(actor, Permission.AssignmentWrite);
  await withTx(database, async (tx) => {
    const value = { everyDays };
    await repo.saveRhythm(tx, value, actor.id);
    await writeAudit(tx, actor, {
      action: 'settings.assignment_report_rhythm',
      entityType: 'settings',
      entityId: 'assignment_report_rhythm',
      after: value,
    });
  });
  return { everyDays };
}

/** A unit reports on one of its assignments. */
export async function submitAssignmentReport(
  database: Database,
  actor: Actor,
  assignmentId: number,
  input: TAssignmentReportInput,
): Promise<TAssignmentReport> {
  const unitId = requireUnitReporter(actor, Permission.AssignmentRead);
  const assignment = await repo.assignmentOf(database.db, assignmentId);
  if (!assignment || !assignment.unitIds.includes(unitId))
    throw errors.notFound('assignment', assignmentId);
  const id = await withTx(database, async (tx) => {
    const reportId = await repo.insertAssignmentReport(tx, {
      ...assignment,
      unitId,
      ...input,
      reportedBy: actor.id,
    });
    await writeAudit(tx, actor, {
      action: 'assignment.report',
      entityType: 'assignment',
      entityId: assignmentId,
      after: { ...input, ...assignment },
    });
    return reportId;
  });
  return (await reportsOf(database.db, assignment, [unitId], id))[0]!;
}

async function reportsOf(
  db: DbOrTx,
  assignment: { frameworkId: number; standardKey: string },
  unitIds: number[] | null,
  onlyId?: number,
): Promise<TAssignmentReport[]> {
  const rows = await repo.reportRows(db, assignment, unitIds, onlyId);
  return rows.map(({ r, by }) => ({
    id: r.id,
    status: r.status,
    text: r.text,
    fileIds: r.fileIds,
    reportedBy: by,
    reportedAt: r.reportedAt.toISOString(),
  }));
}

/**
 * An assignment's reports: the office and leaders at the city all; its units their own; an office
 * or leader below the city, when a unit of its subtree leads or shares the assignment, the reports
 * of the assignment's units in its subtree (and of the unit it heads).
 */
export async function listAssignmentReports(
  database: Database,
  actor: Actor,
  assignmentId: number,
) {
  const scope = requirePermission(actor, Permission.AssignmentRead);
  const assignment = await repo.assignmentOf(database.db, assignmentId);
  if (!assignment) throw errors.notFound('assignment', assignmentId);
  if (scope.kind === 'all') return reportsOf(database.db, assignment, null);
  if (scope.kind === 'region') {
    const units = await unitsInScope(database.db, scope, assignment.unitIds);
    if (!units.size) throw errors.notFound('assignment', assignmentId);
    return reportsOf(database.db, assignment, [...units]);
  }
  const mine = actor.unitId !== null && assignment.unitIds.includes(actor.unitId);
  if (!mine) throw errors.notFound('assignment', assignmentId);
  return reportsOf(database.db, assignment, [actor.unitId!]);
}

/**
 * Per assignment and unit of the versions in force: the last report and whether it is overdue —
 * the (assignment, unit) pairs of the units the actor's scope reaches (all at the city).
 */
export async function listReportingState(database: Database, actor: Actor) {
  const scope = requirePermission(actor, Permission.AssignmentRead);
  const all = await reportingState(database.db);
  if (scope.kind === 'all') return all;
  if (scope.kind === 'region') {
    const units = await unitsInScope(
      database.db,
      scope,
      all.map((s) => s.unitId),
    );
    return all.filter((s) => units.has(s.unitId));
  }
  return all.filter((s) => s.unitId === actor.unitId);
}

/**
 * Whether each (assignment, unit) has reported within the rhythm: the last report and an overdue flag,
 * for the assignments of the frameworks in force. Used by "my assignments" and by the reminder job.
 */
export async function reportingState(db: DbOrTx, now = new Date()) {
  const everyDays = await reportingRhythm(db);
  const rows = await repo.lastReports(db);
  return rows.map((r) => {
    const last = r.last_at ? new Date(r.last_at) : null;
    // The clock starts when the version came into force; a finished assignment owes no more reports.
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

/** The reminder job: one notice per overdue (assignment, unit) per reporting period. */
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
      const claimed = await repo.claimReminder(tx, {
        frameworkId: s.frameworkId,
        standardKey: s.standardKey,
        unitId: s.unitId,
        periodStart,
      });
      if (!claimed) return;
      await notify(tx, recipients, {
        // The notice kind keeps its old name: the gateways route on the outbox topic built from it.
        kind: 'task_report_due',
        title: `请报送任务进度：${s.code}`,
        body: `测评标准 ${s.code} 已超过 ${s.everyDays} 天未报送进度`,
      });
      sent++;
    });
  }
  return sent;
}
