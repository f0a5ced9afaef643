import ExcelJS from 'exceljs';
import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { Permission } from '../../core/permissions.js';
import type { Database } from '../db/client.js';
import { SYSTEM_ACTOR, type Actor } from './actor.js';
import { AppError } from './errors.js';
import { importCheck } from './import-check.js';
import {
  commitImport,
  isSummaryRow,
  keysetPages,
  readImportRows,
  readImportSheet,
  receiveUpload,
  upsertByKey,
  type ImportFile,
} from './xlsx-import.js';
import { loadWorkbook, type ColumnSpec } from './xlsx.js';

type Key = 'code' | 'name' | 'type' | 'phone';
const COLUMNS: ColumnSpec<Key>[] = [
  { key: 'code', header: '单位代码', aliases: ['code', '代码'], required: true },
  { key: 'name', header: '单位名称', aliases: ['name', '名称'], required: true },
  { key: 'type', header: '单位类型', aliases: ['type'] },
  { key: 'phone', header: '联系电话', aliases: ['phone', '电话'] },
];

type Cell = ExcelJS.CellValue;

/** A workbook as offices send them, built cell by cell (the first sheet is the one read). */
async function book(rows: Cell[][], edit?: (ws: ExcelJS.Worksheet) => void): Promise<ImportFile> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('名册');
  for (const r of rows) ws.addRow(r);
  edit?.(ws);
  return { data: Buffer.from(await wb.xlsx.writeBuffer()), filename: 'units.xlsx' };
}

/** The AppError a promise or function rejects with. */
async function failure(run: () => unknown): Promise<AppError> {
  try {
    await run();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('readImportRows: messy office sheets', () => {
  it('finds the header under a merged title row, by alias, full-width and starred', async () => {
    const file = await book(
      [
        ['2026 年度创建单位名册（第一批）'],
        ['序号', '*单位　代码', ' 单位名称（必填）', 'TYPE', '备注', '电话'],
        [1, ' XL-1 ', '市一中', '学校', '老校区', '0931-1234567'],
        [2, 'XL-2', '市　医院', 'hospital', null, null],
      ],
      (ws) => ws.mergeCells('A1:F1'),
    );
    const rows = await readImportRows(file, COLUMNS);
    expect(rows).toEqual([
      { row: 3, values: { code: 'XL-1', name: '市一中', type: '学校', phone: '0931-1234567' } },
      { row: 4, values: { code: 'XL-2', name: '市　医院', type: 'hospital', phone: '' } },
    ]);
  });

  it('passes over blank, remarks-only, subtotal and note rows, keeping sheet row numbers', async () => {
    const file = await book([
      ['序号', '单位代码', '单位名称', '单位类型', '备注'],
      [1, 'A-1', '甲单位', '学校', ''],
      [],
      [null, null, null, null, '以下为第二街道'],
      [2, 'A-2', '乙单位', '医院', ''],
      ['小计', null, '2 家', null, null],
      ['合　计', null, 2, null, null],
      ['总计（2家）', null, null, null, null],
      [null, 'Subtotal', 2, null, null],
      ['注：单位类型按统计口径填写', 'x', null, null, null],
      ['备 注: 无', null, '丙', null, null],
      [3, '合计划生育服务站', '合计划生育服务站', '其他', null],
    ]);
    const rows = await readImportRows(file, COLUMNS);
    expect(rows.map((r) => [r.row, r.values.code])).toEqual([
      [2, 'A-1'],
      [5, 'A-2'],
      [12, '合计划生育服务站'],
    ]);
  });

  it('reads rich text, formulas, hyperlinks and error cells as text', async () => {
    const file = await book([
      ['单位代码', '单位名称', '联系电话'],
      [
        { richText: [{ text: 'R-' }, { text: '1', font: { bold: true } }] },
        { formula: 'CONCAT("市","一中")', result: '市一中' },
        { text: '0931-7654321', hyperlink: 'tel:09317654321' },
      ],
      ['R-2', { error: '#REF!' }, 13800000000],
    ]);
    const rows = await readImportRows(file, COLUMNS);
    expect(rows.map((r) => r.values)).toEqual([
      { code: 'R-1', name: '市一中', type: '', phone: '0931-7654321' },
      { code: 'R-2', name: '', type: '', phone: '13800000000' },
    ]);
  });

  it('refuses missing required columns (on the header row) and sheets without data', async () => {
    const missing = await failure(async () =>
      readImportRows(await book([['标题'], ['代码', '单位类型'], ['X', '学校']]), COLUMNS),
    );
    expect(missing.status).toBe(422);
    expect(missing.extra.rows).toEqual([
      { row: 2, column: '单位名称', reason: expect.stringContaining('missing column') },
    ]);
    const empty = await failure(async () =>
      readImportRows(await book([['单位代码', '单位名称'], [], ['合计', 0]]), COLUMNS),
    );
    expect(empty.status).toBe(422);
    expect(empty.extra.rows).toEqual([
      { row: 2, column: '-', reason: expect.stringContaining('no data rows') },
    ]);
  });

  it('answers 400 bad_file for hostile or corrupt uploads, and 413 beyond the row limit', async () => {
    const good = await book([
      ['单位代码', '单位名称'],
      ['A', '甲'],
    ]);
    const noSheets = new ExcelJS.Workbook();
    const uploads: Buffer[] = [
      Buffer.alloc(0),
      Buffer.from('单位代码,单位名称\nA,甲\n'),
      Buffer.from('PK\u0003\u0004 not really a zip'),
      good.data.subarray(0, Math.floor(good.data.length / 2)),
      Buffer.from(await noSheets.xlsx.writeBuffer()),
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...Array<number>(504).fill(0)]),
    ];
    for (const data of uploads) {
      const err = await failure(() => readImportRows({ data, filename: 'x.xlsx' }, COLUMNS));
      expect([err.status, err.code, err.msg.zh]).toEqual([400, 'bad_file', expect.any(String)]);
    }
    const far = await book(
      [
        ['单位代码', '单位名称'],
        ['A', '甲'],
      ],
      (ws) => {
        ws.getCell('B60000').value = '远处的一格';
      },
    );
    const tooMany = await failure(() => readImportRows(far, COLUMNS));
    expect([tooMany.status, tooMany.code]).toEqual([413, 'too_many_rows']);
  });

  it('reads a named sheet of a multi-sheet book without refusing', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('说明').addRow(['填表说明']);
    const ws = wb.addWorksheet('题目');
    ws.addRow(['单位名称']);
    ws.addRow(['甲']);
    const loaded = await loadWorkbook(Buffer.from(await wb.xlsx.writeBuffer()));
    const read = readImportSheet(loaded.getWorksheet('题目')!, COLUMNS);
    expect(read.headerErrors.map((e) => e.column)).toEqual(['单位代码']);
    expect(read.rows).toEqual([{ row: 2, values: { code: '', name: '甲', type: '', phone: '' } }]);
  });
});

describe('summary rows', () => {
  it('knows subtotal and note rows, and nothing that merely starts alike', () => {
    for (const s of [
      '合计',
      '合 计',
      '小计：',
      '总计(3家)',
      '共计 5',
      'Total',
      'Grand total',
      '注：略',
    ])
      expect(isSummaryRow([s]), s).toBe(true);
    for (const s of ['合计划生育站', '总计划处', 'Totalview Ltd', '注意事项', '1']) {
      expect(isSummaryRow([s]), s).toBe(false);
    }
    expect(isSummaryRow([])).toBe(false);
  });
});

/** A database whose transactions keep their writes only when they commit (audit rows counted). */
function fakeDatabase() {
  const committed: unknown[] = [];
  const tx = (pending: unknown[]) => ({
    insert: () => ({ values: async (v: unknown) => void pending.push(v) }),
    write: (v: unknown) => pending.push(v),
  });
  const database = {
    db: {
      transaction: async <T>(fn: (t: ReturnType<typeof tx>) => Promise<T>): Promise<T> => {
        const pending: unknown[] = [];
        const result = await fn(tx(pending));
        committed.push(...pending);
        return result;
      },
    },
    afterCommit: async () => {},
  };
  return { database: database as unknown as Database, committed };
}

const FILE: ImportFile = { data: Buffer.alloc(0), filename: '名册.xlsx' };
const AUDIT = { action: 'thing.import', entityType: 'thing' };

describe('commitImport', () => {
  const write = (rows: string[]) => async (t: unknown) => {
    for (const r of rows) (t as { write: (v: unknown) => void }).write(r);
    return { imported: rows.length, created: rows.length, updated: 0, audit: { ids: [1, 2] } };
  };

  it('writes nothing while any row is bad', async () => {
    const { database, committed } = fakeDatabase();
    const check = importCheck(COLUMNS);
    check.add(3, 'code', 'bad');
    const err = await failure(() =>
      commitImport(database, SYSTEM_ACTOR, { file: FILE, check, audit: AUDIT }, write(['a'])),
    );
    expect(err.extra.rows).toEqual([{ row: 3, column: '单位代码', reason: 'bad' }]);
    expect(committed).toEqual([]);
  });

  it('commits the rows and one audit record with the file name and counts', async () => {
    const { database, committed } = fakeDatabase();
    const check = importCheck(COLUMNS);
    const result = await commitImport(
      database,
      SYSTEM_ACTOR,
      { file: FILE, check, audit: AUDIT },
      write(['a', 'b']),
    );
    expect(result).toEqual({ imported: 2, created: 2, updated: 0 });
    expect(committed.slice(0, 2)).toEqual(['a', 'b']);
    expect(committed[2]).toMatchObject({
      action: 'thing.import',
      entityType: 'thing',
      entityId: null,
      after: { file: '名册.xlsx', imported: 2, created: 2, updated: 0, ids: [1, 2] },
    });
  });

  it('rolls a dry run back and answers only the counts', async () => {
    const { database, committed } = fakeDatabase();
    const result = await commitImport(
      database,
      SYSTEM_ACTOR,
      { file: FILE, check: importCheck(COLUMNS), audit: AUDIT, dryRun: true },
      async (t) => ({
        ...(await write(['a'])(t)),
        generatedPasswords: [{ username: 'u', password: 'secret' }],
      }),
    );
    expect(result).toEqual({ imported: 1, created: 1, updated: 0, dryRun: true });
    expect(committed).toEqual([]);
  });

  it('lets an error found while writing through, writing nothing', async () => {
    const { database, committed } = fakeDatabase();
    for (const dryRun of [false, true]) {
      const err = await failure(() =>
        commitImport(
          database,
          SYSTEM_ACTOR,
          { file: FILE, check: importCheck(COLUMNS), audit: AUDIT, dryRun },
          async () => {
            throw new AppError('import_rejected', 422, { zh: '循环', en: 'cycle' });
          },
        ),
      );
      expect(err.msg.en).toBe('cycle');
    }
    expect(committed).toEqual([]);
  });
});

describe('upsertByKey and keysetPages', () => {
  it('updates known keys, inserts the rest in one batch, and counts', async () => {
    const updates: [number, string][] = [];
    const inserts: string[][] = [];
    const result = await upsertByKey(['A', 'B', 'C'], {
      key: (p) => p,
      known: async (keys) => {
        expect(keys).toEqual(['A', 'B', 'C']);
        return new Map([['B', 20]]);
      },
      values: (p) => p.toLowerCase(),
      update: async (id, v) => void updates.push([id, v]),
      insert: async (rows) => void inserts.push(rows),
    });
    expect(result).toEqual({ imported: 3, created: 2, updated: 1 });
    expect(updates).toEqual([[20, 'b']]);
    expect(inserts).toEqual([['a', 'c']]);
  });

  it('walks a keyset by id until a page comes back empty', async () => {
    const ids = [3, 5, 8, 13, 21];
    const asked: number[] = [];
    const pages: number[][] = [];
    for await (const page of keysetPages(async (after) => {
      asked.push(after);
      return ids
        .filter((id) => id > after)
        .slice(0, 2)
        .map((id) => ({ id }));
    }))
      pages.push(page.map((r) => r.id));
    expect(pages).toEqual([[3, 5], [8, 13], [21]]);
    expect(asked).toEqual([0, 5, 13, 21]);
  });
});

describe('receiveUpload', () => {
  const request = (actor: Actor, multipart = true) => {
    const seen: string[] = [];
    const req = {
      actor,
      isMultipart: () => (seen.push('isMultipart'), multipart),
      file: async () => {
        seen.push('file');
        return { filename: 'a\u0007b.xlsx', toBuffer: async () => Buffer.from('x') };
      },
    };
    return { req: req as unknown as FastifyRequest, seen };
  };
  const unitUser: Actor = { ...SYSTEM_ACTOR, id: 9, roles: ['unit'], unitId: 1 };

  it('refuses a caller without the permission before touching the body', async () => {
    const { req, seen } = request(unitUser);
    const err = await failure(() => receiveUpload(req, Permission.UnitImport));
    expect(err.status).toBe(403);
    expect(seen).toEqual([]);
  });

  it('reads the one file for a caller with it, its name under the text rule', async () => {
    const { req, seen } = request(SYSTEM_ACTOR);
    const file = await receiveUpload(req, Permission.UnitImport);
    expect(file.data.toString()).toBe('x');
    expect(file.filename).not.toContain('\u0007');
    expect(seen).toEqual(['isMultipart', 'file']);
    const none = await failure(() =>
      receiveUpload(request(SYSTEM_ACTOR, false).req, Permission.UnitImport),
    );
    expect([none.status, none.code]).toEqual([400, 'no_file']);
  });
});
