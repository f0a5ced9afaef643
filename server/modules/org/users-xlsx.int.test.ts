import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TImportResult } from '../../../core/contracts/common.js';
import type { TUser } from '../../../core/contracts/org.js';
import { buildRegion, buildUnit, buildUser } from '../../test/factories.js';
import {
  createTestApp,
  TEST_PASSWORD,
  type Agent,
  type Res,
  type TestApp,
} from '../../test/harness.js';
import type { RegionRow } from './regions.repo.js';
import type { UnitRow } from './units.repo.js';

let t: TestApp;
let office: Agent;
let admin: Agent;
let unitAgent: Agent;
let unitA: UnitRow;
let unitB: UnitRow;
let city: RegionRow;

const HEADERS = ['用户名', '姓名', '手机号', '所属单位', '所属区划', '角色', '初始密码', '状态'];
type Cell = string | null;

async function workbook(rows: Cell[][], headers: string[] = HEADERS): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('用户');
  ws.addRow(headers);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function readBack(res: Res): Promise<string[][]> {
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toContain('spreadsheetml');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const out: string[][] = [];
  wb.worksheets[0]!.eachRow((row) => {
    const cells: string[] = [];
    for (let c = 1; c <= HEADERS.length; c++) {
      const v = row.getCell(c).value;
      cells.push(typeof v === 'string' || typeof v === 'number' ? String(v) : '');
    }
    out.push(cells);
  });
  return out;
}

const tryLogin = (username: string, password: string) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
const total = async () => (await office.get('/api/users?limit=1')).json<{ total: number }>().total;
const find = async (username: string) => {
  const res = await office.get(`/api/users?q=${username}&limit=500`);
  const items = res.json<{ items: TUser[] }>().items;
  return items.find((u) => u.username.toLowerCase() === username.toLowerCase());
};

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  city = await buildRegion(db, { code: '620200000000', name: '用户导入市' });
  unitA = await buildUnit(db, { code: 'UI-A', name: '导入甲单位' });
  unitB = await buildUnit(db, { code: 'UI-B', name: '导入乙单位' });
  await buildUser(db, { username: 'office1', roles: ['office'] });
  await buildUser(db, { username: 'admin1', roles: ['admin'] });
  await buildUser(db, { username: 'adm2', roles: ['admin'] });
  await buildUser(db, { username: 'unit1', roles: ['unit'], unitId: unitA.id });
  await buildUser(db, {
    username: 'existing1',
    name: '已有用户',
    phone: '13500000009',
    roles: ['grid_worker'],
    unitId: unitA.id,
  });
  office = await t.login('office1');
  admin = await t.login('admin1');
  unitAgent = await t.login('unit1');
});
afterAll(() => t.close());

// 用户名 姓名 手机号 所属单位 所属区划 角色 初始密码 状态
const GOOD: Cell[][] = [
  ['imp_ok', '导入正常', '13500000001', 'UI-A', '', '责任单位', '', ''],
  [
    'imp_two',
    '导入双角色',
    '',
    '导入乙单位',
    '用户导入市',
    '网格员、inspector',
    'Given@2026',
    '启用',
  ],
  ['imp_off', '导入停用', '', '', '620200000000', 'leader', null, '停用'],
  ['EXISTING1', '已有用户改名', '13500000009', 'UI-B', '', 'surveyor', 'Ignored@2026', ''],
];

describe('users import: rejected files', () => {
  it('lists every bad row and imports nothing', async () => {
    const before = await total();
    const file = await workbook([
      GOOD[0]!,
      ['imp_r3', '未知角色', '', '', '', '超级英雄', '', ''],
      ['imp_r4', '无单位', '', '', '', 'unit', '', ''],
      ['imp_r5', '坏单位', '', '不存在单位', '', '网格员', '', ''],
      ['imp_r6', '坏区划', '', '', '不存在区', 'grid_worker', '', ''],
      ['IMP_OK', '重复用户名', '', '', '', 'leader', '', ''],
      ['imp_r8', '占用手机', '13500000009', '', '', 'leader', '', ''],
      ['imp_r9', '弱密码', '', '', '', 'leader', 'weak', ''],
      ['imp_r10', '坏状态', '', '', '', 'leader', '', '也许'],
      ['imp_r11', '越权管理员', '', '', '', '系统管理员', '', ''],
      ['imp_r12', '坏手机', '999', '', '', 'leader', '', ''],
      ['1bad', '坏用户名', '', '', '', 'leader', '', ''],
      ['adm2', '改管理员', '', '', '', 'leader', '', ''],
      GOOD[1]!,
    ]);
    const res = await office.upload('/api/users/import', file);
    expect(res.statusCode, res.body).toBe(422);
    const error = res.json().error;
    expect(error.code).toBe('import_rejected');
    const rows: { row: number; column: string; reason: string }[] = error.rows;
    const expected: [number, string][] = [
      [3, '角色'],
      [4, '所属单位'],
      [5, '所属单位'],
      [6, '所属区划'],
      [7, '用户名'],
      [8, '手机号'],
      [9, '初始密码'],
      [10, '状态'],
      [11, '角色'],
      [12, '手机号'],
      [13, '用户名'],
      [14, '用户名'],
    ];
    for (const [row, column] of expected) {
      expect(rows, `row ${row}`).toContainEqual({ row, column, reason: expect.any(String) });
    }
    expect([...new Set(rows.map((r) => r.row))]).toEqual(expected.map(([row]) => row));
    expect(rows.map((r) => r.row)).toEqual([...rows.map((r) => r.row)].sort((a, b) => a - b));
    expect(rows.find((r) => r.row === 3)!.reason).toContain('超级英雄');
    expect(rows.find((r) => r.row === 7)!.reason).toContain('duplicates row 2');
    expect(rows.find((r) => r.row === 8)!.reason).toContain('existing1');
    expect(await total()).toBe(before);
    expect(await find('imp_ok')).toBeUndefined();
    expect((await find('adm2'))!.roles).toEqual(['admin']);
  });

  it('reports missing required columns, empty files and non-workbooks', async () => {
    const before = await total();
    const noRoles = await office.upload(
      '/api/users/import',
      await workbook([['imp_x', '缺列']], ['用户名', '姓名']),
    );
    expect(noRoles.statusCode).toBe(422);
    expect(noRoles.json().error.rows).toEqual([
      { row: 1, column: '角色', reason: expect.stringContaining('角色') },
    ]);
    expect((await office.upload('/api/users/import', await workbook([]))).statusCode).toBe(422);
    const text = await office.upload('/api/users/import', Buffer.from('hello'), 'users.txt');
    expect(text.statusCode).toBe(400);
    expect(text.json().error.code).toBe('bad_file');
    const none = await office.post('/api/users/import', {});
    expect(none.statusCode).toBe(400);
    expect(none.json().error.code).toBe('no_file');
    expect(await total()).toBe(before);
  });

  it('lets only the office and admins import', async () => {
    const before = await total();
    const res = await unitAgent.upload('/api/users/import', await workbook([GOOD[0]!]));
    expect(res.statusCode).toBe(403);
    expect(await total()).toBe(before);
  });
});

describe('users import: accepted files', () => {
  it('creates and updates users, returning generated passwords once', async () => {
    const before = await total();
    const existing = (await find('existing1'))!;
    const res = await office.upload('/api/users/import', await workbook(GOOD));
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json<TImportResult>();
    expect(result).toMatchObject({ imported: 4, created: 3, updated: 1 });
    expect(await total()).toBe(before + 3);
    const generated = result.generatedPasswords!;
    expect(generated.map((g) => g.username).sort()).toEqual(['imp_off', 'imp_ok']);

    expect(await find('imp_ok')).toMatchObject({
      name: '导入正常',
      phone: '13500000001',
      unitId: unitA.id,
      roles: ['unit'],
      active: true,
      mustChangePassword: true,
    });
    expect(await find('imp_two')).toMatchObject({
      unitId: unitB.id,
      regionId: city.id,
      roles: ['grid_worker', 'inspector'],
    });
    expect(await find('imp_off')).toMatchObject({ regionId: city.id, active: false });
    expect(await find('existing1')).toMatchObject({
      id: existing.id,
      username: 'existing1',
      name: '已有用户改名',
      unitId: unitB.id,
      roles: ['surveyor'],
      version: existing.version + 1,
    });

    const ok = generated.find((g) => g.username === 'imp_ok')!;
    const login = await tryLogin('imp_ok', ok.password);
    expect(login.statusCode).toBe(200);
    expect(login.json().user.mustChangePassword).toBe(true);
    expect((await tryLogin('imp_two', 'Given@2026')).statusCode).toBe(200);
    const off = generated.find((g) => g.username === 'imp_off')!;
    expect((await tryLogin('imp_off', off.password)).statusCode).toBe(401);
    // An update never touches the password.
    expect((await tryLogin('existing1', TEST_PASSWORD)).statusCode).toBe(200);
    expect((await tryLogin('existing1', 'Ignored@2026')).statusCode).toBe(401);
  });

  it('updates on re-import instead of duplicating', async () => {
    const before = await total();
    const rows = GOOD.map((r) => [...r]);
    rows[0]![1] = '导入正常（改）';
    const res = await office.upload('/api/users/import', await workbook(rows));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<TImportResult>()).toMatchObject({
      imported: 4,
      created: 0,
      updated: 4,
      generatedPasswords: [],
    });
    expect(await total()).toBe(before);
    expect((await find('imp_ok'))!.name).toBe('导入正常（改）');
  });

  it('lets an administrator import administrators', async () => {
    const file = await workbook([['imp_admin', '导入管理员', '', '', '', 'admin', '', '']]);
    expect((await office.upload('/api/users/import', file)).statusCode).toBe(422);
    const res = await admin.upload('/api/users/import', file);
    expect(res.statusCode, res.body).toBe(200);
    expect((await find('imp_admin'))!.roles).toEqual(['admin']);
  });
});

describe('users export', () => {
  it('exports the filtered users in the import columns without passwords', async () => {
    const rows = await readBack(await office.get(`/api/users/export.xlsx?unitId=${unitB.id}`));
    expect(rows[0]).toEqual(HEADERS);
    const data = rows.slice(1).sort((a, b) => a[0]!.localeCompare(b[0]!));
    expect(data).toEqual([
      ['existing1', '已有用户改名', '13500000009', '导入乙单位', '', '调查员', '', '启用'],
      ['imp_two', '导入双角色', '', '导入乙单位', '用户导入市', '网格员、测评员', '', '启用'],
    ]);
    const inactive = await readBack(await office.get('/api/users/export.xlsx?active=false'));
    expect(inactive.slice(1).map((r) => [r[0], r[7]])).toEqual([['imp_off', '停用']]);
  });

  it('exports only what the actor may see', async () => {
    const rows = await readBack(await unitAgent.get('/api/users/export.xlsx'));
    expect(
      rows
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual(['imp_ok', 'unit1']);
    expect(rows.slice(1).every((r) => r[3] === '导入甲单位')).toBe(true);
  });

  it('round-trips: an exported file imports back as updates only', async () => {
    const before = await total();
    const exported = await office.get(`/api/users/export.xlsx?unitId=${unitB.id}`);
    const res = await office.upload('/api/users/import', exported.rawPayload);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<TImportResult>()).toMatchObject({ imported: 2, created: 0, updated: 2 });
    expect(await total()).toBe(before);
  });
});
