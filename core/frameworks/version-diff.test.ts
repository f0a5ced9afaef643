import { describe, expect, it } from 'vitest';
import { codeKey } from './cells.js';
import { diffStandards, pairByKeyThenCode, type DiffStandard } from './version-diff.js';

const std = (key: string, code: string, maxScore = 2, text = `标准${code}`): DiffStandard => ({
  key,
  code,
  text,
  method: 'material',
  maxScore,
});

describe('version diff', () => {
  it('pairs by key first (a copied draft whose code was edited), then by code (an imported file)', () => {
    const before = [std('a', 'I1.1.1'), std('b', 'I1.1.2'), std('c', 'I1.1.3')];
    const after = [std('a', 'I1.1.9'), std('x', 'I1.1.2'), std('y', 'I1.1.4')];
    const r = pairByKeyThenCode(before, after);
    expect(r.pairs.map(([o, n]) => [o.key, n.key])).toEqual([
      ['a', 'a'],
      ['b', 'x'],
    ]);
    expect(r.added.map((s) => s.key)).toEqual(['y']);
    expect(r.removed.map((s) => s.key)).toEqual(['c']);
  });

  it('a code whose key moved to another standard is not paired twice', () => {
    // The draft reused code I1.1.1 for a new standard while the old one (key a) kept its key.
    const before = [std('a', 'I1.1.1')];
    const after = [std('a', 'I1.1.5'), std('z', 'I1.1.1')];
    const r = pairByKeyThenCode(before, after);
    expect(r.pairs.map(([o, n]) => [o.key, n.key])).toEqual([['a', 'a']]);
    expect(r.added.map((s) => s.key)).toEqual(['z']);
  });

  it('codes compare half-width, upper-case and without spaces', () => {
    expect(codeKey('Ｉ１．１．１ ')).toBe('I1.1.1');
    expect(codeKey('i1.1.1')).toBe(codeKey('I1.1.1'));
    const r = diffStandards([std('a', 'I1.1.1')], [std('n', 'Ｉ１．１．１')]);
    expect(r.unchanged).toBe(1);
    expect(r.changed).toEqual([]);
  });

  it('lists the fields that changed and the totals before and after', () => {
    const r = diffStandards(
      [std('a', 'A1', 2), std('b', 'A2', 3, '旧的表述'), std('c', 'A3', 1.5)],
      [
        std('a', 'A1', 2.5),
        { ...std('b', 'A2', 3, '新的表述'), method: 'field' },
        std('d', 'A4', 4),
      ],
    );
    expect(r.changed.map((c) => [c.code, c.fields])).toEqual([
      ['A1', ['maxScore']],
      ['A2', ['text', 'method']],
    ]);
    expect(r.removed.map((s) => s.code)).toEqual(['A3']);
    expect(r.added.map((s) => s.code)).toEqual(['A4']);
    expect([r.maxBefore, r.maxAfter]).toEqual([6.5, 9.5]);
  });
});
