import { eq, sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TProblem, TProblemDetail } from '../../../core/contracts/problems.js';
import { addWorkingDays } from '../../../core/calendar/working-days.js';
import { escalationLevel } from '../../../core/problems/escalation.js';
import { problems } from '../../db/schema/index.js';
import { buildRegion, buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';
import {
  categoriesByCode,
  detailOf,
  expectError,
  report,
  seededCalendar,
  step,
} from '../../test/problems-kit.js';

// The ledger (台账): scope, filters and the 三色督办 colours.

let t: TestApp;
let office: Agent;
let leader: Agent;
let unitA: Agent;
let unitB: Agent;
let grid: Agent;
let loneGrid: Agent;
let ids: { A: number; B: number; city: number; d1: number; s1: number; d2: number };
let cat: (code: string) => number;
const table = seededCalendar();
const P = {} as Record<
  's1' | 'd2' | 'd1' | 'own' | 'patrol' | 'lone' | 'none' | 'closed',
  TProblem
>;

interface Page {
  items: TProblem[];
  nextCursor: string | null;
  total: number;
}

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const city = await buildRegion(db, { name: '台账市', level: 'city' });
  const d1 = await buildRegion(db, { name: '城关区', level: 'district', parent: city });
  const s1 = await buildRegion(db, { name: '东岗街道', level: 'street', parent: d1 });
  const d2 = await buildRegion(db, { name: '七里河区', level: 'district', parent: city });
  const A = (await buildUnit(db, { name: '台账甲局' })).id;
  const B = (await buildUnit(db, { name: '台账乙局' })).id;
  ids = { A, B, city: city.id, d1: d1.id, s1: s1.id, d2: d2.id };
  await buildUser(db, { username: 'office1', roles: ['office'] });
  await buildUser(db, { username: 'leader1', roles: ['leader'] });
  await buildUser(db, { username: 'unita', roles: ['unit'], unitId: A });
  await buildUser(db, { username: 'unitb', roles: ['unit'], unitId: B });
  await buildUser(db, { username: 'grid1', roles: ['grid_worker'], regionId: d1.id });
  await buildUser(db, { username: 'grid2', roles: ['grid_worker'] });
  office = await t.login('office1');
  leader = await t.login('leader1');
  unitA = await t.login('unita');
  unitB = await t.login('unitb');
  grid = await t.login('grid1');
  loneGrid = await t.login('grid2');
  const cats = await categoriesByCode(office);
  cat = (code) => cats.get(code)!.id;

  const make = async (agent: Agent, body: Record<string, unknown>) =>
    (await report(agent, body)).problem;
  let p = await make(office, {
    title: '解放路暴露垃圾',
    categoryId: cat('HJ01'),
    regionId: s1.id,
    address: '解放路1号',
    register: true,
  });
  P.s1 = (await step(office, p, 'dispatch', { unitId: A })).problem;
  p = await make(office, {
    title: '南关垃圾桶满溢',
    categoryId: cat('HJ04'),
    severity: 'urgent',
    channel: 'hotline',
    regionId: d2.id,
    register: true,
  });
  P.d2 = (await step(office, p, 'dispatch', { unitId: B })).problem;
  P.d1 = await make(office, {
    title: '西站占道经营',
    categoryId: cat('ZX01'),
    severity: 'critical',
    channel: 'media',
    regionId: d1.id,
    address: '西站广场东侧',
  });
  P.own = await make(unitA, { title: '门前道路破损', categoryId: cat('SS02'), regionId: d2.id });
  P.patrol = await make(grid, { title: '流动摊贩', categoryId: cat('ZX03'), regionId: d1.id });
  // Without a region a grid worker sees only its own reports.
  p = await make(loneGrid, { title: '无区划网格员上报', categoryId: cat('ZX04') });
  P.lone = (await step(office, p, 'reject', { note: '测试数据' })).problem;
  P.none = await make(office, {
    title: '公益广告缺失',
    categoryId: cat('XC01'),
    severity: 'urgent',
    register: true,
  });
  p = await make(office, {
    title: '井盖缺失',
    categoryId: cat('SS01'),
    regionId: s1.id,
    register: true,
  });
  p = (await step(office, p, 'dispatch', { unitId: A })).problem;
  p = (await step(unitA, p, 'submit', { note: '已补装' })).problem;
  P.closed = (await step(office, p, 'approve')).problem;
});
afterAll(() => t.close());

async function list(agent: Agent, query = ''): Promise<Page> {
  const res = await agent.get(`/api/problems?limit=500${query ? `&${query}` : ''}`);
  expect(res.statusCode, res.body).toBe(200);
  const page = res.json<Page>();
  expect(page.nextCursor).toBeNull();
  expect(page.total).toBe(page.items.length);
  return page;
}

const idsOf = async (agent: Agent, query = '') =>
  new Set((await list(agent, query)).items.map((p) => p.id));
const setOf = (...ps: TProblem[]) => new Set(ps.map((p) => p.id));

describe('problem ledger: scope', () => {
  it('shows the office and leaders everything', async () => {
    const all = setOf(...Object.values(P));
    expect(await idsOf(office)).toEqual(all);
    expect(await idsOf(leader)).toEqual(all);
  });

  it('shows a unit what was dispatched to it or what it reported', async () => {
    expect(await idsOf(unitA)).toEqual(setOf(P.s1, P.own, P.closed));
    expect(await idsOf(unitB)).toEqual(setOf(P.d2));
    expect(await idsOf(unitA, 'state=reported')).toEqual(setOf(P.own));
    expectError(await unitB.get(`/api/problems/${P.s1.id}`), 404, 'not_found');
  });

  it('shows a grid worker its region and the regions below it', async () => {
    expect(await idsOf(grid)).toEqual(setOf(P.s1, P.d1, P.patrol, P.closed));
    expect((await detailOf(grid, P.closed.id)).problem.regionName).toBe('东岗街道');
    expectError(await grid.get(`/api/problems/${P.d2.id}`), 404, 'not_found');
    expectError(await grid.get(`/api/problems/${P.none.id}`), 404, 'not_found');
    // Without a region a grid worker sees only its own reports.
    expect(await idsOf(loneGrid)).toEqual(setOf(P.lone));
    expect((await detailOf(loneGrid, P.lone.id)).problem.channel).toBe('patrol');
  });
});

describe('problem ledger: filters', () => {
  const cases: [string, string, (keyof typeof P)[]][] = [
    ['one state', 'state=reported', ['d1', 'own', 'patrol']],
    ['several states', 'state=registered,closed,rejected', ['none', 'closed', 'lone']],
    ['channels', 'channel=hotline,media', ['d2', 'd1']],
    ['unit self-reports', 'channel=unit', ['own']],
    ['patrols', 'channel=patrol', ['patrol', 'lone']],
    ['severity', 'severity=urgent', ['d2', 'none']],
    ['severities', 'severity=critical,urgent', ['d2', 'd1', 'none']],
    ['responsible unit', `unitId=UNIT_A`, ['s1', 'closed']],
    ['region subtree', 'regionId=D1', ['s1', 'd1', 'patrol', 'closed']],
    ['a leaf region', 'regionId=S1', ['s1', 'closed']],
    ['the whole city', 'regionId=CITY', ['s1', 'd2', 'd1', 'own', 'patrol', 'closed']],
    ['a major category with its subcategories', 'categoryId=C_HJ', ['s1', 'd2']],
    ['another major category', 'categoryId=C_SS', ['own', 'closed']],
    ['a subcategory', 'categoryId=C_HJ01', ['s1']],
    ['title', 'q=占道', ['d1']],
    ['address', 'q=广场东', ['d1']],
    ['title or address', 'q=解放路', ['s1']],
    ['a literal %', 'q=%25', []],
    ['filters together', 'state=dispatched&regionId=D1', ['s1']],
    ['filters together (none)', 'channel=media&severity=normal', []],
  ];

  it.each(cases)('by %s', async (_name, query, expected) => {
    const q = query
      .replace('UNIT_A', String(ids.A))
      .replace('D1', String(ids.d1))
      .replace('S1', String(ids.s1))
      .replace('CITY', String(ids.city))
      .replace(/C_([A-Z]+\d*)/, (_m, code: string) => String(cat(code)));
    expect(await idsOf(office, q)).toEqual(setOf(...expected.map((k) => P[k])));
  });

  it('finds a problem by its code', async () => {
    expect(await idsOf(office, `q=${P.d2.code}`)).toEqual(setOf(P.d2));
    expect(await idsOf(office, `q=${P.d2.code.toLowerCase()}`)).toEqual(setOf(P.d2));
  });

  it('limits by creation time', async () => {
    const all = (await list(office)).items;
    const from = P.d1.createdAt;
    const to = P.patrol.createdAt;
    const expected = all.filter((p) => p.createdAt >= from && p.createdAt <= to);
    expect(expected.map((p) => p.id)).toEqual(
      expect.arrayContaining([P.d1.id, P.own.id, P.patrol.id]),
    );
    const got = await idsOf(office, `createdFrom=${from}&createdTo=${to}`);
    expect(got).toEqual(setOf(...expected));
    expect(await idsOf(office, `createdFrom=${P.closed.createdAt}`)).toEqual(
      setOf(...all.filter((p) => p.createdAt >= P.closed.createdAt)),
    );
    const future = new Date(Date.now() + 86_400_000).toISOString();
    expect(await idsOf(office, `createdFrom=${future}`)).toEqual(new Set());
  });

  it('limits by deadline', async () => {
    // Dispatched with the rule: urgent HJ04 (1 working day) before normal HJ01 (2).
    expect(Date.parse(P.d2.deadline!)).toBeLessThan(Date.parse(P.s1.deadline!));
    expect(await idsOf(office, `deadlineTo=${P.d2.deadline}`)).toEqual(setOf(P.d2));
    expect(await idsOf(office, `deadlineFrom=${P.s1.deadline}`)).toEqual(setOf(P.s1, P.closed));
    const both = `deadlineFrom=${P.d2.deadline}&deadlineTo=${P.s1.deadline}&state=dispatched`;
    expect(await idsOf(office, both)).toEqual(setOf(P.s1, P.d2));
  });

  it('answers 400 for a bad filter', async () => {
    for (const [query, field] of [
      ['state=open', 'querystring.state'],
      ['channel=pigeon', 'querystring.channel'],
      ['escalation=purple', 'querystring.escalation'],
      ['unitId=abc', 'querystring.unitId'],
      ['createdFrom=yesterday', 'querystring.createdFrom'],
      ['overdue=maybe', 'querystring.overdue'],
      ['sort=title', 'querystring.sort'],
      ['limit=0', 'querystring.limit'],
    ] as const) {
      const res = await office.get(`/api/problems?${query}`);
      expectError(res, 400, 'invalid');
      const paths = (res.json().error.fields as { path: string }[]).map((f) => f.path);
      expect(
        paths.some((p) => p.startsWith(field)),
        `${query}: ${paths.join()}`,
      ).toBe(true);
    }
  });
});

describe('problem ledger: 三色督办', () => {
  const setDeadline = (id: number, to: SQL) =>
    t.database.db.update(problems).set({ deadline: to }).where(eq(problems.id, id));

  it('shows each problem under exactly the colour it has', async () => {
    const dispatch = async (
      title: string,
      create: Record<string, unknown> = {},
      extra: Record<string, unknown> = {},
    ) => {
      const p = await report(office, { title, categoryId: cat('HJ01'), register: true, ...create });
      return step(office, p.problem, 'dispatch', { unitId: ids.A, ...extra });
    };
    const calm = { deadline: addWorkingDays(new Date(), 10, table).toISOString() };
    const soon = { deadline: new Date(Date.now() + 3600_000).toISOString() };
    const E: Record<string, TProblemDetail> = {
      red: await dispatch('督办红'),
      tenDays: await dispatch('督办十天'),
      yellow: await dispatch('督办黄'),
      blueRule: await dispatch('督办蓝', { categoryId: cat('SS01'), severity: 'critical' }),
      blueSoon: await dispatch('督办蓝二', {}, soon),
      calm: await dispatch('督办正常', {}, calm),
      reworked: await dispatch('督办返工', {}, calm),
      submitted: await dispatch('督办已提交'),
      deferred: await dispatch('督办缓办'),
    };
    await setDeadline(E.red!.problem.id, sql`now() - interval '30 days'`);
    await setDeadline(E.tenDays!.problem.id, sql`now() - interval '10 days'`);
    await setDeadline(E.yellow!.problem.id, sql`now() - interval '3 hours'`);
    await t.database.db
      .update(problems)
      .set({ reworkCount: 2 })
      .where(eq(problems.id, E.reworked!.problem.id));
    await step(unitA, E.submitted!.problem, 'submit', { note: '已整改' });
    await setDeadline(E.submitted!.problem.id, sql`now() - interval '30 days'`);
    await step(office, E.deferred!.problem, 'defer', { note: '暂缓' });
    await setDeadline(E.deferred!.problem.id, sql`now() - interval '30 days'`);

    const shown = new Map<string, TProblem>();
    for (const [k, v] of Object.entries(E))
      shown.set(k, (await detailOf(office, v.problem.id)).problem);
    const level = (k: string) => shown.get(k)!.escalation;
    expect(level('red')).toBe('red');
    expect(level('yellow')).toBe('yellow');
    expect(level('blueRule')).toBe('blue');
    expect(level('blueSoon')).toBe('blue');
    expect(level('calm')).toBe('none');
    expect(level('reworked')).toBe('red');
    expect(level('submitted')).toBe('none');
    expect(level('deferred')).toBe('none');
    // Ten calendar days overdue: red unless holidays leave three working days or fewer.
    const ten = shown.get('tenDays')!;
    expect(ten.escalation).toBe(
      escalationLevel({ ...ten, deadline: new Date(ten.deadline!) }, new Date(), table),
    );

    const all = (await list(office)).items;
    for (const colour of ['none', 'blue', 'yellow', 'red'] as const) {
      const got = await idsOf(office, `escalation=${colour}`);
      expect(got, colour).toEqual(setOf(...all.filter((p) => p.escalation === colour)));
    }
    const hot = await list(office, 'escalation=yellow,red');
    expect(new Set(hot.items.map((p) => p.id))).toEqual(
      setOf(...all.filter((p) => p.escalation === 'yellow' || p.escalation === 'red')),
    );
    expect(hot.items.every((p) => p.escalation === 'yellow' || p.escalation === 'red')).toBe(true);
    expect(await idsOf(unitB, 'escalation=red')).toEqual(new Set());

    const now = Date.now();
    const overdue = await idsOf(office, 'overdue=true');
    expect(overdue).toEqual(
      setOf(...all.filter((p) => p.state === 'dispatched' && Date.parse(p.deadline!) < now)),
    );
    for (const k of ['red', 'tenDays', 'yellow']) expect(overdue).toContain(shown.get(k)!.id);
    for (const k of ['reworked', 'submitted', 'deferred', 'blueSoon'])
      expect(overdue).not.toContain(shown.get(k)!.id);
    const onTime = await idsOf(office, 'overdue=false');
    expect(onTime.size + overdue.size).toBe(all.length);
    expect([...onTime].filter((id) => overdue.has(id))).toEqual([]);
  });
});
