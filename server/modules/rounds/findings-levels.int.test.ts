import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWorkingDays } from '../../../core/calendar/working-days.js';
import { execRows } from '../../db/client.js';
import { loadCalendar } from '../problems/problems.repo.js';
import { seedPointTypes } from '../../db/seed/demo-points.js';
import { buildRegion, buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';

// Issue #20: where the problems a round finds go, by the level that runs the round. A city round
// that hands its findings down (交办属地) leaves each to the office of the district holding the
// point; a district's own round dispatches to its own units and leaves a 包保单位 above its level
// (a city department) to the office above.

let t: TestApp;
let city: Agent;
let district: Agent;
let inspector: Agent;
let inspectorId = 0;
let districtId = 0;
let streetOffice = 0;
let marketStreet = 0; // 包保单位: the street office (inside the district)
let marketCity = 0; // 包保单位: a city department

// P03 农贸市场 has 7 items; the second fails.
const failing = () =>
  [...'pfppppp'].map((c, index) => ({ index, result: c === 'p' ? 'pass' : 'fail' }));

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const c = await buildRegion(db, { name: '示范市', level: 'city' });
  const d = await buildRegion(db, { name: '东湖区', level: 'district', parent: c });
  const s = await buildRegion(db, { name: '湖滨街道', level: 'street', parent: d });
  const community = await buildRegion(db, { name: '湖滨社区', level: 'community', parent: s });
  districtId = d.id;
  const cg = await buildUnit(db, { name: '市城管局', regionId: c.id });
  streetOffice = (await buildUnit(db, { name: '湖滨街道办事处', regionId: s.id })).id;
  await buildUser(db, { username: 'city', roles: ['office'] });
  await buildUser(db, { username: 'district', roles: ['office'], regionId: d.id });
  inspectorId = (await buildUser(db, { username: 'insp', roles: ['inspector'] })).id;
  city = await t.login('city');
  district = await t.login('district');
  inspector = await t.login('insp');
  await seedPointTypes(t.database);
  const mk = async (name: string, unitId: number) =>
    (
      await execRows<{ id: number }>(
        db,
        sql`insert into points (name, type_id, region_id, unit_id, lat, lng)
            select ${name}, id, ${community.id}, ${unitId}, 30.27, 120.15
            from point_types where code = 'P03' returning id`,
      )
    )[0]!.id;
  marketStreet = await mk('湖滨农贸市场', streetOffice);
  marketCity = await mk('东坡农贸市场', cg.id);
});
afterAll(() => t.close());

async function drawnRound(agent: Agent, body: Record<string, unknown>): Promise<number> {
  const created = await agent.post('/api/rounds', {
    kind: 'supervision',
    plan: [{ type: 'P03', mode: 'all' }],
    ...body,
  });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json<{ id: number }>().id;
  expect((await agent.post(`/api/rounds/${id}/commit`, {})).statusCode).toBe(200);
  expect((await agent.post(`/api/rounds/${id}/draw`, {})).statusCode).toBe(200);
  return id;
}

async function visit(agent: Agent, roundId: number, pointId: number) {
  const res = await agent.post('/api/visits', {
    clientId: randomUUID(),
    roundId,
    pointId,
    items: failing(),
    lat: 30.27,
    lng: 120.15,
    visitedAt: new Date().toISOString(),
  });
  expect(res.statusCode, res.body).toBe(201);
  const problemId = res.json<{ problemId: number | null }>().problemId!;
  return (await city.get(`/api/problems/${problemId}`)).json<{
    problem: {
      state: string;
      unitId: number | null;
      handedTo: { regionId: number; at: string; dueAt: string | null } | null;
      title: string;
    };
  }>().problem;
}

describe('findings by level', () => {
  it("a city round that hands down leaves each finding to the district's office", async () => {
    const round = await drawnRound(city, {
      name: '市级暗访（交办属地）',
      kind: 'secret',
      handDown: true,
      inspectorIds: [inspectorId],
    });
    const p = await visit(inspector, round, marketStreet);
    expect(p).toMatchObject({
      state: 'registered',
      unitId: null,
      handedTo: { regionId: districtId },
    });
    // With the default 交办时限: one working day to dispatch.
    expect(p.handedTo!.dueAt).toBe(
      addWorkingDays(new Date(p.handedTo!.at), 1, await loadCalendar(t.database.db)).toISOString(),
    );
    const inbox = (await district.get('/api/notifications')).json<{ items: { title: string }[] }>();
    expect(inbox.items.some((n) => n.title === `上级交办问题：${p.title}`)).toBe(true);
  });

  it('a city round without it dispatches straight to the 包保单位, as before', async () => {
    const round = await drawnRound(city, { name: '市级督查', inspectorIds: [inspectorId] });
    const p = await visit(inspector, round, marketStreet);
    expect(p).toMatchObject({ state: 'dispatched', unitId: streetOffice, handedTo: null });
  });

  it("a district's own round dispatches to its own units and leaves a city department's to the city", async () => {
    const round = await drawnRound(district, { name: '东湖区督查' });
    const own = await visit(district, round, marketStreet);
    expect(own).toMatchObject({ state: 'dispatched', unitId: streetOffice });
    const above = await visit(district, round, marketCity);
    expect(above).toMatchObject({ state: 'registered', unitId: null });
    // A district cannot ask for 交办属地 (its findings are its own to dispatch).
    const asked = await district.post('/api/rounds', {
      name: '东湖区督查二',
      kind: 'supervision',
      plan: [{ type: 'P03', mode: 'all' }],
      handDown: true,
    });
    expect(asked.statusCode).toBe(201);
    expect(asked.json<{ handDown: boolean }>().handDown).toBe(false);
  });
});
