import { describe, expect, it } from 'vitest';
import { unitMatcher } from './unit-match.js';
import {
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
