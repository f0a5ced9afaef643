import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths } from '../../../core/cells/dynamic.js';
import { shanghaiDate } from '../../../core/calendar/working-days.js';
import type {
  TCheck,
  TCheckList,
  THolderRecord,
  TNegativeList,
  TReviewBulletin,
  TReviewDetail,
} from '../../../core/contracts/cell-checks.js';
import type { THonour } from '../../../core/contracts/honours.js';
import type { TCategory } from '../../../core/contracts/problems.js';
import { execRows } from '../../db/client.js';
import { buildRegion, buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type Res, type TestApp } from '../../test/harness.js';
import { categoriesByCode, report } from '../../test/problems-kit.js';

// Issue #22, item 3 — 文明细胞 dynamic management: quarterly checks against a list, negative-list
// hits with the yearly deduction and the severe rule (整改, audited), problems at a holder's
// premises turned into hits, the yearly 复审 (non-filers give the title up, the renewal cap drops
// the lowest) with its 通报, and by level: a district office has its subtree.

let t: TestApp;
let city: Agent;
let district: Agent;
let otherDistrict: Agent;
let unitUser: Agent;
let cat: TCategory;
const TODAY = shanghaiDate(new Date());
const YEAR = Number(TODAY.slice(0, 4));
const H = {} as Record<'a' | 'b' | 'c' | 'd' | 'e' | 'f', THonour>;
let unitId = 0;
let d1Id = 0;
let checkList: TCheckList;
let negList: TNegativeList;

const LAT = 30.3;
const LNG = 120.2;
const north = (m: number) => LAT + m / 111_320;

function ok(res: Res, status = 200): Res {
  expect(res.statusCode, res.body).toBe(status);
  return res;
}

/** A refusal with its code and both messages (Chinese and English). */
function refused(res: Res, status: number, code?: string) {
  expect(res.statusCode, res.body).toBe(status);
  const e = res.json<{ error: { code: string; messageZh: string; messageEn: string } }>().error;
  if (code) expect(e.code).toBe(code);
  expect(e.messageZh).toMatch(/[\u4e00-\u9fff]/);
  expect(e.messageEn).toMatch(/[a-z]/);
  return e;
}

async function statusAudits(honourId: number) {
  return execRows<{ after: { status: string; reason: string } }>(
    t.database.db,
    sql`select "after" from audit_log where action = 'honour.status' and entity_id = ${String(honourId)} order by id`,
  );
}

const honour = async (id: number) => ok(await city.get(`/api/honours/${id}`)).json<THonour>();
const record = async (agent: Agent, id: number) =>
  ok(await agent.get(`/api/honours/${id}/management`)).json<THolderRecord>();

function dayBefore(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const c = await buildRegion(db, { name: '细胞市', level: 'city' });
  const d1 = await buildRegion(db, { name: '细胞甲区', level: 'district', parent: c });
  const d2 = await buildRegion(db, { name: '细胞乙区', level: 'district', parent: c });
  const u = await buildUnit(db, { name: '细胞甲区税务局', regionId: d1.id });
  unitId = u.id;
  d1Id = d1.id;
  await buildUser(db, { username: 'ccity', roles: ['office'] });
  await buildUser(db, { username: 'cd1', roles: ['office'], regionId: d1.id });
  await buildUser(db, { username: 'cd2', roles: ['office'], regionId: d2.id });
  await buildUser(db, { username: 'cunit', roles: ['unit'], unitId: u.id });
  city = await t.login('ccity');
  district = await t.login('cd1');
  otherDistrict = await t.login('cd2');
  unitUser = await t.login('cunit');
  cat = [...(await categoriesByCode(city)).values()].find((x) => x.parentId !== null)!;
  const holder = async (name: string, extra: Record<string, unknown>) =>
    ok(
      await city.post('/api/honours', {
        cellType: 'unit',
        holderName: name,
        level: 'city',
        yearConferred: YEAR - 1,
        regionId: d1.id,
        officeRegionId: d1.id,
        ...extra,
      }),
      201,
    ).json<THonour>();
  H.a = await holder('细胞甲区税务局', { unitId: u.id, lat: LAT, lng: LNG });
  H.b = await holder('细胞乙单位', {});
  H.c = await holder('细胞丙单位', {});
  H.d = await holder('细胞丁单位', { officeRegionId: null });
  H.e = await holder('细胞戊单位', { regionId: d2.id, officeRegionId: d2.id });
  H.f = await holder('细胞己单位', {});
});
afterAll(() => t.close());

describe('文明细胞 dynamic management', () => {
  it('the city keeps the check list and the negative list; a district office reads them', async () => {
    checkList = ok(
      await city.post('/api/cell-check-lists', {
        cellType: 'unit',
        name: '文明单位季度检查',
        frequency: 'quarterly',
        standards: [1, 2, 3, 4].map((i) => ({ code: `S${i}`, text: `标准${i}`, points: 25 })),
      }),
      201,
    ).json<TCheckList>();
    expect(checkList.totalPoints).toBe(100);
    negList = ok(
      await city.post('/api/cell-negative-lists', {
        cellType: 'unit',
        name: '文明单位负面清单',
        items: [
          { code: 'N1', text: '门前脏乱', points: 2 },
          { code: 'N2', text: '志愿服务缺席', points: 3 },
          { code: 'X1', text: '发生重大安全事故', points: 3, severe: true },
        ],
      }),
      201,
    ).json<TNegativeList>();
    expect(negList).toMatchObject({ severeAction: 'rectify', severeWindowMonths: 24 });
    expect(negList.rule.zh).toContain('24 个月内');

    refused(
      await district.post('/api/cell-check-lists', {
        cellType: 'unit',
        name: '区里的',
        frequency: 'monthly',
        standards: [{ code: '1', text: 'x', points: 1 }],
      }),
      403,
      'city_level',
    );
    const dupCodes = refused(
      await city.post('/api/cell-check-lists', {
        cellType: 'unit',
        name: '重复编号',
        frequency: 'monthly',
        standards: [
          { code: 'A', text: 'x', points: 1 },
          { code: 'A', text: 'y', points: 1 },
        ],
      }),
      400,
      'invalid',
    );
    expect(dupCodes.messageZh).toBeTruthy();
    expect(ok(await district.get('/api/cell-negative-lists?cellType=unit')).json()).toHaveLength(1);
  });

  it('records a quarterly check once per period; a second one is refused (409), bad input 400', async () => {
    const body = {
      honourId: H.a.id,
      listId: checkList.id,
      period: `${YEAR}-Q1`,
      checkedOn: TODAY,
      results: [
        { code: 'S1', pass: true },
        { code: 'S2', pass: true },
        { code: 'S3', pass: false, note: '宣传栏未更新' },
        { code: 'S4', pass: true },
      ],
    };
    const check = ok(await district.post('/api/cell-checks', body), 201).json<TCheck>();
    expect(check).toMatchObject({ score: 75, passed: 3, holderName: '细胞甲区税务局' });
    expect(check.results[2]).toMatchObject({ text: '标准3', pass: false, note: '宣传栏未更新' });

    const dup = refused(await district.post('/api/cell-checks', body), 409, 'duplicate');
    expect(dup.messageZh).toContain(`${YEAR}-Q1`);
    expect(dup.messageEn).toContain('already checked');

    refused(await district.post('/api/cell-checks', { ...body, period: `${YEAR}-09` }), 400);
    refused(
      await district.post('/api/cell-checks', {
        ...body,
        period: `${YEAR}-Q2`,
        results: body.results.slice(0, 3),
      }),
      400,
      'invalid',
    );
    refused(await district.post('/api/cell-checks', { ...body, period: 'Q3' }), 400, 'invalid');
    // The next quarter is a new check.
    ok(await district.post('/api/cell-checks', { ...body, period: `${YEAR}-Q2` }), 201);
    expect(ok(await district.get(`/api/cell-checks?honourId=${H.a.id}`)).json()).toHaveLength(2);
  });

  it('sums the year’s deductions of the negative-list hits', async () => {
    for (const itemCode of ['N1', 'N2'])
      ok(await district.post('/api/cell-hits', { honourId: H.b.id, itemCode, hitOn: TODAY }), 201);
    // Last year's hit deducts from last year.
    ok(
      await district.post('/api/cell-hits', {
        honourId: H.b.id,
        itemCode: 'N2',
        hitOn: `${YEAR - 1}-12-31`,
      }),
      201,
    );
    const r = await record(district, H.b.id);
    expect(r.hits).toHaveLength(3);
    expect(r.deductionsThisYear).toBe(5);
    expect(r.yearScore).toBe(-5);
    expect(r.honour.status).toBe('listed');
    refused(
      await district.post('/api/cell-hits', { honourId: H.b.id, itemCode: 'ZZ', hitOn: TODAY }),
      400,
      'invalid',
    );
  });

  it('a severe hit within 24 months puts the holder to 整改 for a year, audited with the hit', async () => {
    const res = ok(
      await district.post('/api/cell-hits', {
        honourId: H.c.id,
        itemCode: 'X1',
        hitOn: TODAY,
        note: '仓库火灾',
      }),
      201,
    ).json<{ hit: { action: string; rectifyUntil: string }; statusChange: { to: string } }>();
    expect(res.hit).toMatchObject({ action: 'rectify', rectifyUntil: addMonths(TODAY, 12) });
    expect(res.statusChange).toMatchObject({ from: 'listed', to: 'rectifying' });
    expect((await honour(H.c.id)).status).toBe('rectifying');
    const audits = await statusAudits(H.c.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]!.after).toMatchObject({ status: 'rectifying' });
    expect(audits[0]!.after.reason).toContain('X1 发生重大安全事故');
    expect(audits[0]!.after.reason).toContain(addMonths(TODAY, 12));

    // A severe item older than the window deducts but changes nothing.
    const old = ok(
      await district.post('/api/cell-hits', {
        honourId: H.f.id,
        itemCode: 'X1',
        hitOn: addMonths(TODAY, -25),
      }),
      201,
    ).json<{ statusChange: unknown; hit: { action: unknown } }>();
    expect(old.statusChange).toBeNull();
    expect(old.hit.action).toBeNull();
    expect((await honour(H.f.id)).status).toBe('listed');

    // The rule is the list's: the second severe hit within 24 months disqualifies (撤销).
    const patched = ok(
      await city.patch(`/api/cell-negative-lists/${negList.id}`, {
        version: negList.version,
        severeAction: 'disqualify',
        severeThreshold: 2,
      }),
    ).json<TNegativeList>();
    expect(patched.rule.zh).toContain('累计 2 次');
    expect(patched.rule.zh).toContain('取消资格');
    refused(
      await city.patch(`/api/cell-negative-lists/${negList.id}`, {
        version: negList.version,
        severeThreshold: 3,
      }),
      409,
      'stale_version',
    );
    const hitD = () =>
      city.post('/api/cell-hits', { honourId: H.d.id, itemCode: 'X1', hitOn: TODAY });
    expect(ok(await hitD(), 201).json<{ statusChange: unknown }>().statusChange).toBeNull();
    expect(ok(await hitD(), 201).json<{ statusChange: unknown }>().statusChange).toMatchObject({
      from: 'listed',
      to: 'revoked',
    });
    expect((await honour(H.d.id)).status).toBe('revoked');
    expect((await statusAudits(H.d.id))[0]!.after.reason).toContain('取消资格');
    // A revoked title is no longer checked or hit.
    refused(await hitD(), 409, 'holder_inactive');
  });

  it('lists the problems at the premises (its unit, or within 100 m) and turns one into a hit', async () => {
    const near = await report(city, {
      categoryId: cat.id,
      lat: north(40),
      lng: LNG,
      regionId: d1Id,
    });
    const far = await report(city, {
      categoryId: cat.id,
      lat: north(400),
      lng: LNG,
      regionId: d1Id,
    });
    const unitsOwn = await report(city, {
      categoryId: cat.id,
      lat: north(2000),
      lng: LNG,
      regionId: d1Id,
    });
    await execRows(
      t.database.db,
      sql`update problems set unit_id = ${unitId} where id = ${unitsOwn.problem.id}`,
    );
    const r = await record(district, H.a.id);
    const byId = new Map(r.problems.map((p) => [p.id, p]));
    expect(byId.get(near.problem.id)).toMatchObject({ byUnit: false, hitId: null });
    expect(byId.get(near.problem.id)!.distanceM).toBeGreaterThan(30);
    expect(byId.get(near.problem.id)!.distanceM).toBeLessThan(50);
    expect(byId.get(unitsOwn.problem.id)).toMatchObject({ byUnit: true });
    expect(byId.has(far.problem.id)).toBe(false);

    const hit = ok(
      await district.post('/api/cell-hits', {
        honourId: H.a.id,
        itemCode: 'N1',
        hitOn: TODAY,
        problemId: near.problem.id,
      }),
      201,
    ).json<{ hit: { id: number; problemId: number } }>();
    expect(hit.hit.problemId).toBe(near.problem.id);
    const after = await record(district, H.a.id);
    expect(after.problems.find((p) => p.id === near.problem.id)!.hitId).toBe(hit.hit.id);
    expect(after.deductionsThisYear).toBe(2);
    refused(
      await district.post('/api/cell-hits', {
        honourId: H.a.id,
        itemCode: 'N1',
        hitOn: TODAY,
        problemId: near.problem.id,
      }),
      409,
      'duplicate',
    );
    refused(
      await district.post('/api/cell-hits', {
        honourId: H.a.id,
        itemCode: 'N1',
        hitOn: TODAY,
        problemId: far.problem.id,
      }),
      400,
      'invalid',
    );
  });

  it('by level: another district’s holder is not there (404), a city-managed one is read-only (403)', async () => {
    refused(await district.get(`/api/honours/${H.e.id}/management`), 404);
    const check = {
      listId: checkList.id,
      period: `${YEAR}-Q3`,
      checkedOn: TODAY,
      results: ['S1', 'S2', 'S3', 'S4'].map((code) => ({ code, pass: true })),
    };
    refused(await district.post('/api/cell-checks', { ...check, honourId: H.e.id }), 404);
    refused(await district.post('/api/cell-checks', { ...check, honourId: H.d.id }), 403);
    refused(
      await district.post('/api/cell-hits', { honourId: H.d.id, itemCode: 'N1', hitOn: TODAY }),
      403,
    );
    expect((await record(district, H.d.id)).honour.managed).toBe(false);
    expect((await record(city, H.d.id)).honour.managed).toBe(true);
    // The city writes every holder; the district's check list reads only its subtree's checks.
    ok(await city.post('/api/cell-checks', { ...check, honourId: H.e.id }), 201);
    const seen = ok(await district.get(`/api/cell-checks?period=${YEAR}-Q3`)).json<TCheck[]>();
    expect(seen.map((c) => c.honourId)).not.toContain(H.e.id);
  });

  it('复审: non-filers give the title up, the cap drops the lowest, the 通报 lists every outcome', async () => {
    const opened = ok(
      await district.post('/api/cell-reviews', {
        cellType: 'unit',
        year: YEAR,
        filingDeadline: TODAY,
        renewalCapPct: 25,
      }),
      201,
    ).json<TReviewDetail>();
    // The district's own holders in good standing: not the city-managed 丁 nor 乙区's 戊.
    expect(opened.holders.map((h) => h.holderName).sort()).toEqual(
      ['细胞丙单位', '细胞乙单位', '细胞己单位', '细胞甲区税务局'].sort(),
    );
    expect(opened.name).toBe(`${YEAR} 年度文明单位复审`);
    const id = opened.id;
    refused(await otherDistrict.get(`/api/cell-reviews/${id}`), 404);
    ok(await city.get(`/api/cell-reviews/${id}`));
    // The city's review of the year takes the rest (戊; 丁 was revoked): one review a year each.
    const rest = ok(
      await city.post('/api/cell-reviews', { cellType: 'unit', year: YEAR, filingDeadline: TODAY }),
      201,
    ).json<TReviewDetail>();
    expect(rest.holders.map((h) => h.holderName)).toEqual(['细胞戊单位']);
    expect(rest.holderCount).toBe(1);
    refused(
      await city.post('/api/cell-reviews', { cellType: 'unit', year: YEAR, filingDeadline: TODAY }),
      409,
      'nothing_to_review',
    );
    refused(await district.get(`/api/cell-reviews/${rest.id}`), 404);

    // The unit files its own report; another's is not there for it.
    const own = ok(
      await unitUser.put(`/api/cell-reviews/${id}/holders/${H.a.id}/report`, {
        report: '本年度创建工作总结……',
      }),
    ).json<{ filedAt: string | null }>();
    expect(own.filedAt).not.toBeNull();
    refused(
      await unitUser.put(`/api/cell-reviews/${id}/holders/${H.b.id}/report`, { report: 'x' }),
      404,
    );
    for (const h of [H.b, H.f])
      ok(await district.put(`/api/cell-reviews/${id}/holders/${h.id}/report`, { report: '报告' }));
    // 丙 does not file.
    refused(
      await district.put(`/api/cell-reviews/${id}/holders/${H.c.id}/outcome`, { outcome: 'keep' }),
      409,
      'not_filed',
    );
    refused(
      await district.put(`/api/cell-reviews/${id}/holders/${H.f.id}/outcome`, {
        outcome: 'rectify',
      }),
      400,
      'invalid',
    );
    for (const [h, body] of [
      [H.a, { outcome: 'keep' }],
      [H.b, { outcome: 'keep' }],
      [H.f, { outcome: 'rectify', rectifyDeadline: addMonths(TODAY, 6), note: '台账不全' }],
    ] as const)
      ok(await district.put(`/api/cell-reviews/${id}/holders/${h.id}/outcome`, body));

    let review = ok(await district.get(`/api/cell-reviews/${id}`)).json<TReviewDetail>();
    refused(
      await district.post(`/api/cell-reviews/${id}/close`, { version: review.version }),
      409,
      'deadline_not_passed',
    );
    review = ok(
      await district.patch(`/api/cell-reviews/${id}`, {
        version: review.version,
        filingDeadline: dayBefore(TODAY),
      }),
    ).json<TReviewDetail>();
    refused(
      await district.put(`/api/cell-reviews/${id}/holders/${H.c.id}/report`, { report: '迟交' }),
      409,
      'deadline_passed',
    );
    const closed = ok(
      await district.post(`/api/cell-reviews/${id}/close`, { version: review.version }),
    ).json<TReviewDetail>();
    expect(closed.status).toBe('closed');

    // 4 under review × 25 % = 1 kept at most: of 甲 (75 − 2 = 73) and 乙 (0 − 5), 乙 falls out.
    const finals = Object.fromEntries(closed.holders.map((h) => [h.holderName, h.finalOutcome]));
    expect(finals).toEqual({
      细胞甲区税务局: 'keep',
      细胞乙单位: 'capped',
      细胞丙单位: 'relinquished',
      细胞己单位: 'rectify',
    });
    expect((await honour(H.a.id)).status).toBe('listed');
    expect((await honour(H.b.id)).status).toBe('revoked');
    expect((await honour(H.c.id)).status).toBe('relinquished');
    expect((await honour(H.f.id)).status).toBe('rectifying');
    const reasons = (await statusAudits(H.c.id)).map((a) => a.after.reason);
    expect(reasons.at(-1)).toContain('未按期报送复审报告');
    expect((await statusAudits(H.b.id)).at(-1)!.after.reason).toContain('末位淘汰');

    const b = ok(await city.get(`/api/cell-reviews/${id}/bulletin`)).json<TReviewBulletin>();
    expect(b).toMatchObject({
      underReview: 4,
      capCount: 1,
      renewalCapPct: 25,
      issuer: '细胞甲区文明办',
      counts: { keep: 1, rectify: 1, revoke: 0, relinquished: 1, capped: 1 },
    });
    expect(b.rows.map((r) => [r.holderName, r.finalOutcome, r.score])).toEqual([
      ['细胞甲区税务局', 'keep', 73],
      ['细胞己单位', 'rectify', 0],
      ['细胞丙单位', 'relinquished', -3],
      ['细胞乙单位', 'capped', -5],
    ]);
    expect(b.rows[1]!.rectifyDeadline).toBe(addMonths(TODAY, 6));

    const xlsx = ok(await district.get(`/api/cell-reviews/${id}/bulletin.xlsx`));
    expect(String(xlsx.headers['content-type'])).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const rows = wb.getWorksheet('复审结果')!.getSheetValues().slice(2) as unknown[][];
    expect(rows.map((r) => [r[2], r[8]])).toEqual([
      ['细胞甲区税务局', '保留'],
      ['细胞己单位', '限期整改'],
      ['细胞丙单位', '未报送，视为放弃'],
      ['细胞乙单位', '超出保留比例，末位淘汰'],
    ]);
    refused(
      await district.post(`/api/cell-reviews/${id}/close`, { version: closed.version }),
      409,
      'review_closed',
    );
    expect((await record(district, H.c.id)).reviews[0]).toMatchObject({
      reviewId: id,
      finalOutcome: 'relinquished',
    });
  });
});
