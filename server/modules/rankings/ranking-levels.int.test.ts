import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  TBulletin,
  TBulletinSummary,
  TSnapshot,
  TSnapshotSummary,
  TUnitHistory,
} from '../../../core/contracts/rankings.js';
import { problemCategories, problems } from '../../db/schema/index.js';
import { buildRegion, buildUnit, buildUser } from '../../test/factories.js';
import { TEST_PASSWORD, createTestApp, type Agent, type TestApp } from '../../test/harness.js';
import { takeMonthlySnapshot } from './snapshot-job.js';

// Issue #20: every level runs its own ranking and 通报. 甲区's office ranks the units of its subtree
// (its 区直部门 and 街道办事处) from the problems dispatched to them, and issues its own bulletin;
// 乙区's office does not see it; the city sees every level's, ranks the districts' governments
// against each other (the rules' 区县 class: 区县排名) and keeps the rules.

let t: TestApp;
let city: Agent;
let jia: Agent;
let jiaLeader: Agent;
let yi: Agent;
let unitAgent: Agent;
const U: Record<string, number> = {};
const R: Record<string, number> = {};
let seq = 0;

const sh = (s: string) => new Date(`${s}+08:00`);

/** A problem of October dispatched to a unit and placed in a region. */
async function problem(unit: string, region: string, kind: 'onTime' | 'open') {
  const [cat] = await t.database.db.select().from(problemCategories).limit(1);
  await t.database.db.insert(problems).values({
    code: `LV${String(++seq).padStart(6, '0')}`,
    title: `${region}问题${seq}`,
    categoryId: cat!.id,
    channel: 'inspection',
    state: kind === 'open' ? 'dispatched' : 'closed',
    unitId: U[unit]!,
    regionId: R[region]!,
    address: `测试路${seq}号`,
    registeredAt: sh('2026-10-05T10:00:00'),
    dispatchedAt: sh('2026-10-05T10:00:00'),
    deadline: sh('2026-10-10T18:00:00'),
    closedAt: kind === 'onTime' ? sh('2026-10-08T10:00:00') : null,
    createdAt: sh('2026-10-05T10:00:00'),
  });
}

async function ok<T>(res: Promise<{ statusCode: number; body: string; json<X>(): X }>, s = 200) {
  const r = await res;
  expect(r.statusCode, r.body).toBe(s);
  return r.json<T>();
}

const RULES = {
  metrics: [{ key: 'onTimeCloseRate', weight: 100 }],
  minSample: 1,
  redPerClass: 1,
  blackPerClass: 1,
  classes: [
    { key: 'district', label: { zh: '区县', en: 'Districts' }, unitTypes: ['district_government'] },
    {
      key: 'department',
      label: { zh: '市直部门', en: 'City departments' },
      unitTypes: ['government_department'],
    },
    { key: 'street', label: { zh: '街道', en: 'Streets' }, unitTypes: ['street_office'] },
  ],
  consequences: [],
  autoMonthly: false,
};

const unitIds = (s: TSnapshot) =>
  s.classes
    .flatMap((c) => c.rows)
    .map((r) => r.unitId)
    .sort((a, b) => a - b);

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const c = await buildRegion(db, { name: '示范市', level: 'city' });
  const r1 = await buildRegion(db, { name: '甲区', level: 'district', parent: c });
  const r2 = await buildRegion(db, { name: '乙区', level: 'district', parent: c });
  const s1 = await buildRegion(db, { name: '甲区一街道', level: 'street', parent: r1 });
  const s2 = await buildRegion(db, { name: '乙区一街道', level: 'street', parent: r2 });
  Object.assign(R, { c: c.id, r1: r1.id, r2: r2.id, s1: s1.id, s2: s2.id });
  for (const [k, type, region] of [
    ['G1', 'district_government', r1],
    ['G2', 'district_government', r2],
    ['J1', 'street_office', s1],
    ['J2', 'street_office', s2],
    ['D1', 'government_department', r1],
    ['D2', 'government_department', r2],
    ['C1', 'government_department', c],
  ] as const) {
    U[k] = (await buildUnit(db, { type, name: `层级${k}`, regionId: region.id })).id;
  }
  await buildUser(db, { username: 'cityoffice', roles: ['office'] });
  await buildUser(db, { username: 'jia', roles: ['office'], regionId: r1.id });
  await buildUser(db, { username: 'jialeader', roles: ['leader'], regionId: r1.id });
  await buildUser(db, { username: 'yi', roles: ['office'], regionId: r2.id });
  await buildUser(db, { username: 'd1user', roles: ['unit'], unitId: U.D1! });
  city = await t.login('cityoffice', TEST_PASSWORD);
  jia = await t.login('jia', TEST_PASSWORD);
  jiaLeader = await t.login('jialeader', TEST_PASSWORD);
  yi = await t.login('yi', TEST_PASSWORD);
  unitAgent = await t.login('d1user', TEST_PASSWORD);

  // October. 甲区: J1 2 on time, D1 1 on time + 1 open (overdue), G1 2 on time; 乙区: J2 and D2
  // 1 open each, G2 1 on time + 1 open; the city's department C1 2 on time.
  for (const [unit, region, kind] of [
    ['J1', 's1', 'onTime'],
    ['J1', 's1', 'onTime'],
    ['D1', 'r1', 'onTime'],
    ['D1', 'r1', 'open'],
    ['G1', 'r1', 'onTime'],
    ['G1', 'r1', 'onTime'],
    ['J2', 's2', 'open'],
    ['D2', 'r2', 'open'],
    ['G2', 'r2', 'onTime'],
    ['G2', 'r2', 'open'],
    ['C1', 'c', 'onTime'],
    ['C1', 'c', 'onTime'],
  ] as const) {
    await problem(unit, region, kind);
  }
  const rules = await ok<{ version: number }>(city.get('/api/rankings/rules'));
  await ok(city.put('/api/rankings/rules', { rules: RULES, version: rules.version }));
});
afterAll(() => t.close());

describe("a district office's own ranking and 通报", () => {
  let own: TSnapshot;
  let cityOct: TSnapshot;
  let bulletin: TBulletin;

  it('reads the city’s rules but may not change them', async () => {
    const rules = await ok<{ rules: typeof RULES; version: number }>(
      jia.get('/api/rankings/rules'),
    );
    expect(rules.rules.minSample).toBe(1);
    const refused = await jia.put('/api/rankings/rules', {
      rules: { ...RULES, minSample: 9 },
      version: rules.version,
    });
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.json().error.code).toBe('city_level');
    expect((await jiaLeader.put('/api/rankings/rules', rules)).statusCode).toBe(403);
  });

  it('ranks the units of its subtree only: its streets and departments, not its own government', async () => {
    own = await ok<TSnapshot>(jia.post('/api/rankings/snapshots', { period: '2026-10' }), 201);
    expect(own).toMatchObject({ ownerRegionId: R.r1, ownerName: '甲区', version: 1 });
    expect(unitIds(own)).toEqual([U.J1!, U.D1!].sort((a, b) => a - b));
    const byClass = Object.fromEntries(own.classes.map((c) => [c.key, c.rows]));
    // No 区县 class in a district's own ranking: it has no district government to rank.
    expect(own.classes.map((c) => c.key)).toEqual(['department', 'street']);
    expect(byClass.district).toBeUndefined();
    // Its departments are 区直, as the district reads its own ranking (the rules say 市直).
    expect(own.classes[0]!.label).toEqual({ zh: '区直部门', en: 'District departments' });
    // Alone in its class: ranked, not flagged.
    expect(byClass.street!.map((r) => [r.unitId, r.rank, r.score, r.flag])).toEqual([
      [U.J1, 1, 100, null],
    ]);
    expect(byClass.department!.map((r) => [r.unitId, r.rank, r.score])).toEqual([[U.D1, 1, 50]]);
    // A recompute is the district's version 2; the city's own count starts afresh.
    own = await ok<TSnapshot>(jia.post('/api/rankings/snapshots', { period: '2026-10' }), 201);
    expect(own.version).toBe(2);
    cityOct = await ok<TSnapshot>(city.post('/api/rankings/snapshots', { period: '2026-10' }), 201);
    expect(cityOct).toMatchObject({ ownerRegionId: null, ownerName: null, version: 1 });
    expect(unitIds(cityOct)).toEqual(Object.values(U).sort((a, b) => a - b));
    // 区县排名: the districts' governments ranked against each other in the city's ranking.
    const districts = cityOct.classes.find((c) => c.key === 'district')!.rows;
    expect(districts.map((r) => [r.unitId, r.rank, r.score, r.flag])).toEqual([
      [U.G1, 1, 100, 'red'],
      [U.G2, 2, 50, 'black'],
    ]);
  });

  it('publishes it and issues its own bulletin, with its own problems and no campaign outlook', async () => {
    await ok(jia.post(`/api/rankings/snapshots/${own.id}/publish`));
    bulletin = await ok<TBulletin>(jia.post('/api/bulletins', { snapshotId: own.id }), 201);
    expect(bulletin).toMatchObject({ ownerRegionId: R.r1, ownerName: '甲区' });
    expect(bulletin.title).toBe('甲区创建文明城市工作月度通报（2026年10月）');
    expect(bulletin.data.outlook).toBeNull();
    // 甲区's problems: J1 2, D1 2, G1 2 — six dispatched, five closed, one overdue (D1's).
    expect(bulletin.data.summary).toMatchObject({
      reported: 6,
      dispatched: 6,
      closed: 5,
      overdueOpen: 1,
      unitsRanked: 2,
    });
    expect(bulletin.data.topOverdue.map((p) => p.title)).toEqual([
      expect.stringMatching(/^r1问题/),
    ]);
    const published = await ok<TBulletin>(jia.post(`/api/bulletins/${bulletin.id}/publish`));
    expect(published.issueNo).toBe(1);
    // Its workbook names the level and has its classes only (no 区县 sheet).
    const xlsx = await jia.get(`/api/bulletins/${bulletin.id}/xlsx`);
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as never);
    const sheets = wb.worksheets.map((w) => w.name);
    expect(sheets.filter((n) => n.startsWith('排名-'))).toEqual(['排名-区直部门', '排名-街道']);
    const rows = new Map<string, string>();
    wb.getWorksheet('概况')!.eachRow((r) => rows.set(r.getCell(1).text, r.getCell(2).text));
    expect(rows.get('发布层级')).toBe('甲区');
    // The city publishes its own of the same period: the levels do not collide.
    await ok(city.post(`/api/rankings/snapshots/${cityOct.id}/publish`));
    const cityBulletin = await ok<TBulletin>(
      city.post('/api/bulletins', { snapshotId: cityOct.id }),
      201,
    );
    expect(cityBulletin.data.summary.dispatched).toBe(12);
    const cityPublished = await ok<TBulletin>(
      city.post(`/api/bulletins/${cityBulletin.id}/publish`),
    );
    expect(cityPublished.issueNo).toBe(1);
    // A second bulletin of 甲区's October is refused.
    const again = await ok<TBulletin>(jia.post('/api/bulletins', { snapshotId: own.id }), 201);
    const refused = await jia.post(`/api/bulletins/${again.id}/publish`);
    expect(refused.statusCode, refused.body).toBe(409);
  });

  it("lists its level's snapshots and bulletins only; its leader reads them too", async () => {
    for (const agent of [jia, jiaLeader]) {
      const snaps = await ok<{ items: TSnapshotSummary[] }>(agent.get('/api/rankings/snapshots'));
      expect(new Set(snaps.items.map((s) => s.ownerRegionId))).toEqual(new Set([R.r1]));
      expect((await agent.get(`/api/rankings/snapshots/${cityOct.id}`)).statusCode).toBe(404);
      const full = await ok<TSnapshot>(agent.get(`/api/rankings/snapshots/${own.id}`));
      expect(unitIds(full)).toHaveLength(2);
      const bulletins = await ok<{ items: TBulletinSummary[] }>(agent.get('/api/bulletins'));
      expect(new Set(bulletins.items.map((b) => b.ownerRegionId))).toEqual(new Set([R.r1]));
      expect((await agent.get(`/api/bulletins/${bulletin.id}/xlsx`)).statusCode).toBe(200);
    }
    expect(
      (await jiaLeader.post('/api/rankings/snapshots', { period: '2026-10' })).statusCode,
    ).toBe(403);
    // A unit of another district is not its to look at.
    expect((await jia.get(`/api/rankings/units/${U.D2}/history`)).statusCode).toBe(404);
    const d1 = await ok<TUnitHistory>(jia.get(`/api/rankings/units/${U.D1}/history`));
    expect(d1.periods.map((p) => p.ownerName)).toEqual(['甲区']);
  });

  it("is not another district's to read or publish", async () => {
    expect((await yi.get(`/api/rankings/snapshots/${own.id}`)).statusCode).toBe(404);
    expect((await yi.get(`/api/bulletins/${bulletin.id}`)).statusCode).toBe(404);
    expect((await yi.get(`/api/bulletins/${bulletin.id}/xlsx`)).statusCode).toBe(404);
    expect((await yi.post(`/api/rankings/snapshots/${own.id}/publish`)).statusCode).toBe(404);
    const bad = await yi.post('/api/bulletins', { snapshotId: own.id });
    expect(bad.statusCode, bad.body).toBe(400);
    expect((await ok<{ items: unknown[] }>(yi.get('/api/rankings/snapshots'))).items).toEqual([]);
    expect((await ok<{ items: unknown[] }>(yi.get('/api/bulletins'))).items).toEqual([]);
    expect(
      (await ok<{ items: unknown[] }>(yi.get(`/api/rankings/snapshots?ownerRegionId=${R.r1}`)))
        .items,
    ).toEqual([]);
  });

  it("reaches the city: every level's, or one level's with the filter", async () => {
    const all = await ok<{ items: TSnapshotSummary[] }>(city.get('/api/rankings/snapshots'));
    expect(new Set(all.items.map((s) => s.ownerRegionId))).toEqual(new Set([null, R.r1]));
    const jias = await ok<{ items: TSnapshotSummary[] }>(
      city.get(`/api/rankings/snapshots?ownerRegionId=${R.r1}`),
    );
    expect(jias.items.map((s) => [s.ownerName, s.version, s.state])).toEqual([
      ['甲区', 2, 'published'],
      ['甲区', 1, 'superseded'],
    ]);
    const own2 = await ok<{ items: TSnapshotSummary[] }>(
      city.get('/api/rankings/snapshots?ownerRegionId=city'),
    );
    expect(own2.items.map((s) => s.id)).toEqual([cityOct.id]);
    const full = await ok<TSnapshot>(city.get(`/api/rankings/snapshots/${own.id}`));
    expect(unitIds(full)).toHaveLength(2);
    const bulletins = await ok<{ items: TBulletinSummary[] }>(
      city.get(`/api/bulletins?ownerRegionId=${R.r1}`),
    );
    expect(bulletins.items.map((b) => b.ownerName)).toEqual(['甲区', '甲区']);
    expect((await city.get(`/api/bulletins/${bulletin.id}`)).statusCode).toBe(200);
  });

  it('shows a unit its own rows of every level that ranks it, published only', async () => {
    const snaps = await ok<{ items: TSnapshotSummary[] }>(unitAgent.get('/api/rankings/snapshots'));
    expect(snaps.items.map((s) => [s.ownerRegionId, s.state])).toEqual(
      expect.arrayContaining([
        [null, 'published'],
        [R.r1, 'published'],
      ]),
    );
    expect(snaps.items).toHaveLength(2);
    const mine = await ok<TSnapshot>(unitAgent.get(`/api/rankings/snapshots/${own.id}`));
    expect(unitIds(mine)).toEqual([U.D1]);
    const history = await ok<TUnitHistory>(unitAgent.get(`/api/rankings/units/${U.D1}/history`));
    expect(history.periods.map((p) => [p.period, p.ownerName])).toEqual([
      ['2026-10', null],
      ['2026-10', '甲区'],
    ]);
    const bulletins = await ok<{ items: TBulletinSummary[] }>(unitAgent.get('/api/bulletins'));
    expect(bulletins.items.map((b) => [b.ownerRegionId, b.issueNo])).toEqual(
      expect.arrayContaining([
        [null, 1],
        [R.r1, 1],
      ]),
    );
    expect(bulletins.items).toHaveLength(2);
  });
});

describe('the monthly job at every level', () => {
  it("takes last month's draft for the city and every district office, leaving a level's own alone", async () => {
    // 甲区 took November itself; the job, on 1 December, takes the city's and 乙区's.
    const jiasOwn = await ok<TSnapshot>(
      jia.post('/api/rankings/snapshots', { period: '2026-11' }),
      201,
    );
    const current = await ok<{ version: number }>(city.get('/api/rankings/rules'));
    await ok(
      city.put('/api/rankings/rules', {
        rules: { ...RULES, autoMonthly: true },
        version: current.version,
      }),
    );
    const now = new Date('2026-12-01T02:00:00Z');
    expect(await takeMonthlySnapshot(t.database, now)).toBe('2026-11');
    expect(await takeMonthlySnapshot(t.database, now)).toBeNull();

    const novemberOf = async (agent: Agent, owner: string) =>
      (
        await ok<{ items: TSnapshotSummary[] }>(
          agent.get(`/api/rankings/snapshots?ownerRegionId=${owner}`),
        )
      ).items
        .filter((s) => s.period === '2026-11')
        .map((s) => [s.ownerRegionId, s.version, s.state, s.createdByName]);
    expect(await novemberOf(city, 'city')).toEqual([[null, 1, 'draft', '系统']]);
    expect(await novemberOf(yi, String(R.r2))).toEqual([[R.r2, 1, 'draft', '系统']]);
    expect(await novemberOf(jia, String(R.r1))).toEqual([
      [R.r1, 1, 'draft', jiasOwn.createdByName],
    ]);
  });
});
