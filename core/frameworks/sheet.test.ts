import { describe, expect, it } from 'vitest';
import { unitMatcher } from './unit-match.js';
import { normKey } from './methods.js';
import {
  FRAMEWORK_SHEET_COLUMNS,
  parseAssignmentSheet,
  parseFrameworkSheet,
  type SheetKey,
  type SheetRowIn,
} from './sheet.js';

const KEYS: SheetKey[] = [
  'item',
  'content',
  'code',
  'text',
  'method',
  'score',
  'lead',
  'responsible',
  'leader',
  'due',
  'guidance',
  'evidence',
  'notes',
];
function rows(...cells: string[][]): SheetRowIn[] {
  return cells.map((c, i) => ({
    row: i + 2,
    values: Object.fromEntries(KEYS.map((k, j) => [k, c[j] ?? ''])) as Record<SheetKey, string>,
  }));
}
/** Rows with cells under unknown headers too: [values…] and { header: text }. */
function rowsX(...cells: [string[], Record<string, string>?][]): SheetRowIn[] {
  return rows(...cells.map(([c]) => c)).map((r, i) => ({ ...r, extra: cells[i]![1] ?? {} }));
}
const units = unitMatcher([
  { id: 1, name: '市委宣传部', shortName: null },
  { id: 2, name: '市文明办', shortName: null },
  { id: 3, name: '市城市管理综合执法局', shortName: '城管局' },
]);

describe('framework sheet', () => {
  it('carries blank parents down, generates missing codes, keeps task rows', () => {
    const r = parseFrameworkSheet(
      rows(
        [
          '一、思想引领',
          '（一）理论学习',
          '',
          '有年度学习计划',
          '材料',
          '５',
          '宣传部',
          '文明办、城管局',
          '张副市长',
          '2026年6月底',
        ],
        ['', '', '', '基层宣讲每季度 1 次', '材料审核', '4分'],
        ['', '（二）公益宣传', '', '公益广告规范', '实地', '2', '城管局', '', '', '长期坚持'],
        ['I9 城市管理', 'I9.1 街面秩序', 'I9.1.1', '无占道经营', 'field', '2'],
      ),
      units,
    );
    expect(r.errors).toEqual([]);
    expect(r.data.items.map((i) => [i.code, i.text])).toEqual([
      ['I1', '思想引领'],
      ['I9', '城市管理'],
    ]);
    const [first, second] = r.data.items;
    expect(first!.contents.map((c) => [c.code, c.text, c.standards.map((s) => s.code)])).toEqual([
      ['I1.1', '理论学习', ['I1.1.1', 'I1.1.2']],
      ['I1.2', '公益宣传', ['I1.2.1']],
    ]);
    expect(first!.contents[0]!.standards[1]).toMatchObject({
      text: '基层宣讲每季度 1 次',
      method: 'material',
      maxScore: 4,
    });
    expect(second!.contents[0]!.code).toBe('I9.1');
    expect(r.assignments).toEqual([
      {
        row: 2,
        standardCode: 'I1.1.1',
        leadUnitId: 1,
        responsibleUnitIds: [2, 3],
        leaderName: '张副市长',
        dueDate: '2026-06-30',
        dueText: null,
        notes: null,
      },
      {
        row: 4,
        standardCode: 'I1.2.1',
        leadUnitId: 3,
        responsibleUnitIds: [],
        leaderName: null,
        dueDate: null,
        dueText: '长期坚持',
        notes: null,
      },
    ]);
  });

  it('a standard on several rows (one per lead unit) is one standard with several tasks', () => {
    const r = parseFrameworkSheet(
      rows(
        ['I1 思想', 'I1.1 学习', '1', '有计划', '材料', '5', '宣传部'],
        ['', '', '1', '有计划', '材料', '5', '文明办'],
        ['', '', '2）', '有记录', '材料', '5', '文明办'],
      ),
      units,
    );
    expect(r.errors).toEqual([]);
    expect(r.data.items[0]!.contents[0]!.standards.map((s) => s.code)).toEqual([
      'I1.1.1',
      'I1.1.2',
    ]);
    expect(r.assignments.map((a) => [a.standardCode, a.leadUnitId])).toEqual([
      ['I1.1.1', 1],
      ['I1.1.1', 2],
      ['I1.1.2', 2],
    ]);
  });

  it('reports every row it cannot read, with row, column and reason', () => {
    const r = parseFrameworkSheet(
      rows(
        ['I1 思想', 'I1.1 学习', 'I1.1.0', '有制度', '材料', '1'],
        ['', '', 'I1.1.1', '有计划', '抽查', '5'],
        ['', '', 'I1.1.2', '', '材料', '5'],
        ['', '', 'I1.1.3', '有记录', '材料', '五分'],
        ['', '', 'I1.1.4', '有宣讲', '材料', '3', '卫健委'],
        ['', '', 'I1.1.0', '有别的', '材料', '5'],
        ['', '', 'I1.1.6', '有台账', '材料、问卷调查', '1', '', '', '', '2026-02-30'],
        ['', '', 'I1.1.7', '有人员', '实地', '1', '宣传部、文明办'],
      ),
      units,
    );
    expect(r.errors.map((e) => [e.row, e.column])).toEqual([
      [3, '方法'],
      [4, '标准'],
      [5, '分值'],
      [6, '牵头单位'],
      [7, '标准编号'],
      [8, '方法'],
      [8, '牵头单位'],
      [8, '时限'],
      [9, '牵头单位'],
    ]);
    expect(r.errors[0]!.reason).toContain('抽查');
    expect(r.errors[3]!.reason).toMatch(/卫健委.*不存在.*not found/);
    expect(r.errors[4]!.reason).toContain('第 2 行');
  });

  it('an item written on a new row with a blank content is an error, not a carry-over', () => {
    const r = parseFrameworkSheet(
      rows(
        ['I1 思想', 'I1.1 学习', '', '有计划', '材料', '5'],
        ['I2 城管', '', '', '无占道', '实地', '2'],
      ),
      units,
    );
    expect(r.errors).toEqual([
      { row: 3, column: '内容', reason: '缺少测评内容 / the content is missing' },
    ]);
  });
});

describe('assignment sheet', () => {
  const standards = [
    { code: 'I1.1.1', text: '有计划' },
    { code: 'I1.1.2', text: '有记录' },
  ];
  it('finds standards by code or text and reports unknown ones', () => {
    const r = parseAssignmentSheet(
      rows(
        ['', '', 'ｉ1.1.1', '', '', '', '宣传部', '城管局'],
        ['', '', '', '有记录', '', '', '文明办'],
        ['', '', 'I9.9.9', '', '', '', '文明办'],
        ['', '', 'I1.1.1', '', '', '', '市委宣传部'],
        ['', '', 'I1.1.2', '', '', '', ''],
      ),
      units,
      standards,
    );
    expect(r.assignments.map((a) => [a.standardCode, a.leadUnitId, a.responsibleUnitIds])).toEqual([
      ['I1.1.1', 1, [3]],
      ['I1.1.2', 2, []],
    ]);
    expect(r.errors.map((e) => [e.row, e.column])).toEqual([
      [4, '标准编号'],
      [5, '牵头单位'],
      [6, '牵头单位'],
    ]);
  });
});

describe('header aliases', () => {
  it('no header is listed under two columns, and offices’ words are there', () => {
    const seen = new Map<string, SheetKey>();
    for (const c of FRAMEWORK_SHEET_COLUMNS) {
      for (const h of [c.header, ...c.aliases, ...(c.fallbackAliases ?? [])]) {
        const k = normKey(h);
        expect(seen.get(k) ?? c.key, `${h} is under ${seen.get(k)} and ${c.key}`).toBe(c.key);
        seen.set(k, c.key);
      }
    }
    const of = (h: string) => seen.get(normKey(h));
    for (const [h, k] of [
      ['编号', 'code'],
      ['指标编号', 'code'],
      ['测评标准编号', 'code'],
      ['条目编号', 'code'],
      ['一级指标', 'item'],
      ['测评项目', 'item'],
      ['项目名称', 'item'],
      ['二级指标', 'content'],
      ['测评内容', 'content'],
      ['内容', 'content'],
      ['三级指标', 'text'],
      ['测评标准', 'text'],
      ['标准内容', 'text'],
      ['具体标准', 'text'],
      ['测评方式', 'method'],
      ['考核方式', 'method'],
      ['测评方法', 'method'],
      ['分值', 'score'],
      ['分数', 'score'],
      ['标准分', 'score'],
      ['权重分', 'score'],
      ['牵头单位', 'lead'],
      ['牵头部门', 'lead'],
      ['责任领导单位', 'lead'],
      ['主责单位', 'lead'],
      ['责任单位', 'responsible'],
      ['配合单位', 'responsible'],
      ['协办单位', 'responsible'],
      ['参与单位', 'responsible'],
      ['包抓领导', 'leader'],
      ['分管领导', 'leader'],
      ['责任领导', 'leader'],
      ['包保领导', 'leader'],
      ['时限', 'due'],
      ['完成时限', 'due'],
      ['完成时间', 'due'],
      ['时间节点', 'due'],
      ['备注', 'notes'],
      ['说明', 'notes'],
      ['测评说明', 'guidance'],
      ['序号', 'code'],
      ['测评说明/佐证材料', 'evidence'],
      ['测评说明／佐证材料', 'evidence'],
      ['测评说明及佐证材料', 'evidence'],
      ['说明/佐证', 'evidence'],
    ] as const) {
      expect(of(h), h).toBe(k);
    }
    // 序号 and 说明 only when nothing better is there; 测评说明/佐证材料 only without 佐证材料.
    const code = FRAMEWORK_SHEET_COLUMNS.find((c) => c.key === 'code')!;
    expect(code.aliases).not.toContain('序号');
    expect(code.fallbackAliases).toContain('序号');
    const evidence = FRAMEWORK_SHEET_COLUMNS.find((c) => c.key === 'evidence')!;
    expect(evidence.aliases).not.toContain('测评说明/佐证材料');
    expect(evidence.fallbackAliases).toContain('测评说明/佐证材料');
  });
});

describe('rows that are not standards', () => {
  it('passes over 小计, 合计, labelled and bare sums, and checks what they state', () => {
    const r = parseFrameworkSheet(
      rows(
        ['一、思想引领', '（一）理论学习', '', '有年度学习计划', '材料', '3', '宣传部'],
        ['', '', '', '基层宣讲每季度 1 次', '材料审核', '2'],
        ['', '', '', '小计', '', '5'],
        ['', '（二）公益宣传', '', '公益广告规范', '实地', '4', '城管局'],
        ['', '', '', '', '', '4'],
        ['一、思想引领小计', '', '', '', '', '9'],
        ['二、城市管理', '街面秩序', '', '无占道经营', '实地', '2', '城管局'],
        ['', '', '', '小 计', '', '3'],
        ['', '', '', '分值合计', '', '11'],
        ['总计', '', '', '', '', '11'],
        ['', '', '', '合计', '', '12'],
      ),
      units,
    );
    expect(r.errors).toEqual([]);
    expect(
      r.data.items.flatMap((i) => i.contents.flatMap((c) => c.standards.map((s) => s.code))),
    ).toEqual(['I1.1.1', 'I1.1.2', 'I1.2.1', 'I2.1.1']);
    expect(r.report.skippedRows.map((s) => [s.row, s.kind])).toEqual([
      [4, 'subtotal'],
      [6, 'subtotal'],
      [7, 'subtotal'],
      [9, 'subtotal'],
      [10, 'total'],
      [11, 'total'],
      [12, 'total'],
    ]);
    expect(r.report.sumChecks).toEqual([
      { row: 4, label: '小计', stated: 5, computed: 5, ok: true, scope: 'content' },
      { row: 6, label: '', stated: 4, computed: 4, ok: true, scope: 'content' },
      { row: 7, label: '一、思想引领小计', stated: 9, computed: 9, ok: true, scope: 'item' },
      // The row states 3 where its content holds 2: a warning, the import goes ahead.
      { row: 9, label: '小 计', stated: 3, computed: 2, ok: false, scope: 'content' },
      { row: 10, label: '分值合计', stated: 11, computed: 11, ok: true, scope: 'all' },
      { row: 11, label: '总计', stated: 11, computed: 11, ok: true, scope: 'all' },
      { row: 12, label: '合计', stated: 12, computed: 11, ok: false, scope: 'all' },
    ]);
    expect(r.report.skippedRows[0]!.reason).toMatch(/小计.*subtotal/);
  });

  it('a bare 小计 after several contents is the item’s when that adds up', () => {
    const r = parseFrameworkSheet(
      rows(
        ['I1 思想', 'I1.1 学习', '', '有计划', '材料', '3'],
        ['', 'I1.2 宣传', '', '有广告', '实地', '2'],
        ['', '', '', '小计', '', '5'],
        ['I2 城管', 'I2.1 秩序', '', '无占道', '实地', '4'],
        ['', '', '', '', '', '4'],
        ['', '', '', '合计', '', '9'],
      ),
      units,
    );
    expect(r.errors).toEqual([]);
    expect(r.report.sumChecks.map((c) => [c.row, c.scope, c.computed, c.ok])).toEqual([
      [4, 'item', 5, true],
      [6, 'content', 4, true],
      [7, 'all', 9, true],
    ]);
  });

  it('a standard on two rows counts once', () => {
    const r = parseFrameworkSheet(
      rows(
        ['I1 思想', 'I1.1 学习', 'I1.1.1', '有计划', '材料', '3', '宣传部'],
        ['', '', 'I1.1.1', '有计划', '材料', '3', '文明办'],
        ['', '', '', '小计', '', '3'],
      ),
      units,
    );
    expect(r.errors).toEqual([]);
    expect(r.assignments).toHaveLength(2);
    expect(r.report.sumChecks[0]).toMatchObject({ computed: 3, ok: true });
  });

  it('headings carry down, with the sums they state; notes and merged-only rows pass', () => {
    const r = parseFrameworkSheet(
      rows(
        ['一、思想引领（5分）'],
        ['', '（一）理论学习', '', '', '', '5'],
        ['', '', '', '有年度学习计划', '材料', '3'],
        ['', '', '', '基层宣讲', '材料', '2'],
        ['二、城市管理', '街面秩序（共3分）', '', '无占道经营', '实地', '2'],
        ['', '', '', '', '', '', '', '', '', '', '', '', ''],
        ['二、城市管理', '街面秩序（共3分）'],
        ['注：本表由市文明办负责解释。'],
      ),
      units,
    );
    expect(r.errors).toEqual([]);
    expect(r.data.items.map((i) => [i.code, i.text, i.contents.map((c) => c.text)])).toEqual([
      ['I1', '思想引领', ['理论学习']],
      ['I2', '城市管理', ['街面秩序']],
    ]);
    expect(r.report.skippedRows.map((s) => [s.row, s.kind])).toEqual([
      [2, 'heading'],
      [3, 'heading'],
      [7, 'blank'],
      [8, 'blank'],
      [9, 'note'],
    ]);
    expect(r.report.sumChecks.map((c) => [c.row, c.label, c.scope, c.stated, c.computed])).toEqual([
      [2, '一、思想引领（5分）', 'item', 5, 5],
      [3, '（一）理论学习', 'content', 5, 5],
      [6, '街面秩序（共3分）', 'content', 3, 2],
    ]);
  });

  it('a row with a method is a standard whatever its text says', () => {
    const r = parseFrameworkSheet(
      rows(['I1 卫生', 'I1.1 服务', '', '合计划生育服务站有标识', '实地', '2']),
      units,
    );
    expect(r.errors).toEqual([]);
    expect(r.report.skippedRows).toEqual([]);
  });

  it('a sheet of nothing but sums is an error', () => {
    const r = parseFrameworkSheet(rows(['', '', '', '合计', '', '0']), units);
    expect(r.errors.map((e) => e.reason)).toEqual([
      '文件中没有测评标准行 / the file has no standard rows',
    ]);
  });
});

describe('codes as written', () => {
  const codesOf = (r: ReturnType<typeof parseFrameworkSheet>) =>
    r.data.items.map((i) => [
      i.code,
      i.contents.map((c) => [c.code, c.standards.map((s) => s.code)]),
    ]);

  it('keeps letters, case and separators; takes the parents from the children', () => {
    const sheet = (...codes: string[]) =>
      codesOf(
        parseFrameworkSheet(
          rows(
            ['一、思想引领', '（一）学习', codes[0]!, '有计划', '材料', '3'],
            ['', '', codes[1]!, '有记录', '材料', '3'],
            ['', '（二）宣传', codes[2]!, '有广告', '实地', '2'],
            ['二、城市管理', '（一）秩序', codes[3]!, '无占道', '实地', '2'],
          ),
          units,
        ),
      );
    expect(sheet('I1.1.1', 'I1.1.2', 'I1.2.1', 'I2.1.1')).toEqual([
      [
        'I1',
        [
          ['I1.1', ['I1.1.1', 'I1.1.2']],
          ['I1.2', ['I1.2.1']],
        ],
      ],
      ['I2', [['I2.1', ['I2.1.1']]]],
    ]);
    expect(sheet('A-1-1', 'a-1-2', 'A-2-1', 'B-1-1')).toEqual([
      [
        'A',
        [
          ['A-1', ['A-1-1', 'a-1-2']],
          ['A-2', ['A-2-1']],
        ],
      ],
      ['B', [['B-1', ['B-1-1']]]],
    ]);
    expect(sheet('1.1.1', '1.1.2、', '1.2.1', '2.1.1')).toEqual([
      [
        '1',
        [
          ['1.1', ['1.1.1', '1.1.2']],
          ['1.2', ['1.2.1']],
        ],
      ],
      ['2', [['2.1', ['2.1.1']]]],
    ]);
    // Full width folded to half width for storage; numbers within the content.
    expect(sheet('Ｉ１．１．１', '（2）', 'Ｉ１．２．１', 'i2.1.1')).toEqual([
      [
        'I1',
        [
          ['I1.1', ['I1.1.1', 'I1.1.2']],
          ['I1.2', ['I1.2.1']],
        ],
      ],
      ['i2', [['i2.1', ['i2.1.1']]]],
    ]);
    // A roman ordinal is not a code; the item follows its first content, whose code follows its
    // standard's; a content whose standards disagree is numbered under the item.
    const r = parseFrameworkSheet(
      rows(
        ['Ⅱ 城市管理', '（一）秩序', 'I2.1.1', '无占道', '实地', '2'],
        ['', '（二）环境', 'X9', '无垃圾', '实地', '2'],
        ['', '', 'Y9.1', '无积水', '实地', '2'],
      ),
      units,
    );
    expect(r.errors).toEqual([]);
    expect(codesOf(r)).toEqual([
      [
        'I2',
        [
          ['I2.1', ['I2.1.1']],
          ['I2.2', ['X9', 'Y9.1']],
        ],
      ],
    ]);
  });

  it('numbers written in the code column become the content code and the number', () => {
    const r = parseFrameworkSheet(
      rows(
        ['A 思想', 'A-1 学习', '1', '有计划', '材料', '3'],
        ['', '', '（2）', '有记录', '材料', '3'],
        ['', '', '3、', '有台账', '材料', '3'],
      ),
      units,
    );
    expect(r.errors).toEqual([]);
    expect(codesOf(r)).toEqual([['A', [['A-1', ['A-1-1', 'A-1-2', 'A-1-3']]]]]);
  });

  it('one code in two cases or widths is a duplicate', () => {
    const r = parseFrameworkSheet(
      rows(
        ['I1 思想', 'I1.1 学习', 'I1.1.1', '有计划', '材料', '3'],
        ['', '', 'i1.1.1', '有记录', '材料', '3'],
        ['', '', 'Ｉ１．１．１', '有台账', '材料', '3'],
      ),
      units,
    );
    expect(r.errors.map((e) => [e.row, e.column])).toEqual([
      [3, '标准编号'],
      [4, '标准编号'],
    ]);
  });

  it('序号 is the code only when it holds codes, not a running count', () => {
    const running = parseFrameworkSheet(
      rowsX(
        [['I1 思想', 'I1.1 学习', '1', '有计划', '材料', '3']],
        [['', 'I1.2 宣传', '2', '有广告', '实地', '2']],
        [['', '', '', '小计', '', '2']],
        [['', '', '3', '有展板', '实地', '2']],
      ),
      units,
      { seqCodeHeader: '序号' },
    );
    expect(running.errors).toEqual([]);
    expect(codesOf(running)).toEqual([
      [
        'I1',
        [
          ['I1.1', ['I1.1.1']],
          ['I1.2', ['I1.2.1', 'I1.2.2']],
        ],
      ],
    ]);
    expect(running.report.unknownColumns).toEqual(['序号']);
    expect(running.data.items[0]!.contents[1]!.standards[1]!.extra).toEqual({ 序号: '3' });

    const perContent = parseFrameworkSheet(
      rowsX(
        [['I1 思想', 'I1.1 学习', '1', '有计划', '材料', '3']],
        [['', 'I1.2 宣传', '1', '有广告', '实地', '2']],
        [['', '', '2', '有展板', '实地', '2']],
      ),
      units,
      { seqCodeHeader: '序号' },
    );
    expect(codesOf(perContent)).toEqual([
      [
        'I1',
        [
          ['I1.1', ['I1.1.1']],
          ['I1.2', ['I1.2.1', 'I1.2.2']],
        ],
      ],
    ]);
    expect(perContent.report.unknownColumns).toEqual([]);

    const written = parseFrameworkSheet(
      rowsX(
        [['一、思想', '（一）学习', 'A1.1.1', '有计划', '材料', '3']],
        [['', '', 'A1.1.2', '有记录', '材料', '3']],
      ),
      units,
      { seqCodeHeader: '序号' },
    );
    expect(codesOf(written)).toEqual([['A1', [['A1.1', ['A1.1.1', 'A1.1.2']]]]]);

    const words = parseFrameworkSheet(
      rowsX([['I1 思想', 'I1.1 学习', '一', '有计划', '材料', '3']]),
      units,
      { seqCodeHeader: '序号' },
    );
    expect(words.errors).toEqual([]);
    expect(codesOf(words)).toEqual([['I1', [['I1.1', ['I1.1.1']]]]]);
  });
});

describe('remarks and unknown columns', () => {
  it('a 备注 and unknown cells without a lead unit are the standard’s; with one, the task’s', () => {
    const r = parseFrameworkSheet(
      rowsX(
        [
          ['I1 思想', 'I1.1 学习', '', '有计划', '材料', '3', '', '', '', '', '', '', '待定'],
          { 联系人: '李明', 完成情况: '已完成' },
        ],
        [
          ['', '', '', '有记录', '材料', '3', '宣传部', '', '', '', '', '', '按月报送'],
          { 联系人: '王芳' },
        ],
        [['', '', '', '有记录', '材料', '3', '文明办'], { 联系人: '赵强' }],
      ),
      units,
      { unknownColumns: ['联系人', '完成情况'] },
    );
    expect(r.errors).toEqual([]);
    const [a, b] = r.data.items[0]!.contents[0]!.standards;
    expect(a).toMatchObject({ notes: '待定', extra: { 联系人: '李明', 完成情况: '已完成' } });
    expect(b!.notes).toBeUndefined();
    expect(b!.extra).toBeUndefined();
    expect(r.assignments.map((x) => [x.standardCode, x.leadUnitId, x.notes, x.extra])).toEqual([
      ['I1.1.2', 1, '按月报送', { 联系人: '王芳' }],
      ['I1.1.2', 2, null, { 联系人: '赵强' }],
    ]);
    expect(r.report.unknownColumns).toEqual(['联系人', '完成情况']);
    // The unknown headers in sheet order travel with the version (an export writes them so).
    expect(r.data.source.columns).toEqual(['联系人', '完成情况']);
  });

  it('a standard’s rows without a task add their distinct cells; rows with one keep their own', () => {
    const r = parseFrameworkSheet(
      rowsX(
        [
          ['I1 思想', 'I1.1 学习', 'I1.1.1', '有计划', '材料', '3', '', '', '', '', '', '', '待定'],
          { 联系人: ' 李明 ', 完成情况: '' },
        ],
        [['', '', 'I1.1.1', '有计划', '材料', '3'], { 联系人: '王芳' }],
        [['', '', 'I1.1.1', '有计划', '材料', '3'], { 联系人: '李明' }],
        [['', '', 'I1.1.1', '有计划', '材料', '3', '宣传部'], { 联系人: '赵强', 序号: '1' }],
        [['', '', 'I1.1.1', '有计划', '材料', '3', '文明办'], {}],
      ),
      units,
      { unknownColumns: ['序号', '联系人', '完成情况'] },
    );
    expect(r.errors).toEqual([]);
    const [s] = r.data.items[0]!.contents[0]!.standards;
    expect(s).toMatchObject({ notes: '待定', extra: { 联系人: '李明\n王芳' } });
    expect(r.assignments.map((a) => a.extra)).toEqual([{ 联系人: '赵强', 序号: '1' }, undefined]);
  });

  it('units, a leader or a deadline without a lead unit are still an error', () => {
    const r = parseFrameworkSheet(
      rows(['I1 思想', 'I1.1 学习', '', '有计划', '材料', '3', '', '文明办']),
      units,
    );
    expect(r.errors.map((e) => [e.column, e.reason])).toEqual([
      [
        '牵头单位',
        '填写了责任单位、领导或时限，但缺少牵头单位 / the row has units, a leader or a deadline but no lead unit',
      ],
    ]);
  });
});

describe('assignment sheet against a version', () => {
  const standards = [
    { code: 'I1.1.1', text: '有年度学习计划', contentCode: 'I1.1', contentText: '理论学习' },
    {
      code: 'I1.1.2',
      text: '基层宣讲每季度不少于1次（含佐证材料）',
      contentCode: 'I1.1',
      contentText: '理论学习',
    },
    { code: 'A-2-1', text: '市民满意率', contentCode: 'A-2', contentText: '公益宣传' },
    { code: 'I2.1.1', text: '市民满意率', contentCode: 'I2.1', contentText: '街面秩序' },
  ];

  it('matches by code first (compared form, bare numbers within the content)', () => {
    const r = parseAssignmentSheet(
      rows(
        ['', '', ' ｉ１．１．１ ', '', '', '', '宣传部'],
        ['', '', 'a-2-1', '', '', '', '文明办'],
        ['I1 思想', 'I1.1 学习', '（2）', '随便写的内容', '', '', '文明办'],
      ),
      units,
      standards,
    );
    expect(r.errors).toEqual([]);
    expect(r.assignments.map((a) => [a.row, a.standardCode])).toEqual([
      [2, 'I1.1.1'],
      [3, 'A-2-1'],
      [4, 'I1.1.2'],
    ]);
  });

  it('without a code, by text: trailing punctuation and notes aside, the content deciding', () => {
    const r = parseAssignmentSheet(
      rows(
        ['', '', '', '有年度学习计划。', '', '', '宣传部'],
        ['', '', '', '基层宣讲每季度不少于1次', '', '', '文明办'],
        ['', '', '', '基层宣讲每季度不少于1次(附佐证材料)', '', '', '宣传部'],
        ['二、城市管理', '街面秩序', '', '市民满意率', '', '', '城管局'],
        ['', '', '', '市民满意率', '', '', '文明办'],
        ['', '', '', '没有这条标准', '', '', '文明办'],
      ),
      units,
      standards,
    );
    expect(r.assignments.map((a) => [a.row, a.standardCode, a.leadUnitId])).toEqual([
      [2, 'I1.1.1', 1],
      [3, 'I1.1.2', 2],
      [4, 'I1.1.2', 1],
      [5, 'I2.1.1', 3],
      [6, 'I2.1.1', 2],
    ]);
    expect(r.errors.map((e) => [e.row, e.column])).toEqual([[7, '标准']]);
    expect(r.errors[0]!.reason).toContain('没有这条标准');
  });

  it('a task row’s cells under unknown headers are its assignment’s', () => {
    const r = parseAssignmentSheet(
      rowsX(
        [['', '', 'I1.1.1', '', '', '', '宣传部'], { 联系人: '李明\n13800000001', 完成情况: ' ' }],
        [['', '', 'I1.1.2', '', '', '', '', '', '', '', '', '', '待定'], { 联系人: '王芳' }],
      ),
      units,
      standards,
      { unknownColumns: ['联系人', '完成情况'] },
    );
    expect(r.errors).toEqual([]);
    expect(r.assignments.map((a) => [a.standardCode, a.extra])).toEqual([
      ['I1.1.1', { 联系人: '李明\n13800000001' }],
    ]);
    expect(r.report.skippedRows.map((s) => [s.row, s.kind])).toEqual([[3, 'no_assignment']]);
  });

  it('a text in two contents without one to tell them apart asks for the code', () => {
    const r = parseAssignmentSheet(
      rows(['', '', '', '市民满意率', '', '', '城管局']),
      units,
      standards,
    );
    expect(r.errors.map((e) => e.reason)).toEqual([
      '内容为“市民满意率”的标准有多条（A-2-1、I2.1.1），请填写标准编号 / several standards read "市民满意率" (A-2-1, I2.1.1); give the standard code',
    ]);
  });

  it('passes over sums, headings, notes and full rows that assign nothing', () => {
    const r = parseAssignmentSheet(
      rows(
        ['一、思想引领'],
        ['', '（一）理论学习', 'I1.1.1', '有年度学习计划', '材料', '3', '宣传部'],
        ['', '', 'I1.1.2', '基层宣讲', '材料', '2', '', '', '', '', '', '', '待定'],
        ['', '', '', '小计', '', '5'],
        ['', '', '', '', '', '5'],
        ['合计', '', '', '', '', '5'],
        ['注：以上由市文明办解释'],
      ),
      units,
      standards,
    );
    expect(r.errors).toEqual([]);
    expect(r.assignments.map((a) => a.standardCode)).toEqual(['I1.1.1']);
    expect(r.assignments[0]!.extra).toBeUndefined();
    expect(r.report.skippedRows.map((s) => [s.row, s.kind])).toEqual([
      [2, 'heading'],
      [4, 'no_assignment'],
      [5, 'subtotal'],
      [6, 'blank'],
      [7, 'total'],
      [8, 'note'],
    ]);
  });
});

describe('headings where a standard would be (测评标准, 标准编号, 序号)', () => {
  it('a framework sheet opens the group there, carries it down and checks its sum', () => {
    const r = parseFrameworkSheet(
      rows(
        ['', '', '', '一、思想引领（7分）'],
        ['', '（一）理论学习', '', '有年度学习计划', '材料', '3'],
        ['', '', '', '基层宣讲', '材料', '2'],
        ['', '', '', '（二）公益宣传'],
        ['', '', '', '公益广告规范', '实地', '2'],
        ['', '', '', '二、城市管理（共4分）'],
        ['', '街面秩序', '', '无占道经营', '实地', '2'],
      ),
      units,
    );
    expect(r.errors).toEqual([]);
    expect(r.data.items.map((i) => [i.code, i.text, i.contents.map((c) => c.text)])).toEqual([
      ['I1', '思想引领', ['理论学习', '公益宣传']],
      ['I2', '城市管理', ['街面秩序']],
    ]);
    expect(r.report.skippedRows.map((s) => [s.row, s.kind])).toEqual([
      [2, 'heading'],
      [5, 'heading'],
      [7, 'heading'],
    ]);
    expect(r.report.sumChecks).toEqual([
      { row: 2, label: '一、思想引领（7分）', stated: 7, computed: 7, ok: true, scope: 'item' },
      { row: 7, label: '二、城市管理（共4分）', stated: 4, computed: 2, ok: false, scope: 'item' },
    ]);
  });

  it('a heading merged across from 序号 is a heading; its sum goes to the item written below it', () => {
    const r = parseFrameworkSheet(
      rowsX(
        [[], { 序号: '一、思想引领与价值培育（5分）' }],
        [['I1 思想引领与价值培育', 'I1.1 学习', 'I1.1.1', '有计划', '材料', '3'], { 序号: '1' }],
        [['', '', 'I1.1.2', '有记录', '材料', '2'], { 序号: '2' }],
        [[], { 序号: '二、城市管理（4分）' }],
        [['I2 城市管理（3分）', 'I2.1 秩序', 'I2.1.1', '无占道', '实地', '3'], { 序号: '3' }],
        [[], { 序号: '（一）空的内容（2分）' }],
      ),
      units,
      { unknownColumns: ['序号'] },
    );
    expect(r.errors).toEqual([]);
    expect(r.data.items.map((i) => [i.code, i.text])).toEqual([
      ['I1', '思想引领与价值培育'],
      ['I2', '城市管理'],
    ]);
    expect(r.report.skippedRows.map((s) => [s.row, s.kind, s.reason])).toEqual([
      [2, 'heading', '分组标题行，没有测评标准 / heading row, no standard on it'],
      [5, 'heading', '分组标题行，没有测评标准 / heading row, no standard on it'],
      [7, 'heading', '分组标题行，没有测评标准 / heading row, no standard on it'],
    ]);
    expect(r.report.sumChecks.map((c) => [c.row, c.label, c.scope, c.stated, c.computed])).toEqual([
      [2, '一、思想引领与价值培育（5分）', 'item', 5, 5],
      // The heading and the item's own label both state a sum: both are checked.
      [5, '二、城市管理（4分）', 'item', 4, 3],
      [6, 'I2 城市管理（3分）', 'item', 3, 3],
      // A heading nothing follows: its group has no standards.
      [7, '（一）空的内容（2分）', 'content', 2, 0],
    ]);
  });

  it('in a 序号 column read as the code, headings do not stop it being the code', () => {
    const r = parseFrameworkSheet(
      rows(
        ['', '', '一、思想引领（6分）'],
        ['I1 思想', 'I1.1 学习', 'A1.1.1', '有计划', '材料', '3'],
        ['', '', 'A1.1.2', '有记录', '材料', '3'],
      ),
      units,
      { seqCodeHeader: '序号' },
    );
    expect(r.errors).toEqual([]);
    expect(r.report.unknownColumns).toEqual([]);
    expect(r.data.items[0]!.contents[0]!.standards.map((s) => s.code)).toEqual([
      'A1.1.1',
      'A1.1.2',
    ]);
    expect(r.report.skippedRows.map((s) => [s.row, s.kind])).toEqual([[2, 'heading']]);
    expect(r.report.sumChecks.map((c) => [c.row, c.stated, c.computed, c.ok])).toEqual([
      [2, 6, 6, true],
    ]);
  });

  it('a row with a method, a task or a standard’s other cells is not a heading', () => {
    const r = parseFrameworkSheet(
      rows(
        ['I1 思想', 'I1.1 学习', '', '一、有计划', '材料', '3'],
        ['', '', '', '二、有记录', '', '', '宣传部'],
        ['', '', '', '三、有台账', '', '', '', '', '', '', '查看台账'],
      ),
      units,
    );
    expect(r.data.items[0]!.contents[0]!.standards.map((s) => s.text)).toEqual(['一、有计划']);
    expect(r.errors.map((e) => [e.row, e.column])).toEqual([
      [3, '方法'],
      [3, '分值'],
      [4, '方法'],
      [4, '分值'],
    ]);
  });

  const scored = [
    {
      code: 'I1.1.1',
      text: '有年度学习计划',
      contentCode: 'I1.1',
      contentText: '理论学习',
      maxScore: 3,
    },
    { code: 'I1.1.2', text: '基层宣讲', contentCode: 'I1.1', contentText: '理论学习', maxScore: 2 },
    {
      code: 'I1.2.1',
      text: '公益广告规范',
      contentCode: 'I1.2',
      contentText: '公益宣传',
      maxScore: 2,
    },
    {
      code: 'I2.1.1',
      text: '无占道经营',
      contentCode: 'I2.1',
      contentText: '街面秩序',
      maxScore: 4,
    },
  ];
  const taskSheet = () =>
    rowsX(
      [['', '', '', '一、思想引领与价值培育（7分）']],
      [['', '', 'I1.1.1', '有年度学习计划', '', '', '宣传部'], { 序号: '1' }],
      [['', '', '', '基层宣讲', '', '', '文明办'], { 序号: '2' }],
      [['', '', '', 'I1.2 公益宣传（2分）']],
      [['', '', '1', '', '', '', '城管局'], { 序号: '3' }],
      [[], { 序号: '二、城市管理（5分）' }],
      [['', '', '', '无占道经营', '', '', '城管局'], { 序号: '4' }],
    );

  it('a task sheet passes them over, takes the content they name, and checks their sums', () => {
    const r = parseAssignmentSheet(taskSheet(), units, scored, { unknownColumns: ['序号'] });
    expect(r.errors).toEqual([]);
    // "1" under the heading "I1.2 公益宣传" is that content's first standard.
    expect(r.assignments.map((a) => [a.row, a.standardCode])).toEqual([
      [3, 'I1.1.1'],
      [4, 'I1.1.2'],
      [6, 'I1.2.1'],
      [8, 'I2.1.1'],
    ]);
    expect(r.report.skippedRows.map((s) => [s.row, s.kind])).toEqual([
      [2, 'heading'],
      [5, 'heading'],
      [7, 'heading'],
    ]);
    expect(r.report.sumChecks).toEqual([
      {
        row: 2,
        label: '一、思想引领与价值培育（7分）',
        stated: 7,
        computed: 7,
        ok: true,
        scope: 'item',
      },
      { row: 5, label: 'I1.2 公益宣传（2分）', stated: 2, computed: 2, ok: true, scope: 'content' },
      // The whole item, the version's standards that the sheet does not list included.
      { row: 7, label: '二、城市管理（5分）', stated: 5, computed: 4, ok: false, scope: 'item' },
    ]);
  });

  it('a task sheet read without the standards’ scores checks no sums', () => {
    const bare = scored.map(({ maxScore: _, ...s }) => s);
    const r = parseAssignmentSheet(taskSheet(), units, bare, { unknownColumns: ['序号'] });
    expect(r.errors).toEqual([]);
    expect(r.assignments).toHaveLength(4);
    expect(r.report.skippedRows.map((s) => s.kind)).toEqual(['heading', 'heading', 'heading']);
    expect(r.report.sumChecks).toEqual([]);
  });

  it('headings in 项目 / 内容 of a task sheet state their sums too; by name when nothing follows', () => {
    const named = scored.map((s) => ({
      ...s,
      itemText: s.code.startsWith('I1') ? '思想引领与价值培育' : '城市管理',
    }));
    const r = parseAssignmentSheet(
      rows(
        ['一、思想引领与价值培育', '', '', '', '', '7'],
        ['', '', 'I1.1.1', '', '', '', '宣传部'],
        ['二、城市管理（4分）'],
      ),
      units,
      named,
    );
    expect(r.errors).toEqual([]);
    expect(r.report.sumChecks.map((c) => [c.row, c.scope, c.stated, c.computed, c.ok])).toEqual([
      [2, 'item', 7, 7, true],
      [4, 'item', 4, 4, true],
    ]);
  });

  it('a standard whose text reads like a heading is that standard', () => {
    const r = parseAssignmentSheet(
      rows(['', '', '', '一、有年度学习计划'], ['', '', '', '二、无此标准']),
      units,
      [{ code: 'I1.1.1', text: '一、有年度学习计划' }],
    );
    // The first asks for its lead unit like any standard's row; the second is a heading.
    expect(r.errors.map((e) => [e.row, e.column])).toEqual([[2, '牵头单位']]);
    expect(r.report.skippedRows.map((s) => [s.row, s.kind])).toEqual([[3, 'heading']]);
  });
});
