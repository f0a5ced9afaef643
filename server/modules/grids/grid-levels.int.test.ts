import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TGrid, TGridDetail, TPatrol } from '../../../core/contracts/grids.js';
import type { TAreaGeometry } from '../../../core/geo/polygon.js';
import { execRows } from '../../db/client.js';
import { buildRegion, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type Res, type TestApp } from '../../test/harness.js';
import { setRegionBoundary } from '../org/regions.repo.js';

// Issue #20 — 网格 by level: a district office (区创建办) administers the grids of its own subtree,
// drawn inside its boundary, with its own people; another district's grid is not there for it; the
// city office keeps managing every grid.

let t: TestApp;
let cityOffice: Agent;
let district: Agent;
const ids = {} as {
  r1: number;
  c1: number;
  s2: number;
  workerR1: number;
  workerR2: number;
  x: number;
  y: number;
};

const sq = (x0: number, y0: number, x1: number, y1: number): TAreaGeometry => ({
  type: 'Polygon',
  coordinates: [
    [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ],
  ],
});
// R1 (甲区) is 120.00–120.10 × 30.00–30.10; R2 lies east of it.
const INSIDE = sq(120.01, 30.01, 120.02, 30.02);
const ACROSS = sq(120.09, 30.01, 120.11, 30.02);
const IN_R2 = sq(120.15, 30.01, 120.16, 30.02);

function refusal(res: Res, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  const e = res.json<{ error: { code: string; messageZh: string; messageEn: string } }>().error;
  expect(e.code).toBe(code);
  expect(e.messageZh).toMatch(/[\u4e00-\u9fff]/);
  expect(e.messageEn).toMatch(/[a-z]/);
  return e;
}

/** Every grid as the city office sees it, by code. */
async function cityGrids(): Promise<Map<string, TGrid>> {
  const items = (await cityOffice.get('/api/grids')).json<{ items: TGrid[] }>().items;
  return new Map(items.map((g) => [g.code, g]));
}

async function gridAudits(): Promise<number> {
  const [row] = await execRows<{ n: number }>(
    t.database.db,
    sql`select count(*)::int as n from audit_log where entity_type = 'grid'`,
  );
  return Number(row!.n);
}

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const city = await buildRegion(db, { code: '330100000000', name: '网级市', level: 'city' });
  const r1 = await buildRegion(db, {
    code: '330102000000',
    name: '网甲区',
    level: 'district',
    parent: city,
  });
  const s1 = await buildRegion(db, {
    code: '330102001000',
    name: '网甲街道',
    level: 'street',
    parent: r1,
  });
  const c1 = await buildRegion(db, {
    code: '330102001001',
    name: '网甲社区',
    level: 'community',
    parent: s1,
  });
  const r2 = await buildRegion(db, {
    code: '330103000000',
    name: '网乙区',
    level: 'district',
    parent: city,
  });
  const s2 = await buildRegion(db, {
    code: '330103001000',
    name: '网乙街道',
    level: 'street',
    parent: r2,
  });
  const boundary = sq(120, 30, 120.1, 30.1);
  await setRegionBoundary(db, r1.id, r1.version, {
    geometry: boundary,
    minLng: 120,
    minLat: 30,
    maxLng: 120.1,
    maxLat: 30.1,
  });
  await buildUser(db, { username: 'glcity', roles: ['office'] });
  await buildUser(db, { username: 'gldistrict', roles: ['office'], regionId: r1.id });
  const workerR1 = await buildUser(db, {
    username: 'glw1',
    roles: ['grid_worker'],
    regionId: s1.id,
  });
  const workerR2 = await buildUser(db, {
    username: 'glw2',
    roles: ['grid_worker'],
    regionId: s2.id,
  });
  cityOffice = await t.login('glcity');
  district = await t.login('gldistrict');
  const make = async (code: string, regionId: number, geometry: unknown) => {
    const res = await cityOffice.post('/api/grids', {
      code,
      name: `网格${code}`,
      regionId,
      geometry,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<TGridDetail>().grid.id;
  };
  const x = await make('330102001001001', c1.id, sq(120.03, 30.03, 120.04, 30.04));
  const y = await make('330103001000001', s2.id, IN_R2);
  Object.assign(ids, {
    r1: r1.id,
    c1: c1.id,
    s2: s2.id,
    workerR1: workerR1.id,
    workerR2: workerR2.id,
    x,
    y,
  });
});
afterAll(() => t.close());

describe('a district office administers the grids of its subtree', () => {
  it('creates, edits and staffs a grid of its own community, drawn inside its boundary', async () => {
    const res = await district.post('/api/grids', {
      code: '330102001001002',
      name: '甲社区二网格',
      regionId: ids.c1,
      geometry: INSIDE,
    });
    expect(res.statusCode, res.body).toBe(201);
    const g = res.json<TGridDetail>().grid;
    const edited = await district.patch(`/api/grids/${g.id}`, {
      version: g.version,
      name: '甲社区第二网格',
      geometry: sq(120.01, 30.01, 120.025, 30.02),
    });
    expect(edited.statusCode, edited.body).toBe(200);
    const staffed = await district.put(`/api/grids/${g.id}/members`, {
      version: edited.json<TGridDetail>().grid.version,
      members: [{ userId: ids.workerR1, role: 'leader' }],
    });
    expect(staffed.statusCode, staffed.body).toBe(200);
    expect(staffed.json<TGridDetail>().members.map((m) => m.userId)).toEqual([ids.workerR1]);
    // The grid the city drew in its community is its to edit too.
    const x = (await district.get(`/api/grids/${ids.x}`)).json<TGridDetail>().grid;
    const renamed = await district.patch(`/api/grids/${ids.x}`, {
      version: x.version,
      name: '甲社区一网格',
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect((await cityGrids()).get('330102001001002')?.name).toBe('甲社区第二网格');
  });

  it('refuses a grid placed in another district, or drawn across its boundary: 403, nothing written', async () => {
    const audits = await gridAudits();
    const elsewhere = await district.post('/api/grids', {
      code: '330103001000002',
      name: '越界网格',
      regionId: ids.s2,
      geometry: IN_R2,
    });
    expect(refusal(elsewhere, 403, 'outside_jurisdiction').messageZh).toContain('辖区');
    const across = await district.post('/api/grids', {
      code: '330102001001003',
      name: '跨界网格',
      regionId: ids.c1,
      geometry: ACROSS,
    });
    expect(refusal(across, 403, 'outside_jurisdiction').messageEn).toContain('jurisdiction');
    const grids = await cityGrids();
    expect(grids.has('330103001000002')).toBe(false);
    expect(grids.has('330102001001003')).toBe(false);

    // Its own grid moved to another district's street, or stretched across the line: refused.
    const x = grids.get('330102001001001')!;
    refusal(
      await district.patch(`/api/grids/${x.id}`, { version: x.version, regionId: ids.s2 }),
      403,
      'outside_jurisdiction',
    );
    refusal(
      await district.patch(`/api/grids/${x.id}`, { version: x.version, geometry: ACROSS }),
      403,
      'outside_jurisdiction',
    );
    const after = (await cityGrids()).get('330102001001001')!;
    expect(after).toEqual(x);
    expect(await gridAudits()).toBe(audits);
  });

  it("does not find another district's grid by id: 404 on every write, the grid untouched", async () => {
    const y = (await cityGrids()).get('330103001000001')!;
    refusal(await district.get(`/api/grids/${ids.y}`), 404, 'not_found');
    refusal(
      await district.patch(`/api/grids/${ids.y}`, { version: y.version, name: '改名' }),
      404,
      'not_found',
    );
    refusal(
      await district.put(`/api/grids/${ids.y}/members`, {
        version: y.version,
        members: [{ userId: ids.workerR1, role: 'worker' }],
      }),
      404,
      'not_found',
    );
    expect((await cityGrids()).get('330103001000001')).toEqual(y);
    const detail = (await cityOffice.get(`/api/grids/${ids.y}`)).json<TGridDetail>();
    expect(detail.members).toEqual([]);
  });

  it("names only its own people: another district's grid worker is refused", async () => {
    const before = (await cityOffice.get(`/api/grids/${ids.x}`)).json<TGridDetail>();
    const res = await district.put(`/api/grids/${ids.x}/members`, {
      version: before.grid.version,
      members: [
        { userId: ids.workerR1, role: 'worker' },
        { userId: ids.workerR2, role: 'worker' },
      ],
    });
    expect(refusal(res, 403, 'outside_jurisdiction').messageZh).toContain('所选人员');
    const after = (await cityOffice.get(`/api/grids/${ids.x}`)).json<TGridDetail>();
    expect(after.members).toEqual(before.members);
    expect(after.grid.version).toBe(before.grid.version);
  });

  it('leaves the city-wide reassignment to the city', async () => {
    refusal(await district.post('/api/grids/reassign'), 403, 'city_level');
    expect((await cityOffice.post('/api/grids/reassign')).statusCode).toBe(200);
  });
});

describe("a district office's GeoJSON import", () => {
  const feature = (code: string, regionCode: string, geometry: unknown) => ({
    type: 'Feature',
    properties: { code, name: `导入${code}`, regionCode },
    geometry,
  });
  const upload = (agent: Agent, features: unknown[]) =>
    agent.upload(
      '/api/grids/import',
      Buffer.from(JSON.stringify({ type: 'FeatureCollection', features })),
      'grids.geojson',
    );

  it('refuses the whole file when any feature lies outside, naming each one; nothing written', async () => {
    const before = await cityGrids();
    const audits = await gridAudits();
    const res = await upload(district, [
      feature('330102001001011', '330102001001', sq(120.05, 30.05, 120.06, 30.06)),
      feature('330103001000011', '330103001000', IN_R2),
      feature('330102001001012', '330102001001', ACROSS),
    ]);
    refusal(res, 422, 'import_rejected');
    const rows = res.json<{ error: { rows: { row: number; column: string; reason: string }[] } }>()
      .error.rows;
    expect(rows.map((r) => `${r.row}:${r.column}`)).toEqual([
      '2:geometry',
      '2:regionCode',
      '3:geometry',
    ]);
    for (const r of rows) {
      expect(r.reason).toContain('辖区');
      expect(r.reason).toContain('jurisdiction');
    }
    expect(rows[1]!.reason).toContain('330103001000011');
    expect(await cityGrids()).toEqual(before);
    expect(await gridAudits()).toBe(audits);
  });

  it('imports a file of its own grids', async () => {
    const res = await upload(district, [
      feature('330102001001011', '330102001001', sq(120.05, 30.05, 120.06, 30.06)),
      feature('330102001001012', '330102001001', sq(120.06, 30.05, 120.07, 30.06)),
    ]);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ imported: 2, created: 2, updated: 0 });
    const grids = await cityGrids();
    expect(grids.get('330102001001011')?.regionId).toBe(ids.c1);
  });
});

describe('the city office is unchanged', () => {
  it('creates, edits and staffs grids in any district, and imports across them', async () => {
    const res = await cityOffice.post('/api/grids', {
      code: '330103001000003',
      name: '乙街道三网格',
      regionId: ids.s2,
      geometry: ACROSS,
    });
    expect(res.statusCode, res.body).toBe(201);
    const y = (await cityOffice.get(`/api/grids/${ids.y}`)).json<TGridDetail>().grid;
    const staffed = await cityOffice.put(`/api/grids/${ids.y}/members`, {
      version: y.version,
      members: [
        { userId: ids.workerR2, role: 'leader' },
        { userId: ids.workerR1, role: 'worker' },
      ],
    });
    expect(staffed.statusCode, staffed.body).toBe(200);
    const imported = await cityOffice.upload(
      '/api/grids/import',
      Buffer.from(
        JSON.stringify({
          type: 'FeatureCollection',
          features: [
            {
              type: 'Feature',
              properties: { code: '330103001000004', name: '乙四', regionCode: '330103001000' },
              geometry: sq(120.16, 30.01, 120.17, 30.02),
            },
            {
              type: 'Feature',
              properties: { code: '330102001001021', name: '甲二一', regionCode: '330102001001' },
              geometry: sq(120.07, 30.05, 120.08, 30.06),
            },
          ],
        }),
      ),
      'grids.geojson',
    );
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json()).toMatchObject({ created: 2 });
  });
});

describe("a district office's patrol log", () => {
  it("lists its subtree's patrols, never another district's", async () => {
    const w1 = await t.login('glw1');
    const w2 = await t.login('glw2');
    const mine = (await cityGrids()).get('330102001001002')!;
    const start = async (agent: Agent, gridId: number) => {
      const res = await agent.post('/api/patrols', { clientId: randomUUID(), gridId });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<TPatrol>().id;
    };
    const p1 = await start(w1, mine.id);
    const p2 = await start(w2, ids.y);

    const seen = (await district.get('/api/patrols?limit=100')).json<{ items: TPatrol[] }>().items;
    expect(seen.map((p) => p.id)).toEqual([p1]);
    expect((await district.get(`/api/patrols/${p1}`)).statusCode).toBe(200);
    refusal(await district.get(`/api/patrols/${p2}`), 404, 'not_found');
    const summary = await district.get('/api/patrols/summary?days=30');
    expect(summary.statusCode, summary.body).toBe(200);
    expect(summary.json<{ items: { gridId: number }[] }>().items.map((r) => r.gridId)).toEqual([
      mine.id,
    ]);

    const all = (await cityOffice.get('/api/patrols?limit=100')).json<{ items: TPatrol[] }>();
    expect(all.items.map((p) => p.id).sort()).toEqual([p1, p2].sort());
  });
});
