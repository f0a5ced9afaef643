import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { TScope } from '../../../core/permissions.js';
import { execRows, type DbOrTx } from '../../db/client.js';
import { unitMatcher } from '../../../core/frameworks/unit-match.js';
import { unitInScopeSql } from '../org/unit-scope.repo.js';
import {
  assignmentParties,
  assignments,
  assignmentUnits,
  regions,
  units,
} from '../../db/schema/index.js';

export interface AssignmentRow {
  id: number;
  versionId: number;
  standardId: number;
  standardCode: string;
  standardText: string;
  method: string;
  maxScore: number;
  itemId: number;
  itemCode: string;
  itemText: string;
  contentCode: string;
  contentText: string;
  leadUnitId: number;
  leadUnitName: string;
  responsibleUnits: { id: number; name: string }[];
  leaderName: string | null;
  dueDate: string | null;
  dueText: string | null;
  notes: string | null;
  /** The task row's cells under sheet headers the platform does not read, header → text. */
  extra: Record<string, string>;
  /** The 集体责任方 the sheet named as lead (各区县), for writing the sheet back. */
  leadParty: { id: number; name: string } | null;
  /** 集体责任方 named among the 责任单位 (their units are in `responsibleUnits`). */
  parties: { id: number; name: string }[];
  version: number;
}

/**
 * Which assignments a scope sees: the office and leaders at the city all of them; a unit those it
 * leads or shares; an office or leader below the city those led or shared by a unit of its
 * subtree (unit-scope.repo.ts); anyone else none.
 */
function scopeFilter(scope: TScope): SQL {
  if (scope.kind === 'all') return sql`true`;
  return sql`(${unitInScopeSql(scope, sql`a.lead_unit_id`)} or exists (
      select 1 from assignment_units su where su.assignment_id = a.id
        and ${unitInScopeSql(scope, sql`su.unit_id`)}))`;
}

/** The assignments of a version in tree order (item, content, standard, then sheet order). */
export async function listAssignments(
  db: DbOrTx,
  versionId: number,
  scope: TScope,
  f: {
    itemId?: number | undefined;
    unitId?: number | undefined;
    groupId?: number | undefined;
    id?: number | undefined;
  } = {},
): Promise<AssignmentRow[]> {
  const conds: SQL[] = [sql`a.version_id = ${versionId}`, scopeFilter(scope)];
  if (f.itemId) conds.push(sql`i.id = ${f.itemId}`);
  if (f.id) conds.push(sql`a.id = ${f.id}`);
  if (f.groupId) {
    conds.push(sql`exists (select 1 from working_group_standards g
      join framework_versions gv on gv.framework_id = g.framework_id
      where g.group_id = ${f.groupId} and gv.id = a.version_id and g.standard_key = s.key)`);
  }
  if (f.unitId) {
    conds.push(sql`(a.lead_unit_id = ${f.unitId} or exists (
      select 1 from assignment_units fu where fu.assignment_id = a.id and fu.unit_id = ${f.unitId}))`);
  }
  const rows = await execRows<Record<string, unknown>>(
    db,
    sql`select a.id, a.version_id, a.standard_id, s.code as standard_code, s.text as standard_text,
          s.method, s.max_score, i.id as item_id, i.code as item_code, i.text as item_text,
          c.code as content_code, c.text as content_text, a.lead_unit_id, lu.name as lead_unit_name,
          a.leader_name, a.due_date::text as due_date, a.due_text, a.notes, a.extra, a.version,
          coalesce((select json_agg(json_build_object('id', u.id, 'name', u.name) order by au.position)
             from assignment_units au join units u on u.id = au.unit_id
             where au.assignment_id = a.id), '[]'::json) as responsible_units,
          lp.id as lead_party_id, lp.name as lead_party_name,
          coalesce((select json_agg(json_build_object('id', p.id, 'name', p.name) order by ap.position)
             from assignment_parties ap join parties p on p.id = ap.party_id
             where ap.assignment_id = a.id), '[]'::json) as parties
        from assignments a
        left join parties lp on lp.id = a.lead_party_id
        join framework_nodes s on s.id = a.standard_id
        join framework_nodes c on c.id = s.parent_id
        join framework_nodes i on i.id = c.parent_id
        join units lu on lu.id = a.lead_unit_id
        where ${sql.join(conds, sql` and `)}
        order by i.position, i.id, c.position, c.id, s.position, s.id, a.position, a.id`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    versionId: Number(r.version_id),
    standardId: Number(r.standard_id),
    standardCode: String(r.standard_code),
    standardText: String(r.standard_text),
    method: String(r.method),
    maxScore: Number(r.max_score),
    itemId: Number(r.item_id),
    itemCode: String(r.item_code),
    itemText: String(r.item_text),
    contentCode: String(r.content_code),
    contentText: String(r.content_text),
    leadUnitId: Number(r.lead_unit_id),
    leadUnitName: String(r.lead_unit_name),
    responsibleUnits: (typeof r.responsible_units === 'string'
      ? (JSON.parse(r.responsible_units) as { id: number; name: string }[])
      : (r.responsible_units as { id: number; name: string }[])
    ).map((u) => ({ id: Number(u.id), name: u.name })),
    leaderName: (r.leader_name as string | null) ?? null,
    dueDate: (r.due_date as string | null) ?? null,
    dueText: (r.due_text as string | null) ?? null,
    notes: (r.notes as string | null) ?? null,
    extra: jsonObject(r.extra),
    leadParty:
      r.lead_party_id === null || r.lead_party_id === undefined
        ? null
        : { id: Number(r.lead_party_id), name: String(r.lead_party_name) },
    parties: (typeof r.parties === 'string'
      ? (JSON.parse(r.parties) as { id: number; name: string }[])
      : (r.parties as { id: number; name: string }[])
    ).map((p) => ({ id: Number(p.id), name: p.name })),
    version: Number(r.version),
  }));
}

/** A jsonb `{header: text}` as a driver hands it back (parsed, or as text). */
function jsonObject(v: unknown): Record<string, string> {
  const o: unknown = typeof v === 'string' ? JSON.parse(v) : v;
  return o && typeof o === 'object' ? (o as Record<string, string>) : {};
}

export interface NewAssignment {
  standardId: number;
  leadUnitId: number;
  responsibleUnitIds: number[];
  leaderName: string | null;
  dueDate: string | null;
  dueText: string | null;
  notes: string | null;
  /** A task row's cells under sheet headers the platform does not read; none when left out. */
  extra?: Record<string, string> | undefined;
  position: number;
  leadPartyId?: number | null | undefined;
  partyIds?: number[] | undefined;
}

const CHUNK = 1000;

/** Bulk insert of assignments and their responsible units (a few statements per 1,000 rows). */
export async function insertAssignments(
  db: DbOrTx,
  versionId: number,
  rows: NewAssignment[],
): Promise<number> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    const ids = await db
      .insert(assignments)
      .values(
        part.map((r) => ({
          versionId,
          standardId: r.standardId,
          leadUnitId: r.leadUnitId,
          leaderName: r.leaderName,
          dueDate: r.dueDate,
          dueText: r.dueText,
          notes: r.notes,
          extra: r.extra ?? {},
          position: r.position,
          leadPartyId: r.leadPartyId ?? null,
        })),
      )
      .returning({ id: assignments.id });
    const named = part.flatMap((r, k) =>
      (r.partyIds ?? []).map((partyId, position) => ({
        assignmentId: ids[k]!.id,
        partyId,
        position,
      })),
    );
    if (named.length) await db.insert(assignmentParties).values(named);
    const links = part.flatMap((r, k) =>
      r.responsibleUnitIds.map((unitId, position) => ({
        assignmentId: ids[k]!.id,
        unitId,
        position,
      })),
    );
    for (let j = 0; j < links.length; j += CHUNK * 3) {
      await db.insert(assignmentUnits).values(links.slice(j, j + CHUNK * 3));
    }
  }
  return rows.length;
}

export async function deleteAssignmentsOfVersion(db: DbOrTx, versionId: number): Promise<number> {
  const rows = await db
    .delete(assignments)
    .where(eq(assignments.versionId, versionId))
    .returning({ id: assignments.id });
  return rows.length;
}

/** Every unit's id, name, short name and aliases, for reading unit names in sheets (inactive ones
 * too, so an exported sheet always reads back). */
export async function unitDirectory(
  db: DbOrTx,
): Promise<{ id: number; name: string; shortName: string | null; aliases: string[] }[]> {
  return db
    .select({
      id: units.id,
      name: units.name,
      shortName: units.shortName,
      aliases: units.aliases,
    })
    .from(units);
}

/** The city's own name (its city-level region), which sheets put before unit names or leave out. */
export async function cityName(db: DbOrTx): Promise<string | undefined> {
  const [row] = await db
    .select({ name: regions.name })
    .from(regions)
    .where(eq(regions.level, 'city'))
    .orderBy(regions.id)
    .limit(1);
  return row?.name;
}

export type DirectoryMatcher = Awaited<ReturnType<typeof directoryMatcher>>;

/** Matches unit names as sheets write them against the whole directory. */
export async function directoryMatcher(
  db: DbOrTx,
  directory?: Awaited<ReturnType<typeof unitDirectory>>,
) {
  const city = await cityName(db);
  return unitMatcher(directory ?? (await unitDirectory(db)), city ? { city } : {});
}

export type AssignmentTableRow = typeof assignments.$inferSelect;

export async function findAssignment(
  db: DbOrTx,
  id: number,
): Promise<AssignmentTableRow | undefined> {
  const [row] = await db.select().from(assignments).where(eq(assignments.id, id));
  return row;
}

export async function findAssignmentFor(
  db: DbOrTx,
  standardId: number,
  leadUnitId: number,
): Promise<AssignmentTableRow | undefined> {
  const [row] = await db
    .select()
    .from(assignments)
    .where(and(eq(assignments.standardId, standardId), eq(assignments.leadUnitId, leadUnitId)));
  return row;
}

export async function countForStandard(db: DbOrTx, standardId: number): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(assignments)
    .where(eq(assignments.standardId, standardId));
  return r!.n;
}

export async function updateAssignment(
  db: DbOrTx,
  id: number,
  version: number,
  v: Partial<
    Pick<AssignmentTableRow, 'leadUnitId' | 'leaderName' | 'dueDate' | 'dueText' | 'notes'>
  >,
): Promise<boolean> {
  const rows = await db
    .update(assignments)
    .set({ ...v, version: sql`${assignments.version} + 1`, updatedAt: new Date() })
    .where(and(eq(assignments.id, id), eq(assignments.version, version)))
    .returning({ id: assignments.id });
  return rows.length === 1;
}

export async function replaceResponsibleUnits(
  db: DbOrTx,
  assignmentId: number,
  unitIds: number[],
): Promise<void> {
  await db.delete(assignmentUnits).where(eq(assignmentUnits.assignmentId, assignmentId));
  if (unitIds.length) {
    await db
      .insert(assignmentUnits)
      .values(unitIds.map((unitId, position) => ({ assignmentId, unitId, position })));
  }
}

export async function deleteAssignment(db: DbOrTx, id: number, version: number): Promise<boolean> {
  const rows = await db
    .delete(assignments)
    .where(and(eq(assignments.id, id), eq(assignments.version, version)))
    .returning({ id: assignments.id });
  return rows.length === 1;
}

/** The ids among `ids` that are units. */
export async function existingUnits(db: DbOrTx, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db.select({ id: units.id }).from(units).where(inArray(units.id, ids));
  return new Set(rows.map((r) => r.id));
}
