import { expect } from 'vitest';
import { ROLES, type TRole } from '../../../core/permissions.js';
import { buildRegion, buildUnit, buildUser } from '../factories.js';
import { TEST_PASSWORD, type Agent, type TestApp } from '../harness.js';
import type { WorldRefs } from './access-table.js';

/**
 * The small world the authorization matrix runs in: two districts (R1, R2) under a city, a unit in
 * each (A in R1, B in R2), a grid in each (X in R1, Y in R2), one user per role — the unit user in
 * unit A, the field staff (inspector, grid worker, surveyor) in R1 and the grid worker named in
 * grid X — and the records of the OTHER side (a problem in R2 of unit B, grid Y) that scoped users
 * must not reach.
 */
/** Offices and leaders held at district R1 (区创建办, 区领导): callers of their own in the matrix. */
export const PLACED_CALLERS = ['office@R1', 'leader@R1'] as const;
export type PlacedCaller = (typeof PLACED_CALLERS)[number];

export interface AccessWorld extends WorldRefs {
  agents: Record<TRole | PlacedCaller, Agent>;
  users: Record<TRole, { id: number; unitId: number | null; regionId: number | null }>;
  regions: { city: number; r1: number; r2: number };
  units: { a: number; b: number };
  grids: { x: number; y: number };
  /** A problem in R2, dispatched to unit B, reported by the office. */
  otherProblem: number;
  /** A unit user of unit B. */
  otherUser: number;
  /** A 任务分解 assignment of unit B (lead and responsible). */
  otherAssignment: number;
  /** A 硬性指标 unit B reports. */
  otherIndicator: number;
}

/** A 0.01° square polygon from its south-west corner (a grid's area in the test worlds). */
export const square = (lng: number, lat: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [lng, lat],
      [lng + 0.01, lat],
      [lng + 0.01, lat + 0.01],
      [lng, lat + 0.01],
      [lng, lat],
    ],
  ],
});

export async function buildAccessWorld(t: TestApp): Promise<AccessWorld> {
  const db = t.database.db;
  const city = await buildRegion(db, { level: 'city' });
  const r1 = await buildRegion(db, { level: 'district', parent: city });
  const r2 = await buildRegion(db, { level: 'district', parent: city });
  const a = await buildUnit(db, { regionId: r1.id });
  const b = await buildUnit(db, { regionId: r2.id });
  const place: Record<TRole, { unitId?: number; regionId?: number }> = {
    admin: {},
    office: {},
    leader: {},
    unit: { unitId: a.id },
    inspector: { regionId: r1.id },
    grid_worker: { regionId: r1.id },
    surveyor: { regionId: r1.id },
    volunteer: {},
    shop: {},
  };
  const users = {} as AccessWorld['users'];
  const usernames = {} as Record<TRole | PlacedCaller, string>;
  const agents = {} as Record<TRole | PlacedCaller, Agent>;
  for (const role of ROLES) {
    const u = await buildUser(db, { roles: [role], ...place[role] });
    users[role] = { id: u.id, unitId: u.unitId, regionId: u.regionId };
    usernames[role] = u.username;
    agents[role] = await t.login(u.username);
  }
  for (const caller of PLACED_CALLERS) {
    const role = caller === 'office@R1' ? 'office' : 'leader';
    const u = await buildUser(db, { roles: [role], regionId: r1.id });
    usernames[caller] = u.username;
    agents[caller] = await t.login(u.username);
  }
  const otherUser = await buildUser(db, { roles: ['unit'], unitId: b.id });
  const office = agents.office;
  const grid = async (region: { id: number; code: string }, lng: number) => {
    const regionId = region.id;
    const code = region.code.padEnd(15, '0').slice(0, 14) + '1';
    const res = await office.post('/api/grids', {
      code,
      name: `网格${code}`,
      regionId,
      geometry: square(lng, 30),
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ grid: { id: number; version: number } }>().grid;
  };
  const x = await grid(r1, 120);
  const y = await grid(r2, 121);
  const members = await t.app.inject({
    method: 'PUT',
    url: `/api/grids/${x.id}/members`,
    headers: { cookie: office.cookie, 'x-csrf-token': office.csrf },
    payload: { version: x.version, members: [{ userId: users.grid_worker.id, role: 'worker' }] },
  });
  expect(members.statusCode, members.body).toBe(200);

  const cats = (await office.get('/api/problem-categories')).json<{
    items: { id: number; parentId: number | null }[];
  }>().items;
  const leaf = cats.find((c) => c.parentId !== null) ?? cats[0]!;
  const created = await office.post('/api/problems', {
    title: '另一区的问题',
    categoryId: leaf.id,
    regionId: r2.id,
    lat: 30.005,
    lng: 121.005,
    register: true,
  });
  expect(created.statusCode, created.body).toBe(201);
  const p = created.json<{ problem: { id: number; version: number } }>().problem;
  const dispatched = await office.post(`/api/problems/${p.id}/actions`, {
    action: 'dispatch',
    version: p.version,
    unitId: b.id,
  });
  expect(dispatched.statusCode, dispatched.body).toBe(200);
  // The volunteer's own registry entry (the volunteer-only routes need one).
  const volunteer = await office.post('/api/volunteers', {
    name: '矩阵志愿者本人',
    phone: '13900000888',
    userId: users.volunteer.id,
  });
  expect(volunteer.statusCode, volunteer.body).toBe(201);
  // 文明积分: the shop user serves a shop (the redeem routes need one).
  const shop = await office.post('/api/credits/shops', {
    name: '矩阵爱心超市',
    kind: 'supermarket',
  });
  expect(shop.statusCode, shop.body).toBe(201);
  const staffed = await office.post(`/api/credits/shops/${shop.json<{ id: number }>().id}/staff`, {
    userId: users.shop.id,
  });
  expect(staffed.statusCode, staffed.body).toBe(200);
  const { assignment, indicator } = await unitBWork(office, b.id);
  return {
    agents,
    users,
    usernames,
    password: TEST_PASSWORD,
    gridCode: `${r1.code.padEnd(15, '0').slice(0, 14)}9`,
    otherUser: otherUser.id,
    otherAssignment: assignment,
    otherIndicator: indicator,
    regions: { city: city.id, r1: r1.id, r2: r2.id },
    units: { a: a.id, b: b.id },
    grids: { x: x.id, y: y.id },
    otherProblem: p.id,
  };
}

/** A framework with one standard, assigned to unit B, and an indicator unit B reports. */
async function unitBWork(office: Agent, unitB: number) {
  const ok = <T>(res: { statusCode: number; body: string; json<X>(): X }, status: number): T => {
    expect(res.statusCode, res.body).toBe(status);
    return res.json<T>();
  };
  const campaign = ok<{ id: number }>(
    await office.post('/api/campaigns', { name: '矩阵周期一', ...CAMPAIGN_WEIGHTS }),
    201,
  );
  const fw = ok<{ id: number; draftVersionId: number }>(
    await office.post('/api/frameworks', {
      campaignId: campaign.id,
      name: '矩阵测评体系',
      level: 'prefecture',
    }),
    201,
  );
  const v = fw.draftVersionId;
  const node = async (body: Record<string, unknown>) =>
    ok<{ id: number }>(await office.post(`/api/framework-versions/${v}/nodes`, body), 200);
  const item = await node({ kind: 'item', parentId: null, text: '矩阵项目' });
  const content = await node({ kind: 'content', parentId: item.id, text: '矩阵内容' });
  await node({
    kind: 'standard',
    parentId: content.id,
    text: '矩阵标准',
    method: 'material',
    maxScore: 1,
  });
  const tree = ok<{ items: { children: { children: { id: number; key: string }[] }[] }[] }>(
    await office.get(`/api/framework-versions/${v}/tree`),
    200,
  );
  const standard = tree.items[0]!.children[0]!.children[0]!;
  const assignment = ok<{ id: number }>(
    await office.post(`/api/framework-versions/${v}/assignments`, {
      standardId: standard.id,
      leadUnitId: unitB,
      responsibleUnitIds: [unitB],
    }),
    201,
  );
  const indicator = ok<{ id: number }>(
    await office.post('/api/indicators', {
      frameworkId: fw.id,
      standardKey: standard.key,
      name: '矩阵指标',
      measure: '%',
      target: 90,
      direction: 'gte',
      period: 'month',
      startPeriod: '2026-01',
      responsibleUnitId: unitB,
    }),
    201,
  );
  return { assignment: assignment.id, indicator: indicator.id };
}

const CAMPAIGN_WEIGHTS = {
  cycleStartYear: 2026,
  cycleYears: 1,
  cycleWeights: [100],
  methodWeights: { material: 40, field: 40, survey: 20 },
  surveyFloor: { enabled: false, minRate: 80, effect: 'veto', points: 0 },
};
