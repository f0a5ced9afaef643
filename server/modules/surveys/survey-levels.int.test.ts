import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  TQuotaBoard,
  TResponse,
  TResults,
  TRound,
  TSuspiciousRow,
  TSurvey,
  TTrend,
} from '../../../core/contracts/surveys.js';
import { buildRegion, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';
import { FAVOURABLE, UNFAVOURABLE, surveyResponse, surveyRound } from '../../test/surveys-kit.js';

// Issue #20: every level runs its own campaign office — and reads the city's survey for its own
// ground. 甲区's office and leader read the city's surveys and rounds, but the quota board,
// responses, suspicious patterns and the rates (with their intervals and floor flags) of the
// quotas in 甲区 only; 乙区's quotas and responses do not exist for them. The questionnaire and
// the plan stay the city's; the district office names its own 调查员 on its own quotas.

let t: TestApp;
let city: Agent;
let district: Agent;
let districtLeader: Agent;
let street: Agent;
let surveyId = 0;
let roundId = 0;
let quotaOf: (regionId: number) => number;
const R: Record<string, number> = {};
const G: Record<string, number> = {};
const A: Record<string, Agent> = {};
const responseIds: Record<string, number[]> = { r1: [], r2: [] };

async function ok<T>(res: Promise<{ statusCode: number; body: string; json<X>(): X }>, s = 200) {
  const r = await res;
  expect(r.statusCode, r.body).toBe(s);
  return (s === 204 ? undefined : r.json<T>()) as T;
}

async function refused(res: Promise<{ statusCode: number; body: string; json<X>(): X }>) {
  const r = await res;
  expect(r.statusCode, r.body).toBe(403);
  return r.json<{ error: { code: string; messageZh: string } }>().error;
}

const dim = (r: { dimensions: TResults['dimensions'] }, d: string) =>
  r.dimensions.find((x) => x.dimension === d)!;

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const c = await buildRegion(db, { name: '示范市', level: 'city' });
  const r1 = await buildRegion(db, { name: '甲区', level: 'district', parent: c });
  const r2 = await buildRegion(db, { name: '乙区', level: 'district', parent: c });
  const s1 = await buildRegion(db, { name: '甲区一街道', level: 'street', parent: r1 });
  const s1b = await buildRegion(db, { name: '甲区二街道', level: 'street', parent: r1 });
  const s2 = await buildRegion(db, { name: '乙区一街道', level: 'street', parent: r2 });
  Object.assign(R, {
    city: c.id,
    r1: r1.id,
    r2: r2.id,
    s1: s1.id,
    c1a: (await buildRegion(db, { name: '甲区湖滨社区', level: 'community', parent: s1 })).id,
    c1b: (await buildRegion(db, { name: '甲区柳岸社区', level: 'community', parent: s1b })).id,
    c2: (await buildRegion(db, { name: '乙区标记社区', level: 'community', parent: s2 })).id,
  });
  await buildUser(db, { username: 'city', roles: ['office'] });
  await buildUser(db, { username: 'district', roles: ['office'], regionId: r1.id });
  await buildUser(db, { username: 'dleader', roles: ['leader'], regionId: r1.id });
  await buildUser(db, { username: 'street', roles: ['office'], regionId: s1.id });
  const guides: [string, string, number | undefined][] = [
    ['g1', '甲区调查员一', s1.id],
    ['g1b', '甲区调查员二', r1.id],
    ['g2', '乙区标记调查员', r2.id],
    ['gc', '市级调查员', undefined],
  ];
  for (const [username, name, regionId] of guides) {
    G[username] = (
      await buildUser(db, {
        username,
        name,
        roles: ['surveyor'],
        ...(regionId ? { regionId } : {}),
      })
    ).id;
    A[username] = await t.login(username);
  }
  city = await t.login('city');
  district = await t.login('district');
  districtLeader = await t.login('dleader');
  street = await t.login('street');
  ({ surveyId, roundId, quotaOf } = await surveyRound(city, '2026 入户问卷', [
    { regionId: R.c1a!, guideIds: [G.g1!] },
    { regionId: R.c1b!, guideIds: [G.g1b!, G.gc!] },
    { regionId: R.c2!, guideIds: [G.g2!, G.gc!] },
  ]));
  // 甲区: five favourable answers (three alike from one guide); 乙区: three unfavourable, alike.
  for (const h of ['1', '2', '3']) {
    responseIds.r1!.push(await surveyResponse(A.g1!, quotaOf(R.c1a!), `甲1-${h}`, FAVOURABLE));
  }
  for (const h of ['1', '2']) {
    responseIds.r1!.push(await surveyResponse(A.g1b!, quotaOf(R.c1b!), `甲2-${h}`, FAVOURABLE));
  }
  for (const h of ['1', '2', '3']) {
    responseIds.r2!.push(await surveyResponse(A.g2!, quotaOf(R.c2!), `乙-${h}`, UNFAVOURABLE));
  }
});
afterAll(() => t.close());

describe("a district office reads the city's survey for its own district", () => {
  it('holds survey.read and survey.assign, not the design (survey.write) nor collecting', async () => {
    const me = await ok<{ user: { permissions: string[] } }>(district.get('/api/auth/me'));
    expect(me.user.permissions).toEqual(expect.arrayContaining(['survey.read', 'survey.assign']));
    expect(me.user.permissions).not.toContain('survey.write');
    expect(me.user.permissions).not.toContain('survey.collect');
    const leader = await ok<{ user: { permissions: string[] } }>(
      districtLeader.get('/api/auth/me'),
    );
    expect(leader.user.permissions).toContain('survey.read');
    expect(leader.user.permissions).not.toContain('survey.assign');
  });

  it("reads the city's surveys, questionnaires and rounds as they are", async () => {
    for (const agent of [district, districtLeader]) {
      const surveys = await ok<TSurvey[]>(agent.get('/api/surveys'));
      expect(surveys).toEqual(await ok<TSurvey[]>(city.get('/api/surveys')));
      const rounds = await ok<TRound[]>(agent.get(`/api/surveys/${surveyId}/rounds`));
      expect(rounds.map((r) => r.id)).toEqual([roundId]);
      const qn = surveys[0]!.questionnaires[0]!;
      expect((await agent.get(`/api/questionnaires/${qn.id}`)).statusCode).toBe(200);
    }
  });

  it('sees the quota board of its own communities: their progress, totals and roster', async () => {
    const all = await ok<TQuotaBoard>(city.get(`/api/survey-rounds/${roundId}/board`));
    expect(all.quotas.map((q) => q.regionId).sort()).toEqual([R.c1a, R.c1b, R.c2].sort());
    expect(all).toMatchObject({ target: 30, done: 8 });
    for (const agent of [district, districtLeader]) {
      const own = await ok<TQuotaBoard>(agent.get(`/api/survey-rounds/${roundId}/board`));
      expect(own.quotas.map((q) => q.regionName).sort()).toEqual(['甲区柳岸社区', '甲区湖滨社区']);
      expect(own).toMatchObject({ target: 20, done: 5 });
      expect(own.byMode).toEqual([{ mode: 'household', target: 20, done: 5 }]);
      expect(own.roster.map((r) => r.regionId).sort()).toEqual([R.c1a, R.c1b].sort());
      expect(JSON.stringify(own)).not.toContain('乙区');
    }
    // A street office below it: its street's community only.
    const s = await ok<TQuotaBoard>(street.get(`/api/survey-rounds/${roundId}/board`));
    expect(s.quotas.map((q) => q.regionName)).toEqual(['甲区湖滨社区']);
    expect(s).toMatchObject({ target: 10, done: 3 });
  });

  it('computes the rates, intervals and floor flags from its own responses only', async () => {
    const all = await ok<TResults>(city.get(`/api/survey-rounds/${roundId}/results`));
    expect(all.responses).toBe(8);
    expect(dim(all, 'awareness').rate).toBeLessThan(0.8);
    expect(dim(all, 'awareness').belowFloor).toBe(true);
    for (const agent of [district, districtLeader]) {
      const own = await ok<TResults>(agent.get(`/api/survey-rounds/${roundId}/results?by=region`));
      expect(own.responses).toBe(5);
      for (const d of ['awareness', 'support', 'participation', 'satisfaction']) {
        const r = own.dimensions.find((x) => x.dimension === d);
        if (!r) continue;
        expect(r).toMatchObject({ rate: 1, favourable: 5, valid: 5, belowFloor: false });
        // A Wilson interval over five answers: wide below, closed at 1.
        expect(r.lo!).toBeLessThan(0.8);
        expect(r.hi).toBe(1);
      }
      expect(own.questions.every((q) => q.valid <= 5)).toBe(true);
      expect(own.slices.map((x) => x.label).sort()).toEqual(['甲区柳岸社区', '甲区湖滨社区']);
      expect(own.slices.reduce((n, x) => n + x.responses, 0)).toBe(5);
    }
    // Each of its communities' slices is what the city computes for that community.
    const cityByRegion = await ok<TResults>(
      city.get(`/api/survey-rounds/${roundId}/results?by=region`),
    );
    const own = await ok<TResults>(district.get(`/api/survey-rounds/${roundId}/results?by=region`));
    for (const slice of own.slices) {
      const same = cityByRegion.slices.find((x) => x.key === slice.key)!;
      expect(dim(slice, 'awareness')).toEqual(dim(same, 'awareness'));
    }
  });

  it("exports its own results; the workbook names no other district's community", async () => {
    const res = await district.get(`/api/survey-rounds/${roundId}/results.xlsx`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const text: string[] = [];
    wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => text.push(String(c.text)))));
    expect(text.join('\n')).toContain('甲区湖滨社区');
    expect(text.join('\n')).not.toContain('乙区');
  });

  it("lists and opens its own responses; another district's is 404", async () => {
    for (const agent of [district, districtLeader]) {
      const list = await ok<TResponse[]>(
        agent.get(`/api/survey-responses?roundId=${roundId}&limit=100`),
      );
      expect(list.map((r) => r.id).sort()).toEqual([...responseIds.r1!].sort());
      expect(list.every((r) => r.regionName.startsWith('甲区'))).toBe(true);
      expect((await agent.get(`/api/survey-responses/${responseIds.r1![0]}`)).statusCode).toBe(200);
      expect((await agent.get(`/api/survey-responses/${responseIds.r2![0]}`)).statusCode).toBe(404);
    }
    const cityList = await ok<TResponse[]>(city.get(`/api/survey-responses?limit=100`));
    expect(cityList).toHaveLength(8);
  });

  it('checks suspicious patterns among its own responses; the trend is its own', async () => {
    const all = await ok<TSuspiciousRow[]>(city.get(`/api/survey-rounds/${roundId}/suspicious`));
    expect(all.some((r) => r.regionName === '乙区标记社区')).toBe(true);
    const own = await ok<TSuspiciousRow[]>(
      district.get(`/api/survey-rounds/${roundId}/suspicious`),
    );
    // 甲区调查员一's three identical sheets are flagged; 乙区's are not 甲区's to see.
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((r) => r.regionName.startsWith('甲区'))).toBe(true);
    const trend = await ok<TTrend>(district.get(`/api/surveys/${surveyId}/trend`));
    expect(trend.map((x) => x.responses)).toEqual([5]);
    expect(dim(trend[0]!, 'awareness').rate).toBe(1);
    const cityTrend = await ok<TTrend>(city.get(`/api/surveys/${surveyId}/trend`));
    expect(cityTrend.map((x) => x.responses)).toEqual([8]);
  });
});

describe('the plan stays the city’s; the district names its own guides', () => {
  it('refuses the design and the plan (403, nothing written)', async () => {
    const qn = (await ok<TSurvey[]>(city.get('/api/surveys')))[0]!.questionnaires[0]!;
    const board = await ok<TQuotaBoard>(city.get(`/api/survey-rounds/${roundId}/board`));
    const c1a = board.quotas.find((q) => q.regionId === R.c1a)!;
    const writes = [
      district.post('/api/surveys', { name: '甲区自己的问卷' }),
      district.post(`/api/questionnaires/${qn.id}/revise`),
      district.post(`/api/surveys/${surveyId}/rounds`, {
        name: '甲区轮次',
        startsOn: '2026-12-01',
        endsOn: '2026-12-10',
      }),
      district.patch(`/api/survey-rounds/${roundId}`, { floorPercent: 50, version: 1 }),
      district.post(`/api/survey-rounds/${roundId}/quotas`, {
        regionIds: [R.c1a],
        group: 'B',
        target: 5,
      }),
      district.patch(`/api/survey-quotas/${c1a.id}`, { target: 1, version: c1a.version }),
    ];
    for (const w of writes) expect((await refused(w)).code).toBe('forbidden');
    const after = await ok<TQuotaBoard>(city.get(`/api/survey-rounds/${roundId}/board`));
    expect(after.round.floorPercent).toBe(80);
    expect(after.quotas.find((q) => q.regionId === R.c1a)!.target).toBe(10);
    expect(await ok<TSurvey[]>(city.get('/api/surveys'))).toHaveLength(1);
  });

  it('offers its own guides only', async () => {
    const offered = await ok<{ id: number }[]>(district.get('/api/survey-guides'));
    expect(offered.map((g) => g.id).sort()).toEqual([G.g1, G.g1b].sort());
    const cityOffered = await ok<{ id: number }[]>(city.get('/api/survey-guides'));
    expect(cityOffered.map((g) => g.id)).toEqual(expect.arrayContaining([G.g2, G.gc]));
    expect((await districtLeader.get('/api/survey-guides')).statusCode).toBe(403);
  });

  it('assigns its own guides on its own quotas; nothing outside (403 outside_jurisdiction)', async () => {
    const board = async () =>
      ok<TQuotaBoard>(city.get(`/api/survey-rounds/${roundId}/board`)).then((b) => ({
        quota: (regionId: number) => b.quotas.find((q) => q.regionId === regionId)!,
      }));
    let b = await board();
    const put = (regionId: number, guideIds: number[]) =>
      district.put(`/api/survey-quotas/${b.quota(regionId).id}/guides`, {
        guideIds,
        version: b.quota(regionId).version,
      });
    // Another district's quota, another district's guide, a city guide: not its own.
    expect((await refused(put(R.c2!, [G.g2!]))).code).toBe('outside_jurisdiction');
    expect((await refused(put(R.c1a!, [G.g1!, G.g2!]))).code).toBe('outside_jurisdiction');
    expect((await refused(put(R.c1a!, [G.g1!, G.gc!]))).code).toBe('outside_jurisdiction');
    // The city's guide on 柳岸 stays: the district may not take them off…
    const off = await refused(put(R.c1b!, [G.g1b!]));
    expect(off.code).toBe('outside_jurisdiction');
    expect(off.messageZh).toContain('辖区');
    // …but adds its own beside them.
    await ok(put(R.c1b!, [G.g1b!, G.gc!, G.g1!]), 204);
    await ok(put(R.c1a!, [G.g1!, G.g1b!]), 204);
    b = await board();
    expect(
      b
        .quota(R.c1b!)
        .guides.map((g) => g.id)
        .sort(),
    ).toEqual([G.g1, G.g1b, G.gc].sort());
    expect(
      b
        .quota(R.c1a!)
        .guides.map((g) => g.id)
        .sort(),
    ).toEqual([G.g1, G.g1b].sort());
    expect(
      b
        .quota(R.c2!)
        .guides.map((g) => g.id)
        .sort(),
    ).toEqual([G.g2, G.gc].sort());
    // The leader reads but does not assign.
    const leaderPut = await districtLeader.put(`/api/survey-quotas/${b.quota(R.c1a!).id}/guides`, {
      guideIds: [G.g1],
      version: b.quota(R.c1a!).version,
    });
    expect(leaderPut.statusCode).toBe(403);
    // The guide the district named collects on that quota.
    await surveyResponse(A.g1!, quotaOf(R.c1b!), '甲2-9', FAVOURABLE);
    const own = await ok<TQuotaBoard>(district.get(`/api/survey-rounds/${roundId}/board`));
    expect(own.done).toBe(6);
  });
});
