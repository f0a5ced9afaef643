import { describe, expect, it } from 'vitest';
import { partyMatcher, proposeParty, splitPartyCell, type PartyRef } from './parties.js';

describe('collective parties', () => {
  it('splits a cell at separators but not inside brackets', () => {
    expect(splitPartyCell('各县（市、区）、市城管局，各物业公司')).toEqual([
      '各县（市、区）',
      '市城管局',
      '各物业公司',
    ]);
    expect(splitPartyCell('各街道(乡镇) 社区居委会')).toEqual(['各街道(乡镇)', '社区居委会']);
  });

  it('proposes what the names real decompositions use probably are', () => {
    const cases: [string, ReturnType<typeof proposeParty>][] = [
      ['各区县', { kind: 'group', memberTypes: ['district_government'] }],
      ['各县（市、区）', { kind: 'group', memberTypes: ['district_government'] }],
      ['各街道（乡镇）', { kind: 'group', memberTypes: ['street_office'] }],
      ['各级党委（党组）', { kind: 'group', memberTypes: ['party_committee'] }],
      ['社区居委会', { kind: 'group', memberTypes: ['community_committee'] }],
      ['市直各部门', { kind: 'group', memberTypes: ['government_department', 'party_committee'] }],
      ['各物业公司', { kind: 'outside', memberTypes: [] }],
      ['各银行网点', { kind: 'outside', memberTypes: [] }],
      ['驻市单位', { kind: 'outside', memberTypes: [] }],
      // A group the office fills in: no type says who the 文明单位 are.
      ['各文明单位', { kind: 'group', memberTypes: [] }],
    ];
    for (const [name, want] of cases) expect(proposeParty(name), name).toEqual(want);
    for (const one of ['市城管局', '发改委', '示范市第一中学', '万达广场（示范市店）']) {
      expect(proposeParty(one), one).toBeNull();
    }
  });

  it('finds a party by name or alias, brackets and spaces alike', () => {
    const p: PartyRef = {
      id: 1,
      name: '各县（市、区）',
      aliases: ['各区县', '各县区'],
      kind: 'group',
      memberIds: [3, 4],
      contactUnitId: null,
    };
    const m = partyMatcher([p]);
    expect(m('各县(市、区)')).toBe(p);
    expect(m(' 各区县 ')).toBe(p);
    expect(m('各街道')).toBeNull();
  });
});
