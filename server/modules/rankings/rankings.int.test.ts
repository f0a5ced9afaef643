import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TBulletin, TSnapshot, TUnitHistory } from '../../../core/contracts/rankings.js';
import {
  inspectionVisits,
  pointTypes,
  points,
  problemCategories,
  problems,
  rounds,
} from '../../db/schema/index.js';
import { computeKpis } from '../../../core/problems/kpis.js';
import { parseRankingPeriod, periodsEndingWith } from '../../../core/ranking/periods.js';
import { execRows } from '../../db/client.js';
import { seedPointTypes } from '../../db/seed/demo-points.js';
import { buildUnit, buildUser } from '../../test/factories.js';
import { TEST_PASSWORD, createTestApp, type Agent, type TestApp } from '../../test/harness.js';
import { expectError, expectInvalid } from '../../test/problems-kit.js';
import { cohortCounts, publishedTotals, reportedCounts } from './bulletins.repo.js';
import { takeMonthlySnapshot } from './snapshot-job.js';

// 单位排名 and 通报 on a small city with answers worked out by hand (see the comments below).

let t: TestApp;
let office: Agent;
let leader: Agent;
let unitAgent: Agent;
let inspector: Agent;
const U: Record<string, number> = {};
let seq = 0;

/** Shanghai wall time → UTC instant. */
const sh = (s: string) => new Date(`${s}+08:00`);

async function problem(
  unit: string,
  month: string,
  kind: 'onTime' | 'late' | 'open',
  o: { rework?: number; recurrenceOf?: number } = {},
) {
  const [cat] = await t.database.db.select().from(problemCategories).limit(1);
  const dispatched = sh(`${month}-05T10:00:00`);
  const deadline = sh(`${month}-10T18:00:00`);
  const closedAt =
    kind === 'onTime'
      ? sh(`${month}-08T10:00:00`)
      : kind === 'late'
        ? sh(`${month}-15T10:00:00`)
        : null;
  const [row] = await t.database.db
    .insert(problems)
    .values({
      code: `RK${String(++seq).padStart(6, '0')}`,
      title: `测试问题${seq}`,
      categoryId: cat!.id,
      channel: 'inspection',
      state: kind === 'open' ? 'dispatched' : 'closed',
      unitId: U[unit]!,
      address: `测试路${seq}号`,
      registeredAt: dispatched,
      dispatchedAt: dispatched,
      deadline,
      closedAt,
      reworkCount: o.rework ?? 0,
      recurrenceOfId: o.recurrenceOf ?? null,
      createdAt: dispatched,
    })
    .returning({ id: problems.id });
  return row!.id;
}

async function visit(unit: string, failed: number) {
  const db = t.database.db;
  const [pt] = await db
    .insert(pointTypes)
    .values({ code: `RKT${++seq}`, name: '测试点位类型', sampling: 'random', checklist: [] })
    .returning();
  const [pnt] = await db
    .insert(points)
    .values({ name: `点位${seq}`, typeId: pt!.id, unitId: U[unit]! })
    .returning();
  const [rnd] = await db
    .insert(rounds)
    .values({ name: `轮次${seq}`, kind: 'mock', plan: [], regionIds: [], inspectorIds: [] })
    .returning();
  const inspectorId = (await inspector.get('/api/auth/me')).json().user.id as number;
  await db.insert(inspectionVisits).values({
    clientId: randomUUID(),
    roundId: rnd!.id,
    pointId: pnt!.id,
    inspectorId,
    items: [],
    visitedAt: sh('2026-10-12T10:00:00'),
    passed: 3 - failed,
    failed,
    notApplicable: 0,
    seriousFailed: 0,
    score: (3 - failed) / 3,
  });
}

const RULES = {
  metrics: [
    { key: 'onTimeCloseRate', weight: 60 },
    { key: 'reworkRate', weight: 20 },
    { key: 'pointPassRate', weight: 20 },
  ],
  minSample: 3,
  redPerClass: 1,
  blackPerClass: 1,
  classes: [
    { key: 'street', label: { zh: '街道', en: 'Streets' }, unitTypes: ['street_office'] },
    {
      key: 'department',
      label: { zh: '部门', en: 'Departments' },
      unitTypes: ['government_department'],
    },
  ],
  consequences: [
    { flag: 'black', streak: 2, action: { zh: '书面督办', en: 'Written notice' } },
    { flag: 'black', streak: 3, action: { zh: '约谈', en: 'Interview' } },
  ],
  autoMonthly: false,
};

const snap = async (period: string) => {
  const res = await office.post('/api/rankings/snapshots', { period });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<TSnapshot>();
};
const publish = async (id: number) => {
  const res = await office.post(`/api/rankings/snapshots/${id}/publish`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<TSnapshot>();
};
const row = (s: TSnapshot, unit: string) =>
  s.classes.flatMap((c) => c.rows).find((r) => r.unitId === U[unit])!;

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  for (const [k, type] of [
    ['S1', 'street_office'],
    ['S2', 'street_office'],
    ['S3', 'street_office'],
    ['S4', 'street_office'],
    ['D1', 'government_department'],
    ['D2', 'government_department'],
    ['X', 'school'],
  ] as const) {
    U[k] = (await buildUnit(db, { type, name: `排名测试${k}` })).id;
  }
  const o = await buildUser(db, { roles: ['office'] });
  const l = await buildUser(db, { roles: ['leader'] });
  const u = await buildUser(db, { roles: ['unit'], unitId: U.S2! });
  const i = await buildUser(db, { roles: ['inspector'] });
  office = await t.login(o.username, TEST_PASSWORD);
  leader = await t.login(l.username, TEST_PASSWORD);
  unitAgent = await t.login(u.username, TEST_PASSWORD);
  inspector = await t.login(i.username, TEST_PASSWORD);

  // October. Streets: S1 4 on time + 2 passing visits; S2 2 on time, 1 late (reworked once),
  // 1 open past the deadline; S3 3 on time, 1 late, visits 1 pass 1 fail; S4 2 on time only.
  for (let n = 0; n < 4; n++) await problem('S1', '2026-10', 'onTime');
  await visit('S1', 0);
  await visit('S1', 0);
  await problem('S2', '2026-10', 'onTime');
  await problem('S2', '2026-10', 'onTime');
  await problem('S2', '2026-10', 'late', { rework: 1 });
  await problem('S2', '2026-10', 'open');
  for (let n = 0; n < 3; n++) await problem('S3', '2026-10', 'onTime');
  const late = await problem('S3', '2026-10', 'late');
  await visit('S3', 0);
  await visit('S3', 1);
  await problem('S4', '2026-10', 'onTime');
  await problem('S4', '2026-10', 'onTime');
  await problem('X', '2026-10', 'open');
  // Departments, in August, September and October alike: D1 3 on time, D2 3 open past deadline.
  for (const m of ['2026-08', '2026-09', '2026-10']) {
    for (let n = 0; n < 3; n++) await problem('D1', m, 'onTime');
    for (let n = 0; n < 3; n++) await problem('D2', m, 'open');
  }
  // A 反弹 in October: S3's late problem came back.
  await problem('S3', '2026-10', 'onTime', { recurrenceOf: late });
});
afterAll(() => t.close());

describe('ranking rules', () => {
  it('lets the office edit the rules; validates them bilingually; stale version → 409', async () => {
    const cur = (await leader.get('/api/rankings/rules')).json();
    expect(cur.version).toBe(0);
    expect(cur.rules.classes.map((c: { key: string }) => c.key)).toEqual([
      'district',
      'department',
      'street',
    ]);
    expectError(
      await leader.put('/api/rankings/rules', { rules: RULES, version: 0 }),
      403,
      'forbidden',
    );
    const dup = {
      ...RULES,
      metrics: [
        { key: 'reworkRate', weight: 0 },
        { key: 'reworkRate', weight: 0 },
      ],
    };
    const bad = await office.put('/api/rankings/rules', { rules: dup, version: 0 });
    expectInvalid(bad, 'body.rules.metrics.1.key', 'body.rules.metrics');
    const twice = {
      ...RULES,
      classes: [
        ...RULES.classes,
        { key: 'more', label: { zh: '重复', en: 'Dup' }, unitTypes: ['street_office'] },
      ],
    };
    expectInvalid(
      await office.put('/api/rankings/rules', { rules: twice, version: 0 }),
      'body.rules.classes.2.unitTypes',
    );
    expectInvalid(
      await office.put('/api/rankings/rules', { rules: { ...RULES, minSample: -1 }, version: 0 }),
      'body.rules.minSample',
    );
    const ok = await office.put('/api/rankings/rules', { rules: RULES, version: 0 });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().version).toBe(1);
    expectError(
      await office.put('/api/rankings/rules', { rules: RULES, version: 0 }),
      409,
      'stale_version',
    );
  });
});

describe('snapshots', () => {
  it('rejects malformed and future periods with 400 and readers with 403', async () => {
    expectInvalid(
      await office.post('/api/rankings/snapshots', { period: '2026-13' }),
      'body.period',
    );
    expectInvalid(
      await office.post('/api/rankings/snapshots', { period: '2025-W53' }),
      'body.period',
    );
    expectInvalid(
      await office.post('/api/rankings/snapshots', { period: '2099-01' }),
      'body.period',
    );
    expectError(
      await leader.post('/api/rankings/snapshots', { period: '2026-10' }),
      403,
      'forbidden',
    );
    expectError(await inspector.get('/api/rankings/snapshots'), 403, 'forbidden');
  });

  it('ranks October by hand-computed scores, per class, with flags', async () => {
    const s = await snap('2026-10');
    expect(s).toMatchObject({ period: '2026-10', kind: 'month', version: 1, state: 'draft' });
    expect(s.from).toBe('2026-09-30T16:00:00.000Z');
    // S1: (60·1 + 20·1 + 20·1)/100 = 100. S3 (4 of 5 on time, counting the 反弹 closed on time):
    // (60·0.8 + 20·1 + 20·0.5)/100 = 78.
    // S2: no visits → (60·0.5 + 20·0.75)/80 = 56.25. S4: 2 cases < 3 → not ranked.
    const streets = s.classes.find((c) => c.key === 'street')!.rows;
    expect(streets.map((r) => [r.unitName, r.score, r.rank, r.flag, r.excluded])).toEqual([
      ['排名测试S1', 100, 1, 'red', null],
      ['排名测试S3', 78, 2, null, null],
      ['排名测试S2', 56.25, 3, 'black', null],
      ['排名测试S4', null, null, null, 'small_sample'],
    ]);
    expect(row(s, 'S1')).toMatchObject({ sample: 6, classSize: 3 });
    expect(row(s, 'S2').values).toEqual({
      onTimeCloseRate: 0.5,
      reworkRate: 0.25,
      pointPassRate: null,
    });
    expect(row(s, 'S2').missing).toEqual(['pointPassRate']);
    expect(row(s, 'S3').values.pointPassRate).toBe(0.5);
    // Departments: D1 (60·1 + 20·1)/80 = 100, D2 (60·0 + 20·1)/80 = 25.
    const depts = s.classes.find((c) => c.key === 'department')!.rows;
    expect(depts.map((r) => [r.unitName, r.score, r.flag])).toEqual([
      ['排名测试D1', 100, 'red'],
      ['排名测试D2', 25, 'black'],
    ]);
    // A school is in no class: not listed.
    expect(s.classes.flatMap((c) => c.rows).some((r) => r.unitId === U.X)).toBe(false);
    expect(s).toMatchObject({ units: 6, red: 2, black: 2 });
  });

  it('recomputes a draft as a new version; refuses once published; third black in a row → 约谈', async () => {
    const aug = await snap('2026-08');
    const sep = await snap('2026-09');
    expect(row(aug, 'D2')).toMatchObject({ flag: 'black', streak: 1, action: null });
    await publish(aug.id);
    // September's draft was computed before August was published: its streak is stale.
    expectError(
      await office.post(`/api/rankings/snapshots/${sep.id}/publish`),
      409,
      'stale_snapshot',
    );
    const sep2 = await snap('2026-09');
    expect(sep2.version).toBe(2);
    expect(row(sep2, 'D2')).toMatchObject({ streak: 2, action: { zh: '书面督办' } });
    expectError(
      await office.post(`/api/rankings/snapshots/${sep.id}/publish`),
      409,
      'invalid_state',
    );
    await publish(sep2.id);
    const oct = await snap('2026-10');
    expect(oct.version).toBe(2);
    expect(row(oct, 'D2')).toMatchObject({ flag: 'black', streak: 3, action: { zh: '约谈' } });
    expect(row(oct, 'S2')).toMatchObject({ flag: 'black', streak: 1, action: null });
    expect(row(oct, 'D1')).toMatchObject({ flag: 'red', streak: 3, action: null });
    const pub = await publish(oct.id);
    expect(pub.state).toBe('published');
    expectError(
      await office.post('/api/rankings/snapshots', { period: '2026-10' }),
      409,
      'already_published',
    );
    expectError(
      await office.post(`/api/rankings/snapshots/${oct.id}/publish`),
      409,
      'invalid_state',
    );

    const cons = (await leader.get(`/api/rankings/consequences?unitId=${U.D2}`)).json().items;
    expect(
      cons.map((c: { period: string; streak: number; action: { zh: string } }) => [
        c.period,
        c.streak,
        c.action.zh,
      ]),
    ).toEqual([
      ['2026-10', 3, '约谈'],
      ['2026-09', 2, '书面督办'],
    ]);
    const h = (await office.get(`/api/rankings/units/${U.D2}/history`)).json<TUnitHistory>();
    expect(h.periods.map((p) => [p.period, p.rank, p.flag, p.streak])).toEqual([
      ['2026-08', 2, 'black', 1],
      ['2026-09', 2, 'black', 2],
      ['2026-10', 2, 'black', 3],
    ]);
    expect(h.flags).toEqual({ red: 0, black: 3 });
    expect(h.consequences).toHaveLength(2);

    const list = (await office.get('/api/rankings/snapshots?kind=month')).json().items;
    expect(
      list.map(
        (x: { period: string; version: number; state: string }) =>
          `${x.period}v${x.version}:${x.state}`,
      ),
    ).toEqual([
      '2026-10v2:published',
      '2026-10v1:superseded',
      '2026-09v2:published',
      '2026-09v1:superseded',
      '2026-08v1:published',
    ]);
  });

  it('shows a unit its own standing only, and only published', async () => {
    const list = (await unitAgent.get('/api/rankings/snapshots')).json().items as {
      id: number;
      state: string;
    }[];
    expect(list.every((x) => x.state === 'published')).toBe(true);
    const oct = list[0]!;
    const mine = (await unitAgent.get(`/api/rankings/snapshots/${oct.id}`)).json<TSnapshot>();
    expect(mine.classes.flatMap((c) => c.rows).map((r) => [r.unitId, r.rank, r.classSize])).toEqual(
      [[U.S2, 3, 3]],
    );
    const drafts = (await office.get('/api/rankings/snapshots?state=superseded')).json().items;
    expect((await unitAgent.get(`/api/rankings/snapshots/${drafts[0].id}`)).statusCode).toBe(404);
    expect((await unitAgent.get(`/api/rankings/units/${U.D2}/history`)).statusCode).toBe(404);
    const own = (await unitAgent.get(`/api/rankings/units/${U.S2}/history`)).json<TUnitHistory>();
    expect(own.periods.map((p) => [p.period, p.flag])).toEqual([
      ['2026-08', null],
      ['2026-09', null],
      ['2026-10', 'black'],
    ]);
    expect((await unitAgent.get('/api/rankings/consequences')).json().items).toEqual([]);
  });

  it('the monthly job takes last month as a draft once, when the rules allow it', async () => {
    const now = new Date('2026-12-01T02:00:00Z');
    expect(await takeMonthlySnapshot(t.database, now)).toBeNull(); // autoMonthly off
    const cur = (await office.get('/api/rankings/rules')).json();
    await office.put('/api/rankings/rules', {
      rules: { ...RULES, autoMonthly: true },
      version: cur.version,
    });
    expect(await takeMonthlySnapshot(t.database, now)).toBe('2026-11');
    expect(await takeMonthlySnapshot(t.database, now)).toBeNull();
    const nov = (await office.get('/api/rankings/snapshots')).json().items[0];
    expect(nov).toMatchObject({ period: '2026-11', state: 'draft', createdByName: '系统' });
  });
});

describe('bulletins', () => {
  let b: TBulletin;
  it('generates a bulletin of October with known figures', async () => {
    const octId = (await office.get('/api/rankings/snapshots?state=published')).json().items[0].id;
    expectInvalid(await office.post('/api/bulletins', { snapshotId: 999999 }), 'body.snapshotId');
    expectError(await leader.post('/api/bulletins', { snapshotId: octId }), 403, 'forbidden');
    const res = await office.post('/api/bulletins', { snapshotId: octId });
    expect(res.statusCode, res.body).toBe(201);
    b = res.json<TBulletin>();
    expect(b).toMatchObject({ period: '2026-10', state: 'draft', issueNo: null });
    expect(b.title).toBe('创建文明城市工作月度通报（2026年10月）');
    // October: S1 4 + S2 4 + S3 5 + S4 2 + X 1 + D1 3 + D2 3 = 22 problems; closed on time
    // 4 + 2 + 4 + 2 + 3 = 15, late 2 (S2, S3), open past the deadline 5 (S2 1, X 1, D2 3): due 22.
    expect(b.data.summary).toMatchObject({
      reported: 22,
      dispatched: 22,
      closed: 17,
      due: 22,
      onTimeCloseRate: Math.round((15 / 22) * 10_000) / 10_000,
      reworkRate: Math.round((1 / 22) * 10_000) / 10_000,
      recurrences: 1,
      visits: 4,
      visitPassRate: 0.75,
      unitsRanked: 5,
    });
    // Open past the deadline anywhere (October 5, D2's August 3 and September 3), oldest first.
    expect(b.data.summary.overdueOpen).toBe(11);
    expect(b.data.topOverdue).toHaveLength(10);
    expect(b.data.topOverdue[0]!.unitName).toBe('排名测试D2');
    expect(b.data.topRecurring.map((p) => p.unitName)).toEqual(['排名测试S3']);
    expect(b.data.topRecurring[0]!.recurrenceOfCode).toMatch(/^RK/);
    expect(b.data.consequences).toEqual([
      { unitName: '排名测试D2', flag: 'black', streak: 3, action: { zh: '约谈', en: 'Interview' } },
    ]);
    expect(b.data.charts.trend.map((x) => x.period)).toEqual([
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
    ]);
    expect(b.data.charts.trend.map((x) => x.reported)).toEqual([0, 0, 0, 6, 6, 22]);
    expect(b.data.charts.byCategory[0]!.count).toBe(22);
  });

  it('downloads the bulletin as a workbook with several sheets', async () => {
    const res = await office.get(`/api/bulletins/${b.id}/xlsx`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '概况',
      '排名-街道',
      '排名-部门',
      '红旗黑牌',
      '超期问题',
      '反弹问题',
      '趋势',
      '问题类别',
      '文明细胞',
    ]);
    // No title is registered in this world: the 文明细胞 sheet says so in figures.
    expect(wb.getWorksheet('文明细胞')!.getRow(2).values).toEqual(
      expect.arrayContaining(['现有文明称号', 0]),
    );
    const streets = wb.getWorksheet('排名-街道')!;
    expect(streets.getRow(2).values).toEqual(
      expect.arrayContaining([1, '排名测试S1', 100, '流动红旗']),
    );
    expect(wb.getWorksheet('红旗黑牌')!.rowCount).toBe(5);
  });

  it('publishes a bulletin only after its ranking, once per period; units read published ones', async () => {
    const nov = (await office.get('/api/rankings/snapshots?state=draft')).json().items[0];
    const draftB = (await office.post('/api/bulletins', { snapshotId: nov.id })).json<TBulletin>();
    expectError(
      await office.post(`/api/bulletins/${draftB.id}/publish`),
      409,
      'ranking_not_published',
    );
    expect((await unitAgent.get(`/api/bulletins/${b.id}`)).statusCode).toBe(404);
    const pub = await office.post(`/api/bulletins/${b.id}/publish`);
    expect(pub.statusCode, pub.body).toBe(200);
    expect(pub.json()).toMatchObject({ state: 'published', issueNo: 1 });
    const again = (
      await office.post('/api/bulletins', { snapshotId: b.snapshotId })
    ).json<TBulletin>();
    expectError(await office.post(`/api/bulletins/${again.id}/publish`), 409, 'already_published');
    expect(
      (await unitAgent.get('/api/bulletins')).json().items.map((x: { id: number }) => x.id),
    ).toEqual([b.id]);
    expect((await unitAgent.get(`/api/bulletins/${b.id}`)).statusCode).toBe(200);
    expect((await leader.get('/api/bulletins')).json().items).toHaveLength(3);
  });

  it('reads the trend of earlier periods from their published rankings, the rest from problems', async () => {
    const snaps = (await office.get('/api/rankings/snapshots?state=published')).json().items as {
      id: number;
      period: string;
    }[];
    const oct = snaps.find((x) => x.period === '2026-10')!;
    const periods = periodsEndingWith(parseRankingPeriod('2026-10')!, 6);
    const now = new Date();
    // The totals kept with the published August and September are a recount of those periods.
    const kept = await publishedTotals(t.database.db, periods.slice(0, -1));
    expect([...kept.keys()].sort()).toEqual(['2026-08', '2026-09']);
    const recount = await cohortCounts(t.database.db, periods, now);
    const reported = await reportedCounts(t.database.db, periods);
    for (const [i, q] of periods.entries()) {
      const k = kept.get(q.period);
      if (!k) continue;
      expect(k.counts, q.period).toEqual(recount[i]!.counts);
      expect([k.reported, k.recurrences], q.period).toEqual([
        reported[i]!.reported,
        reported[i]!.recurrences,
      ]);
      expect(k.cutoff).toBe(q.to.toISOString());
    }
    const before = (await office.post('/api/bulletins', { snapshotId: oct.id })).json<TBulletin>();
    expect(before.data.charts.trend.map((x) => x.reported)).toEqual([0, 0, 0, 6, 6, 22]);
    expect(before.data.charts.trend.map((x) => x.onTimeCloseRate)).toEqual(
      recount.map((r) => computeKpis(r.counts).onTimeCloseRate),
    );

    // Later writes: an August problem merged away, and one reported in July (no ranking there).
    const aug = periods[3]!;
    const jul = periods[2]!;
    const [a, b] = await execRows<{ id: number }>(
      t.database.db,
      sql`select id from problems where created_at >= ${aug.from} and created_at < ${aug.to}
          order by id limit 2`,
    );
    await t.database.db.execute(sql`update problems set state = 'merged' where id = ${a!.id}`);
    await t.database.db.execute(
      sql`update problems set created_at = ${new Date(jul.from.getTime() + 86_400_000)}
          where id = ${b!.id}`,
    );
    const after = (await office.post('/api/bulletins', { snapshotId: oct.id })).json<TBulletin>();
    // August stays as published (6, not the 4 a recount now finds); July is counted now (1).
    expect((await reportedCounts(t.database.db, [aug]))[0]!.reported).toBe(4);
    expect(after.data.charts.trend.map((x) => x.reported)).toEqual([0, 0, 1, 6, 6, 22]);
    expect(after.data.summary).toEqual(before.data.summary);
  });
});

describe('field visits in a bulletin', () => {
  it('counts the visits of the period exactly as the round report counts them', async () => {
    await seedPointTypes(t.database);
    const market = async (name: string, unit: string | null) =>
      (
        await execRows<{ id: number }>(
          t.database.db,
          sql`insert into points (name, type_id, unit_id)
              select ${name}, id, ${unit ? U[unit]! : null} from point_types where code = 'P03'
              returning id`,
        )
      )[0]!.id;
    // Two markets with a 包保单位 and two without (the demo's points have none).
    const a = await market('六月甲市场', 'S1');
    const b = await market('六月乙市场', null);
    const c = await market('六月丙市场', null);
    const d = await market('六月丁市场', 'D1');
    const inspectorId = (await inspector.get('/api/auth/me')).json().user.id as number;
    const created = await office.post('/api/rounds', {
      name: '六月模拟测评',
      kind: 'mock',
      plan: [{ type: 'P03', mode: 'all' }],
      inspectorIds: [inspectorId],
    });
    const roundId = created.json().id as number;
    await office.post(`/api/rounds/${roundId}/commit`);
    expect((await office.post(`/api/rounds/${roundId}/draw`)).statusCode).toBe(200);
    // P03 has 7 items: p pass, f fail, n not applicable.
    const visit = async (pointId: number, results: string, visitedAt: string) => {
      const res = await inspector.post('/api/visits', {
        clientId: randomUUID(),
        roundId,
        pointId,
        items: [...results].map((r, index) => ({
          index,
          result: r === 'p' ? 'pass' : r === 'f' ? 'fail' : 'na',
        })),
        visitedAt: sh(visitedAt).toISOString(),
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: number }>().id;
    };
    // June in Shanghai: A at 00:30 on the 1st (still 31 May in UTC), D at 23:30 on the 30th.
    await visit(a, 'ppppppp', '2026-06-01T00:30:00');
    await visit(b, 'pfppppp', '2026-06-15T10:00:00');
    await visit(c, 'nnnnnnn', '2026-06-20T10:00:00'); // nothing applied: a visit, not 合格
    const dv = await visit(d, 'fpppppp', '2026-06-30T23:30:00');
    // D corrected: the latest version counts, once.
    const corr = await inspector.post(`/api/visits/${dv}/corrections`, {
      clientId: randomUUID(),
      reason: '复核后确认合格',
      items: [...'ppppppp'].map((_, index) => ({ index, result: 'pass' })),
    });
    expect(corr.statusCode, corr.body).toBe(201);

    const report = (await office.get(`/api/rounds/${roundId}/report`)).json();
    expect(report.total).toMatchObject({ visits: 4 });
    expect(report.total.qualifiedRate).toBeCloseTo(2 / 3);

    const june = await snap('2026-06');
    const res = await office.post('/api/bulletins', { snapshotId: june.id });
    expect(res.statusCode, res.body).toBe(201);
    const s = res.json<TBulletin>().data.summary;
    expect(s.visits).toBe(report.total.visits);
    expect(s.visitPassRate).toBe(Math.round(report.total.qualifiedRate * 10_000) / 10_000);
    // The units' 点位合格率 in the ranking read the same visits (A and D's correction pass).
    expect(row(june, 'S1').values.pointPassRate).toBe(1);
    expect(row(june, 'D1').values.pointPassRate).toBe(1);
  });
});
