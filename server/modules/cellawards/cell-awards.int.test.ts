import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, shanghaiDate } from '../../../core/calendar/working-days.js';
import type {
  TApplication,
  TApplicationDetail,
  TCallDetail,
} from '../../../core/contracts/cell-awards.js';
import type { THonour } from '../../../core/contracts/honours.js';
import { execRows } from '../../db/client.js';
import { ensureCellFramework } from '../../db/seed/demo-cell-awards.js';
import { withTx } from '../../platform/tx.js';
import { buildRegion, buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type Res, type TestApp } from '../../test/harness.js';
import { minimalPdf } from '../../test/pdf.js';

// Issue #22, item 2 — 文明细胞申报与测评: a year's call, applications with their reports per
// standard, the eligibility vetoes, item-by-item scores against the call's framework, 公示 with
// objections, the decision (conferring registers the holder in the honours registry), by level.

let t: TestApp;
let city: Agent;
let district: Agent;
let leader: Agent;
let unitUser: Agent;
let frameworkId = 0;
const ids = {} as { r1: number; r2: number; c1: number; c2: number; units: number[] };
const today = shanghaiDate(new Date());

function expectStatus(res: Res, status: number): Res {
  expect(res.statusCode, res.body).toBe(status);
  return res;
}

type ErrorBody = {
  error: {
    code: string;
    messageZh: string;
    messageEn: string;
    fields?: { path: string; message: string }[];
  };
};

/** A refusal with its code and both messages (Chinese and English). */
function refusal(res: Res, status: number, code: string) {
  expectStatus(res, status);
  const e = res.json<ErrorBody>().error;
  expect(e.code).toBe(code);
  expect(e.messageZh).toMatch(/[\u4e00-\u9fff]/);
  expect(e.messageEn).toMatch(/[a-z]/);
  return e;
}

async function audits(action: string, entityId: number) {
  return execRows<{ after: Record<string, unknown> }>(
    t.database.db,
    sql`select "after" from audit_log where action = ${action}
        and entity_id = ${String(entityId)} order by id`,
  );
}

const getCall = async (agent: Agent, id: number) =>
  expectStatus(await agent.get(`/api/cell-award-calls/${id}`), 200).json<TCallDetail>();
const getApp = async (id: number, agent = city) =>
  expectStatus(
    await agent.get(`/api/cell-award-applications/${id}`),
    200,
  ).json<TApplicationDetail>();
const move = async (agent: Agent, id: number, status: string) => {
  const c = await getCall(agent, id);
  return agent.post(`/api/cell-award-calls/${id}/status`, { version: c.version, status });
};
const assess = async (id: number, body: Record<string, unknown>, agent = city) => {
  const a = await getApp(id, agent);
  return agent.put(`/api/cell-award-applications/${id}/assessment`, {
    version: a.version,
    ...body,
  });
};
/** Full marks less `minus` on the first standard; every veto answered no. */
const fullScores = (c: TCallDetail, minus = 0) =>
  c.standards.map((s, i) => ({
    standardKey: s.key,
    score: i === 0 ? s.maxScore - minus : s.maxScore,
  }));
const clearVetoes = [
  { key: 'leadership_violation', hit: false, note: '经核查无' },
  { key: 'staff_criminal_case', hit: false },
  { key: 'safety_or_food_accident', hit: false },
];

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const c = await buildRegion(db, { name: '申报市', level: 'city' });
  const r1 = await buildRegion(db, { name: '申甲区', level: 'district', parent: c });
  const s1 = await buildRegion(db, { name: '申甲街道', level: 'street', parent: r1 });
  const c1 = await buildRegion(db, { name: '申甲社区', level: 'community', parent: s1 });
  const r2 = await buildRegion(db, { name: '申乙区', level: 'district', parent: c });
  const c2 = await buildRegion(db, { name: '申乙社区', level: 'community', parent: r2 });
  const units = [];
  for (const name of ['申报市城管局', '申报市教育局', '申报市市场监管局', '申报市体育局']) {
    units.push((await buildUnit(db, { name, regionId: c.id })).id);
  }
  const own = await buildUnit(db, { name: '申甲区税务所', regionId: r1.id });
  await buildUser(db, { username: 'cacity', roles: ['office'] });
  await buildUser(db, { username: 'cadistrict', roles: ['office'], regionId: r1.id });
  await buildUser(db, { username: 'caleader', roles: ['leader'] });
  await buildUser(db, { username: 'caunit', roles: ['unit'], unitId: own.id });
  city = await t.login('cacity');
  district = await t.login('cadistrict');
  leader = await t.login('caleader');
  unitUser = await t.login('caunit');
  frameworkId = await withTx(t.database, (tx) => ensureCellFramework(tx));
  Object.assign(ids, { r1: r1.id, r2: r2.id, c1: c1.id, c2: c2.id, units });
});
afterAll(() => t.close());

describe('文明细胞申报: a year of 文明单位 from call to certificate', () => {
  let call: TCallDetail;
  const app: Record<'a' | 'b' | 'c' | 'd', number> = { a: 0, b: 0, c: 0, d: 0 };

  it('a call is a draft assessed against its framework’s published version', async () => {
    call = expectStatus(
      await city.post('/api/cell-award-calls', {
        year: 2026,
        cellType: 'unit',
        level: 'city',
        title: '2026年度市级文明单位申报',
        frameworkId,
        applicationDeadline: addDays(today, 30),
      }),
      201,
    ).json<TCallDetail>();
    expect(call).toMatchObject({
      status: 'draft',
      honourTitle: '市级文明单位',
      publicityDays: 7,
      officeRegionId: null,
      frameworkVersionNumber: 1,
      applications: 0,
    });
    expect(call.standards.map((s) => s.code)).toEqual([
      'D1.1.1',
      'D1.1.2',
      'D2.1.1',
      'D2.1.2',
      'D3.1.1',
      'D3.1.2',
      'D4.1.1',
      'D4.1.2',
    ]);
    expect(call.standards[0]).toMatchObject({
      itemText: '学雷锋',
      method: 'material',
      maxScore: 4,
    });
    expect(call.maxTotal).toBe(30);
    refusal(
      await city.post('/api/cell-award-calls', {
        year: 2026,
        cellType: 'unit',
        level: 'city',
        title: '2026年度市级文明单位申报',
        frameworkId,
        applicationDeadline: addDays(today, 30),
      }),
      409,
      'duplicate',
    );
    refusal(
      await city.post('/api/cell-award-calls', {
        year: 2026,
        cellType: 'unit',
        level: 'city',
        title: '没有体系的通知',
        frameworkId: 999_999,
        applicationDeadline: addDays(today, 30),
      }),
      400,
      'invalid',
    );
    // The assessment is the offices' record: a leader reads it, a unit user does not.
    expectStatus(await leader.get(`/api/cell-award-calls/${call.id}`), 200);
    expectStatus(await unitUser.get(`/api/cell-award-calls/${call.id}`), 403);
    expectStatus(await unitUser.get('/api/cell-award-calls'), 403);
    expectStatus(
      await leader.post(`/api/cell-award-calls/${call.id}/status`, { version: 1, status: 'open' }),
      403,
    );
  });

  it('applications come in while the call is open, one per applicant', async () => {
    refusal(
      await city.post(`/api/cell-award-calls/${call.id}/applications`, { unitId: ids.units[0] }),
      409,
      'wrong_stage',
    );
    expectStatus(await move(city, call.id, 'open'), 200);
    const keys = ['a', 'b', 'c', 'd'] as const;
    for (const [i, k] of keys.entries()) {
      const res = expectStatus(
        await city.post(`/api/cell-award-calls/${call.id}/applications`, {
          unitId: ids.units[i],
          contact: '联络员 13900000000',
        }),
        201,
      ).json<TApplicationDetail>();
      app[k] = res.id;
    }
    const a = await getApp(app.a);
    expect(a).toMatchObject({
      applicantName: '申报市城管局',
      unitName: '申报市城管局',
      eligibility: 'unchecked',
      totalScore: 0,
      decision: null,
    });
    refusal(
      await city.post(`/api/cell-award-calls/${call.id}/applications`, { unitId: ids.units[0] }),
      409,
      'duplicate',
    );
    refusal(
      await city.post(`/api/cell-award-calls/${call.id}/applications`, { applicantName: '无单位' }),
      400,
      'invalid',
    );
  });

  it('the applicant’s report per standard: ≤ 500 characters, with documents attached', async () => {
    const key = call.standards[0]!.key;
    const saved = expectStatus(
      await city.put(`/api/cell-award-applications/${app.a}/materials/${key}`, {
        report: '成立学雷锋志愿服务队，全年开展活动 12 次。',
      }),
      200,
    ).json<TApplicationDetail>();
    expect(saved.materials).toEqual([
      { standardKey: key, report: '成立学雷锋志愿服务队，全年开展活动 12 次。', files: [] },
    ]);
    const tooLong = refusal(
      await city.put(`/api/cell-award-applications/${app.a}/materials/${key}`, {
        report: '字'.repeat(501),
      }),
      400,
      'invalid',
    );
    expect(tooLong.fields?.[0]?.message).toMatch(/500/);
    refusal(
      await city.put(`/api/cell-award-applications/${app.a}/materials/NO-SUCH`, { report: 'x' }),
      404,
      'not_found',
    );
    const withFile = expectStatus(
      await city.upload(
        `/api/cell-award-applications/${app.a}/materials/${key}/files`,
        minimalPdf(),
        '学雷锋活动记录.pdf',
      ),
      201,
    ).json<TApplicationDetail>();
    const file = withFile.materials[0]!.files[0]!;
    expect(file).toMatchObject({ title: '学雷锋活动记录.pdf', mime: 'application/pdf' });
    // The file is read as the application is: the office yes, a unit user not (404).
    expectStatus(await city.get(`/api/files/${file.fileId}`), 200);
    expectStatus(await leader.get(`/api/files/${file.fileId}`), 200);
    expectStatus(await unitUser.get(`/api/files/${file.fileId}`), 404);
  });

  it('scores only while assessing, each at most its standard’s points (bilingual 400)', async () => {
    refusal(await assess(app.a, { scores: fullScores(call) }), 409, 'wrong_stage');
    expectStatus(await move(city, call.id, 'assessing'), 200);
    refusal(
      await city.post(`/api/cell-award-calls/${call.id}/applications`, { unitId: ids.units[3] }),
      409,
      'wrong_stage',
    );
    const over = fullScores(call);
    over[2] = { standardKey: call.standards[2]!.key, score: call.standards[2]!.maxScore + 0.5 };
    const e = refusal(await assess(app.a, { scores: over }), 400, 'invalid');
    expect(e.fields).toEqual([
      { path: 'body.scores.2.score', message: expect.stringContaining('5.5') },
    ]);
    expect(e.messageEn).toMatch(/above the standard's points/);
    expect((await getApp(app.a)).scored).toBe(0);
    // Negative scores are refused by the schema.
    refusal(
      await assess(app.a, { scores: [{ standardKey: call.standards[0]!.key, score: -1 }] }),
      400,
      'invalid',
    );
  });

  it('the assessor checks the vetoes and scores item by item; the total is computed', async () => {
    const a = expectStatus(
      await assess(app.a, {
        scores: fullScores(call, 1.5),
        vetoes: clearVetoes,
        assessorNotes: '实地查看、材料审核、问卷调查结果良好。',
      }),
      200,
    ).json<TApplicationDetail>();
    expect(a).toMatchObject({ totalScore: 28.5, scored: 8, eligibility: 'eligible' });
    expect(a.vetoes).toHaveLength(3);
    expect(a.vetoes.find((v) => v.key === 'leadership_violation')).toMatchObject({
      hit: false,
      note: '经核查无',
    });
    // A stale version is a 409, never a silent overwrite.
    refusal(
      await city.put(`/api/cell-award-applications/${app.a}/assessment`, {
        version: a.version - 1,
        assessorNotes: '旧',
      }),
      409,
      'stale_version',
    );
    // b: a major food accident within 2 years — one veto hit is enough.
    const b = expectStatus(
      await assess(app.b, {
        scores: fullScores(call),
        vetoes: [
          ...clearVetoes.slice(0, 2),
          { key: 'safety_or_food_accident', hit: true, note: '食堂集体食物中毒' },
        ],
      }),
      200,
    ).json<TApplicationDetail>();
    expect(b).toMatchObject({ eligibility: 'ineligible', totalScore: 30 });
    expectStatus(await assess(app.c, { scores: fullScores(call, 1), vetoes: clearVetoes }), 200);
    // d: vetoes checked, two standards left unscored.
    expectStatus(
      await assess(app.d, { scores: fullScores(call).slice(0, 6), vetoes: clearVetoes }),
      200,
    );
    const list = expectStatus(
      await city.get(`/api/cell-award-calls/${call.id}/applications`),
      200,
    ).json<{ items: TApplication[] }>().items;
    expect(list.map((x) => [x.applicantName, x.totalScore, x.eligibility, x.scored])).toEqual([
      ['申报市城管局', 28.5, 'eligible', 8],
      ['申报市教育局', 30, 'ineligible', 8],
      ['申报市市场监管局', 29, 'eligible', 8],
      ['申报市体育局', 23, 'eligible', 6],
    ]);
    const audit = await audits('cell_award_application.assess', app.b);
    expect(audit.at(-1)!.after).toMatchObject({
      vetoes: expect.arrayContaining([expect.objectContaining({ hit: true })]),
    });
  });

  it('公示: only eligible, fully scored applications go on the list; scores freeze', async () => {
    const c0 = await getCall(city, call.id);
    const publish = (applicationIds: number[], version = c0.version) =>
      city.post(`/api/cell-award-calls/${call.id}/publicity`, {
        version,
        startDate: addDays(today, -10),
        applicationIds,
      });
    refusal(await publish([app.a, app.b]), 409, 'ineligible');
    refusal(await publish([app.a, app.d]), 409, 'not_scored');
    refusal(await move(city, call.id, 'publicity'), 400, 'invalid');
    const published = expectStatus(await publish([app.a, app.c]), 200).json<TCallDetail>();
    expect(published).toMatchObject({
      status: 'publicity',
      publicityStart: addDays(today, -10),
      publicityEnd: addDays(today, -4),
    });
    const status = await audits('cell_award_call.status', call.id);
    expect(status.map((x) => x.after.status)).toEqual(['open', 'assessing', 'publicity']);
    expect((await getApp(app.a)).proposed).toBe(true);
    expect((await getApp(app.b)).proposed).toBe(false);
    refusal(await assess(app.a, { scores: fullScores(call) }), 409, 'wrong_stage');
  });

  it('objections are recorded against the published list, with their handling', async () => {
    const withObjection = expectStatus(
      await city.post(`/api/cell-award-applications/${app.a}/objections`, {
        receivedOn: addDays(today, -8),
        raisedBy: '匿名来信',
        content: '反映该单位志愿服务记录不全。',
      }),
      201,
    ).json<TApplicationDetail>();
    const o = withObjection.objectionList[0]!;
    expect(o).toMatchObject({ outcome: 'pending', raisedBy: '匿名来信', handling: null });
    refusal(
      await city.post(`/api/cell-award-applications/${app.d}/objections`, {
        receivedOn: today,
        raisedBy: '群众',
        content: '不在名单上的单位',
      }),
      409,
      'not_proposed',
    );
    refusal(
      await city.post(`/api/cell-award-applications/${app.a}/objections`, {
        receivedOn: today,
        raisedBy: '',
        content: 'x',
      }),
      400,
      'invalid',
    );
    // Conferring waits for the objection to be checked.
    refusal(
      await city.post(`/api/cell-award-applications/${app.a}/decision`, {
        version: withObjection.version,
        decision: 'conferred',
      }),
      409,
      'objection_pending',
    );
    const handled = expectStatus(
      await city.patch(`/api/cell-award-applications/${app.a}/objections/${o.id}`, {
        version: o.version,
        handling: '调阅志愿服务平台记录，服务时长记录完整。',
        outcome: 'dismissed',
      }),
      200,
    ).json<TApplicationDetail>();
    expect(handled.objectionList[0]).toMatchObject({ outcome: 'dismissed', version: 2 });
    expect(handled.objections).toBe(1);
  });

  it('conferring after 公示 registers the holder in the honours registry, linked and audited', async () => {
    const a = await getApp(app.a);
    const decided = expectStatus(
      await city.post(`/api/cell-award-applications/${app.a}/decision`, {
        version: a.version,
        decision: 'conferred',
        note: '公示期满无成立异议',
      }),
      200,
    ).json<TApplicationDetail>();
    expect(decided.decision).toBe('conferred');
    expect(decided.honour).toMatchObject({
      title: '市级文明单位',
      yearConferred: 2026,
      termYears: 3,
      certificateNo: `WM2026-${String(decided.honourId).padStart(5, '0')}`,
    });
    const h = expectStatus(await city.get(`/api/honours/${decided.honourId}`), 200).json<THonour>();
    expect(h).toMatchObject({
      cellType: 'unit',
      holderName: '申报市城管局',
      unitId: ids.units[0],
      level: 'city',
      yearConferred: 2026,
      status: 'listed',
      officeRegionId: null,
    });
    expect((await audits('honour.create', h.id))[0]!.after).toMatchObject({ applicationId: app.a });
    expect((await audits('cell_award_application.decision', app.a))[0]!.after).toMatchObject({
      decision: 'conferred',
      honourId: h.id,
    });
    refusal(
      await city.post(`/api/cell-award-applications/${app.a}/decision`, {
        version: decided.version,
        decision: 'not_conferred',
      }),
      409,
      'decided',
    );
  });

  it('a veto blocks conferring, even one found during 公示; not proposed cannot be conferred', async () => {
    const b = await getApp(app.b);
    refusal(
      await city.post(`/api/cell-award-applications/${app.b}/decision`, {
        version: b.version,
        decision: 'conferred',
      }),
      409,
      'not_proposed',
    );
    // c was on the list; an objection brings a criminal case to light: the veto is recorded.
    expectStatus(
      await assess(app.c, {
        vetoes: [{ key: 'staff_criminal_case', hit: true, note: '经公安机关核实，职工涉刑事案件' }],
      }),
      200,
    );
    const c = await getApp(app.c);
    expect(c.eligibility).toBe('ineligible');
    refusal(
      await city.post(`/api/cell-award-applications/${app.c}/decision`, {
        version: c.version,
        decision: 'conferred',
      }),
      409,
      'ineligible',
    );
    const honours = await execRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from honours where holder_name = '申报市市场监管局'`,
    );
    expect(honours[0]!.n).toBe(0);
  });

  it('the call is decided only when every application is; then nothing changes', async () => {
    refusal(await move(city, call.id, 'decided'), 409, 'undecided');
    for (const id of [app.b, app.c, app.d]) {
      const x = await getApp(id);
      expectStatus(
        await city.post(`/api/cell-award-applications/${id}/decision`, {
          version: x.version,
          decision: 'not_conferred',
          note: '未列入或不符合授予条件',
        }),
        200,
      );
    }
    expect((await getCall(city, call.id)).status).toBe('publicity');
    expectStatus(await move(city, call.id, 'decided'), 200);
    refusal(await assess(app.d, { vetoes: clearVetoes }), 409, 'decided');
    refusal(await move(city, call.id, 'open'), 409, 'wrong_stage');
    const list = expectStatus(
      await city.get(`/api/cell-award-calls/${call.id}/applications`),
      200,
    ).json<{ items: TApplication[] }>().items;
    expect(list.map((x) => x.decision)).toEqual([
      'conferred',
      'not_conferred',
      'not_conferred',
      'not_conferred',
    ]);
  });
});

describe('文明细胞申报 by level: a district office runs its own calls', () => {
  let call: TCallDetail;

  it('a district office’s call is its own; the city’s is not there for it', async () => {
    call = expectStatus(
      await district.post('/api/cell-award-calls', {
        year: 2026,
        cellType: 'community',
        level: 'county',
        title: '2026年度申甲区文明社区申报',
        frameworkId,
        applicationDeadline: addDays(today, 30),
        publicityDays: 5,
      }),
      201,
    ).json<TCallDetail>();
    expect(call).toMatchObject({ officeRegionId: ids.r1, honourTitle: '县级文明社区' });
    refusal(
      await district.post('/api/cell-award-calls', {
        year: 2026,
        cellType: 'community',
        level: 'city',
        title: '越级的通知',
        frameworkId,
        applicationDeadline: addDays(today, 30),
        officeRegionId: null,
      }),
      403,
      'outside_jurisdiction',
    );
    const mine = expectStatus(await district.get('/api/cell-award-calls'), 200).json<{
      items: { id: number; title: string }[];
    }>().items;
    expect(mine.map((c) => c.title)).toEqual(['2026年度申甲区文明社区申报']);
    const all = expectStatus(await city.get('/api/cell-award-calls?year=2026'), 200).json<{
      items: { id: number }[];
    }>().items;
    expect(all).toHaveLength(2);
    const cityCall = all.find((c) => c.id !== call.id)!;
    refusal(await district.get(`/api/cell-award-calls/${cityCall.id}`), 404, 'not_found');
    refusal(
      await district.get(`/api/cell-award-calls/${cityCall.id}/applications`),
      404,
      'not_found',
    );
  });

  it('applicants come from its subtree; the decision waits for 公示 to end', async () => {
    expectStatus(await move(district, call.id, 'open'), 200);
    refusal(
      await district.post(`/api/cell-award-calls/${call.id}/applications`, {
        applicantName: '申乙社区',
        regionId: ids.c2,
      }),
      403,
      'outside_jurisdiction',
    );
    const a = expectStatus(
      await district.post(`/api/cell-award-calls/${call.id}/applications`, {
        applicantName: '申甲社区',
        regionId: ids.c1,
      }),
      201,
    ).json<TApplicationDetail>();
    expect(a).toMatchObject({ regionName: '申甲社区', unitId: null });
    expectStatus(await move(district, call.id, 'assessing'), 200);
    expectStatus(
      await assess(a.id, { scores: fullScores(call, 2), vetoes: clearVetoes }, district),
      200,
    );
    const c = await getCall(district, call.id);
    const published = expectStatus(
      await district.post(`/api/cell-award-calls/${call.id}/publicity`, {
        version: c.version,
        startDate: today,
        applicationIds: [a.id],
      }),
      200,
    ).json<TCallDetail>();
    expect(published.publicityEnd).toBe(addDays(today, 4));
    const x = await getApp(a.id, district);
    const e = refusal(
      await district.post(`/api/cell-award-applications/${a.id}/decision`, {
        version: x.version,
        decision: 'conferred',
      }),
      409,
      'publicity_running',
    );
    expect(e.messageZh).toContain(addDays(today, 4));
    // The city office sees the district's call and its applicant (its own level covers all).
    expect((await getApp(a.id, city)).totalScore).toBe(28);
  });
});

describe('文明细胞申报: editing a call', () => {
  it('a draft is edited freely; an open call only its title, deadline and notes', async () => {
    const c = expectStatus(
      await city.post('/api/cell-award-calls', {
        year: 2027,
        cellType: 'family',
        level: 'city',
        title: '2027年度市级文明家庭推选',
        frameworkId,
        applicationDeadline: addDays(today, 20),
      }),
      201,
    ).json<TCallDetail>();
    expect(c.honourTitle).toBe('市级文明家庭');
    const edited = expectStatus(
      await city.patch(`/api/cell-award-calls/${c.id}`, {
        version: c.version,
        publicityDays: 5,
        honourTitle: '示范市文明家庭',
        notes: '以社区推荐为主',
      }),
      200,
    ).json<TCallDetail>();
    expect(edited).toMatchObject({
      publicityDays: 5,
      honourTitle: '示范市文明家庭',
      notes: '以社区推荐为主',
    });
    refusal(
      await city.patch(`/api/cell-award-calls/${c.id}`, { version: c.version, notes: '旧版本' }),
      409,
      'stale_version',
    );
    expectStatus(await move(city, c.id, 'open'), 200);
    const open = await getCall(city, c.id);
    refusal(
      await city.patch(`/api/cell-award-calls/${c.id}`, {
        version: open.version,
        publicityDays: 9,
      }),
      409,
      'wrong_stage',
    );
    // The deadline moved into the past: no more applications.
    expectStatus(
      await city.patch(`/api/cell-award-calls/${c.id}`, {
        version: open.version,
        applicationDeadline: addDays(today, -1),
      }),
      200,
    );
    const late = refusal(
      await city.post(`/api/cell-award-calls/${c.id}/applications`, {
        applicantName: '张家',
        regionId: ids.c1,
      }),
      409,
      'deadline_passed',
    );
    expect(late.messageZh).toContain(addDays(today, -1));
    const audit = await audits('cell_award_call.update', c.id);
    expect(audit).toHaveLength(2);
  });
});

describe('文明细胞申报: only a 文明细胞 (cells) campaign’s framework', () => {
  const body = (title: string, fw: number) => ({
    year: 2028,
    cellType: 'unit',
    level: 'city',
    title,
    frameworkId: fw,
    applicationDeadline: addDays(today, 20),
  });

  it('a framework of the city’s evaluation, even published, is refused (bilingual 400)', async () => {
    const db = t.database.db;
    const [campaign] = await execRows<{ id: number }>(
      db,
      sql`insert into campaigns (name, cycle_start_year, cycle_years, cycle_weights, method_weights,
            survey_floor)
          values ('申报测试城市周期', 2026, 3, '[15,25,60]'::jsonb,
            '{"material":40,"field":40,"survey":20}'::jsonb,
            '{"enabled":false,"minRate":0,"effect":"veto"}'::jsonb) returning id`,
    );
    const [cityFw] = await execRows<{ id: number }>(
      db,
      sql`insert into frameworks (campaign_id, name, level)
          values (${campaign!.id}, '申报测试城市体系', 'prefecture') returning id`,
    );
    await execRows(
      db,
      sql`insert into framework_versions (framework_id, number, status, source, published_at)
          values (${cityFw!.id}, 1, 'published', '{}'::jsonb, now())`,
    );
    const e = refusal(
      await city.post('/api/cell-award-calls', body('城市体系的通知', cityFw!.id)),
      400,
      'invalid',
    );
    expect(e.messageZh).toContain('文明细胞');
    expect(e.messageEn).toContain('cells');
    expect(e.fields?.[0]?.path).toBe('body.frameworkId');
    // Nor can a draft call move onto it.
    const draft = expectStatus(
      await city.post('/api/cell-award-calls', body('改用城市体系', frameworkId)),
      201,
    ).json<TCallDetail>();
    const moved = refusal(
      await city.patch(`/api/cell-award-calls/${draft.id}`, {
        version: draft.version,
        frameworkId: cityFw!.id,
      }),
      400,
      'invalid',
    );
    expect(moved.messageEn).toBe(e.messageEn);
    expect((await getCall(city, draft.id)).frameworkId).toBe(frameworkId);
  });

  it('the demo cell campaign made before campaigns had a kind is marked cells by the seed', async () => {
    const db = t.database.db;
    // As migration 0045 leaves it: every campaign 'city'.
    await execRows(
      db,
      sql`update campaigns set kind = 'city'
           where id = (select campaign_id from frameworks where id = ${frameworkId})`,
    );
    refusal(await city.post('/api/cell-award-calls', body('迁移前', frameworkId)), 400, 'invalid');
    expect(await withTx(t.database, (tx) => ensureCellFramework(tx))).toBe(frameworkId);
    const [row] = await execRows<{ kind: string }>(
      db,
      sql`select c.kind from campaigns c join frameworks f on f.campaign_id = c.id
           where f.id = ${frameworkId}`,
    );
    expect(row!.kind).toBe('cells');
    expectStatus(await city.post('/api/cell-award-calls', body('迁移后', frameworkId)), 201);
  });
});
