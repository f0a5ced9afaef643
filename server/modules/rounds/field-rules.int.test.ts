import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  TMyRound,
  TPointType,
  TRoundReport,
  TVisit,
} from '../../../core/contracts/inspections.js';
import { execRows } from '../../db/client.js';
import { seedDemoCity } from '../../db/seed/demo-city.js';
import { seedDemoFramework } from '../../db/seed/demo-framework.js';
import { seedPointTypes } from '../../db/seed/demo-points.js';
import { buildRegion, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';
import { testJpeg } from '../../test/images.js';

// Field work as inspectors do it (issue #19): 随机查看 — a place added on the phone during a
// round (seed 001: 街巷、公厕、小型餐馆、娱乐场所、网吧、营业厅), scored like a drawn point and marked;
// count rules scored from the count entered (BRIEF §2.2); a severe failure needs its photo.

let t: TestApp;
let office: Agent;
let inspector: Agent;
let inspectorId = 0;
let roundId = 0;
let streetA = 0; // P01 主次干道, drawn
let streetB = 0;
let photo = '';

// P01 主次干道: 0 ads ≥ 5 处 (count rule), 1 垃圾 (serious), 2 占道 (severe-capable), 3–5 plain.
const p01 = (over: Record<number, object> = {}) =>
  [0, 1, 2, 3, 4, 5].map((index) => ({
    index,
    result: 'pass',
    ...(index === 0 ? { count: 6 } : {}),
    ...over[index],
  }));
// P13 小餐馆 (demo extra type): 0 I4.1.1, 1 I6.1.1, 2 I2.3.1, 3 I6.3.1 (吸烟: severe-capable),
// 4 unlinked, 5 I1.2.1.
const p13 = (results: string) =>
  [...results].map((c, index) => ({
    index,
    result: c === 'p' ? 'pass' : c === 'f' ? 'fail' : 'na',
  }));

const submit = (body: object) =>
  inspector.post('/api/visits', {
    clientId: randomUUID(),
    roundId,
    visitedAt: new Date().toISOString(),
    ...body,
  });
const count = async (q: ReturnType<typeof sql>) =>
  (await execRows<{ n: number }>(t.database.db, q))[0]!.n;

beforeAll(async () => {
  t = await createTestApp();
  // The demo framework, so checklist edits can link its standards.
  await seedDemoCity(t.database);
  await seedDemoFramework(t.database);
  await buildUser(t.database.db, { username: 'office1', roles: ['office'] });
  inspectorId = (await buildUser(t.database.db, { username: 'insp', roles: ['inspector'] })).id;
  office = await t.login('office1');
  inspector = await t.login('insp');
  await seedPointTypes(t.database);
  const community = await buildRegion(t.database.db, { name: '湖滨社区', level: 'community' });
  const mk = async (name: string, lat: number) =>
    (
      await execRows<{ id: number }>(
        t.database.db,
        sql`insert into points (name, type_id, region_id, lat, lng)
            select ${name}, id, ${community.id}, ${lat}, 120.15
            from point_types where code = 'P01' returning id`,
      )
    )[0]!.id;
  streetA = await mk('湖滨路', 30.27);
  streetB = await mk('延安路', 30.28);
  const created = await office.post('/api/rounds', {
    name: '12月模拟测评',
    kind: 'mock',
    plan: [{ type: 'P01', mode: 'all' }],
    regionIds: [community.id],
    inspectorIds: [inspectorId],
  });
  roundId = created.json().id as number;
  await office.post(`/api/rounds/${roundId}/commit`);
  expect((await office.post(`/api/rounds/${roundId}/draw`)).json().drawnIds).toHaveLength(2);
  photo = (await inspector.upload('/api/files', await testJpeg(), 'a.jpg')).json().id as string;
});
afterAll(() => t.close());

describe('随机查看: a place added during the round', () => {
  let added: TVisit;

  it('the phone keeps the types of 随机查看 with their checklists, for offline use', async () => {
    const mine = (await inspector.get('/api/inspections/mine')).json<{ items: TMyRound[] }>();
    const r = mine.items[0]!;
    expect(r.points.map((p) => [p.id, p.added])).toEqual([
      [streetA, false],
      [streetB, false],
    ]);
    expect(r.addableTypes.map((x) => x.name)).toEqual([
      '背街小巷',
      '公共厕所',
      '网吧',
      '小餐馆',
      '娱乐场所',
      '营业厅',
    ]);
    expect(r.addableTypes.find((x) => x.code === 'P13')!.checklist).toHaveLength(6);
  });

  it('adds a place with the visit; a retry of the queued submission adds nothing twice', async () => {
    const body = {
      clientId: randomUUID(),
      roundId,
      addedPoint: { type: 'P13', name: '老王面馆', address: '湖滨路 8 号' },
      // items 0 and 2 fail: I4.1.1 and I2.3.1
      items: p13('fpfppp'),
      lat: 30.2705,
      lng: 120.1505,
      visitedAt: '2026-12-02T03:00:00.000Z',
    };
    const first = await inspector.post('/api/visits', body);
    expect(first.statusCode, first.body).toBe(201);
    added = first.json<TVisit>();
    expect(added).toMatchObject({
      added: true,
      pointName: '老王面馆',
      pointType: 'P13',
      passed: 4,
      failed: 2,
      result: 'fail',
      distanceM: null,
    });
    const again = await inspector.post('/api/visits', body);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(added.id);
    const [p] = await execRows<{
      n: number;
      added_in_round_id: number;
      adopted_at: Date | null;
      lat: number;
      address: string;
      region_id: number;
    }>(
      t.database.db,
      sql`select count(*) over ()::int as n, added_in_round_id, adopted_at, lat, address,
            region_id from points where name = '老王面馆'`,
    );
    expect(p).toMatchObject({
      n: 1,
      added_in_round_id: roundId,
      adopted_at: null,
      lat: 30.2705,
      address: '湖滨路 8 号',
    });
    // The round's one region, no grid covering the fix.
    expect(p!.region_id).not.toBeNull();
    // Its failures became a problem, like any visit's.
    expect(added.problemId).not.toBeNull();
    expect(
      await count(
        sql`select count(*)::int as n from audit_log where action = 'point.add_in_round'`,
      ),
    ).toBe(1);
  });

  it('the phone and the visit list show it, marked 随机增加', async () => {
    const r = (await inspector.get('/api/inspections/mine')).json<{ items: TMyRound[] }>()
      .items[0]!;
    const p = r.points.find((x) => x.id === added.pointId)!;
    expect(p).toMatchObject({ added: true, visitId: added.id, visitResult: 'fail' });
    const list = (await office.get(`/api/visits?roundId=${roundId}`)).json<{ items: TVisit[] }>();
    expect(list.items.map((v) => [v.pointName, v.added])).toEqual([['老王面馆', true]]);
  });

  it('refuses what is not a 随机查看: a drawn-only type, a name added twice, no place at all', async () => {
    const market = await submit({
      addedPoint: { type: 'P03', name: '某农贸市场' },
      items: [0, 1, 2, 3, 4, 5, 6].map((index) => ({ index, result: 'pass' })),
      lat: 30.27,
      lng: 120.15,
    });
    expect(market.statusCode).toBe(400);
    expect(market.json().error.messageZh).toContain('随机查看');
    const twice = await submit({
      addedPoint: { type: 'P13', name: '老王面馆' },
      items: p13('pppppp'),
      lat: 30.27,
      lng: 120.15,
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.messageZh).toContain('老王面馆');
    const neither = await submit({ items: p13('pppppp') });
    expect(neither.statusCode).toBe(400);
    const both = await submit({
      pointId: streetA,
      addedPoint: { type: 'P13', name: '另一家面馆' },
      items: p13('pppppp'),
    });
    expect(both.statusCode).toBe(400);
    const nowhere = await submit({
      addedPoint: { type: 'P13', name: '无定位面馆' },
      items: p13('pppppp'),
    });
    expect(nowhere.statusCode).toBe(400);
    expect(nowhere.json().error.messageZh).toContain('定位或地址');
    const unknown = await submit({
      addedPoint: { type: 'PX9', name: '某场所', address: '某路' },
      items: p13('pppppp'),
    });
    expect(unknown.statusCode).toBe(400);
  });

  it('is scored like a drawn point: report totals, by type, by point (marked) and by standard', async () => {
    // Drawn street A: all pass (6 ads counted).
    const a = await submit({ pointId: streetA, items: p01(), lat: 30.27, lng: 120.15 });
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json()).toMatchObject({ added: false, result: 'pass' });
    const r = (await office.get(`/api/rounds/${roundId}/report`)).json<TRoundReport>();
    // drawn 2, visited 2 (street A + the added 面馆), of which 1 added
    expect(r).toMatchObject({ drawn: 2, visited: 2, added: 1 });
    // items: A 6/6, 面馆 4/6 → 10/12
    expect(r.total).toMatchObject({ visits: 2, passed: 10, failed: 2 });
    expect(r.total.passRate).toBeCloseTo(10 / 12);
    expect(r.byType.map((x) => x.key).sort()).toEqual(['P01', 'P13']);
    const row = r.byPoint.find((x) => x.label === '老王面馆')!;
    expect(row).toMatchObject({ added: true, passed: 4, failed: 2 });
    expect(r.byPoint.find((x) => x.label === '湖滨路')!.added).toBe(false);
    const std = Object.fromEntries(r.byStandard.map((s) => [s.code, s]));
    // I2.3.1 (节约用餐) only the added place observes: it failed → share 0
    expect(std['I2.3.1']).toMatchObject({ visits: 1, passed: 0, failed: 1, share: 0 });
    // I4.1.1: street A item 2 pass (1), 面馆 item 0 fail (0) → mean 0.5
    expect(std['I4.1.1']).toMatchObject({ visits: 2, share: 0.5 });
    const x = await office.get(`/api/rounds/${roundId}/report.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const labels = wb.worksheets[0]!.getColumn(2).values;
    expect(labels).toContain('老王面馆（随机增加）');
  });

  it('stays out of the draw until the office adopts it; the 申报表 lists declared points only', async () => {
    const plan = async (name: string) => {
      const r = await office.post('/api/rounds', {
        name,
        kind: 'supervision',
        plan: [{ type: 'P13', mode: 'all' }],
        inspectorIds: [inspectorId],
      });
      const id = r.json().id as number;
      const c = await office.post(`/api/rounds/${id}/commit`);
      expect(c.statusCode, c.body).toBe(200);
      return c.json().frozenList as { id: number }[];
    };
    expect(await plan('督查一')).toEqual([]);
    const overview = (await office.get('/api/points/overview?origin=added')).json().items;
    expect(overview.map((p: { id: number; added: boolean }) => [p.id, p.added])).toEqual([
      [added.pointId, true],
    ]);
    expect(overview[0].addedInRoundName).toBe('12月模拟测评');
    const decl = await office.get('/api/points/declaration.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(decl.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.getColumn(2).values).not.toContain('老王面馆');

    const declared = await office.post(`/api/points/${streetA}/adopt`, { version: 1 });
    expect(declared.statusCode).toBe(409);
    expect(
      (await inspector.post(`/api/points/${added.pointId}/adopt`, { version: 1 })).statusCode,
    ).toBe(403);
    expect(
      (await office.post(`/api/points/${added.pointId}/adopt`, { version: 9 })).statusCode,
    ).toBe(409);
    const adopted = await office.post(`/api/points/${added.pointId}/adopt`, { version: 1 });
    expect(adopted.statusCode, adopted.body).toBe(200);
    expect(adopted.json()).toMatchObject({ addedInRoundId: roundId, version: 2 });
    expect(adopted.json().adoptedAt).not.toBeNull();
    expect((await plan('督查二')).map((p) => p.id)).toEqual([added.pointId]);
    // Its visit in the round it was added in keeps the mark.
    const v = (await office.get(`/api/visits/${added.id}`)).json().visit;
    expect(v.added).toBe(true);
  });
});

describe('count rules (BRIEF §2.2): scored from the count entered', () => {
  it('主干道: fewer than 5 ads seen fails the item, whatever was ticked; the count is kept', async () => {
    const missing = await submit({ pointId: streetB, items: p01({ 0: { count: null } }) });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.messageZh).toContain('请填写实际计数');
    expect(missing.json().error.messageEn).toContain('count');
    const short = await submit({ pointId: streetB, items: p01({ 0: { count: 3 } }) });
    expect(short.statusCode, short.body).toBe(201);
    const v = short.json<TVisit>();
    expect(v.items[0]).toMatchObject({
      result: 'fail',
      count: 3,
      quantity: { kind: 'count', min: 5, unit: '处' },
    });
    expect(v).toMatchObject({ passed: 5, failed: 1, result: 'fail' });
    // The problem says what was counted against the rule.
    const [pr] = await execRows<{ description: string }>(
      t.database.db,
      sql`select description from problems where id = ${v.problemId}`,
    );
    expect(pr!.description).toContain('计数 3处（要求不少于5处）');
    // A correction with 5 counted passes it.
    const fixed = await inspector.post(`/api/visits/${v.id}/corrections`, {
      clientId: randomUUID(),
      reason: '漏计两处',
      items: p01({ 0: { count: 5 } }),
    });
    expect(fixed.statusCode, fixed.body).toBe(201);
    expect(fixed.json()).toMatchObject({ passed: 6, failed: 0, result: 'pass' });
  });

  it('背街小巷 亮灯率 ≥ 95 %: 18 of 20 lit fails, 19 of 20 passes (an added 街巷)', async () => {
    // P02: 0 路面, 1 路灯完好 (ratio 亮灯/路灯 ≥ 95 %), 2 垃圾 (serious), 3–5 plain.
    const lane = (lit: number, lamps: number | null) =>
      [0, 1, 2, 3, 4, 5].map((index) =>
        index === 1
          ? { index, result: 'pass', count: lit, total: lamps }
          : { index, result: 'pass' },
      );
    const noTotal = await submit({
      addedPoint: { type: 'P02', name: '孩儿巷' },
      items: lane(19, null),
      lat: 30.27,
      lng: 120.15,
    });
    expect(noTotal.statusCode).toBe(400);
    expect(noTotal.json().error.messageZh).toContain('路灯总数');
    const dark = await submit({
      addedPoint: { type: 'P02', name: '孩儿巷' },
      items: lane(18, 20),
      lat: 30.27,
      lng: 120.15,
    });
    expect(dark.statusCode, dark.body).toBe(201);
    expect(dark.json().items[1]).toMatchObject({ result: 'fail', count: 18, total: 20 });
    const lit = await submit({
      addedPoint: { type: 'P02', name: '皮市巷' },
      items: lane(19, 20),
      lat: 30.27,
      lng: 120.15,
    });
    expect(lit.statusCode, lit.body).toBe(201);
    expect(lit.json()).toMatchObject({ result: 'pass', score: 1 });
  });
});

describe('a severe failure needs its photo', () => {
  let round2 = 0;
  beforeAll(async () => {
    const r = await office.post('/api/rounds', {
      name: '12月暗访',
      kind: 'secret',
      plan: [{ type: 'P01', mode: 'all' }],
      inspectorIds: [inspectorId],
    });
    round2 = r.json().id as number;
    await office.post(`/api/rounds/${round2}/commit`);
    await office.post(`/api/rounds/${round2}/draw`);
  });
  const visit = (items: object[]) =>
    inspector.post('/api/visits', {
      clientId: randomUUID(),
      roundId: round2,
      pointId: streetA,
      items,
      visitedAt: new Date().toISOString(),
    });

  it('refuses a serious item failed without a photo, or a failure marked severe without one', async () => {
    const serious = await visit(p01({ 1: { result: 'fail' } }));
    expect(serious.statusCode).toBe(400);
    expect(serious.json().error.messageZh).toBe(
      '第 2 项“地面无垃圾、烟头、痰迹”为严重不合格，须附现场照片',
    );
    expect(serious.json().error.messageEn).toContain('attach a photo');
    const marked = await visit(p01({ 2: { result: 'fail', severe: true } }));
    expect(marked.statusCode).toBe(400);
    expect(marked.json().error.messageZh).toContain('第 3 项');
    // Marked severe on an item that does not allow it: the mark is dropped, a plain failure.
    const plain = await visit(p01({ 3: { result: 'fail', severe: true } }));
    expect(plain.statusCode, plain.body).toBe(201);
    expect(plain.json()).toMatchObject({ result: 'fail', seriousFailed: 0 });
    expect(plain.json().items[3].severe).toBeUndefined();

    // With the photo it is stored as 严重不合格; a correction must keep a photo on it.
    const v = plain.json<TVisit>();
    const severe = await inspector.post(`/api/visits/${v.id}/corrections`, {
      clientId: randomUUID(),
      reason: '占道严重',
      items: p01({ 2: { result: 'fail', severe: true } }),
    });
    expect(severe.statusCode).toBe(400);
    const withPhoto = await inspector.post(`/api/visits/${v.id}/corrections`, {
      clientId: randomUUID(),
      reason: '占道严重',
      items: p01({ 2: { result: 'fail', severe: true, photoIds: [photo] } }),
    });
    expect(withPhoto.statusCode, withPhoto.body).toBe(201);
    expect(withPhoto.json()).toMatchObject({ result: 'serious', seriousFailed: 1 });
    expect(withPhoto.json().items[2]).toMatchObject({ severe: true, severeCapable: true });
    const r = (await office.get(`/api/rounds/${round2}/report`)).json<TRoundReport>();
    expect(r.total.seriousVisits).toBe(1);
    expect(r.byItem.find((x) => x.key === 'P01-2')).toMatchObject({ failed: 1, seriousVisits: 1 });
  });
});

describe('checklist edits while phones hold the lists', () => {
  const typeOf = async (code: string) =>
    (await office.get('/api/point-types'))
      .json<{ items: TPointType[] }>()
      .items.find((x) => x.code === code)!;

  it('a 随机查看 type gets no new item while a round is under way; a switched-off type can', async () => {
    const p15 = await typeOf('P15');
    expect(p15).toMatchObject({ randomCheck: true, visits: 0 });
    const appended = await office.patch(`/api/point-types/${p15.id}`, {
      checklist: [...p15.checklist, { text: '设意见簿' }],
      version: p15.version,
    });
    expect(appended.statusCode).toBe(409);
    expect(appended.json().error.messageZh).toContain('随机查看');
    const off = await office.patch(`/api/point-types/${p15.id}`, {
      randomCheck: false,
      version: p15.version,
    });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json().randomCheck).toBe(false);
    const mine = (await inspector.get('/api/inspections/mine')).json<{ items: TMyRound[] }>();
    expect(mine.items[0]!.addableTypes.map((x) => x.code)).not.toContain('P15');
    const refused = await submit({
      addedPoint: { type: 'P15', name: '某营业厅' },
      items: [0, 1, 2, 3, 4, 5].map((index) => ({ index, result: 'pass' })),
      lat: 30.27,
      lng: 120.15,
    });
    expect(refused.statusCode).toBe(400);
  });

  it('edits a count rule in the checklist editor; a new rule waits while drawn points await', async () => {
    const p01t = await typeOf('P01');
    const items = p01t.checklist.map((i, k) =>
      k === 0 ? { ...i, quantity: { kind: 'count', min: 6, unit: '处' } } : i,
    );
    const six = await office.patch(`/api/point-types/${p01t.id}`, {
      checklist: items,
      version: p01t.version,
    });
    expect(six.statusCode, six.body).toBe(200);
    expect(six.json().checklist[0].quantity).toEqual({ kind: 'count', min: 6, unit: '处' });
    // Street B is drawn in the 暗访 round and unvisited: a new count rule on item 3 must wait.
    const stricter = await office.patch(`/api/point-types/${p01t.id}`, {
      checklist: six
        .json<TPointType>()
        .checklist.map((i, k) =>
          k === 3 ? { ...i, quantity: { kind: 'count', min: 1, unit: '处' } } : i,
        ),
      version: six.json().version,
    });
    expect(stricter.statusCode).toBe(409);
    expect(stricter.json().error.messageZh).toContain('计数规则');
  });
});
