import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWorkingDays, formatShanghai } from '../../../core/calendar/working-days.js';
import { execRows } from '../../db/client.js';
import { remindOverdueHandDowns } from '../../modules/problems/hand-down.js';
import { loadCalendar } from '../../modules/problems/problems.repo.js';
import { seedPointTypes } from '../../db/seed/demo-points.js';
import { findRegion } from '../../modules/org/regions.repo.js';
import { buildRegion, buildUnit, buildUser } from '../factories.js';
import { createTestApp, type Agent, type TestApp } from '../harness.js';
import { FAVOURABLE, UNFAVOURABLE, surveyResponse, surveyRound } from '../surveys-kit.js';
import { square } from './access-world.js';
import { buildDossierWorld, DOSSIER_R2_MARKERS, type DossierWorld } from './dossier-world.js';
import { injectOptionsOf, routesOf, sampleRequest, type OpenApiDoc } from './sample-request.js';
import {
  buildSimulationWorld,
  SIMULATION_R2_MARKERS,
  type SimulationWorld,
} from './simulation-world.js';

// Issue #20: an office held at a district (区创建办) sees and acts on its subtree only. The matrix
// (access-matrix.int.test.ts) proves the status codes route by route; this file proves what the
// answers hold — no list, export or dashboard carries another district's records — and that the
// district office's writes stay inside its jurisdiction.

let t: TestApp;
let city: Agent;
let district: Agent;
let districtLeader: Agent;
let unitA: Agent;
let doc: OpenApiDoc;
const ids = {} as {
  r1: number;
  r2: number;
  s1: number;
  unitA: number;
  unitB: number;
  cityUnit: number;
  p1: number;
  p2: number;
  districtUser: number;
  cityUser: number;
};
/** Names only records of district R2 carry: none may appear in the district office's answers. */
const R2_MARKERS = [
  '乙区标记问题',
  '乙区标记单位',
  '乙区标记用户',
  '乙区标记网格',
  '乙区标记点位',
  '乙区标记商户',
  '乙区标记楼栋',
  '乙区标记文明家庭',
  '乙区标记巡查员',
  '乙区标记志愿者',
  '乙区标记服务队',
  '乙区标记实践站',
  '乙区标记志愿活动',
  ...DOSSIER_R2_MARKERS,
  '乙区标记调查员',
  '乙区标记住户',
  '乙区标记星级户',
  ...SIMULATION_R2_MARKERS,
];
/** 任务分解 and 档案资料 of a unit of each district (the R1 side is the district's to read). */
let dossiers: DossierWorld;
/** 实景模拟验证: a target of a unit of each district, with a call to each. */
let simulations: SimulationWorld;

async function ok<T>(res: Promise<{ statusCode: number; body: string; json<X>(): X }>, s = 200) {
  const r = await res;
  expect(r.statusCode, r.body).toBe(s);
  return r.json<T>();
}

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const c = await buildRegion(db, { name: '示范市', level: 'city' });
  const r1 = await buildRegion(db, { name: '甲区', level: 'district', parent: c });
  const r2 = await buildRegion(db, { name: '乙区', level: 'district', parent: c });
  const s1 = await buildRegion(db, { name: '甲区一街道', level: 'street', parent: r1 });
  const s2 = await buildRegion(db, { name: '乙区一街道', level: 'street', parent: r2 });
  const c2 = await buildRegion(db, { name: '乙区一社区', level: 'community', parent: s2 });
  const a = await buildUnit(db, { name: '甲区城管局', regionId: r1.id });
  const b = await buildUnit(db, { name: '乙区标记单位', regionId: r2.id });
  const cityUnit = await buildUnit(db, { name: '市城管局', regionId: c.id });
  const cityUser = await buildUser(db, { username: 'city', roles: ['office'] });
  const districtUser = await buildUser(db, {
    username: 'district',
    roles: ['office'],
    regionId: r1.id,
  });
  await buildUser(db, { username: 'dleader', roles: ['leader'], regionId: r1.id });
  await buildUser(db, { username: 'unita', roles: ['unit'], unitId: a.id });
  await buildUser(db, { name: '乙区标记用户', roles: ['unit'], unitId: b.id, regionId: r2.id });
  city = await t.login('city');
  district = await t.login('district');
  districtLeader = await t.login('dleader');
  unitA = await t.login('unita');
  await seedPointTypes(t.database);
  for (const [name, region] of [
    ['甲区点位', s1.id],
    ['乙区标记点位', r2.id],
  ] as const) {
    await db.execute(
      sql`insert into points (name, type_id, region_id)
          select ${name}, id, ${region} from point_types where code = 'P02'`,
    );
  }
  await ok(
    city.post('/api/grids', {
      code: `${s1.code.padEnd(15, '0').slice(0, 14)}1`,
      name: '甲区网格',
      regionId: s1.id,
      geometry: square(120, 30),
    }),
    201,
  );
  const r2Grid = (
    await ok<{ grid: { id: number; version: number } }>(
      city.post('/api/grids', {
        code: `${r2.code.padEnd(15, '0').slice(0, 14)}1`,
        name: '乙区标记网格',
        regionId: r2.id,
        geometry: square(121, 30),
      }),
      201,
    )
  ).grid;
  // A patrol walked in R2's grid by R2's grid worker: the patrol log must not show it to R1.
  const r2Walker = await buildUser(db, {
    username: 'walker2',
    name: '乙区标记巡查员',
    roles: ['grid_worker'],
    regionId: r2.id,
  });
  await ok(
    city.put(`/api/grids/${r2Grid.id}/members`, {
      version: r2Grid.version,
      members: [{ userId: r2Walker.id, role: 'leader' }],
    }),
  );
  await ok(
    (await t.login('walker2')).post('/api/patrols', { clientId: randomUUID(), gridId: r2Grid.id }),
    201,
  );
  const cats = (
    await ok<{ items: { id: number; parentId: number | null }[] }>(
      city.get('/api/problem-categories'),
    )
  ).items;
  const leaf = cats.find((x) => x.parentId !== null)!.id;
  const problem = async (title: string, regionId: number, lng: number) =>
    (
      await ok<{ problem: { id: number } }>(
        city.post('/api/problems', {
          title,
          categoryId: leaf,
          regionId,
          lat: 30.005,
          lng: lng + 0.005,
          register: true,
        }),
        201,
      )
    ).problem.id;
  Object.assign(ids, {
    r1: r1.id,
    r2: r2.id,
    s1: s1.id,
    unitA: a.id,
    unitB: b.id,
    cityUnit: cityUnit.id,
    p1: await problem('甲区问题', s1.id, 120),
    p2: await problem('乙区标记问题', r2.id, 121),
    districtUser: districtUser.id,
    cityUser: cityUser.id,
  });
  // 门前三包 and 包联 records of district R2 (not there for R1's office).
  await ok(
    city.post('/api/frontage-duties', {
      code: 'MQ-R2-0001',
      holderName: '乙区标记商户',
      holderType: 'shop',
      unitId: b.id,
      regionId: r2.id,
      zone: '121.005,30.005;121.006,30.005',
    }),
    201,
  );
  // A 文明细胞 title holder of district R2.
  await ok(
    city.post('/api/honours', {
      cellType: 'family',
      holderName: '乙区标记文明家庭',
      level: 'county',
      yearConferred: 2025,
      regionId: c2.id,
    }),
    201,
  );
  // 十星级文明户: a household of R2's grid (its lists and coverage are R2's).
  await ok(
    city.post('/api/star-households', {
      gridId: r2Grid.id,
      headName: '乙区标记星级户',
      address: '乙区 1 号',
    }),
    201,
  );
  await ok(
    city.post('/api/outreach/pairings', {
      unitId: b.id,
      regionId: c2.id,
      building: '乙区标记楼栋',
      targetHouseholds: 4,
    }),
    201,
  );
  // 志愿服务 of district R2: a team, a volunteer in it with hours, a station and its activity.
  await volunteerRecordsOf(r2.id, '乙区标记');
  dossiers = await buildDossierWorld(t, city, { a: a.id, b: b.id });
  simulations = await buildSimulationWorld(city, dossiers.campaignId, { a: a.id, b: b.id });
  doc = (await t.app.inject({ method: 'GET', url: '/api/docs/json' })).json<OpenApiDoc>();
});

/** A team, a volunteer of it, a 实践站 and an activity there attended (named `prefix`…). */
async function volunteerRecordsOf(regionId: number, prefix: string) {
  const team = await ok<{ id: number }>(
    city.post('/api/volunteer-teams', { name: `${prefix}服务队`, regionId }),
    201,
  );
  const v = await ok<{ id: number }>(
    city.post('/api/volunteers', {
      name: `${prefix}志愿者`,
      phone: `139${String(regionId).padStart(8, '0')}`,
      teamId: team.id,
      regionId,
    }),
    201,
  );
  const place = await ok<{ id: number }>(
    city.post('/api/practice-places', { kind: 'station', name: `${prefix}实践站`, regionId }),
    201,
  );
  const now = Date.now();
  const activity = await ok<{ id: number }>(
    city.post('/api/volunteer-activities', {
      title: `${prefix}志愿活动`,
      placeId: place.id,
      startsAt: new Date(now - 3 * 3600_000).toISOString(),
      endsAt: new Date(now - 3600_000).toISOString(),
      capacity: 10,
    }),
    201,
  );
  await ok(
    city.post(`/api/volunteer-activities/${activity.id}/attendance`, {
      clientId: randomUUID(),
      volunteerId: v.id,
      checkInAt: new Date(now - 3 * 3600_000).toISOString(),
      checkOutAt: new Date(now - 3600_000).toISOString(),
      reason: '纸质签到表补录',
    }),
  );
}
afterAll(() => t.close());

describe('an office held at a district (区创建办)', () => {
  it('is told its level and holds only what can be confined to its district', async () => {
    const me = await ok<{
      user: { regionLevel: string; regionName: string; permissions: string[] };
    }>(district.get('/api/auth/me'));
    expect(me.user).toMatchObject({ regionLevel: 'district', regionName: '甲区' });
    expect(me.user.permissions).toContain('problem.manage');
    expect(me.user.permissions).toContain('inspection.manage');
    expect(me.user.permissions).toContain('volunteer.write');
    for (const p of ['framework.write', 'calendar.write', 'exposure.manage', 'score.read']) {
      expect(me.user.permissions).not.toContain(p);
    }
    // City-level settings are the city's: refused before anything is read.
    const catalogue = await district.patch('/api/point-types/1', { version: 1, name: '改名' });
    expect(catalogue.statusCode, catalogue.body).toBe(403);
    expect(catalogue.json().error.code).toBe('city_level');
    expect((await district.post('/api/open311/clients/1/revoke', {})).statusCode).toBe(403);
  });

  it("reads its own district's records", async () => {
    const problems = await ok<{ items: { id: number }[] }>(district.get('/api/problems'));
    expect(problems.items.map((p) => p.id)).toEqual([ids.p1]);
    expect((await district.get(`/api/problems/${ids.p2}`)).statusCode).toBe(404);
    const units = await ok<{ items: { id: number }[] }>(district.get('/api/units'));
    expect(units.items.map((u) => u.id)).toContain(ids.unitA);
    expect(units.items.map((u) => u.id)).not.toContain(ids.unitB);
    const users = await ok<{ items: { id: number }[] }>(district.get('/api/users'));
    expect(users.items.map((u) => u.id)).toContain(ids.districtUser);
    expect(users.items.map((u) => u.id)).not.toContain(ids.cityUser);
  });

  it('registers problems inside its district only; one with no place is its own', async () => {
    const cats = (
      await ok<{ items: { id: number; parentId: number | null }[] }>(
        district.get('/api/problem-categories'),
      )
    ).items;
    const categoryId = cats.find((x) => x.parentId !== null)!.id;
    const outside = await district.post('/api/problems', {
      title: '越界登记',
      categoryId,
      regionId: ids.r2,
    });
    expect(outside.statusCode, outside.body).toBe(403);
    expect(outside.json().error.code).toBe('outside_jurisdiction');
    expect(outside.json().error.messageZh).toContain('辖区');
    const placeless = await ok<{ problem: { regionId: number | null } }>(
      district.post('/api/problems', { title: '无位置登记', categoryId }),
      201,
    );
    expect(placeless.problem.regionId).toBe(ids.r1);
    const inStreet = await ok<{ problem: { regionId: number | null } }>(
      district.post('/api/problems', { title: '街道内登记', categoryId, regionId: ids.s1 }),
      201,
    );
    expect(inStreet.problem.regionId).toBe(ids.s1);
    const [count] = await execRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from problems where title = '越界登记'`,
    );
    expect(count!.n).toBe(0);
  });

  it('dispatches to its own units only, and hears back from them', async () => {
    const p = await ok<{ problem: { version: number } }>(district.get(`/api/problems/${ids.p1}`));
    for (const unitId of [ids.unitB, ids.cityUnit]) {
      const refused = await district.post(`/api/problems/${ids.p1}/actions`, {
        action: 'dispatch',
        version: p.problem.version,
        unitId,
      });
      expect(refused.statusCode, refused.body).toBe(403);
      expect(refused.json().error.code).toBe('outside_jurisdiction');
    }
    const dispatched = await ok<{ problem: { version: number; unitId: number } }>(
      district.post(`/api/problems/${ids.p1}/actions`, {
        action: 'dispatch',
        version: p.problem.version,
        unitId: ids.unitA,
      }),
    );
    expect(dispatched.problem.unitId).toBe(ids.unitA);
    // Another district's problem does not exist for it.
    const other = await district.post(`/api/problems/${ids.p2}/actions`, {
      action: 'dispatch',
      version: 1,
      unitId: ids.unitA,
    });
    expect(other.statusCode).toBe(404);
    // The unit's submission reaches the offices whose jurisdiction holds the problem.
    const submitted = await ok<{ problem: { version: number } }>(
      unitA.post(`/api/problems/${ids.p1}/actions`, {
        action: 'submit',
        version: dispatched.problem.version,
        note: '已整改',
      }),
    );
    const titles = async (a: Agent) =>
      (await ok<{ items: { title: string }[] }>(a.get('/api/notifications'))).items.map(
        (n) => n.title,
      );
    expect((await titles(district)).some((x) => x.includes('甲区问题'))).toBe(true);
    expect((await titles(city)).some((x) => x.includes('甲区问题'))).toBe(true);
    // …and the district office checks it on site and closes it (回头看, 销号).
    const queue = await ok<{ items: { problem: { id: number } }[] }>(
      district.get('/api/problems/verification-queue'),
    );
    expect(queue.items.map((i) => i.problem.id)).toContain(ids.p1);
    const closed = await ok<{ problem: { state: string } }>(
      district.post(`/api/problems/${ids.p1}/actions`, {
        action: 'approve',
        version: submitted.problem.version,
        note: '现场复核合格',
      }),
    );
    expect(closed.problem.state).toBe('closed');
  });

  it("is not told about another district's problems", async () => {
    const p2 = await ok<{ problem: { version: number } }>(city.get(`/api/problems/${ids.p2}`));
    const b = await buildUser(t.database.db, { roles: ['unit'], unitId: ids.unitB });
    const unitB = await t.login(b.username);
    const d = await ok<{ problem: { version: number } }>(
      city.post(`/api/problems/${ids.p2}/actions`, {
        action: 'dispatch',
        version: p2.problem.version,
        unitId: ids.unitB,
      }),
    );
    await ok(
      unitB.post(`/api/problems/${ids.p2}/actions`, {
        action: 'submit',
        version: d.problem.version,
        note: '已整改',
      }),
    );
    const inbox = await ok<{ items: { title: string }[] }>(district.get('/api/notifications'));
    expect(inbox.items.some((n) => n.title.includes('乙区'))).toBe(false);
    const cityInbox = await ok<{ items: { title: string }[] }>(city.get('/api/notifications'));
    expect(cityInbox.items.some((n) => n.title.includes('乙区标记问题'))).toBe(true);
  });

  it('writes the 门前三包 and 包联 of its own district only', async () => {
    const mine = await ok<{ id: number; version: number }>(
      district.post('/api/frontage-duties', {
        code: 'MQ-R1-0001',
        holderName: '甲区商户',
        holderType: 'shop',
        unitId: ids.unitA,
        regionId: ids.s1,
        zone: '120.005,30.005;120.006,30.005',
      }),
      201,
    );
    await ok(district.patch(`/api/frontage-duties/${mine.id}`, { active: false, version: 1 }));
    const r2 = (
      await ok<{ items: { id: number }[] }>(city.get('/api/frontage-duties?q=MQ-R2-0001'))
    ).items[0]!;
    const other = await district.patch(`/api/frontage-duties/${r2.id}`, { version: 1 });
    expect(other.statusCode, other.body).toBe(404);
    const outside = await district.post('/api/outreach/pairings', {
      unitId: ids.unitB,
      regionId: ids.s1,
      targetHouseholds: 2,
    });
    expect(outside.statusCode, outside.body).toBe(403);
    expect(outside.json().error.code).toBe('outside_jurisdiction');
  });
});

describe('交办 down the levels', () => {
  it('the city hands a registered problem in the district to its office, which dispatches it', async () => {
    const cats = (
      await ok<{ items: { id: number; parentId: number | null }[] }>(
        city.get('/api/problem-categories'),
      )
    ).items;
    const categoryId = cats.find((x) => x.parentId !== null)!.id;
    const p3 = (
      await ok<{ problem: { id: number; version: number } }>(
        city.post('/api/problems', {
          title: '市级暗访发现的问题',
          categoryId,
          regionId: ids.s1,
          register: true,
        }),
        201,
      )
    ).problem;
    // Not to a level that does not hold it, nor to the city's own level.
    const wrong = await city.post(`/api/problems/${p3.id}/hand-down`, {
      version: p3.version,
      regionId: ids.r2,
    });
    expect(wrong.statusCode, wrong.body).toBe(400);
    expect(wrong.json().error.messageZh).toContain('乙区');
    const handed = await ok<{ problem: { version: number; handedTo: { name: string } | null } }>(
      city.post(`/api/problems/${p3.id}/hand-down`, {
        version: p3.version,
        regionId: ids.r1,
        note: '请区创建办三日内派遣',
      }),
    );
    expect(handed.problem.handedTo?.name).toBe('甲区');
    const inbox = await ok<{ items: { title: string }[] }>(district.get('/api/notifications'));
    expect(inbox.items.some((n) => n.title === '上级交办问题：市级暗访发现的问题')).toBe(true);
    // The district office cannot hand it back up or sideways, nor touch another district's.
    const up = await district.post(`/api/problems/${p3.id}/hand-down`, {
      version: handed.problem.version,
      regionId: ids.r1,
    });
    expect(up.statusCode).toBe(400);
    const sideways = await district.post(`/api/problems/${ids.p2}/hand-down`, {
      version: 1,
      regionId: ids.r1,
    });
    expect(sideways.statusCode).toBe(404);
    // It dispatches to its own unit; the city still sees the problem, handed and dispatched.
    const dispatched = await ok<{ problem: { state: string; unitId: number } }>(
      district.post(`/api/problems/${p3.id}/actions`, {
        action: 'dispatch',
        version: handed.problem.version,
        unitId: ids.unitA,
      }),
    );
    expect(dispatched.problem).toMatchObject({ state: 'dispatched', unitId: ids.unitA });
    const seen = await ok<{
      problem: { handedTo: { regionId: number } | null; unitId: number };
      timeline: { action: string }[];
    }>(city.get(`/api/problems/${p3.id}`));
    expect(seen.problem).toMatchObject({ handedTo: { regionId: ids.r1 }, unitId: ids.unitA });
    expect(seen.timeline.map((e) => e.action)).toEqual(
      expect.arrayContaining(['create', 'hand_down', 'dispatch']),
    );
    // Once dispatched it is no longer the lower office's to receive.
    const late = await city.post(`/api/problems/${p3.id}/hand-down`, {
      version: 99,
      regionId: ids.r1,
    });
    expect(late.statusCode).toBe(409);
  });

  it('gives the office below a 交办时限, and tells it and the offices above once when it passes', async () => {
    const cats = (
      await ok<{ items: { id: number; parentId: number | null }[] }>(
        city.get('/api/problem-categories'),
      )
    ).items;
    const created = (
      await ok<{ problem: { id: number; version: number } }>(
        city.post('/api/problems', {
          title: '交办时限测试问题',
          categoryId: cats.find((x) => x.parentId !== null)!.id,
          regionId: ids.s1,
          register: true,
        }),
        201,
      )
    ).problem;
    const bad = await city.post(`/api/problems/${created.id}/hand-down`, {
      version: created.version,
      regionId: ids.r1,
      dispatchDays: 0,
    });
    expect(bad.statusCode).toBe(400);
    type Handed = { regionId: number; at: string; dueAt: string | null; overdue: boolean };
    const handed = await ok<{ problem: { id: number; version: number; handedTo: Handed } }>(
      city.post(`/api/problems/${created.id}/hand-down`, {
        version: created.version,
        regionId: ids.r1,
        dispatchDays: 2,
      }),
    );
    const { at, dueAt } = handed.problem.handedTo;
    // Two working days on the calendar the office keeps (weekends and holidays skipped).
    const calendar = await loadCalendar(t.database.db);
    expect(dueAt).toBe(addWorkingDays(new Date(at), 2, calendar).toISOString());
    expect(handed.problem.handedTo.overdue).toBe(false);
    const told = await ok<{ items: { title: string; body: string | null }[] }>(
      district.get('/api/notifications'),
    );
    expect(told.items.find((n) => n.title === '上级交办问题：交办时限测试问题')?.body).toBe(
      `请于 ${formatShanghai(new Date(dueAt!))} 前派遣`,
    );

    const listed = async (agent: Agent, which: string) =>
      (
        await ok<{ items: { id: number }[] }>(agent.get(`/api/problems?handDown=${which}`))
      ).items.map((p) => p.id);
    expect(await listed(city, 'waiting')).toContain(created.id);
    expect(await listed(district, 'waiting')).toContain(created.id);
    expect(await listed(city, 'overdue')).not.toContain(created.id);
    expect((await city.get('/api/problems?handDown=late')).statusCode).toBe(400);

    // Before the 时限 nobody is reminded; past it, once.
    expect(
      await remindOverdueHandDowns(t.database, new Date(new Date(dueAt!).getTime() - 60_000)),
    ).toBe(0);
    await t.database.db.execute(
      sql`update problems set hand_due_at = now() - interval '1 hour' where id = ${created.id}`,
    );
    expect(await listed(city, 'overdue')).toContain(created.id);
    expect(await listed(district, 'overdue')).toContain(created.id);
    const late = await ok<{ problem: { version: number; handedTo: Handed } }>(
      district.get(`/api/problems/${created.id}`),
    );
    expect(late.problem.handedTo.overdue).toBe(true);
    // Both levels' dashboards count it (the city watching the deadline).
    const handOverdue = async (agent: Agent) =>
      (await ok<{ handDownOverdue: number }>(agent.get('/api/dashboards/kpis'))).handDownOverdue;
    expect(await handOverdue(city)).toBe(1);
    expect(await handOverdue(district)).toBe(1);
    expect(await remindOverdueHandDowns(t.database)).toBe(1);
    expect(await remindOverdueHandDowns(t.database)).toBe(0);
    const reminded = async (agent: Agent) =>
      (await ok<{ items: { title: string }[] }>(agent.get('/api/notifications'))).items.filter(
        (n) => n.title === '【交办逾期】交办时限测试问题',
      ).length;
    expect(await reminded(city)).toBe(1);
    expect(await reminded(district)).toBe(1);
    expect(await reminded(unitA)).toBe(0);

    // Dispatched, it no longer waits and is no longer overdue.
    await ok(
      district.post(`/api/problems/${created.id}/actions`, {
        action: 'dispatch',
        version: late.problem.version,
        unitId: ids.unitA,
      }),
    );
    expect(await listed(city, 'waiting')).not.toContain(created.id);
    expect(await listed(city, 'overdue')).not.toContain(created.id);
    expect(await handOverdue(city)).toBe(0);
    const after = await ok<{ problem: { handedTo: Handed } }>(
      city.get(`/api/problems/${created.id}`),
    );
    expect(after.problem.handedTo.overdue).toBe(false);
  });
});

describe("a district office's own rounds (督查, 暗访)", () => {
  const plan = [{ type: 'P02', mode: 'all' }];
  let cityRound = 0;
  let own = 0;

  it('runs them on its own points only, with its own people', async () => {
    cityRound = (
      await ok<{ id: number }>(
        city.post('/api/rounds', { name: '市级模拟测评', kind: 'mock', plan }),
        201,
      )
    ).id;
    const outside = await district.post('/api/rounds', {
      name: '越界督查',
      kind: 'supervision',
      plan,
      regionIds: [ids.r2],
    });
    expect(outside.statusCode, outside.body).toBe(403);
    const official = await district.post('/api/rounds', {
      name: '区正式测评',
      kind: 'official',
      plan,
    });
    expect(official.statusCode).toBe(400);
    expect(official.json().error.messageZh).toContain('市创建办');
    const otherPeople = await district.post('/api/rounds', {
      name: '借人督查',
      kind: 'supervision',
      plan,
      inspectorIds: [ids.cityUser],
    });
    expect(otherPeople.statusCode, otherPeople.body).toBe(403);
    const created = await ok<{ id: number; regionIds: number[] }>(
      district.post('/api/rounds', {
        name: '甲区第一轮督查',
        kind: 'supervision',
        plan,
        inspectorIds: [ids.districtUser],
      }),
      201,
    );
    own = created.id;
    expect(created.regionIds).toEqual([ids.r1]);
    const committed = await ok<{ frozenList: { id: number }[] }>(
      district.post(`/api/rounds/${own}/commit`, {}),
    );
    const names = (await ok<{ items: { id: number; name: string }[] }>(district.get('/api/points')))
      .items;
    expect(committed.frozenList.map((p) => names.find((n) => n.id === p.id)?.name)).toEqual([
      '甲区点位',
    ]);
    await ok(district.post(`/api/rounds/${own}/draw`, {}));
    await ok(district.post(`/api/rounds/${own}/reveal`, {}));
    const verified = await ok<{ ok: boolean }>(district.post(`/api/rounds/${own}/verify-draw`, {}));
    expect(verified.ok).toBe(true);
    expect((await district.get(`/api/rounds/${own}/report`)).statusCode).toBe(200);
  });

  it("sees and manages only its level's rounds; the city sees them all", async () => {
    const listed = await ok<{ items: { id: number }[] }>(district.get('/api/rounds'));
    expect(listed.items.map((r) => r.id)).toEqual([own]);
    expect((await district.get(`/api/rounds/${cityRound}`)).statusCode).toBe(404);
    expect((await district.post(`/api/rounds/${cityRound}/commit`, {})).statusCode).toBe(404);
    expect((await district.get(`/api/rounds/${cityRound}/report`)).statusCode).toBe(404);
    const all = await ok<{ items: { id: number; ownerName: string | null }[] }>(
      city.get('/api/rounds'),
    );
    expect(all.items.map((r) => r.id)).toEqual(expect.arrayContaining([own, cityRound]));
    expect(all.items.find((r) => r.id === own)?.ownerName).toBe('甲区');
    expect(all.items.find((r) => r.id === cityRound)?.ownerName).toBeNull();
    // One level's rounds: the city's own, or a district's.
    const roundIds = async (agent: Agent, owner: string) =>
      (
        await ok<{ items: { id: number }[] }>(agent.get(`/api/rounds?ownerRegionId=${owner}`))
      ).items.map((r) => r.id);
    expect(await roundIds(city, 'city')).toContain(cityRound);
    expect(await roundIds(city, 'city')).not.toContain(own);
    expect(await roundIds(city, String(ids.r1))).toEqual([own]);
    // A district office asking for the city's or another district's gets nothing of theirs.
    expect(await roundIds(district, 'city')).toEqual([]);
    expect(await roundIds(district, String(ids.r2))).toEqual([]);
    expect((await city.get('/api/rounds?ownerRegionId=town')).statusCode).toBe(400);
    expect((await city.get(`/api/rounds/${own}/report`)).statusCode).toBe(200);
    // A district leader reads none of the rounds' reports (no inspection or score permission).
    expect((await districtLeader.get(`/api/rounds/${own}/report`)).statusCode).toBe(403);
  });
});

describe('问卷调查 of its district', () => {
  // The city's survey with a quota in each district, a guide of each collecting: what R2's quota
  // and guide carry must not reach the district office or leader (the sweep below asks the
  // lists; the round's board, results, export, trend and checks are asked here by id).
  let surveyId = 0;
  let roundId = 0;
  let r2Response = 0;
  beforeAll(async () => {
    const db = t.database.db;
    const [s1, r2] = await Promise.all([findRegion(db, ids.s1), findRegion(db, ids.r2)]);
    const c1 = await buildRegion(db, { name: '甲区调查社区', level: 'community', parent: s1! });
    const c2 = await buildRegion(db, { name: '乙区调查社区', level: 'community', parent: r2! });
    const g1 = await buildUser(db, { roles: ['surveyor'], regionId: ids.s1 });
    const g2 = await buildUser(db, {
      name: '乙区标记调查员',
      roles: ['surveyor'],
      regionId: ids.r2,
    });
    const round = await surveyRound(city, '区级问卷', [
      { regionId: c1.id, guideIds: [g1.id] },
      { regionId: c2.id, guideIds: [g2.id] },
    ]);
    ({ surveyId, roundId } = round);
    await surveyResponse(await t.login(g1.username), round.quotaOf(c1.id), '甲-1', FAVOURABLE);
    const guide2 = await t.login(g2.username);
    r2Response = await surveyResponse(guide2, round.quotaOf(c2.id), '乙区标记住户-1', UNFAVOURABLE);
  });

  it("reads the round's board, results, export, trend and checks of its own district only", async () => {
    const urls = [
      `/api/survey-rounds/${roundId}/board`,
      `/api/survey-rounds/${roundId}/results?by=region`,
      `/api/survey-rounds/${roundId}/results.xlsx`,
      `/api/survey-rounds/${roundId}/suspicious`,
      `/api/surveys/${surveyId}/trend`,
      `/api/survey-responses?roundId=${roundId}&limit=100`,
    ];
    for (const agent of [district, districtLeader]) {
      for (const url of urls) {
        const res = await agent.get(url);
        expect(res.statusCode, `${url}: ${res.body.slice(0, 200)}`).toBe(200);
        const xlsx = String(res.headers['content-type']).includes('spreadsheet');
        const text = xlsx ? await xlsxText(res.rawPayload) : res.body;
        // Region names are no secret (/api/regions lists them all), but R2's quota is.
        const found = [...R2_MARKERS, '乙区调查社区'].filter((m) => text.includes(m));
        expect(found, url).toEqual([]);
      }
      expect((await agent.get(urls[0]!)).body).toContain('甲区调查社区');
      expect((await agent.get(`/api/survey-responses/${r2Response}`)).statusCode).toBe(404);
    }
    // The city's answers do carry R2's (so the check above can fail).
    expect((await city.get(`/api/survey-rounds/${roundId}/board`)).body).toContain('乙区调查社区');
    expect((await city.get('/api/survey-responses?limit=100')).body).toContain('乙区标记住户');
    expect((await city.get('/api/survey-guides')).body).toContain('乙区标记调查员');
  });
});

// Last, once every other test has left its records (a submitted problem of R2 in the
// verification queue, the city's round, notices…).
describe('what a district office and leader can read', () => {
  it('finds no record of another district in any list, export or dashboard it can read', async () => {
    const leaks: string[] = [];
    let read = 0;
    for (const route of routesOf(doc)) {
      if (route.method !== 'GET' || route.path.includes('{') || !route.path.startsWith('/api/')) {
        continue;
      }
      for (const agent of [district, districtLeader]) {
        const sample = sampleRequest(route, doc, () => undefined);
        const res = await t.app.inject(
          injectOptionsOf(sample, { cookie: agent.cookie, 'x-csrf-token': agent.csrf }) as never,
        );
        expect(res.statusCode, `${route.path}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
        if (res.statusCode !== 200) continue;
        read++;
        const type = String(res.headers['content-type'] ?? '');
        // Spreadsheets are zipped: their shared strings are searched after unzipping below.
        const text = type.includes('spreadsheet') ? await xlsxText(res.rawPayload) : res.body;
        const found = R2_MARKERS.filter((m) => text.includes(m));
        if (found.length) leaks.push(`${route.path} (${found.join(', ')})`);
      }
    }
    expect(leaks, `answers that carry district R2's records:\n${leaks.join('\n')}`).toEqual([]);
    expect(read).toBeGreaterThan(20);
  });

  it("reads its units' 任务分解 and 档案资料, and nothing of another district's", async () => {
    const d = dossiers;
    const q = `frameworkId=${d.frameworkId}&year=${d.year}`;
    const dossier = (key: string) => `/api/evidence/${d.frameworkId}/${d.year}/${key}`;
    for (const agent of [district, districtLeader]) {
      const leaks: string[] = [];
      for (const url of [
        `/api/framework-versions/${d.versionId}/assignments`,
        `/api/framework-versions/${d.versionId}/export.xlsx`,
        `/api/evidence?${q}`,
        `/api/evidence/summary?${q}`,
        dossier(d.r1.standardKey),
        `/api/assignments/${d.r1.assignmentId}/reports`,
      ]) {
        const res = await agent.get(url);
        expect(res.statusCode, `${url}: ${res.body.slice(0, 200)}`).toBe(200);
        const type = String(res.headers['content-type'] ?? '');
        const text = type.includes('spreadsheet') ? await xlsxText(res.rawPayload) : res.body;
        leaks.push(...R2_MARKERS.filter((m) => text.includes(m)).map((m) => `${url} (${m})`));
      }
      expect(leaks).toEqual([]);
      const rows = await ok<{ standardKey: string }[]>(agent.get(`/api/evidence?${q}`));
      expect(rows.map((r) => r.standardKey)).toEqual([d.r1.standardKey]);
      expect((await agent.get(dossier(d.r2.standardKey))).statusCode).toBe(404);
      expect((await agent.get(`/api/assignments/${d.r2.assignmentId}/reports`)).statusCode).toBe(
        404,
      );
      expect((await agent.get(`/api/files/${d.r1.evidenceFileId}`)).statusCode).toBe(200);
      expect((await agent.get(`/api/files/${d.r2.evidenceFileId}`)).statusCode).toBe(404);
    }
  });

  it("reads its units' 实景模拟验证, and nothing of another district's", async () => {
    const s = simulations;
    for (const agent of [district, districtLeader]) {
      const checks = await ok<{ items: { id: number }[] }>(
        agent.get(`/api/simulation-checks?frameworkId=${s.frameworkId}`),
      );
      expect(checks.items.map((c) => c.id)).toEqual([s.r1.checkId]);
      expect((await agent.get(`/api/files/${s.r1.fileId}`)).statusCode).toBe(200);
      expect((await agent.get(`/api/files/${s.r2.fileId}`)).statusCode).toBe(404);
    }
    // The city's answer carries R2's call (so the sweep above can fail).
    expect((await city.get('/api/simulation-checks')).body).toContain('乙区标记拨打人');
  });
});

/** The text of an XLSX answer's shared strings and inline strings (enough to find a name). */
async function xlsxText(bytes: Buffer): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as never);
  const out: string[] = [];
  wb.eachSheet((ws) =>
    ws.eachRow((row) => row.eachCell((cell) => out.push(String(cell.text ?? '')))),
  );
  return out.join('\n');
}
