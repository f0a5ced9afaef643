import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanText, parseCode, parseDue, parseScore, splitLabel, splitNames } from './cells.js';
import { normKey, parseMethod } from './methods.js';
import { checkCampaignWeights, toFraction, toPercent } from './weights.js';

describe('cells of messy sheets', () => {
  it('reads codes written in full width, with spaces and trailing marks', () => {
    expect(parseCode('Ｉ１．２．３')).toBe('I1.2.3');
    expect(parseCode(' i1.2.3 ')).toBe('I1.2.3');
    expect(parseCode('3）')).toBe('3');
    expect(parseCode('（2）')).toBe('2');
    expect(parseCode('')).toBe('');
  });

  it('splits item and content labels into code and name', () => {
    expect(splitLabel('I1 思想引领与价值培育')).toEqual({ code: 'I1', name: '思想引领与价值培育' });
    expect(splitLabel('Ｉ１．２、核心价值观公益宣传')).toEqual({
      code: 'I1.2',
      name: '核心价值观公益宣传',
    });
    expect(splitLabel('Ⅰ-1 中央文明委重点工作')).toEqual({
      code: 'I-1',
      name: '中央文明委重点工作',
    });
    expect(splitLabel('一、思想引领')).toEqual({ code: null, name: '思想引领' });
    expect(splitLabel('（二）理论学习')).toEqual({ code: null, name: '理论学习' });
    expect(splitLabel('  城市管理  与  市容 ')).toEqual({ code: null, name: '城市管理 与 市容' });
    // Names that merely start with digits keep them.
    expect(splitLabel('12345热线办理')).toEqual({ code: null, name: '12345热线办理' });
    expect(splitLabel('2026年重点工作')).toEqual({ code: null, name: '2026年重点工作' });
  });

  it('keeps the wording of text but removes stray spaces', () => {
    expect(cleanText('  党委（党组）\u3000中心组  有计划 ')).toBe('党委（党组） 中心组 有计划');
    expect(cleanText('第一行 \n\n 第二行')).toBe('第一行\n\n第二行');
  });

  it('reads scores in half and full width, with 分', () => {
    expect(parseScore('5')).toBe(5);
    expect(parseScore('５')).toBe(5);
    expect(parseScore(' 2.5分 ')).toBe(2.5);
    expect(parseScore('０．５')).toBe(0.5);
    expect(parseScore('五分')).toBeNull();
    expect(parseScore('abc')).toBeNull();
    expect(parseScore('-1')).toBeNull();
    expect(parseScore('1.234')).toBeNull();
  });

  it('reads deadlines as dates where they are dates and keeps the rest as text', () => {
    expect(parseDue('2026-06-30')).toEqual({ date: '2026-06-30' });
    expect(parseDue('２０２６年６月３０日')).toEqual({ date: '2026-06-30' });
    expect(parseDue('2026/6/3')).toEqual({ date: '2026-06-03' });
    expect(parseDue('2026年6月底')).toEqual({ date: '2026-06-30' });
    expect(parseDue('2028年2月底前')).toEqual({ date: '2028-02-29' });
    expect(parseDue('2026-06-30T00:00:00.000Z')).toEqual({ date: '2026-06-30' });
    expect(parseDue('46203')).toEqual({ date: '2026-06-30' });
    expect(parseDue('长期坚持')).toEqual({ text: '长期坚持' });
    expect(parseDue('2026-02-30')).toEqual({ error: 'invalid_date' });
    expect(parseDue('2026-13')).toEqual({ error: 'invalid_date' });
    expect(parseDue('  ')).toBeNull();
  });

  it('splits unit lists on every separator offices use', () => {
    expect(splitNames('市委宣传部、市文明办，团市委;市民政局；市司法局 市商务局/市体育局')).toEqual(
      ['市委宣传部', '市文明办', '团市委', '市民政局', '市司法局', '市商务局', '市体育局'],
    );
  });

  it('reads methods as codes, labels and the short words of real sheets', () => {
    expect(parseMethod('实地')).toEqual({ ok: true, method: 'field' });
    expect(parseMethod(' 材料审核 ')).toEqual({ ok: true, method: 'material' });
    expect(parseMethod('问卷')).toEqual({ ok: true, method: 'survey' });
    expect(parseMethod('实景模拟验证')).toEqual({ ok: true, method: 'simulation' });
    expect(parseMethod('Field')).toEqual({ ok: true, method: 'field' });
    expect(parseMethod('整体观察')).toEqual({ ok: true, method: 'overall' });
    expect(parseMethod('材料审核、问卷调查')).toEqual({ ok: false, reason: 'several' });
    expect(parseMethod('抽查')).toEqual({ ok: false, reason: 'unknown' });
    expect(parseMethod('')).toEqual({ ok: false, reason: 'empty' });
  });

  it('normalising is idempotent and ignores full width and spaces', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(normKey(normKey(s))).toBe(normKey(s));
        expect(cleanText(cleanText(s))).toBe(cleanText(s));
      }),
    );
    expect(normKey('万达广场（示范市店）')).toBe(normKey('万达广场 (示范市店)'));
  });
});

describe('campaign weights', () => {
  it('accepts 15/25/60 and 40/40/20', () => {
    expect(
      checkCampaignWeights({
        cycleYears: 3,
        cycleWeights: [15, 25, 60],
        methodWeights: { material: 40, field: 40, survey: 20 },
      }),
    ).toEqual([]);
  });

  it('names every wrong sum and count in both languages', () => {
    const issues = checkCampaignWeights({
      cycleYears: 3,
      cycleWeights: [15, 25],
      methodWeights: { material: 40, field: 40, survey: 30 },
    });
    expect(issues.map((i) => i.path[0])).toEqual(['cycleWeights', 'cycleWeights', 'methodWeights']);
    expect(issues[1]!.zh).toContain('40%');
    expect(issues[2]!.en).toContain('110%');
  });

  it('percent and fraction convert back and forth exactly to two decimals', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10000 }), (n) => {
        const pct = n / 100;
        expect(toPercent(toFraction(pct))).toBe(pct);
      }),
    );
    expect(toPercent(0.15)).toBe(15);
  });
});
