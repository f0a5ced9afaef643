import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  TCampaign,
  TFrameworkImportPreview,
  TFrameworkImportResult,
} from '../../../core/contracts/frameworks.js';
import { execRows } from '../../db/client.js';
import { buildUser } from '../../test/factories.js';
import {
  insertSheetUnits,
  realTaskSheet,
  REAL_SHEET_ITEMS,
  type RealItem,
} from '../../test/framework-sheets.js';
import { createCampaign, expectStatus } from '../../test/frameworks-kit.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';
import { insertUnit } from '../org/units.repo.js';

// The preview before an import: what the office's sheet would create, the rows that need a
// decision (with the unknown unit names), importing the clean rows only, the sheet given back
// with a 问题 column, and header names mapped once and remembered.

let t: TestApp;
let office: Agent;
let campaign: TCampaign;
let fgw = 0;
let versionId = 0;

const count = async (table: string) =>
  (
    await execRows<{ n: number }>(t.database.db, sql.raw(`select count(*)::int as n from ${table}`))
  )[0]!.n;

/** The realistic sheet with two problems: a 发改委 not in the directory, a method nobody knows. */
function brokenItems(): RealItem[] {
  const items = structuredClone(REAL_SHEET_ITEMS);
  const stds = items.flatMap((i) => i.contents).flatMap((c) => c.standards);
  stds[1]!.tasks[0]!.lead = '发改委';
  stds[3]!.method = '随机抽查';
  return items;
}

async function preview(file: Buffer, query = ''): Promise<TFrameworkImportPreview> {
  const res = await office.upload(`/api/framework-imports/preview${query}`, file, 'sheet.xlsx');
  return expectStatus(res, 200).json<TFrameworkImportPreview>();
}

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  await insertSheetUnits(db, 'PV');
  fgw = await insertUnit(db, { code: 'PV-FGW', name: '市发展和改革委员会', type: 'other' });
  await buildUser(db, { username: 'office1', roles: ['office'] });
  await buildUser(db, { username: 'unit1', roles: ['unit'], unitId: fgw });
  office = await t.login('office1');
  campaign = await createCampaign(office, '预览测试创建周期');
});
afterAll(() => t.close());

describe('import preview', () => {
  let file: Buffer;
  let badRows: number[];
  let clean: TFrameworkImportPreview['counts'];

  it('lists what an import creates and every row that needs a decision, and writes nothing', async () => {
    ({ file } = await realTaskSheet({ items: brokenItems() }));
    const before = await count('framework_nodes');
    const p = await preview(file);
    expect(p.kind).toBe('xlsx');
    expect(p.sheets).toEqual(['填表说明', p.sheetName, '汇总']);
    expect(p.missingColumns).toEqual([]);
    expect(p.columns).toContainEqual({ header: '联系人', key: null });
    expect(p.columns.find((c) => c.key === 'method')!.header).toBe('测评方式');
    const unit = p.units.find((u) => u.name === '发改委')!;
    expect(unit).toMatchObject({ status: 'unknown' });
    expect(p.issues.map((i) => i.reason.zh).join('\n')).toMatch(/单位“发改委”不存在/);
    expect(p.issues.map((i) => i.reason.en).join('\n')).toMatch(/unknown method "随机抽查"/);
    // Each reason is in one language only.
    for (const i of p.issues) expect(i.reason.zh).not.toContain(' / ');
    expect(p.badRows).toHaveLength(2);
    expect(p.badRows).toContain(unit.rows[0]);
    const total = REAL_SHEET_ITEMS.flatMap((i) => i.contents).flatMap((c) => c.standards).length;
    expect(p.counts.standards).toBe(total - 2);
    expect(p.report!.sumChecks.length).toBeGreaterThan(0);
    expect(await count('framework_nodes')).toBe(before);
    badRows = p.badRows;
    clean = p.counts;
  });

  it('a strict import refuses the file; "clean rows only" imports what the preview counted', async () => {
    const strict = await office.upload(
      `/api/campaigns/${campaign.id}/frameworks/import?name=${encodeURIComponent('预览体系')}`,
      file,
      'sheet.xlsx',
    );
    expectStatus(strict, 422);
    const res = await office.upload(
      `/api/campaigns/${campaign.id}/frameworks/import?name=${encodeURIComponent('预览体系')}&skipBadRows=true`,
      file,
      'sheet.xlsx',
    );
    const r = expectStatus(res, 201).json<TFrameworkImportResult>();
    versionId = r.versionId;
    expect(r.standards).toBe(clean.standards);
    expect(r.assignments).toBe(clean.assignments);
    expect(r.report!.skippedRows.filter((s) => s.kind === 'dropped').map((s) => s.row)).toEqual(
      badRows,
    );
  });

  it('gives the sheet back with a 问题 column on the bad rows, in the language asked for', async () => {
    for (const lang of ['zh', 'en'] as const) {
      const res = await office.upload(
        `/api/framework-imports/error-sheet?lang=${lang}`,
        file,
        'sheet.xlsx',
      );
      expectStatus(res, 200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['填表说明', expect.any(String), '汇总']);
      const ws = wb.worksheets[1]!;
      const col = ws.columnCount;
      const cells = new Map<number, string>();
      ws.getColumn(col).eachCell((c, row) => {
        if (c.value !== null && c.value !== '') cells.set(row, c.text);
      });
      const [headerRow, head] = [...cells][0]!;
      expect(head).toBe(lang === 'zh' ? '问题' : 'Problems');
      expect([...cells.keys()].filter((r) => r !== headerRow)).toEqual(badRows);
      const text = [...cells.values()].join('\n');
      if (lang === 'zh') expect(text).toContain('单位“发改委”不存在');
      else expect(text).toContain('unit "发改委" not found');
    }
  });

  it('the office adds the name as an alias of the unit it meant, and the row is clean', async () => {
    const unit = (await office.get(`/api/units/${fgw}`)).json<{ version: number }>();
    expectStatus(
      await office.patch(`/api/units/${fgw}`, { version: unit.version, aliases: ['发改委'] }),
      200,
    );
    const p = await preview(file);
    expect(p.units).toEqual([]);
    expect(p.badRows).toHaveLength(1);
  });

  it('a header nobody knows is mapped in the preview, and remembered after the import', async () => {
    const { file: plain } = await realTaskSheet();
    // The office calls the method column 考评办法.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(plain as unknown as ArrayBuffer);
    const ws = wb.worksheets.find((w) => w.name !== '填表说明' && w.name !== '汇总')!;
    ws.eachRow((row) =>
      row.eachCell((c) => {
        if (c.value === '测评方式') c.value = '考评办法';
      }),
    );
    const renamed = Buffer.from(await wb.xlsx.writeBuffer());
    const p = await preview(renamed);
    expect(p.missingColumns).toEqual(['method']);
    expect(p.columns).toContainEqual({ header: '考评办法', key: null });
    expect(p.issues[0]!.reason.zh).toContain('缺少列');
    const mapping = encodeURIComponent(JSON.stringify({ 考评办法: 'method' }));
    const mapped = await preview(renamed, `?columns=${mapping}`);
    expect(mapped.missingColumns).toEqual([]);
    expect(mapped.badRows).toEqual([]);
    expectStatus(
      await office.upload(
        `/api/campaigns/${campaign.id}/frameworks/import?name=${encodeURIComponent('改名体系')}&columns=${mapping}`,
        renamed,
        'sheet.xlsx',
      ),
      201,
    );
    // Next time the header is known.
    const again = await preview(renamed);
    expect(again.missingColumns).toEqual([]);
    expect(again.columns.find((c) => c.key === 'method')!.header).toBe('考评办法');
  });

  it('reads the sheet the office picks; refuses a bad mapping and other roles', async () => {
    const p = await preview(file, `?sheet=${encodeURIComponent('填表说明')}`);
    expect(p.sheetName).toBe('填表说明');
    expect(p.missingColumns.length).toBeGreaterThan(0);
    const none = await office.upload(
      `/api/framework-imports/preview?sheet=${encodeURIComponent('没有这张表')}`,
      file,
      'sheet.xlsx',
    );
    expectStatus(none, 400);
    const bad = await office.upload(
      `/api/framework-imports/preview?columns=${encodeURIComponent('{"考评办法":"nonsense"}')}`,
      file,
      'sheet.xlsx',
    );
    expectStatus(bad, 400);
    const notJson = await office.upload(
      `/api/framework-imports/preview?columns=${encodeURIComponent('{oops')}`,
      file,
      'sheet.xlsx',
    );
    expectStatus(notJson, 400);
    expect(notJson.json<{ error: { message: string } }>().error.message).toContain('JSON');
    const unit = await t.login('unit1');
    expectStatus(await unit.upload('/api/framework-imports/preview', file, 'sheet.xlsx'), 403);
  });
});

describe('task sheet preview', () => {
  it('reads a 任务分解表 against the version: tasks the clean rows make, rows to settle; imports the clean rows; gives the error sheet', async () => {
    // Against the version imported above (two standards were left out of it), with a unit that
    // does not exist on one row.
    const items = structuredClone(REAL_SHEET_ITEMS);
    items[0]!.contents[0]!.standards[0]!.tasks[0]!.lead = '不存在的局';
    const { file: tasks } = await realTaskSheet({ items });
    const url = `/api/framework-versions/${versionId}/assignments/import`;
    const p = expectStatus(
      await office.upload(`${url}/preview`, tasks, 'tasks.xlsx'),
      200,
    ).json<TFrameworkImportPreview>();
    expect(p.units.map((u) => u.name)).toEqual(['不存在的局']);
    expect(p.issues.map((i) => i.reason.zh).join('\n')).toMatch(/不在该测评体系中|找不到/);
    expect(p.badRows).toHaveLength(3);
    expect(p.counts.assignments).toBeGreaterThan(0);
    expectStatus(await office.upload(url, tasks, 'tasks.xlsx'), 422);
    const done = expectStatus(
      await office.upload(`${url}?skipBadRows=true`, tasks, 'tasks.xlsx'),
      200,
    ).json<{ assignments: number; report: { skippedRows: { row: number; kind?: string }[] } }>();
    expect(done.assignments).toBe(p.counts.assignments);
    expect(done.report.skippedRows.filter((r) => r.kind === 'dropped').map((r) => r.row)).toEqual(
      p.badRows,
    );
    const sheet = await office.upload(`${url}/error-sheet?lang=en`, tasks, 'tasks.xlsx');
    expectStatus(sheet, 200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(sheet.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets.find((w) => w.name !== '填表说明' && w.name !== '汇总')!;
    const texts: string[] = [];
    ws.getColumn(ws.columnCount).eachCell((c) => {
      if (typeof c.value === 'string') texts.push(c.value);
    });
    expect(texts[0]).toBe('Problems');
    expect(texts.slice(1)).toHaveLength(3);
    expect(texts.join('\n')).toContain('unit "不存在的局" not found');
    // Who may not import tasks may not read them either.
    const unit = await t.login('unit1');
    expectStatus(await unit.upload(`${url}/preview`, tasks, 'tasks.xlsx'), 403);
  });
});
