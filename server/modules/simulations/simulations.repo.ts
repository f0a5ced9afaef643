import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { TAnswerQuality } from '../../../core/inspection/simulation.js';
import type { TScope } from '../../../core/permissions.js';
import { execRows, type DbOrTx } from '../../db/client.js';
import {
  files,
  problemCategories,
  simulationChecks,
  simulationTargets,
} from '../../db/schema/index.js';
import { unitInScopeSql } from '../org/unit-scope.repo.js';

// The only place the simulations module touches tables.

export type TargetTableRow = typeof simulationTargets.$inferSelect;
export type CheckTableRow = typeof simulationChecks.$inferSelect;

export interface TargetRow extends TargetTableRow {
  unitName: string;
  standardCode: string | null;
  standardText: string | null;
}

/** The standard's code and text in the version in force (published first, then the newest). */
const standardOf = (alias: string) =>
  sql.raw(`left join lateral (
  select n.code, n.text from framework_nodes n
  join framework_versions v on v.id = n.version_id
  where v.framework_id = ${alias}.framework_id and n.key = ${alias}.standard_key
  order by (v.status = 'published') desc, v.number desc limit 1) s on true`);

/**
 * Targets, narrowed to those whose unit `scope` reaches when given (org/unit-scope.repo.ts), with
 * their unit's name and their standard's code and text.
 */
export async function listTargets(
  db: DbOrTx,
  f: {
    scope?: TScope | undefined;
    frameworkId?: number | undefined;
    id?: number | undefined;
  } = {},
): Promise<TargetRow[]> {
  const conds: SQL[] = [sql`true`];
  if (f.scope) conds.push(unitInScopeSql(f.scope, sql`t.unit_id`));
  if (f.frameworkId) conds.push(sql`t.framework_id = ${f.frameworkId}`);
  if (f.id) conds.push(sql`t.id = ${f.id}`);
  const rows = await execRows<Record<string, unknown>>(
    db,
    sql`select t.*, u.name as unit_name, s.code as standard_code, s.text as standard_text
        from simulation_targets t join units u on u.id = t.unit_id
        ${standardOf('t')}
        where ${sql.join(conds, sql` and `)}
        order by s.code nulls last, t.active desc, t.id`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    frameworkId: Number(r.framework_id),
    standardKey: String(r.standard_key),
    name: String(r.name),
    contact: String(r.contact),
    unitId: Number(r.unit_id),
    maxRings: r.max_rings === null ? null : Number(r.max_rings),
    requireCorrect: r.require_correct === true,
    callbackDays: r.callback_days === null ? null : Number(r.callback_days),
    script: (r.script as string | null) ?? null,
    active: r.active === true,
    version: Number(r.version),
    createdAt: new Date(r.created_at as string),
    updatedAt: new Date(r.updated_at as string),
    unitName: String(r.unit_name),
    standardCode: (r.standard_code as string | null) ?? null,
    standardText: (r.standard_text as string | null) ?? null,
  }));
}

export async function findTarget(db: DbOrTx, id: number): Promise<TargetTableRow | undefined> {
  const [row] = await db.select().from(simulationTargets).where(eq(simulationTargets.id, id));
  return row;
}

/**
 * The method of a framework's standard with this stable key, in the version in force; undefined
 * when the framework has no such standard.
 */
export async function standardMethod(
  db: DbOrTx,
  frameworkId: number,
  key: string,
): Promise<string | undefined> {
  const [r] = await execRows<{ method: string }>(
    db,
    sql`select n.method from framework_nodes n join framework_versions v on v.id = n.version_id
        where v.framework_id = ${frameworkId} and n.key = ${key} and n.kind = 'standard'
        order by (v.status = 'published') desc, v.number desc limit 1`,
  );
  return r?.method;
}

export async function frameworkExists(db: DbOrTx, id: number): Promise<boolean> {
  const rows = await execRows(db, sql`select 1 from frameworks where id = ${id}`);
  return rows.length > 0;
}

export async function findUnit(
  db: DbOrTx,
  id: number,
): Promise<{ id: number; name: string; active: boolean } | undefined> {
  const [u] = await execRows<{ id: number; name: string; active: boolean }>(
    db,
    sql`select id, name, active from units where id = ${id}`,
  );
  return u ? { id: Number(u.id), name: u.name, active: u.active } : undefined;
}

export async function targetNameTaken(
  db: DbOrTx,
  f: { frameworkId: number; standardKey: string; name: string; exceptId?: number },
): Promise<boolean> {
  const rows = await execRows(
    db,
    sql`select 1 from simulation_targets
        where framework_id = ${f.frameworkId} and standard_key = ${f.standardKey}
          and name = ${f.name} and id <> ${f.exceptId ?? 0}`,
  );
  return rows.length > 0;
}

export async function insertTarget(
  db: DbOrTx,
  values: typeof simulationTargets.$inferInsert,
): Promise<TargetTableRow> {
  const [row] = await db.insert(simulationTargets).values(values).returning();
  return row!;
}

/** Updates a target at `version` (to version + 1); undefined when the version is stale. */
export async function updateTarget(
  db: DbOrTx,
  id: number,
  version: number,
  fields: Partial<typeof simulationTargets.$inferInsert>,
): Promise<TargetTableRow | undefined> {
  const [after] = await db
    .update(simulationTargets)
    .set({ ...fields, version: version + 1, updatedAt: new Date() })
    .where(and(eq(simulationTargets.id, id), eq(simulationTargets.version, version)))
    .returning();
  return after;
}

export async function findRound(
  db: DbOrTx,
  id: number,
): Promise<{ id: number; name: string; inspectorIds: number[] } | undefined> {
  const [r] = await execRows<{ id: number; name: string; inspector_ids: number[] | null }>(
    db,
    sql`select id, name, inspector_ids from rounds where id = ${id}`,
  );
  return r
    ? { id: Number(r.id), name: r.name, inspectorIds: (r.inspector_ids ?? []).map(Number) }
    : undefined;
}

/** A check with what judging and showing it needs: its target's criteria, names, its problem. */
export interface CheckRow {
  id: number;
  targetId: number;
  targetName: string;
  frameworkId: number;
  standardKey: string;
  standardCode: string | null;
  standardText: string | null;
  unitId: number;
  unitName: string;
  maxRings: number | null;
  requireCorrect: boolean;
  callbackDays: number | null;
  roundId: number | null;
  roundName: string | null;
  calledAt: Date;
  callerName: string;
  recordedById: number | null;
  recordedBy: string | null;
  answered: boolean;
  rings: number | null;
  waitSeconds: number | null;
  answer: TAnswerQuality | null;
  callbackPromised: boolean | null;
  callbackOnTime: boolean | null;
  notes: string | null;
  fileIds: string[];
  problemId: number | null;
  problemCode: string | null;
  version: number;
  updatedAt: Date;
}

const nullableNum = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const nullableBool = (v: unknown) => (v === null || v === undefined ? null : v === true);

/**
 * Checks (newest call first), narrowed to the targets whose unit `scope` reaches when given, in a
 * round or between two instants.
 */
export async function listChecks(
  db: DbOrTx,
  f: {
    scope?: TScope | undefined;
    frameworkId?: number | undefined;
    targetId?: number | undefined;
    roundId?: number | undefined;
    from?: Date | undefined;
    to?: Date | undefined;
    id?: number | undefined;
  },
): Promise<CheckRow[]> {
  const conds: SQL[] = [sql`true`];
  if (f.scope) conds.push(unitInScopeSql(f.scope, sql`t.unit_id`));
  if (f.frameworkId) conds.push(sql`t.framework_id = ${f.frameworkId}`);
  if (f.targetId) conds.push(sql`c.target_id = ${f.targetId}`);
  if (f.roundId) conds.push(sql`c.round_id = ${f.roundId}`);
  if (f.from) conds.push(sql`c.called_at >= ${f.from.toISOString()}`);
  if (f.to) conds.push(sql`c.called_at < ${f.to.toISOString()}`);
  if (f.id) conds.push(sql`c.id = ${f.id}`);
  const rows = await execRows<Record<string, unknown>>(
    db,
    sql`select c.*, t.name as target_name, t.framework_id, t.standard_key, t.unit_id,
          t.max_rings, t.require_correct, t.callback_days, u.name as unit_name,
          r.name as round_name, us.name as recorded_by_name, p.code as problem_code,
          s.code as standard_code, s.text as standard_text
        from simulation_checks c
        join simulation_targets t on t.id = c.target_id
        join units u on u.id = t.unit_id
        left join rounds r on r.id = c.round_id
        left join users us on us.id = c.recorded_by
        left join problems p on p.id = c.problem_id
        ${standardOf('t')}
        where ${sql.join(conds, sql` and `)}
        order by c.called_at desc, c.id desc`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    targetId: Number(r.target_id),
    targetName: String(r.target_name),
    frameworkId: Number(r.framework_id),
    standardKey: String(r.standard_key),
    standardCode: (r.standard_code as string | null) ?? null,
    standardText: (r.standard_text as string | null) ?? null,
    unitId: Number(r.unit_id),
    unitName: String(r.unit_name),
    maxRings: nullableNum(r.max_rings),
    requireCorrect: r.require_correct === true,
    callbackDays: nullableNum(r.callback_days),
    roundId: nullableNum(r.round_id),
    roundName: (r.round_name as string | null) ?? null,
    calledAt: new Date(r.called_at as string),
    callerName: String(r.caller_name),
    recordedById: nullableNum(r.recorded_by),
    recordedBy: (r.recorded_by_name as string | null) ?? null,
    answered: r.answered === true,
    rings: nullableNum(r.rings),
    waitSeconds: nullableNum(r.wait_seconds),
    answer: (r.answer as TAnswerQuality | null) ?? null,
    callbackPromised: nullableBool(r.callback_promised),
    callbackOnTime: nullableBool(r.callback_on_time),
    notes: (r.notes as string | null) ?? null,
    fileIds: ((r.file_ids as string[] | null) ?? []).map(String),
    problemId: nullableNum(r.problem_id),
    problemCode: (r.problem_code as string | null) ?? null,
    version: Number(r.version),
    updatedAt: new Date(r.updated_at as string),
  }));
}

export async function findCheck(
  db: DbOrTx,
  where: { id: number } | { clientId: string },
): Promise<CheckTableRow | undefined> {
  const [row] = await db
    .select()
    .from(simulationChecks)
    .where(
      'id' in where
        ? eq(simulationChecks.id, where.id)
        : eq(simulationChecks.clientId, where.clientId),
    );
  return row;
}

export async function insertCheck(
  db: DbOrTx,
  values: typeof simulationChecks.$inferInsert,
): Promise<CheckTableRow> {
  const [row] = await db.insert(simulationChecks).values(values).returning();
  return row!;
}

/** Corrects a check at `version` (to version + 1); undefined when the version is stale. */
export async function updateCheck(
  db: DbOrTx,
  id: number,
  version: number,
  fields: Partial<typeof simulationChecks.$inferInsert>,
): Promise<CheckTableRow | undefined> {
  const [after] = await db
    .update(simulationChecks)
    .set({ ...fields, version: version + 1, updatedAt: new Date() })
    .where(and(eq(simulationChecks.id, id), eq(simulationChecks.version, version)))
    .returning();
  return after;
}

/** Links the problem a failed check became (not a correction: the version stays). */
export async function setCheckProblem(db: DbOrTx, id: number, problemId: number): Promise<void> {
  await db.update(simulationChecks).set({ problemId }).where(eq(simulationChecks.id, id));
}

/** The files among `ids` that exist and were uploaded by the user. */
export async function ownFiles(
  db: DbOrTx,
  userId: number | null,
  ids: string[],
): Promise<Set<string>> {
  if (!ids.length || userId === null) return new Set();
  const rows = await db
    .select({ id: files.id })
    .from(files)
    .where(and(inArray(files.id, ids), eq(files.uploadedBy, userId)));
  return new Set(rows.map((r) => r.id));
}

/** The id of the problem category with this code. */
export async function categoryId(db: DbOrTx, code: string): Promise<number | undefined> {
  const [c] = await db
    .select({ id: problemCategories.id })
    .from(problemCategories)
    .where(eq(problemCategories.code, code));
  return c?.id;
}
