import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  TQuestionnaire,
  TQuotaBoard,
  TResponse,
  TResults,
} from '../../../core/contracts/surveys.js';
import { buildRegion, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';

// Rules per respondent group and the two collection modes through the API: group S (pupils of
// the minors' test: 6–18, residence not asked) beside group A (residents: 18–65 and resident ≥ 6
// months, BRIEF §3); household quotas and street-interview quotas (随机街访; Jinan 2016: 80 street +
// 220 households, BRIEF §3).

let t: TestApp;
let office: Agent;
let guide1: Agent;
let g1 = 0;
let c1 = 0;
let surveyId = 0;
let qA: TQuestionnaire;

const QUESTIONS = [
  {
    id: 'Q1',
    kind: 'single',
    text: '您知道本市正在创建文明城市吗？',
    options: ['知道', '听说过', '不知道'],
    dimension: 'awareness',
    favourable: ['知道', '听说过'],
  },
  {
    id: 'Q2',
    kind: 'single',
    text: '您对小区环境卫生是否满意？',
    options: ['满意', '基本满意', '不满意', '说不清'],
    dimension: 'satisfaction',
    favourable: ['满意', '基本满意'],
    dontKnow: ['说不清'],
  },
  {
    id: 'Q3',
    kind: 'multiple',
    text: '过去一年您参加过哪些活动？',
    options: ['志愿服务', '社区活动', '都没有'],
    dimension: 'participation',
    favourable: ['志愿服务', '社区活动'],
  },
];

const answers = (q1: string, q2: string, q3: string[]) => ({ Q1: q1, Q2: q2, Q3: q3 });

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  await buildUser(db, { username: 'office1', roles: ['office'] });
  g1 = (await buildUser(db, { username: 'guide1', name: '调查员甲', roles: ['surveyor'] })).id;
  c1 = (await buildRegion(db, { name: '湖滨社区', level: 'community' })).id;
  office = await t.login('office1');
  guide1 = await t.login('guide1');
  surveyId = (await office.post('/api/surveys', { name: '2026 入户问卷' })).json<{ id: number }>()
    .id;
  // Group A as before rules per group: no rule named.
  const made = (
    await office.post(`/api/surveys/${surveyId}/questionnaires`, {
      group: 'A',
      groupLabel: '市民',
      title: '市民卷',
      questions: QUESTIONS,
    })
  ).json<TQuestionnaire>();
  qA = (
    await office.post(`/api/questionnaires/${made.id}/publish`, { version: made.version })
  ).json<TQuestionnaire>();
});
afterAll(() => t.close());

describe('respondent groups and street interviews', () => {
  let round2 = 0;
  let street = 0;
  let qS: TQuestionnaire;
  let b2: TQuotaBoard;
  const quota2 = (regionId: number, group: string, mode: string) =>
    b2.quotas.find((q) => q.regionId === regionId && q.group === group && q.mode === mode)!;
  const loadB2 = async () =>
    (b2 = (await office.get(`/api/survey-rounds/${round2}/board`)).json<TQuotaBoard>());
  const PUPILS = { minAge: 6, maxAge: 18, minResidentMonths: null };

  it('a group carries its rule; an upside-down age range is refused; the rule stays with edits', async () => {
    const bad = await office.post(`/api/surveys/${surveyId}/questionnaires`, {
      group: 'S',
      groupLabel: '中小学生',
      title: '学生卷',
      questions: QUESTIONS.slice(0, 1),
      eligibility: { minAge: 18, maxAge: 6, minResidentMonths: null },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { fields: { path: string }[] } }>().error.fields[0]!.path).toBe(
      'eligibility.maxAge',
    );
    const made = await office.post(`/api/surveys/${surveyId}/questionnaires`, {
      group: 'S',
      groupLabel: '中小学生',
      title: '学生卷',
      questions: QUESTIONS.slice(0, 1),
      eligibility: PUPILS,
    });
    expect(made.statusCode).toBe(201);
    qS = made.json<TQuestionnaire>();
    expect(qS.eligibility).toEqual(PUPILS);
    // An edit that does not name the rule keeps it.
    const edited = await office.put(`/api/questionnaires/${qS.id}`, {
      groupLabel: '中小学生',
      title: '学生卷（修订）',
      questions: QUESTIONS.slice(0, 1),
      version: qS.version,
    });
    expect(edited.json<TQuestionnaire>().eligibility).toEqual(PUPILS);
    qS = (
      await office.post(`/api/questionnaires/${qS.id}/publish`, { version: qS.version + 1 })
    ).json<TQuestionnaire>();
    expect(qS).toMatchObject({ status: 'published', eligibility: PUPILS });
    // Group A, made before any rule was named, has the residents' rule.
    expect(qA.eligibility).toEqual({ minAge: 18, maxAge: 65, minResidentMonths: 6 });
  });

  it('the rule travels with the JSON and XLSX files; a file without one gets the residents’', async () => {
    const file = (await office.get(`/api/questionnaires/${qS.id}/export.json`)).json<{
      eligibility: unknown;
    }>();
    expect(file.eligibility).toEqual(PUPILS);
    const x = await office.get(`/api/questionnaires/${qS.id}/export.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const meta = wb.getWorksheet('问卷')!;
    meta.getRow(1).getCell(2).value = 'P';
    const back = await office.upload(
      `/api/surveys/${surveyId}/questionnaires/import.xlsx`,
      Buffer.from(await wb.xlsx.writeBuffer()),
    );
    expect(back.statusCode).toBe(201);
    expect(back.json<TQuestionnaire>().eligibility).toEqual(PUPILS);
    const old = await office.post(`/api/surveys/${surveyId}/questionnaires/import`, {
      ...file,
      group: 'Q',
      eligibility: undefined,
    });
    expect(old.json<TQuestionnaire>().eligibility).toEqual({
      minAge: 18,
      maxAge: 65,
      minResidentMonths: 6,
    });
    meta.getRow(1).getCell(2).value = 'R';
    meta.eachRow((r) => {
      if (r.getCell(1).text === '最高年龄') r.getCell(2).value = '老年';
    });
    const wrong = await office.upload(
      `/api/surveys/${surveyId}/questionnaires/import.xlsx`,
      Buffer.from(await wb.xlsx.writeBuffer()),
    );
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('最高年龄');
  });

  it('quotas per mode: a street quota beside the household one of a community, or on any region', async () => {
    const r = await office.post(`/api/surveys/${surveyId}/rounds`, {
      name: '第二轮（街访与学生）',
      startsOn: '2026-12-01',
      endsOn: '2026-12-10',
    });
    round2 = r.json<{ id: number }>().id;
    street = (await buildRegion(t.database.db, { name: '湖滨街道', level: 'street' })).id;
    const add = (body: Record<string, unknown>) =>
      office.post(`/api/survey-rounds/${round2}/quotas`, body);
    // Households only on communities; street interviews on the street office's area too.
    expect((await add({ regionIds: [street], group: 'A', target: 4 })).statusCode).toBe(400);
    expect(
      (await add({ regionIds: [street], group: 'A', mode: 'street', target: 4 })).json(),
    ).toEqual({ created: 1, skipped: 0 });
    expect((await add({ regionIds: [c1], group: 'A', target: 4, population: 800 })).json()).toEqual(
      { created: 1, skipped: 0 },
    );
    // The same community and group in the other mode is a quota of its own; twice is skipped.
    expect((await add({ regionIds: [c1], group: 'A', mode: 'street', target: 2 })).json()).toEqual({
      created: 1,
      skipped: 0,
    });
    expect((await add({ regionIds: [c1], group: 'A', mode: 'street', target: 2 })).json()).toEqual({
      created: 0,
      skipped: 1,
    });
    expect((await add({ regionIds: [c1], group: 'S', target: 3 })).json()).toEqual({
      created: 1,
      skipped: 0,
    });
    const unknown = await add({ regionIds: [999_999], group: 'A', mode: 'street', target: 1 });
    expect(unknown.statusCode).toBe(400);
    await loadB2();
    for (const q of b2.quotas) {
      const res = await office.put(`/api/survey-quotas/${q.id}/guides`, {
        guideIds: [g1],
        version: q.version,
      });
      expect(res.statusCode).toBe(204);
    }
    await loadB2();
    expect(b2.byMode).toEqual([
      { mode: 'household', target: 7, done: 0 },
      { mode: 'street', target: 6, done: 0 },
    ]);
    // The roster counts communities of household quotas: the street office's area is not one.
    expect(b2.roster.map((x) => x.regionId)).toEqual([c1]);
    const mine = (await guide1.get('/api/survey-app/assignments')).json<
      { roundId: number; mode: string; group: string; questionnaire: TQuestionnaire }[]
    >();
    const here = mine.filter((a) => a.roundId === round2);
    expect(here.map((a) => a.mode)).toEqual(['household', 'household', 'street', 'street']);
    expect(here.find((a) => a.group === 'S')!.questionnaire.eligibility).toEqual(PUPILS);
  });

  it('a pupil aged 12 counts for the pupils’ group and not for the residents’ (BRIEF §3)', async () => {
    const send = (quotaId: number, extra: Record<string, unknown>) =>
      guide1.post('/api/survey-responses', {
        clientId: randomUUID(),
        quotaId,
        answers: answers('知道', '满意', ['志愿服务']),
        ...extra,
      });
    const pupil = await send(quota2(c1, 'S', 'household').id, {
      householdCode: '6幢-201',
      respondent: { age: 12 },
      answers: { Q1: '知道' },
    });
    expect(pupil.statusCode, pupil.body).toBe(201);
    expect(pupil.json<TResponse>()).toMatchObject({ eligible: true, residentMonths: null });
    const child = await send(quota2(c1, 'A', 'household').id, {
      householdCode: '6幢-202',
      respondent: { age: 12, residentMonths: 144 },
    });
    expect(child.statusCode).toBe(201);
    expect(child.json<TResponse>().eligible).toBe(false);
    // The residents' group asks for the months of residence: not giving them is a 400, in both
    // languages.
    const noMonths = await send(quota2(c1, 'A', 'household').id, {
      householdCode: '6幢-203',
      respondent: { age: 40 },
    });
    expect(noMonths.statusCode).toBe(400);
    const fields = noMonths.json<{ error: { fields: { path: string; message: string }[] } }>().error
      .fields;
    expect(fields).toEqual([
      {
        path: 'respondent.residentMonths',
        message: '该人群须填写本地居住月数 / months of residence are asked of this group',
      },
    ]);
    await loadB2();
    expect(quota2(c1, 'S', 'household').done).toBe(1);
    expect(quota2(c1, 'A', 'household').done).toBe(0);
  });

  it('records street interviews without a household code, by spot or position; never a 500', async () => {
    const q = quota2(street, 'A', 'street');
    const send = (extra: Record<string, unknown>) =>
      guide1.post('/api/survey-responses', {
        clientId: randomUUID(),
        quotaId: q.id,
        respondent: { age: 33, residentMonths: 40 },
        answers: answers('听说过', '基本满意', ['社区活动']),
        ...extra,
      });
    const first = await send({ mode: 'street', spot: ' 人民广场东门 ' });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json<TResponse>()).toMatchObject({
      mode: 'street',
      householdCode: null,
      spot: '人民广场东门',
      eligible: true,
    });
    // No household code, so no "one per household" clash: a second passer-by at the same spot.
    expect((await send({ spot: '人民广场东门' })).statusCode).toBe(201);
    // The position alone will do.
    const gps = await send({ lat: 30.2701, lng: 120.1601 });
    expect(gps.statusCode).toBe(201);
    expect(gps.json<TResponse>().spot).toBeNull();
    const nowhere = await send({ spot: '  ' });
    expect(nowhere.statusCode).toBe(400);
    expect(nowhere.body).toContain('街访须填写访问地点或提供定位');
    expect(nowhere.body).toContain('a street interview needs its spot or a GPS position');
    const withHousehold = await send({ spot: '广场', householdCode: '1幢-101' });
    expect(withHousehold.statusCode).toBe(400);
    expect(withHousehold.body).toContain('街访不记录户码');
    // A household quota still needs its household code; a mode that is not the quota's is named.
    const h = quota2(c1, 'A', 'household');
    const noCode = await guide1.post('/api/survey-responses', {
      clientId: randomUUID(),
      quotaId: h.id,
      respondent: { age: 40, residentMonths: 40 },
      answers: answers('知道', '满意', ['志愿服务']),
    });
    expect(noCode.statusCode).toBe(400);
    expect(noCode.body).toContain('入户调查须填写户码');
    expect(noCode.body).toContain('a household interview needs the household code');
    const wrongMode = await guide1.post('/api/survey-responses', {
      clientId: randomUUID(),
      quotaId: h.id,
      mode: 'street',
      spot: '广场',
      respondent: { age: 40, residentMonths: 40 },
      answers: answers('知道', '满意', ['志愿服务']),
    });
    expect(wrongMode.statusCode).toBe(400);
    expect(wrongMode.json<{ error: { fields: { path: string }[] } }>().error.fields[0]!.path).toBe(
      'mode',
    );
    await loadB2();
    expect(quota2(street, 'A', 'street').done).toBe(3);
    expect(b2.byMode.find((m) => m.mode === 'street')).toEqual({
      mode: 'street',
      target: 6,
      done: 3,
    });
    const rows = (await office.get(`/api/survey-responses?roundId=${round2}`)).json<TResponse[]>();
    expect(rows.filter((r) => r.mode === 'street' && r.householdCode === null)).toHaveLength(3);
  });

  it('self-completion by a street quota’s link asks for the spot, not a household', async () => {
    const token = quota2(c1, 'A', 'street').publicToken;
    const page = (await t.app.inject({ method: 'GET', url: `/api/public/surveys/${token}` })).json<{
      mode: string;
      eligibility: unknown;
    }>();
    expect(page).toMatchObject({
      mode: 'street',
      eligibility: { minAge: 18, maxAge: 65, minResidentMonths: 6 },
    });
    const send = (payload: Record<string, unknown>) =>
      t.app.inject({
        method: 'POST',
        url: `/api/public/surveys/${token}/responses`,
        remoteAddress: '10.1.1.1',
        payload: {
          clientId: randomUUID(),
          respondent: { age: 50, residentMonths: 100 },
          answers: answers('知道', '基本满意', ['社区活动']),
          ...payload,
        },
      });
    expect((await send({})).statusCode).toBe(400);
    expect((await send({ spot: '湖滨公园' })).statusCode).toBe(201);
  });

  it('results: each mode its own stratum at its share of the plan, and a slice per mode', async () => {
    const adult = await guide1.post('/api/survey-responses', {
      clientId: randomUUID(),
      quotaId: quota2(c1, 'A', 'household').id,
      householdCode: '6幢-204',
      respondent: { age: 45, residentMonths: 120 },
      answers: answers('知道', '不满意', ['都没有']),
    });
    expect(adult.statusCode).toBe(201);
    const r = (await office.get(`/api/survey-rounds/${round2}/results?by=mode`)).json<TResults>();
    // Eligible: the pupil and the adult at home; three street interviews and the self-completed.
    expect(r.responses).toBe(6);
    expect(r.excludedIneligible).toBe(1);
    expect(r.weighted).toBe(true);
    expect(r.slices.map((s) => [s.key, s.label, s.responses])).toEqual([
      ['mode:household', '入户', 2],
      ['mode:street', '街访', 4],
    ]);
    // Satisfaction (group A's Q2): at home one 不满意, in the street four favourable. Pooled it
    // would be 4/5; by the plan, households weigh 7/13 (shared by the 2 eligible at home, as one
    // community lacks a population) and the street 6/13 (by 4): (6/13) / (6/13 + 7/26) = 12/19.
    const sat = r.dimensions.find((d) => d.dimension === 'satisfaction')!;
    expect(sat).toMatchObject({ favourable: 4, valid: 5 });
    expect(sat.rate).toBeCloseTo(12 / 19, 10);
    const x = await office.get(`/api/survey-rounds/${round2}/results.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const labels: string[] = [];
    wb.getWorksheet('维度')!.eachRow((row) => labels.push(row.getCell(1).text));
    expect(labels).toContain('方式 街访');
  });
});
