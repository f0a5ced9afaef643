import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCsv, parseCsv } from './csv.js';

const toCsv = (rows: string[][]) =>
  rows
    .map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(','))
    .join('\r\n');

describe('csv', () => {
  it('reads quotes, commas and line breaks inside cells', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi""\nthere"\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"\nthere'],
    ]);
  });

  it('round-trips what a spreadsheet writes', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', '中', ',', '"', '\n', ' ', '1') });
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
        (rows) => {
          // A row of one empty cell is indistinguishable from a blank line; rows here have ≥ 2 cells.
          expect(parseCsv(toCsv(rows))).toEqual(rows);
        },
      ),
    );
  });

  it('decodes UTF-8 with a BOM and GB18030', () => {
    expect(decodeCsv(Buffer.from('\ufeff工单编号,标题', 'utf8'))).toBe('工单编号,标题');
    const gbk = Buffer.from([0xb9, 0xa4, 0xb5, 0xa5]); // 工单 in GBK
    expect(decodeCsv(gbk)).toBe('工单');
  });
});
