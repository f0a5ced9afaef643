import { sql } from 'drizzle-orm';
import type { ChecklistItem } from '../../../core/inspection/score.js';
import type { TMethod } from '../../../core/frameworks/methods.js';
import type { TQuestion } from '../../../core/contracts/surveys.js';
import { execRows, type DbOrTx } from '../../db/client.js';

/**
 * What points at the standards of a framework version, and moving it to the next version: the
 * links kept by standard key (dossiers, indicators, simulation targets, progress reports, working
 * groups, survey questions), by code (check items of point types), by negative-list key (hits),
 * and the version's own 任务分解 (assignments).
 */

export interface StandardRow {
  id: number;
  key: string;
  code: string;
  text: string;
  method: TMethod;
  maxScore: number;
}

export async function standardsOf(db: DbOrTx, versionId: number): Promise<StandardRow[]> {
  const rows = await execRows<Record<string, unknown>>(
    db,
    sql`select id, key, code, text, method, max_score from framework_nodes
        where version_id = ${versionId} and kind = 'standard' order by id`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    key: String(r.key),
    code: String(r.code),
    text: String(r.text),
    method: r.method as TMethod,
    maxScore: Number(r.max_score),
  }));
}

export interface NegativeRow {
  id: number;
  key: string;
  code: string;
  text: string;
}

export async function negativesOf(db: DbOrTx, versionId: number): Promise<NegativeRow[]> {
  const rows = await execRows<Record<string, unknown>>(
    db,
    sql`select id, key, code, text from negative_items where version_id = ${versionId} order by id`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    key: String(r.key),
    code: String(r.code),
    text: String(r.text),
  }));
}

/** Gives nodes (or negative items) the keys of the entries they continue. */
export async function rekey(
  db: DbOrTx,
  table: 'framework_nodes' | 'negative_items',
  updates: { id: number; key: string }[],
): Promise<void> {
  for (let i = 0; i < updates.length; i += 500) {
    const part = updates.slice(i, i + 500);
    const values = sql.join(
      part.map((u) => sql`(${u.id}::int, ${u.key}::text)`),
      sql`, `,
    );
    await db.execute(sql`update ${sql.raw(table)} t set key = v.key
      from (values ${values}) as v(id, key) where t.id = v.id`);
  }
}

/** Assignments per standard key of a version. */
export async function assignmentCounts(
  db: DbOrTx,
  versionId: number,
): Promise<Map<string, number>> {
  const rows = await execRows<{ key: string; n: number }>(
    db,
    sql`select s.key, count(*)::int as n from assignments a
        join framework_nodes s on s.id = a.standard_id
        where a.version_id = ${versionId} group by s.key`,
  );
  return new Map(rows.map((r) => [r.key, Number(r.n)]));
}

/**
 * Copies the assignments (and their 责任单位) of the version in force onto the draft's standards
 * with the same key that have none of their own. Returns how many were copied.
 */
export async function carryAssignments(db: DbOrTx, fromId: number, toId: number): Promise<number> {
  const targets = await execRows<{ new_id: number; old_id: number }>(
    db,
    sql`select ns.id as new_id, os.id as old_id from framework_nodes ns
        join framework_nodes os on os.version_id = ${fromId} and os.key = ns.key
        where ns.version_id = ${toId} and ns.kind = 'standard'
          and exists (select 1 from assignments a where a.standard_id = os.id)
          and not exists (select 1 from assignments x where x.standard_id = ns.id)`,
  );
  if (targets.length === 0) return 0;
  const pairs = sql.join(
    targets.map((t) => sql`(${Number(t.old_id)}::int, ${Number(t.new_id)}::int)`),
    sql`, `,
  );
  const inserted = await execRows<{ id: number }>(
    db,
    sql`insert into assignments (version_id, standard_id, lead_unit_id, leader_name, due_date,
          due_text, notes, extra, position, lead_party_id)
        select ${toId}, p.new_id, a.lead_unit_id, a.leader_name, a.due_date, a.due_text, a.notes,
          a.extra, a.position, a.lead_party_id
        from assignments a join (values ${pairs}) as p(old_id, new_id) on p.old_id = a.standard_id
        returning id`,
  );
  await db.execute(sql`
    insert into assignment_units (assignment_id, unit_id, position)
    select na.id, au.unit_id, au.position
    from (values ${pairs}) as p(old_id, new_id)
    join assignments a on a.standard_id = p.old_id
    join assignment_units au on au.assignment_id = a.id
    join assignments na on na.standard_id = p.new_id and na.lead_unit_id = a.lead_unit_id`);
  await db.execute(sql`
    insert into assignment_parties (assignment_id, party_id, position)
    select na.id, ap.party_id, ap.position
    from (values ${pairs}) as p(old_id, new_id)
    join assignments a on a.standard_id = p.old_id
    join assignment_parties ap on ap.assignment_id = a.id
    join assignments na on na.standard_id = p.new_id and na.lead_unit_id = a.lead_unit_id`);
  return inserted.length;
}

export type TKeyedLinkKind = 'dossier' | 'indicator' | 'simulation_target' | 'report' | 'group';

/** Links of a framework kept by standard key, one row per key and kind, with a few names. */
export async function keyedLinks(
  db: DbOrTx,
  frameworkId: number,
): Promise<{ kind: TKeyedLinkKind; key: string; n: number; names: string[] }[]> {
  const rows = await execRows<{ kind: TKeyedLinkKind; key: string; n: number; names: string[] }>(
    db,
    sql`select 'dossier' as kind, standard_key as key, count(*)::int as n,
               array_agg(year::text order by year) as names
          from evidence_dossiers where framework_id = ${frameworkId} group by standard_key
        union all
        select 'indicator', standard_key, count(*)::int, array_agg(name order by name)
          from indicators where framework_id = ${frameworkId} group by standard_key
        union all
        select 'simulation_target', standard_key, count(*)::int, array_agg(name order by name)
          from simulation_targets where framework_id = ${frameworkId} group by standard_key
        union all
        select 'report', r.standard_key, count(*)::int,
               array_agg(distinct u.name) filter (where u.name is not null)
          from assignment_reports r left join units u on u.id = r.unit_id
          where r.framework_id = ${frameworkId} group by r.standard_key
        union all
        select 'group', s.standard_key, count(*)::int, array_agg(g.name order by g.name)
          from working_group_standards s join working_groups g on g.id = s.group_id
          where s.framework_id = ${frameworkId} group by s.standard_key`,
  );
  return rows.map((r) => ({ ...r, n: Number(r.n), names: r.names ?? [] }));
}

/** Recorded 负面清单 hits of a framework per negative item key. */
export async function hitCounts(db: DbOrTx, frameworkId: number): Promise<Map<string, number>> {
  const rows = await execRows<{ key: string; n: number }>(
    db,
    sql`select item_key as key, count(*)::int as n from negative_hits
        where framework_id = ${frameworkId} group by item_key`,
  );
  return new Map(rows.map((r) => [r.key, Number(r.n)]));
}

/** Questionnaires still in use (draft or published), with their questions. */
export async function liveQuestionnaires(db: DbOrTx): Promise<
  {
    id: number;
    surveyName: string;
    groupLabel: string;
    number: number;
    questions: TQuestion[];
  }[]
> {
  const rows = await execRows<Record<string, unknown>>(
    db,
    sql`select q.id, s.name as survey_name, q.group_label, q.number, q.questions
        from survey_questionnaires q join surveys s on s.id = q.survey_id
        where q.status in ('draft', 'published') order by q.id`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    surveyName: String(r.survey_name),
    groupLabel: String(r.group_label),
    number: Number(r.number),
    questions: r.questions as TQuestion[],
  }));
}

export interface PointTypeChecklist {
  id: number;
  code: string;
  name: string;
  checklist: ChecklistItem[];
}

export async function pointTypeChecklists(db: DbOrTx): Promise<PointTypeChecklist[]> {
  const rows = await execRows<Record<string, unknown>>(
    db,
    sql`select id, code, name, checklist from point_types order by id`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    code: String(r.code),
    name: String(r.name),
    checklist: r.checklist as ChecklistItem[],
  }));
}

/** Writes a point type's checklist with its standard codes moved (order and items unchanged). */
export async function writeChecklist(
  db: DbOrTx,
  id: number,
  checklist: ChecklistItem[],
): Promise<void> {
  await db.execute(sql`update point_types set checklist = ${JSON.stringify(checklist)}::jsonb,
    version = version + 1 where id = ${id}`);
}
