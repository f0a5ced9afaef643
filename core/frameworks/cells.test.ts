import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cleanText,
  codeKey,
  isNoteLabel,
  looseTextKey,
  parseCode,
  parseDue,
  parseHeadingLabel,
  parseScore,
  parseSummaryLabel,
  splitLabel,
  splitNames,
  splitStatedScore,
  textKey,
} from './cells.js';
import { normKey, parseMethod } from './methods.js';
import { checkCampaignWeights, toFraction, toPercent } from './weights.js';

describe('cells of messy sheets', () => {
  it('keeps codes as written: letters, case and separators; full width folded to half width', () => {
    expect(parseCode('I1.1.1')).toBe('I1.1.1');
    expect(parseCode('A-1-2')).toBe('A-1-2');
    expect(parseCode('1.1.1')).toBe('1.1.1');
    expect(parseCode('Ｉ１．１．１')).toBe('I1.1.1');
    expect(parseCode('Ａ－１－２')).toBe('A-1-2');
    expect(parseCode(' i1.2.3 ')).toBe('i1.2.3');
    expect(parseCode('I 1.2')).toBe('I1.2');
    expect(parseCode('Ⅰ-1')).toBe('I-1');
    // What is not part of the code: list marks after it, a bracket around it.
    expect(parseCode('1.2.3、')).toBe('1.2.3');
    expect(parseCode('3）')).toBe('3');
    expect(parseCode('（1）')).toBe('1');
    expect(parseCode('(2)')).toBe('2');
    expect(parseCode('')).toBe('');
  });

  it('compares codes half-width, upper-case, without spaces', () => {
    expect(codeKey(' i1.2.3 ')).toBe('I1.2.3');
    expect(codeKey('Ｉ１．２．３')).toBe(codeKey('I1.2.3'));
    expect(codeKey('a-1-2')).toBe(codeKey('A-1-2'));
    expect(codeKey('I1.2.3')).not.toBe(codeKey('I1.2.4'));
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
    // A letter-led code straight against the name; its case kept.
    expect(splitLabel('I1思想引领')).toEqual({ code: 'I1', name: '思想引领' });
    expect(splitLabel('a-2 宣传')).toEqual({ code: 'a-2', name: '宣传' });
    expect(splitLabel('1.1 理论学习')).toEqual({ code: '1.1', name: '理论学习' });
    // Roman ordinals are ordinals; a leading numeral word without a mark is part of the name.
    expect(splitLabel('Ⅱ、城市管理')).toEqual({ code: null, name: '城市管理' });
    expect(splitLabel('一流营商环境')).toEqual({ code: null, name: '一流营商环境' });
  });

  it('takes a stated score off a group label', () => {
    expect(splitStatedScore('一、思想道德建设（11分）')).toEqual({
      label: '一、思想道德建设',
      score: 11,
    });
    expect(splitStatedScore('（二）公益宣传(共6分)')).toEqual({
      label: '（二）公益宣传',
      score: 6,
    });
    expect(splitStatedScore('市容环境（满分 5.5 分）')).toEqual({ label: '市容环境', score: 5.5 });
    expect(splitStatedScore('党委（党组）')).toEqual({ label: '党委（党组）', score: null });
    expect(splitStatedScore('宣讲（2）')).toEqual({ label: '宣讲（2）', score: null });
  });

  it('knows subtotal and total labels, and words that only look like them', () => {
    expect(parseSummaryLabel('小计')).toEqual({ kind: 'subtotal', name: null, stated: null });
    expect(parseSummaryLabel('小 计')).toEqual({ kind: 'subtotal', name: null, stated: null });
    expect(parseSummaryLabel('小计（11分）')).toEqual({ kind: 'subtotal', name: null, stated: 11 });
    expect(parseSummaryLabel('合计')).toEqual({ kind: 'total', name: null, stated: null });
    expect(parseSummaryLabel('总计：21')).toEqual({ kind: 'total', name: null, stated: 21 });
    expect(parseSummaryLabel('分值合计')).toEqual({ kind: 'total', name: null, stated: null });
    expect(parseSummaryLabel('合计（3家）')).toMatchObject({ kind: 'total', name: null });
    expect(parseSummaryLabel('Total')).toMatchObject({ kind: 'total' });
    expect(parseSummaryLabel('一、思想道德建设小计')).toEqual({
      kind: 'subtotal',
      name: '一、思想道德建设',
      stated: null,
    });
    expect(parseSummaryLabel('思想道德建设 合计（11分）')).toEqual({
      kind: 'total',
      name: '思想道德建设',
      stated: 11,
    });
    expect(parseSummaryLabel('合计划生育服务站')).toBeNull();
    expect(parseSummaryLabel('总计划')).toBeNull();
    expect(parseSummaryLabel('建立统计台账')).toBeNull();
    expect(parseSummaryLabel('')).toBeNull();
  });

  it('knows note lines', () => {
    expect(isNoteLabel('注：1. 牵头单位负总责')).toBe(true);
    expect(isNoteLabel('备注: 见附件')).toBe(true);
    expect(isNoteLabel('说明：本表由市文明办解释')).toBe(true);
    expect(isNoteLabel('注1.时限以文件为准')).toBe(true);
    expect(isNoteLabel('注重宣传实效')).toBe(false);
    expect(isNoteLabel('说明会每年召开')).toBe(false);
  });

  it('compares standard texts without trailing punctuation, loosely without trailing notes', () => {
    expect(textKey('有年度计划。')).toBe(textKey('有年度计划'));
    expect(textKey(' 有年度计划； ')).toBe(textKey('有年度计划'));
    expect(textKey('有计划（含佐证材料）')).not.toBe(textKey('有计划'));
    expect(looseTextKey('有计划（含佐证材料）')).toBe(textKey('有计划'));
    expect(looseTextKey('有计划(附佐证材料)。')).toBe(textKey('有计划'));
    expect(looseTextKey('有计划【必查】（含佐证材料）')).toBe(textKey('有计划'));
    expect(looseTextKey('（含佐证材料）')).toBe(textKey('（含佐证材料）'));
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

  it('reads a month alone as due by its end, like “6月底”', () => {
    for (const t of [
      '2026年6月',
      '2026年06月',
      '２０２６年６月',
      '2026-06',
      '2026-6',
      '2026.6',
      '2026/6',
    ]) {
      expect(parseDue(t), t).toEqual({ date: '2026-06-30' });
    }
    expect(parseDue(' 2026 年 6 月 ')).toEqual({ date: '2026-06-30' });
    expect(parseDue('2028年2月')).toEqual({ date: '2028-02-29' });
    expect(parseDue('2026.12')).toEqual({ date: '2026-12-31' });
    expect(parseDue('2026年1月')).toEqual({ date: '2026-01-31' });
    // "2026.10" typed into a General cell arrives as the number 2026.1: January, as Excel shows it.
    expect(parseDue(String(2026.1))).toEqual({ date: '2026-01-31' });
    for (const t of ['2026年13月', '2026年0月', '2026-00', '2026.13', '2026/13', '2026年6']) {
      expect(parseDue(t), t).toEqual({ error: 'invalid_date' });
    }
    // Without a year a month stays text.
    expect(parseDue('6月')).toEqual({ text: '6月' });
  });

  it('knows group headings written where a standard would be', () => {
    expect(parseHeadingLabel('一、思想引领与价值培育（18分）')).toEqual({
      level: 'item',
      label: '一、思想引领与价值培育',
      name: '思想引领与价值培育',
      code: null,
      stated: 18,
    });
    expect(parseHeadingLabel('第二部分 城市管理')).toMatchObject({
      level: 'item',
      name: '城市管理',
      stated: null,
    });
    expect(parseHeadingLabel('Ⅲ、公共服务(共12分)')).toMatchObject({
      level: 'item',
      name: '公共服务',
      stated: 12,
    });
    expect(parseHeadingLabel('（一）理论学习（6分）')).toMatchObject({
      level: 'content',
      label: '（一）理论学习',
      name: '理论学习',
      stated: 6,
    });
    expect(parseHeadingLabel('I1 思想引领与价值培育')).toMatchObject({
      level: 'item',
      name: '思想引领与价值培育',
      code: 'I1',
    });
    expect(parseHeadingLabel('I1.2、公益宣传')).toMatchObject({ level: 'content', code: 'I1.2' });
    // A bare number is a heading's only with a stated score ("1.1 有计划" may be a standard).
    expect(parseHeadingLabel('1.1 理论学习（6分）')).toMatchObject({
      level: 'content',
      code: '1.1',
    });
    expect(parseHeadingLabel('1.1 理论学习')).toBeNull();
    // Standards, codes, sums, notes and sentences are not headings.
    expect(parseHeadingLabel('I1.1.1 有年度学习计划')).toBeNull();
    expect(parseHeadingLabel('I1.1.2')).toBeNull();
    expect(parseHeadingLabel('1')).toBeNull();
    expect(parseHeadingLabel('有年度学习计划')).toBeNull();
    expect(parseHeadingLabel('一流营商环境')).toBeNull();
    expect(parseHeadingLabel('一、思想道德建设小计')).toBeNull();
    expect(parseHeadingLabel('注：本表由市文明办解释')).toBeNull();
    expect(parseHeadingLabel('一、按计划开展学习，有记录。')).toBeNull();
    expect(parseHeadingLabel('一、思想引领\n二、城市管理')).toBeNull();
    expect(parseHeadingLabel('')).toBeNull();
  });

  it('splits unit lists on every separator offices use', () => {
    expect(splitNames('市委宣传部、市文明办，团市委;市民政局；市司法局 市商务局/市体育局')).toEqual(
      ['市委宣传部', '市文明办', '团市委', '市民政局', '市司法局', '市商务局', '市体育局'],
    );
  });

  it('does not split inside brackets: a collective name keeps its 、', () => {
    expect(splitNames('各县（市、区）、市城管局，市教育局(含体育、语委)')).toEqual([
      '各县（市、区）',
      '市城管局',
      '市教育局(含体育、语委)',
    ]);
    // An unclosed bracket does not swallow the rest of the cell's separators before it.
    expect(splitNames('市城管局、各街道（乡镇')).toEqual(['市城管局', '各街道（乡镇']);
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
