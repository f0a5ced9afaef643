import { describe, expect, it } from 'vitest';
import { flagSentence, flaggedUnits, periodWord, visitSentence } from './bulletin-text.js';

const row = (unitName: string, rank: number | null, flag: 'red' | 'black' | null = null) => ({
  unitName,
  rank,
  flag,
});
const districts = (rows: ReturnType<typeof row>[]) => ({ label: { zh: '区县' }, rows });
const depts = (rows: ReturnType<typeof row>[]) => ({ label: { zh: '市直部门' }, rows });

// 流动红旗 / 黑牌 per period (BRIEF §5 "Rankings and flags": 西秀 quarterly 流动红旗, 武汉 红旗/黄旗).
describe('the flag sentence of a bulletin', () => {
  it('names the flagged units of each colour with their class', () => {
    const classes = [
      districts([row('东湖区', 1, 'red'), row('西城区', 2, 'black')]),
      depts([row('城管局', 1, 'red'), row('住建局', 2), row('园林局', 3, 'black')]),
    ];
    expect(flaggedUnits(classes, 'red')).toEqual(['东湖区（区县）', '城管局（市直部门）']);
    expect(flagSentence('2026-11', classes)).toBe(
      '授予东湖区（区县）、城管局（市直部门）流动红旗；对西城区（区县）、园林局（市直部门）予以黑牌警示。',
    );
  });

  it('says in words that nobody got a colour, never a dash', () => {
    const onlyRed = [depts([row('城管局', 1, 'red'), row('住建局', 2)])];
    expect(flagSentence('2026-11', onlyRed)).toBe(
      '授予城管局（市直部门）流动红旗；本月无黑牌单位。',
    );
    const onlyBlack = [depts([row('城管局', 1), row('住建局', 2, 'black')])];
    expect(flagSentence('2026-11', onlyBlack)).toBe(
      '本月无单位获流动红旗；对住建局（市直部门）予以黑牌警示。',
    );
    // Ranked, but all tied: no flag of either colour.
    const tied = [depts([row('城管局', 1), row('住建局', 1)])];
    expect(flagSentence('2026-11', tied)).toBe('本月无单位获流动红旗，无黑牌单位。');
    for (const c of [onlyRed, onlyBlack, tied]) expect(flagSentence('2026-11', c)).not.toMatch(/—/);
  });

  it('says why there are no flags when no unit reached the minimum sample', () => {
    const small = [districts([row('东湖区', null)]), depts([])];
    expect(flagSentence('2026-11', small)).toBe('本月无单位达到排名样本数，未评定流动红旗和黑牌。');
    expect(flagSentence('2026-W47', [])).toBe('本周无单位达到排名样本数，未评定流动红旗和黑牌。');
  });

  it('names a week 本周 and a month 本月', () => {
    expect(periodWord('2026-W47')).toBe('本周');
    expect(periodWord('2026-11')).toBe('本月');
  });
});

describe('the field-inspection sentence of a bulletin', () => {
  it('gives the visits and their 合格率, or says there were none', () => {
    expect(visitSentence('2026-11', 12, 0.75)).toBe('实地检查点位 12 个次，合格率 75.0%。');
    expect(visitSentence('2026-11', 2, null)).toBe('实地检查点位 2 个次（检查项均不适用）。');
    expect(visitSentence('2026-11', 0, null)).toBe('本月无实地检查记录。');
  });
});
