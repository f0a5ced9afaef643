import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { CountOverride } from '../../../core/draw/strata.js';
import type { ChecklistItem, ItemAnswer } from '../../../core/inspection/score.js';
import type { TAnswerQuality } from '../../../core/inspection/simulation.js';
import { OPEN_STATES } from '../../../core/problems/lifecycle.js';
import type { TMethod, TNegativeEffect } from '../../../core/frameworks/methods.js';
import type { TEvidenceGrade, TEvidenceRules } from '../../../core/frameworks/evidence.js';
import type { TNegativeRule } from '../../../core/scoring/negatives.js';
import type { TCyclePreset, TFrameworkRules, TSurveyCurve } from '../../../core/scoring/rules.js';
import { execRows, type DbOrTx } from '../../db/client.js';
import { frameworks, negativeHits } from '../../db/schema/index.js';
import { regionSubtree } from '../org/regions.repo.js';

// The only place the scoring module touches tables: one statement per kind of fact, each reading
// a whole framework, round or city at once (no per-standard or per-point queries).

const list = (xs: readonly (string | number)[]) =>
  sql.join(
    xs.map((x) => sql`${x}`),
    sql`, `,
  );

export interface CampaignRow {
  id: number;
  name: string;
  /** `cells`: a home for 文明细胞 frameworks, never scored as the city's. */
  kind: 'city' | 'cells';
  cycleStartYear: number;
  cycleYears: number;
  cycleWeights: number[];
  methodWeights: Record<'material' | 'field' | 'survey', number>;
  /** As stored: read it with readSurveyFloor (core/scoring/rules.ts). */
  surveyFloor: unknown;
  surveyCurve: TSurveyCurve;
  cyclePreset: TCyclePreset;
  applicationDate: string | null;
}

export async function campaign(db: DbOrTx, id: number): Promise<CampaignRow | undefined> {
  const [r] = await execRows<Record<string, unknown>>(
    db,
    sql`select id, name, kind, cycle_start_year, cycle_years, cycle_weights, method_weights, survey_floor,
          survey_curve, cycle_preset, application_date::text as application_date
        from campaigns where id = ${id}`,
  );
  if (!r) return undefined;
  return {
    id: Number(r.id),
    name: String(r.name),
    kind: r.kind === 'cells' ? 'cells' : 'city',
    cycleStartYear: Number(r.cycle_start_year),
    cycleYears: Number(r.cycle_years),
    cycleWeights: r.cycle_weights as number[],
    methodWeights: r.method_weights as CampaignRow['methodWeights'],
    surveyFloor: r.survey_floor,
    surveyCurve: r.survey_curve as TSurveyCurve,
    cyclePreset: r.cycle_preset as TCyclePreset,
    applicationDate: (r.application_date as string | null) ?? null,
  };
}

/**
 * The city's campaign running in `year`: of the city-kind campaigns (a 文明细胞 one never is), the
 * one whose cycle covers it with a framework (the latest started if several), else the latest one
 * with a framework; null without any.
 */
export async function currentCampaignId(db: DbOrTx, year: number): Promise<number | null> {
  const [r] = await execRows<{ id: number }>(
    db,
    sql`select c.id from campaigns c
         where c.kind = 'city'
           and exists (select 1 from frameworks f where f.campaign_id = c.id)
         order by (${year} between c.cycle_start_year
                     and c.cycle_start_year + c.cycle_years - 1) desc,
                  c.cycle_start_year desc, c.id
         limit 1`,
  );
  return r ? Number(r.id) : null;
}

/** The campaign's frameworks with the version in force (published, else the newest). */
export async function frameworksOf(db: DbOrTx, campaignId: number) {
  const rows = await execRows<Record<string, unknown>>(
    db,
    sql`select f.id, f.name, f.rules, v.id as version_id, v.number
        from frameworks f
        left join lateral (select id, number from framework_versions
          where framework_id = f.id order by (status = 'published') desc, number desc limit 1) v on true
        where f.campaign_id = ${campaignId}
        order by f.position, f.id`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    name: String(r.name),
    rules: r.rules as TFrameworkRules,
    versionId: r.version_id === null ? null : Number(r.version_id),
    versionNumber: r.number === null ? null : Number(r.number),
  }));
}

export interface NodeRow {
  id: number;
  parentId: number | null;
  kind: 'item' | 'content' | 'standard';
  key: string;
  code: string;
  text: string;
  method: TMethod | null;
  maxScore: number | null;
  surveyCurve: TSurveyCurve | null;
}

export async function nodesOf(db: DbOrTx, versionId: number): Promise<NodeRow[]> {
  const rows = await execRows<Record<string, unknown>>(
    db,
    sql`select id, parent_id, kind, key, code, text, method, max_score, survey_curve from framework_nodes
        where version_id = ${versionId} order by position, id`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    parentId: r.parent_id === null ? null : Number(r.parent_id),
    kind: r.kind as NodeRow['kind'],
    key: String(r.key),
    code: String(r.code),
    text: String(r.text),
    method: (r.method as TMethod | null) ?? null,
    maxScore: r.max_score === null ? null : Number(r.max_score),
    surveyCurve: (r.survey_curve as TSurveyCurve | null) ?? null,
  }));
}

export async function evidenceRules(
  db: DbOrTx,
  campaignId: number,
): Promise<TEvidenceRules | null> {
  const [r] = await execRows<{ rules: TEvidenceRules }>(
    db,
    sql`select rules from evidence_settings where campaign_id = ${campaignId}`,
  );
  return r?.rules ?? null;
}

/** Every dossier of a framework in the given years, by standard key. */
export async function dossiers(db: DbOrTx, frameworkId: number, years: number[]) {
  const rows = await execRows<{ year: number; standard_key: string; state: string; grade: string }>(
    db,
    sql`select year, standard_key, state, grade from evidence_dossiers
        where framework_id = ${frameworkId} and year in (${list(years)})`,
  );
  return rows.map((r) => ({
    year: Number(r.year),
    standardKey: r.standard_key,
    state: r.state as 'draft' | 'submitted' | 'returned' | 'approved',
    grade: (r.grade as TEvidenceGrade | null) ?? null,
  }));
}

/**
 * The inspection round whose results count for a year: the given one, or the latest official or
 * mock round (by its latest visit) with visits dated before the end of `year`.
 */
export async function fieldRound(
  db: DbOrTx,
  f: { roundId?: number | undefined; before: Date },
): Promise<{ id: number; name: string; kind: string; visits: number } | null> {
  const cond = f.roundId
    ? sql`r.id = ${f.roundId}`
    : sql`r.kind in ('official', 'mock') and v.visited_at < ${f.before.toISOString()}`;
  const [r] = await execRows<Record<string, unknown>>(
    db,
    sql`select r.id, r.name, r.kind, count(v.id)::int as visits
        from rounds r join inspection_visits v on v.round_id = r.id and v.version = 1
        where ${cond}
        group by r.id, r.name, r.kind
        order by max(v.visited_at) desc, r.id desc limit 1`,
  );
  return r
    ? { id: Number(r.id), name: String(r.name), kind: String(r.kind), visits: Number(r.visits) }
    : null;
}

export async function roundExists(db: DbOrTx, id: number) {
  const [r] = await execRows<Record<string, unknown>>(
    db,
    sql`select id, name, kind, plan, region_ids, by_district,
          (select coalesce(jsonb_agg(jsonb_build_object('regionIds', d.region_ids,
                                                        'overrides', d.overrides)
                                     order by d.date), '[]'::jsonb)
             from round_days d where d.round_id = rounds.id) as days
        from rounds where id = ${id}`,
  );
  return r
    ? {
        id: Number(r.id),
        name: String(r.name),
        kind: String(r.kind),
        plan: r.plan,
        regionIds: (r.region_ids as number[] | null) ?? [],
        byDistrict: Boolean(r.by_district),
        days: r.days as { regionIds: number[]; overrides: CountOverride[] }[],
      }
    : null;
}

/** The latest version of each visit of a round, with its point type's checklist. */
export async function roundVisits(
  db: DbOrTx,
  roundId: number,
): Promise<{ checklist: ChecklistItem[]; answers: ItemAnswer[] }[]> {
  const [visits, types] = await Promise.all([
    execRows<{ type_id: number; items: ItemAnswer[] }>(
      db,
      sql`select p.type_id, v.items from inspection_visits v join points p on p.id = v.point_id
          where v.round_id = ${roundId}
            and not exists (select 1 from inspection_visits c where c.previous_id = v.id)`,
    ),
    execRows<{ id: number; checklist: ChecklistItem[] }>(
      db,
      sql`select id, checklist from point_types`,
    ),
  ]);
  const byType = new Map(types.map((t) => [Number(t.id), t.checklist]));
  return visits.map((v) => ({
    checklist: byType.get(Number(v.type_id)) ?? [],
    answers: v.items,
  }));
}

/** The 整体评价 ratings of a round's visits (latest versions that have them). */
export async function roundRatings(db: DbOrTx, roundId: number): Promise<unknown[]> {
  const rows = await execRows<{ ratings: unknown }>(
    db,
    sql`select v.ratings from inspection_visits v
        where v.round_id = ${roundId} and v.ratings is not null
          and not exists (select 1 from inspection_visits c where c.previous_id = v.id)`,
  );
  return rows.map((r) => r.ratings);
}

/**
 * The survey round whose rates count: the given one, or the latest round (by start) of the
 * campaign's surveys that started before `before` and has eligible responses.
 */
export async function surveyRound(
  db: DbOrTx,
  f: { campaignId: number; surveyRoundId?: number | undefined; before: string },
): Promise<{ id: number; name: string; responses: number; surveyId: number } | null> {
  const cond = f.surveyRoundId
    ? sql`sr.id = ${f.surveyRoundId}`
    : sql`s.campaign_id = ${f.campaignId} and sr.starts_on < ${f.before}`;
  const [r] = await execRows<Record<string, unknown>>(
    db,
    sql`select sr.id, sr.name, sr.survey_id,
          (select count(*)::int from survey_responses x where x.round_id = sr.id and x.eligible) as n
        from survey_rounds sr join surveys s on s.id = sr.survey_id
        where ${cond}
          and (${f.surveyRoundId ?? null}::int is not null
            or exists (select 1 from survey_responses x where x.round_id = sr.id and x.eligible))
        order by sr.starts_on desc, sr.id desc limit 1`,
  );
  return r
    ? {
        id: Number(r.id),
        name: String(r.name),
        responses: Number(r.n),
        surveyId: Number(r.survey_id),
      }
    : null;
}

/** Units responsible for each standard of a version: lead units, then the others named. */
export async function standardUnits(db: DbOrTx, versionId: number) {
  const rows = await execRows<{ standard_id: number; unit_id: number; name: string }>(
    db,
    sql`select a.standard_id, u.id as unit_id, u.name from assignments a
          join units u on u.id = a.lead_unit_id where a.version_id = ${versionId}
        union all
        select a.standard_id, u.id, u.name from assignments a
          join assignment_units au on au.assignment_id = a.id
          join units u on u.id = au.unit_id where a.version_id = ${versionId}`,
  );
  const out = new Map<number, { id: number; name: string }[]>();
  for (const r of rows) {
    const l = out.get(Number(r.standard_id)) ?? [];
    if (!l.some((u) => u.id === Number(r.unit_id))) l.push({ id: Number(r.unit_id), name: r.name });
    out.set(Number(r.standard_id), l);
  }
  return out;
}

/** A negative-list item of the version, as core/scoring/negatives.ts judges it, with its key. */
export interface NegativeItemRow extends TNegativeRule {
  key: string;
}

export async function negativeItems(db: DbOrTx, versionId: number): Promise<NegativeItemRow[]> {
  const rows = await execRows<Record<string, unknown>>(
    db,
    sql`select key, code, text, effect, points, window_months, suspend_months, bars_application
        from negative_items
        where version_id = ${versionId} order by position, id`,
  );
  return rows.map((r) => ({
    key: String(r.key),
    code: String(r.code),
    text: String(r.text),
    effect: r.effect as TNegativeEffect,
    points: Number(r.points),
    windowMonths: Number(r.window_months),
    suspendMonths: r.suspend_months === null ? null : Number(r.suspend_months),
    barsApplication: r.bars_application === true,
  }));
}

export interface HitRow {
  id: number;
  frameworkId: number;
  itemKey: string;
  year: number;
  occurredOn: string;
  note: string;
  recordedBy: string | null;
  recordedAt: Date;
  version: number;
}

export async function hits(
  db: DbOrTx,
  f: { frameworkId?: number; year?: number | undefined; id?: number },
): Promise<HitRow[]> {
  const conds: SQL[] = [sql`true`];
  if (f.frameworkId) conds.push(sql`h.framework_id = ${f.frameworkId}`);
  if (f.year) conds.push(sql`h.year = ${f.year}`);
  if (f.id) conds.push(sql`h.id = ${f.id}`);
  const rows = await execRows<Record<string, unknown>>(
    db,
    sql`select h.id, h.framework_id, h.item_key, h.year, h.occurred_on::text as occurred_on, h.note,
          u.name as recorded_by, h.recorded_at, h.version
        from negative_hits h left join users u on u.id = h.recorded_by
        where ${sql.join(conds, sql` and `)}
        order by h.year desc, h.occurred_on desc, h.id desc`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    frameworkId: Number(r.framework_id),
    itemKey: String(r.item_key),
    year: Number(r.year),
    occurredOn: String(r.occurred_on),
    note: String(r.note),
    recordedBy: (r.recorded_by as string | null) ?? null,
    recordedAt: new Date(r.recorded_at as string),
    version: Number(r.version),
  }));
}

export interface MockPointRow {
  id: number;
  name: string;
  type: string;
  unitId: number | null;
  unitName: string | null;
}

/** Active points of the given type codes, in the regions' subtrees (none: the whole city). */
export async function mockPoints(
  db: DbOrTx,
  typeCodes: string[],
  regionIds: number[],
): Promise<MockPointRow[]> {
  if (!typeCodes.length) return [];
  const inScope = regionIds.length
    ? sql.join(
        regionIds.map((id) => sql`p.region_id in ${regionSubtree(id)}`),
        sql` or `,
      )
    : sql`true`;
  const rows = await execRows<Record<string, unknown>>(
    db,
    sql`select p.id, p.name, t.code, p.unit_id, u.name as unit_name
        from points p join point_types t on t.id = p.type_id
        left join units u on u.id = p.unit_id
        where p.active and t.code in (${list(typeCodes)}) and (${inScope})
        order by p.id`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    name: String(r.name),
    type: String(r.code),
    unitId: r.unit_id === null ? null : Number(r.unit_id),
    unitName: (r.unit_name as string | null) ?? null,
  }));
}

/**
 * Every scored visit (latest version of its chain) at the active points of these types, as
 * (point, epoch ms, share, checklist answers passed + failed). One statement over the visits'
 * point index.
 */
export async function pointVisits(db: DbOrTx, typeCodes: string[]) {
  if (!typeCodes.length) return [];
  return execRows<{ point_id: number; at: number; score: number; items: number }>(
    db,
    sql`select v.point_id, (extract(epoch from v.visited_at) * 1000)::float8 as at, v.score,
          (v.passed + v.failed)::int as items
        from inspection_visits v
        join points p on p.id = v.point_id and p.active
        join point_types t on t.id = p.type_id and t.code in (${list(typeCodes)})
        where v.score is not null
          and not exists (select 1 from inspection_visits c where c.previous_id = v.id)`,
  );
}

/** Open problems per point (states before closing: reported … deferred). */
export async function openProblemsByPoint(db: DbOrTx) {
  const rows = await execRows<{ point_id: number; n: number }>(
    db,
    sql`select point_id, count(*)::int as n from problems
        where point_id is not null and state in (${list(OPEN_STATES)})
        group by point_id`,
  );
  return new Map(rows.map((r) => [Number(r.point_id), Number(r.n)]));
}

export async function pointTypeNames(db: DbOrTx) {
  const rows = await execRows<{ code: string; name: string }>(
    db,
    sql`select code, name from point_types`,
  );
  return new Map(rows.map((r) => [r.code, r.name]));
}

export async function findFramework(db: DbOrTx, id: number) {
  const [fw] = await db.select().from(frameworks).where(eq(frameworks.id, id));
  return fw;
}

export async function insertHit(
  db: DbOrTx,
  values: typeof negativeHits.$inferInsert,
): Promise<number> {
  const [row] = await db.insert(negativeHits).values(values).returning({ id: negativeHits.id });
  return row!.id;
}

/** Deletes a hit at the version read; false when it was changed or removed since. */
export async function deleteHitAt(db: DbOrTx, id: number, version: number): Promise<boolean> {
  const gone = await db
    .delete(negativeHits)
    .where(and(eq(negativeHits.id, id), eq(negativeHits.version, version)))
    .returning({ id: negativeHits.id });
  return gone.length > 0;
}

/** A simulation check of a framework's target, with the target's pass criteria. */
export interface SimulationCheckRow {
  standardKey: string;
  maxRings: number | null;
  requireCorrect: boolean;
  callbackDays: number | null;
  calledAt: Date;
  answered: boolean;
  rings: number | null;
  waitSeconds: number | null;
  answer: TAnswerQuality | null;
  callbackPromised: boolean | null;
  callbackOnTime: boolean | null;
}

/**
 * The simulation checks (模拟验证记录) of a framework's targets: those of a round, or those made
 * between two instants (whatever their round). One statement over the checks' target index.
 */
export async function simulationChecks(
  db: DbOrTx,
  f: { frameworkId: number; roundId?: number; from?: Date; to?: Date },
): Promise<SimulationCheckRow[]> {
  const conds: SQL[] = [sql`t.framework_id = ${f.frameworkId}`];
  if (f.roundId) conds.push(sql`c.round_id = ${f.roundId}`);
  if (f.from) conds.push(sql`c.called_at >= ${f.from.toISOString()}`);
  if (f.to) conds.push(sql`c.called_at < ${f.to.toISOString()}`);
  const rows = await execRows<Record<string, unknown>>(
    db,
    sql`select t.standard_key, t.max_rings, t.require_correct, t.callback_days, c.called_at,
          c.answered, c.rings, c.wait_seconds, c.answer, c.callback_promised, c.callback_on_time
        from simulation_checks c join simulation_targets t on t.id = c.target_id
        where ${sql.join(conds, sql` and `)}
        order by c.called_at, c.id`,
  );
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const b = (v: unknown) => (v === null || v === undefined ? null : v === true);
  return rows.map((r) => ({
    standardKey: String(r.standard_key),
    maxRings: n(r.max_rings),
    requireCorrect: r.require_correct === true,
    callbackDays: n(r.callback_days),
    calledAt: new Date(r.called_at as string),
    answered: r.answered === true,
    rings: n(r.rings),
    waitSeconds: n(r.wait_seconds),
    answer: (r.answer as TAnswerQuality | null) ?? null,
    callbackPromised: b(r.callback_promised),
    callbackOnTime: b(r.callback_on_time),
  }));
}
