import { sql } from 'drizzle-orm';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRows } from '../../db/client.js';
import type { RegionRow } from '../org/regions.repo.js';
import { buildRegion, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';
import { expectError } from '../../test/problems-kit.js';

// 地图底图: the office's tile provider (validated, versioned, audited, read before sign-in) and
// the public base geometry the maps draw without tiles (names and thinned outlines only).

let t: TestApp;
let office: Agent;
let leader: Agent;
let districtOffice: Agent;
let city: RegionRow;
let district: RegionRow;

const TK = '0123456789abcdef0123456789ABCDEF';
const rect = (w: number, s: number, e: number, n: number) => ({
  type: 'Polygon' as const,
  coordinates: [
    [
      [w, s],
      [e, s],
      [e, n],
      [w, n],
      [w, s],
    ],
  ],
});

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  city = await buildRegion(db, { code: '330100', name: '测试市', level: 'city' });
  district = await buildRegion(db, {
    code: '330102',
    name: '上城区',
    level: 'district',
    parent: city,
  });
  await buildUser(db, { username: 'm_office', roles: ['office'] });
  await buildUser(db, { username: 'm_leader', roles: ['leader'] });
  await buildUser(db, { username: 'm_district', roles: ['office'], regionId: district.id });
  office = await t.login('m_office');
  leader = await t.login('m_leader');
  districtOffice = await t.login('m_district');
});
afterAll(() => t.close());

const publicMap = async () => (await t.app.inject('/api/settings/public')).json();

describe('the tile provider setting', () => {
  it('starts from the environment: none on a fresh install, or an XYZ server from MAP_TILE_URL', async () => {
    const res = await office.get('/api/settings/map');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      provider: { kind: 'none' },
      version: 0,
      source: 'environment',
      updatedAt: null,
    });
    expect(await publicMap()).toEqual({
      map: { kind: 'none', coords: 'wgs84', layers: [] },
      mapTileUrl: null,
      mapAttribution: '',
      mapCoords: 'wgs84',
    });
    const other = await createTestApp(
      {
        MAP_TILE_URL: 'https://{s}.tiles.example.gov.cn/{z}/{x}/{y}.png',
        MAP_COORDS: 'gcj02',
        MAP_ATTRIBUTION: '市测绘院',
      },
      { sharing: t },
    );
    try {
      const pub = (await other.app.inject('/api/settings/public')).json();
      expect(pub.map).toEqual({
        kind: 'xyz',
        coords: 'gcj02',
        layers: [
          {
            url: 'https://{s}.tiles.example.gov.cn/{z}/{x}/{y}.png',
            subdomains: 'abc',
            attribution: '市测绘院',
            maxZoom: 18,
          },
        ],
      });
      expect(pub.mapCoords).toBe('gcj02');
    } finally {
      await other.close();
    }
  });

  it('refuses a bad environment at start-up rather than drawing grey maps', async () => {
    await expect(
      createTestApp({ MAP_PROVIDER: 'tianditu', MAP_TIANDITU_KEY: 'short' }, { sharing: t }),
    ).rejects.toThrow(/32/);
    await expect(
      createTestApp({ MAP_TILE_URL: 'https://tiles.example.com/{z}/{x}.png' }, { sharing: t }),
    ).rejects.toThrow(/\{y\}/);
  });

  it('refuses bad input with bilingual 400s naming the field', async () => {
    const cases: [unknown, string, RegExp, RegExp][] = [
      [{ kind: 'tianditu', key: 'not-a-key' }, 'provider.key', /32 位/, /32 hexadecimal/],
      [
        { kind: 'xyz', url: 'https://t.example.com/{z}/{x}.png', coords: 'wgs84' },
        'provider.url',
        /缺少占位符 \{y\}/,
        /missing \{y\}/,
      ],
      [
        { kind: 'xyz', url: 'javascript:alert(1)//{z}/{x}/{y}', coords: 'wgs84' },
        'provider.url',
        /http/,
        /http/,
      ],
      [
        { kind: 'xyz', url: 'https://t.example.com/{z}/{x}/{y}.png?k={key}', coords: 'wgs84' },
        'provider.url',
        /\{key\}/,
        /unsupported placeholder/,
      ],
      [
        { kind: 'xyz', url: 'https://{s}.t.example.com/{z}/{x}/{y}.png', coords: 'wgs84' },
        'provider.url',
        /子域名/,
        /subdomains/,
      ],
      [
        {
          kind: 'xyz',
          url: 'https://t.example.com/{z}/{x}/{y}.png',
          coords: 'wgs84',
          attribution: '<img src=x onerror=alert(1)>',
        },
        'provider.attribution',
        /尖括号/,
        /angle brackets/,
      ],
      [
        { kind: 'xyz', url: 'https://t.example.com/{z}/{x}/{y}.png', coords: 'bd09' },
        'provider.coords',
        /./,
        /./,
      ],
      [{ kind: 'google' }, 'provider.kind', /./, /./],
    ];
    for (const [provider, path, zh, en] of cases) {
      const res = await office.put('/api/settings/map', { provider, version: 0 });
      expectError(res, 400, 'invalid');
      const err = res.json().error;
      const field = (err.fields as { path: string; message: string }[]).find((f) =>
        f.path.endsWith(path),
      );
      expect(field, `${JSON.stringify(provider)}: ${res.body}`).toBeDefined();
      expect(err.messageZh).toMatch(zh);
      expect(err.messageEn).toMatch(en);
    }
    expect((await office.get('/api/settings/map')).json().version).toBe(0);
  });

  it('saves 天地图 with its key, audits it, and every map reads its two layers', async () => {
    const res = await office.put('/api/settings/map', {
      provider: { kind: 'tianditu', key: ` ${TK} ` },
      version: 0,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      provider: { kind: 'tianditu', key: TK },
      version: 1,
      source: 'settings',
    });
    const pub = await publicMap();
    expect(pub.map.kind).toBe('tianditu');
    expect(pub.map.coords).toBe('wgs84');
    expect(pub.map.layers).toHaveLength(2);
    expect(pub.map.layers[0].url).toContain('LAYER=vec');
    expect(pub.map.layers[1].url).toContain('LAYER=cva');
    for (const l of pub.map.layers) expect(l.url).toContain(`tk=${TK}`);
    expect(pub.mapTileUrl).toBe(pub.map.layers[0].url);
    const [audit] = await execRows<{ entity_id: string; before: unknown; after: unknown }>(
      t.database.db,
      sql`select entity_id, before, after from audit_log
          where action = 'settings.map_provider' order by id desc limit 1`,
    );
    expect(audit).toEqual({
      entity_id: 'map_provider',
      before: { provider: { kind: 'none' }, source: 'environment' },
      after: { provider: { kind: 'tianditu', key: TK } },
    });
  });

  it('refuses a stale version with 409, then moves to 高德 (GCJ-02) and to an XYZ server', async () => {
    expectError(
      await office.put('/api/settings/map', { provider: { kind: 'osm' }, version: 0 }),
      409,
      'stale_version',
    );
    const amap = await office.put('/api/settings/map', { provider: { kind: 'amap' }, version: 1 });
    expect(amap.statusCode, amap.body).toBe(200);
    expect((await publicMap()).map).toMatchObject({ kind: 'amap', coords: 'gcj02' });
    const xyz = await office.put('/api/settings/map', {
      provider: {
        kind: 'xyz',
        url: '/tiles/{z}/{x}/{-y}.png',
        coords: 'wgs84',
        attribution: '本地瓦片 & 测绘院',
      },
      version: 2,
    });
    expect(xyz.statusCode, xyz.body).toBe(200);
    expect(xyz.json().provider).toEqual({
      kind: 'xyz',
      url: '/tiles/{z}/{x}/{-y}.png',
      coords: 'wgs84',
      attribution: '本地瓦片 & 测绘院',
      subdomains: '',
      maxZoom: 18,
    });
    expect((await publicMap()).map.layers[0].url).toBe('/tiles/{z}/{x}/{-y}.png');
  });

  it('is the city office’s: leaders read it, nobody below the city writes it', async () => {
    expect((await leader.get('/api/settings/map')).statusCode).toBe(200);
    const none = { provider: { kind: 'none' }, version: 3 };
    expectError(await leader.put('/api/settings/map', none), 403, 'forbidden');
    expectError(await districtOffice.put('/api/settings/map', none), 403, 'forbidden');
    expect((await t.app.inject('/api/settings/map')).statusCode).toBe(401);
    const back = await office.put('/api/settings/map', none);
    expect(back.statusCode, back.body).toBe(200);
    expect((await publicMap()).map).toEqual({ kind: 'none', coords: 'wgs84', layers: [] });
  });
});

describe('the public base geometry', () => {
  it('serves names and outlines only, without sign-in, revalidated by ETag', async () => {
    const empty = await t.app.inject('/api/map/base');
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toEqual({ jurisdiction: null, areas: [], box: null });

    expect(
      (
        await office.put(`/api/regions/${district.id}/boundary`, {
          version: district.version,
          geometry: rect(120.1, 30.2, 120.2, 30.3),
        })
      ).statusCode,
    ).toBe(200);
    const street = await buildRegion(t.database.db, {
      code: '330102001',
      name: '湖滨街道',
      level: 'street',
      parent: district,
    });
    expect(
      (
        await office.put(`/api/regions/${street.id}/boundary`, {
          version: street.version,
          geometry: rect(120.1, 30.2, 120.15, 30.25),
        })
      ).statusCode,
    ).toBe(200);
    const community = await buildRegion(t.database.db, {
      code: '330102001001',
      name: '湖滨社区',
      level: 'community',
      parent: street,
    });
    const grid = await office.post('/api/grids', {
      code: '330102001001001',
      name: '湖滨一网格',
      regionId: community.id,
      geometry: rect(120.11, 30.21, 120.12, 30.22),
      population: 1234,
      households: 456,
    });
    expect(grid.statusCode, grid.body).toBe(201);
    expect(
      (
        await office.put('/api/settings/jurisdiction', {
          name: '测试市',
          geometry: rect(120.0, 30.1, 120.3, 30.4),
        })
      ).statusCode,
    ).toBe(200);

    const res = await t.app.inject('/api/map/base');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.headers['cache-control']).toBe('public, no-cache');
    const base = res.json();
    expect(Object.keys(base).sort()).toEqual(['areas', 'box', 'jurisdiction']);
    expect(base.jurisdiction).toEqual({
      name: '测试市',
      label: [120.15, 30.25],
      geometry: rect(120.0, 30.1, 120.3, 30.4),
    });
    // Outer levels first; nothing but level, name, label and outline; no grids (they are not public).
    expect(base.areas.map((a: { level: string; name: string }) => [a.level, a.name])).toEqual([
      ['district', '上城区'],
      ['street', '湖滨街道'],
    ]);
    for (const a of base.areas)
      expect(Object.keys(a).sort()).toEqual(['geometry', 'label', 'level', 'name']);
    expect(res.body).not.toMatch(/330102|湖滨一网格|"id"|code|version/);
    expect(base.box).toEqual([120.0, 30.1, 120.3, 30.4]);

    // Unchanged: a 304. A change of any area: a new ETag.
    const etag = res.headers.etag as string;
    const again = await t.app.inject({ url: '/api/map/base', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const renamed = await office.patch(`/api/regions/${street.id}`, {
      name: '湖滨街道（新）',
      version: street.version + 1,
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const after = await t.app.inject({ url: '/api/map/base', headers: { 'if-none-match': etag } });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
    expect(after.body).toContain('湖滨街道（新）');
  });

  it('thins large boundaries to its vertex budget and stays small', async () => {
    // A district outline as surveyed: 40,000 vertices on a wobbly circle (~15 km across).
    const n = 40_000;
    const ring: [number, number][] = [];
    for (let i = 0; i < n; i++) {
      const a = (i / n) * 2 * Math.PI;
      const r = 0.07 + 0.002 * Math.sin(a * 90) + 0.0004 * Math.sin(a * 997);
      ring.push([120.5 + r * Math.cos(a), 30.5 + r * Math.sin(a) * 0.9]);
    }
    ring.push(ring[0]!);
    const big = await buildRegion(t.database.db, {
      code: '330105',
      name: '拱墅区',
      level: 'district',
      parent: city,
    });
    // As offices bring them: a GeoJSON file (1.6 MB) through the boundary import.
    const file = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { code: big.code },
          geometry: { type: 'Polygon', coordinates: [ring] },
        },
      ],
    });
    const put = await office.upload(
      '/api/regions/boundaries/import',
      Buffer.from(file),
      'districts.geojson',
    );
    expect(put.statusCode, put.body).toBe(200);
    const res = await t.app.inject('/api/map/base');
    const base = res.json();
    const drawn = base.areas.find((a: { name: string }) => a.name === '拱墅区');
    const kept = drawn.geometry.coordinates[0].length;
    expect(kept).toBeGreaterThan(100);
    expect(kept).toBeLessThan(4000);
    // Within the tolerance (15 m) of the original: every kept vertex is an original one, rounded.
    expect(drawn.geometry.coordinates[0][0]).toEqual([
      Math.round(ring[0]![0] * 1e5) / 1e5,
      Math.round(ring[0]![1] * 1e5) / 1e5,
    ]);
    expect(res.body.length).toBeLessThan(120_000);
    expect(gzipSync(res.body).length).toBeLessThan(40_000);
  });
});

describe('the grids in a view', () => {
  const VIEW = '?box=120.1,30.2,120.15,30.25';

  it('gives those who may see grids their names and outlines, by view', async () => {
    const res = await office.get(`/api/map/grids${VIEW}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      areas: [
        {
          level: 'grid',
          name: '湖滨一网格',
          label: [120.115, 30.215],
          geometry: rect(120.11, 30.21, 120.12, 30.22),
        },
      ],
      truncated: false,
    });
    expect(res.body).not.toMatch(/1234|456|330102001001001/);
    // A view elsewhere has none; the box index decides.
    expect((await office.get('/api/map/grids?box=121,31,121.1,31.1')).json().areas).toEqual([]);
    expect((await leader.get(`/api/map/grids${VIEW}`)).json().areas).toHaveLength(1);
  });

  it('keeps to the scope the grid list has: another district’s office sees none of them', async () => {
    const other = await buildRegion(t.database.db, {
      code: '330106',
      name: '西湖区',
      level: 'district',
      parent: city,
    });
    await buildUser(t.database.db, { username: 'm_other', roles: ['office'], regionId: other.id });
    const outsider = await t.login('m_other');
    const res = await outsider.get(`/api/map/grids${VIEW}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().areas).toEqual([]);
    expect((await districtOffice.get(`/api/map/grids${VIEW}`)).json().areas).toHaveLength(1);
    expect((await t.app.inject(`/api/map/grids${VIEW}`)).statusCode).toBe(401);
  });

  it('refuses a box that is not one, or too large to be a view, with a bilingual 400', async () => {
    for (const box of ['1,2,3', '120.2,30.2,120.1,30.3', '120,30,121,31', 'a,b,c,d', '']) {
      const res = await office.get(`/api/map/grids?box=${box}`);
      expectError(res, 400, 'invalid');
      expect(res.json().error.messageZh).toMatch(/范围|box/);
      expect(res.json().error.messageEn).toMatch(/box/);
    }
  });
});
