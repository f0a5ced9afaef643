import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TGridDetail } from '../../../core/contracts/grids.js';
import type { TCategory } from '../../../core/contracts/problems.js';
import { execRows } from '../../db/client.js';
import { buildRegion, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';
import { categoriesByCode, expectError, report } from '../../test/problems-kit.js';

// Grids: codes, polygons, routing of problems at intake and on change, GeoJSON, scope, statistics.

let t: TestApp;
let office: Agent;
let workerA: Agent;
let leader: Agent;
let cat: TCategory;
let community = 0;
let otherCommunity = 0;
let workerAId = 0;
let workerBId = 0;

const sq = (x0: number, y0: number, x1: number, y1: number) => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];
// A: 118.780–118.790 × 32.040–32.050 with a hole in the middle; B: the square east of it.
const A_SHAPE = {
  type: 'Polygon',
  coordinates: [sq(118.78, 32.04, 118.79, 32.05), sq(118.784, 32.044, 118.786, 32.046)],
};
const B_SHAPE = { type: 'Polygon', coordinates: [sq(118.79, 32.04, 118.8, 32.05)] };

let A: TGridDetail;
let B: TGridDetail;

const at = (agent: Agent, lng: number, lat: number, title = '占道经营') =>
  report(agent, { title, categoryId: cat.id, lat, lng });
const gridOf = async (id: number) => {
  const [row] = await execRows<{ grid_id: number | null }>(
    t.database.db,
    sql`select grid_id from problems where id = ${id}`,
  );
  return row!.grid_id === null ? null : Number(row!.grid_id);
};

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const city = await buildRegion(db, { code: '320100000000', name: '测试市', level: 'city' });
  const street = await buildRegion(db, {
    code: '320102001000',
    name: '梅园街道',
    level: 'street',
    parent: city,
  });
  community = (
    await buildRegion(db, {
      code: '320102001001',
      name: '梅园社区',
      level: 'community',
      parent: street,
    })
  ).id;
  otherCommunity = (
    await buildRegion(db, {
      code: '320102001002',
      name: '兰园社区',
      level: 'community',
      parent: street,
    })
  ).id;
  await buildUser(db, { username: 'g_office', roles: ['office'] });
  workerAId = (
    await buildUser(db, { username: 'g_workerA', name: '网格员甲', roles: ['grid_worker'] })
  ).id;
  workerBId = (
    await buildUser(db, { username: 'g_workerB', name: '网格员乙', roles: ['grid_worker'] })
  ).id;
  await buildUser(db, { username: 'g_leader', roles: ['leader'] });
  await buildUser(db, { username: 'g_unit', roles: ['unit'] });
  office = await t.login('g_office');
  workerA = await t.login('g_workerA');
  leader = await t.login('g_leader');
  cat = [...(await categoriesByCode(office)).values()].find((c) => c.parentId !== null)!;
});
afterAll(() => t.close());

describe('grids', () => {
  it('validates the 15-digit code against the community and refuses a repeated one', async () => {
    const base = { name: '梅园一网格', regionId: community, geometry: A_SHAPE };
    expectError(
      await office.post('/api/grids', { ...base, code: '32010200100100' }),
      400,
      'invalid',
    );
    expectError(
      await office.post('/api/grids', { ...base, code: '320102001002001' }),
      400,
      'invalid',
    );
    expectError(
      await office.post('/api/grids', { ...base, code: '320102001001000' }),
      400,
      'invalid',
    );
    const badShape = await office.post('/api/grids', {
      ...base,
      code: '320102001001001',
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [118.78, 32.04],
            [118.79, 32.04],
          ],
        ],
      },
    });
    expectError(badShape, 400, 'invalid');
    expectError(
      await workerA.post('/api/grids', { ...base, code: '320102001001001' }),
      403,
      'forbidden',
    );
    const res = await office.post('/api/grids', {
      ...base,
      code: '320102001001001',
      population: 1200,
    });
    expect(res.statusCode, res.body).toBe(201);
    A = res.json();
    expect(A.grid).toMatchObject({
      code: '320102001001001',
      regionName: '梅园社区',
      population: 1200,
    });
    expectError(
      await office.post('/api/grids', { ...base, code: '320102001001001' }),
      409,
      'duplicate',
    );
    const b = await office.post('/api/grids', {
      name: '梅园二网格',
      code: '320102001001002',
      regionId: community,
      geometry: B_SHAPE,
    });
    expect(b.statusCode, b.body).toBe(201);
    B = b.json();
  });

  it('routes a problem at intake to the grid containing it: edges, holes and no grid', async () => {
    const inA = await at(office, 118.782, 32.042);
    expect(inA.problem.id).toBeGreaterThan(0);
    expect(await gridOf(inA.problem.id)).toBe(A.grid.id);
    // Without a region given, the problem takes its grid's community.
    expect(inA.problem.regionName).toBe('梅园社区');
    expect(await gridOf((await at(office, 118.795, 32.045)).problem.id)).toBe(B.grid.id);
    // On the edge A and B share: one owner, the smaller id.
    expect(await gridOf((await at(office, 118.79, 32.045)).problem.id)).toBe(
      Math.min(A.grid.id, B.grid.id),
    );
    // In A's hole: no grid; on the hole's edge: A.
    expect(await gridOf((await at(office, 118.785, 32.045)).problem.id)).toBeNull();
    expect(await gridOf((await at(office, 118.784, 32.045)).problem.id)).toBe(A.grid.id);
    // Outside every grid, and without a place at all.
    const nowhere = await at(office, 118.9, 32.1);
    expect(await gridOf(nowhere.problem.id)).toBeNull();
    expect(nowhere.problem.regionName).toBeNull();
    const placeless = await report(office, { title: '无位置问题', categoryId: cat.id });
    expect(await gridOf(placeless.problem.id)).toBeNull();
  });

  it('reassigns problems in bulk when a polygon changes, audited, with a version check', async () => {
    const east = await at(office, 118.805, 32.045, '东侧问题');
    const westInB = await at(office, 118.791, 32.041, 'B西侧问题');
    expect(await gridOf(east.problem.id)).toBeNull();
    expect(await gridOf(westInB.problem.id)).toBe(B.grid.id);
    // B moves east by 0.005°: it gains `east` and loses its western strip.
    const moved = { type: 'Polygon', coordinates: [sq(118.795, 32.04, 118.81, 32.05)] };
    expectError(
      await office.patch(`/api/grids/${B.grid.id}`, {
        version: B.grid.version + 5,
        geometry: moved,
      }),
      409,
      'stale_version',
    );
    const res = await office.patch(`/api/grids/${B.grid.id}`, {
      version: B.grid.version,
      geometry: moved,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().reassigned).toBeGreaterThanOrEqual(2);
    B = res.json();
    expect(await gridOf(east.problem.id)).toBe(B.grid.id);
    expect(await gridOf(westInB.problem.id)).toBeNull();
    const [audit] = await execRows<{ after: { reassigned: number }; before: unknown }>(
      t.database.db,
      sql`select after, before from audit_log where action = 'grid.update' and entity_id = ${String(B.grid.id)}
          order by id desc limit 1`,
    );
    expect(audit!.after.reassigned).toBe(res.json().reassigned);
    expect(audit!.before).toMatchObject({ geometry: B_SHAPE });
    // Deactivating a grid releases its problems.
    const off = await office.patch(`/api/grids/${B.grid.id}`, {
      version: B.grid.version,
      active: false,
    });
    expect(off.statusCode, off.body).toBe(200);
    expect(await gridOf(east.problem.id)).toBeNull();
    const on = await office.patch(`/api/grids/${B.grid.id}`, {
      version: off.json().grid.version,
      active: true,
    });
    B = on.json();
    expect(await gridOf(east.problem.id)).toBe(B.grid.id);
  });

  it('names the grid leader and workers (grid workers only, one leader)', async () => {
    const unitUser = (await t.database.db.query.users.findFirst({
      where: (u, { eq }) => eq(u.username, 'g_unit'),
    }))!;
    const put = (members: unknown[], version = A.grid.version) =>
      office.put(`/api/grids/${A.grid.id}/members`, { version, members });
    expectError(
      await put([
        { userId: workerAId, role: 'leader' },
        { userId: workerBId, role: 'leader' },
      ]),
      400,
      'invalid',
    );
    expectError(await put([{ userId: unitUser.id, role: 'worker' }]), 400, 'invalid');
    const ok = await put([
      { userId: workerAId, role: 'leader' },
      { userId: unitUser.id, role: 'building_lead', note: '3幢' },
    ]);
    expect(ok.statusCode, ok.body).toBe(200);
    A = ok.json();
    expect(A.grid.leaderName).toBe('网格员甲');
    expect(A.members.map((m) => m.role)).toEqual(['leader', 'building_lead']);
    expectError(await put([], 1), 409, 'stale_version');
  });

  it('lets a grid worker see the problems of their grid and only those', async () => {
    const list = await workerA.get('/api/problems?limit=200');
    expect(list.statusCode, list.body).toBe(200);
    const ids = new Set((list.json().items as { id: number }[]).map((p) => p.id));
    const pins = (await office.get(`/api/grids/${A.grid.id}/problems?all=true`)).json().items as {
      id: number;
    }[];
    expect(pins.length).toBeGreaterThan(0);
    for (const p of pins) expect(ids.has(p.id)).toBe(true);
    const bPins = (await office.get(`/api/grids/${B.grid.id}/problems?all=true`)).json().items as {
      id: number;
    }[];
    for (const p of bPins) expect(ids.has(p.id)).toBe(false);
    // Grids: the worker sees their own grid, not B; the leader (read-only) sees both.
    expect((await workerA.get('/api/grids')).json().items.map((g: { id: number }) => g.id)).toEqual(
      [A.grid.id],
    );
    expectError(await workerA.get(`/api/grids/${B.grid.id}`), 404, 'not_found');
    expect((await leader.get('/api/grids')).json().items).toHaveLength(2);
  });

  it('lists the points inside a grid, one owner on a shared edge', async () => {
    const [type] = await execRows<{ id: number }>(
      t.database.db,
      sql`insert into point_types (code, name, sampling, checklist)
          values ('GT-TEST', '测试点位类型', 'random', '[]'::jsonb) returning id`,
    );
    const place = (name: string, lng: number, lat: number, active = true) =>
      execRows(
        t.database.db,
        sql`insert into points (name, type_id, lat, lng, active)
            values (${name}, ${type!.id}, ${lat}, ${lng}, ${active})`,
      );
    await place('A内点位', 118.781, 32.049);
    await place('A洞内点位', 118.785, 32.045);
    await place('停用点位', 118.782, 32.048, false);
    await place('远处点位', 119.5, 32.5);
    const names = async (id: number) =>
      ((await office.get(`/api/grids/${id}/points`)).json().items as { name: string }[]).map(
        (p) => p.name,
      );
    expect(await names(A.grid.id)).toEqual(['A内点位']);
    expect(await names(B.grid.id)).toEqual([]);
    expectError(await workerA.get(`/api/grids/${B.grid.id}/points`), 404, 'not_found');
  });

  it('counts open, closed and overdue problems per grid', async () => {
    const stats = (await office.get('/api/grids/stats')).json().items as {
      gridId: number;
      open: number;
      total: number;
    }[];
    const a = stats.find((s) => s.gridId === A.grid.id)!;
    const pins = (await office.get(`/api/grids/${A.grid.id}/problems?all=true`)).json().items;
    expect(a.total).toBe(pins.length);
    expect(a.open).toBe(pins.length);
    const detail = (await office.get(`/api/grids/${A.grid.id}`)).json<TGridDetail>();
    expect(detail.stats.open).toBe(a.open);
  });
});

describe('GeoJSON import and export', () => {
  const feature = (code: string, name: unknown, geometry: unknown, extra: object = {}) => ({
    type: 'Feature',
    properties: { code, name, regionCode: '320102001002', ...extra },
    geometry,
  });
  const upload = (doc: unknown, query = '') =>
    office.upload(`/api/grids/import${query}`, Buffer.from(JSON.stringify(doc)), 'grids.geojson');

  it('refuses the whole file with every bad feature listed, writing nothing', async () => {
    const before = (await office.get('/api/grids')).json().items.length;
    const res = await upload({
      type: 'FeatureCollection',
      features: [
        feature('320102001002001', '兰园一网格', {
          type: 'Polygon',
          coordinates: [sq(118.8, 32.05, 118.81, 32.06)],
        }),
        feature('320102001002002', '', { type: 'Point', coordinates: [118.8, 32.05] }),
        feature('320102001002001', '重复编码', {
          type: 'Polygon',
          coordinates: [sq(118.8, 32.05, 118.81, 32.06)],
        }),
        feature('320102001001009', '编码不符', {
          type: 'Polygon',
          coordinates: [sq(118.8, 32.05, 118.81, 32.06)],
        }),
        feature('320102001002004', '境外', {
          type: 'Polygon',
          coordinates: [sq(18.8, 32.05, 18.81, 32.06)],
        }),
        feature(
          '320102001002005',
          '人口',
          { type: 'Polygon', coordinates: [sq(118.8, 32.05, 118.81, 32.06)] },
          { population: -3 },
        ),
      ],
    });
    expectError(res, 422, 'import_rejected');
    const rows = res.json().error.rows as { row: number; column: string }[];
    expect(rows.map((r) => `${r.row}:${r.column}`)).toEqual([
      '2:geometry',
      '2:name',
      '3:code',
      '4:code',
      '5:geometry',
      '6:population',
    ]);
    expect((await office.get('/api/grids')).json().items.length).toBe(before);
    expectError(
      await office.upload('/api/grids/import', Buffer.from('{not json'), 'x.geojson'),
      400,
      'invalid',
    );
    expectError(await upload({ type: 'Feature' }), 422, 'import_rejected');
  });

  it('imports, reassigns, exports and reads its own export back', async () => {
    const inC = await at(office, 118.805, 32.055, '兰园问题');
    expect(await gridOf(inC.problem.id)).toBeNull();
    const res = await upload({
      type: 'FeatureCollection',
      features: [
        feature(
          '320102001002001',
          '兰园一网格',
          {
            type: 'MultiPolygon',
            coordinates: [[sq(118.8, 32.05, 118.81, 32.06)], [sq(118.82, 32.05, 118.83, 32.06)]],
          },
          { population: 800, households: 300 },
        ),
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ imported: 1, created: 1, updated: 0 });
    expect(res.json().reassigned).toBeGreaterThanOrEqual(1);
    const c = (await office.get('/api/grids?q=兰园')).json().items[0];
    expect(await gridOf(inC.problem.id)).toBe(c.id);
    const exp = await office.get('/api/grids/export.geojson');
    expect(exp.statusCode).toBe(200);
    expect(exp.headers['content-type']).toContain('geo+json');
    const doc = JSON.parse(exp.body) as { features: { properties: { code: string } }[] };
    expect(doc.features.map((f) => f.properties.code).sort()).toEqual([
      '320102001001001',
      '320102001001002',
      '320102001002001',
    ]);
    const again = await upload(doc);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ imported: 3, created: 0, updated: 3, reassigned: 0 });
    expect(otherCommunity).toBeGreaterThan(0);
  });
});
