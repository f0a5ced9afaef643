import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  TAdCampaignDetail,
  TCarrier,
  TCarriersDashboard,
  TCoverage,
} from '../../../core/contracts/ad-carriers.js';
import type { TImportResult } from '../../../core/contracts/common.js';
import { execRows } from '../../db/client.js';
import { buildRegion, buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type Res, type TestApp } from '../../test/harness.js';

// Issue #23, items 1–2 (and the carriers' half of 4): the 公益广告 carriers registry — placed on its
// grid and region from its position, audited state changes, XLSX in and out with messy sheets —
// the rules per point type and the coverage they give per point and street, 转为问题 to the
// maintainer, a 换版 campaign's progress, and by level: a district office has its subtree.

let t: TestApp;
let city: Agent;
let districtA: Agent;
let districtB: Agent;
let leader: Agent;
let worker: Agent;
const ids = {} as {
  r1: number;
  s1: number;
  r2: number;
  maintainer: number;
  otherUnit: number;
  grid: number;
  school: number;
  estate: number;
  road: number;
  park: number;
  schoolType: number;
  estateType: number;
  roadType: number;
};
const photos: string[] = [];
/** The first carrier registered (damaged below, then turned into a problem). */
let firstCarrier: TCarrier | undefined;
const first = () => firstCarrier!;

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
    rows?: { row: number; column: string; reason: string }[];
  };
};

/** A refusal's error, with both messages present (Chinese and English). */
function refusal(res: Res, status: number, code: string) {
  expectStatus(res, status);
  const e = res.json<ErrorBody>().error;
  expect(e.code).toBe(code);
  expect(e.messageZh).toMatch(/[\u4e00-\u9fff]/);
  expect(e.messageEn).toMatch(/[a-z]/);
  return e;
}

async function audits(action: string, entityId?: number) {
  return execRows<{ after: Record<string, unknown>; before: Record<string, unknown> | null }>(
    t.database.db,
    sql`select "after", "before" from audit_log where action = ${action}
        ${entityId === undefined ? sql`` : sql`and entity_id = ${String(entityId)}`} order by id`,
  );
}

const sq = (x0: number, y0: number, x1: number, y1: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ],
  ],
});

/** A carrier in grid G (district A) unless placed elsewhere. */
const carrier = (over: Record<string, unknown> = {}) => ({
  kind: 'board',
  widthCm: 120,
  heightCm: 80,
  lat: 30.01,
  lng: 120.01,
  theme: 'core_values',
  ...over,
});
const create = async (agent: Agent, over: Record<string, unknown> = {}) =>
  expectStatus(await agent.post('/api/ad-carriers', carrier(over)), 201).json<TCarrier>();

async function sheet(rows: (string | number | null)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('阵地');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const c = await buildRegion(db, { name: '广告市', level: 'city' });
  const r1 = await buildRegion(db, { name: '广甲区', level: 'district', parent: c });
  const s1 = await buildRegion(db, { name: '广甲街道', level: 'street', parent: r1 });
  const r2 = await buildRegion(db, { name: '广乙区', level: 'district', parent: c });
  const maintainer = await buildUnit(db, { name: '广甲区城市管理局', regionId: r1.id });
  const otherUnit = await buildUnit(db, { name: '广乙区住建局', regionId: r2.id });
  await buildUser(db, { username: 'adcity', roles: ['office'] });
  await buildUser(db, { username: 'adA', roles: ['office'], regionId: r1.id });
  await buildUser(db, { username: 'adB', roles: ['office'], regionId: r2.id });
  await buildUser(db, { username: 'adleader', roles: ['leader'] });
  const w = await buildUser(db, { username: 'adworker', roles: ['grid_worker'], regionId: s1.id });
  city = await t.login('adcity');
  districtA = await t.login('adA');
  districtB = await t.login('adB');
  leader = await t.login('adleader');
  worker = await t.login('adworker');
  const grid = expectStatus(
    await city.post('/api/grids', {
      code: `${s1.code}001`,
      name: '广甲一网格',
      regionId: s1.id,
      geometry: sq(120, 30, 120.02, 30.02),
    }),
    201,
  ).json<{ grid: { id: number } }>().grid.id;
  const type = async (code: string, name: string) =>
    (
      await execRows<{ id: number }>(
        db,
        sql`insert into point_types (code, name, sampling, checklist)
            values (${code}, ${name}, 'random', '[]'::jsonb) returning id`,
      )
    )[0]!.id;
  const point = async (name: string, typeId: number, regionId: number) =>
    (
      await execRows<{ id: number }>(
        db,
        sql`insert into points (name, type_id, region_id, lat, lng)
            values (${name}, ${typeId}, ${regionId}, 30.01, 120.01) returning id`,
      )
    )[0]!.id;
  const schoolType = await type('ADT1', '学校');
  const estateType = await type('ADT2', '小区');
  const roadType = await type('ADT3', '主次干道');
  const parkType = await type('ADT4', '公园');
  Object.assign(ids, {
    r1: r1.id,
    s1: s1.id,
    r2: r2.id,
    maintainer: maintainer.id,
    otherUnit: otherUnit.id,
    grid,
    schoolType,
    estateType,
    roadType,
    school: await point('广甲实验小学', schoolType, s1.id),
    estate: await point('广甲花园小区', estateType, s1.id),
    road: await point('广甲大道', roadType, s1.id),
    park: await point('广乙公园', parkType, r2.id),
  });
  for (let i = 0; i < 4; i++) {
    const id = randomUUID();
    await execRows(
      db,
      sql`insert into files (id, mime, size, sha256, storage_key, exif_taken_at, uploaded_by)
          values (${id}, 'image/jpeg', 100, ${'x'.repeat(64)}, ${`k/${id}`},
                  ${`2026-11-0${i + 1}T02:00:00Z`}, ${w.id})`,
    );
    photos.push(id);
  }
});
afterAll(() => t.close());

describe('公益广告阵地 registry', () => {
  it('registers a carrier: a code, its grid and region from the position, the photo date, audited', async () => {
    const made = await create(worker, {
      pointId: ids.school,
      unitId: ids.maintainer,
      designTitle: '讲文明树新风',
      photoId: photos[0],
    });
    firstCarrier = made;
    expect(made).toMatchObject({
      code: `GG${String(made.id).padStart(5, '0')}`,
      gridId: ids.grid,
      gridName: '广甲一网格',
      regionId: ids.s1,
      pointName: '广甲实验小学',
      unitName: '广甲区城市管理局',
      state: 'intact',
      fixed: true,
      version: 1,
      photoTakenAt: '2026-11-01T02:00:00.000Z',
    });
    expect((await audits('adcarrier.create', made.id)).length).toBe(1);
    // A phone's offline registration sent twice (a lost answer): the same carrier, once.
    const clientId = randomUUID();
    const phone = await create(worker, { clientId, theme: 'integrity' });
    const retry = expectStatus(
      await worker.post('/api/ad-carriers', carrier({ clientId, theme: 'integrity' })),
      200,
    ).json<TCarrier>();
    expect(retry.id).toBe(phone.id);
    await execRows(t.database.db, sql`delete from ad_carriers where id = ${phone.id}`);
    // Outside every grid and boundary: the point's region.
    const far = await create(city, { lat: 45, lng: 125, pointId: ids.park, code: 'GY-001' });
    expect(far).toMatchObject({ gridId: null, regionId: ids.r2, code: 'GY-001' });
  });

  it('refuses bad input (400), a repeated code and a stale version (409), bilingual', async () => {
    const bad = refusal(
      await city.post('/api/ad-carriers', carrier({ kind: 'banner', widthCm: 0, lat: 99 })),
      400,
      'invalid',
    );
    const paths = bad.fields!.map((f) => f.path).join(' ');
    for (const p of ['kind', 'widthCm', 'lat']) expect(paths).toContain(p);
    expect(bad.fields!.find((f) => f.path.includes('widthCm'))!.message).toMatch(
      /至少 1 厘米 \/ the width is at least 1 cm/,
    );
    const dup = refusal(
      await city.post('/api/ad-carriers', carrier({ code: 'GY-001' })),
      409,
      'duplicate',
    );
    expect(dup.messageZh).toContain('GY-001');
    const noPoint = refusal(
      await city.post('/api/ad-carriers', carrier({ pointId: 999999 })),
      400,
      'invalid',
    );
    expect(noPoint.fields![0]!.path).toBe('pointId');
    refusal(await leader.post('/api/ad-carriers', carrier()), 403, 'forbidden');

    const damaged = expectStatus(
      await worker.patch(`/api/ad-carriers/${first().id}`, {
        version: 1,
        state: 'damaged',
        reason: '台风刮坏',
      }),
      200,
    ).json<TCarrier>();
    expect(damaged).toMatchObject({ state: 'damaged', version: 2, gridId: ids.grid });
    const [state] = await audits('adcarrier.state', first().id);
    expect(state!.before).toEqual({ state: 'intact' });
    expect(state!.after).toMatchObject({ state: 'damaged', label: '破损', reason: '台风刮坏' });
    refusal(
      await worker.patch(`/api/ad-carriers/${first().id}`, { version: 1, state: 'intact' }),
      409,
      'stale_version',
    );
    firstCarrier = damaged;
  });

  it('imports a messy sheet: title rows, 序号, subtotals, sizes as offices write them; all or nothing', async () => {
    const header = [
      '序号',
      '编号',
      '类型',
      '规格',
      '纬度',
      '经度',
      '所属点位',
      '维护单位',
      '主题',
      '状态',
      '固定式',
      '集中设置组',
      '备注',
    ];
    const bad = await sheet([
      ['广甲区公益广告阵地台账（2026年11月）'],
      header,
      [
        1,
        'IMP-1',
        '展板',
        '120x80',
        30.011,
        120.011,
        '广甲实验小学',
        '广甲区城市管理局',
        '核心价值观',
        '',
        '是',
        '',
        '',
      ],
      [2, 'IMP-2', '霓虹灯', '大', 30.012, 120.012, '不存在的点位', '', '诚信', '', '也许', '', ''],
    ]);
    const rejected = refusal(
      await city.upload('/api/ad-carriers/import', bad, '台账.xlsx'),
      422,
      'import_rejected',
    );
    const columns = rejected.rows!.map((r) => `${r.row}:${r.column}`);
    expect(columns).toEqual(expect.arrayContaining(['4:类型', '4:规格', '4:所属点位', '4:固定式']));
    expect(
      (
        await execRows<{ n: number }>(
          t.database.db,
          sql`select count(*)::int as n from ad_carriers where code like 'IMP-%'`,
        )
      )[0]!.n,
    ).toBe(0);

    const good = await sheet([
      ['广甲区公益广告阵地台账（2026年11月）'],
      header,
      [
        1,
        'IMP-1',
        '展板',
        '120x80',
        30.011,
        120.011,
        '广甲实验小学',
        '广甲区城市管理局',
        '核心价值观',
        '',
        '是',
        '',
        '',
      ],
      [
        2,
        'IMP-2',
        'LED屏',
        '1.2m×0.8m',
        30.012,
        120.012,
        '广甲花园小区',
        '',
        '文明健康',
        '破损',
        '否',
        '',
        '临时',
      ],
      [null, '', '', '', '', '', '', '', '', '', '', '', '备注：LED 屏每日播放'],
      ['小计', '', '', '', '', '', '', '', '', '', '', '', ''],
    ]);
    const res = expectStatus(
      await city.upload('/api/ad-carriers/import', good, '台账.xlsx'),
      200,
    ).json<TImportResult>();
    expect(res).toMatchObject({ imported: 2, created: 2, updated: 0 });
    const page = expectStatus(await city.get('/api/ad-carriers?q=IMP-'), 200).json<{
      items: TCarrier[];
    }>();
    const led = page.items.find((c) => c.code === 'IMP-2')!;
    expect(led).toMatchObject({
      kind: 'led',
      widthCm: 120,
      heightCm: 80,
      theme: 'civil_health',
      state: 'damaged',
      fixed: false,
      gridId: ids.grid,
    });
    // The export reads back in: the same codes update.
    const xlsx = expectStatus(
      await city.get('/api/ad-carriers/export.xlsx?q=IMP-'),
      200,
    ).rawPayload;
    const again = expectStatus(
      await city.upload('/api/ad-carriers/import', xlsx, 'export.xlsx'),
      200,
    ).json<TImportResult>();
    expect(again).toMatchObject({ imported: 2, created: 0, updated: 2 });
    // Clean up so the coverage numbers below are exact.
    await execRows(t.database.db, sql`delete from ad_carriers where code like 'IMP-%'`);
  });
});

describe('rules per point type and coverage', () => {
  it('sets the rules (the city office; a district office is refused), bilingual 400', async () => {
    refusal(
      await districtA.put('/api/ad-carrier-rules', { pointTypeId: ids.schoolType, minCount: 5 }),
      403,
      'city_level',
    );
    refusal(
      await city.put('/api/ad-carrier-rules', { pointTypeId: ids.roadType, perLengthCount: 5 }),
      400,
      'invalid',
    );
    const put = (body: Record<string, unknown>) =>
      city.put('/api/ad-carrier-rules', body).then((r) => expectStatus(r, 200));
    await put({
      pointTypeId: ids.schoolType,
      minCount: 3,
      minWidthCm: 70,
      minHeightCm: 40,
      themeMins: [{ theme: 'core_values', min: 2 }],
      basis: 'BRIEF §2.2 学校：不少于5处，集中设置的算一处，70×40cm以上（演示值 3）',
    });
    await put({ pointTypeId: ids.estateType, minCount: 2, fixedOnly: true });
    const rules = await put({ pointTypeId: ids.roadType, perLengthCount: 5, perLengthM: 300 });
    expect(rules.json<{ items: unknown[] }>().items).toHaveLength(3);
  });

  it('counts only intact carriers of the size, a cluster once, fixed-only where required', async () => {
    // School: first (damaged) does not count; a 60×30 one is too small; two clustered count once;
    // a portrait 40×70 one counts (hung either way); one more intact on integrity.
    await create(city, { pointId: ids.school, widthCm: 60, heightCm: 30 });
    await create(city, { pointId: ids.school, cluster: '东门' });
    await create(city, { pointId: ids.school, cluster: '东门', theme: 'minors' });
    await create(city, { pointId: ids.school, widthCm: 40, heightCm: 70 });
    await create(city, { pointId: ids.school, theme: 'integrity' });
    // Estate: a banner (not fixed) does not count.
    await create(city, { pointId: ids.estate, fixed: false, kind: 'other' });
    await create(city, { pointId: ids.estate });

    const cov = expectStatus(await city.get('/api/ad-carriers/coverage'), 200).json<TCoverage>();
    const school = cov.points.find((p) => p.pointId === ids.school)!;
    expect(school).toMatchObject({ carriers: 6, counted: 4, countedUnits: 3, met: true });
    expect(school.checks.find((c) => c.kind === 'theme')).toMatchObject({
      theme: 'core_values',
      required: 2,
      actual: 2,
      result: 'met',
    });
    const estate = cov.points.find((p) => p.pointId === ids.estate)!;
    expect(estate).toMatchObject({ carriers: 2, countedUnits: 1, met: false });
    expect(estate.checks[0]).toMatchObject({
      kind: 'count',
      required: 2,
      actual: 1,
      result: 'unmet',
    });
    expect(estate.checks[0]!.messageZh).toContain('固定式');
    // The road has no length: the per-distance rule is skipped with a note, not failed.
    const road = cov.points.find((p) => p.pointId === ids.road)!;
    expect(road.checks[0]).toMatchObject({ kind: 'per_length', result: 'skipped', actual: null });
    expect(road.met).toBe(true);
    expect(cov.streets).toEqual([
      { streetId: ids.s1, streetName: '广甲街道', points: 3, unmet: 1 },
    ]);

    // 600 m of road needs 10.
    expectStatus(
      await districtA.put(`/api/ad-carriers/point-measures/${ids.road}`, {
        lengthM: 600,
        hoardingPct: null,
      }),
      204,
    );
    const after = expectStatus(
      await city.get('/api/ad-carriers/coverage?unmetOnly=true'),
      200,
    ).json<TCoverage>();
    const road2 = after.points.find((p) => p.pointId === ids.road)!;
    expect(road2.checks[0]).toMatchObject({ required: 10, actual: 0, result: 'unmet' });
    expect(after.points.map((p) => p.pointId).sort()).toEqual([ids.estate, ids.road].sort());
  });
});

describe('转为问题', () => {
  it('raises a problem dispatched to the maintainer, once while it is open', async () => {
    refusal(
      await leader.post(`/api/ad-carriers/${first().id}/problem`, { version: 2 }),
      403,
      'forbidden',
    );
    const res = expectStatus(
      await city.post(`/api/ad-carriers/${first().id}/problem`, {
        version: 2,
        note: '请一周内更换',
      }),
      201,
    ).json<{ problemId: number; problemCode: string; dispatched: boolean; carrier: TCarrier }>();
    expect(res.dispatched).toBe(true);
    expect(res.carrier).toMatchObject({ problemId: res.problemId, problemState: 'dispatched' });
    const [p] = await execRows<{
      state: string;
      unit_id: number;
      point_id: number;
      title: string;
      grid_id: number;
    }>(
      t.database.db,
      sql`select state, unit_id, point_id, title, grid_id from problems where id = ${res.problemId}`,
    );
    expect(p).toMatchObject({
      state: 'dispatched',
      unit_id: ids.maintainer,
      point_id: ids.school,
      grid_id: ids.grid,
    });
    expect(p!.title).toContain('破损');
    expect((await audits('problem.dispatch', res.problemId)).length).toBe(1);

    const again = refusal(
      await city.post(`/api/ad-carriers/${first().id}/problem`, { version: res.carrier.version }),
      409,
      'problem_open',
    );
    expect(again.messageZh).toContain(res.problemCode);
    const count = await execRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from problems where point_id = ${ids.school}`,
    );
    expect(count[0]!.n).toBe(1);
    const intact = await create(city, { pointId: ids.school });
    refusal(
      await city.post(`/api/ad-carriers/${intact.id}/problem`, { version: 1 }),
      409,
      'carrier_intact',
    );
  });
});

describe('换版 campaign', () => {
  it('tracks carriers done with before and after photos; progress per campaign', async () => {
    const list = expectStatus(await city.get(`/api/ad-carriers?pointId=${ids.school}`), 200).json<{
      items: TCarrier[];
    }>();
    const chosen = list.items.slice(0, 4).map((c) => c.id);
    refusal(
      await worker.post('/api/ad-campaigns', {
        name: '春节',
        theme: 'festival',
        deadline: '2027-02-10',
        carrierIds: chosen,
      }),
      403,
      'forbidden',
    );
    const bad = refusal(
      await city.post('/api/ad-campaigns', {
        name: '',
        theme: 'festival',
        deadline: '2027/02/10',
        carrierIds: [],
      }),
      400,
      'invalid',
    );
    expect(bad.fields!.map((f) => f.path).join(' ')).toMatch(/name.*deadline.*carrierIds|deadline/);
    const made = expectStatus(
      await city.post('/api/ad-campaigns', {
        name: '春节主题换版',
        theme: 'festival',
        designTitle: '欢欢喜喜过大年',
        deadline: '2027-02-10',
        carrierIds: chosen,
      }),
      201,
    ).json<TAdCampaignDetail>();
    expect(made.campaign).toMatchObject({ total: 4, done: 0, percent: 0 });
    const done = (carrierId: number, before: string, after: string) =>
      worker.post(`/api/ad-campaigns/${made.campaign.id}/carriers/${carrierId}/done`, {
        beforePhotoId: before,
        afterPhotoId: after,
      });
    refusal(await done(chosen[0]!, photos[1]!, photos[1]!), 400, 'invalid');
    expectStatus(await done(chosen[0]!, photos[1]!, photos[2]!), 200);
    const half = expectStatus(
      await done(chosen[1]!, photos[2]!, photos[3]!),
      200,
    ).json<TAdCampaignDetail>();
    expect(half.campaign).toMatchObject({ total: 4, done: 2, percent: 50, overdue: false });
    expect(
      half.items
        .filter((i) => i.doneAt)
        .map((i) => i.carrierId)
        .sort(),
    ).toEqual(chosen.slice(0, 2).sort());
    const updated = expectStatus(
      await city.get(`/api/ad-carriers/${chosen[0]}`),
      200,
    ).json<TCarrier>();
    expect(updated).toMatchObject({
      theme: 'festival',
      designTitle: '欢欢喜喜过大年',
      photoId: photos[2],
    });
    refusal(await done(999999, photos[1]!, photos[2]!), 404, 'not_found');
    const all = expectStatus(await leader.get('/api/ad-campaigns'), 200).json<{
      items: { id: number; percent: number }[];
    }>();
    expect(all.items.find((c) => c.id === made.campaign.id)!.percent).toBe(50);
  });
});

describe('by level and on the dashboard', () => {
  it('a district office sees and writes its subtree only', async () => {
    const inA = expectStatus(await districtA.get('/api/ad-carriers?limit=200'), 200).json<{
      items: TCarrier[];
      total: number;
    }>();
    expect(inA.items.every((c) => c.regionId === ids.s1)).toBe(true);
    expect(inA.total).toBeGreaterThan(5);
    const inB = expectStatus(await districtB.get('/api/ad-carriers'), 200).json<{
      items: TCarrier[];
    }>();
    expect(inB.items.map((c) => c.code)).toEqual(['GY-001']);
    refusal(await districtB.get(`/api/ad-carriers/${first().id}`), 404, 'not_found');
    refusal(
      await districtB.patch(`/api/ad-carriers/${first().id}`, {
        version: first().version,
        state: 'intact',
      }),
      404,
      'not_found',
    );
    // Placing one in district A's grid, or naming A's unit, is outside B's jurisdiction.
    refusal(await districtB.post('/api/ad-carriers', carrier()), 403, 'outside_jurisdiction');
    refusal(
      await districtB.post(
        '/api/ad-carriers',
        carrier({ lat: 45, lng: 125, unitId: ids.maintainer }),
      ),
      403,
      'outside_jurisdiction',
    );
    const own = expectStatus(
      await districtB.post(
        '/api/ad-carriers',
        carrier({ lat: 45, lng: 125, unitId: ids.otherUnit }),
      ),
      201,
    ).json<TCarrier>();
    expect(own.regionId).toBe(ids.r2);
    refusal(await districtB.get(`/api/ad-carriers/coverage?regionId=${ids.r1}`), 403, 'forbidden');
    const covB = expectStatus(
      await districtB.get('/api/ad-carriers/coverage'),
      200,
    ).json<TCoverage>();
    expect(covB.points).toEqual([]);
    const map = expectStatus(await districtB.get('/api/ad-carriers/map'), 200).json<{
      items: { id: number }[];
    }>();
    expect(map.items.map((m) => m.id).sort()).toEqual(
      inB.items
        .map((c) => c.id)
        .concat(own.id)
        .sort(),
    );
  });

  it('counts carriers by state and theme', async () => {
    const d = expectStatus(
      await leader.get('/api/ad-carriers/dashboard'),
      200,
    ).json<TCarriersDashboard>();
    const [row] = await execRows<{ n: number; damaged: number }>(
      t.database.db,
      sql`select count(*)::int as n, count(*) filter (where state = 'damaged')::int as damaged from ad_carriers`,
    );
    expect(d.total).toBe(row!.n);
    expect(d.byState.damaged).toBe(row!.damaged);
    expect(d.byTheme.reduce((a, t) => a + t.total, 0)).toBe(row!.n);
    expect(d.byTheme.find((x) => x.theme === 'festival')!.total).toBe(2);
    // The damaged one has an open problem: nothing waits.
    expect(d.awaitingProblem).toBe(0);
    const dB = expectStatus(
      await districtB.get('/api/ad-carriers/dashboard'),
      200,
    ).json<TCarriersDashboard>();
    expect(dB.total).toBe(2);
  });
});
