import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import type {
  TQuestionnaire,
  TQuotaBoard,
  TResponse,
  TResults,
  TSuspiciousRow,
  TTrend,
} from '../../../core/contracts/surveys.js';
import { buildRegion, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';
import { execRows } from '../../db/client.js';
import { rollupSql, tallySql } from './results.repo.js';
import { SELF_LIMITS } from './collect.service.js';

// 问卷调查 end to end through the API: design and immutability, quotas, collection (idempotent,
// one per household, guides scoped), self-completion, results with intervals, suspicious patterns.

let t: TestApp;
let office: Agent;
let guide1: Agent;
let guide2: Agent;
let leader: Agent;
let g1 = 0;
let g2 = 0;
let c1 = 0;
let c2 = 0;
let surveyId = 0;
let roundId = 0;
let qA: TQuestionnaire;
let board: TQuotaBoard;

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
  { id: 'Q4', kind: 'text', text: '您对创建工作有什么建议？' },
];

const answers = (q1: string, q2: string, q3: string[]) => ({ Q1: q1, Q2: q2, Q3: q3 });

function respond(
  agent: Agent,
  quotaId: number,
  household: string,
  a: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  return agent.post('/api/survey-responses', {
    clientId: randomUUID(),
    quotaId,
    householdCode: household,
    respondent: { age: 40, residentMonths: 24 },
    answers: a,
    ...extra,
  });
}

const quotaOf = (regionId: number) => board.quotas.find((q) => q.regionId === regionId)!;
const loadBoard = async () =>
  (board = (await office.get(`/api/survey-rounds/${roundId}/board`)).json<TQuotaBoard>());

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  await buildUser(db, { username: 'office1', roles: ['office'] });
  await buildUser(db, { username: 'leader1', roles: ['leader'] });
  g1 = (await buildUser(db, { username: 'guide1', name: '调查员甲', roles: ['surveyor'] })).id;
  g2 = (await buildUser(db, { username: 'guide2', name: '调查员乙', roles: ['surveyor'] })).id;
  c1 = (await buildRegion(db, { name: '湖滨社区', level: 'community' })).id;
  c2 = (await buildRegion(db, { name: '柳岸社区', level: 'community' })).id;
  office = await t.login('office1');
  leader = await t.login('leader1');
  guide1 = await t.login('guide1');
  guide2 = await t.login('guide2');
});
afterAll(() => t.close());

describe('questionnaire design', () => {
  it('creates a survey and a draft questionnaire; bad questions are listed', async () => {
    const s = await office.post('/api/surveys', { name: '2026 入户问卷' });
    expect(s.statusCode).toBe(201);
    surveyId = s.json<{ id: number }>().id;
    const bad = await office.post(`/api/surveys/${surveyId}/questionnaires`, {
      group: 'A',
      groupLabel: '市民',
      title: '市民卷',
      questions: [
        { ...QUESTIONS[0], favourable: ['很知道'] },
        { ...QUESTIONS[1], id: 'Q1' },
      ],
    });
    expect(bad.statusCode).toBe(400);
    const fields = bad.json<{ error: { fields: { message: string }[] } }>().error.fields;
    expect(fields.map((f) => f.message).join('\n')).toMatch(/很知道[\s\S]*Q1 重复/);
    const ok = await office.post(`/api/surveys/${surveyId}/questionnaires`, {
      group: 'A',
      groupLabel: '市民',
      title: '市民卷',
      questions: QUESTIONS,
    });
    expect(ok.statusCode).toBe(201);
    qA = ok.json<TQuestionnaire>();
    expect(qA).toMatchObject({ number: 1, status: 'draft' });
    expect(qA.questions[1]!.dontKnow).toEqual(['说不清']);
  });

  it('refuses links to standards that are not survey standards', async () => {
    const res = await office.put(`/api/questionnaires/${qA.id}`, {
      groupLabel: '市民',
      title: '市民卷',
      questions: [{ ...QUESTIONS[0], standardKeys: ['no-such-standard'] }],
      version: qA.version,
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('no-such-standard');
  });

  it('a published questionnaire is immutable; a revision is the next number', async () => {
    const pub = await office.post(`/api/questionnaires/${qA.id}/publish`, { version: qA.version });
    expect(pub.statusCode).toBe(200);
    qA = pub.json<TQuestionnaire>();
    expect(qA.status).toBe('published');
    const edit = await office.put(`/api/questionnaires/${qA.id}`, {
      groupLabel: '市民',
      title: '改过的标题',
      questions: QUESTIONS,
      version: qA.version,
    });
    expect(edit.statusCode).toBe(409);
    expect(edit.json<{ error: { code: string } }>().error.code).toBe('immutable');
    const rev = await office.post(`/api/questionnaires/${qA.id}/revise`);
    expect(rev.statusCode).toBe(201);
    const draft = rev.json<TQuestionnaire>();
    expect(draft).toMatchObject({ number: 2, status: 'draft', group: 'A' });
    // A second draft for the group is refused; the draft edits with its version (stale → 409).
    expect((await office.post(`/api/questionnaires/${qA.id}/revise`)).statusCode).toBe(409);
    const e1 = await office.put(`/api/questionnaires/${draft.id}`, {
      groupLabel: '市民',
      title: '市民卷（二）',
      questions: QUESTIONS,
      version: draft.version,
    });
    expect(e1.statusCode).toBe(200);
    const stale = await office.put(`/api/questionnaires/${draft.id}`, {
      groupLabel: '市民',
      title: '市民卷（三）',
      questions: QUESTIONS,
      version: draft.version,
    });
    expect(stale.statusCode).toBe(409);
    // The published one is unchanged.
    const still = (await office.get(`/api/questionnaires/${qA.id}`)).json<TQuestionnaire>();
    expect(still.title).toBe('市民卷');
  });

  it('exports JSON and imports it for another group; a broken file is refused whole', async () => {
    const file = (await office.get(`/api/questionnaires/${qA.id}/export.json`)).json<{
      format: string;
      questions: unknown[];
    }>();
    expect(file.format).toBe('chuangcheng.questionnaire/1');
    const bad = await office.post(`/api/surveys/${surveyId}/questionnaires/import`, {
      ...file,
      group: 'B',
      questions: [{ id: 'X1', kind: 'single', text: '只有一个选项', options: ['是'] }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('两个选项');
    const good = await office.post(`/api/surveys/${surveyId}/questionnaires/import`, {
      ...file,
      group: 'B',
      groupLabel: '驻地单位',
    });
    expect(good.statusCode).toBe(201);
    expect(good.json<TQuestionnaire>()).toMatchObject({ group: 'B', number: 1, status: 'draft' });
    const list = (await office.get('/api/surveys')).json<{ questionnaires: unknown[] }[]>();
    expect(list[0]!.questionnaires.length).toBeGreaterThanOrEqual(3);
  });

  it('round-trips a questionnaire through XLSX; a broken sheet lists its rows', async () => {
    const x = await office.get(`/api/questionnaires/${qA.id}/export.xlsx`);
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    wb.getWorksheet('问卷')!.getRow(1).getCell(2).value = 'C';
    const ok = await office.upload(
      `/api/surveys/${surveyId}/questionnaires/import.xlsx`,
      Buffer.from(await wb.xlsx.writeBuffer()),
    );
    expect(ok.statusCode).toBe(201);
    const c = ok.json<TQuestionnaire>();
    expect(c).toMatchObject({ group: 'C', status: 'draft' });
    expect(c.questions).toEqual(qA.questions);
    const ws = wb.getWorksheet('题目')!;
    ws.getRow(2).getCell(2).value = '填空';
    ws.getRow(3).getCell(5).value = '幸福感';
    wb.getWorksheet('问卷')!.getRow(1).getCell(2).value = 'D';
    const bad = await office.upload(
      `/api/surveys/${surveyId}/questionnaires/import.xlsx`,
      Buffer.from(await wb.xlsx.writeBuffer()),
    );
    expect(bad.statusCode).toBe(422);
    const rows = bad.json<{ error: { rows: { row: number; column: string }[] } }>().error.rows;
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: 2, column: '题型' }),
        expect.objectContaining({ row: 3, column: '维度' }),
      ]),
    );
    const garbage = await office.upload(
      `/api/surveys/${surveyId}/questionnaires/import.xlsx`,
      Buffer.from('not a workbook'),
    );
    expect(garbage.statusCode).toBe(400);
  });

  it('guides cannot design', async () => {
    expect((await guide1.post('/api/surveys', { name: 'x' })).statusCode).toBe(403);
  });
});

describe('sampling plan', () => {
  it('sets quotas on communities only, assigns guides, flags roster shortfalls', async () => {
    const r = await office.post(`/api/surveys/${surveyId}/rounds`, {
      name: '第一轮',
      startsOn: '2026-11-20',
      endsOn: '2026-11-30',
    });
    expect(r.statusCode).toBe(201);
    roundId = r.json<{ id: number }>().id;
    const street = (await buildRegion(t.database.db, { level: 'street' })).id;
    expect(
      (
        await office.post(`/api/survey-rounds/${roundId}/quotas`, {
          regionIds: [c1, street],
          group: 'A',
          target: 3,
        })
      ).statusCode,
    ).toBe(400);
    const q = await office.post(`/api/survey-rounds/${roundId}/quotas`, {
      regionIds: [c1, c2],
      group: 'A',
      target: 3,
      population: 1000,
      centerLat: 30.27,
      centerLng: 120.16,
      radiusM: 1500,
    });
    expect(q.json()).toEqual({ created: 2, skipped: 0 });
    const again = await office.post(`/api/survey-rounds/${roundId}/quotas`, {
      regionIds: [c1],
      group: 'A',
      target: 3,
    });
    expect(again.json()).toEqual({ created: 0, skipped: 1 });
    await loadBoard();
    const leaderRes = await office.put(`/api/survey-quotas/${quotaOf(c1).id}/guides`, {
      guideIds: [g1, (await buildUser(t.database.db, { roles: ['unit'] })).id],
      version: quotaOf(c1).version,
    });
    expect(leaderRes.statusCode).toBe(400);
    expect(
      (
        await office.put(`/api/survey-quotas/${quotaOf(c1).id}/guides`, {
          guideIds: [g1, g2],
          version: quotaOf(c1).version,
        })
      ).statusCode,
    ).toBe(204);
    expect(
      (
        await office.put(`/api/survey-quotas/${quotaOf(c2).id}/guides`, {
          guideIds: [g2],
          version: quotaOf(c2).version,
        })
      ).statusCode,
    ).toBe(204);
    // Stale version of the quota: 409.
    expect(
      (
        await office.put(`/api/survey-quotas/${quotaOf(c2).id}/guides`, {
          guideIds: [],
          version: quotaOf(c2).version,
        })
      ).statusCode,
    ).toBe(409);
    await loadBoard();
    expect(board.roster.find((r) => r.regionId === c1)).toMatchObject({ guides: 2, shortfall: 0 });
    expect(board.roster.find((r) => r.regionId === c2)).toMatchObject({ guides: 1, shortfall: 1 });
    expect(board.target).toBe(6);
  });

  it("edits a quota's target with its version; stale is 409, guides may not", async () => {
    const q = quotaOf(c2);
    const bad = await office.patch(`/api/survey-quotas/${q.id}`, { target: 0, version: q.version });
    expect(bad.statusCode).toBe(400);
    expect(
      (await guide1.patch(`/api/survey-quotas/${q.id}`, { target: 5, version: q.version }))
        .statusCode,
    ).toBe(403);
    const ok = await office.patch(`/api/survey-quotas/${q.id}`, { target: 5, version: q.version });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({
      id: q.id,
      target: 5,
      version: q.version + 1,
      population: 1000,
    });
    expect(
      (await office.patch(`/api/survey-quotas/${q.id}`, { target: 4, version: q.version }))
        .statusCode,
    ).toBe(409);
    await loadBoard();
    expect(board.target).toBe(8);
    // Guides and progress are untouched; put the target back for the collection tests.
    expect(quotaOf(c2).guides.map((g) => g.id)).toEqual([g2]);
    const back = await office.patch(`/api/survey-quotas/${q.id}`, {
      target: 3,
      version: q.version + 1,
    });
    expect(back.statusCode).toBe(200);
    await loadBoard();
    expect(board.target).toBe(6);
  });
});

describe('collection', () => {
  it('guides see only their own quotas, with the published questionnaire', async () => {
    const a1 = (await guide1.get('/api/survey-app/assignments')).json<{ quotaId: number }[]>();
    const a2 = (await guide2.get('/api/survey-app/assignments')).json<
      { quotaId: number; questionnaire: TQuestionnaire }[]
    >();
    expect(a1.map((a) => a.quotaId)).toEqual([quotaOf(c1).id]);
    expect(a2).toHaveLength(2);
    expect(a2[0]!.questionnaire.id).toBe(qA.id);
  });

  it('refuses a quota not assigned, missing answers and unknown options', async () => {
    expect(
      (await respond(guide1, quotaOf(c2).id, '1-101', answers('知道', '满意', ['志愿服务'])))
        .statusCode,
    ).toBe(403);
    const missing = await respond(guide1, quotaOf(c1).id, '1-101', { Q1: '知道' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('answers.Q2');
    const wrong = await respond(guide1, quotaOf(c1).id, '1-101', answers('很知道', '满意', []));
    expect(wrong.statusCode).toBe(400);
  });

  it('a retried submission (same client id) is the same response; reused by another: 409', async () => {
    const clientId = randomUUID();
    const body = {
      clientId,
      quotaId: quotaOf(c1).id,
      householdCode: ' 3幢 101 ',
      respondent: { age: 35, residentMonths: 12 },
      answers: { ...answers('知道', '满意', ['志愿服务']), Q4: '多种树' },
      lat: 30.2701,
      lng: 120.1601,
    };
    const first = await guide1.post('/api/survey-responses', body);
    const second = await guide1.post('/api/survey-responses', body);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(200);
    expect(second.json<TResponse>().id).toBe(first.json<TResponse>().id);
    expect(first.json<TResponse>().householdCode).toBe('3幢101');
    expect((await guide2.post('/api/survey-responses', body)).statusCode).toBe(409);
    const rows = (await office.get(`/api/survey-responses?roundId=${roundId}`)).json<TResponse[]>();
    expect(rows.filter((r) => r.clientId === clientId)).toHaveLength(1);
  });

  it('one response per household code per round, however it is written', async () => {
    const dup = await respond(
      guide2,
      quotaOf(c1).id,
      '３幢１０１',
      answers('知道', '满意', ['都没有']),
    );
    expect(dup.statusCode).toBe(409);
    expect(dup.json<{ error: { code: string } }>().error.code).toBe('duplicate_household');
  });

  it('records eligibility; an ineligible respondent does not count towards the quota', async () => {
    const young = await respond(
      guide1,
      quotaOf(c1).id,
      '3幢102',
      answers('不知道', '不满意', ['都没有']),
      {
        respondent: { age: 16, residentMonths: 60 },
      },
    );
    expect(young.statusCode).toBe(201);
    expect(young.json<TResponse>().eligible).toBe(false);
    const newcomer = await respond(
      guide1,
      quotaOf(c1).id,
      '3幢103',
      answers('不知道', '不满意', ['都没有']),
      {
        respondent: { age: 30, residentMonths: 3 },
      },
    );
    expect(newcomer.json<TResponse>().eligible).toBe(false);
    await respond(guide2, quotaOf(c1).id, '3幢104', answers('听说过', '说不清', ['社区活动']));
    await respond(guide2, quotaOf(c2).id, '5幢201', answers('不知道', '不满意', ['都没有']));
    await loadBoard();
    expect(quotaOf(c1).done).toBe(2);
    expect(quotaOf(c1).guides.find((g) => g.id === g1)!.done).toBe(1);
    expect(quotaOf(c1).guides.find((g) => g.id === g2)!.done).toBe(1);
    expect(quotaOf(c2).done).toBe(1);
    expect(board.done).toBe(3);
  });

  it("a guide sees only their own responses, and not another's by id", async () => {
    const mine = (await guide1.get('/api/survey-responses')).json<TResponse[]>();
    expect(mine).toHaveLength(3);
    expect(mine.every((r) => r.guideId === g1)).toBe(true);
    const theirs = (await guide2.get('/api/survey-responses')).json<TResponse[]>();
    expect(theirs.every((r) => r.guideId === g2)).toBe(true);
    expect((await guide1.get(`/api/survey-responses/${theirs[0]!.id}`)).statusCode).toBe(404);
    expect((await office.get(`/api/survey-responses/${theirs[0]!.id}`)).statusCode).toBe(200);
    expect((await office.get('/api/survey-responses')).json<TResponse[]>()).toHaveLength(5);
  });

  it('submitted responses are immutable: no route changes or deletes them', async () => {
    const [r] = (await guide1.get('/api/survey-responses')).json<TResponse[]>();
    for (const res of [
      await guide1.patch(`/api/survey-responses/${r!.id}`, { answers: {} }),
      await guide1.put(`/api/survey-responses/${r!.id}`, { answers: {} }),
      await guide1.delete(`/api/survey-responses/${r!.id}`),
      await office.patch(`/api/survey-responses/${r!.id}`, { answers: {} }),
      await office.delete(`/api/survey-responses/${r!.id}`),
    ]) {
      expect(res.statusCode).toBe(404);
    }
    const after = (await guide1.get(`/api/survey-responses/${r!.id}`)).json<TResponse>();
    expect(after.answers).toEqual(r!.answers);
  });

  it('self-completion by the community link: one per household, rate-limited', async () => {
    const token = quotaOf(c2).publicToken;
    const page = await t.app.inject({ method: 'GET', url: `/api/public/surveys/${token}` });
    expect(page.statusCode).toBe(200);
    expect(page.json<{ regionName: string }>().regionName).toBe('柳岸社区');
    const send = (household: string, ip = '10.0.0.1') =>
      t.app.inject({
        method: 'POST',
        url: `/api/public/surveys/${token}/responses`,
        remoteAddress: ip,
        payload: {
          clientId: randomUUID(),
          householdCode: household,
          respondent: { age: 50, residentMonths: 100 },
          answers: answers('知道', '基本满意', ['社区活动']),
        },
      });
    expect((await send('7幢301')).statusCode).toBe(201);
    const dup = await send('7幢301', '10.0.0.2');
    expect(dup.statusCode).toBe(409);
    expect(dup.json<{ error: { code: string } }>().error.code).toBe('duplicate_household');
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/public/surveys/nonexistent-token' }))
        .statusCode,
    ).toBe(404);
    // Hourly fixed windows: the clock is held still so the flood cannot straddle an hour boundary.
    vi.useFakeTimers({ toFake: ['Date'] });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    let last = 0;
    for (let i = 0; i <= SELF_LIMITS.perIpHour; i++)
      last = (await send(`flood-${i}`, '10.9.9.9')).statusCode;
    expect(last).toBe(429);
  });
});

describe('results', () => {
  it('rates per question and dimension with Wilson intervals, weighted by the quota design', async () => {
    const res = await leader.get(`/api/survey-rounds/${roundId}/results?by=region`);
    expect(res.statusCode).toBe(200);
    const r = res.json<TResults>();
    // Eligible: c1 2 by guides; c2 1 by a guide + 1 self-completed (the flood's were valid too).
    expect(r.excludedIneligible).toBe(2);
    expect(r.weighted).toBe(true);
    const q1 = r.questions.find((q) => q.questionId === 'Q1')!;
    expect(q1.valid).toBe(r.responses);
    for (const d of r.dimensions) {
      expect(d.lo!).toBeLessThanOrEqual(d.rate!);
      expect(d.hi!).toBeGreaterThanOrEqual(d.rate!);
    }
    // 说不清 is not valid by default: Q2 has one fewer valid answer than Q1.
    const q2 = r.questions.find((q) => q.questionId === 'Q2')!;
    expect(q2.dontKnow).toBe(1);
    expect(q2.valid).toBe(q1.valid - 1);
    expect(r.slices.map((s) => s.label).sort()).toEqual(['柳岸社区', '湖滨社区']);
    const c1Slice = r.slices.find((s) => s.label === '湖滨社区')!;
    expect(c1Slice.dimensions.find((d) => d.dimension === 'awareness')!.rate).toBe(1);
    expect(r.floor).toBe(0.8);
  });

  it('counts 说不清 as valid when the round says so', async () => {
    const round = (await office.get(`/api/surveys/${surveyId}/rounds`)).json<
      { version: number }[]
    >()[0]!;
    const upd = await office.patch(`/api/survey-rounds/${roundId}`, {
      dontKnowValid: true,
      version: round.version,
    });
    expect(upd.statusCode).toBe(200);
    const r = (await office.get(`/api/survey-rounds/${roundId}/results`)).json<TResults>();
    const q1 = r.questions.find((q) => q.questionId === 'Q1')!;
    expect(r.questions.find((q) => q.questionId === 'Q2')!.valid).toBe(q1.valid);
  });

  it('flags identical bursts from one guide and answers far from the community', async () => {
    for (let i = 0; i < 3; i++) {
      await respond(guide2, quotaOf(c2).id, `9幢${i}`, answers('知道', '满意', ['志愿服务']));
    }
    await respond(guide2, quotaOf(c2).id, '9幢far', answers('不知道', '满意', ['都没有']), {
      lat: 31.5,
      lng: 121.5,
    });
    const rows = (await office.get(`/api/survey-rounds/${roundId}/suspicious`)).json<
      TSuspiciousRow[]
    >();
    expect(
      rows
        .filter((r) => r.flags.includes('identical'))
        .map((r) => r.householdCode)
        .sort(),
    ).toEqual(['9幢0', '9幢1', '9幢2']);
    expect(rows.find((r) => r.flags.includes('far'))!.householdCode).toBe('9幢FAR');
  });

  it('the tallies kept at each submission equal a recount from the responses', async () => {
    const sort = (rows: Record<string, unknown>[]) =>
      rows
        .map((r) => JSON.stringify([r.quota_id, r.questionnaire_id, r.qid, r.answer, r.n]))
        .sort();
    const kept = await execRows<Record<string, unknown>>(t.database.db, rollupSql([roundId]));
    const recount = await execRows<Record<string, unknown>>(t.database.db, tallySql([roundId]));
    expect(kept.length).toBeGreaterThan(0);
    expect(sort(kept)).toEqual(sort(recount));
  });

  it('trend across rounds and an XLSX export', async () => {
    const trend = (await office.get(`/api/surveys/${surveyId}/trend`)).json<TTrend>();
    expect(trend).toHaveLength(1);
    expect(trend[0]!.dimensions.length).toBeGreaterThan(0);
    const x = await office.get(`/api/survey-rounds/${roundId}/results.xlsx`);
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    expect(wb.getWorksheet('维度')!.getRow(3).getCell(1).value).toBe('全市');
    expect(wb.getWorksheet('题目')!.rowCount).toBe(4);
    // Guides may not read results.
    expect((await guide1.get(`/api/survey-rounds/${roundId}/results`)).statusCode).toBe(403);
  });
});
