import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TImportResult } from '../../../core/contracts/common.js';
import type { TUnit, TUser } from '../../../core/contracts/org.js';
import { buildRegion, buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type Res, type TestApp } from '../../test/harness.js';

// Issue #20, item 3 — 分级管理 (administration by level): a district office (区创建办) manages the
// users and units of its own subtree; the city office manages everything, and the city-level
// records (集体责任方, and for now 门前三包 and 包联) stay the city's.

let t: TestApp;
let cityOffice: Agent;
let district: Agent;
const ids = {} as {
  city: number;
  r1: number;
  s1: number;
  r2: number;
  unitA: number;
  unitB: number;
  cityUnit: number;
  inspectorR2: number;
  unitUserA: number;
  unitUserB: number;
  cityOfficeUser: number;
};
type Page<T> = { items: T[]; total: number };
const PASSWORD = 'Level@2026pw';

function expectStatus(res: Res, status: number): Res {
  expect(res.statusCode, res.body).toBe(status);
  return res;
}

/** The error of a refusal: its code and both messages. */
function refusal(res: Res, status: number, code: string) {
  expectStatus(res, status);
  const e = res.json<{ error: { code: string; messageZh: string; messageEn: string } }>().error;
  expect(e.code).toBe(code);
  return e;
}

/** What the city office sees of a username (0 or 1 users). */
async function usersNamed(username: string): Promise<TUser[]> {
  return (await cityOffice.get(`/api/users?q=${username}`)).json<Page<TUser>>().items;
}

async function sheet(name: string, headers: string[], rows: (string | null)[][]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(name);
  ws.addRow(headers);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
const USER_HEADERS = [
  '用户名',
  '姓名',
  '手机号',
  '所属单位',
  '所属区划',
  '角色',
  '初始密码',
  '状态',
];
const UNIT_HEADERS = ['单位代码', '单位名称', '简称', '单位类型', '所属区划', '上级单位'];

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const city = await buildRegion(db, { name: '级市', level: 'city' });
  const r1 = await buildRegion(db, { name: '级甲区', level: 'district', parent: city });
  const s1 = await buildRegion(db, { name: '级甲街道', level: 'street', parent: r1 });
  const r2 = await buildRegion(db, { name: '级乙区', level: 'district', parent: city });
  const unitA = await buildUnit(db, { name: '甲街道办', code: 'LV-A', regionId: s1.id });
  const unitB = await buildUnit(db, { name: '乙区城管局', code: 'LV-B', regionId: r2.id });
  const cityUnit = await buildUnit(db, { name: '市级单位', code: 'LV-C', regionId: null });
  await buildUser(db, { username: 'lvcity', roles: ['office'] });
  await buildUser(db, { username: 'lvdistrict', roles: ['office'], regionId: r1.id });
  const inspectorR2 = await buildUser(db, {
    username: 'lvinsp2',
    roles: ['inspector'],
    regionId: r2.id,
  });
  const unitUserA = await buildUser(db, { username: 'lvunita', roles: ['unit'], unitId: unitA.id });
  const unitUserB = await buildUser(db, { username: 'lvunitb', roles: ['unit'], unitId: unitB.id });
  const cityOfficeUser = await buildUser(db, { username: 'lvcity2', roles: ['office'] });
  Object.assign(ids, {
    city: city.id,
    r1: r1.id,
    s1: s1.id,
    r2: r2.id,
    unitA: unitA.id,
    unitB: unitB.id,
    cityUnit: cityUnit.id,
    inspectorR2: inspectorR2.id,
    unitUserA: unitUserA.id,
    unitUserB: unitUserB.id,
    cityOfficeUser: cityOfficeUser.id,
  });
  cityOffice = await t.login('lvcity');
  district = await t.login('lvdistrict');
});
afterAll(() => t.close());

const newUser = (username: string, o: Record<string, unknown>) => ({
  username,
  name: `用户${username}`,
  password: PASSWORD,
  roles: ['inspector'],
  ...o,
});

describe('a district office administers the users of its subtree', () => {
  it('creates its own people: field staff in its street, unit users of its units, offices below', async () => {
    const made = [
      newUser('lvnew1', { regionId: ids.s1 }),
      newUser('lvnew2', { roles: ['unit'], unitId: ids.unitA }),
      newUser('lvnew3', { roles: ['office'], regionId: ids.s1 }),
      newUser('lvnew4', { roles: ['leader', 'grid_worker'], regionId: ids.r1 }),
    ];
    for (const body of made) {
      const u = expectStatus(await district.post('/api/users', body), 201).json<TUser>();
      expect(u.roles).toEqual(body.roles);
    }
    // The new street office is held at the street: below the city, as its creator.
    const street = await t.login('lvnew3', PASSWORD);
    const me = (await street.get('/api/auth/me')).json<{ user: { regionLevel: string } }>();
    expect(me.user.regionLevel).toBe('street');
  });

  it('refuses a user placed in another district, or nowhere, and writes nothing', async () => {
    const cases = [
      newUser('lvout1', { regionId: ids.r2 }),
      newUser('lvout2', { roles: ['unit'], unitId: ids.unitB }),
      newUser('lvout3', { roles: ['unit'], unitId: ids.cityUnit }),
      newUser('lvout4', { regionId: ids.s1, unitId: ids.unitB }),
      newUser('lvout5', { roles: ['unit', 'surveyor'], unitId: ids.unitA }),
    ];
    for (const body of cases) {
      const e = refusal(await district.post('/api/users', body), 403, 'outside_jurisdiction');
      expect(e.messageZh).toContain('不在本级创建办的辖区内');
      expect(e.messageEn).toContain("outside this office's jurisdiction");
      expect(await usersNamed(body.username)).toEqual([]);
    }
  });

  it('never grants admin or volunteer, nor an office or leader above itself', async () => {
    const admin = refusal(
      await district.post('/api/users', newUser('lvadm', { roles: ['admin'], regionId: ids.s1 })),
      403,
      'role_not_grantable',
    );
    expect(admin.messageZh).toContain('系统管理员');
    expect(admin.messageEn).toContain('Administrator');
    refusal(
      await district.post(
        '/api/users',
        newUser('lvvol', { roles: ['volunteer'], regionId: ids.s1 }),
      ),
      403,
      'role_not_grantable',
    );
    // An office with no region is the city's office; one held at the city region too.
    const cityLevel = refusal(
      await district.post('/api/users', newUser('lvcityoff', { roles: ['office'] })),
      403,
      'outside_jurisdiction',
    );
    expect(cityLevel.messageZh).toContain('市级账号');
    expect(cityLevel.messageEn).toContain('city-level account');
    refusal(
      await district.post(
        '/api/users',
        newUser('lvcityoff2', { roles: ['leader'], regionId: ids.city }),
      ),
      403,
      'outside_jurisdiction',
    );
    for (const u of ['lvadm', 'lvvol', 'lvcityoff', 'lvcityoff2']) {
      expect(await usersNamed(u)).toEqual([]);
    }
  });

  it('sees the people of its units, and never another district’s or the city’s', async () => {
    const listed = (await district.get('/api/users?limit=200')).json<Page<TUser>>().items;
    const listedIds = listed.map((u) => u.id);
    expect(listedIds).toContain(ids.unitUserA);
    for (const id of [ids.unitUserB, ids.inspectorR2, ids.cityOfficeUser]) {
      expect(listedIds).not.toContain(id);
    }
  });

  it('cannot edit, deactivate or reset another district’s user or the city office', async () => {
    for (const id of [ids.inspectorR2, ids.unitUserB, ids.cityOfficeUser]) {
      expectStatus(await district.patch(`/api/users/${id}`, { active: false, version: 1 }), 404);
      expectStatus(
        await district.post(`/api/users/${id}/reset-password`, { password: PASSWORD, version: 1 }),
        404,
      );
      const u = (await cityOffice.get(`/api/users/${id}`)).json<TUser>();
      expect(u).toMatchObject({ active: true, version: 1 });
    }
  });

  it('edits its own people within its subtree only', async () => {
    const own = (await district.get(`/api/users/${ids.unitUserA}`)).json<TUser>();
    // Moving the user out of the subtree, or making it a city-level office, is refused.
    refusal(
      await district.patch(`/api/users/${own.id}`, { unitId: ids.unitB, version: own.version }),
      403,
      'outside_jurisdiction',
    );
    refusal(
      await district.patch(`/api/users/${own.id}`, {
        roles: ['unit', 'office'],
        version: own.version,
      }),
      403,
      'outside_jurisdiction',
    );
    refusal(
      await district.patch(`/api/users/${own.id}`, { roles: ['admin'], version: own.version }),
      403,
      'role_not_grantable',
    );
    const off = expectStatus(
      await district.patch(`/api/users/${own.id}`, { active: false, version: own.version }),
      200,
    ).json<TUser>();
    expect(off).toMatchObject({ active: false, unitId: ids.unitA, roles: ['unit'] });
    expectStatus(
      await district.post(`/api/users/${own.id}/reset-password`, {
        password: PASSWORD,
        version: off.version,
      }),
      200,
    );
  });

  it('imports a users sheet all or nothing: a row in another district fails the file', async () => {
    const file = await sheet('用户', USER_HEADERS, [
      ['lvimp1', '导入一', null, null, '级甲街道', '测评员', PASSWORD, '启用'],
      ['lvimp2', '导入二', null, null, '级乙区', '测评员', PASSWORD, '启用'],
      ['lvimp3', '导入三', null, '乙区城管局', null, '责任单位', PASSWORD, '启用'],
      ['lvinsp2', '改别区的人', null, null, '级甲街道', '测评员', null, '启用'],
      ['lvimp4', '市级创建办', null, null, null, '创建办', PASSWORD, '启用'],
    ]);
    const res = expectStatus(await district.upload('/api/users/import', file), 422);
    const rows = res.json<{ error: { rows: { row: number; column: string; reason: string }[] } }>()
      .error.rows;
    expect(rows.map((r) => [r.row, r.column])).toEqual([
      [3, '所属区划'],
      [4, '所属单位'],
      [5, '用户名'],
      [6, '所属区划'],
    ]);
    expect(rows[0]!.reason).toContain('不在本级创建办的辖区内');
    expect(rows[0]!.reason).toContain("outside this office's jurisdiction");
    for (const u of ['lvimp1', 'lvimp2', 'lvimp3', 'lvimp4']) {
      expect(await usersNamed(u)).toEqual([]);
    }
    expect((await cityOffice.get(`/api/users/${ids.inspectorR2}`)).json<TUser>().name).not.toBe(
      '改别区的人',
    );
    // The same sheet without the bad rows goes in.
    const good = await sheet('用户', USER_HEADERS, [
      ['lvimp1', '导入一', null, null, '级甲街道', '测评员', PASSWORD, '启用'],
      ['lvimp5', '导入五', null, '甲街道办', null, '责任单位', PASSWORD, '启用'],
    ]);
    const done = expectStatus(await district.upload('/api/users/import', good), 200);
    expect(done.json<TImportResult>()).toMatchObject({ imported: 2, created: 2 });
  });

  it('exports only its own people', async () => {
    const res = expectStatus(await district.get('/api/users/export.xlsx'), 200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const names: string[] = [];
    wb.worksheets[0]!.eachRow((row, n) => {
      if (n > 1) names.push(row.getCell(1).text);
    });
    expect(names).toContain('lvunita');
    for (const u of ['lvinsp2', 'lvunitb', 'lvcity', 'lvcity2']) expect(names).not.toContain(u);
  });
});

describe('a district office administers the units of its subtree', () => {
  const unit = (code: string, o: Record<string, unknown>) => ({
    code,
    name: `单位${code}`,
    type: 'community_committee',
    ...o,
  });

  it('creates units in its subtree, under its own units only', async () => {
    const made = expectStatus(
      await district.post('/api/units', unit('LV-N1', { regionId: ids.s1, parentId: ids.unitA })),
      201,
    ).json<TUnit>();
    expect(made).toMatchObject({ regionId: ids.s1, parentId: ids.unitA });
    for (const body of [
      unit('LV-X1', { regionId: ids.r2 }),
      unit('LV-X2', {}),
      unit('LV-X3', { regionId: ids.city }),
      unit('LV-X4', { regionId: ids.s1, parentId: ids.unitB }),
    ]) {
      refusal(await district.post('/api/units', body), 403, 'outside_jurisdiction');
    }
    const all = (await cityOffice.get('/api/units?q=LV-X')).json<Page<TUnit>>();
    expect(all.total).toBe(0);
  });

  it('cannot edit or delete another district’s unit, nor move its own out', async () => {
    for (const id of [ids.unitB, ids.cityUnit]) {
      expectStatus(await district.patch(`/api/units/${id}`, { name: '越权', version: 1 }), 404);
      expectStatus(await district.delete(`/api/units/${id}?version=1`), 404);
    }
    const a = (await district.get(`/api/units/${ids.unitA}`)).json<TUnit>();
    for (const change of [{ regionId: ids.r2 }, { regionId: null }, { parentId: ids.unitB }]) {
      refusal(
        await district.patch(`/api/units/${ids.unitA}`, { ...change, version: a.version }),
        403,
        'outside_jurisdiction',
      );
    }
    const renamed = expectStatus(
      await district.patch(`/api/units/${ids.unitA}`, {
        contactName: '张主任',
        version: a.version,
      }),
      200,
    ).json<TUnit>();
    expect(renamed.contactName).toBe('张主任');
    const b = (await cityOffice.get(`/api/units/${ids.unitB}`)).json<TUnit>();
    expect(b).toMatchObject({ name: '乙区城管局', version: 1 });
  });

  it('imports a units sheet all or nothing: a row outside its subtree fails the file', async () => {
    const file = await sheet('单位', UNIT_HEADERS, [
      ['LV-I1', '导入单位一', null, '社区居委会/村委会', '级甲街道', '甲街道办'],
      ['LV-I2', '导入单位二', null, '社区居委会/村委会', '级乙区', null],
      ['LV-B', '乙区城管局', null, '政府部门', '级甲街道', null],
      ['LV-I3', '导入单位三', null, '社区居委会/村委会', '级甲街道', '市级单位'],
      ['LV-I4', '导入单位四', null, '社区居委会/村委会', null, null],
    ]);
    const res = expectStatus(await district.upload('/api/units/import', file), 422);
    const rows = res.json<{ error: { rows: { row: number; column: string; reason: string }[] } }>()
      .error.rows;
    expect(rows.map((r) => [r.row, r.column])).toEqual([
      [3, '所属区划'],
      [4, '单位代码'],
      [5, '上级单位'],
      [6, '所属区划'],
    ]);
    for (const r of rows) {
      expect(r.reason).toContain('不在本级创建办的辖区内');
      expect(r.reason).toContain('outside');
    }
    expect((await cityOffice.get('/api/units?q=LV-I')).json<Page<TUnit>>().total).toBe(0);
    expect((await cityOffice.get(`/api/units/${ids.unitB}`)).json<TUnit>().regionId).toBe(ids.r2);
    const good = await sheet('单位', UNIT_HEADERS, [
      ['LV-I1', '导入单位一', null, '社区居委会/村委会', '级甲街道', '甲街道办'],
    ]);
    const done = expectStatus(await district.upload('/api/units/import', good), 200);
    expect(done.json<TImportResult>()).toMatchObject({ imported: 1, created: 1 });
  });

  // 门前三包 and 包联 of its subtree are its own: server/modules/frontage/frontage-levels.int.test.ts.
  it('leaves the city-level records to the city: parties', async () => {
    const party = { name: '各级单位', kind: 'group', memberTypes: ['district_government'] };
    expectStatus(await district.post('/api/parties', party), 403);
    expectStatus(await cityOffice.post('/api/parties', party), 201);
  });
});

describe('the city office still administers everything', () => {
  it('creates users anywhere and city-level offices, and edits any district’s units', async () => {
    expectStatus(await cityOffice.post('/api/users', newUser('lvc1', { regionId: ids.r2 })), 201);
    expectStatus(
      await cityOffice.post('/api/users', newUser('lvc2', { roles: ['office', 'volunteer'] })),
      201,
    );
    const b = (await cityOffice.get(`/api/units/${ids.unitB}`)).json<TUnit>();
    expectStatus(
      await cityOffice.patch(`/api/units/${ids.unitB}`, {
        contactName: '李科长',
        version: b.version,
      }),
      200,
    );
    expectStatus(
      await cityOffice.post('/api/units', { code: 'LV-C2', name: '市级新单位', type: 'other' }),
      201,
    );
    const file = await sheet('用户', USER_HEADERS, [
      ['lvc3', '市导入', null, '乙区城管局', null, '责任单位', PASSWORD, '启用'],
      ['lvc4', '市导入二', null, null, null, '创建办', PASSWORD, '启用'],
    ]);
    expect(
      expectStatus(await cityOffice.upload('/api/users/import', file), 200).json<TImportResult>(),
    ).toMatchObject({ created: 2 });
  });
});
