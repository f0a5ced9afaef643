import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normKey } from './methods.js';
import {
  diceSimilarity,
  shortenSuffix,
  stripGenericSuffix,
  unitMatcher,
  unitNotFoundReason,
  type UnitRef,
} from './unit-match.js';

describe('unit matching', () => {
  const match = unitMatcher([
    { id: 1, name: '市委宣传部', shortName: null },
    { id: 2, name: '市城市管理综合执法局', shortName: '城管局' },
    { id: 3, name: '市民政局', shortName: null },
    { id: 4, name: '东湖区民政局', shortName: '民政局' },
    { id: 5, name: '万达广场（示范市店）', shortName: null },
    { id: 6, name: '市园林局', shortName: '园林' },
    { id: 7, name: '南山区园林局', shortName: '园林' },
  ]);

  it('matches full names, short names and names without the city prefix', () => {
    expect(match('市委宣传部')).toMatchObject({ ok: true, unit: { id: 1 } });
    expect(match('宣传部')).toMatchObject({ ok: true, unit: { id: 1 } });
    expect(match(' 城管局 ')).toMatchObject({ ok: true, unit: { id: 2 } });
    expect(match('市城管局')).toMatchObject({ ok: true, unit: { id: 2 } });
    expect(match('万达广场(示范市店)')).toMatchObject({ ok: true, unit: { id: 5 } });
  });

  it('a short name wins over a derived name; two units under one name are ambiguous', () => {
    expect(match('民政局')).toMatchObject({ ok: true, unit: { id: 4 } });
    expect(match('园林')).toEqual({
      ok: false,
      reason: 'ambiguous',
      candidates: ['市园林局', '南山区园林局'],
    });
    expect(match('卫健委')).toEqual({ ok: false, reason: 'unknown', suggestions: [] });
    expect(match('  ')).toEqual({ ok: false, reason: 'unknown', suggestions: [] });
    expect(match('东湖民政局')).toEqual({
      ok: false,
      reason: 'unknown',
      suggestions: ['东湖区民政局', '市民政局'],
    });
  });
});

describe('unit matching: aliases and variants', () => {
  const units: UnitRef[] = [
    { id: 1, name: '市城市管理局', shortName: '城管', aliases: ['城市管理局', '城管执法'] },
    { id: 2, name: '市发展和改革委员会', shortName: null, aliases: [] },
    { id: 3, name: '市文明办', shortName: null },
    { id: 4, name: '市市场监督管理局', shortName: '市场监管局' },
    { id: 5, name: '市卫生健康委员会', shortName: '卫健委', aliases: ['卫生健康委'] },
    { id: 6, name: '市政务服务中心', shortName: null, aliases: ['政务中心'] },
    { id: 7, name: '市教育局', shortName: '教育局' },
    { id: 8, name: '东湖区教育局', shortName: null, aliases: ['区教育'] },
  ];
  const match = unitMatcher(units);
  const id = (name: string) => {
    const m = match(name);
    return m.ok ? m.unit.id : m.reason;
  };

  it('matches an alias like a short name', () => {
    expect(id('城管执法')).toBe(1);
    expect(id('城市管理局')).toBe(1);
    expect(id('卫生健康委')).toBe(5);
  });

  it('matches a name with or without a generic ending', () => {
    expect(id('城管局')).toBe(1); // alias 城管 + 局
    expect(id('市城管局')).toBe(1);
    expect(id('卫健')).toBe(5); // short name 卫健委 without 委
    expect(id('政务服务')).toBe(6);
    expect(id('政务')).toBe(6); // alias 政务中心 without 中心
    expect(id('区教育局')).toBe(8);
  });

  it('reads a long ending as its short form', () => {
    expect(id('市发展和改革委')).toBe(2);
    expect(id('发展和改革委')).toBe(2);
    expect(id('发展和改革委员会')).toBe(2);
    expect(id('卫生健康委员会')).toBe(5);
  });

  it('never swaps one ending for another', () => {
    expect(id('文明委')).toBe('unknown');
    expect(id('文明办')).toBe(3);
    expect(id('城管办')).toBe(1); // 城管 + 办: an ending added, not swapped
    expect(id('教育委')).toBe('unknown'); // 教育局 with 委 for 局
  });

  it('keeps a 市 that is no prefix', () => {
    expect(id('市场监管局')).toBe(4);
    expect(id('市市场监管局')).toBe(4);
    expect(id('市场监管')).toBe(4);
  });

  it('an earlier tier decides before a variant is tried', () => {
    const m = unitMatcher([
      { id: 1, name: '市教育局', shortName: null },
      { id: 2, name: '教育中心', shortName: null, aliases: ['教育'] },
    ]);
    // 教育 is unit 2's alias (tier 2), though it is also unit 1's stem.
    expect(m('教育')).toMatchObject({ ok: true, unit: { id: 2 } });
    // 教育局 is unit 1 without its prefix (tier 3).
    expect(m('教育局')).toMatchObject({ ok: true, unit: { id: 1 } });
  });

  it('two units in the variant tier are ambiguous', () => {
    const m = unitMatcher([
      { id: 1, name: '甲区城管局', shortName: null, aliases: ['城管局'] },
      { id: 2, name: '乙区城管中心', shortName: null, aliases: ['城管中心'] },
    ]);
    expect(m('城管')).toEqual({
      ok: false,
      reason: 'ambiguous',
      candidates: ['甲区城管局', '乙区城管中心'],
    });
  });

  it('strips the city’s own name when it is given', () => {
    const m = unitMatcher([{ id: 1, name: '示范市城市管理局', shortName: '城管局' }], {
      city: '示范市',
    });
    expect(m('示范城管局')).toMatchObject({ ok: true, unit: { id: 1 } });
    expect(m('示范市城管局')).toMatchObject({ ok: true, unit: { id: 1 } });
    expect(m('城市管理局')).toMatchObject({ ok: true, unit: { id: 1 } });
    expect(
      unitMatcher([{ id: 1, name: '示范市城市管理局', shortName: null }])('城市管理局'),
    ).toEqual({ ok: false, reason: 'unknown', suggestions: ['示范市城市管理局'] });
  });

  it('suggests the closest unit names for a name it cannot find', () => {
    expect(match('城管居')).toEqual({
      ok: false,
      reason: 'unknown',
      suggestions: ['市城市管理局'],
    });
    expect(match.suggest('城管居')).toEqual(['市城市管理局']);
    expect(match.suggest('教育')).toEqual(['市教育局', '东湖区教育局']);
    expect(match.suggest('教育', 1)).toHaveLength(1);
    expect(match.suggest('发改委')).toEqual([]);
    expect(match.suggest('')).toEqual([]);
    expect(match.suggest('市市场监督管理')).toEqual(['市市场监督管理局']);
  });

  it('words the not-found reason with and without suggestions', () => {
    expect(unitNotFoundReason('发改委', [])).toEqual({
      zh: '单位“发改委”不存在（可写全称，或在单位管理中把它设为该单位的简称或别名）',
      en: 'unit "发改委" not found (write the full name, or add it to the unit as a short name or alias)',
    });
    const r = unitNotFoundReason('城管居', ['市城市管理局', '市城管委']);
    expect(r.zh).toMatch(/；您是不是要找：市城市管理局、市城管委$/);
    expect(r.en).toMatch(/; did you mean: 市城市管理局, 市城管委\?$/);
  });
});

describe('unit matching: properties', () => {
  // Characters that make the tiers meet: prefixes, endings, full-width letters, spaces.
  const char = fc.constantFrom(
    ...'市委局办中心员会公室城管民政教育卫健园林区东南文明发改ＡａA（）() \u3000'.split(''),
  );
  const name = fc.string({ unit: char, minLength: 1, maxLength: 8 });
  const directory = fc
    .array(
      fc.record({ name, shortName: fc.option(name), aliases: fc.array(name, { maxLength: 3 }) }),
      {
        minLength: 1,
        maxLength: 8,
      },
    )
    .map((list) => list.map((u, i): UnitRef => ({ id: i + 1, ...u })));

  it('normalising is idempotent', () => {
    fc.assert(
      fc.property(name, (s) => {
        expect(normKey(normKey(s))).toBe(normKey(s));
        expect(shortenSuffix(shortenSuffix(s))).toBe(shortenSuffix(s));
      }),
    );
  });

  it('a name and its normal form match the same way', () => {
    fc.assert(
      fc.property(directory, name, (units, s) => {
        const m = unitMatcher(units);
        expect(m(normKey(s))).toEqual(m(s));
        expect(m(` ${s.toUpperCase()} `)).toEqual(m(s));
      }),
    );
  });

  it('a unit always matches its own names when no two units share one', () => {
    fc.assert(
      fc.property(directory, (units) => {
        const owner = new Map<string, number>();
        for (const u of units) {
          for (const n of [u.name, u.shortName, ...(u.aliases ?? [])]) {
            const k = n ? normKey(n) : '';
            if (!k) continue;
            if ((owner.get(k) ?? u.id) !== u.id) return; // shared: not this property's case
            owner.set(k, u.id);
          }
        }
        const m = unitMatcher(units);
        for (const u of units) {
          for (const n of [u.name, u.shortName, ...(u.aliases ?? [])]) {
            if (!n || !normKey(n)) continue;
            expect(m(n)).toMatchObject({ ok: true, unit: { id: u.id } });
          }
        }
      }),
    );
  });

  it('a unit’s own name is always among the suggestions for it', () => {
    fc.assert(
      fc.property(directory, (units) => {
        const m = unitMatcher(units);
        for (const u of units) {
          if (!normKey(u.name)) continue;
          expect(m.suggest(u.name, units.length)).toContain(u.name);
        }
      }),
    );
  });

  it('similarity is symmetric, 1 for equal keys and between 0 and 1', () => {
    fc.assert(
      fc.property(name, name, (a, b) => {
        const d = diceSimilarity(a, b);
        expect(d).toBe(diceSimilarity(b, a));
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(1);
        expect(diceSimilarity(a, a)).toBe(1);
        expect(stripGenericSuffix(a).length).toBeLessThanOrEqual(a.length);
      }),
    );
  });
});
