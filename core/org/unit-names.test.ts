import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  mergeUnitNames,
  ownAliases,
  splitUnitNames,
  unitNameClashMessage,
  unitNameIndex,
  unitNameKey,
} from './unit-names.js';

describe('unit names', () => {
  it('splits a cell on 、，,；;/ in both widths and trims each name', () => {
    expect(splitUnitNames(' 城管局、城管，市城管局;城管执法／城市管理局 ; ,')).toEqual([
      '城管局',
      '城管',
      '市城管局',
      '城管执法',
      '城市管理局',
    ]);
    expect(splitUnitNames('')).toEqual([]);
    expect(splitUnitNames(null)).toEqual([]);
    // A space is part of a name here (unlike a sheet's lead-unit cell).
    expect(splitUnitNames('万达广场 东店')).toEqual(['万达广场 东店']);
  });

  it('merges lists keeping the first spelling of each name', () => {
    expect(mergeUnitNames(['城管', 'ＣＧ'], ['cg', ' 城管 ', '城管局'], [''])).toEqual([
      '城管',
      'ＣＧ',
      '城管局',
    ]);
  });

  it('drops aliases that repeat the unit’s own names', () => {
    expect(ownAliases(['城管局', '城管', '市城市管理局'], '市城市管理局', '城管局')).toEqual([
      '城管',
    ]);
  });

  it('finds an alias another unit uses and names that unit', () => {
    const clash = unitNameIndex([
      { key: 1, name: '市教育局', shortName: '教育局', aliases: ['教育'] },
      { key: 2, name: '市城市管理局', shortName: null, aliases: ['城管'] },
    ]);
    expect(clash(2, ['城管', '教育 '])).toEqual({ alias: '教育 ', other: '市教育局', as: 'alias' });
    expect(clash(1, ['教育局', '教育'])).toBeNull();
    expect(clash(3, ['市教育局'])).toMatchObject({ as: 'name' });
    expect(unitNameClashMessage({ alias: '城管', other: '市城市管理局', as: 'shortName' })).toEqual(
      {
        zh: '别名“城管”已是单位“市城市管理局”的简称，不能再用作本单位的别名',
        en: 'alias "城管" is already the short name of unit "市城市管理局"',
      },
    );
  });

  it('merging is idempotent and splitting a joined list gives it back', () => {
    const name = fc
      .string({
        unit: fc.constantFrom(...'城管局市委办ＡａA 　'.split('')),
        minLength: 1,
        maxLength: 6,
      })
      .filter((s) => unitNameKey(s) !== '');
    fc.assert(
      fc.property(fc.array(name, { maxLength: 6 }), (list) => {
        const merged = mergeUnitNames(list);
        expect(mergeUnitNames(merged)).toEqual(merged);
        expect(splitUnitNames(merged.join('、'))).toEqual(merged);
      }),
    );
  });
});
