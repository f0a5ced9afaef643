import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TUnit } from '../../../core/contracts/org.js';
import { buildRegion, buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type Res, type TestApp } from '../../test/harness.js';

let t: TestApp;
let office: Agent;
let unitUser: Agent;
let inspector: Agent;

interface Page {
  items: TUnit[];
  nextCursor: string | null;
  total: number;
}

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const own = await buildUnit(db, { code: 'OWN-UNIT', name: '本单位' });
  await buildUser(db, { username: 'office1', roles: ['office'] });
  await buildUser(db, { username: 'unit1', roles: ['unit'], unitId: own.id });
  await buildUser(db, { username: 'insp1', roles: ['inspector'] });
  office = await t.login('office1');
  unitUser = await t.login('unit1');
  inspector = await t.login('insp1');
});
afterAll(() => t.close());

async function create(body: Record<string, unknown>): Promise<TUnit> {
  const res = await office.post('/api/units', { type: 'other', ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<TUnit>();
}

const get = async (id: number) => (await office.get(`/api/units/${id}`)).json<TUnit>();
const errorCode = (res: Res) => res.json().error.code as string;

describe('units: CRUD', () => {
  it('creates, reads, updates and deletes a unit', async () => {
    const region = await buildRegion(t.database.db, { name: '增删改查市' });
    const parent = await create({ code: 'CRUD-P', name: '增删改查上级' });
    const created = await create({
      code: 'CRUD-1',
      name: '增删改查单位',
      shortName: '增删',
      type: 'school',
      regionId: region.id,
      contactName: '张三',
      contactPhone: '13800000001',
      address: '人民路1号',
    });
    expect(created).toMatchObject({
      code: 'CRUD-1',
      type: 'school',
      regionId: region.id,
      regionName: '增删改查市',
      parentId: null,
      parentName: null,
      active: true,
      version: 1,
    });
    expect(await get(created.id)).toEqual(created);

    const patched = await office.patch(`/api/units/${created.id}`, {
      name: '增删改查单位（改）',
      parentId: parent.id,
      contactPhone: '0931-1234567',
      version: 1,
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({
      name: '增删改查单位（改）',
      parentId: parent.id,
      parentName: '增删改查上级',
      contactPhone: '0931-1234567',
      shortName: '增删',
      version: 2,
    });
    expect(await get(created.id)).toEqual(patched.json());

    const del = await office.delete(`/api/units/${created.id}?version=2`);
    expect(del.statusCode).toBe(204);
    expect((await office.get(`/api/units/${created.id}`)).statusCode).toBe(404);
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    const res = await office.get('/api/units/987654');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.messageEn).toContain('unit not found');
    expect((await office.get('/api/units/0')).statusCode).toBe(400);
    expect(
      (await office.patch('/api/units/987654', { name: '不存在', version: 1 })).statusCode,
    ).toBe(404);
    expect((await office.delete('/api/units/987654?version=1')).statusCode).toBe(404);
  });

  it('validates the body and lists the bad fields', async () => {
    const res = await office.post('/api/units', {
      code: 'bad code!',
      name: 'x',
      type: 'planet',
      contactPhone: '12345',
    });
    expect(res.statusCode).toBe(400);
    const paths = res.json().error.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining(['body.code', 'body.name', 'body.type', 'body.contactPhone']),
    );
  });
});

describe('units: conflicts and references', () => {
  it('answers 409 for a duplicate code or name', async () => {
    const a = await create({ code: 'DUP-A', name: '重复甲' });
    const b = await create({ code: 'DUP-B', name: '重复乙' });
    const sameCode = await office.post('/api/units', {
      code: 'DUP-A',
      name: '重复丙',
      type: 'other',
    });
    expect(sameCode.statusCode).toBe(409);
    expect(sameCode.json().error.messageEn).toContain('code "DUP-A"');
    const sameName = await office.post('/api/units', {
      code: 'DUP-C',
      name: '重复甲',
      type: 'other',
    });
    expect(sameName.statusCode).toBe(409);
    expect(sameName.json().error.messageEn).toContain('name "重复甲"');
    const rename = await office.patch(`/api/units/${b.id}`, { name: '重复甲', version: 1 });
    expect(rename.statusCode).toBe(409);
    const recode = await office.patch(`/api/units/${b.id}`, { code: 'DUP-A', version: 1 });
    expect(recode.statusCode).toBe(409);
    // Keeping its own code and name is no clash.
    const same = await office.patch(`/api/units/${a.id}`, {
      code: 'DUP-A',
      name: '重复甲',
      version: 1,
    });
    expect(same.statusCode).toBe(200);
    expect(await get(b.id)).toMatchObject({ code: 'DUP-B', name: '重复乙', version: 1 });
    const total = (await office.get('/api/units?q=DUP-')).json<Page>().total;
    expect(total).toBe(2);
  });

  it('answers 404 for an unknown region or parent', async () => {
    const region = await office.post('/api/units', {
      code: 'REF-1',
      name: '未知区划单位',
      type: 'other',
      regionId: 987654,
    });
    expect(region.statusCode).toBe(404);
    expect(region.json().error.messageEn).toContain('region not found');
    const parent = await office.post('/api/units', {
      code: 'REF-1',
      name: '未知上级单位',
      type: 'other',
      parentId: 987654,
    });
    expect(parent.statusCode).toBe(404);
    expect(parent.json().error.messageEn).toContain('parent unit not found');
    const u = await create({ code: 'REF-2', name: '引用单位' });
    expect(
      (await office.patch(`/api/units/${u.id}`, { regionId: 987654, version: 1 })).statusCode,
    ).toBe(404);
    expect(
      (await office.patch(`/api/units/${u.id}`, { parentId: 987654, version: 1 })).statusCode,
    ).toBe(404);
    expect((await office.get('/api/units?q=REF-')).json<Page>().total).toBe(1);
  });

  it('refuses to make a unit its own ancestor', async () => {
    const a = await create({ code: 'CYC-A', name: '循环甲' });
    const b = await create({ code: 'CYC-B', name: '循环乙', parentId: a.id });
    const c = await create({ code: 'CYC-C', name: '循环丙', parentId: b.id });
    for (const parentId of [a.id, b.id, c.id]) {
      const res = await office.patch(`/api/units/${a.id}`, { parentId, version: 1 });
      expect(res.statusCode).toBe(400);
      expect(errorCode(res)).toBe('cycle');
    }
    expect(await get(a.id)).toMatchObject({ parentId: null, version: 1 });
    // Moving a leaf elsewhere is fine.
    const ok = await office.patch(`/api/units/${c.id}`, { parentId: a.id, version: 1 });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().parentName).toBe('循环甲');
  });

  it('rejects a stale version and changes nothing', async () => {
    const u = await create({ code: 'VER-1', name: '版本单位' });
    expect(
      (await office.patch(`/api/units/${u.id}`, { name: '版本单位二', version: 1 })).statusCode,
    ).toBe(200);
    const stale = await office.patch(`/api/units/${u.id}`, { name: '版本单位三', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(errorCode(stale)).toBe('stale_version');
    expect(await get(u.id)).toMatchObject({ name: '版本单位二', version: 2 });
    const staleDelete = await office.delete(`/api/units/${u.id}?version=1`);
    expect(staleDelete.statusCode).toBe(409);
    expect((await office.get(`/api/units/${u.id}`)).statusCode).toBe(200);
  });

  it('lets exactly one of two concurrent PATCHes with the same version win', async () => {
    const u = await create({ code: 'RACE-1', name: '并发单位' });
    const results = await Promise.all([
      office.patch(`/api/units/${u.id}`, { name: '并发单位甲', version: 1 }),
      office.patch(`/api/units/${u.id}`, { name: '并发单位乙', version: 1 }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const winner = results.find((r) => r.statusCode === 200)!.json<TUnit>();
    expect(await get(u.id)).toMatchObject({ name: winner.name, version: 2 });
  });

  it('refuses to delete a unit that has sub-units or users', async () => {
    const parent = await create({ code: 'USE-P', name: '被引用上级' });
    await create({ code: 'USE-C', name: '被引用下级', parentId: parent.id });
    const staffed = await create({ code: 'USE-U', name: '有用户单位' });
    await buildUser(t.database.db, { roles: ['unit'], unitId: staffed.id });
    for (const u of [parent, staffed]) {
      const res = await office.delete(`/api/units/${u.id}?version=1`);
      expect(res.statusCode).toBe(409);
      expect(errorCode(res)).toBe('in_use');
      expect((await office.get(`/api/units/${u.id}`)).statusCode).toBe(200);
    }
  });
});

describe('units: permissions', () => {
  it('lets every role read the directory but only the office write', async () => {
    const u = await create({ code: 'PERM-1', name: '权限单位' });
    for (const agent of [unitUser, inspector]) {
      expect((await agent.get(`/api/units/${u.id}`)).statusCode).toBe(200);
      expect((await agent.get('/api/units?q=PERM-')).json<Page>().total).toBe(1);
      const writes = [
        await agent.post('/api/units', { code: 'PERM-2', name: '越权单位', type: 'other' }),
        await agent.patch(`/api/units/${u.id}`, { name: '越权改名', version: 1 }),
        await agent.delete(`/api/units/${u.id}?version=1`),
      ];
      for (const w of writes) expect(w.statusCode).toBe(403);
    }
    expect(await get(u.id)).toEqual(u);
  });
});

describe('units: list', () => {
  let city: number;
  let district: number;
  let other: number;
  const set: TUnit[] = [];

  beforeAll(async () => {
    const db = t.database.db;
    const c = await buildRegion(db, { level: 'city' });
    const d = await buildRegion(db, { level: 'district', parent: c });
    const o = await buildRegion(db, { level: 'city' });
    [city, district, other] = [c.id, d.id, o.id];
    // Created out of name order, so sorting by name differs from sorting by id.
    const specs = [
      { letter: 'd', type: 'school', regionId: district },
      { letter: 'a', type: 'hospital', regionId: city },
      { letter: 'f', type: 'school', regionId: other, active: false },
      { letter: 'b', type: 'school', regionId: district },
      { letter: 'g', type: 'enterprise', regionId: null },
      { letter: 'c', type: 'hospital', regionId: other },
      { letter: 'e', type: 'school', regionId: city, active: false },
    ];
    for (const s of specs) {
      set.push(
        await create({
          code: `LST-${s.letter.toUpperCase()}`,
          name: `列表单位 ${s.letter}`,
          shortName: s.letter === 'g' ? '简称独特' : null,
          type: s.type,
          regionId: s.regionId,
          active: s.active ?? true,
        }),
      );
    }
  });

  const ids = async (query: string) => {
    const res = await office.get(`/api/units?limit=500&${query}`);
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json<Page>();
    expect(page.total).toBe(page.items.length);
    return page.items.map((u) => u.id);
  };
  const byLetters = (letters: string) =>
    set.filter((u) => letters.includes(u.name.slice(-1))).map((u) => u.id);

  it('filters by q on name, code and short name', async () => {
    expect(await ids(`q=${encodeURIComponent('列表单位')}`)).toEqual(set.map((u) => u.id));
    expect(await ids('q=lst-b')).toEqual(byLetters('b'));
    expect(await ids(`q=${encodeURIComponent('列表单位 c')}`)).toEqual(byLetters('c'));
    expect(await ids(`q=${encodeURIComponent('简称独特')}`)).toEqual(byLetters('g'));
    expect(await ids('q=%25')).toEqual([]);
    expect(await ids('q=nothing-matches')).toEqual([]);
  });

  it('filters by type, region subtree and active flag, combined', async () => {
    const q = `q=LST-`;
    expect(await ids(`${q}&type=school`)).toEqual(byLetters('dfbe'));
    expect(await ids(`${q}&regionId=${city}`)).toEqual(byLetters('dabe'));
    expect(await ids(`${q}&regionId=${district}`)).toEqual(byLetters('db'));
    expect(await ids(`${q}&regionId=${other}`)).toEqual(byLetters('fc'));
    expect(await ids(`${q}&active=false`)).toEqual(byLetters('fe'));
    expect(await ids(`${q}&active=true&type=school&regionId=${city}`)).toEqual(byLetters('db'));
    expect((await office.get('/api/units?type=planet')).statusCode).toBe(400);
    expect((await office.get('/api/units?active=maybe')).statusCode).toBe(400);
  });

  it('sorts by name in both directions', async () => {
    const asc = (await office.get('/api/units?q=LST-&sort=name')).json<Page>().items;
    expect(asc.map((u) => u.name.slice(-1)).join('')).toBe('abcdefg');
    const desc = (await office.get('/api/units?q=LST-&sort=name&order=desc')).json<Page>().items;
    expect(desc.map((u) => u.name.slice(-1)).join('')).toBe('gfedcba');
    const byId = (await office.get('/api/units?q=LST-&order=desc')).json<Page>().items;
    expect(byId.map((u) => u.id)).toEqual(set.map((u) => u.id).reverse());
  });

  it('walks every page via nextCursor without duplicates or gaps', async () => {
    const orders = ['sort=id', 'sort=name', 'sort=name&order=desc', 'sort=code&order=desc'];
    for (const order of orders) {
      const full = await ids(`q=LST-&${order}`);
      expect(full).toHaveLength(7);
      for (const limit of [1, 2, 3]) {
        const walked: number[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const c: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
          const res = await office.get(`/api/units?q=LST-&${order}&limit=${limit}${c}`);
          expect(res.statusCode).toBe(200);
          const page = res.json<Page>();
          expect(page.total).toBe(7);
          expect(page.items.length).toBeLessThanOrEqual(limit);
          walked.push(...page.items.map((u) => u.id));
          cursor = page.nextCursor;
          pages++;
        } while (cursor && pages < 20);
        expect(walked, `${order} limit ${limit}`).toEqual(full);
        expect(pages).toBe(Math.ceil(7 / limit));
      }
    }
  });

  it('answers 400 for an invalid cursor or limit', async () => {
    const garbage = await office.get('/api/units?cursor=not-a-cursor');
    expect(garbage.statusCode).toBe(400);
    expect(errorCode(garbage)).toBe('invalid_cursor');
    const wrongShape = Buffer.from(JSON.stringify({ id: 1 })).toString('base64url');
    expect(errorCode(await office.get(`/api/units?cursor=${wrongShape}`))).toBe('invalid_cursor');
    expect((await office.get('/api/units?limit=0')).statusCode).toBe(400);
    expect((await office.get('/api/units?limit=501')).statusCode).toBe(400);
    expect((await office.get('/api/units?sort=password')).statusCode).toBe(400);
  });
});
