import { describe, expect, it } from 'vitest';
import { unitMatcher } from './unit-match.js';

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
    expect(match('万达广场(示范市店)')).toMatchObject({ ok: true, unit: { id: 5 } });
  });

  it('a short name wins over a derived name; two units under one name are ambiguous', () => {
    expect(match('民政局')).toMatchObject({ ok: true, unit: { id: 4 } });
    expect(match('园林')).toEqual({
      ok: false,
      reason: 'ambiguous',
      candidates: ['市园林局', '南山区园林局'],
    });
    expect(match('卫健委')).toEqual({ ok: false, reason: 'unknown' });
  });
});
