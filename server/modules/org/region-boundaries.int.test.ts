import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TRegion } from '../../../core/contracts/org.js';
import type { TCategory, TProblem } from '../../../core/contracts/problems.js';
import { execRows } from '../../db/client.js';
import type { RegionRow } from './regions.repo.js';
import { buildRegion, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';
import { categoriesByCode, expectError, report } from '../../test/problems-kit.js';

// 区划边界: import (validation, dry run), export, PUT/DELETE, and the region of a located problem
// at intake (given > grid > deepest boundary) and again when boundaries change.

let t: TestApp;
let office: Agent;
let leader: Agent;
let cat: TCategory;
let city: RegionRow;
let district: RegionRow;
let s1: RegionRow;
let s2: RegionRow;
let c1: RegionRow;
let c2: RegionRow;

const sq = (x0: number, y0: number, x1: number, y1: number) => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];
const poly = (x0: number, y0: number, x1: number, y1: number) => ({
  type: 'Polygon' as const,
  coordinates: [sq(x0, y0, x1, y1)],
});
const feature = (props: Record<string, unknown>, geometry: unknown) => ({
  type: 'Feature',
  properties: props,
  geometry,
});
// The city 120.0–120.6, its district 120.1–120.5 × 30.1–30.5, two streets side by side in the
// district's south half, a community in each street's corner; the grid lies in community c2.
const SHAPES = () => ({
  city: poly(120.0, 30.0, 120.6, 30.6),
  district: poly(120.1, 30.1, 120.5, 30.5),
  s1: poly(120.1, 30.1, 120.3, 30.3),
  s2: poly(120.3, 30.1, 120.5, 30.3),
  c1: poly(120.1, 30.1, 120.15, 30.15),
  c2: poly(120.4, 30.2, 120.5, 30.3),
});
const GRID = poly(120.42, 30.22, 120.44, 30.24);

const upload = (doc: unknown, query = '') =>
  office.upload(
    `/api/regions/boundaries/import${query}`,
    Buffer.from(typeof doc === 'string' ? doc : JSON.stringify(doc)),
    'boundaries.geojson',
  );
const allBoundaries = () => ({
  type: 'FeatureCollection',
  features: [
    feature({ code: city.code }, SHAPES().city),
    feature({ name: district.name }, SHAPES().district),
    feature({ code: s1.code, name: 'ignored when a code is given' }, SHAPES().s1),
    feature({ 区划代码: s2.code }, SHAPES().s2),
    feature({ code: c1.code }, SHAPES().c1),
  ],
});

async function placeOf(id: number) {
  const [row] = await execRows<{ region_id: number | null; region_source: string | null }>(
    t.database.db,
    sql`select region_id, region_source from problems where id = ${id}`,
  );
  return {
    regionId: row!.region_id === null ? null : Number(row!.region_id),
    source: row!.region_source,
  };
}
const at = (lng: number, lat: number, extra: Record<string, unknown> = {}) =>
  report(office, { title: '占道经营', categoryId: cat.id, lat, lng, ...extra });
const boundaryCount = async () =>
  Number(
    (
      await execRows<{ n: number }>(
        t.database.db,
        sql`select count(*)::int as n from regions where geometry is not null`,
      )
    )[0]!.n,
  );
async function pointPlace(id: number) {
  const [row] = await execRows<{ region_id: number | null; region_source: string | null }>(
    t.database.db,
    sql`select region_id, region_source from points where id = ${id}`,
  );
  return {
    regionId: row!.region_id === null ? null : Number(row!.region_id),
    source: row!.region_source,
  };
}
const newPoint = async (body: Record<string, unknown>) => {
  const res = await office.post('/api/points', { name: '测试点位', type: 'B01', ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: number; regionId: number | null; version: number }>();
};
const regionVersion = async (id: number) =>
  (await office.get(`/api/regions/${id}`)).json<TRegion>().version;

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  city = await buildRegion(db, { code: '330100000000', name: '边界市', level: 'city' });
  district = await buildRegion(db, {
    code: '330102000000',
    name: '上城区',
    level: 'district',
    parent: city,
  });
  s1 = await buildRegion(db, {
    code: '330102001000',
    name: '湖滨街道',
    level: 'street',
    parent: district,
  });
  s2 = await buildRegion(db, {
    code: '330102002000',
    name: '清波街道',
    level: 'street',
    parent: district,
  });
  c1 = await buildRegion(db, {
    code: '330102001001',
    name: '东坡社区',
    level: 'community',
    parent: s1,
  });
  c2 = await buildRegion(db, {
    code: '330102002001',
    name: '清河坊社区',
    level: 'community',
    parent: s2,
  });
  await buildUser(db, { username: 'b_office', roles: ['office'] });
  await buildUser(db, { username: 'b_leader', roles: ['leader'] });
  office = await t.login('b_office');
  leader = await t.login('b_leader');
  cat = [...(await categoriesByCode(office)).values()].find((c) => c.parentId !== null)!;
  const grid = await office.post('/api/grids', {
    code: `${c2.code}001`,
    name: '清河坊一网格',
    regionId: c2.id,
    geometry: GRID,
  });
  expect(grid.statusCode, grid.body).toBe(201);
  const type = await office.post('/api/point-types', {
    code: 'B01',
    name: '农贸市场',
    sampling: 'mandatory',
    defaultDrawCount: 1,
    checklist: [{ text: '地面干净', standards: [] }],
  });
  expect(type.statusCode, type.body).toBe(201);
});
afterAll(() => t.close());

describe('boundary import: all or nothing', () => {
  it('refuses malformed JSON, unknown regions and open rings, listing each feature; writes nothing', async () => {
    const bad = await upload('{"type": "FeatureCollection", ');
    expectError(bad, 400, 'invalid');
    expect(bad.json().error.messageZh).toContain('GeoJSON');

    const open = sq(120.1, 30.1, 120.3, 30.3).slice(0, 4);
    const res = await upload({
      type: 'FeatureCollection',
      features: [
        feature({ code: city.code }, SHAPES().city),
        feature({ code: '339999999999' }, SHAPES().s1),
        feature({ name: '没有的街道' }, SHAPES().s2),
        feature({ code: s1.code }, { type: 'Polygon', coordinates: [open] }),
        feature({ code: s2.code }, poly(10, 30.1, 120.5, 30.3)),
        feature({ code: city.code }, SHAPES().city),
        feature({}, SHAPES().c1),
      ],
    });
    expectError(res, 422, 'import_rejected');
    expect(res.json().error.messageZh).toBe('导入文件有 6 处错误，未导入任何数据');
    const rows = res.json().error.rows as { row: number; column: string; reason: string }[];
    expect(rows.map((r) => [r.row, r.column])).toEqual([
      [2, 'code'],
      [3, 'name'],
      [4, 'geometry'],
      [5, 'geometry'],
      [6, 'code'],
      [7, 'code'],
    ]);
    expect(rows[0]!.reason).toContain('339999999999');
    expect(rows[2]!.reason).toMatch(/边界图形无效 .*not closed/);
    expect(rows[3]!.reason).toContain('outside China');
    expect(rows[4]!.reason).toContain('repeats feature 1');
    expect(await boundaryCount()).toBe(0);

    expectError(await upload({ type: 'Feature' }), 422, 'import_rejected');
    // Only the office writes boundaries.
    const refused = await leader.upload(
      '/api/regions/boundaries/import',
      Buffer.from(JSON.stringify(allBoundaries())),
      'b.geojson',
    );
    expect(refused.statusCode).toBe(403);
    expect(await boundaryCount()).toBe(0);
  });
});

describe('the region of a located problem', () => {
  let inS1 = 0;
  let inC1 = 0;
  let inDistrictOnly = 0;
  let inGrid = 0;
  let given = 0;
  let outside = 0;
  let unlocated = 0;
  let pointInS1 = 0;

  it('before boundaries: outside every grid there is no region; the grid gives its region', async () => {
    const p = await at(120.25, 30.25);
    expect(await placeOf(p.problem.id)).toEqual({ regionId: null, source: null });
    inS1 = p.problem.id;
    const g = await at(120.43, 30.23);
    expect(await placeOf(g.problem.id)).toEqual({ regionId: c2.id, source: 'grid' });
    inGrid = g.problem.id;
  });

  it('a dry run counts what the import would place and writes nothing', async () => {
    const res = await upload(allBoundaries(), '?dryRun=true');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      imported: 5,
      placed: 1,
      moved: 0,
      unplaced: 0,
      points: { placed: 0, moved: 0, unplaced: 0 },
      dryRun: true,
    });
    expect(await boundaryCount()).toBe(0);
    expect(await placeOf(inS1)).toEqual({ regionId: null, source: null });
  });

  it('the import places the problems it covers, in its transaction, audited with the counts', async () => {
    const res = await upload(allBoundaries());
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      imported: 5,
      placed: 1,
      moved: 0,
      unplaced: 0,
      points: { placed: 0, moved: 0, unplaced: 0 },
    });
    expect(await placeOf(inS1)).toEqual({ regionId: s1.id, source: 'boundary' });
    // The grid's problem keeps the grid's region.
    expect(await placeOf(inGrid)).toEqual({ regionId: c2.id, source: 'grid' });
    const [audit] = await execRows<{ after: Record<string, unknown> }>(
      t.database.db,
      sql`select after from audit_log where action = 'region.boundary_import'`,
    );
    expect(audit!.after).toMatchObject({ imported: 5, placed: 1, file: 'boundaries.geojson' });
    const regions = (await office.get('/api/regions')).json<{ items: TRegion[] }>().items;
    expect(regions.filter((r) => r.hasBoundary).map((r) => r.code)).toEqual(
      expect.arrayContaining([city.code, district.code, s1.code, s2.code, c1.code]),
    );
    expect(regions.find((r) => r.id === c2.id)!.hasBoundary).toBe(false);
  });

  it('at intake: the deepest boundary, unless a grid covers the place or a region is given', async () => {
    // In the street, outside its community.
    const a = await at(120.25, 30.25);
    expect(await placeOf(a.problem.id)).toEqual({ regionId: s1.id, source: 'boundary' });
    expect(a.problem.regionName).toBe('湖滨街道');
    // In the community inside the street.
    const b = await at(120.12, 30.12);
    expect(await placeOf(b.problem.id)).toEqual({ regionId: c1.id, source: 'boundary' });
    inC1 = b.problem.id;
    // In the district, in no street.
    const c = await at(120.2, 30.4);
    expect(await placeOf(c.problem.id)).toEqual({ regionId: district.id, source: 'boundary' });
    inDistrictOnly = c.problem.id;
    // The grid wins over the street boundary around it.
    const d = await at(120.43, 30.23);
    expect(await placeOf(d.problem.id)).toEqual({ regionId: c2.id, source: 'grid' });
    // A region named by the report wins over everything.
    const e = await at(120.25, 30.25, { regionId: s2.id });
    expect(await placeOf(e.problem.id)).toEqual({ regionId: s2.id, source: 'given' });
    given = e.problem.id;
    // Outside every boundary: no region, in the 未定位 queue; as is a report with no position.
    const f = await at(121.5, 31.5);
    expect(await placeOf(f.problem.id)).toEqual({ regionId: null, source: null });
    outside = f.problem.id;
    const g = await report(office, { title: '无位置', categoryId: cat.id });
    unlocated = g.problem.id;
    const list = await office.get('/api/problems?located=none&limit=100');
    expect(list.statusCode, list.body).toBe(200);
    const ids = list.json<{ items: TProblem[] }>().items.map((p) => p.id);
    expect(ids).toEqual(expect.arrayContaining([outside, unlocated]));
    expect(ids).not.toContain(a.problem.id);
    expect(ids).not.toContain(d.problem.id);
    expect(list.json<{ items: TProblem[] }>().items.every((p) => p.regionId === null)).toBe(true);
  });

  it('a point (点位) is placed alike, when created and when moved', async () => {
    const a = await newPoint({ name: '湖滨农贸市场', lat: 30.25, lng: 120.25 });
    expect(a.regionId).toBe(s1.id);
    expect(await pointPlace(a.id)).toEqual({ regionId: s1.id, source: 'boundary' });
    pointInS1 = a.id;
    const b = await newPoint({ name: '清河坊公厕', lat: 30.23, lng: 120.43 });
    expect(await pointPlace(b.id)).toEqual({ regionId: c2.id, source: 'grid' });
    const c = await newPoint({ name: '指定区域点', lat: 30.25, lng: 120.25, regionId: s2.id });
    expect(await pointPlace(c.id)).toEqual({ regionId: s2.id, source: 'given' });
    // Moved into the community: placed again; a point with a given region keeps it when moved.
    const moved = await office.patch(`/api/points/${b.id}`, {
      lat: 30.12,
      lng: 120.12,
      version: b.version,
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(await pointPlace(b.id)).toEqual({ regionId: c1.id, source: 'boundary' });
    await office.patch(`/api/points/${c.id}`, { lat: 30.12, lng: 120.12, version: c.version });
    expect(await pointPlace(c.id)).toEqual({ regionId: s2.id, source: 'given' });
  });

  it('a citizen report at a place no grid covers gets its street', async () => {
    const f = citizenForm({
      categoryId: cat.id,
      description: '路灯不亮已经一周',
      lat: 30.2,
      lng: 120.18,
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/public/reports',
      remoteAddress: '10.88.0.1',
      ...f,
    });
    expect(res.statusCode, res.body).toBe(201);
    const { trackingCode } = res.json<{ trackingCode: string }>();
    const [row] = await execRows<{ region_id: number; region_source: string }>(
      t.database.db,
      sql`select p.region_id, p.region_source from problems p
          join citizen_reports c on c.problem_id = p.id where c.tracking_code = ${trackingCode}`,
    );
    expect({ regionId: Number(row!.region_id), source: row!.region_source }).toEqual({
      regionId: s1.id,
      source: 'boundary',
    });
  });

  it('a changed boundary re-derives the problems boundaries placed, not given or gridded ones', async () => {
    // The street shrinks to its western half: the problem at 120.25 falls to the district.
    const v = await regionVersion(s1.id);
    const res = await office.put(`/api/regions/${s1.id}/boundary`, {
      version: v,
      geometry: poly(120.1, 30.1, 120.2, 30.3),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      placed: 0,
      moved: 2,
      unplaced: 0,
      boundaryRev: 2,
      points: { placed: 0, moved: 1, unplaced: 0 },
    });
    expect(await pointPlace(pointInS1)).toEqual({ regionId: district.id, source: 'boundary' });
    expect(res.json().region.version).toBe(v + 1);
    expect(await placeOf(inS1)).toEqual({ regionId: district.id, source: 'boundary' });
    expect(await placeOf(given)).toEqual({ regionId: s2.id, source: 'given' });
    expect(await placeOf(inC1)).toEqual({ regionId: c1.id, source: 'boundary' });
    const [audit] = await execRows<{ after: Record<string, unknown> }>(
      t.database.db,
      sql`select after from audit_log where action = 'region.boundary_set'
          and entity_id = ${String(s1.id)}`,
    );
    expect(audit!.after).toMatchObject({ moved: 2, placed: 0, unplaced: 0, boundaryRev: 2 });

    // A stale version is refused and changes nothing.
    const stale = await office.put(`/api/regions/${s1.id}/boundary`, {
      version: v,
      geometry: SHAPES().s1,
    });
    expectError(stale, 409, 'stale_version');
    // An open ring is refused at the schema, in both languages.
    const open = await office.put(`/api/regions/${s1.id}/boundary`, {
      version: v + 1,
      geometry: { type: 'Polygon', coordinates: [sq(120.1, 30.1, 120.3, 30.3).slice(0, 4)] },
    });
    expectError(open, 400, 'invalid');
    expect(open.body).toContain('not closed');

    // The district's boundary removed: its problems fall to the city.
    const del = await office.delete(
      `/api/regions/${district.id}/boundary?version=${await regionVersion(district.id)}`,
    );
    expect(del.statusCode, del.body).toBe(200);
    expect(del.json()).toMatchObject({ moved: 3, unplaced: 0 });
    expect(await placeOf(inDistrictOnly)).toEqual({ regionId: city.id, source: 'boundary' });
    // The city's too: nothing holds them any more — 未定位.
    const del2 = await office.delete(
      `/api/regions/${city.id}/boundary?version=${await regionVersion(city.id)}`,
    );
    expect(del2.json()).toMatchObject({ unplaced: 3 });
    expect(await placeOf(inDistrictOnly)).toEqual({ regionId: null, source: null });
    // The one outside everything is placed when a boundary comes to cover it.
    const back = await office.put(`/api/regions/${city.id}/boundary`, {
      version: await regionVersion(city.id),
      geometry: poly(120.0, 30.0, 121.6, 31.6),
    });
    expect(back.json()).toMatchObject({ placed: 4 });
    expect(await placeOf(outside)).toEqual({ regionId: city.id, source: 'boundary' });
    expect(await placeOf(unlocated)).toEqual({ regionId: null, source: null });
  });

  it('an intake sees a boundary changed behind the in-memory index (by hand, in SQL)', async () => {
    const first = await at(120.15, 30.2);
    expect(await placeOf(first.problem.id)).toEqual({ regionId: s1.id, source: 'boundary' });
    await t.database.db.execute(
      sql`update regions set geometry = ${JSON.stringify(SHAPES().s2)}::jsonb,
            min_lat = 30.1, max_lat = 30.3, min_lng = 120.3, max_lng = 120.5
          where id = ${s1.id}`,
    );
    const second = await at(120.15, 30.2);
    // s1 no longer holds the place; the city's boundary does (the district's was removed).
    expect(await placeOf(second.problem.id)).toEqual({ regionId: city.id, source: 'boundary' });
    // Drawn back through the API: the problems in it follow.
    const res = await office.put(`/api/regions/${s1.id}/boundary`, {
      version: await regionVersion(s1.id),
      geometry: poly(120.1, 30.1, 120.2, 30.3),
    });
    expect(res.json()).toMatchObject({ moved: 1, placed: 0, unplaced: 0 });
    expect(await placeOf(second.problem.id)).toEqual({ regionId: s1.id, source: 'boundary' });
  });
});

describe('export', () => {
  it("exports a subtree's boundaries, and the export imports back unchanged", async () => {
    const res = await leader.get(`/api/regions/boundaries.geojson?regionId=${s1.id}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('application/geo+json');
    const doc = res.json<{
      type: string;
      features: { properties: Record<string, unknown>; geometry: unknown }[];
    }>();
    expect(doc.type).toBe('FeatureCollection');
    expect(doc.features.map((f) => f.properties.code)).toEqual([s1.code, c1.code]);
    expect(doc.features[1]).toMatchObject({
      properties: { name: '东坡社区', level: 'community', parentCode: s1.code },
      geometry: SHAPES().c1,
    });

    const all = (await office.get('/api/regions/boundaries.geojson')).json<typeof doc>();
    expect(all.features.map((f) => f.properties.code)).toEqual([
      city.code,
      s1.code,
      c1.code,
      s2.code,
    ]);
    const again = await upload(all);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual({
      imported: 4,
      placed: 0,
      moved: 0,
      unplaced: 0,
      points: { placed: 0, moved: 0, unplaced: 0 },
    });
    const after = (await office.get('/api/regions/boundaries.geojson')).json<typeof doc>();
    expect(after.features.map((f) => f.geometry)).toEqual(all.features.map((f) => f.geometry));

    expectError(
      await office.get('/api/regions/boundaries.geojson?regionId=999999'),
      404,
      'not_found',
    );
  });
});

function citizenForm(o: Record<string, string | number>) {
  const boundary = `----cc${randomBytes(8).toString('hex')}`;
  const body = Object.entries(o)
    .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
    .join('');
  return {
    payload: Buffer.from(`${body}--${boundary}--\r\n`),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

describe('确定区域: the office places a problem without a region', () => {
  it('by a position (grid and boundaries decide) or by naming the region; once', async () => {
    const noPlace = (await report(office, { title: '来电未说明位置', categoryId: cat.id })).problem;
    const far = (await at(125.0, 35.0)).problem;
    expect(noPlace.regionId).toBeNull();
    expect(far.regionId).toBeNull();

    // By a position inside the grid: the grid's region, as at intake.
    const placed = await office.post(`/api/problems/${noPlace.id}/place`, {
      version: noPlace.version,
      lat: 30.23,
      lng: 120.43,
      address: '清河坊 12 号',
    });
    expect(placed.statusCode, placed.body).toBe(200);
    const d = placed.json<{ problem: TProblem; timeline: { action: string; data: unknown }[] }>();
    expect(d.problem).toMatchObject({
      regionId: c2.id,
      lat: 30.23,
      lng: 120.43,
      address: '清河坊 12 号',
      version: noPlace.version + 1,
    });
    expect(await placeOf(noPlace.id)).toEqual({ regionId: c2.id, source: 'grid' });
    expect(d.timeline.find((e) => e.action === 'place')?.data).toMatchObject({
      regionId: c2.id,
      regionSource: 'grid',
    });
    const queue = (await office.get('/api/problems?located=none&limit=100'))
      .json<{ items: TProblem[] }>()
      .items.map((p) => p.id);
    expect(queue).not.toContain(noPlace.id);
    expect(queue).toContain(far.id);
    // Once placed it is not placed again; a stale version is refused.
    expectError(
      await office.post(`/api/problems/${noPlace.id}/place`, {
        version: noPlace.version + 1,
        regionId: s1.id,
      }),
      409,
      'already_placed',
    );
    expectError(
      await office.post(`/api/problems/${far.id}/place`, {
        version: far.version + 5,
        regionId: s1.id,
      }),
      409,
      'stale_version',
    );

    // A position outside every boundary does not place it: the region must be named.
    const outside = await office.post(`/api/problems/${far.id}/place`, {
      version: far.version,
      lat: 35.0,
      lng: 125.0,
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.messageZh).toContain('请直接选择所属区域');
    const neither = await office.post(`/api/problems/${far.id}/place`, { version: far.version });
    expect(neither.statusCode).toBe(400);
    const named = await office.post(`/api/problems/${far.id}/place`, {
      version: far.version,
      regionId: s2.id,
    });
    expect(named.statusCode, named.body).toBe(200);
    expect(await placeOf(far.id)).toEqual({ regionId: s2.id, source: 'given' });
    // A leader reads the ledger but does not place problems.
    expect(
      (await leader.post(`/api/problems/${far.id}/place`, { version: 2, regionId: s1.id }))
        .statusCode,
    ).toBe(403);
  });
});

describe('a 新时代文明实践 place is placed by its position too', () => {
  it('gets the region of its position unless one is named, when created and when moved', async () => {
    const create = async (body: Record<string, unknown>) => {
      const res = await office.post('/api/practice-places', { kind: 'station', ...body });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: number; regionId: number | null; version: number }>();
    };
    // In the grid: the grid's region, as for problems and points.
    const inGrid = await create({ name: '清河坊实践站', lat: 30.23, lng: 120.43 });
    expect(inGrid.regionId).toBe(c2.id);
    // A region named wins over the position.
    const named = await create({
      name: '指定区域实践站',
      lat: 30.23,
      lng: 120.43,
      regionId: s2.id,
    });
    expect(named.regionId).toBe(s2.id);
    // Outside every grid and boundary, with none named: no region, as before.
    const far = await create({ name: '远郊实践站', lat: 35.0, lng: 125.0 });
    expect(far.regionId).toBeNull();
    // Moved into the grid without naming a region: the region of the new position.
    const moved = await office.patch(`/api/practice-places/${far.id}`, {
      lat: 30.23,
      lng: 120.43,
      version: far.version,
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json<{ regionId: number | null }>().regionId).toBe(c2.id);
  });
});

describe('a 申报表 row is placed by its position too', () => {
  it('naming no region, it gets the grid’s or the deepest boundary’s; a named region wins', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('实地考察地点申报表');
    ws.addRow(['序号', '点位名称', '点位类型', '所属区域', '详细地址', '经度', '纬度', '包保单位']);
    ws.addRow([1, '申报社区公厕', 'B01', '', '', 120.12, 30.12, '']);
    ws.addRow([2, '申报网格公厕', 'B01', '', '', 120.43, 30.23, '']);
    ws.addRow([3, '申报指定公厕', 'B01', s2.name, '', 120.12, 30.12, '']);
    ws.addRow([4, '申报无坐标公厕', 'B01', '', '', '', '', '']);
    const res = await office.upload(
      '/api/points/declaration/import',
      Buffer.from(await wb.xlsx.writeBuffer()),
      '申报表.xlsx',
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ imported: 4, created: 4 });
    const placed = async (name: string) => {
      const [row] = await execRows<{ id: number }>(
        t.database.db,
        sql`select id from points where name = ${name}`,
      );
      return pointPlace(Number(row!.id));
    };
    expect(await placed('申报社区公厕')).toEqual({ regionId: c1.id, source: 'boundary' });
    expect(await placed('申报网格公厕')).toEqual({ regionId: c2.id, source: 'grid' });
    expect(await placed('申报指定公厕')).toEqual({ regionId: s2.id, source: 'given' });
    expect(await placed('申报无坐标公厕')).toEqual({ regionId: null, source: null });
  });
});
