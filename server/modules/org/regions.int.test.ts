import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TRegion, TRegionLevel, TUnit } from '../../../core/contracts/org.js';
import { buildRegion, buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';

let t: TestApp;
let office: Agent;
let unitUser: Agent;
let inspector: Agent;

let seq = 0;
/** A fresh 12-digit region code (the factories use the 99… range). */
const code = () => String(110100000000 + ++seq);

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const unit = await buildUnit(db);
  await buildUser(db, { username: 'office1', roles: ['office'] });
  await buildUser(db, { username: 'unit1', roles: ['unit'], unitId: unit.id });
  await buildUser(db, { username: 'insp1', roles: ['inspector'] });
  office = await t.login('office1');
  unitUser = await t.login('unit1');
  inspector = await t.login('insp1');
});
afterAll(() => t.close());

async function create(level: TRegionLevel, parentId: number | null, name?: string) {
  const res = await office.post('/api/regions', {
    code: code(),
    name: name ?? `${level}-${seq + 1}`,
    level,
    parentId,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<TRegion>();
}

/** A city → district → street → community chain. */
async function chain() {
  const city = await create('city', null);
  const district = await create('district', city.id);
  const street = await create('street', district.id);
  const community = await create('community', street.id);
  return { city, district, street, community };
}

const listIds = async (query: string) =>
  (await office.get(`/api/regions?${query}`)).json<{ items: TRegion[] }>().items.map((r) => r.id);

const unitIdsIn = async (regionId: number) =>
  (await office.get(`/api/units?regionId=${regionId}&limit=500`))
    .json<{ items: TUnit[] }>()
    .items.map((u) => u.id)
    .sort((a, b) => a - b);

describe('regions: create and read', () => {
  it('creates city → district → street → community and reads them back', async () => {
    const { city, district, street, community } = await chain();
    expect(city).toMatchObject({ level: 'city', parentId: null, version: 1 });
    expect(district).toMatchObject({ level: 'district', parentId: city.id });
    expect(street).toMatchObject({ level: 'street', parentId: district.id });
    expect(community).toMatchObject({ level: 'community', parentId: street.id });

    const got = await office.get(`/api/regions/${community.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.json()).toEqual(community);
    expect(await listIds(`parentId=${city.id}`)).toEqual([district.id]);
    expect(await listIds(`parentId=${street.id}`)).toEqual([community.id]);
    expect(await listIds('level=street')).toContain(street.id);
    expect(await listIds('level=street')).not.toContain(district.id);
    expect(await listIds(`q=${encodeURIComponent(community.name)}`)).toEqual([community.id]);
    expect(await listIds(`q=${community.code}`)).toEqual([community.id]);
  });

  it('answers 404 for an unknown region id and 400 for a malformed one', async () => {
    const missing = await office.get('/api/regions/987654');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
    const bad = await office.get('/api/regions/abc');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.map((f: { path: string }) => f.path)).toContain('params.id');
  });
});

describe('regions: level rules', () => {
  it('rejects a region whose parent is not exactly one level above', async () => {
    const city = await create('city', null);
    const district = await create('district', city.id);
    const cases = [
      { level: 'street', parentId: city.id },
      { level: 'community', parentId: district.id },
      { level: 'city', parentId: city.id },
      { level: 'district', parentId: district.id },
    ];
    for (const c of cases) {
      const res = await office.post('/api/regions', { code: code(), name: '层级错误', ...c });
      expect(res.statusCode, JSON.stringify(c)).toBe(400);
      expect(res.json().error.code).toBe('invalid');
    }
    expect(await listIds(`q=${encodeURIComponent('层级错误')}`)).toEqual([]);
  });

  it('rejects a non-city region without a parent', async () => {
    for (const level of ['district', 'street', 'community']) {
      const res = await office.post('/api/regions', {
        code: code(),
        name: '无上级',
        level,
        parentId: null,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.messageEn).toContain('only a city-level region may have no parent');
    }
    const { district } = await chain();
    const detach = await office.patch(`/api/regions/${district.id}`, {
      parentId: null,
      version: 1,
    });
    expect(detach.statusCode).toBe(400);
    expect((await office.get(`/api/regions/${district.id}`)).json().parentId).toBe(
      district.parentId,
    );
  });
});

describe('regions: conflicts and references', () => {
  it('answers 409 for a duplicate code, on create and on update', async () => {
    const a = await create('city', null);
    const b = await create('city', null);
    const dup = await office.post('/api/regions', {
      code: a.code,
      name: '重复代码',
      level: 'city',
      parentId: null,
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('duplicate');
    const patch = await office.patch(`/api/regions/${b.id}`, { code: a.code, version: b.version });
    expect(patch.statusCode).toBe(409);
    expect((await office.get(`/api/regions/${b.id}`)).json().code).toBe(b.code);
  });

  it('answers 404 for an unknown parent', async () => {
    const res = await office.post('/api/regions', {
      code: code(),
      name: '孤儿区县',
      level: 'district',
      parentId: 987654,
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.messageEn).toContain('parent region not found');
    const { district } = await chain();
    const patch = await office.patch(`/api/regions/${district.id}`, {
      parentId: 987654,
      version: 1,
    });
    expect(patch.statusCode).toBe(404);
    const unknown = await office.patch('/api/regions/987654', { name: 'x', version: 1 });
    expect(unknown.statusCode).toBe(404);
  });

  it('rejects a PATCH based on a stale version and changes nothing', async () => {
    const city = await create('city', null, '版本市');
    const first = await office.patch(`/api/regions/${city.id}`, { name: '版本市二', version: 1 });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ name: '版本市二', version: 2 });
    const stale = await office.patch(`/api/regions/${city.id}`, { name: '版本市三', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('stale_version');
    const now = (await office.get(`/api/regions/${city.id}`)).json<TRegion>();
    expect(now).toMatchObject({ name: '版本市二', version: 2 });
    expect(now.updatedAt).toBe(first.json().updatedAt);
  });
});

describe('regions: moving subtrees', () => {
  it('moves a district with its descendants to another city', async () => {
    const a = await chain();
    const b = await create('city', null);
    const db = t.database.db;
    const atCity = await buildUnit(db, { regionId: a.city.id });
    const atStreet = await buildUnit(db, { regionId: a.street.id });
    const atCommunity = await buildUnit(db, { regionId: a.community.id });
    const moved = [atStreet.id, atCommunity.id].sort((x, y) => x - y);
    expect(await unitIdsIn(a.city.id)).toEqual([atCity.id, ...moved].sort((x, y) => x - y));

    const res = await office.patch(`/api/regions/${a.district.id}`, {
      parentId: b.id,
      version: a.district.version,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ parentId: b.id, version: 2 });

    expect(await listIds(`parentId=${b.id}`)).toEqual([a.district.id]);
    expect(await listIds(`parentId=${a.city.id}`)).toEqual([]);
    expect(await listIds(`parentId=${a.district.id}`)).toEqual([a.street.id]);
    expect(await listIds(`parentId=${a.street.id}`)).toEqual([a.community.id]);
    expect(await unitIdsIn(b.id)).toEqual(moved);
    expect(await unitIdsIn(a.city.id)).toEqual([atCity.id]);
    expect(await unitIdsIn(a.district.id)).toEqual(moved);

    // A second move, deeper in the already moved subtree, keeps the paths consistent.
    const district2 = await create('district', a.city.id);
    const street = (await office.get(`/api/regions/${a.street.id}`)).json<TRegion>();
    const again = await office.patch(`/api/regions/${street.id}`, {
      parentId: district2.id,
      version: street.version,
    });
    expect(again.statusCode).toBe(200);
    expect(await unitIdsIn(a.city.id)).toEqual([atCity.id, ...moved].sort((x, y) => x - y));
    expect(await unitIdsIn(district2.id)).toEqual(moved);
    expect(await unitIdsIn(b.id)).toEqual([]);
    expect(await listIds(`parentId=${a.street.id}`)).toEqual([a.community.id]);
  });

  it('refuses to move a region under itself or one of its descendants', async () => {
    const { city, district, street } = await chain();
    const region = await buildRegion(t.database.db, { level: 'city' });
    for (const parentId of [district.id, street.id]) {
      const res = await office.patch(`/api/regions/${district.id}`, { parentId, version: 1 });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('cycle');
    }
    const self = await office.patch(`/api/regions/${region.id}`, {
      parentId: region.id,
      version: 1,
    });
    expect(self.statusCode).toBe(400);
    expect(self.json().error.code).toBe('cycle');
    const now = (await office.get(`/api/regions/${district.id}`)).json<TRegion>();
    expect(now).toMatchObject({ parentId: city.id, version: 1 });
    expect(await listIds(`parentId=${street.id}`)).toHaveLength(1);
  });
});

describe('regions: delete', () => {
  it('refuses to delete a region used by a child, a unit or a user', async () => {
    const { city, street } = await chain();
    const db = t.database.db;
    const withUnit = await create('city', null);
    await buildUnit(db, { regionId: withUnit.id });
    const withUser = await create('city', null);
    await buildUser(db, { roles: ['grid_worker'], regionId: withUser.id });
    for (const r of [city, street, withUnit, withUser]) {
      const res = await office.delete(`/api/regions/${r.id}?version=${r.version}`);
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('in_use');
      expect((await office.get(`/api/regions/${r.id}`)).statusCode).toBe(200);
    }
  });

  it('deletes an unused region with the right version only', async () => {
    const { community } = await chain();
    const stale = await office.delete(`/api/regions/${community.id}?version=7`);
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('stale_version');
    const noVersion = await office.delete(`/api/regions/${community.id}`);
    expect(noVersion.statusCode).toBe(400);
    const res = await office.delete(`/api/regions/${community.id}?version=1`);
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect((await office.get(`/api/regions/${community.id}`)).statusCode).toBe(404);
    expect((await office.delete(`/api/regions/${community.id}?version=1`)).statusCode).toBe(404);
  });
});

describe('regions: permissions', () => {
  it('lets unit and inspector users read but not write', async () => {
    const city = await create('city', null);
    for (const agent of [unitUser, inspector]) {
      const list = await agent.get('/api/regions');
      expect(list.statusCode).toBe(200);
      expect(list.json().items.map((r: TRegion) => r.id)).toContain(city.id);
      expect((await agent.get(`/api/regions/${city.id}`)).statusCode).toBe(200);
      const writes = [
        await agent.post('/api/regions', {
          code: code(),
          name: '越权',
          level: 'city',
          parentId: null,
        }),
        await agent.patch(`/api/regions/${city.id}`, { name: '越权', version: 1 }),
        await agent.delete(`/api/regions/${city.id}?version=1`),
      ];
      for (const w of writes) {
        expect(w.statusCode).toBe(403);
        expect(w.json().error.code).toBe('forbidden');
      }
    }
    expect((await office.get(`/api/regions/${city.id}`)).json()).toEqual(city);
  });

  it('requires a session, and the CSRF token on writes', async () => {
    expect((await t.app.inject('/api/regions')).statusCode).toBe(401);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/regions',
      headers: { cookie: office.cookie },
      payload: { code: code(), name: '无令牌', level: 'city', parentId: null },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('csrf');
  });
});

describe('regions: input validation', () => {
  const paths = (body: { error: { fields: { path: string }[] } }) =>
    body.error.fields.map((f) => f.path);

  it('answers 400 listing every bad field', async () => {
    const res = await office.post('/api/regions', { code: 123, name: '', level: 'planet' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid');
    expect(paths(res.json())).toEqual(
      expect.arrayContaining(['body.code', 'body.name', 'body.level', 'body.parentId']),
    );
    const badCode = await office.post('/api/regions', {
      code: '12ab',
      name: '坏代码',
      level: 'city',
      parentId: null,
    });
    expect(badCode.statusCode).toBe(400);
    expect(paths(badCode.json())).toEqual(['body.code']);
    const stringParent = await office.post('/api/regions', {
      code: code(),
      name: '字符串上级',
      level: 'district',
      parentId: '1',
    });
    expect(stringParent.statusCode).toBe(400);
    expect(paths(stringParent.json())).toEqual(['body.parentId']);
  });

  it('requires a version on PATCH and validates the query string', async () => {
    const city = await create('city', null);
    const res = await office.patch(`/api/regions/${city.id}`, { name: '没有版本' });
    expect(res.statusCode).toBe(400);
    expect(paths(res.json())).toEqual(['body.version']);
    const q = await office.get('/api/regions?parentId=abc&level=planet');
    expect(q.statusCode).toBe(400);
    expect(paths(q.json())).toEqual(
      expect.arrayContaining(['querystring.parentId', 'querystring.level']),
    );
    expect((await office.get(`/api/regions/${city.id}`)).json().name).toBe(city.name);
  });
});
