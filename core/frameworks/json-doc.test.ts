import { describe, expect, it } from 'vitest';
import { buildFrameworkDoc, parseFrameworkDoc } from './json-doc.js';

const scoring = {
  methodWeights: { material: 40, field: 40, survey: 20 },
  cycleWeights: [15, 25, 60],
  surveyFloor: { enabled: true, minRate: 80, effect: 'veto' as const, points: 0 },
  surveyCurve: { kind: 'rate' as const },
};

const doc = (standard: Record<string, unknown>) => ({
  meta: { name: '测试体系' },
  items: [
    {
      code: 'I1',
      name: '思想道德建设',
      contents: [{ code: 'I1.1', name: '理论武装', standards: [standard] }],
    },
  ],
});

describe('framework file (JSON): notes and extra columns', () => {
  it('a standard’s notes and extra columns are read and written back', () => {
    const std = {
      code: 'I1.1.1',
      text: '有年度学习计划',
      method: 'material',
      score: 3,
      notes: '按季度报送',
      extra: { 联系人: '李明\n王芳', 序号: '1' },
    };
    const r = parseFrameworkDoc(doc(std));
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const s = r.doc.data.items[0]!.contents[0]!.standards[0]!;
    expect(s.notes).toBe('按季度报送');
    expect(s.extra).toEqual({ 联系人: '李明\n王芳', 序号: '1' });
    const back = buildFrameworkDoc({
      name: r.doc.name,
      edition: null,
      level: 'prefecture',
      scoring,
      data: r.doc.data,
    }) as ReturnType<typeof doc>;
    expect(back.items[0]!.contents[0]!.standards[0]).toEqual(std);
  });

  it('empty notes and extra are left out both ways; bad ones are reported with their path', () => {
    const r = parseFrameworkDoc(
      doc({ code: 'I1.1.1', text: '有计划', method: 'material', score: 3, notes: '', extra: {} }),
    );
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const s = r.doc.data.items[0]!.contents[0]!.standards[0]!;
    expect(s.notes).toBeUndefined();
    expect(s.extra).toBeUndefined();
    const back = buildFrameworkDoc({
      name: r.doc.name,
      edition: null,
      level: 'prefecture',
      scoring,
      data: r.doc.data,
    }) as ReturnType<typeof doc>;
    expect(Object.keys(back.items[0]!.contents[0]!.standards[0]!)).toEqual([
      'code',
      'text',
      'method',
      'score',
    ]);

    const bad = parseFrameworkDoc(
      doc({ code: 'I1.1.1', text: '有计划', method: 'material', score: 3, extra: { 联系人: 1 } }),
    );
    expect(bad.ok ? [] : bad.errors.map((e) => e.column)).toEqual([
      'items[0].contents[0].standards[0].extra.联系人',
    ]);
  });
});

describe('assessment rules in the file', () => {
  it('a standard’s survey curve and the negative list’s windows come back as written', () => {
    const std = {
      code: 'I1.1.1',
      text: '群众满意度',
      method: 'survey',
      score: 4,
      curve: { kind: 'linear', floor: 0.6, target: 0.9 },
    };
    const input = {
      ...doc(std),
      negativeList: [
        {
          code: 'G15',
          text: '重大安全事故',
          effect: 'deduct',
          points: 3,
          windowMonths: 12,
          suspendMonths: 12,
          barsApplication: true,
        },
      ],
    };
    const r = parseFrameworkDoc(input);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.doc.data.items[0]!.contents[0]!.standards[0]!.surveyCurve).toEqual({
      kind: 'linear',
      floor: 60,
      target: 90,
    });
    const back = buildFrameworkDoc({
      name: r.doc.name,
      edition: null,
      level: 'prefecture',
      scoring,
      data: r.doc.data,
    }) as ReturnType<typeof doc> & { negativeList: unknown[] };
    expect(back.items[0]!.contents[0]!.standards[0]).toEqual(std);
    expect(back.negativeList).toEqual(input.negativeList);
  });

  it("an earlier file's 'flag_and_cap' floor reads as a veto; a bad curve names its path", () => {
    const old = {
      ...doc({ code: 'I1.1.1', text: '有计划', method: 'material', score: 3 }),
      meta: {
        name: '旧体系',
        scoring: { surveyFloor: { enabled: true, minRate: 0.8, effect: 'flag_and_cap' } },
      },
    };
    const r = parseFrameworkDoc(old);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.doc.scoring.surveyFloor).toEqual({
      enabled: true,
      minRate: 80,
      effect: 'veto',
      points: 0,
    });
    const bad = parseFrameworkDoc(
      doc({
        code: 'I1.1.1',
        text: '满意度',
        method: 'survey',
        score: 3,
        curve: { kind: 'linear', floor: 0.9, target: 0.6 },
      }),
    );
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.errors[0]!.column).toBe('items[0].contents[0].standards[0].curve');
      expect(bad.errors[0]!.reason).toContain('目标值');
    }
  });
});
