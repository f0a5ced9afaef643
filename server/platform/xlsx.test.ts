import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { FRAMEWORK_SHEET_COLUMNS } from '../../core/frameworks/sheet.js';
import { realTaskSheet } from '../test/framework-sheets.js';
import { readSheet, type ColumnSpec } from './xlsx.js';

// The worksheet reader's opt-in options for office workbooks, and that without them it reads as
// it always did (the other importers rely on that).

const FRAMEWORK_READ = {
  headerSearchRows: 10,
  sheet: 'best',
  looseHeaders: true,
  mergedAcrossOnce: true,
  keepExtra: true,
} as const;

async function book(
  sheets: { name: string; rows: (string | number | null)[][]; hidden?: boolean }[],
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name, s.hidden ? { state: 'hidden' } : {});
    for (const r of s.rows) ws.addRow(r);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('reading an office 任务分解表', () => {
  it('finds the data sheet, the header under the title, headers with notes and line breaks', async () => {
    const { file, layout } = await realTaskSheet();
    const read = await readSheet(file, FRAMEWORK_SHEET_COLUMNS, 20000, FRAMEWORK_READ);
    expect(read.sheetName).toBe('任务分解表');
    expect(read.headerRow).toBe(layout.headerRow);
    expect(read.headerErrors).toEqual([]);
    expect(read.headerLabels).toMatchObject({
      item: '测评项目（一级指标）',
      score: '分值（分）',
      lead: '牵头单位（必填）',
      code: '指标编号',
    });
    // 序号 is not the code when a code column exists; 联系人 is hidden and unknown: both extra.
    expect(read.unknownHeaders).toEqual(['序号', '联系人']);
    expect(read.fallbackKeys).toEqual([]);
    const first = read.rows[0]!;
    expect(first.values).toMatchObject({ code: 'I1.1.1', method: '材料审核', lead: '宣传部' });
    expect(first.extra).toEqual({ 序号: '1', 联系人: '李明 13800000001' });
    // "一、…小计" merged across the row reads once, in its first column (序号, unknown).
    const itemSub = read.rows.find((r) => r.row === layout.skipped[2]!.row)!;
    expect(itemSub.values).toMatchObject({ item: '', content: '', text: '', score: '11' });
    expect(itemSub.extra).toEqual({ 序号: '一、思想道德建设小计' });
    // The note line at the end only fills the 序号 column: kept for the parser to name it.
    expect(read.rows.at(-1)!.extra!['序号']).toMatch(/^注：/);
  });

  it('without the options a workbook reads as before: first sheet, exact headers, no extra', async () => {
    const { file } = await realTaskSheet();
    const first = await readSheet(file, FRAMEWORK_SHEET_COLUMNS, 20000, { headerSearchRows: 10 });
    expect(first.sheetName).toBe('填表说明');
    expect(first.headerErrors.length).toBeGreaterThan(0);
    const cols: ColumnSpec<'a' | 'b' | 'c'>[] = [
      { key: 'a', header: '名称', required: true },
      { key: 'b', header: '分值' },
      { key: 'c', header: '编号', fallbackAliases: ['序号'] },
    ];
    const file2 = await book([
      {
        name: 's',
        rows: [
          ['序号', '名称', '分值（分）', '联系人'],
          [1, '甲', 3, '李'],
          [null, null, null, '只有联系人'],
        ],
      },
    ]);
    const plain = await readSheet(file2, cols);
    expect(plain.rows).toEqual([{ row: 2, values: { a: '甲', b: '', c: '' } }]);
    expect(plain.fallbackKeys).toEqual([]);
    const loose = await readSheet(file2, cols, 20000, { looseHeaders: true, keepExtra: true });
    expect(loose.fallbackKeys).toEqual(['c']);
    expect(loose.unknownHeaders).toEqual(['联系人']);
    expect(loose.rows).toEqual([
      { row: 2, values: { a: '甲', b: '3', c: '1' }, extra: { 联系人: '李' } },
      { row: 3, values: { a: '', b: '', c: '' }, extra: { 联系人: '只有联系人' } },
    ]);
  });

  it('picks the sheet with the most required columns; visible before hidden, first on a tie', async () => {
    const cols: ColumnSpec<'a' | 'b' | 'c'>[] = [
      { key: 'a', header: '项目', required: true },
      { key: 'b', header: '标准', required: true },
      { key: 'c', header: '牵头单位' },
    ];
    const file = await book([
      { name: '说明', rows: [['填表说明'], ['项目'], ['标准']] },
      { name: '汇总', rows: [['牵头单位', '项目', '任务数']] },
      { name: '模板', rows: [['项目', '标准', '牵头单位']], hidden: true },
      { name: '数据', rows: [['标题'], ['项目', '标准', '牵头单位'], ['甲', '乙', '丙']] },
      {
        name: '数据2',
        rows: [
          ['项目', '标准', '牵头单位'],
          ['x', 'y', 'z'],
        ],
      },
    ]);
    const read = await readSheet(file, cols, 100, { headerSearchRows: 5, sheet: 'best' });
    expect(read.sheetName).toBe('数据');
    expect(read.rows.map((r) => r.values)).toEqual([{ a: '甲', b: '乙', c: '丙' }]);
  });

  it('names repeated unknown headers apart and lists a header merged across once', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('s');
    ws.addRow(['项目', '联系人', '联系人', '完成情况', null]);
    ws.mergeCells('D1:E1');
    ws.addRow(['甲', '李', '王', '已完成', '另一格']);
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const read = await readSheet(file, [{ key: 'a', header: '项目' }], 100, {
      keepExtra: true,
      mergedAcrossOnce: true,
    });
    expect(read.unknownHeaders).toEqual(['联系人', '联系人 (2)', '完成情况']);
    expect(read.rows[0]!.extra).toEqual({ 联系人: '李', '联系人 (2)': '王', 完成情况: '已完成' });
  });
});
