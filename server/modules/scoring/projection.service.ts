import type { TProjection, TProjectionQuery } from '../../../core/contracts/scoring.js';
import {
  DEFAULT_EVIDENCE_RULES,
  DOSSIER_STATE_LABELS,
  type TEvidenceRules,
} from '../../../core/frameworks/evidence.js';
import { indicatorStatus, standardComplianceShares } from '../../../core/frameworks/indicators.js';
import { METHOD_BUCKET } from '../../../core/frameworks/methods.js';
import { overallShare } from '../../../core/inspection/overall.js';
import { standardPassRates } from '../../../core/inspection/score.js';
import {
  describeCriteria,
  judgeCheck,
  simulationShare,
  type JudgedCheck,
} from '../../../core/inspection/simulation.js';
import { Permission } from '../../../core/permissions.js';
import {
  combineFrameworks,
  cycleScore,
  worstStatus,
  yearScore,
  type TScoringStandard,
  type TYearScore,
  type TYearStatus,
} from '../../../core/scoring/campaign-score.js';
import { hitEffect, yearNegatives, type THitEffect } from '../../../core/scoring/negatives.js';
import {
  checkCombinedShares,
  curveShare,
  effectiveRules,
  readSurveyFloor,
  type TEffectiveRules,
} from '../../../core/scoring/rules.js';
import { evidenceWindow } from '../../../core/frameworks/evidence.js';
import type { Database } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import * as indicatorsRepo from '../indicators/indicators.repo.js';
import { roundResults } from '../surveys/results.service.js';
import { questionnairesById } from '../surveys/design.service.js';
import { presentHits } from './negative-hits.service.js';
import * as repo from './scoring.repo.js';
import {
  shanghaiDate,
  startOfShanghaiDay,
  type CalendarTable,
} from '../../../core/calendar/working-days.js';
import { loadCalendar } from '../problems/problems.repo.js';

// 测评得分预估: each standard's achieved share from where the city stands now — the approved
// dossier's grade (× indicator compliance), the chosen round's point pass rates on the standard,
// the survey rates of the questions linked to it — fed to core/scoring/campaign-score.ts.
// Rules are in docs/decisions.md ("测评得分预估").

type Msg = { zh: string; en: string };
const pct = (n: number) => `${Math.round(n * 1000) / 10}%`;

export const scoringErrors = {
  notFound: (zh: string, en: string, id: number) =>
    new AppError('not_found', 404, { zh: `${zh}不存在（${id}）`, en: `${en} not found (${id})` }),
  invalid: (zh: string, en: string, path: string) =>
    new AppError('invalid', 400, { zh, en }, { fields: [{ path, message: `${zh} / ${en}` }] }),
};

/** Asia/Shanghai calendar year of a moment. */
const shanghaiYear = (d: Date) => Number(shanghaiDate(d).slice(0, 4));
/** The first instant of a Shanghai calendar year, as UTC. */
const yearStart = (y: number) => startOfShanghaiDay(`${y}-01-01`);

interface StandardShare {
  share: number | null;
  source: 'evidence' | 'field' | 'survey';
  detail: Msg;
}

interface Context {
  database: Database;
  actor: Actor;
  campaign: repo.CampaignRow;
  frameworkId: number;
  nodes: repo.NodeRow[];
  /** The evidence rules of the campaign (grade shares, test dates). */
  evidence: TEvidenceRules;
  /** The assessment rules the framework is scored by. */
  rules: TEffectiveRules;
  compliance: Map<string, { share: number; met: number; n: number }>;
  /** When the projection is made (a promised call-back may still be due) and the holidays. */
  now: Date;
  calendar: CalendarTable;
}

/** The campaign's defaults with the framework's own rules over them. */
export function rulesOf(
  c: repo.CampaignRow,
  fw: { rules: Parameters<typeof effectiveRules>[1] },
): TEffectiveRules {
  return effectiveRules(
    {
      cycleYears: c.cycleYears,
      cycleWeights: c.cycleWeights,
      methodWeights: c.methodWeights,
      surveyFloor: readSurveyFloor(c.surveyFloor),
      surveyCurve: c.surveyCurve,
      cyclePreset: c.cyclePreset,
      applicationDate: c.applicationDate,
    },
    fw.rules,
  );
}

/** The material share of each material-bucket standard in a year. */
function materialShares(
  ctx: Context,
  dossiers: Awaited<ReturnType<typeof repo.dossiers>>,
  year: number,
  key: string,
): StandardShare {
  const d = dossiers.find((x) => x.year === year && x.standardKey === key);
  const ind = ctx.compliance.get(key);
  const indText = ind
    ? { zh: ` × 指标达标 ${ind.met}/${ind.n}`, en: ` × indicators met ${ind.met}/${ind.n}` }
    : { zh: '', en: '' };
  if (!d || d.state !== 'approved' || d.grade === null) {
    const label = DOSSIER_STATE_LABELS[d?.state ?? 'none'];
    return {
      share: null,
      source: 'evidence',
      detail: { zh: `档案${label.zh}，尚无等次`, en: `dossier: ${label.en}, not graded yet` },
    };
  }
  const g = ctx.evidence.gradeShares[d.grade];
  return {
    share: g * (ind?.share ?? 1),
    source: 'evidence',
    detail: {
      zh: `档案已通过 ${d.grade}（${pct(g)}）${indText.zh}`,
      en: `dossier approved ${d.grade} (${pct(g)})${indText.en}`,
    },
  };
}

/** Survey rates of the round per standard key: the mean rate of the questions linked to it. */
async function surveyShares(database: Database, actor: Actor, roundId: number) {
  const res = await roundResults(database, actor, roundId, 'none');
  const qnIds = [...new Set(res.questions.map((q) => Number(q.questionKey.split(':')[0])))];
  const qns = await questionnairesById(database.db, qnIds);
  const perKey = new Map<string, { sum: number; n: number; texts: string[] }>();
  for (const q of res.questions) {
    if (q.rate === null) continue;
    const qn = qns.get(Number(q.questionKey.split(':')[0]));
    const def = qn?.questions.find((x) => x.id === q.questionId);
    for (const key of def?.standardKeys ?? []) {
      const t = perKey.get(key) ?? { sum: 0, n: 0, texts: [] };
      t.sum += q.rate;
      t.n++;
      t.texts.push(`${q.group}${q.questionId}`);
      perKey.set(key, t);
    }
  }
  const dims = res.dimensions
    .filter((d) => d.rate !== null)
    .map((d) => ({ dimension: d.dimension, rate: d.rate! }));
  return { perKey, dims };
}

/** A standard's simulation checks, judged, and the criteria they were judged by. */
interface SimulationGroup {
  judged: JudgedCheck[];
  criteria: Map<string, Msg>;
}

/** Simulation checks per standard key: the field round's and the year's (core/inspection/simulation.ts). */
async function simulationInputs(
  ctx: Context,
  year: number,
  inputs: YearInputs,
  cache: Map<string, unknown>,
) {
  const db = ctx.database.db;
  const group = (rows: repo.SimulationCheckRow[]) => {
    const out = new Map<string, SimulationGroup>();
    for (const r of rows) {
      const g: SimulationGroup = out.get(r.standardKey) ?? { judged: [], criteria: new Map() };
      g.judged.push(judgeCheck(r, r, ctx.now, ctx.calendar));
      const c = describeCriteria(r);
      g.criteria.set(c.zh, c);
      out.set(r.standardKey, g);
    }
    return out;
  };
  const cached = async (k: string, load: () => Promise<repo.SimulationCheckRow[]>) => {
    if (!cache.has(k)) cache.set(k, group(await load()));
    return cache.get(k) as Map<string, SimulationGroup>;
  };
  const round = inputs.fieldRound
    ? await cached(`sim:round:${inputs.fieldRound.id}`, () =>
        repo.simulationChecks(db, { frameworkId: ctx.frameworkId, roundId: inputs.fieldRound!.id }),
      )
    : new Map<string, SimulationGroup>();
  const inYear = await cached(`sim:year:${year}`, () =>
    repo.simulationChecks(db, {
      frameworkId: ctx.frameworkId,
      from: yearStart(year),
      to: yearStart(year + 1),
    }),
  );
  return { round, inYear };
}

/**
 * 实景模拟验证: the mean of the checks' values — pass 1, partly correct ½, fail 0; checks awaiting a
 * call-back inside its limit are left out (docs/scoring.md §2).
 */
function simulationStandardShare(where: Msg, g: SimulationGroup): StandardShare {
  const t = simulationShare(g.judged);
  const crit = [...g.criteria.values()];
  const critZh = crit.map((c) => c.zh).join('；');
  const critEn = crit.map((c) => c.en).join('; ');
  const partZh = t.partial ? `，${t.partial} 次答复部分准确（计半）` : '';
  const partEn = t.partial ? `, ${t.partial} partly correct (half)` : '';
  const pendZh = t.pending ? `，${t.pending} 次待回复暂不计` : '';
  const pendEn = t.pending ? `, ${t.pending} awaiting a call-back (not counted yet)` : '';
  const head = {
    zh: `${where.zh}：${t.checks} 次拨打验证，${t.passed} 次合格（${critZh}）${partZh}${pendZh}`,
    en: `${where.en}: ${t.checks} simulation checks, ${t.passed} passed (${critEn})${partEn}${pendEn}`,
  };
  return {
    share: t.share,
    source: 'field',
    detail:
      t.share === null
        ? { zh: `${head.zh}，尚无可计分的结果`, en: `${head.en}; none settled yet` }
        : {
            zh: `${head.zh}，得分率 ${pct(t.share)}`,
            en: `${head.en}, score rate ${pct(t.share)}`,
          },
  };
}

interface YearInputs {
  fieldRound: { id: number; name: string; kind: string; visits: number } | null;
  surveyRound: { id: number; name: string; responses: number } | null;
}

/** Computes one year: standards with their shares, the core year score, the survey rates. */
async function scoreYear(
  ctx: Context,
  year: number,
  inputs: YearInputs,
  dossiers: Awaited<ReturnType<typeof repo.dossiers>>,
  hits: repo.HitRow[],
  items: repo.NegativeItemRow[],
  cache: Map<string, unknown>,
) {
  const db = ctx.database.db;
  let field = new Map<string, { share: number | null; visits: number }>();
  let overall = null as ReturnType<typeof overallShare> | null;
  if (inputs.fieldRound) {
    const k = `round:${inputs.fieldRound.id}`;
    if (!cache.has(k)) {
      const rates = standardPassRates(await repo.roundVisits(db, inputs.fieldRound.id));
      cache.set(k, new Map(rates.map((r) => [r.code, { share: r.share, visits: r.visits }])));
      cache.set(`${k}:overall`, overallShare(await repo.roundRatings(db, inputs.fieldRound.id)));
    }
    field = cache.get(k) as typeof field;
    overall = cache.get(`${k}:overall`) as typeof overall;
  }
  const sim = await simulationInputs(ctx, year, inputs, cache);
  let survey: Awaited<ReturnType<typeof surveyShares>> = { perKey: new Map(), dims: [] };
  if (inputs.surveyRound) {
    const k = `survey:${inputs.surveyRound.id}`;
    if (!cache.has(k))
      cache.set(k, await surveyShares(ctx.database, ctx.actor, inputs.surveyRound.id));
    survey = cache.get(k) as typeof survey;
  }
  const parentOf = new Map(ctx.nodes.map((n) => [n.id, n.parentId]));
  const keyOf = new Map(ctx.nodes.map((n) => [n.id, n.key]));
  const shares = new Map<string, StandardShare>();
  const standards: TScoringStandard[] = [];
  for (const n of ctx.nodes) {
    if (n.kind !== 'standard' || n.method === null || n.maxScore === null) continue;
    const bucket = METHOD_BUCKET[n.method];
    let s: StandardShare;
    if (bucket === 'material') s = materialShares(ctx, dossiers, year, n.key);
    else if (n.method === 'overall' && overall && overall.share !== null) {
      // 整体观察: the round's 1–5 ratings, (r̄ − 1) ÷ 4 (core/inspection/overall.ts).
      s = {
        share: overall.share,
        source: 'field',
        detail: {
          zh: `${inputs.fieldRound!.name}：${overall.visits} 次整体评价平均 ${overall.mean!.toFixed(2)} 分（满分 5），（均分 − 1）÷ 4 = ${pct(overall.share)}`,
          en: `${inputs.fieldRound!.name}: ${overall.visits} overall ratings average ${overall.mean!.toFixed(2)} of 5, (mean − 1) ÷ 4 = ${pct(overall.share)}`,
        },
      };
    } else if (
      n.method === 'simulation' &&
      (sim.round.has(n.key) || sim.inYear.has(n.key) || (field.get(n.code)?.share ?? null) === null)
    ) {
      // 实景模拟验证: the field round's checks, else the year's; a standard still evidenced only
      // by linked check items (before checks were recorded) keeps scoring from them below.
      const inRound = sim.round.get(n.key);
      const inYear = sim.inYear.get(n.key);
      s = inRound
        ? simulationStandardShare(
            { zh: inputs.fieldRound!.name, en: inputs.fieldRound!.name },
            inRound,
          )
        : inYear
          ? simulationStandardShare({ zh: `${year} 年`, en: `${year}` }, inYear)
          : {
              share: null,
              source: 'field',
              detail: {
                zh: `尚无模拟验证记录（${year} 年）`,
                en: `no simulation check recorded yet (${year})`,
              },
            };
    } else if (bucket === 'field') {
      const f = field.get(n.code);
      s =
        f && f.share !== null
          ? {
              share: f.share,
              source: 'field',
              detail: {
                zh: `${inputs.fieldRound!.name}：${f.visits} 个点位平均合格率 ${pct(f.share)}`,
                en: `${inputs.fieldRound!.name}: mean pass rate ${pct(f.share)} over ${f.visits} points`,
              },
            }
          : {
              share: null,
              source: 'field',
              detail: inputs.fieldRound
                ? {
                    zh: `${inputs.fieldRound.name}未检查到关联的检查项`,
                    en: `no linked checklist item observed in ${inputs.fieldRound.name}`,
                  }
                : { zh: '尚无实地测评结果', en: 'no field round results yet' },
            };
    } else {
      const v = survey.perKey.get(n.key);
      const rate = v ? v.sum / v.n : 0;
      const curve = n.surveyCurve ?? ctx.rules.surveyCurve;
      const c = curveShare(curve, rate);
      const how =
        curve.kind === 'bands'
          ? {
              zh: `评为 ${c.grade}（得 ${pct(c.share)}）`,
              en: `graded ${c.grade} (${pct(c.share)})`,
            }
          : curve.kind === 'linear'
            ? {
                zh: `按 ${curve.floor}%–${curve.target}% 线性计 ${pct(c.share)}`,
                en: `linear ${curve.floor}%–${curve.target}%: ${pct(c.share)}`,
              }
            : { zh: '按比率计分', en: 'share = rate' };
      s = v
        ? {
            share: c.share,
            source: 'survey',
            detail: {
              zh: `${inputs.surveyRound!.name}：${v.texts.join('、')} 比率 ${pct(rate)}，${how.zh}`,
              en: `${inputs.surveyRound!.name}: ${v.texts.join(', ')} rate ${pct(rate)}, ${how.en}`,
            },
          }
        : {
            share: null,
            source: 'survey',
            detail: inputs.surveyRound
              ? {
                  zh: `${inputs.surveyRound.name}没有关联本标准的题目结果`,
                  en: `no question of ${inputs.surveyRound.name} linked to this standard`,
                }
              : { zh: '尚无问卷结果', en: 'no survey results yet' },
          };
    }
    shares.set(n.key, s);
    const contentId = n.parentId!;
    standards.push({
      key: n.key,
      code: n.code,
      itemKey: keyOf.get(parentOf.get(contentId) ?? -1) ?? '',
      contentKey: keyOf.get(contentId) ?? '',
      method: n.method,
      maxScore: n.maxScore,
      share: s.share,
    });
  }
  const itemByKey = new Map(items.map((i) => [i.key, i]));
  // Every event of the framework, judged against this year's test date (and the application).
  const testDate = evidenceWindow(ctx.evidence, year).testDate;
  const effects: { hit: repo.HitRow; effect: THitEffect }[] = hits
    .filter((h) => itemByKey.has(h.itemKey))
    .map((h) => ({
      hit: h,
      effect: hitEffect(itemByKey.get(h.itemKey)!, h.occurredOn, {
        year,
        testDate,
        applicationDate: ctx.campaign.applicationDate,
      }),
    }));
  // The survey floor judges a framework that is scored by a survey: one with no survey standard
  // (the demo's minors' test, judged from material) is not vetoed by the residents' rates.
  const surveyed = standards.some((x) => METHOD_BUCKET[x.method] === 'survey');
  const result = yearScore(
    { methodWeights: ctx.rules.methodWeights, surveyFloor: ctx.rules.surveyFloor },
    standards,
    yearNegatives(effects.map((e) => e.effect)),
    surveyed ? survey.dims : [],
  );
  return { result, standards, shares, surveyRates: survey.dims, effects };
}

/** The projected score of a framework in a cycle year, with the cycle total. */
type FrameworkRef = Awaited<ReturnType<typeof repo.frameworksOf>>[number];

/**
 * One framework scored for `year`, and for the years of the cycle before it (with the default
 * sources); later years are unknown and projected at the latest known score by cycleScore.
 */
async function scoreFramework(
  database: Database,
  actor: Actor,
  campaign: repo.CampaignRow,
  fw: FrameworkRef & { versionId: number },
  q: TProjectionQuery,
  year: number,
  now: Date,
) {
  const db = database.db;
  const years = Array.from({ length: campaign.cycleYears }, (_, i) => campaign.cycleStartYear + i);
  const thisYear = shanghaiYear(now);
  const [nodes, evidence, dossiers, hits, items, inds] = await Promise.all([
    repo.nodesOf(db, fw.versionId),
    repo.evidenceRules(db, campaign.id),
    repo.dossiers(db, fw.id, years),
    repo.hits(db, { frameworkId: fw.id }),
    repo.negativeItems(db, fw.versionId),
    indicatorsRepo.listIndicators(db, { kind: 'all' }, { frameworkId: fw.id }),
  ]);
  const values = await indicatorsRepo.valuesOf(
    db,
    inds.map((i) => i.id),
  );
  const statuses = inds.map((i) => ({
    standardKey: i.standardKey,
    compliant: indicatorStatus(
      i,
      values.filter((v) => v.v.indicatorId === i.id).map(({ v }) => v),
      now,
    ).compliant,
  }));
  const shareMap = standardComplianceShares(statuses);
  const compliance = new Map(
    [...shareMap].map(([k, share]) => {
      const mine = statuses.filter((s) => s.standardKey === k);
      return [k, { share, met: mine.filter((s) => s.compliant === true).length, n: mine.length }];
    }),
  );
  const ctx: Context = {
    database,
    actor,
    campaign,
    frameworkId: fw.id,
    nodes,
    evidence: evidence ?? DEFAULT_EVIDENCE_RULES,
    rules: rulesOf(campaign, fw),
    compliance,
    now,
    calendar: await loadCalendar(db),
  };

  const inputsFor = async (y: number, chosen: boolean): Promise<YearInputs> => {
    const before = yearStart(y + 1);
    const fieldRound = await repo.fieldRound(db, {
      roundId: chosen ? q.roundId : undefined,
      before,
    });
    const surveyRound = await repo.surveyRound(db, {
      campaignId: campaign.id,
      surveyRoundId: chosen ? q.surveyRoundId : undefined,
      before: `${y + 1}-01-01`,
    });
    return { fieldRound, surveyRound };
  };

  const cache = new Map<string, unknown>();
  const mainInputs = await inputsFor(year, true);
  const main = await scoreYear(ctx, year, mainInputs, dossiers, hits, items, cache);
  const perYear: (number | null)[] = [];
  const perStatus: TYearStatus[] = [];
  for (const y of years) {
    if (y === year) {
      perYear.push(y <= thisYear ? main.result.score : null);
      perStatus.push(main.result.status);
    } else if (y > thisYear) {
      perYear.push(null);
      perStatus.push('ok');
    } else {
      const r = await scoreYear(ctx, y, await inputsFor(y, false), dossiers, hits, items, cache);
      perYear.push(r.result.score);
      perStatus.push(r.result.status);
    }
  }
  const weights = ctx.rules.cycleWeights;
  const cycle = cycleScore(weights, perYear);
  // A verdict in a year that counts (weight > 0) is the cycle's; the county preset's first years
  // count for nothing, so their verdicts are shown per year but do not decide the cycle.
  const cycleStatus = perStatus.reduce<TYearStatus>(
    (acc, st, i) => ((weights[i] ?? 0) > 0 ? worstStatus(acc, st) : acc),
    'ok',
  );
  return {
    ctx,
    main,
    mainInputs,
    hits,
    items,
    cycle: {
      ...cycle,
      status: cycleStatus,
      perYear: cycle.perYear.map((p, i) => ({ ...p, year: years[i]!, status: perStatus[i]! })),
    },
  };
}

/** The projected score of a framework in a cycle year, with the cycle total. */
export async function projection(
  database: Database,
  actor: Actor,
  q: TProjectionQuery,
  now = new Date(),
): Promise<TProjection> {
  requirePermission(actor, Permission.ScoreRead);
  const db = database.db;
  const campaign = await repo.campaign(db, q.campaignId);
  if (!campaign) throw scoringErrors.notFound('创建周期', 'campaign', q.campaignId);
  if (campaign.kind !== 'city') {
    throw scoringErrors.invalid(
      '文明细胞测评体系所在的创建周期不计算城市得分',
      'a 文明细胞 (cells) campaign has no city score',
      'campaignId',
    );
  }
  const fws = await repo.frameworksOf(db, campaign.id);
  const fw = q.frameworkId ? fws.find((f) => f.id === q.frameworkId) : fws[0];
  if (!fw) {
    if (q.frameworkId) {
      throw scoringErrors.invalid(
        '该测评体系不属于此创建周期',
        'the framework is not one of this campaign',
        'frameworkId',
      );
    }
    throw scoringErrors.invalid(
      '此创建周期还没有测评体系',
      'the campaign has no framework',
      'campaignId',
    );
  }
  if (fw.versionId === null) {
    throw scoringErrors.invalid(
      '测评体系还没有内容',
      'the framework has no content yet',
      'frameworkId',
    );
  }
  const years = Array.from({ length: campaign.cycleYears }, (_, i) => campaign.cycleStartYear + i);
  const thisYear = shanghaiYear(now);
  const year = q.year ?? Math.min(years.at(-1)!, Math.max(years[0]!, thisYear));
  if (!years.includes(year)) {
    throw scoringErrors.invalid(
      `年份应在创建周期内（${years[0]}–${years.at(-1)}）`,
      `the year must be in the cycle (${years[0]}–${years.at(-1)})`,
      'year',
    );
  }
  if (q.roundId && !(await repo.roundExists(db, q.roundId))) {
    throw scoringErrors.invalid('测评轮次不存在', 'no such inspection round', 'roundId');
  }
  const one = await scoreFramework(
    database,
    actor,
    campaign,
    { ...fw, versionId: fw.versionId },
    q,
    year,
    now,
  );

  // The campaign's frameworks combined by shares and gates (city 80 % + minors' 20 %, gate 85).
  let combined: TProjection['combined'] = null;
  const inCombination = fws
    .map((f) => ({ f, rules: rulesOf(campaign, f) }))
    .filter((x) => x.rules.share !== null || x.rules.gate !== null);
  if (inCombination.length) {
    const parts = [];
    for (const { f, rules } of inCombination) {
      let score = 0;
      let status: TYearStatus = 'ok';
      if (f.id === fw.id) {
        score = one.main.result.score;
        status = one.main.result.status;
      } else if (f.versionId !== null) {
        const other = await scoreFramework(
          database,
          actor,
          campaign,
          { ...f, versionId: f.versionId },
          { ...q, frameworkId: f.id },
          year,
          now,
        );
        score = other.main.result.score;
        status = other.main.result.status;
      }
      parts.push({ id: f.id, name: f.name, share: rules.share, gate: rules.gate, score, status });
    }
    combined = {
      year,
      ...combineFrameworks(parts),
      issues: checkCombinedShares(
        fws.map((f) => ({ name: f.name, share: rulesOf(campaign, f).share })),
      ),
    };
  }
  const unitsOf = await repo.standardUnits(db, fw.versionId);
  return present(one.ctx, {
    fw,
    fws,
    year,
    inputs: one.mainInputs,
    main: one.main,
    hits: one.hits.filter((h) => h.year === year),
    items: one.items,
    unitsOf,
    cycle: one.cycle,
    combined,
    q,
  });
}

function present(
  ctx: Context,
  a: {
    fw: Awaited<ReturnType<typeof repo.frameworksOf>>[number];
    fws: Awaited<ReturnType<typeof repo.frameworksOf>>;
    year: number;
    inputs: YearInputs;
    main: Awaited<ReturnType<typeof scoreYear>>;
    hits: repo.HitRow[];
    items: repo.NegativeItemRow[];
    unitsOf: Map<number, { id: number; name: string }[]>;
    cycle: TProjection['cycle'];
    combined: TProjection['combined'];
    q: TProjectionQuery;
  },
): TProjection {
  const r: TYearScore = a.main.result;
  const byKey = new Map(ctx.nodes.map((n) => [n.key, n]));
  const itemNode = new Map(r.items.map((i) => [i.key, i]));
  const contentNode = new Map(r.contents.map((c) => [c.key, c]));
  // Points of the year's 100 per unit of max score in each part (as core computes it).
  const scale = new Map(
    r.parts.map((p) => {
      const live = r.parts.filter((x) => x.maxScore > 0).reduce((s, x) => s + x.weight, 0);
      return [
        p.bucket,
        p.maxScore === 0 || live === 0 ? 0 : (p.weight * (100 / live)) / p.maxScore,
      ];
    }),
  );
  const round2 = (n: number) => Math.round(n * 100) / 100;
  const std = (s: TScoringStandard) => {
    const n = byKey.get(s.key)!;
    const sh = a.main.shares.get(s.key)!;
    const sc = scale.get(METHOD_BUCKET[s.method]) ?? 0;
    const share = s.share === null ? null : Math.min(1, Math.max(0, s.share));
    return {
      key: s.key,
      code: s.code,
      text: n.text,
      method: s.method,
      bucket: METHOD_BUCKET[s.method],
      maxScore: s.maxScore,
      share: share === null ? null : Math.round(share * 10_000) / 10_000,
      unknown: share === null,
      weightedMax: round2(s.maxScore * sc),
      weightedEarned: round2(s.maxScore * (share ?? 0) * sc),
      source: sh.source,
      detail: sh.detail,
    };
  };
  const items: TProjection['items'] = ctx.nodes
    .filter((n) => n.kind === 'item')
    .map((item) => {
      const contents = ctx.nodes
        .filter((c) => c.kind === 'content' && c.parentId === item.id)
        .map((c) => ({
          key: c.key,
          code: c.code,
          text: c.text,
          ...pick(contentNode.get(c.key)),
          standards: a.main.standards.filter((s) => s.contentKey === c.key).map(std),
        }));
      return {
        key: item.key,
        code: item.code,
        text: item.text,
        ...pick(itemNode.get(item.key)),
        contents,
      };
    });
  const itemByKey = new Map(a.items.map((i) => [i.key, i]));
  return {
    campaign: {
      id: ctx.campaign.id,
      name: ctx.campaign.name,
      cycleStartYear: ctx.campaign.cycleStartYear,
      cycleYears: ctx.campaign.cycleYears,
      methodWeights: ctx.rules.methodWeights,
      surveyFloor: ctx.rules.surveyFloor,
    },
    rules: ctx.rules,
    framework: {
      id: a.fw.id,
      name: a.fw.name,
      versionId: a.fw.versionId!,
      versionNumber: a.fw.versionNumber!,
    },
    frameworks: a.fws.map((f) => ({ id: f.id, name: f.name })),
    year: a.year,
    sources: {
      fieldRound: a.inputs.fieldRound
        ? { ...a.inputs.fieldRound, chosen: a.q.roundId !== undefined }
        : null,
      surveyRound: a.inputs.surveyRound
        ? {
            id: a.inputs.surveyRound.id,
            name: a.inputs.surveyRound.name,
            responses: a.inputs.surveyRound.responses,
            chosen: a.q.surveyRoundId !== undefined,
          }
        : null,
      gradeShares: ctx.evidence.gradeShares,
    },
    yearScore: {
      score: r.score,
      base: r.base,
      deducted: r.deducted,
      status: r.status,
      verdicts: r.verdicts,
      unknown: r.unknown,
      emptyParts: r.emptyParts,
      floor: r.floor,
    },
    parts: r.parts.map((p) => ({ ...p, share: Math.round(p.share * 10_000) / 10_000 })),
    items,
    atRisk: r.atRisk.slice(0, 50).map((x) => {
      const n = byKey.get(x.key)!;
      return {
        ...x,
        text: n.text,
        source: a.main.shares.get(x.key)!.source,
        units: a.unitsOf.get(n.id) ?? [],
      };
    }),
    negatives: presentHits(a.hits, itemByKey),
    negativeEffects: a.main.effects.map(({ hit, effect }) => ({
      hitId: hit.id,
      code: effect.code,
      text: itemByKey.get(hit.itemKey)?.text ?? '',
      occurredOn: effect.occurredOn,
      kinds: effect.consequences.map((c) => c.kind),
      points: effect.consequences.reduce((n, c) => n + (c.kind === 'deduct' ? c.points : 0), 0),
      zh: effect.zh,
      en: effect.en,
    })),
    surveyRates: a.main.surveyRates,
    cycle: a.cycle,
    combined: a.combined,
  };
}

function pick(
  n: { maxScore: number; earned: number; weightedMax: number; weightedEarned: number } | undefined,
) {
  return {
    maxScore: n?.maxScore ?? 0,
    earned: n?.earned ?? 0,
    weightedMax: n?.weightedMax ?? 0,
    weightedEarned: n?.weightedEarned ?? 0,
  };
}
