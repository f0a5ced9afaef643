import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TImportResult } from '../../../core/contracts/common.js';
import type { TUnit } from '../../../core/contracts/org.js';
import type { RegionRow } from './regions.repo.js';
import { insertUnit } from './units.repo.js';
import { buildRegion, buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type Res, type TestApp } from '../../test/harness.js';

let t: TestApp;
let office: Agent;
let admin: Agent;
let unitUser: Agent;
let city: RegionRow;
let district: RegionRow;

const HEADERS = [
  '单位代码',
  '单位名称',
  '简称',
  '单位类型',
  '所属区划',
  '上级单位',
  '联系人',
  '联系电话',
  '地址',
  '状态',
];

/** The export's columns: the import's, with 别名 (aliases) after 简称. */
const EXPORT_HEADERS = [...HEADERS.slice(0, 3), '别名', ...HEADERS.slice(3)];

type Cell = string | number | null;

async function workbook(rows: Cell[][], headers: string[] = HEADERS): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('单位');
  ws.addRow(headers);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function readBack(res: Res): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const out: string[][] = [];
  ws.eachRow((row) => {
    const cells: string[] = [];
    for (let c = 1; c <= EXPORT_HEADERS.length; c++) {
      const v = row.getCell(c).value;
      cells.push(typeof v === 'string' || typeof v === 'number' ? String(v) : '');
    }
    out.push(cells);
  });
  return out;
}

const total = async () => (await office.get('/api/units?limit=1')).json<{ total: number }>().total;
const byCode = async (code: string) => {
  const items = (await office.get(`/api/units?q=${code}&limit=500`)).json<{ items: TUnit[] }>()
    .items;
  return items.find((u) => u.code === code);
};

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  city = await buildRegion(db, { code: '620100000000', name: '导入市', level: 'city' });
  district = await buildRegion(db, {
    code: '620102000000',
    name: '导入区',
    level: 'district',
    parent: city,
  });
  const own = await buildUnit(db, { code: 'XL-OWN', name: '导入测试本单位' });
  await buildUnit(db, { code: 'XL-EXIST', name: '已有单位' });
  await buildUser(db, { username: 'office1', roles: ['office'] });
  await buildUser(db, { username: 'admin1', roles: ['admin'] });
  await buildUser(db, { username: 'unit1', roles: ['unit'], unitId: own.id });
  office = await t.login('office1');
  admin = await t.login('admin1');
  unitUser = await t.login('unit1');
});
afterAll(() => t.close());

// 单位代码 单位名称 简称 单位类型 所属区划 上级单位 联系人 联系电话 地址 状态
const GOOD: Cell[][] = [
  [
    'IMP-CHILD',
    '导入下级学校',
    '下级',
    '学校',
    '导入区',
    'IMP-ROOT',
    '李四',
    '13900000002',
    '',
    '',
  ],
  [
    'IMP-ROOT',
    '导入上级部门',
    null,
    'government_department',
    '620100000000',
    '',
    '',
    '',
    '',
    '启用',
  ],
  [
    'IMP-LEAF',
    '导入末级医院',
    null,
    'Hospital',
    '',
    '导入下级学校',
    '',
    '0931-7654321',
    '',
    '停用',
  ],
  ['IMP-SIB', '导入已有下级', null, '其他', '', '已有单位', '', '', '西路2号', ''],
];

describe('units import: rejected files', () => {
  it('lists every bad row and imports nothing', async () => {
    const before = await total();
    const file = await workbook([
      GOOD[1]!,
      ['IMP-BAD1', '坏类型单位', null, '外星机构', '', '', '', '', '', ''],
      ['IMP-BAD2', '坏电话单位', null, '学校', '', '', '', '12345', '', ''],
      ['IMP-BAD3', '坏区划单位', null, '学校', '不存在区', '', '', '', '', ''],
      ['IMP-ROOT', '重复代码单位', null, '学校', '', '', '', '', '', ''],
      ['IMP-BAD5', '坏上级单位', null, '学校', '', '不存在的上级', '', '', '', ''],
      ['IMP-BAD6', '已有单位', null, '学校', '', '', '', '', '', ''],
      ['IMP-BAD7', '坏状态单位', null, '学校', '', '', '', '', '', '也许'],
      ['bad code!', '坏代码单位', null, '学校', '', '', '', '', '', ''],
      GOOD[0]!,
    ]);
    const res = await office.upload('/api/units/import', file);
    expect(res.statusCode, res.body).toBe(422);
    const error = res.json().error;
    expect(error.code).toBe('import_rejected');
    const rows: { row: number; column: string; reason: string }[] = error.rows;
    expect(rows.map((r) => [r.row, r.column])).toEqual([
      [3, '单位类型'],
      [4, '联系电话'],
      [5, '所属区划'],
      [6, '单位代码'],
      [7, '上级单位'],
      [8, '单位名称'],
      [9, '状态'],
      [10, '单位代码'],
    ]);
    for (const r of rows) expect(r.reason.length).toBeGreaterThan(0);
    expect(rows[0]!.reason).toContain('外星机构');
    expect(rows[3]!.reason).toContain('duplicates row 2');
    expect(error.messageEn).toContain(`${rows.length} error(s)`);
    expect(await total()).toBe(before);
    expect(await byCode('IMP-ROOT')).toBeUndefined();
  });

  it('reports missing required columns on row 1', async () => {
    const before = await total();
    const file = await workbook(
      [['IMP-X', '缺列单位', '学校']],
      ['单位代码', '单位名称', '类型错列'],
    );
    const res = await office.upload('/api/units/import', file);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.rows).toEqual([
      { row: 1, column: '单位类型', reason: expect.stringContaining('单位类型') },
    ]);
    const empty = await office.upload('/api/units/import', await workbook([]));
    expect(empty.statusCode).toBe(422);
    expect(empty.json().error.rows[0].reason).toContain('no data rows');
    expect(await total()).toBe(before);
  });

  it('answers 400 for a file that is not a workbook, or no file at all', async () => {
    const text = await office.upload(
      '/api/units/import',
      Buffer.from('单位代码,单位名称\n'),
      'a.csv',
    );
    expect(text.statusCode).toBe(400);
    expect(text.json().error.code).toBe('bad_file');
    const json = await office.post('/api/units/import', {});
    expect(json.statusCode).toBe(400);
    expect(json.json().error.code).toBe('no_file');
    const boundary = '----ccnofile';
    const fieldOnly = await t.app.inject({
      method: 'POST',
      url: '/api/units/import',
      headers: {
        cookie: office.cookie,
        'x-csrf-token': office.csrf,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      payload:
        `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n` +
        `--${boundary}--\r\n`,
    });
    expect(fieldOnly.statusCode).toBe(400);
    expect(fieldOnly.json().error.code).toBe('no_file');
  });

  it('rejects parents that form a cycle within the file and rolls back', async () => {
    const before = await total();
    const file = await workbook([
      ['CYC-A', '循环导入甲', null, '学校', '', 'CYC-B', '', '', '', ''],
      ['CYC-B', '循环导入乙', null, '学校', '', '循环导入甲', '', '', '', ''],
    ]);
    const res = await office.upload('/api/units/import', file);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.rows).toEqual([
      expect.objectContaining({ column: '上级单位', reason: expect.stringContaining('cycle') }),
    ]);
    expect(await total()).toBe(before);
    const self = await office.upload(
      '/api/units/import',
      await workbook([['CYC-S', '自己上级', null, '学校', '', 'CYC-S', '', '', '', '']]),
    );
    expect(self.statusCode).toBe(422);
    expect(self.json().error.rows).toEqual([
      { row: 2, column: '上级单位', reason: expect.stringContaining('own parent') },
    ]);
    expect(await total()).toBe(before);
  });

  it('lets only the office and admins import', async () => {
    const before = await total();
    const res = await unitUser.upload('/api/units/import', await workbook([GOOD[1]!]));
    expect(res.statusCode).toBe(403);
    expect(await total()).toBe(before);
  });
});

describe('units import: accepted files', () => {
  it('creates every row and resolves parents within the file', async () => {
    const before = await total();
    const res = await office.upload('/api/units/import', await workbook(GOOD));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<TImportResult>()).toMatchObject({ imported: 4, created: 4, updated: 0 });
    expect(await total()).toBe(before + 4);

    const root = (await byCode('IMP-ROOT'))!;
    const child = (await byCode('IMP-CHILD'))!;
    const leaf = (await byCode('IMP-LEAF'))!;
    const sib = (await byCode('IMP-SIB'))!;
    const existing = (await byCode('XL-EXIST'))!;
    expect(root).toMatchObject({
      type: 'government_department',
      regionId: city.id,
      parentId: null,
      active: true,
    });
    expect(child).toMatchObject({
      name: '导入下级学校',
      shortName: '下级',
      type: 'school',
      regionId: district.id,
      parentId: root.id,
      contactName: '李四',
      contactPhone: '13900000002',
    });
    expect(leaf).toMatchObject({ type: 'hospital', parentId: child.id, active: false });
    expect(sib).toMatchObject({ type: 'other', parentId: existing.id, address: '西路2号' });
  });

  it('updates on re-import instead of duplicating', async () => {
    const before = await total();
    const root = (await byCode('IMP-ROOT'))!;
    const changed: Cell[][] = [
      ['IMP-ROOT', '导入上级部门（更名）', '上级', '党委部门', '导入市', '', '', '', '', ''],
      ['IMP-LEAF', '导入末级医院', null, '医院', '', 'IMP-ROOT', '', '', '', '启用'],
      ['IMP-NEW', '导入新增单位', null, 'school', '', '导入上级部门（更名）', '', '', '', ''],
    ];
    const res = await admin.upload('/api/units/import', await workbook(changed));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<TImportResult>()).toMatchObject({ imported: 3, created: 1, updated: 2 });
    expect(await total()).toBe(before + 1);
    expect(await byCode('IMP-ROOT')).toMatchObject({
      id: root.id,
      name: '导入上级部门（更名）',
      shortName: '上级',
      type: 'party_committee',
      version: root.version + 1,
    });
    expect(await byCode('IMP-LEAF')).toMatchObject({ parentId: root.id, active: true });
    expect(await byCode('IMP-NEW')).toMatchObject({ parentId: root.id, type: 'school' });
    const all = (await office.get('/api/units?q=IMP-&limit=500')).json<{ items: TUnit[] }>();
    expect(all.items.map((u) => u.code).sort()).toEqual(
      ['IMP-CHILD', 'IMP-LEAF', 'IMP-NEW', 'IMP-ROOT', 'IMP-SIB'].sort(),
    );
  });

  it('reads English headers and trims cells', async () => {
    const file = await workbook(
      [['  ENG-1 ', ' 英文表头单位 ', 'enterprise']],
      ['code', 'Name', 'TYPE'],
    );
    const res = await office.upload('/api/units/import', file);
    expect(res.statusCode, res.body).toBe(200);
    expect(await byCode('ENG-1')).toMatchObject({ name: '英文表头单位', type: 'enterprise' });
  });
});

describe('units import: dry runs and office sheets', () => {
  it('answers a dry run with the counts and writes nothing, not even audit records', async () => {
    const before = await total();
    const audits = async () =>
      (await admin.get('/api/audit?limit=1')).json<{ items: { id: number }[] }>().items[0]?.id;
    const auditsBefore = await audits();
    const file = await workbook([
      ['DRY-1', '试导入单位一', null, '学校', '', 'IMP-ROOT', '', '', '', ''],
      ['IMP-ROOT', '导入上级部门（更名）', '上级', '党委部门', '导入市', '', '', '', '', ''],
    ]);
    const res = await office.upload('/api/units/import?dryRun=true', file);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<TImportResult>()).toEqual({
      imported: 2,
      created: 1,
      updated: 1,
      dryRun: true,
    });
    expect(await total()).toBe(before);
    expect(await byCode('DRY-1')).toBeUndefined();
    expect(await audits()).toBe(auditsBefore);
    expect(auditsBefore).toBeDefined();
    const bad = await office.upload(
      '/api/units/import?dryRun=true',
      await workbook([['DRY-2', '试导入单位二', null, '外星机构', '', '', '', '', '', '']]),
    );
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.rows).toEqual([
      { row: 2, column: '单位类型', reason: expect.stringContaining('外星机构') },
    ]);
  });

  it('reads a sheet as offices make it: title row, 序号 and remarks columns, subtotals', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('单位');
    ws.addRow(['2026 年创建单位名册']);
    ws.mergeCells('A1:F1');
    ws.addRow(['序号', '单位代码*', '单位　名称', '单位类型（必填）', '上级单位', '备注']);
    ws.addRow([1, 'OFF-1', '办公室样表单位甲', '学校', 'IMP-ROOT', '新建']);
    ws.addRow([]);
    ws.addRow([2, 'OFF-2', '办公室样表单位乙', '医院', '', '']);
    ws.addRow(['合　计', '', '2 家', '', '', '']);
    ws.addRow(['注：单位类型按统计口径填写']);
    const res = await office.upload('/api/units/import', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<TImportResult>()).toMatchObject({ imported: 2, created: 2, updated: 0 });
    const root = (await byCode('IMP-ROOT'))!;
    expect(await byCode('OFF-1')).toMatchObject({ type: 'school', parentId: root.id });
    expect(await byCode('OFF-2')).toMatchObject({ type: 'hospital', parentId: null });
  });
});

describe('units export', () => {
  it('streams the filtered units as a workbook in the import columns', async () => {
    const res = await office.get('/api/units/export.xlsx?q=IMP-');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(String(res.headers['content-disposition'])).toContain('attachment');
    const rows = await readBack(res);
    expect(rows[0]).toEqual(EXPORT_HEADERS);
    const data = rows.slice(1);
    expect(data.map((r) => r[0]).sort()).toEqual(
      ['IMP-CHILD', 'IMP-LEAF', 'IMP-NEW', 'IMP-ROOT', 'IMP-SIB'].sort(),
    );
    const child = data.find((r) => r[0] === 'IMP-CHILD')!;
    expect(child).toEqual([
      'IMP-CHILD',
      '导入下级学校',
      '下级',
      '',
      '学校',
      '导入区',
      '导入上级部门（更名）',
      '李四',
      '13900000002',
      '',
      '启用',
    ]);
  });

  it('applies the type, region and active filters', async () => {
    const schools = await readBack(await office.get('/api/units/export.xlsx?q=IMP-&type=school'));
    expect(
      schools
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual(['IMP-CHILD', 'IMP-NEW']);
    const inCity = await readBack(await office.get(`/api/units/export.xlsx?regionId=${city.id}`));
    expect(
      inCity
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual(['IMP-CHILD', 'IMP-ROOT']);
    const none = await readBack(await office.get('/api/units/export.xlsx?q=no-such-unit'));
    expect(none).toEqual([EXPORT_HEADERS]);
  });

  it('round-trips: an exported file imports back as updates only', async () => {
    const before = await total();
    const exported = await office.get('/api/units/export.xlsx?q=IMP-');
    const res = await office.upload('/api/units/import', exported.rawPayload);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<TImportResult>()).toMatchObject({ imported: 5, created: 0, updated: 5 });
    expect(await total()).toBe(before);
  });

  it('is readable by any role that reads units', async () => {
    const res = await unitUser.get('/api/units/export.xlsx?q=XL-OWN');
    expect(res.statusCode).toBe(200);
    expect((await readBack(res)).slice(1).map((r) => r[0])).toEqual(['XL-OWN']);
  });
});

describe('units import: short names and aliases', () => {
  const ALIAS_HEADERS = ['单位代码', '单位名称', '简称', '别名', '单位类型'];
  const names = async (code: string) => {
    const u = (await byCode(code))!;
    return { shortName: u.shortName, aliases: u.aliases };
  };

  it('reads several names in 简称: the first is the short name, the rest are aliases', async () => {
    const res = await office.upload(
      '/api/units/import',
      await workbook([['AL-CG', '别名市城市管理局', '城管局、城管', '其他']]),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(await names('AL-CG')).toEqual({ shortName: '城管局', aliases: ['城管'] });
  });

  it('merges names on re-import instead of replacing them', async () => {
    // A blank 简称 keeps the stored short name and aliases.
    let res = await office.upload(
      '/api/units/import',
      await workbook([['AL-CG', '别名市城市管理局', null, '其他']]),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(await names('AL-CG')).toEqual({ shortName: '城管局', aliases: ['城管'] });
    // A new short name: the one it replaces becomes an alias; 简称's other names and 别名 join.
    res = await office.upload(
      '/api/units/import',
      await workbook(
        [
          [
            'AL-CG',
            '别名市城市管理局',
            '市城管局；城管执法局',
            '城管执法, 城管 / 城市管理局',
            '其他',
          ],
        ],
        ALIAS_HEADERS,
      ),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(await names('AL-CG')).toEqual({
      shortName: '市城管局',
      aliases: ['城管', '城管局', '城管执法局', '城管执法', '城市管理局'],
    });
    // Full-width and half-width spellings and the unit's own names are not repeated.
    res = await office.upload(
      '/api/units/import',
      await workbook(
        [['AL-CG', '别名市城市管理局', '市城管局', '城管 ，别名市城市管理局、ＣＧ', '其他']],
        ALIAS_HEADERS,
      ),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect((await names('AL-CG')).aliases).toEqual([
      '城管',
      '城管局',
      '城管执法局',
      '城管执法',
      '城市管理局',
      'ＣＧ',
    ]);
  });

  it('rejects an alias that names another unit, in the directory or in the file', async () => {
    await insertUnit(t.database.db, {
      code: 'AL-JY',
      name: '别名市教育局',
      shortName: '教育局',
      type: 'government_department',
    });
    const res = await office.upload(
      '/api/units/import',
      await workbook(
        [
          ['AL-X1', '别名测试单位一', '', '教育局', '其他'],
          ['AL-X2', '别名测试单位二', '测二、共用名', '', '其他'],
          ['AL-X3', '别名测试单位三', '', '共用名', '其他'],
          ['AL-X4', '别名测试单位四', '', '别名市城市管理局', '其他'],
        ],
        ALIAS_HEADERS,
      ),
    );
    expect(res.statusCode).toBe(422);
    const rows = res.json<{ error: { rows: { row: number; column: string; reason: string }[] } }>()
      .error.rows;
    expect(rows).toEqual([
      { row: 2, column: '别名', reason: expect.stringContaining('单位“别名市教育局”的简称') },
      { row: 3, column: '简称', reason: expect.stringContaining('单位“别名测试单位三”') },
      { row: 4, column: '别名', reason: expect.stringContaining('单位“别名测试单位二”') },
      { row: 5, column: '别名', reason: expect.stringContaining('unit "别名市城市管理局"') },
    ]);
    expect(await byCode('AL-X1')).toBeUndefined();
  });

  it('rejects more than 20 aliases on the row', async () => {
    const many = Array.from({ length: 21 }, (_, i) => `多别名${i + 1}`).join('、');
    const res = await office.upload(
      '/api/units/import',
      await workbook([['AL-MANY', '别名过多单位', '', many, '其他']], ALIAS_HEADERS),
    );
    expect(res.statusCode).toBe(422);
    expect(res.json<{ error: { rows: unknown[] } }>().error.rows).toEqual([
      { row: 2, column: '别名', reason: expect.stringContaining('别名最多 20 个') },
    ]);
  });

  it('exports the short name and aliases so that the file imports back without a change', async () => {
    const exported = await office.get('/api/units/export.xlsx?q=AL-CG');
    const rows = await readBack(exported);
    expect(rows[1]!.slice(0, 4)).toEqual([
      'AL-CG',
      '别名市城市管理局',
      '市城管局',
      '城管、城管局、城管执法局、城管执法、城市管理局、ＣＧ',
    ]);
    const before = await byCode('AL-CG');
    const res = await office.upload('/api/units/import', exported.rawPayload);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<TImportResult>()).toMatchObject({ imported: 1, updated: 1 });
    const after = await byCode('AL-CG');
    expect({ shortName: after!.shortName, aliases: after!.aliases }).toEqual({
      shortName: before!.shortName,
      aliases: before!.aliases,
    });
  });
});
