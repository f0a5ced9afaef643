import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TMockEvaluation, TProjection } from '../../../core/contracts/scoring.js';
import { betaCdf, betaQuantile } from '../../../core/draw/beta.js';
import { periodOf } from '../../../core/frameworks/indicators.js';
import { execRows } from '../../db/client.js';
import { DEMO_PASSWORD } from '../../db/seed/demo-city.data.js';
import { seedDemoCity } from '../../db/seed/demo-city.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';
import { rebuildTallies } from '../surveys/results.service.js';
import { currentCampaignId } from './scoring.repo.js';

// 测评得分预估 and 模拟测评推演 through the API on a small campaign built here, whose answers are
// worked out by hand below.
//
// Campaign: cycle Y−1, Y, Y+1 (Y = this year), weights 20/30/50; parts material 40 / field 40 /
// survey 20; survey floor 80 % written as 'flag_and_cap' before migration 0031 (read as a veto);
// survey rates scored as the rate itself (a campaign from before 0031). One item, two contents,
// six standards:
//   S1 material max 4 — dossier Y approved B (0.8) × indicators met 1/2 → share 0.4 → earns 1.6
//   S2 material max 6 — dossier Y approved A (1.0) → earns 6; dossier Y−1 approved C (0.6)
//   S3 online   max 2 — dossier Y submitted → unknown (0)
//   F1 field    max 5 — checklist items 0 and 1 of type TST
//   F2 simulation max 5 — checklist item 1
//   Q1 survey   max 10 — question Q1 of the survey
// Field, mock round of year Y (latest versions): point A v2 [fail, pass, pass] → F1 1/2 = 0.5,
//   F2 1/1 = 1; point B [pass, pass, na] → F1 1, F2 1. F1 = (0.5 + 1) / 2 = 0.75, F2 = 1.
//   (A's v1 [pass, fail, pass] was corrected and no longer counts.) Field earns 3.75 + 5 = 8.75.
// Survey: 10 eligible answers to Q1, 7 满意 → rate 0.7 → Q1 earns 7. Dimension satisfaction 0.7.
// Year Y: material 40 × 7.6/12 = 25.333; field 40 × 8.75/10 = 35; survey 20 × 7/10 = 14;
//   base 74.333 → 74.33; negative hit N1 (deduct 2, on Y-01-05, within 12 months before the test
//   date Y-12-01) → 72.33; survey 70 % < floor 80 % → the year is vetoed (否决), its total stays.
// Points at risk (points of the 100 lost): S1 4 × 0.6 × 40/12 = 8; S3 2 × 40/12 = 6.67 (unknown);
//   Q1 10 × 0.3 × 20/10 = 6; F1 5 × 0.25 × 40/10 = 5.
// Year Y−1: S2 C 0.6 → material 40 × 3.6/12 = 12; field: the official round of Y−1, point A all
//   failed → 0; no survey round before Y → 0. Score 12.
// Cycle: 0.2 × 12 + 0.3 × 72.33 + 0.5 × 72.33 (Y+1 projected at Y) = 2.4 + 21.699 + 36.165 = 60.26.

let t: TestApp;
let office: Agent;
let leader: Agent;
let unit: Agent;
const Y = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
const ids = {
  campaign: 0,
  framework: 0,
  mockRound: 0,
  officialRound: 0,
  points: [] as number[],
  unit: 0,
  version: 0,
};
const tOld = Date.parse(`${Y - 1}-06-01T02:00:00Z`);
const tNew = Date.parse(`${Y}-01-02T02:00:00Z`);

async function one<T>(q: ReturnType<typeof sql>): Promise<T> {
  const [r] = await execRows<T>(t.database.db, q);
  return r!;
}

async function seedCampaign() {
  const db = t.database.db;
  const unitRow = await one<{ id: number }>(sql`select id from units order by id limit 1`);
  ids.unit = unitRow.id;
  const officeUser = await one<{ id: number }>(sql`select id from users where username = 'office'`);
  const region = await one<{ id: number }>(sql`select id from regions order by id limit 1`);
  ids.campaign = (
    await one<{ id: number }>(sql`insert into campaigns
      (name, cycle_start_year, cycle_years, cycle_weights, method_weights, survey_floor)
      values ('得分测试周期', ${Y - 1}, 3, '[20,30,50]'::jsonb,
        '{"material":40,"field":40,"survey":20}'::jsonb,
        '{"enabled":true,"minRate":80,"effect":"flag_and_cap"}'::jsonb) returning id`)
  ).id;
  ids.framework = (
    await one<{ id: number }>(sql`insert into frameworks (campaign_id, name, level)
      values (${ids.campaign}, '得分测试体系', 'prefecture') returning id`)
  ).id;
  ids.version = (
    await one<{
      id: number;
    }>(sql`insert into framework_versions (framework_id, number, status, source)
      values (${ids.framework}, 1, 'published', '{}'::jsonb) returning id`)
  ).id;
  const node = async (
    parent: number | null,
    kind: string,
    code: string,
    method: string | null,
    max: number | null,
    pos: number,
  ) =>
    (
      await one<{ id: number }>(sql`insert into framework_nodes
        (version_id, parent_id, kind, key, code, text, method, max_score, position)
        values (${ids.version}, ${parent}, ${kind}, ${'k-' + code}, ${code}, ${'文本' + code},
          ${method}, ${max}, ${pos}) returning id`)
    ).id;
  const item = await node(null, 'item', 'I1', null, null, 0);
  const c1 = await node(item, 'content', 'C1', null, null, 0);
  const c2 = await node(item, 'content', 'C2', null, null, 1);
  const s1 = await node(c1, 'standard', 'S1', 'material', 4, 0);
  await node(c1, 'standard', 'S2', 'material', 6, 1);
  await node(c1, 'standard', 'S3', 'online', 2, 2);
  await node(c2, 'standard', 'F1', 'field', 5, 0);
  await node(c2, 'standard', 'F2', 'simulation', 5, 1);
  await node(c2, 'standard', 'Q1', 'survey', 10, 2);
  await db.execute(sql`insert into assignments (version_id, standard_id, lead_unit_id)
    values (${ids.version}, ${s1}, ${ids.unit})`);
  await db.execute(sql`insert into negative_items (version_id, key, code, text, effect, points, position)
    values (${ids.version}, 'k-N1', 'N1', '发生重大安全事故', 'deduct', 2, 0),
           (${ids.version}, 'k-N2', 'N2', '严重失信', 'disqualify', 0, 1)`);
  await db.execute(sql`insert into evidence_dossiers (framework_id, standard_key, year, state, grade)
    values (${ids.framework}, 'k-S1', ${Y}, 'approved', 'B'),
           (${ids.framework}, 'k-S2', ${Y}, 'approved', 'A'),
           (${ids.framework}, 'k-S3', ${Y}, 'submitted', null),
           (${ids.framework}, 'k-S2', ${Y - 1}, 'approved', 'C')`);
  // Two indicators on S1: one met this month, one never reported → compliance 1/2.
  const month = periodOf(new Date(), 'month');
  const ind = await one<{ id: number }>(sql`insert into indicators
    (framework_id, standard_key, name, measure, target, direction, period, start_period, responsible_unit_id)
    values (${ids.framework}, 'k-S1', '亮灯率', '%', 95, 'gte', 'month', ${month}, ${ids.unit}),
           (${ids.framework}, 'k-S1', '完好率', '%', 95, 'gte', 'month', ${month}, ${ids.unit})
    returning id`);
  await db.execute(sql`insert into indicator_values (indicator_id, period, value, client_id)
    values (${ind.id}, ${month}, 97, ${randomUUID()})`);

  // Field: point type TST whose checklist items evidence F1 and F2.
  const checklist = [
    { text: '地面干净', standards: ['F1'] },
    { text: '无乱停放', standards: ['F1', 'F2'] },
    { text: '公益广告', standards: [] },
  ];
  const type = await one<{
    id: number;
  }>(sql`insert into point_types (code, name, sampling, checklist)
    values ('TST', '测试点位', 'random', ${JSON.stringify(checklist)}::jsonb) returning id`);
  for (const name of ['A', 'B', 'C']) {
    ids.points.push(
      (
        await one<{ id: number }>(sql`insert into points (name, type_id, region_id, unit_id)
          values (${'测试点' + name}, ${type.id}, ${region.id}, ${ids.unit}) returning id`)
      ).id,
    );
  }
  const [A, B] = ids.points as [number, number, number];
  const round = async (name: string, kind: string, plan: unknown) =>
    (
      await one<{
        id: number;
      }>(sql`insert into rounds (name, kind, state, plan, region_ids, inspector_ids)
        values (${name}, ${kind}, 'revealed', ${JSON.stringify(plan)}::jsonb, '{}', '{}') returning id`)
    ).id;
  ids.officialRound = await round('去年复测', 'official', [{ type: 'TST', mode: 'all' }]);
  ids.mockRound = await round('今年模拟', 'mock', [{ type: 'TST', mode: 'all' }]);
  const visit = async (
    roundId: number,
    pointId: number,
    results: string[],
    at: number,
    prev?: { id: number; root: number },
  ) => {
    const passed = results.filter((r) => r === 'pass').length;
    const failed = results.filter((r) => r === 'fail').length;
    const items = results.map((result, index) => ({ index, result, photoIds: [] }));
    return (
      await one<{ id: number }>(sql`insert into inspection_visits
        (client_id, root_id, previous_id, version, round_id, point_id, inspector_id, items, visited_at,
         passed, failed, not_applicable, serious_failed, score)
        values (${randomUUID()}, ${prev?.root ?? null}, ${prev?.id ?? null}, ${prev ? 2 : 1},
          ${roundId}, ${pointId}, ${officeUser.id}, ${JSON.stringify(items)}::jsonb,
          ${new Date(at).toISOString()}, ${passed}, ${failed}, ${results.length - passed - failed}, 0,
          ${passed + failed ? passed / (passed + failed) : null}) returning id`)
    ).id;
  };
  await visit(ids.officialRound, A, ['fail', 'fail', 'fail'], tOld);
  const a1 = await visit(ids.mockRound, A, ['pass', 'fail', 'pass'], tNew);
  await db.execute(sql`update inspection_visits set root_id = id where id = ${a1}`);
  await visit(ids.mockRound, A, ['fail', 'pass', 'pass'], tNew + 3_600_000, { id: a1, root: a1 });
  await visit(ids.mockRound, B, ['pass', 'pass', 'na'], tNew);
  // An open problem at B (counted against it in the mock evaluation).
  const cat = await one<{ id: number }>(sql`insert into problem_categories (code, name)
    values ('TST01', '测试类别') returning id`);
  await db.execute(sql`insert into problems (code, title, category_id, channel, state, point_id)
    values ('T-1', '测试问题', ${cat.id}, 'inspection', 'dispatched', ${B})`);

  // Survey: 10 eligible answers to Q1 (7 满意) in a round of this year.
  const survey = await one<{ id: number }>(sql`insert into surveys (name, campaign_id)
    values ('得分测试问卷', ${ids.campaign}) returning id`);
  const questions = [
    {
      id: 'Q1',
      kind: 'single',
      text: '您对城市环境满意吗',
      options: ['满意', '不满意', '说不清'],
      dimension: 'satisfaction',
      favourable: ['满意'],
      dontKnow: ['说不清'],
      standardKeys: ['k-Q1'],
    },
  ];
  const qn = await one<{ id: number }>(sql`insert into survey_questionnaires
    (survey_id, "group", group_label, number, status, title, questions)
    values (${survey.id}, 'A', '市民', 1, 'published', '问卷', ${JSON.stringify(questions)}::jsonb)
    returning id`);
  const sr = await one<{ id: number }>(sql`insert into survey_rounds
    (survey_id, name, starts_on, ends_on, floor_percent)
    values (${survey.id}, '今年入户', ${`${Y}-01-01`}, ${`${Y}-01-31`}, 80) returning id`);
  const quota = await one<{ id: number }>(sql`insert into survey_quotas
    (round_id, region_id, "group", target, public_token)
    values (${sr.id}, ${region.id}, 'A', 10, ${randomUUID()}) returning id`);
  for (let i = 0; i < 10; i++) {
    await db.execute(sql`insert into survey_responses
      (client_id, round_id, quota_id, questionnaire_id, channel, household_code, age,
       resident_months, eligible, answers, submitted_at)
      values (${randomUUID()}, ${sr.id}, ${quota.id}, ${qn.id}, 'self', ${'H' + i}, 30, 24, true,
        ${JSON.stringify({ Q1: i < 7 ? '满意' : '不满意' })}::jsonb, ${new Date(tNew).toISOString()})`);
  }
  await rebuildTallies(db, sr.id);
}

beforeAll(async () => {
  t = await createTestApp();
  await seedDemoCity(t.database);
  await seedCampaign();
  office = await t.login('office', DEMO_PASSWORD);
  leader = await t.login('leader', DEMO_PASSWORD);
  unit = await t.login('unit', DEMO_PASSWORD);
});
afterAll(() => t.close());

const projectionUrl = (extra = '') =>
  `/api/scoring/projection?campaignId=${ids.campaign}&year=${Y}${extra}`;

describe('projected score', () => {
  let hitId = 0;
  let hitVersion = 0;

  it('records a negative-list hit (the office) and validates it', async () => {
    const bad = await office.post('/api/negative-hits', {
      frameworkId: ids.framework,
      itemKey: 'k-NOPE',
      year: Y,
      occurredOn: `${Y}-01-05`,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/负面清单|negative/);
    const outOfCycle = await office.post('/api/negative-hits', {
      frameworkId: ids.framework,
      itemKey: 'k-N1',
      year: Y + 5,
      occurredOn: `${Y}-01-05`,
    });
    expect(outOfCycle.statusCode).toBe(400);
    const future = await office.post('/api/negative-hits', {
      frameworkId: ids.framework,
      itemKey: 'k-N1',
      year: Y,
      occurredOn: `${Y + 2}-01-05`,
    });
    expect(future.statusCode).toBe(400);
    const malformed = await office.post('/api/negative-hits', {
      frameworkId: ids.framework,
      itemKey: 'k-N1',
      year: Y,
      occurredOn: 'yesterday',
    });
    expect(malformed.statusCode).toBe(400);
    expect(
      (
        await leader.post('/api/negative-hits', {
          frameworkId: ids.framework,
          itemKey: 'k-N1',
          year: Y,
          occurredOn: `${Y}-01-05`,
        })
      ).statusCode,
    ).toBe(403);
    const ok = await office.post('/api/negative-hits', {
      frameworkId: ids.framework,
      itemKey: 'k-N1',
      year: Y,
      occurredOn: `${Y}-01-05`,
      note: '某工地坍塌',
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ code: 'N1', effect: 'deduct', points: 2, year: Y });
    hitId = ok.json().id as number;
    hitVersion = ok.json().version as number;
    const opts = await leader.get(`/api/negative-hits/options?frameworkId=${ids.framework}`);
    expect(opts.json()).toMatchObject({
      years: [Y - 1, Y, Y + 1],
      items: [
        { key: 'k-N1', code: 'N1', effect: 'deduct', points: 2 },
        { key: 'k-N2', code: 'N2', effect: 'disqualify' },
      ],
    });
    expect((await office.get('/api/negative-hits/options?frameworkId=999999')).statusCode).toBe(
      404,
    );
    const listed = await leader.get(`/api/negative-hits?frameworkId=${ids.framework}&year=${Y}`);
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toHaveLength(1);
    expect((await unit.get(`/api/negative-hits?frameworkId=${ids.framework}`)).statusCode).toBe(
      403,
    );
  });

  it('computes the year score, breakdown, points at risk and cycle total (known answers)', async () => {
    const res = await leader.get(projectionUrl());
    expect(res.statusCode).toBe(200);
    const p = res.json<TProjection>();
    expect(p.framework.id).toBe(ids.framework);
    expect(p.sources.fieldRound).toMatchObject({ id: ids.mockRound, visits: 2, chosen: false });
    expect(p.sources.surveyRound).toMatchObject({ responses: 10 });
    const part = (b: string) => p.parts.find((x) => x.bucket === b)!;
    expect(part('material')).toMatchObject({ maxScore: 12, earned: 7.6, points: 25.33 });
    expect(part('field')).toMatchObject({ maxScore: 10, earned: 8.75, points: 35 });
    expect(part('survey')).toMatchObject({ maxScore: 10, earned: 7, points: 14 });
    expect(p.yearScore).toMatchObject({
      base: 74.33,
      deducted: 2,
      score: 72.33,
      status: 'vetoed',
      verdicts: ['vetoed'],
      unknown: 1,
      floor: { below: ['satisfaction'], effect: 'veto', vetoed: true, deducted: 0 },
    });
    expect(p.rules).toMatchObject({
      surveyCurve: { kind: 'rate' },
      cycleWeights: [20, 30, 50],
      share: null,
      gate: null,
    });
    expect(p.negativeEffects).toEqual([
      expect.objectContaining({
        code: 'N1',
        kinds: ['deduct'],
        points: 2,
        zh: `${Y}-01-05 发生（${Y} 年测评日 ${Y}-12-01）：扣 2 分`,
      }),
    ]);
    expect(p.combined).toBeNull();
    const std = (code: string) =>
      p.items[0]!.contents.flatMap((c) => c.standards).find((s) => s.code === code)!;
    expect(std('S1')).toMatchObject({ share: 0.4, source: 'evidence', unknown: false });
    expect(std('S1').detail.zh).toContain('指标达标 1/2');
    expect(std('S3')).toMatchObject({ share: null, unknown: true, source: 'evidence' });
    expect(std('F1')).toMatchObject({ share: 0.75, source: 'field', weightedMax: 20 });
    expect(std('F2')).toMatchObject({ share: 1, source: 'field' });
    expect(std('Q1')).toMatchObject({ share: 0.7, source: 'survey', weightedEarned: 14 });
    expect(p.items[0]!.contents.map((c) => c.weightedEarned)).toEqual([25.33, 49]);
    expect(p.atRisk.map((r) => [r.code, r.lost])).toEqual([
      ['S1', 8],
      ['S3', 6.67],
      ['Q1', 6],
      ['F1', 5],
    ]);
    expect(p.atRisk[0]!.units.map((u) => u.id)).toEqual([ids.unit]);
    expect(p.negatives.map((n) => n.code)).toEqual(['N1']);
    expect(p.surveyRates).toEqual([{ dimension: 'satisfaction', rate: 0.7 }]);
    expect(p.cycle.perYear).toEqual([
      { year: Y - 1, weight: 20, score: 12, known: true, status: 'ok' },
      { year: Y, weight: 30, score: 72.33, known: true, status: 'vetoed' },
      { year: Y + 1, weight: 50, score: 72.33, known: false, status: 'ok' },
    ]);
    expect(p.cycle).toMatchObject({ total: 60.26, projected: true, status: 'vetoed' });
  });

  it('takes the chosen round: the official round of last year gives field 0', async () => {
    const p = (
      await office.get(projectionUrl(`&roundId=${ids.officialRound}`))
    ).json<TProjection>();
    expect(p.sources.fieldRound).toMatchObject({ id: ids.officialRound, chosen: true });
    expect(p.parts.find((x) => x.bucket === 'field')).toMatchObject({ earned: 0, points: 0 });
    // 25.33 + 0 + 14 − 2 = 37.33 (unrounded 39.333 − 2).
    expect(p.yearScore.score).toBe(37.33);
  });

  it('a disqualifying hit marks the year 取消资格 (the total stays); deleting it clears it', async () => {
    const hit = await office.post('/api/negative-hits', {
      frameworkId: ids.framework,
      itemKey: 'k-N2',
      year: Y,
      occurredOn: `${Y}-01-06`,
    });
    expect(hit.statusCode).toBe(201);
    const p = (await office.get(projectionUrl())).json<TProjection>();
    expect(p.yearScore).toMatchObject({
      status: 'disqualified',
      verdicts: ['disqualified', 'vetoed'],
      score: 72.33,
    });
    const h = hit.json<{ id: number; version: number }>();
    expect(
      (await office.delete(`/api/negative-hits/${h.id}?version=${h.version + 1}`)).statusCode,
    ).toBe(409);
    expect(
      (await office.delete(`/api/negative-hits/${h.id}?version=${h.version}`)).statusCode,
    ).toBe(204);
    expect((await office.get(projectionUrl())).json<TProjection>().yearScore).toMatchObject({
      score: 72.33,
      status: 'vetoed',
    });
    expect(hitId).toBeGreaterThan(0);
    expect(hitVersion).toBe(1);
  });

  it('the framework’s own rules: banded survey curve, a deducting floor (docs/scoring.md)', async () => {
    const fw = (await office.get(`/api/frameworks/${ids.framework}`)).json<{ version: number }>();
    const bad = await office.patch(`/api/frameworks/${ids.framework}`, {
      version: fw.version,
      rules: { methodWeights: { material: 40, field: 40, survey: 10 } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('90%');
    const badCurve = await office.patch(`/api/frameworks/${ids.framework}`, {
      version: fw.version,
      rules: { surveyCurve: { kind: 'linear', floor: 90, target: 60 } },
    });
    expect(badCurve.statusCode).toBe(400);
    const ok = await office.patch(`/api/frameworks/${ids.framework}`, {
      version: fw.version,
      rules: {
        // The older edition's bands (BRIEF §1.1): 70 % is C, which earns half.
        surveyCurve: {
          kind: 'bands',
          bands: [
            { grade: 'A', above: 75, share: 100 },
            { grade: 'B', above: 70, share: 75 },
            { grade: 'C', above: 50, share: 50 },
            { grade: 'C#', above: null, share: 0 },
          ],
        },
        surveyFloor: { enabled: true, minRate: 80, effect: 'deduct', points: 3 },
      },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().effectiveRules.sources).toMatchObject({
      surveyCurve: 'framework',
      surveyFloor: 'framework',
      methodWeights: 'campaign',
    });
    try {
      const p = (await office.get(projectionUrl())).json<TProjection>();
      const q1 = p.items[0]!.contents.flatMap((c) => c.standards).find((s) => s.code === 'Q1')!;
      // Q1: rate 70 % → C → 50 % of 10 = 5 → survey 20 × 5/10 = 10 points (was 14).
      expect(q1).toMatchObject({ share: 0.5, weightedEarned: 10 });
      expect(q1.detail.zh).toContain('评为 C');
      // 25.33 + 35 + 10 = 70.33; − 2 (N1) − 3 (the floor) = 65.33; no veto.
      expect(p.yearScore).toMatchObject({
        base: 70.33,
        deducted: 5,
        score: 65.33,
        status: 'ok',
        floor: { below: ['satisfaction'], effect: 'deduct', vetoed: false, deducted: 3 },
      });
    } finally {
      const now = (await office.get(`/api/frameworks/${ids.framework}`)).json<{
        version: number;
      }>();
      const back = await office.patch(`/api/frameworks/${ids.framework}`, {
        version: now.version,
        rules: {},
      });
      expect(back.statusCode).toBe(200);
    }
  });

  it('combines frameworks by share and gate: city 80 % + minors 20 %, gate 85 (BRIEF §1.1)', async () => {
    const db = t.database.db;
    const minors = (
      await one<{ id: number }>(sql`insert into frameworks (campaign_id, name, level, rules)
        values (${ids.campaign}, '未成年人思想道德建设测评', 'prefecture',
          '{"share":20,"gate":85}'::jsonb) returning id`)
    ).id;
    const v = (
      await one<{
        id: number;
      }>(sql`insert into framework_versions (framework_id, number, status, source)
        values (${minors}, 1, 'published', '{}'::jsonb) returning id`)
    ).id;
    const item = (
      await one<{ id: number }>(sql`insert into framework_nodes
        (version_id, parent_id, kind, key, code, text, position)
        values (${v}, null, 'item', 'm-I1', 'W1', '未成年人', 0) returning id`)
    ).id;
    const content = (
      await one<{ id: number }>(sql`insert into framework_nodes
        (version_id, parent_id, kind, key, code, text, position)
        values (${v}, ${item}, 'content', 'm-C1', 'W1.1', '思想道德教育', 0) returning id`)
    ).id;
    await db.execute(sql`insert into framework_nodes
      (version_id, parent_id, kind, key, code, text, method, max_score, position)
      values (${v}, ${content}, 'standard', 'm-S1', 'W1.1.1', '有工作机制', 'material', 100, 0)`);
    await db.execute(sql`insert into evidence_dossiers (framework_id, standard_key, year, state, grade)
      values (${minors}, 'm-S1', ${Y}, 'approved', 'A')`);
    const f = (await office.get(`/api/frameworks/${ids.framework}`)).json<{ version: number }>();
    expect(
      (
        await office.patch(`/api/frameworks/${ids.framework}`, {
          version: f.version,
          rules: { share: 80 },
        })
      ).statusCode,
    ).toBe(200);
    try {
      // The minors' framework: material only, approved A → 100. City 72.33 (vetoed).
      const p = (await office.get(projectionUrl())).json<TProjection>();
      expect(p.combined).toMatchObject({
        year: Y,
        total: 77.86, // 0.8 × 72.33 + 0.2 × 100 = 57.864 + 20
        gatesFailed: [],
        status: 'vetoed',
        issues: [],
      });
      expect(p.combined!.parts.map((x) => [x.name, x.score, x.points, x.gatePassed])).toEqual([
        ['得分测试体系', 72.33, 57.86, null],
        ['未成年人思想道德建设测评', 100, 20, true],
      ]);
      // Graded C (60 %): under the gate of 85, the city may not apply.
      await db.execute(sql`update evidence_dossiers set grade = 'C'
        where framework_id = ${minors} and standard_key = 'm-S1'`);
      const low = (await office.get(projectionUrl())).json<TProjection>();
      expect(low.combined).toMatchObject({
        total: 69.86,
        gatesFailed: ['未成年人思想道德建设测评'],
        status: 'barred',
      });
      const campaign = (await office.get(`/api/campaigns/${ids.campaign}`)).json<{
        combineIssues: unknown[];
      }>();
      expect(campaign.combineIssues).toEqual([]);
    } finally {
      const now = (await office.get(`/api/frameworks/${ids.framework}`)).json<{
        version: number;
      }>();
      await office.patch(`/api/frameworks/${ids.framework}`, { version: now.version, rules: {} });
      await db.execute(sql`delete from evidence_dossiers where framework_id = ${minors}`);
      await db.execute(sql`delete from framework_nodes where version_id = ${v}`);
      await db.execute(sql`delete from framework_versions where id = ${v}`);
      await db.execute(sql`delete from frameworks where id = ${minors}`);
    }
    expect((await office.get(projectionUrl())).json<TProjection>().combined).toBeNull();
  });

  it('整体观察 standards take the round’s 1–5 ratings: (mean − 1) ÷ 4 (docs/scoring.md §2)', async () => {
    const db = t.database.db;
    const c2 = await one<{ id: number }>(sql`select id from framework_nodes
      where version_id = ${ids.version} and code = 'C2'`);
    await db.execute(sql`insert into framework_nodes
      (version_id, parent_id, kind, key, code, text, method, max_score, position)
      values (${ids.version}, ${c2.id}, 'standard', 'k-O1', 'O1', '整体观察', 'overall', 5, 3)`);
    // The round's latest visits: A (the correction) rated 4/3/5/4, B rated 2/3/3/4.
    await db.execute(sql`update inspection_visits v set ratings = case
        when v.point_id = ${ids.points[0]!} then '{"environment":4,"civility":3,"facilities":5,"atmosphere":4}'::jsonb
        else '{"environment":2,"civility":3,"facilities":3,"atmosphere":4}'::jsonb end
      where v.round_id = ${ids.mockRound}
        and not exists (select 1 from inspection_visits c where c.previous_id = v.id)`);
    try {
      const p = (await office.get(projectionUrl())).json<TProjection>();
      const o1 = p.items[0]!.contents.flatMap((c) => c.standards).find((x) => x.code === 'O1')!;
      // Mean 3.5 → (3.5 − 1) ÷ 4 = 0.625; field: (3.75 + 5 + 5 × 0.625) ÷ 15 of 40.
      expect(o1).toMatchObject({ share: 0.625, source: 'field', bucket: 'field' });
      expect(o1.detail.zh).toContain('2 次整体评价平均 3.50 分');
      expect(p.parts.find((x) => x.bucket === 'field')).toMatchObject({
        maxScore: 15,
        earned: 11.88,
        points: 31.67,
      });
    } finally {
      await db.execute(
        sql`update inspection_visits set ratings = null where round_id = ${ids.mockRound}`,
      );
      await db.execute(
        sql`delete from framework_nodes where version_id = ${ids.version} and code = 'O1'`,
      );
    }
  });

  it('refuses bad queries with bilingual 4xx and other roles with 403', async () => {
    const outside = await office.get(
      `/api/scoring/projection?campaignId=${ids.campaign}&year=${Y + 3}`,
    );
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.message).toMatch(/创建周期|cycle/);
    expect(outside.json().error.fields[0].path).toBe('year');
    expect((await office.get('/api/scoring/projection?campaignId=999999')).statusCode).toBe(404);
    expect((await office.get('/api/scoring/projection?campaignId=abc')).statusCode).toBe(400);
    expect((await office.get(projectionUrl('&frameworkId=999999'))).statusCode).toBe(400);
    expect((await office.get(projectionUrl('&roundId=999999'))).statusCode).toBe(400);
    expect((await unit.get(projectionUrl())).statusCode).toBe(403);
  });

  it('a 文明细胞 (cells) campaign starting later never becomes the current one, nor is it scored', async () => {
    // Without kinds, a campaign covering this year and started later would be "current".
    const created = await office.post('/api/campaigns', {
      name: '文明单位测评（得分测试）',
      kind: 'cells',
      cycleStartYear: Y,
      cycleYears: 3,
      cycleWeights: [20, 30, 50],
      methodWeights: { material: 40, field: 40, survey: 20 },
      surveyFloor: { enabled: false, minRate: 0, effect: 'veto' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const cells = created.json<{ id: number; kind: string }>();
    expect(cells.kind).toBe('cells');
    const fw = await office.post('/api/frameworks', {
      campaignId: cells.id,
      name: '文明单位测评体系（得分测试）',
      level: 'prefecture',
    });
    expect(fw.statusCode).toBe(201);
    for (const year of [Y, Y + 1, Y + 3]) {
      expect(await currentCampaignId(t.database.db, year)).toBe(ids.campaign);
    }
    // The outlook printed beside the mock evaluation is the city's campaign's.
    const mock = await office.post('/api/scoring/mock-evaluation', {
      roundId: ids.mockRound,
      runs: 200,
    });
    expect(mock.statusCode).toBe(200);
    expect(mock.json<TMockEvaluation>().outlook?.campaign.id).toBe(ids.campaign);
    // Its own projection is refused in both languages.
    const refused = await office.get(`/api/scoring/projection?campaignId=${cells.id}&year=${Y}`);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatchObject({
      message: '文明细胞测评体系所在的创建周期不计算城市得分',
      messageEn: 'a 文明细胞 (cells) campaign has no city score',
    });
    expect(refused.json().error.fields[0].path).toBe('campaignId');
    // Only a city campaign with a framework is current: with the city's framework-less, none is.
    await office.post('/api/campaigns', {
      name: '后续城市周期（无体系）',
      cycleStartYear: Y + 1,
      cycleYears: 1,
      cycleWeights: [100],
      methodWeights: { material: 40, field: 40, survey: 20 },
      surveyFloor: { enabled: false, minRate: 0, effect: 'veto' },
    });
    expect(await currentCampaignId(t.database.db, Y + 1)).toBe(ids.campaign);
  });
});

describe('mock evaluation', () => {
  const day = 86_400_000;
  // Point states by hand (pointState, half-life 90 days, 0.05 per open problem):
  //   A: last year's 0 (age now − tOld) and this year's 2/3 (the correction, age now − tNew − 1 h)
  //      weighted 0.5^(age / 90 d); B: 1 − 0.05 (one open problem) = 0.95.
  //   C: never visited — assumed from type TST's visited points (issue #19): city rate
  //      Beta(1 + sA + 1, 1 + (1 − sA) + 0), mean c = (2 + sA) / 4; TST's rate
  //      Beta(2c + sA + 1, 2(1 − c) + (1 − sA)), mean (2c + sA + 1) / 4 — drawn in each run.
  const stateA = () => {
    const now = Date.now();
    const w0 = 0.5 ** ((now - tOld) / (90 * day));
    const w1 = 0.5 ** ((now - tNew - 3_600_000) / (90 * day));
    return (w1 * (2 / 3)) / (w0 + w1);
  };
  const rateTST = () => {
    const sA = stateA();
    const c = (2 + sA) / 4;
    return { c, alpha: 2 * c + sA + 1, beta: 2 * (1 - c) + (1 - sA) };
  };
  const stateC = () => {
    const r = rateTST();
    return r.alpha / (r.alpha + r.beta);
  };

  it('from a round plan (all points drawn): C assumed from its type, the spread is its uncertainty', async () => {
    const res = await leader.post('/api/scoring/mock-evaluation', {
      roundId: ids.mockRound,
      runs: 4000,
      target: 0.5,
    });
    expect(res.statusCode).toBe(200);
    const m = res.json<TMockEvaluation>();
    const mean = (stateA() + 0.95 + stateC()) / 3;
    expect(m).toMatchObject({
      points: 3,
      withVisits: 2,
      openProblems: 1,
      drawnPerRun: 3,
      runs: 4000,
    });
    expect(m.expected).toBeCloseTo(mean, 3);
    expect(Math.abs(m.mean - mean)).toBeLessThan(0.01);
    // Every point is drawn, so all the spread is C's unknown rate: sd = sd(θ) / 3.
    const { alpha, beta } = rateTST();
    const sdTheta = Math.sqrt((alpha * beta) / ((alpha + beta) ** 2 * (alpha + beta + 1)));
    expect(m.sd).toBeGreaterThan(0.8 * (sdTheta / 3));
    expect(m.sd).toBeLessThan(1.2 * (sdTheta / 3));
    expect(m.p5).toBeLessThan(m.expected);
    expect(m.p95).toBeGreaterThan(m.expected);
    // Reaching 0.5 needs θ ≥ 1.5 − sA − 0.95.
    const pExact = 1 - betaCdf(1.5 - stateA() - 0.95, alpha, beta);
    expect(Math.abs(m.pTarget - pExact)).toBeLessThan(0.03);
    expect(m.coverage).toEqual({
      points: 3,
      visited: 2,
      assumedShare: 0.3333,
      cityRate: { mean: expect.closeTo(rateTST().c, 4), visited: 2 },
      types: [
        {
          type: 'TST',
          typeName: '测试点位',
          points: 3,
          visited: 2,
          // A: last year's official visit and this year's corrected one; B: one. Items answered
          // pass or fail: 3 + 3 + 2 (B's third was not applicable).
          visits: 3,
          items: 8,
          basis: 'type',
          mean: expect.closeTo(stateC(), 4),
          low: expect.closeTo(betaQuantile(0.05, alpha, beta), 4),
          high: expect.closeTo(betaQuantile(0.95, alpha, beta), 4),
        },
      ],
    });
    expect(m.verdict).toEqual({
      level: 'partly',
      text: {
        zh: '部分依据推定：3 个点位中 1 个从未检查（约占每次抽取的 33%），按同类点位的检查结果推算。',
        en: 'Partly assumed: 1 of the 3 points has never been inspected (about 33 % of each draw); their scores are inferred from inspected points of the same type.',
      },
    });
    // Gains (1 − expected score) / 3: A first (lowest), then C (assumed), then B (0.95).
    const [A, B, C] = ids.points;
    expect(m.whereToAct.map((w) => w.pointId)).toEqual([A, C, B]);
    expect(m.whereToAct[0]!.gain).toBeCloseTo((1 - stateA()) / 3, 5);
    expect(m.whereToAct[0]).toMatchObject({ assumed: false, visits: 2 });
    expect(m.whereToAct[1]).toMatchObject({ assumed: true, visits: 0 });
    expect(m.whereToAct[1]!.score).toBeCloseTo(stateC(), 4);
    expect(m.whereToAct[2]).toMatchObject({ score: 0.95, openProblems: 1, visits: 1 });
    expect(m.whereToAct[0]!.unit?.id).toBe(ids.unit);
  });

  it('from a given plan (one of three drawn): the distribution and the target probability', async () => {
    const res = await office.post('/api/scoring/mock-evaluation', {
      plan: [{ type: 'TST', mode: 'random', count: 1 }],
      runs: 6000,
      target: 0.9,
      seed: 7,
    });
    expect(res.statusCode).toBe(200);
    const m = res.json<TMockEvaluation>();
    // B (0.95) reaches 0.9; C when its drawn rate does; A never: P = 1/3 + 1/3 · P(θ ≥ 0.9).
    const { alpha, beta } = rateTST();
    const pExact = 1 / 3 + (1 - betaCdf(0.9, alpha, beta)) / 3;
    expect(Math.abs(m.pTarget - pExact)).toBeLessThan(0.03);
    expect(Math.abs(m.mean - m.expected)).toBeLessThan(0.02);
    expect(m.histogram).toHaveLength(20);
    expect(m.histogram.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
    // B (0.95) falls in bin 19; C no longer sits at 0.8 (bin 16) but spreads over the range.
    expect(m.histogram[19]).toBeGreaterThan(0.3);
    expect(m.histogram[16]).toBeLessThan(0.15);
    expect(m.histogram.filter((h) => h > 0).length).toBeGreaterThan(8);
    expect(m.coverage.assumedShare).toBe(0.3333);
    const again = await office.post('/api/scoring/mock-evaluation', {
      plan: [{ type: 'TST', mode: 'random', count: 1 }],
      runs: 6000,
      target: 0.9,
      seed: 7,
    });
    expect(again.json<TMockEvaluation>().histogram).toEqual(m.histogram);
  });

  it('most points never inspected: a wide range, per-type coverage and the verdict in words', async () => {
    // Type TS2: 10 points, two inspected (1/3 each: mostly failing); type TS3: 4 points, none.
    const db = t.database.db;
    const region = await one<{ id: number }>(sql`select id from regions order by id limit 1`);
    const inspector = await one<{ id: number }>(
      sql`select id from users where username = 'office'`,
    );
    const round = await one<{ id: number }>(sql`insert into rounds
        (name, kind, state, plan, region_ids, inspector_ids)
      values ('推定测试督查', 'supervision', 'revealed', '[]'::jsonb, '{}', '{}') returning id`);
    const pointIds: Record<string, number[]> = { TS2: [], TS3: [] };
    for (const [code, n] of [
      ['TS2', 10],
      ['TS3', 4],
    ] as const) {
      const type = await one<{ id: number }>(sql`insert into point_types
          (code, name, sampling, checklist)
        values (${code}, ${'推定' + code}, 'random',
          '[{"text":"甲","standards":[]},{"text":"乙","standards":[]},{"text":"丙","standards":[]}]'::jsonb)
        returning id`);
      for (let i = 0; i < n; i++) {
        pointIds[code]!.push(
          (
            await one<{ id: number }>(sql`insert into points (name, type_id, region_id)
              values (${`${code}-${i}`}, ${type.id}, ${region.id}) returning id`)
          ).id,
        );
      }
    }
    for (const [k, results] of [
      ['fail', 'fail', 'pass'],
      ['fail', 'pass', 'fail'],
    ].entries()) {
      const items = results.map((result, index) => ({ index, result, photoIds: [] }));
      await db.execute(sql`insert into inspection_visits
        (client_id, version, round_id, point_id, inspector_id, items, visited_at,
         passed, failed, not_applicable, serious_failed, score)
        values (${randomUUID()}, 1, ${round.id}, ${pointIds.TS2![k]!}, ${inspector.id},
          ${JSON.stringify(items)}::jsonb, now(), 1, 2, 0, 0, ${1 / 3})`);
    }
    const res = await office.post('/api/scoring/mock-evaluation', {
      plan: [
        { type: 'TS2', mode: 'random', count: 4 },
        { type: 'TS3', mode: 'random', count: 2 },
      ],
      runs: 4000,
      target: 0.85,
    });
    expect(res.statusCode, res.body).toBe(200);
    const m = res.json<TMockEvaluation>();
    // City rate Beta(1 + 2/3, 1 + 4/3): c = 5/12. TS2: Beta(2c + 2/3, 2(1 − c) + 4/3), mean
    // (2c + 2/3) / 4 = 0.375; TS3 (never inspected): Beta(2c, 2(1 − c)), mean c.
    const c = 5 / 12;
    expect(m.coverage).toMatchObject({
      points: 14,
      visited: 2,
      // Unvisited in a draw of 6: TS2 8 × 4/10, TS3 all 4 × 2/4.
      assumedShare: expect.closeTo((8 * 0.4 + 4 * 0.5) / 6, 4),
      cityRate: { mean: expect.closeTo(c, 4), visited: 2 },
      types: [
        {
          type: 'TS2',
          typeName: '推定TS2',
          points: 10,
          visited: 2,
          visits: 2,
          items: 6,
          basis: 'type',
          mean: expect.closeTo(0.375, 4),
        },
        {
          type: 'TS3',
          points: 4,
          visited: 0,
          visits: 0,
          items: 0,
          basis: 'city',
          mean: expect.closeTo(c, 4),
        },
      ],
    });
    const ts3 = m.coverage.types[1]!;
    expect(ts3.low).toBeCloseTo(betaQuantile(0.05, 2 * c, 2 * (1 - c)), 4);
    expect(ts3.high - ts3.low).toBeGreaterThan(0.8);
    // The expectation follows the failing inspections, not an 80 % default; the range is wide.
    // TS2: each point drawn with chance 4/10 (two at 1/3, eight assumed at 0.375); TS3: 2/4.
    const exact = (0.4 * (2 * (1 / 3) + 8 * 0.375) + 0.5 * (4 * c)) / 6;
    expect(m.expected).toBeCloseTo(exact, 3);
    expect(m.p95 - m.p5).toBeGreaterThan(0.3);
    expect(m.verdict.level).toBe('assumed');
    expect(m.verdict.text.zh).toMatch(/^结果主要依据推定：14 个点位中 12 个从未检查/);
    expect(m.verdict.text.zh).toContain('按同类点位的检查结果推算');
    expect(m.verdict.text.en).toMatch(
      /^The result rests mostly on assumptions: 12 of the 14 points/,
    );
    // Where to act: every entry says whether its state was seen or assumed.
    const inspected = new Set(pointIds.TS2!.slice(0, 2));
    for (const w of m.whereToAct) expect(w.assumed).toBe(!inspected.has(w.pointId));
  });

  it('refuses bad input (bilingual 400/404) and roles without the permission', async () => {
    const tooMany = await office.post('/api/scoring/mock-evaluation', {
      roundId: ids.mockRound,
      runs: 30_000,
    });
    expect(tooMany.statusCode).toBe(400);
    const both = await office.post('/api/scoring/mock-evaluation', {
      roundId: ids.mockRound,
      plan: [{ type: 'TST', mode: 'all' }],
    });
    expect(both.statusCode).toBe(400);
    expect(both.json().error.message).toMatch(/二选一|either/);
    const neither = await office.post('/api/scoring/mock-evaluation', { runs: 10 });
    expect(neither.statusCode).toBe(400);
    const badType = await office.post('/api/scoring/mock-evaluation', {
      plan: [{ type: 'NOPE', mode: 'all' }],
    });
    expect(badType.statusCode).toBe(400);
    expect(badType.json().error.message).toMatch(/点位类型|point type/);
    // A type without points: nothing to draw (400, not a distribution of zeros).
    await execRows(
      t.database.db,
      sql`insert into point_types (code, name, sampling, checklist)
          values ('EMPTY', '无点位类型', 'random', '[]'::jsonb)`,
    );
    const empty = await office.post('/api/scoring/mock-evaluation', {
      plan: [{ type: 'EMPTY', mode: 'random', count: 2 }],
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.message).toMatch(/没有可抽取的点位|no points to draw/);
    // Beside a type with points it only adds nothing: 3 eligible, 1 drawn per run.
    const mixed = await office.post('/api/scoring/mock-evaluation', {
      plan: [
        { type: 'EMPTY', mode: 'all' },
        { type: 'TST', mode: 'random', count: 5 },
      ],
      runs: 100,
    });
    expect(mixed.statusCode, mixed.body).toBe(200);
    expect(mixed.json<TMockEvaluation>()).toMatchObject({
      points: 3,
      drawnPerRun: 3,
      plan: [
        { type: 'EMPTY', mode: 'all', count: null, eligible: 0 },
        { type: 'TST', mode: 'random', count: 5, eligible: 3 },
      ],
    });
    expect(
      (await office.post('/api/scoring/mock-evaluation', { roundId: 999_999 })).statusCode,
    ).toBe(404);
    expect(
      (await unit.post('/api/scoring/mock-evaluation', { roundId: ids.mockRound })).statusCode,
    ).toBe(403);
  });
});
