import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TRegion, TUnit, TUser } from '../../../core/contracts/org.js';
import { buildRegion, buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';

// Regressions found in review: each case once misbehaved.

let t: TestApp;
let office: Agent;

async function unitsWorkbook(rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('单位');
  ws.addRow(['单位代码', '单位名称', '单位类型', '上级单位']);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

beforeAll(async () => {
  t = await createTestApp();
  await buildUser(t.database.db, { username: 'office_e', roles: ['office'] });
  office = await t.login('office_e');
});
afterAll(() => t.close());

describe('org edge cases', () => {
  it('walks a list sorted by updatedAt one row at a time without repeats', async () => {
    for (let i = 0; i < 6; i++) await buildUnit(t.database.db, { code: `UPD-${i}` });
    const seen: number[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 200; guard++) {
      const url: string = `/api/units?sort=updatedAt&limit=1${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await office.get(url)).json<{ items: TUnit[]; nextCursor: string | null }>();
      seen.push(...page.items.map((u) => u.id));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(new Set(seen).size).toBe(seen.length);
    const total = (await office.get('/api/units?limit=1')).json<{ total: number }>().total;
    expect(seen.length).toBe(total);
  });

  it('refuses to change the level of a region that has children', async () => {
    const city = await buildRegion(t.database.db, { level: 'city' });
    const district = await buildRegion(t.database.db, { level: 'district', parent: city });
    await buildRegion(t.database.db, { level: 'street', parent: district });
    const res = await office.patch(`/api/regions/${district.id}`, {
      level: 'city',
      parentId: null,
      version: district.version,
    });
    expect(res.statusCode).toBe(400);
    const after = (await office.get(`/api/regions/${district.id}`)).json<TRegion>();
    expect(after.level).toBe('district');
  });

  it('resolves a parent unit named by the code of an existing unit outside the file', async () => {
    const parent = await buildUnit(t.database.db, { code: 'PARENT-X', name: '上级测试单位' });
    const res = await office.upload(
      '/api/units/import',
      await unitsWorkbook([['CHILD-X', '下级测试单位', '政府部门', 'PARENT-X']]),
    );
    expect(res.statusCode).toBe(200);
    const child = (await office.get('/api/units?q=CHILD-X')).json<{ items: TUnit[] }>().items[0]!;
    expect(child.parentId).toBe(parent.id);
  });

  it('reports an empty unit type as a row error', async () => {
    const res = await office.upload(
      '/api/units/import',
      await unitsWorkbook([['NT-1', '无类型单位', '', '']]),
    );
    expect(res.statusCode).toBe(422);
    expect(res.json().error.rows).toContainEqual(
      expect.objectContaining({ row: 2, column: '单位类型' }),
    );
  });

  it('names a real sheet row when parents in the file form a cycle', async () => {
    const a = await buildUnit(t.database.db, { code: 'CYC-A', name: '循环甲' });
    await buildUnit(t.database.db, { code: 'CYC-B', name: '循环乙', parentId: a.id });
    const res = await office.upload(
      '/api/units/import',
      await unitsWorkbook([['CYC-A', '循环甲', '政府部门', 'CYC-B']]),
    );
    expect(res.statusCode).toBe(422);
    const rows = res.json().error.rows as { row: number }[];
    expect(rows[0]!.row).toBe(2);
    const still = (await office.get(`/api/units/${a.id}`)).json<TUnit>();
    expect(still.parentId).toBeNull();
  });

  it('does not let the office change or disable an administrator', async () => {
    const admin = await buildUser(t.database.db, { roles: ['admin'] });
    const res = await office.patch(`/api/users/${admin.id}`, {
      active: false,
      version: admin.version,
    });
    expect(res.statusCode).toBe(403);
    const adminAgent = await t.login(admin.username);
    const me = await adminAgent.get(`/api/users/${admin.id}`);
    expect(me.json<TUser>().active).toBe(true);
  });
});
