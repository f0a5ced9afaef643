import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from './errors.js';
import { importCheck, matchLabel, parseDate, splitList } from './import-check.js';
import type { ColumnSpec } from './xlsx.js';

type Key = 'code' | 'name' | 'type' | 'phone';
// Only the headers matter here (reading sheets is tested in xlsx-import.test.ts).
const HEADERS: Record<Key, string> = {
  code: '单位代码',
  name: '单位名称',
  type: '单位类型',
  phone: '联系电话',
};
const COLUMNS = Object.entries(HEADERS).map(([key, header]) => ({
  key,
  header,
})) as ColumnSpec<Key>[];
const TYPES = {
  school: { zh: '学校', en: 'School' },
  hospital: { zh: '医院', en: 'Hospital' },
} as const;

/** The AppError a function throws. */
function failure(run: () => unknown): AppError {
  try {
    run();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('cell words', () => {
  it('reads dates as offices write them and refuses impossible ones', () => {
    expect(parseDate('2026/3/1')).toBe('2026-03-01');
    expect(parseDate('2026年3月1日')).toBe('2026-03-01');
    expect(parseDate('２０２６－０３－０１')).toBe('2026-03-01');
    expect(parseDate('2026-03-01T00:00:00.000Z')).toBe('2026-03-01');
    expect(parseDate('2026/2/30')).toBeNull();
    expect(parseDate('某天')).toBeNull();
  });

  it('matches options by code, Chinese or English label, and splits lists', () => {
    expect(matchLabel(TYPES, 'SCHOOL')).toBe('school');
    expect(matchLabel(TYPES, ' 医院 ')).toBe('hospital');
    expect(matchLabel(TYPES, 'hospital ')).toBe('hospital');
    expect(matchLabel(TYPES, '外星机构')).toBeUndefined();
    expect(splitList('摄影、急救, 法律；心理 ')).toEqual(['摄影', '急救', '法律', '心理']);
    expect(splitList('')).toEqual([]);
  });
});

describe('ImportCheck', () => {
  const sheet = (...rows: Partial<Record<Key, string>>[]) =>
    rows.map((v, i) => ({
      row: i + 2,
      values: { code: '', name: '', type: '', phone: '', ...v },
    }));

  it('reports every problem by row and column header, duplicates first within a row', () => {
    const rows = sheet(
      { code: 'A', name: '甲', type: '学校' },
      { code: 'B', name: '乙', type: '外星机构', phone: '123' },
      { code: 'a', name: '丙', type: '' },
      { code: 'C', name: '丁', type: 'hospital' },
    );
    const check = importCheck(COLUMNS);
    check.unique(rows, 'code', (v) => v.code.toLowerCase());
    const phone = z.object({ phone: z.string().regex(/^\d{11}$/, '手机号 / phone') });
    const parsed = check.rows(rows, (r) => {
      const type = r.option('type', TYPES, { zh: '单位类型', en: 'unit type' });
      const ok = phone.safeParse({ phone: r.values.phone || '13800000000' });
      if (!ok.success) r.failZod(ok.error);
      return { code: r.values.code, type };
    });
    expect(parsed).toEqual([
      { row: 2, data: { code: 'A', type: 'school' } },
      { row: 5, data: { code: 'C', type: 'hospital' } },
    ]);
    const err = failure(() => check.throwIfAny());
    expect([err.status, err.code]).toEqual([422, 'import_rejected']);
    expect(err.extra.rows!.map((e) => [e.row, e.column])).toEqual([
      [3, '单位类型'],
      [3, '联系电话'],
      [4, '单位代码'],
      [4, '单位类型'],
    ]);
    const [unknown, , dup, blank] = err.extra.rows!;
    expect(unknown!.reason).toContain('外星机构');
    expect(unknown!.reason).toContain('学校、医院');
    expect(dup!.reason).toBe('与第 2 行重复 / duplicates row 2');
    expect(blank!.reason).toBe('必须填写单位类型 / the unit type is required');
    expect(err.msg.en).toContain('4 error(s)');
  });

  it('looks names up, reads 启用/停用 and dates, and leaves blank cells alone', () => {
    type K = 'region' | 'active' | 'day';
    const cols: ColumnSpec<K>[] = [
      { key: 'region', header: '所属区划' },
      { key: 'active', header: '状态' },
      { key: 'day', header: '签订日期' },
    ];
    const regions = new Map([
      ['620102', 7],
      ['城关区', 7],
    ]);
    const check = importCheck(cols);
    const out = check.rows(
      [
        { row: 2, values: { region: '城关区', active: '停用', day: '2026/3/1' } },
        { row: 3, values: { region: '', active: '', day: '' } },
        { row: 4, values: { region: '火星', active: '也许', day: '某天' } },
        { row: 5, values: { region: 'constructor', active: 'toString', day: '0000-00-00' } },
      ],
      (r) => ({
        regionId: r.lookup('region', regions, { zh: '区划', en: 'region' }),
        active: r.active('active'),
        day: r.date('day'),
        failedRegion: r.failed('region'),
      }),
    );
    expect(out.map((o) => o.data)).toEqual([
      { regionId: 7, active: false, day: '2026-03-01', failedRegion: false },
      { regionId: null, active: true, day: null, failedRegion: false },
    ]);
    expect(check.errors).toEqual([
      { row: 4, column: '所属区划', reason: '区划“火星”不存在 / region not found' },
      { row: 4, column: '状态', reason: expect.stringContaining('启用') },
      { row: 4, column: '签订日期', reason: expect.stringContaining('not a date') },
      { row: 5, column: '所属区划', reason: expect.stringContaining('not found') },
      { row: 5, column: '状态', reason: expect.stringContaining('启用') },
      { row: 5, column: '签订日期', reason: expect.stringContaining('not a date') },
    ]);
  });

  it('leaves out zod issues of columns already reported', () => {
    const check = importCheck(COLUMNS);
    const schema = z.object({ type: z.string().min(1, 'empty'), name: z.string().min(2, 'short') });
    check.rows(sheet({ code: 'A', name: 'x', type: '火星' }), (r) => {
      r.fail('type', 'unknown type');
      const res = schema.safeParse({ type: '', name: r.values.name });
      if (!res.success) r.failZod(res.error, { except: r.failed('type') ? ['type'] : [] });
      return undefined;
    });
    expect(check.errors.map((e) => [e.column, e.reason])).toEqual([
      ['单位类型', 'unknown type'],
      ['单位名称', 'short'],
    ]);
  });
});
