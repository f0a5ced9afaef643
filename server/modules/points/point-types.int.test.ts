import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TPointType, TRoundReport } from '../../../core/contracts/inspections.js';
import { execRows } from '../../db/client.js';
import { DEMO_PASSWORD } from '../../db/seed/demo-city.data.js';
import { seedDemoCity } from '../../db/seed/demo-city.js';
import { seedDemoFramework } from '../../db/seed/demo-framework.js';
import { seedDemoGrids } from '../../db/seed/demo-grids.js';
import { seedPointTypes } from '../../db/seed/demo-points.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';

// Point types: validation, links to framework standards, the in-use protection of checklists,
// the demo seed's links, and the round report's roll-up by standard (answers worked out by hand).

let t: TestApp;
let office: Agent;
let unit: Agent;
let inspector: Agent;
let inspectorId = 0;

beforeAll(async () => {
  t = await createTestApp();
  await seedDemoCity(t.database);
  await seedDemoFramework(t.database);
  await seedPointTypes(t.database);
  office = await t.login('office', DEMO_PASSWORD);
  unit = await t.login('unit', DEMO_PASSWORD);
  inspector = await t.login('inspector', DEMO_PASSWORD);
  inspectorId = (
    await execRows<{ id: number }>(
      t.database.db,
      sql`select id from users where username = 'inspector'`,
    )
  )[0]!.id;
});
afterAll(() => t.close());

const typeByCode = async (code: string) =>
  (await office.get('/api/point-types'))
    .json<{ items: TPointType[] }>()
    .items.find((x) => x.code === code)!;

describe('point types API', () => {
  it('lists the 15 demo types with their items linked to standards', async () => {
    const items = (await office.get('/api/point-types')).json<{ items: TPointType[] }>().items;
    expect(items).toHaveLength(15);
    const p01 = items.find((x) => x.code === 'P01')!;
    // BRIEF §2.2: 主干道 walk 300 m and see 5 ads — scored from the count entered.
    expect(p01.checklist[0]).toMatchObject({
      standards: ['I1.2.1'],
      countRule: '步行300米，固定式公益广告不少于5处',
      quantity: { kind: 'count', min: 5, unit: '处' },
      serious: false,
    });
    // 背街小巷 亮灯率 95 %
    expect(items.find((x) => x.code === 'P02')!.checklist[1]!.quantity).toEqual({
      kind: 'ratio',
      minPercent: 95,
      counted: '亮灯',
      of: '路灯',
    });
    // 随机查看 on for the seed-001 kinds only: 街巷, 公厕, 网吧 and the added 小餐馆, 娱乐场所, 营业厅.
    expect(items.filter((x) => x.randomCheck).map((x) => `${x.code} ${x.name}`)).toEqual([
      'P02 背街小巷',
      'P10 公共厕所',
      'P12 网吧',
      'P13 小餐馆',
      'P14 娱乐场所',
      'P15 营业厅',
    ]);
    expect(p01.checklist[3]!.standards).toEqual(['I4.1.2']);
    expect(p01).toMatchObject({ points: 0, visits: 0, awaiting: 0, version: 1 });
  });

  it('the demo seed links items of a database seeded before the links, and keeps edits', async () => {
    // P02 as an older demo database has it: items without a standards key.
    await t.database.db.execute(
      sql`update point_types set checklist = (select jsonb_agg(i - 'standards')
            from jsonb_array_elements(checklist) i) where code = 'P02'`,
    );
    const p03 = await typeByCode('P03');
    const edited = p03.checklist.map((i, k) => (k === 0 ? { ...i, standards: ['I6.1.1'] } : i));
    const patched = await office.patch(`/api/point-types/${p03.id}`, {
      checklist: edited,
      version: p03.version,
    });
    expect(patched.statusCode, patched.body).toBe(200);
    await seedPointTypes(t.database);
    expect((await typeByCode('P02')).checklist[0]!.standards).toEqual(['I4.3.1']);
    expect((await typeByCode('P03')).checklist[0]!.standards).toEqual(['I6.1.1']);
    expect(await execRows(t.database.db, sql`select 1 from point_types`)).toHaveLength(15);
  });

  it('creates a type; validates codes, fields and standard links (bilingual 4xx)', async () => {
    const body = {
      code: 'TX1',
      name: '测试街区',
      sampling: 'random',
      defaultDrawCount: 2,
      route: '步行100米',
      checklist: [
        { text: '地面干净', standards: ['I6.1.1'] },
        {
          text: '车辆规范停放',
          standards: ['I6.1.1', 'I4.1.2'],
          severeCapable: true,
          guidance: '看盲道',
        },
      ],
    };
    const unknown = await office.post('/api/point-types', {
      ...body,
      checklist: [{ text: '地面干净', standards: ['I9.9.9'] }],
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.messageZh).toContain('I9.9.9');
    expect(unknown.json().error.messageEn).toContain('I9.9.9');
    expect(unknown.json().error.fields[0].path).toBe('body.checklist.0.standards');
    const twice = await office.post('/api/point-types', {
      ...body,
      checklist: [{ text: '地面干净', standards: ['I6.1.1', 'I6.1.1'] }],
    });
    expect(twice.statusCode).toBe(400);
    expect((await office.post('/api/point-types', { ...body, checklist: [] })).statusCode).toBe(
      400,
    );
    const both = await office.post('/api/point-types', {
      ...body,
      checklist: [{ text: '地面干净', serious: true, severeCapable: true }],
    });
    expect(both.statusCode).toBe(400);
    const noMin = await office.post('/api/point-types', {
      ...body,
      checklist: [{ text: '公益广告', quantity: { kind: 'count', min: 0, unit: '处' } }],
    });
    expect(noMin.statusCode).toBe(400);
    expect((await office.post('/api/point-types', { ...body, code: '点位' })).statusCode).toBe(400);
    expect((await unit.post('/api/point-types', body)).statusCode).toBe(403);

    const created = await office.post('/api/point-types', body);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({
      code: 'TX1',
      version: 1,
      // not a seed-001 kind: no 随机查看 unless asked
      randomCheck: false,
      checklist: [
        {
          text: '地面干净',
          standards: ['I6.1.1'],
          serious: false,
          severeCapable: false,
          guidance: null,
          countRule: null,
          quantity: null,
        },
        { text: '车辆规范停放', serious: false, severeCapable: true, guidance: '看盲道' },
      ],
    });
    const dup = await office.post('/api/point-types', body);
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.messageZh).toContain('TX1');
  });
});

describe('in-use checklists and the roll-up by standard', () => {
  let typeId = 0;
  let round1 = 0;
  let pointA = 0;
  let pointB = 0;
  let visitA = 0;

  const visit = (roundId: number, pointId: number, results: string[]) =>
    inspector.post('/api/visits', {
      clientId: randomUUID(),
      roundId,
      pointId,
      items: results.map((result, index) => ({ index, result })),
      visitedAt: new Date().toISOString(),
    });
  const draw = async (name: string) => {
    const r = await office.post('/api/rounds', {
      name,
      kind: 'supervision',
      plan: [{ type: 'TX1', mode: 'all' }],
      inspectorIds: [inspectorId],
    });
    expect(r.statusCode, r.body).toBe(201);
    const id = r.json().id as number;
    await office.post(`/api/rounds/${id}/commit`);
    expect((await office.post(`/api/rounds/${id}/draw`)).json().drawnIds).toHaveLength(2);
    return id;
  };

  beforeAll(async () => {
    const tx1 = await typeByCode('TX1');
    typeId = tx1.id;
    for (const name of ['测试街区甲', '测试街区乙']) {
      const p = await office.post('/api/points', { name, type: 'TX1' });
      expect(p.statusCode, p.body).toBe(201);
      if (!pointA) pointA = p.json().id;
      else pointB = p.json().id;
    }
    round1 = await draw('督查第一轮');
  });

  it('a visited type never loses items, and appending waits for its drawn points', async () => {
    let tx1 = await typeByCode('TX1');
    expect(tx1).toMatchObject({ points: 2, visits: 0, awaiting: 2 });
    const a = await visit(round1, pointA, ['pass', 'fail']);
    expect(a.statusCode, a.body).toBe(201);
    visitA = a.json().id;
    tx1 = await typeByCode('TX1');
    expect(tx1).toMatchObject({ visits: 1, awaiting: 1 });

    const removed = await office.patch(`/api/point-types/${typeId}`, {
      checklist: tx1.checklist.slice(0, 1),
      version: tx1.version,
    });
    expect(removed.statusCode).toBe(409);
    expect(removed.json().error.messageZh).toContain('不能删除');
    const appended = await office.patch(`/api/point-types/${typeId}`, {
      checklist: [...tx1.checklist, { text: '无乱张贴', standards: ['I4.1.2'] }],
      version: tx1.version,
    });
    expect(appended.statusCode).toBe(409);
    expect(appended.json().error.messageEn).toContain('awaiting');

    // Rewording and re-linking is fine; the stored visit reads the new wording.
    const reworded = await office.patch(`/api/point-types/${typeId}`, {
      checklist: tx1.checklist.map((i, k) => (k === 0 ? { ...i, text: '地面干净无烟头' } : i)),
      version: tx1.version,
    });
    expect(reworded.statusCode, reworded.body).toBe(200);
    expect(reworded.json().version).toBe(tx1.version + 1);
    const stale = await office.patch(`/api/point-types/${typeId}`, {
      name: '过期的修改',
      version: tx1.version,
    });
    expect(stale.statusCode).toBe(409);
    const v = (await office.get(`/api/visits/${visitA}`)).json().visit;
    expect(v.items[0].text).toBe('地面干净无烟头');
    expect(v).toMatchObject({ passed: 1, failed: 1 });
  });

  it('rolls the round up onto standards (max × mean per-visit share)', async () => {
    expect((await visit(round1, pointB, ['pass', 'pass'])).statusCode).toBe(201);
    const r = (await office.get(`/api/rounds/${round1}/report`)).json<TRoundReport>();
    // I4.1.2 (max 2): A item 1 fail → 0, B pass → 1: share 0.5, 1 point.
    // I6.1.1 (max 3): A items 0 pass, 1 fail → 0.5; B 2/2 → 1: share 0.75, 2.25 points.
    expect(r.byStandard).toEqual([
      {
        code: 'I4.1.2',
        text: '机动车、非机动车、共享单车规范停放，不占盲道',
        maxScore: 2,
        visits: 2,
        passed: 1,
        failed: 1,
        share: 0.5,
        points: 1,
        previousShare: null,
      },
      {
        code: 'I6.1.1',
        text: '地面无垃圾、烟头、痰迹，果皮箱无满溢',
        maxScore: 3,
        visits: 2,
        passed: 3,
        failed: 1,
        share: 0.75,
        points: 2.25,
        previousShare: null,
      },
    ]);
  });

  it('appends once every drawn point is visited; a correction then answers the new item', async () => {
    const tx1 = await typeByCode('TX1');
    expect(tx1.awaiting).toBe(0);
    const appended = await office.patch(`/api/point-types/${typeId}`, {
      checklist: [...tx1.checklist, { text: '无乱张贴', standards: ['I4.1.2'] }],
      version: tx1.version,
    });
    expect(appended.statusCode, appended.body).toBe(200);
    expect(appended.json().checklist).toHaveLength(3);
    const short = await inspector.post(`/api/visits/${visitA}/corrections`, {
      clientId: randomUUID(),
      reason: '复核后改判',
      items: [
        { index: 0, result: 'pass' },
        { index: 1, result: 'pass' },
      ],
    });
    expect(short.statusCode).toBe(400);
    const fixed = await inspector.post(`/api/visits/${visitA}/corrections`, {
      clientId: randomUUID(),
      reason: '复核后改判',
      items: [
        { index: 0, result: 'pass' },
        { index: 1, result: 'pass' },
        { index: 2, result: 'na' },
      ],
    });
    expect(fixed.statusCode, fixed.body).toBe(201);
    const r = (await office.get(`/api/rounds/${round1}/report`)).json<TRoundReport>();
    // Latest versions only: A now passes both standards' items, B as before.
    expect(r.byStandard.map((s) => [s.code, s.visits, s.share])).toEqual([
      ['I4.1.2', 2, 1],
      ['I6.1.1', 2, 1],
    ]);
  });

  it('compares each standard with the previous round and exports a by-standard sheet', async () => {
    const round2 = await draw('督查第二轮');
    // A: item 0 fail, 1 fail, 2 pass → I6.1.1 0/2 = 0; I4.1.2 items 1 fail, 2 pass = 0.5.
    expect((await visit(round2, pointA, ['fail', 'fail', 'pass'])).statusCode).toBe(201);
    const r = (await office.get(`/api/rounds/${round2}/report`)).json<TRoundReport>();
    expect(r.previous?.roundId).toBe(round1);
    expect(r.byStandard.map((s) => [s.code, s.visits, s.share, s.points, s.previousShare])).toEqual(
      [
        ['I4.1.2', 1, 0.5, 1, 1],
        ['I6.1.1', 1, 0, 0, 1],
      ],
    );
    const x = await office.get(`/api/rounds/${round2}/report.xlsx`);
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('按测评标准')!;
    expect((ws.getRow(1).values as unknown[]).slice(1, 3)).toEqual(['标准编号', '测评标准']);
    expect((ws.getRow(2).values as unknown[]).slice(1)).toEqual([
      'I4.1.2',
      '机动车、非机动车、共享单车规范停放，不占盲道',
      2,
      1,
      1,
      1,
      50,
      1,
      100,
    ]);
    expect(ws.rowCount).toBe(3);
  });
});

describe('a point: its grid from the polygons and its change history', () => {
  it('derives the grid, and lists who changed which fields when', async () => {
    await seedDemoGrids(t.database);
    const created = await office.post('/api/points', {
      name: '湖滨测试点',
      type: 'P01',
      lat: 30.27,
      lng: 120.16,
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as number;
    const patched = await office.patch(`/api/points/${id}`, {
      name: '湖滨路测试点',
      address: '湖滨路1号',
      version: 1,
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const d = (await office.get(`/api/points/${id}`)).json();
    // 湖滨一网格 spans lng 120.155–120.165, lat 30.262–30.277 (demo-grids.ts).
    expect(d.grid.name).toBe('湖滨一网格');
    expect(d.point).toMatchObject({ name: '湖滨路测试点', type: 'P01', version: 2 });
    expect(d.history.map((h: { action: string }) => h.action)).toEqual([
      'point.create',
      'point.update',
    ]);
    expect(d.history[1].actorName).toContain('office');
    expect(d.history[1].changes).toEqual([
      { field: 'address', before: null, after: '湖滨路1号' },
      { field: 'name', before: '湖滨测试点', after: '湖滨路测试点' },
    ]);

    const far = await office.post('/api/points', {
      name: '城外测试点',
      type: 'P01',
      lat: 31,
      lng: 121,
    });
    expect((await office.get(`/api/points/${far.json().id}`)).json().grid).toBeNull();
    // Every problem reader reads a point (leaders got 403 before); the history, which names the
    // office staff, only whole-campaign readers.
    const leader = await t.login('leader', DEMO_PASSWORD);
    const byLeader = await leader.get(`/api/points/${id}`);
    expect(byLeader.statusCode, byLeader.body).toBe(200);
    expect(byLeader.json().history).toHaveLength(2);
    const byUnit = await unit.get(`/api/points/${id}`);
    expect(byUnit.statusCode, byUnit.body).toBe(200);
    expect(byUnit.json()).toMatchObject({ point: { name: '湖滨路测试点' }, history: [] });
    const surveyor = await t.login('surveyor', DEMO_PASSWORD);
    expect((await surveyor.get(`/api/points/${id}`)).statusCode).toBe(403);
    expect((await surveyor.get('/api/points/999999')).statusCode).toBe(403);
    expect((await office.get('/api/points/999999')).statusCode).toBe(404);
  });
});
