import type { TQuota, TResults, TSuspiciousRow, TTrend } from '../../../core/contracts/surveys.js';
import type { QuestionDef } from '../../../core/survey/questions.js';
import { COLLECTION_MODE_LABELS } from '../../../core/survey/modes.js';
import { computeResults, modeDesignWeights, type AnswerTally } from '../../../core/survey/rates.js';
import { detectSuspicious } from '../../../core/survey/suspicious.js';
import type { Database, DbOrTx } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { questionnairesById } from './design.repo.js';
import { floorEffectOf, loadRound, quotasOf, requireSurveyRead } from './plan.service.js';
import { roundsOldestFirst } from './plan.repo.js';
import * as repo from './results.repo.js';
import { presentResultsWorkbook } from './results.present.js';
import { presentSuspicious } from './surveys.present.js';

// The seed and the benchmark count and recount tallies; the benchmark times the raw aggregate.
export { countAnswers, rebuildTallies, rollupSql, tallySql } from './results.repo.js';

interface Prepared {
  questions: Map<string, QuestionDef & { group: string; questionId: string; text: string }>;
  tallies: (AnswerTally & { quotaId: number })[];
}

async function prepare(db: DbOrTx, rows: repo.TallyRow[]): Promise<Prepared> {
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

/**
 * Design weights of the quotas: each a stratum (so a street quota never pools with a household
 * one), each mode at its share of the plan, within it by population over eligible responses.
 */
function weightsOf(quotas: TQuota[], counts: repo.QuotaCountRow[]) {
  return modeDesignWeights(
    quotas.map((q) => ({
      stratum: String(q.id),
      mode: q.mode,
      target: q.target,
      population: q.population,
      responses: counts.find((c) => c.quota_id === q.id)?.eligible ?? 0,
    })),
  );
}

/** The slice a quota falls in, as key and label. */
function sliceOf(q: TQuota, by: 'region' | 'group' | 'mode'): [string, string] {
  if (by === 'region') return [`region:${q.regionId}`, q.regionName];
  if (by === 'group') return [`group:${q.group}`, q.group];
  return [`mode:${q.mode}`, COLLECTION_MODE_LABELS[q.mode].zh];
}

/**
 * Rates per question and dimension of a round, overall and by region, group or mode. Below the
 * city, of the quotas in the reader's subtree only: its rates, intervals, weights and floor flags.
 */
export async function roundResults(
  database: Database,
  actor: Actor,
  roundId: number,
  by: 'none' | 'region' | 'group' | 'mode',
): Promise<TResults> {
  const within = requireSurveyRead(actor);
  const db = database.db;
  const round = await loadRound(db, roundId);
  const [rows, counts, quotas] = await Promise.all([
    repo.tallyRows(db, [roundId], within),
    repo.quotaCounts(db, [roundId], within),
    quotasOf(db, roundId, within),
  ]);
  const { questions, tallies } = await prepare(db, rows);
  const { weights, weighted } = weightsOf(quotas, counts);
  const opts = { dontKnowValid: round.dontKnowValid, floor: round.floorPercent / 100, weights };
  const all = computeResults(questions, tallies, opts);
  const slices: TResults['slices'] = [];
  if (by !== 'none') {
    const groups = new Map<string, { label: string; quotaIds: Set<number> }>();
    for (const q of quotas) {
      const [key, label] = sliceOf(q, by);
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

/** Dimension rates of every round of a survey, oldest first (below the city: its subtree's). */
export async function surveyTrend(
  database: Database,
  actor: Actor,
  surveyId: number,
): Promise<TTrend> {
  const within = requireSurveyRead(actor);
  const db = database.db;
  const rounds = await roundsOldestFirst(db, surveyId);
  if (rounds.length === 0) return [];
  const ids = rounds.map((r) => r.id);
  const [rows, counts] = await Promise.all([
    repo.tallyRows(db, ids, within),
    repo.quotaCounts(db, ids, within),
  ]);
  const { questions, tallies } = await prepare(db, rows);
  const out: TTrend = [];
  for (const round of rounds) {
    const quotas = await quotasOf(db, round.id, within);
    const { weights } = weightsOf(quotas, counts);
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

/**
 * Responses of a round that match a suspicious pattern (see core/survey/suspicious.ts); below the
 * city, among the responses of the reader's subtree.
 */
export async function suspiciousResponses(
  database: Database,
  actor: Actor,
  roundId: number,
): Promise<TSuspiciousRow[]> {
  const within = requireSurveyRead(actor);
  await loadRound(database.db, roundId);
  const rows = await repo.responsesForCheck(database.db, roundId, within);
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
  return presentSuspicious(rows, flags);
}

/** The results as a workbook: dimensions overall and by community, group and mode, and questions. */
export async function resultsWorkbook(
  database: Database,
  actor: Actor,
  roundId: number,
): Promise<Buffer> {
  requireSurveyRead(actor);
  const byRegion = await roundResults(database, actor, roundId, 'region');
  const byGroup = await roundResults(database, actor, roundId, 'group');
  const byMode = await roundResults(database, actor, roundId, 'mode');
  return presentResultsWorkbook(byRegion, byGroup, byMode);
}
