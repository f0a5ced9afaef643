import fs from 'node:fs';
import { DEFAULT_SURVEY_CURVE } from '../../../core/scoring/rules.js';
import { describe, expect, it } from 'vitest';
import { buildFrameworkDoc, parseFrameworkDoc } from '../../../core/frameworks/json-doc.js';
import { DEMO_FRAMEWORK_FILE } from './demo-framework.js';

// The framework file (JSON) against the real demo file; a server-side unit test because it reads
// the file (core stays free of I/O and is type-checked for the browser too).
describe('framework file (JSON)', () => {
  const demo = JSON.parse(fs.readFileSync(DEMO_FRAMEWORK_FILE, 'utf8')) as Record<string, unknown>;

  it('reads the demo framework and writes it back unchanged', () => {
    const r = parseFrameworkDoc(demo);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.doc.name).toBe('演示用文明城市测评框架（自拟，非官方）');
    expect(r.doc.edition).toBe('demo-0.1');
    expect(r.doc.scoring).toEqual({
      methodWeights: { material: 40, field: 40, survey: 20 },
      cycleWeights: [15, 25, 60],
      surveyFloor: { enabled: true, minRate: 80, effect: 'veto', points: 0 },
      surveyCurve: DEFAULT_SURVEY_CURVE,
    });
    const back = buildFrameworkDoc({
      name: r.doc.name,
      edition: r.doc.edition,
      level: 'prefecture',
      scoring: {
        methodWeights: r.doc.scoring.methodWeights!,
        cycleWeights: r.doc.scoring.cycleWeights!,
        surveyFloor: r.doc.scoring.surveyFloor!,
        surveyCurve: r.doc.scoring.surveyCurve!,
      },
      data: r.doc.data,
    });
    expect(back).toEqual(demo);
  });

  it('names the JSON path of every problem', () => {
    const bad = structuredClone(demo) as {
      items: { contents: { standards: Record<string, unknown>[] }[] }[];
    };
    bad.items[0]!.contents[0]!.standards[1]!.method = 'guess';
    bad.items[1]!.contents[0]!.standards[0]!.score = 'x';
    bad.items[2]!.contents[0]!.standards[0]!.code = 'I1.1.1';
    const r = parseFrameworkDoc(bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.column)).toEqual([
      'items[0].contents[0].standards[1].method',
      'items[1].contents[0].standards[0].score',
    ]);
    const dup = structuredClone(demo) as typeof bad;
    dup.items[2]!.contents[0]!.standards[0]!.code = 'I1.1.1';
    const r2 = parseFrameworkDoc(dup);
    expect(r2.ok ? [] : r2.errors.map((e) => e.column)).toEqual([
      'items[2].contents[0].standards[0].code',
    ]);
  });
});
