import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkIdNumber,
  idCheckChar,
  isMaskedIdNumber,
  maskIdNumber,
  normalizeIdNumber,
  withCheckChar,
} from './id-number.js';

describe('ID numbers (GB 11643)', () => {
  it('accepts the standard’s worked example and computes its check character', () => {
    // GB 11643-1999 appendix: 11010519491231002X.
    expect(idCheckChar('11010519491231002')).toBe('X');
    expect(checkIdNumber('11010519491231002X')).toEqual({
      ok: true,
      value: '11010519491231002X',
      birthDate: '1949-12-31',
      gender: 'female',
    });
    // A man: the sequence's last digit is odd.
    expect(checkIdNumber(withCheckChar('33010219900101001'))).toMatchObject({
      ok: true,
      gender: 'male',
    });
  });

  it('folds what people type: full-width digits, spaces, a lower-case x', () => {
    expect(normalizeIdNumber(' １１０１０５ 1949 1231 002x ')).toBe('11010519491231002X');
    expect(checkIdNumber('110105 19491231 002x').ok).toBe(true);
  });

  it('refuses a wrong check character, a wrong length, letters and a leading zero', () => {
    expect(checkIdNumber('110105194912310021')).toMatchObject({ ok: false, code: 'checksum' });
    expect(checkIdNumber('11010519491231002')).toMatchObject({ ok: false, code: 'format' });
    expect(checkIdNumber('1101051949123100211')).toMatchObject({ ok: false, code: 'format' });
    expect(checkIdNumber('11010519491231A02X')).toMatchObject({ ok: false, code: 'format' });
    expect(checkIdNumber(withCheckChar('01010519491231002'))).toMatchObject({ code: 'format' });
  });

  it('refuses a birth date that does not exist, is before 1900 or in the future', () => {
    const feb30 = checkIdNumber(withCheckChar('11010519900230001'));
    expect(feb30).toMatchObject({ ok: false, code: 'date' });
    if (!feb30.ok) expect(feb30.message.zh).toContain('1990-02-30');
    expect(checkIdNumber(withCheckChar('11010518991231001'))).toMatchObject({ code: 'date' });
    expect(checkIdNumber(withCheckChar('11010520991231001'), new Date('2026-12-01'))).toMatchObject(
      { code: 'date' },
    );
    // Leap day of a leap year is a date; of 1900 (not a leap year) it is not.
    expect(checkIdNumber(withCheckChar('11010520000229001')).ok).toBe(true);
    expect(checkIdNumber(withCheckChar('11010519000229001')).ok).toBe(false);
  });

  it('any one mistyped digit is caught by the check character (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1950, max: 2010 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        fc.integer({ min: 0, max: 999 }),
        fc.integer({ min: 0, max: 16 }),
        fc.integer({ min: 1, max: 9 }),
        (y, m, d, seq, at, delta) => {
          const first17 = `330102${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${String(seq).padStart(3, '0')}`;
          const id = withCheckChar(first17);
          expect(checkIdNumber(id).ok).toBe(true);
          const digit = (Number(id[at]) + delta) % 10;
          const typo = id.slice(0, at) + String(digit) + id.slice(at + 1);
          // A changed digit either breaks the format/date or the check, never passes unnoticed.
          expect(checkIdNumber(typo).ok).toBe(false);
        },
      ),
    );
  });

  it('masks to the first 6 and the last 4, and knows a masked value when it sees one', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
    expect(isMaskedIdNumber('110105********002X')).toBe(true);
    expect(isMaskedIdNumber('11010519491231002X')).toBe(false);
  });
});
