import ExcelJS from 'exceljs';
import { asc, eq, sql } from 'drizzle-orm';
import type { TResults, TSuspiciousRow, TTrend } from '../../../core/contracts/surveys.js';
import { Permission } from '../../../core/permissions.js';
import {
  DIMENSION_LABELS,
  type QuestionDef,
  type TAnswerValue,
} from '../../../core/survey/questions.js';
import {
  computeResults,
  designWeights,
  type AnswerTally,
  type DimensionResult,
} from '../../../core/survey/rates.js';
import { detectSuspicious } from '../../../core/survey/suspicious.js';
import { execRows, type Database, type DbOrTx } from '../../db/client.js';
import { surveyRounds } from '../../db/schema/index.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { questionnairesById } from './design.service.js';
import { floorEffectOf, loadRound, quotasOf } from './plan.service.js';

interface TallyRow {
  round_id: number;
  quota_id: number;
  questionnaire_id: number;
  qid: string;
  answer: TAnswerValue;
  n: number;
}

/** Answers that are counted: options, ratings, choices; not open text (no option is that long). */
const COUNTED = sql.raw(
  `(jsonb_typeof(a.value) <> 'string' or length(a.value #>> '{}') <= 60) and octet_length(a.value::text) <= 1000`,
);

const idList = (ids: number[]) =>
  sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );

/**
 * The aggregate the results rest on, straight from the responses: how often each answer was given
 * to each question in each quota, over eligible responses. The baseline of the benchmark, and what
 * rebuilds the tallies.
 */
export function tallySql(roundIds: number[]) {
  return sql`select r.round_id, r.quota_id, r.questionnaire_id, a.key as qid, a.value as answer,
        count(*)::int as n
      from survey_responses r cross join lateral jsonb_each(r.answers) a
      where r.round_id in (${idList(roundIds)}) and r.eligible and ${COUNTED}
      group by r.round_id, r.quota_id, r.questionnaire_id, a.key, a.value`;
}

/** The same counts from the tallies kept at each submission (what the results read). */
export function rollupSql(roundIds: number[]) {
  return sql`select round_id, quota_id, questionnaire_id, question_id as qid, answer, n
      from survey_answer_tallies where round_id in (${idList(roundIds)})`;
}

/** Counts one eligible response's answers into the tallies (inside its transaction). */
export async function countAnswers(
  tx: DbOrTx,
  r: { roundId: number; quotaId: number; questionnaireId: number; answers: unknown },
): Promise<void> {
  // Rows are taken in key order, so concurrent submissions lock them in the same order.
  await tx.execute(sql`
    insert into survey_answer_tallies (round_id, quota_id, questionnaire_id, question_id, answer, n)
    select ${r.roundId}, ${r.quotaId}, ${r.questionnaireId}, a.key, a.value, 1
    from jsonb_each(${JSON.stringify(r.answers)}::jsonb) a
    where ${COUNTED}
    order by a.key, a.value
    on conflict (quota_id, questionnaire_id, question_id, answer)
    do update set n = survey_answer_tallies.n + 1`);
}

/** Recounts a round's tallies from its responses (after bulk loads: the seed, the benchmark). */
export async function rebuildTallies(tx: DbOrTx, roundId: number): Promise<void> {
  await tx.execute(sql`delete from survey_answer_tallies where round_id = ${roundId}`);
  await tx.execute(sql`
    insert into survey_answer_tallies (round_id, quota_id, questionnaire_id, question_id, answer, n)
    select round_id, quota_id, questionnaire_id, qid, answer, n from (${tallySql([roundId])}) t`);
}

/** Responses per quota: eligible (the design's n_h) and not. */
async function quotaCounts(db: DbOrTx, roundIds: number[]) {
  return execRows<{ round_id: number; quota_id: number; eligible: number; ineligible: number }>(
    db,
    sql`select round_id, quota_id, (count(*) filter (where eligible))::int as eligible,
          (count(*) filter (where not eligible))::int as ineligible
        from survey_responses where round_id in (${idList(roundIds)}) group by round_id, quota_id`,
  );
}

interface Prepared {
  questions: Map<string, QuestionDef & { group: string; questionId: string; text: string }>;
  tallies: (AnswerTally & { quotaId: number })[];
}

async function prepare(db: DbOrTx, rows: TallyRow[]): Promise<Prepared> {
  const qns = await questionnairesById(db, [...new Set(rows.map((r) => r.questionnaire_id))]);
  const questions: Prepared['questions'] = new Map();
  for (const qn of qns.values()) {
    for (const q of qn.questions) {
      questions.set(`${qn.id}:${q.id}`, {
        ...q,
        group: qn.group,
        questionId: q.id,
        text: q.text,
      });
    }
  }
  return {
    questions,
    tallies: rows.map((r) => ({
      stratum: String(r.quota_id),
      quotaId: r.quota_id,
      questionKey: `${r.questionnaire_id}:${r.qid}`,
      answer: r.answer,
      count: r.n,
    })),
  };
}

/** Rates per question and dimension of a round, overall and by region or group. */
export async function roundResults(
  database: Database,
  actor: Actor,
  roundId: number,
  by: 'none' | 'region' | 'group',
): Promise<TResults> {
  requirePermission(actor, Permission.SurveyRead);
  const db = database.db;
  const round = await loadRound(db, roundId);
  const [rows, counts, quotas] = await Promise.all([
    execRows<TallyRow>(db, rollupSql([roundId])),
    quotaCounts(db, [roundId]),
    quotasOf(db, roundId),
  ]);
  const { questions, tallies } = await prepare(db, rows);
  const { weights, weighted } = designWeights(
    quotas.map((q) => ({
      stratum: String(q.id),
      population: q.population,
      responses: counts.find((c) => c.quota_id === q.id)?.eligible ?? 0,
    })),
  );
  const opts = { dontKnowValid: round.dontKnowValid, floor: round.floorPercent / 100, weights };
  const all = computeResults(questions, tallies, opts);
  const slices: TResults['slices'] = [];
  if (by !== 'none') {
    const groups = new Map<string, { label: string; quotaIds: Set<number> }>();
    for (const q of quotas) {
      const [key, label] =
        by === 'region' ? [`region:${q.regionId}`, q.regionName] : [`group:${q.group}`, q.group];
      const g = groups.get(key) ?? { label, quotaIds: new Set<number>() };
      g.quotaIds.add(q.id);
      groups.set(key, g);
    }
    for (const [key, g] of groups) {
      const sub = computeResults(
        questions,
        tallies.filter((t) => g.quotaIds.has(t.quotaId)),
        opts,
      );
      slices.push({
        key,
        label: g.label,
        responses: counts
          .filter((c) => g.quotaIds.has(c.quota_id))
          .reduce((n, c) => n + c.eligible, 0),
        dimensions: sub.dimensions,
      });
    }
  }
  return {
    roundId,
    roundName: round.name,
    floor: round.floorPercent / 100,
    dontKnowValid: round.dontKnowValid,
    weighted,
    responses: counts.reduce((n, c) => n + c.eligible, 0),
    excludedIneligible: counts.reduce((n, c) => n + c.ineligible, 0),
    dimensions: all.dimensions,
    questions: all.questions.map((r) => {
      const q = questions.get(r.questionKey)!;
      return { ...r, group: q.group, questionId: q.questionId, text: q.text };
    }),
    slices,
    floorEffect: await floorEffectOf(db, round.surveyId),
  };
}

/** Dimension rates of every round of a survey, oldest first. */
export async function surveyTrend(
  database: Database,
  actor: Actor,
  surveyId: number,
): Promise<TTrend> {
  requirePermission(actor, Permission.SurveyRead);
  const db = database.db;
  const rounds = await db
    .select()
    .from(surveyRounds)
    .where(eq(surveyRounds.surveyId, surveyId))
    .orderBy(asc(surveyRounds.startsOn), asc(surveyRounds.id));
  if (rounds.length === 0) return [];
  const ids = rounds.map((r) => r.id);
  const [rows, counts] = await Promise.all([
    execRows<TallyRow>(db, rollupSql(ids)),
    quotaCounts(db, ids),
  ]);
  const { questions, tallies } = await prepare(db, rows);
  const out: TTrend = [];
  for (const round of rounds) {
    const quotas = await quotasOf(db, round.id);
    const { weights } = designWeights(
      quotas.map((q) => ({
        stratum: String(q.id),
        population: q.population,
        responses: counts.find((c) => c.quota_id === q.id)?.eligible ?? 0,
      })),
    );
    const ids = new Set(quotas.map((q) => q.id));
    const res = computeResults(
      questions,
      tallies.filter((t) => ids.has(t.quotaId)),
      { dontKnowValid: round.dontKnowValid, floor: round.floorPercent / 100, weights },
    );
    out.push({
      roundId: round.id,
      roundName: round.name,
      startsOn: round.startsOn,
      responses: counts.filter((c) => c.round_id === round.id).reduce((n, c) => n + c.eligible, 0),
      dimensions: res.dimensions,
    });
  }
  return out;
}

/** Responses of a round that match a suspicious pattern (see core/survey/suspicious.ts). */
export async function suspiciousResponses(
  database: Database,
  actor: Actor,
  roundId: number,
): Promise<TSuspiciousRow[]> {
  requirePermission(actor, Permission.SurveyRead);
  await loadRound(database.db, roundId);
  const rows = await execRows<{
    id: number;
    guide_id: number | null;
    guide_name: string | null;
    region_name: string;
    household_code: string;
    submitted_at: string | Date;
    answers_key: string;
    lat: number | null;
    lng: number | null;
    center_lat: number | null;
    center_lng: number | null;
    radius_m: number;
  }>(
    database.db,
    sql`select r.id::int as id, r.guide_id, u.name as guide_name, g.name as region_name,
          r.household_code, r.submitted_at, md5(r.answers::text) as answers_key, r.lat, r.lng,
          q.center_lat, q.center_lng, q.radius_m
        from survey_responses r
        join survey_quotas q on q.id = r.quota_id
        join regions g on g.id = q.region_id
        left join users u on u.id = r.guide_id
        where r.round_id = ${roundId}`,
  );
  const flags = detectSuspicious(
    rows.map((r) => ({
      id: r.id,
      guideId: r.guide_id,
      submittedAt: new Date(r.submitted_at).getTime(),
      // jsonb prints its keys in one order, so equal sheets hash alike (and 100,000 sheets need
      // not cross the wire).
      answersKey: r.answers_key,
      lat: r.lat,
      lng: r.lng,
      area:
        r.center_lat !== null && r.center_lng !== null
          ? { lat: r.center_lat, lng: r.center_lng, radiusM: r.radius_m }
          : null,
    })),
  );
  return rows
    .filter((r) => flags.has(r.id))
    .map((r) => ({
      responseId: r.id,
      guideId: r.guide_id,
      guideName: r.guide_name,
      regionName: r.region_name,
      householdCode: r.household_code,
      submittedAt: new Date(r.submitted_at).toISOString(),
      flags: flags.get(r.id)!,
    }))
    .sort((a, b) => a.submittedAt.localeCompare(b.submittedAt));
}

const pct = (x: number | null) => (x === null ? '' : Math.round(x * 1000) / 10);

function dimRow(label: string, d: DimensionResult) {
  return [
    label,
    DIMENSION_LABELS[d.dimension].zh,
    pct(d.rate),
    pct(d.lo),
    pct(d.hi),
    d.favourable,
    d.valid,
    d.belowFloor ? '低于底线' : d.atRisk ? '区间跨越底线' : '',
  ];
}

/** The results as a workbook: dimensions overall and by community and group, and questions. */
export async function resultsWorkbook(
  database: Database,
  actor: Actor,
  roundId: number,
): Promise<Buffer> {
  const byRegion = await roundResults(database, actor, roundId, 'region');
  const byGroup = await roundResults(database, actor, roundId, 'group');
  const wb = new ExcelJS.Workbook();
  const head = ['范围', '维度', '比率(%)', '95%下限(%)', '95%上限(%)', '有利', '有效', '标注'];
  const ws = wb.addWorksheet('维度');
  ws.addRow([
    `${byRegion.roundName}：底线 ${byRegion.floor * 100}%，有效答卷 ${byRegion.responses}`,
  ]);
  ws.addRow(head).font = { bold: true };
  for (const d of byRegion.dimensions) ws.addRow(dimRow('全市', d));
  for (const s of [...byRegion.slices, ...byGroup.slices]) {
    for (const d of s.dimensions)
      ws.addRow(dimRow(s.key.startsWith('group:') ? `人群 ${s.label}` : s.label, d));
  }
  ws.columns.forEach((c) => (c.width = 14));
  const qs = wb.addWorksheet('题目');
  qs.addRow([
    '人群',
    '题号',
    '题目',
    '维度',
    '比率(%)',
    '95%下限(%)',
    '95%上限(%)',
    '有利',
    '有效',
    '说不清',
  ]).font = {
    bold: true,
  };
  for (const q of byRegion.questions) {
    qs.addRow([
      q.group,
      q.questionId,
      q.text,
      q.dimension ? DIMENSION_LABELS[q.dimension].zh : '',
      pct(q.rate),
      pct(q.lo),
      pct(q.hi),
      q.favourable,
      q.valid,
      q.dontKnow,
    ]);
  }
  qs.getColumn(3).width = 50;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
