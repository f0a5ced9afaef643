import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TCategory, TProblem, TProblemDetail } from '../../../core/contracts/problems.js';
import { shanghaiDate } from '../../../core/calendar/working-days.js';
import { problemCategories, problems } from '../../db/schema/index.js';
import { buildRegion, buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';
import {
  categoriesByCode,
  detailOf,
  expectError,
  expectInvalid,
  report,
} from '../../test/problems-kit.js';

// Intake: every channel comes in through POST /api/problems.

let t: TestApp;
let office: Agent;
let unitA: Agent;
let unitB: Agent;
let grid: Agent;
let inspector: Agent;
let leader: Agent;
let surveyor: Agent;
let unitAId: number;
let regionId: number;
let cats: Map<string, TCategory>;

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  regionId = (await buildRegion(db, { name: '受理区' })).id;
  unitAId = (await buildUnit(db, { name: '城管局' })).id;
  const unitBId = (await buildUnit(db, { name: '水务局' })).id;
  await buildUser(db, { username: 'office1', name: '创建办录入员', roles: ['office'] });
  await buildUser(db, {
    username: 'unita',
    name: '城管局自查员',
    roles: ['unit'],
    unitId: unitAId,
  });
  await buildUser(db, { username: 'unitb', name: '水务局', roles: ['unit'], unitId: unitBId });
  await buildUser(db, { username: 'grid1', name: '网格员', roles: ['grid_worker'], regionId });
  await buildUser(db, { username: 'insp1', name: '测评员', roles: ['inspector'], regionId });
  await buildUser(db, { username: 'leader1', name: '领导', roles: ['leader'] });
  await buildUser(db, { username: 'surv1', name: '调查员', roles: ['surveyor'], regionId });
  office = await t.login('office1');
  unitA = await t.login('unita');
  unitB = await t.login('unitb');
  grid = await t.login('grid1');
  inspector = await t.login('insp1');
  leader = await t.login('leader1');
  surveyor = await t.login('surv1');
  cats = await categoriesByCode(office);
});
afterAll(() => t.close());

const cat = (code: string) => cats.get(code)!.id;
const year = () => shanghaiDate(new Date()).slice(0, 4);
const seq = (code: string) => Number(code.split('-')[1]);

async function countByRef(channel: string, ref: string): Promise<number> {
  const rows = await t.database.db
    .select({ id: problems.id })
    .from(problems)
    .where(and(eq(problems.channel, channel), eq(problems.externalRef, ref)));
  return rows.length;
}

describe('problems intake: codes', () => {
  it('numbers problems WT<year>-000001, WT<year>-000002, … in order', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 3; i++) {
      const p = await report(office, { title: `编号${i}`, categoryId: cat('HJ01') });
      codes.push(p.problem.code);
    }
    expect(codes).toEqual([1, 2, 3].map((n) => `WT${year()}-00000${n}`));
    const other = await report(unitA, { title: '编号单位', categoryId: cat('HJ02') });
    expect(other.problem.code).toBe(`WT${year()}-000004`);
  });
});

describe('problems intake: channels', () => {
  it('takes an office entry with every field and the channel it came from', async () => {
    const res = await office.post('/api/problems', {
      title: '  解放路道路不洁  ',
      description: '路面油污大片',
      categoryId: cat('HJ03'),
      severity: 'urgent',
      channel: 'hotline',
      lat: 36.06,
      lng: 103.83,
      address: '解放路88号',
      regionId,
      reporterName: '市民张先生',
      reporterPhone: '13900000000',
      externalRef: 'RX-0001',
    });
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json<TProblemDetail>();
    expect(p.problem).toMatchObject({
      title: '解放路道路不洁',
      description: '路面油污大片',
      categoryId: cat('HJ03'),
      categoryName: '道路不洁',
      severity: 'urgent',
      channel: 'hotline',
      state: 'reported',
      lat: 36.06,
      lng: 103.83,
      address: '解放路88号',
      regionId,
      regionName: '受理区',
      reporterName: '市民张先生',
      externalRef: 'RX-0001',
      unitId: null,
      deadline: null,
      reworkCount: 0,
      extensionPending: false,
      version: 1,
    });
    expect(p.problem).not.toHaveProperty('reporterPhone');
    expect(p.timeline).toMatchObject([
      {
        action: 'create',
        toState: 'reported',
        actorName: '创建办录入员',
        data: { channel: 'hotline' },
      },
    ]);
    const read = await detailOf(office, p.problem.id);
    expect(read).toMatchObject({ problem: p.problem, timeline: p.timeline, actions: p.actions });

    for (const channel of ['media', 'supervision']) {
      const q = await report(office, { title: `来源${channel}`, categoryId: cat('HJ03'), channel });
      expect(q.problem.channel).toBe(channel);
    }
    const plain = await report(office, { title: '默认来源', categoryId: cat('WM01') });
    expect(plain.problem).toMatchObject({
      channel: 'office',
      severity: 'normal',
      reporterName: '创建办录入员',
      lat: null,
      regionId: null,
    });
  });

  it('records a unit self-report as such and shows it to the reporting unit', async () => {
    const p = await report(unitA, {
      title: '门前三包自查',
      categoryId: cat('ZX02'),
      channel: 'media',
      regionId,
    });
    expect(p.problem).toMatchObject({ channel: 'unit', state: 'reported', unitId: null });
    expect(p.problem.reporterName).toBe('城管局自查员');
    expect((await detailOf(unitA, p.problem.id)).problem.id).toBe(p.problem.id);
    const own = (await unitA.get('/api/problems?limit=500')).json<{ items: TProblem[] }>().items;
    expect(own.map((x) => x.id)).toContain(p.problem.id);
    expectError(await unitB.get(`/api/problems/${p.problem.id}`), 404, 'not_found');
    expect((await detailOf(office, p.problem.id)).actions).toEqual(['register', 'reject', 'merge']);
    const reg = await unitA.post('/api/problems', {
      title: '单位立案',
      categoryId: cat('ZX02'),
      register: true,
    });
    expectError(reg, 403, 'forbidden');
  });

  it('records field reports by who made them, and refuses those who may not report', async () => {
    const patrol = await report(grid, {
      title: '网格巡查发现',
      categoryId: cat('ZX03'),
      channel: 'office',
      regionId,
    });
    expect(patrol.problem).toMatchObject({ channel: 'patrol', state: 'reported' });
    expect((await detailOf(grid, patrol.problem.id)).actions).toEqual([]);
    const insp = await report(inspector, { title: '测评发现', categoryId: cat('XC01'), regionId });
    expect(insp.problem.channel).toBe('inspection');
    for (const agent of [surveyor, leader]) {
      const res = await agent.post('/api/problems', { title: '无权上报', categoryId: cat('XC01') });
      expectError(res, 403, 'forbidden');
    }
    const reg = await grid.post('/api/problems', {
      title: '网格立案',
      categoryId: cat('XC01'),
      register: true,
    });
    expectError(reg, 403, 'forbidden');
  });
});

describe('problems intake: validation', () => {
  it('answers 404 for an unknown or retired category and an unknown region', async () => {
    const before = await office.get('/api/problems?limit=1');
    const unknown = await office.post('/api/problems', { title: '未知类别', categoryId: 987654 });
    expectError(unknown, 404, 'not_found');
    expect(unknown.json().error.messageEn).toBe('problem category not found (987654)');
    const retired = cats.get('YL03')!;
    await t.database.db
      .update(problemCategories)
      .set({ active: false })
      .where(eq(problemCategories.id, retired.id));
    try {
      const res = await office.post('/api/problems', { title: '停用类别', categoryId: retired.id });
      expectError(res, 404, 'not_found');
    } finally {
      await t.database.db
        .update(problemCategories)
        .set({ active: true })
        .where(eq(problemCategories.id, retired.id));
    }
    const region = await office.post('/api/problems', {
      title: '未知区划',
      categoryId: cat('HJ01'),
      regionId: 987654,
    });
    expectError(region, 404, 'not_found');
    expect(region.json().error.messageEn).toBe('region not found (987654)');
    const after = await office.get('/api/problems?limit=1');
    expect(after.json().total).toBe(before.json().total);
  });

  it('answers 400 with the fields at fault', async () => {
    const half = await office.post('/api/problems', {
      title: '只有纬度',
      categoryId: cat('HJ01'),
      lat: 36.1,
    });
    expectInvalid(half, 'body.lat');
    expect(half.json().error.messageZh).toContain('经纬度需同时填写');
    expectInvalid(
      await office.post('/api/problems', { title: '只有经度', categoryId: cat('HJ01'), lng: 103 }),
      'body.lat',
    );
    const bad = await office.post('/api/problems', {
      title: 7,
      categoryId: 'HJ01',
      severity: 'huge',
      channel: 'pigeon',
      lat: 91,
      lng: 'east',
      register: 'yes',
    });
    expectInvalid(
      bad,
      'body.title',
      'body.categoryId',
      'body.severity',
      'body.channel',
      'body.lat',
      'body.lng',
      'body.register',
    );
    expectInvalid(
      await office.post('/api/problems', { title: ' x ', categoryId: 1 }),
      'body.title',
    );
    expectInvalid(await office.post('/api/problems', { categoryId: 1 }), 'body.title');
    const next = await report(office, { title: '校验后', categoryId: cat('HJ01') });
    // Refused reports use up no code.
    const all = (await office.get('/api/problems?limit=500')).json<{ items: TProblem[] }>().items;
    expect(seq(next.problem.code)).toBe(all.length);
  });
});

describe('problems intake: external references', () => {
  it('returns the same problem for a re-sent hotline order', async () => {
    const body = { title: '12345工单', categoryId: cat('HJ04'), channel: 'hotline' };
    const first = await office.post('/api/problems', { ...body, externalRef: 'HL-2001' });
    expect(first.statusCode, first.body).toBe(201);
    const again = await office.post('/api/problems', {
      ...body,
      title: '12345工单（重发）',
      externalRef: 'HL-2001',
    });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json<TProblemDetail>().problem).toEqual(first.json<TProblemDetail>().problem);
    expect(await countByRef('hotline', 'HL-2001')).toBe(1);
    // The same number on another channel is another problem.
    const media = await office.post('/api/problems', {
      ...body,
      channel: 'media',
      externalRef: 'HL-2001',
    });
    expect(media.statusCode).toBe(201);
    expect(media.json().problem.id).not.toBe(first.json().problem.id);
    // The duplicate did not use up a code.
    expect(seq(media.json().problem.code)).toBe(seq(first.json().problem.code) + 1);
  });

  it('keeps one problem when the same order arrives several times at once', async () => {
    const body = {
      title: '并发工单',
      categoryId: cat('HJ04'),
      channel: 'hotline',
      externalRef: 'HL-3001',
    };
    const results = await Promise.all([1, 2, 3, 4].map(() => office.post('/api/problems', body)));
    const created = results.filter((r) => r.statusCode === 201);
    expect(created).toHaveLength(1);
    const id = created[0]!.json<TProblemDetail>().problem.id;
    // The others, even those that raced past the look-up, answer with the same problem.
    for (const r of results.filter((x) => x !== created[0])) {
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json<TProblemDetail>().problem.id).toBe(id);
    }
    expect(await countByRef('hotline', 'HL-3001')).toBe(1);
    const resent = await office.post('/api/problems', body);
    expect(resent.statusCode).toBe(200);
    expect(resent.json<TProblemDetail>().problem.id).toBe(id);
  });
});
