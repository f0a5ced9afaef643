import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  TDashboardBreakdown,
  TDashboardDueSoon,
  TDashboardHeat,
  TDashboardKpis,
  TDashboardPoints,
  TDashboardRanking,
  TDashboardTrend,
  TUnitStanding,
} from '../../../core/contracts/dashboards.js';
import type { TProblem } from '../../../core/contracts/problems.js';
import { execRows } from '../../db/client.js';
import { buildRegion, buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';
import { act, categoriesByCode, report, step } from '../../test/problems-kit.js';
import { cohortCache } from './cohort-cache.js';
import { unitCohorts } from './dashboards.repo.js';

// Dashboards on a small city whose answers are counted by hand:
//
//   city ─┬─ district A ── community a1: P1 (U1, closed on time), P2 (U1, 10 days overdue → red),
//         │                              P3 (U2, an hour overdue → yellow)
//         └─ district B ── community b1: P4 (U2, due in an hour → blue), P5 (registered only)
//
// P2 and P3 lie in one 0.01° map cell, P4 in another; P1 and P5 have no position.

let t: TestApp;
let office: Agent;
let leader: Agent;
let u1Agent: Agent;
let u2Agent: Agent;
const ids = { city: 0, a: 0, b: 0, a1: 0, b1: 0, u1: 0, u2: 0 };
const p: TProblem[] = [];

async function get<T>(agent: Agent, url: string): Promise<T> {
  const res = await agent.get(url);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<T>();
}

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const city = await buildRegion(db, { name: '测试市', level: 'city' });
  const a = await buildRegion(db, { name: '甲区', level: 'district', parent: city });
  const b = await buildRegion(db, { name: '乙区', level: 'district', parent: city });
  const a1 = await buildRegion(db, { name: '甲社区', level: 'community', parent: a });
  const b1 = await buildRegion(db, { name: '乙社区', level: 'community', parent: b });
  const u1 = await buildUnit(db, { name: '一号单位', type: 'street_office' });
  const u2 = await buildUnit(db, { name: '二号单位', type: 'government_department' });
  Object.assign(ids, { city: city.id, a: a.id, b: b.id, a1: a1.id, b1: b1.id });
  Object.assign(ids, { u1: u1.id, u2: u2.id });
  await buildUser(db, { username: 'dash_office', roles: ['office'] });
  await buildUser(db, { username: 'dash_leader', roles: ['leader'] });
  await buildUser(db, { username: 'dash_u1', roles: ['unit'], unitId: u1.id });
  await buildUser(db, { username: 'dash_u2', roles: ['unit'], unitId: u2.id });
  office = await t.login('dash_office');
  leader = await t.login('dash_leader');
  u1Agent = await t.login('dash_u1');
  u2Agent = await t.login('dash_u2');
  const categoryId = [...(await categoriesByCode(office)).values()].find((c) => c.parentId)!.id;

  const specs = [
    { regionId: a1.id, unit: u1.id },
    { regionId: a1.id, unit: u1.id, lat: 30.2512, lng: 120.1512 },
    { regionId: a1.id, unit: u2.id, lat: 30.2538, lng: 120.1538 },
    { regionId: b1.id, unit: u2.id, lat: 30.2712, lng: 120.1712 },
    { regionId: b1.id, unit: null },
  ];
  for (const [i, s] of specs.entries()) {
    let d = await report(office, {
      title: `看板问题${i + 1}`,
      categoryId,
      regionId: s.regionId,
      register: true,
      ...(s.lat ? { lat: s.lat, lng: s.lng } : {}),
    });
    if (s.unit) d = await step(office, d.problem, 'dispatch', { unitId: s.unit });
    p.push(d.problem);
  }
  // P1: closed on time.
  const sub = await step(u1Agent, p[0]!, 'submit', { note: '已整改' });
  await step(office, sub.problem, 'approve');
  const hour = 3600_000;
  await db.execute(
    sql`update problems set deadline = now() - interval '10 days' where id = ${p[1]!.id}`,
  );
  await db.execute(sql`update problems set deadline = ${new Date(Date.now() - hour)}
    where id = ${p[2]!.id}`);
  await db.execute(sql`update problems set deadline = ${new Date(Date.now() + hour)}
    where id = ${p[3]!.id}`);
  // A point of U1 in a1 with a position; never visited.
  await db.execute(sql`insert into point_types (code, name, sampling, checklist)
    values ('ZZ', '测试点位类型', 'random', '[]'::jsonb) on conflict do nothing`);
  await db.execute(sql`insert into points (name, type_id, region_id, lat, lng, unit_id)
    select '看板点位', id, ${a1.id}, 30.25, 120.15, ${u1.id} from point_types where code = 'ZZ'`);
});
afterAll(() => t.close());

describe('office dashboard', () => {
  it('KPI cards of the whole city, counted by hand', async () => {
    const k = await get<TDashboardKpis>(office, `/api/dashboards/kpis?regionId=${ids.city}`);
    expect(k.scope).toMatchObject({ level: 'city', regionId: ids.city, unitId: null });
    expect(k.scope.path.map((r) => r.id)).toEqual([ids.city]);
    expect({
      open: k.open,
      overdue: k.overdue,
      red: k.red,
      yellow: k.yellow,
      blue: k.blue,
      registeredThisMonth: k.registeredThisMonth,
      closedThisMonth: k.closedThisMonth,
      recurrenceThisMonth: k.recurrenceThisMonth,
    }).toEqual({
      open: 4,
      overdue: 2,
      red: 1,
      yellow: 1,
      blue: 1,
      registeredThisMonth: 5,
      closedThisMonth: 1,
      recurrenceThisMonth: 0,
    });
    // Cohort: P1–P4 dispatched; due = P1 (closed) + P2 + P3 (overdue); one closed on time.
    expect(k.cohort).toMatchObject({
      due: 3,
      closed: 1,
      closedOnTime: 1,
      onTimeCloseRate: 0.3333,
      reworkRate: 0,
    });
    // The campaign without a region is the same city here.
    const all = await get<TDashboardKpis>(office, '/api/dashboards/kpis');
    expect(all.open).toBe(4);
  });

  it('trend, heat (cells, not problems), due soon and points', async () => {
    const tr = await get<TDashboardTrend>(office, '/api/dashboards/trend?interval=week&count=4');
    expect(tr.buckets).toHaveLength(4);
    expect(tr.buckets.at(-1)).toMatchObject({ registered: 5, closed: 1 });
    expect(tr.buckets.slice(0, 3).every((b) => b.registered === 0 && b.closed === 0)).toBe(true);
    const months = await get<TDashboardTrend>(office, '/api/dashboards/trend?interval=month');
    expect(months.buckets).toHaveLength(12);
    expect(months.buckets.at(-1)!.start.endsWith('-01')).toBe(true);

    const h = await get<TDashboardHeat>(office, '/api/dashboards/heat?cell=0.01');
    expect(h.total).toBe(3);
    expect(h.cells.map((c) => [c.lat, c.lng, c.count, c.overdue])).toEqual([
      [30.255, 120.155, 2, 2],
      [30.275, 120.175, 1, 0],
    ]);

    const due = await get<TDashboardDueSoon>(office, '/api/dashboards/due-soon');
    expect(due.items.map((x) => [x.id, x.escalation, x.unitName])).toEqual([
      [p[3]!.id, 'blue', '二号单位'],
    ]);

    const pts = await get<TDashboardPoints>(office, `/api/dashboards/points?regionId=${ids.a}`);
    expect(pts.items.map((x) => [x.name, x.result])).toEqual([['看板点位', null]]);
    const none = await get<TDashboardPoints>(office, `/api/dashboards/points?regionId=${ids.b}`);
    expect(none.items).toEqual([]);
  });

  it('ranks units by on-time closure, with a minimum sample', async () => {
    const r = await get<TDashboardRanking>(office, '/api/dashboards/ranking?minSample=1');
    // U1: due 2 (P1 closed on time, P2 overdue) → 50%; U2: due 1 (P3) → 0%.
    expect(r.rows.map((x) => [x.unitId, x.rank, x.rankInType, x.onTimeCloseRate])).toEqual([
      [ids.u1, 1, 1, 0.5],
      [ids.u2, 2, 1, 0],
    ]);
    expect(r.rankedCount).toBe(2);
    const strict = await get<TDashboardRanking>(office, '/api/dashboards/ranking?minSample=2');
    expect(strict.rows.map((x) => [x.unitId, x.rank])).toEqual([
      [ids.u1, 1],
      [ids.u2, null],
    ]);
  });

  it('rejects bad input with 4xx', async () => {
    expect((await office.get('/api/dashboards/kpis?regionId=999999')).statusCode).toBe(404);
    expect((await office.get('/api/dashboards/trend?interval=day')).statusCode).toBe(400);
    expect((await office.get('/api/dashboards/heat?cell=0')).statusCode).toBe(400);
    expect((await office.get('/api/dashboards/unit')).statusCode).toBe(400);
  });
});

describe('leader drill-down', () => {
  it('city → district → unit → problems, each level with its own figures', async () => {
    const districts = await get<TDashboardBreakdown>(
      leader,
      `/api/dashboards/breakdown?regionId=${ids.city}&by=region`,
    );
    expect(districts.rows.map((r) => [r.key, r.name, r.open, r.overdue, r.red, r.due])).toEqual([
      [ids.a, '甲区', 2, 2, 1, 3],
      [ids.b, '乙区', 2, 0, 0, 0],
    ]);
    const a = await get<TDashboardKpis>(leader, `/api/dashboards/kpis?regionId=${ids.a}`);
    expect(a.scope.level).toBe('district');
    expect(a.scope.path.map((r) => r.name)).toEqual(['测试市', '甲区']);
    expect([a.open, a.overdue, a.red, a.yellow, a.blue]).toEqual([2, 2, 1, 1, 0]);

    const units = await get<TDashboardBreakdown>(
      leader,
      `/api/dashboards/breakdown?regionId=${ids.a}&by=unit`,
    );
    expect(
      units.rows.map((r) => [r.name, r.open, r.due, r.closedOnTime, r.onTimeCloseRate]),
    ).toEqual([
      ['一号单位', 1, 2, 1, 0.5],
      ['二号单位', 1, 1, 0, 0],
    ]);
    const u1 = await get<TDashboardKpis>(
      leader,
      `/api/dashboards/kpis?regionId=${ids.a}&unitId=${ids.u1}`,
    );
    expect(u1.scope).toMatchObject({ level: 'unit', unitName: '一号单位', regionName: '甲区' });
    expect([u1.open, u1.red, u1.closedThisMonth]).toEqual([1, 1, 1]);
    // The problem list of that level is the ledger with the same filters.
    const list = await get<{ items: { id: number }[] }>(
      leader,
      `/api/problems?regionId=${ids.a}&unitId=${ids.u1}`,
    );
    expect(list.items.map((x) => x.id).sort()).toEqual([p[0]!.id, p[1]!.id].sort());
  });

  it('the leader reads but cannot write', async () => {
    expect((await act(leader, p[4]!, 'dispatch', { unitId: ids.u1 })).statusCode).toBe(403);
    const res = await leader.post('/api/problems', { title: '领导不能上报', categoryId: 1 });
    expect(res.statusCode).toBe(403);
  });
});

describe('unit dashboard', () => {
  it('a unit sees only itself', async () => {
    const k = await get<TDashboardKpis>(u2Agent, '/api/dashboards/kpis');
    expect(k.scope).toMatchObject({ level: 'unit', unitId: ids.u2 });
    expect([k.open, k.overdue, k.yellow, k.blue, k.red]).toEqual([2, 1, 1, 1, 0]);
    expect((await u2Agent.get(`/api/dashboards/kpis?unitId=${ids.u1}`)).statusCode).toBe(403);
    expect((await u2Agent.get(`/api/dashboards/unit?unitId=${ids.u1}`)).statusCode).toBe(403);
    expect((await u2Agent.get('/api/dashboards/ranking')).statusCode).toBe(403);
    // A region asked for still keeps to the unit's own problems.
    const b = await get<TDashboardKpis>(u2Agent, `/api/dashboards/kpis?regionId=${ids.b}`);
    expect([b.open, b.blue]).toEqual([1, 1]);
    const heat = await get<TDashboardHeat>(u1Agent, '/api/dashboards/heat');
    expect(heat.total).toBe(1);
  });

  it('its standing and open work by colour', async () => {
    const s = await get<TUnitStanding>(u1Agent, '/api/dashboards/unit');
    expect(s.unit).toMatchObject({ id: ids.u1, name: '一号单位', type: 'street_office' });
    // Two due problems are below the minimum sample of 5: listed, not ranked.
    expect(s.standing).toMatchObject({ due: 2, closedOnTime: 1, onTimeCloseRate: 0.5, rank: null });
    expect(s.openByColour).toEqual({ none: 0, blue: 0, yellow: 0, red: 1 });
    const s2 = await get<TUnitStanding>(office, `/api/dashboards/unit?unitId=${ids.u2}`);
    expect(s2.openByColour).toEqual({ none: 0, blue: 1, yellow: 1, red: 0 });
  });
});

describe('the daily rollup behind the trend', () => {
  const recount = sql`select day::text, region_id, sum(r)::int as registered, sum(c)::int as closed
    from (
      select (registered_at at time zone 'Asia/Shanghai')::date as day, coalesce(region_id, 0) as region_id,
        1 as r, 0 as c from problems where registered_at is not null
      union all
      select (closed_at at time zone 'Asia/Shanghai')::date, coalesce(region_id, 0), 0, 1
      from problems where closed_at is not null
    ) x group by 1, 2 order by 1, 2`;
  const rollup = sql`select day::text, region_id, registered, closed from problem_daily_counts
    where registered <> 0 or closed <> 0 order by 1, 2`;
  const rows = (q: typeof recount) => execRows<Record<string, unknown>>(t.database.db, q);

  it('stays equal to a recount through transitions, reopening, moves, deletes and rollbacks', async () => {
    expect(await rows(rollup)).toEqual(await rows(recount));
    // Reopening P1 takes its closure back out of this week.
    await step(
      office,
      (await get<{ problem: TProblem }>(office, `/api/problems/${p[0]!.id}`)).problem,
      'reopen',
      {
        note: '复查发现反弹',
      },
    );
    const tr = await get<TDashboardTrend>(office, '/api/dashboards/trend?interval=week&count=2');
    expect(tr.buckets.at(-1)).toMatchObject({ registered: 5, closed: 0 });
    // A raw move to another district and a delete keep it too (any writer, not only the API).
    await t.database.db.execute(
      sql`update problems set region_id = ${ids.b1} where id = ${p[2]!.id}`,
    );
    const b = await get<TDashboardTrend>(office, `/api/dashboards/trend?regionId=${ids.b}&count=2`);
    expect(b.buckets.at(-1)!.registered).toBe(3);
    await t.database.db.execute(sql`delete from problems where id = ${p[4]!.id}`);
    expect(await rows(rollup)).toEqual(await rows(recount));
    // A write that rolls back leaves no trace.
    const before = await rows(rollup);
    await expect(
      t.database.db.transaction(async (tx) => {
        await tx.execute(sql`update problems set registered_at = now() - interval '40 days'`);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await rows(rollup)).toEqual(before);
  });
});

describe('the cohort cache (breakdowns, ranking, standing, points)', () => {
  const cache = () => cohortCache(t.database);
  afterAll(() => {
    cache().clock = Date.now;
    cache().clear();
  });

  it('serves exact figures as of a stated moment, at most a minute old, then recounts', async () => {
    cache().clear();
    const r1 = await get<TDashboardRanking>(office, '/api/dashboards/ranking?minSample=1');
    expect(r1.asOf).toBe(r1.to);
    // Exact as of asOf: the same as counting the cohort [from, to) directly.
    const direct = await unitCohorts(t.database.db, new Date(r1.from), new Date(r1.to));
    expect(r1.rows.map((x) => [x.unitId, x.due, x.closed, x.closedOnTime]).sort()).toEqual(
      direct.map((c) => [c.unit_id, c.due, c.closed, c.closed_on_time]).sort(),
    );
    const byUnit1 = await get<TDashboardBreakdown>(
      office,
      `/api/dashboards/breakdown?regionId=${ids.a}&by=unit`,
    );
    const u1Before = r1.rows.find((x) => x.unitId === ids.u1)!;
    const pts1 = await get<TDashboardPoints>(office, `/api/dashboards/points?regionId=${ids.a}`);
    expect(pts1.items).toHaveLength(1);

    // P2 (U1, dispatched, overdue) is closed by a raw write: within the minute the cached figures
    // are served as they were, with their time.
    await t.database.db.execute(
      sql`update problems set state = 'closed', closed_at = now(), handling_hours = 2
          where id = ${p[1]!.id}`,
    );
    // And a second point is set up in a1.
    await t.database.db.execute(sql`insert into points (name, type_id, region_id, lat, lng, unit_id)
      select '看板点位二', id, ${ids.a1}, 30.26, 120.16, ${ids.u1} from point_types where code = 'ZZ'`);
    const r2 = await get<TDashboardRanking>(office, '/api/dashboards/ranking?minSample=1');
    expect(r2).toEqual(r1);
    expect(await get<TDashboardPoints>(office, `/api/dashboards/points?regionId=${ids.a}`)).toEqual(
      pts1,
    );
    expect(
      await get<TDashboardBreakdown>(office, `/api/dashboards/breakdown?regionId=${ids.a}&by=unit`),
    ).toEqual(byUnit1);
    // The standing of a unit shares the ranking of the default sample (one count for all units).
    const ranking5 = await get<TDashboardRanking>(office, '/api/dashboards/ranking');
    const standing = await get<TUnitStanding>(u1Agent, '/api/dashboards/unit');
    expect(standing.asOf).toBe(ranking5.asOf);

    // A minute later the figures are recounted: U1 closed one more, and one fewer is open.
    cache().clock = () => Date.now() + 61_000;
    const r3 = await get<TDashboardRanking>(office, '/api/dashboards/ranking?minSample=1');
    expect(new Date(r3.asOf).getTime()).toBeGreaterThan(new Date(r1.asOf).getTime() + 60_000);
    const u1After = r3.rows.find((x) => x.unitId === ids.u1)!;
    expect(u1After.closed).toBe(u1Before.closed + 1);
    expect(u1After.due).toBe(u1Before.due);
    const byUnit3 = await get<TDashboardBreakdown>(
      office,
      `/api/dashboards/breakdown?regionId=${ids.a}&by=unit`,
    );
    const open = (b: TDashboardBreakdown) => b.rows.find((x) => x.key === ids.u1)!.open;
    expect(open(byUnit3)).toBe(open(byUnit1) - 1);
    expect(byUnit3.asOf).not.toBe(byUnit1.asOf);
    const pts3 = await get<TDashboardPoints>(office, `/api/dashboards/points?regionId=${ids.a}`);
    expect(pts3.items.map((x) => x.name).sort()).toEqual(['看板点位', '看板点位二']);
  });
});
