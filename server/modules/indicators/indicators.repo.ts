import { and, eq, inArray, sql } from 'drizzle-orm';
import type { TScope } from '../../../core/permissions.js';
import { execRows, type DbOrTx } from '../../db/client.js';
import {
  files,
  frameworks,
  indicators,
  indicatorValues,
  units,
  users,
} from '../../db/schema/index.js';
import { unitInScopeSql } from '../org/unit-scope.repo.js';

export type IndicatorTableRow = typeof indicators.$inferSelect;
export type ValueTableRow = typeof indicatorValues.$inferSelect;
export type ValueRow = Awaited<ReturnType<typeof valuesOf>>[number];

export interface IndicatorRow extends IndicatorTableRow {
  standardCode: string | null;
  standardText: string | null;
  responsibleUnitName: string;
}

/**
 * Indicators as a scope sees them: the office and leaders at the city all; a unit those it is
 * responsible for; an office or leader below the city those of its subtree's units; anyone else
 * none. Each with its standard's code and text in the newest published version (or the newest
 * version when none is published).
 */
export async function listIndicators(
  db: DbOrTx,
  scope: TScope,
  f: { frameworkId?: number | undefined; id?: number | undefined } = {},
): Promise<IndicatorRow[]> {
  const conds = [unitInScopeSql(scope, sql`i.responsible_unit_id`)];
  if (f.frameworkId) conds.push(sql`i.framework_id = ${f.frameworkId}`);
  if (f.id) conds.push(sql`i.id = ${f.id}`);
  const rows = await execRows<Record<string, unknown>>(
    db,
    sql`select i.id, i.framework_id, i.standard_key, i.name, i.measure, i.target, i.direction,
          i.period, i.start_period, i.responsible_unit_id, i.notes, i.version, i.created_at,
          i.updated_at, u.name as unit_name, s.code as standard_code, s.text as standard_text
        from indicators i
        join units u on u.id = i.responsible_unit_id
        left join lateral (
          select n.code, n.text from framework_nodes n
          join framework_versions v on v.id = n.version_id
          where v.framework_id = i.framework_id and n.key = i.standard_key
          order by (v.status = 'published') desc, v.number desc limit 1) s on true
        where ${sql.join(conds, sql` and `)}
        order by s.code nulls last, i.id`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    frameworkId: Number(r.framework_id),
    standardKey: String(r.standard_key),
    name: String(r.name),
    measure: String(r.measure),
    target: Number(r.target),
    direction: r.direction as IndicatorRow['direction'],
    period: r.period as IndicatorRow['period'],
    startPeriod: String(r.start_period),
    responsibleUnitId: Number(r.responsible_unit_id),
    notes: (r.notes as string | null) ?? null,
    version: Number(r.version),
    createdAt: new Date(r.created_at as string),
    updatedAt: new Date(r.updated_at as string),
    responsibleUnitName: String(r.unit_name),
    standardCode: (r.standard_code as string | null) ?? null,
    standardText: (r.standard_text as string | null) ?? null,
  }));
}

export async function findIndicator(
  db: DbOrTx,
  id: number,
): Promise<IndicatorTableRow | undefined> {
  const [row] = await db.select().from(indicators).where(eq(indicators.id, id));
  return row;
}

/** Whether the framework has a standard with this stable key in any version. */
export async function standardKeyExists(
  db: DbOrTx,
  frameworkId: number,
  key: string,
): Promise<boolean> {
  const rows = await execRows<{ n: number }>(
    db,
    sql`select 1 as n from framework_nodes n join framework_versions v on v.id = n.version_id
        where v.framework_id = ${frameworkId} and n.key = ${key} and n.kind = 'standard' limit 1`,
  );
  return rows.length > 0;
}

export async function valuesOf(db: DbOrTx, indicatorIds: number[]) {
  if (!indicatorIds.length) return [];
  return db
    .select({ v: indicatorValues, by: users.name })
    .from(indicatorValues)
    .leftJoin(users, eq(users.id, indicatorValues.reportedBy))
    .where(inArray(indicatorValues.indicatorId, indicatorIds))
    .orderBy(indicatorValues.indicatorId, indicatorValues.period);
}

export async function findValue(db: DbOrTx, where: { id?: number; clientId?: string }) {
  const [row] = await db
    .select()
    .from(indicatorValues)
    .where(
      where.id !== undefined
        ? eq(indicatorValues.id, where.id)
        : eq(indicatorValues.clientId, where.clientId!),
    );
  return row;
}

export async function findValueForPeriod(db: DbOrTx, indicatorId: number, period: string) {
  const [row] = await db
    .select()
    .from(indicatorValues)
    .where(and(eq(indicatorValues.indicatorId, indicatorId), eq(indicatorValues.period, period)));
  return row;
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

export async function frameworkExists(db: DbOrTx, id: number): Promise<boolean> {
  const [fw] = await db.select().from(frameworks).where(eq(frameworks.id, id));
  return !!fw;
}

export async function unitExists(db: DbOrTx, id: number): Promise<boolean> {
  const [u] = await db.select().from(units).where(eq(units.id, id));
  return !!u;
}

/** Whether the standard already has an indicator with that name. */
export async function indicatorNameTaken(
  db: DbOrTx,
  f: { frameworkId: number; standardKey: string; name: string },
): Promise<boolean> {
  const [dup] = await db
    .select({ id: indicators.id })
    .from(indicators)
    .where(
      sql`${indicators.frameworkId} = ${f.frameworkId} and ${indicators.standardKey} = ${f.standardKey} and ${indicators.name} = ${f.name}`,
    );
  return !!dup;
}

export async function insertIndicator(
  db: DbOrTx,
  values: typeof indicators.$inferInsert,
): Promise<IndicatorTableRow> {
  const [row] = await db.insert(indicators).values(values).returning();
  return row!;
}

/** Updates an indicator at `version` (to version + 1); undefined when the version is stale. */
export async function updateIndicatorRow(
  db: DbOrTx,
  id: number,
  version: number,
  fields: Partial<typeof indicators.$inferInsert>,
): Promise<IndicatorTableRow | undefined> {
  const [after] = await db
    .update(indicators)
    .set({ ...fields, version: version + 1, updatedAt: new Date() })
    .where(sql`${indicators.id} = ${id} and ${indicators.version} = ${version}`)
    .returning();
  return after;
}

/** Deletes an indicator at `version`; false when the version is stale or it is gone. */
export async function deleteIndicatorRow(
  db: DbOrTx,
  id: number,
  version: number,
): Promise<boolean> {
  const gone = await db
    .delete(indicators)
    .where(sql`${indicators.id} = ${id} and ${indicators.version} = ${version}`)
    .returning({ id: indicators.id });
  return gone.length > 0;
}

export async function insertValue(
  db: DbOrTx,
  values: typeof indicatorValues.$inferInsert,
): Promise<ValueTableRow> {
  const [row] = await db.insert(indicatorValues).values(values).returning();
  return row!;
}

/** Corrects a value at `version` (to version + 1); undefined when the version is stale. */
export async function updateValueRow(
  db: DbOrTx,
  id: number,
  version: number,
  set: {
    value: number;
    note: string;
    fileIds?: string[];
    reportedBy: number | null;
    reportedAt: Date;
  },
): Promise<ValueTableRow | undefined> {
  const [after] = await db
    .update(indicatorValues)
    .set({ ...set, version: version + 1 })
    .where(sql`${indicatorValues.id} = ${id} and ${indicatorValues.version} = ${version}`)
    .returning();
  return after;
}
