/**
 * A projection fixture for tests of what reads projections (the score page, the outlook). Not
 * imported by the app.
 */
import type { TProjectedStandard, TProjection } from '../contracts/scoring.js';
import { EFFECTIVE_RULES } from './rules.fixture.js';

const std = (over: Partial<TProjectedStandard>): TProjectedStandard => ({
  key: 'k',
  code: 'I5.2.1',
  text: '公厕指示清晰',
  method: 'field',
  bucket: 'field',
  maxScore: 2,
  share: 0.8,
  unknown: false,
  weightedMax: 1.2,
  weightedEarned: 0.96,
  source: 'field',
  detail: { zh: '第一次模拟测评 8/10 个点位合格', en: 'mock round: 8 of 10 points pass' },
  ...over,
});

/** A projection as the API answers it: one item, a negative-list hit, no combination. */
export function projectionFixture(over: Partial<TProjection> = {}): TProjection {
  return {
    campaign: {
      id: 1,
      name: '示范市创建全国文明城市（2026—2028年）',
      cycleStartYear: 2026,
      cycleYears: 3,
      methodWeights: { material: 40, field: 40, survey: 20 },
      surveyFloor: { enabled: true, minRate: 80, effect: 'flag', points: 0 },
    },
    rules: {
      ...EFFECTIVE_RULES,
      surveyFloor: { enabled: true, minRate: 80, effect: 'flag', points: 0 },
      sources: { ...EFFECTIVE_RULES.sources, surveyCurve: 'framework' },
    },
    framework: { id: 1, name: '全国文明城市测评体系（地级市）', versionId: 3, versionNumber: 1 },
    frameworks: [{ id: 1, name: '全国文明城市测评体系（地级市）' }],
    year: 2026,
    sources: {
      fieldRound: { id: 4, name: '第一次模拟测评', kind: 'mock', visits: 120, chosen: false },
      surveyRound: null,
      gradeShares: { A: 1, B: 0.8 },
    },
    yearScore: {
      score: 77.5,
      base: 80.5,
      deducted: 3,
      status: 'ok',
      verdicts: [],
      unknown: 1,
      emptyParts: [],
      floor: { below: [], effect: null, vetoed: false, deducted: 0 },
    },
    parts: [
      { bucket: 'material', weight: 40, maxScore: 50, earned: 42, share: 0.84, points: 33.6 },
      { bucket: 'field', weight: 40, maxScore: 40, earned: 30, share: 0.75, points: 30 },
      { bucket: 'survey', weight: 20, maxScore: 10, earned: 8.45, share: 0.845, points: 16.9 },
    ],
    items: [
      {
        key: 'i5',
        code: 'I5',
        text: '城市管理与市容秩序',
        maxScore: 4,
        earned: 1.6,
        weightedMax: 2.4,
        weightedEarned: 0.96,
        contents: [
          {
            key: 'c52',
            code: 'I5.2',
            text: '公共厕所',
            maxScore: 4,
            earned: 1.6,
            weightedMax: 2.4,
            weightedEarned: 0.96,
            standards: [
              std({ key: 's1' }),
              std({
                key: 's2',
                code: 'I5.2.2',
                text: '公厕免费开放',
                method: 'material',
                bucket: 'material',
                share: null,
                unknown: true,
                weightedEarned: 0,
                source: 'evidence',
                detail: { zh: '档案未提交', en: 'no dossier yet' },
              }),
            ],
          },
        ],
      },
    ],
    atRisk: [
      {
        key: 's2',
        code: 'I5.2.2',
        text: '公厕免费开放',
        lost: 1.2,
        weightedMax: 1.2,
        unknown: true,
        source: 'evidence',
        units: [{ id: 7, name: '市城市管理综合执法局' }],
      },
    ],
    negatives: [
      {
        id: 1,
        frameworkId: 1,
        itemKey: 'n1',
        code: 'N1',
        text: '发生重大安全生产事故',
        effect: 'deduct',
        points: 3,
        year: 2026,
        occurredOn: '2026-05-12',
        note: '某区施工现场安全事故',
        recordedBy: '李主任',
        recordedAt: '2026-05-13T02:00:00.000Z',
        version: 1,
      },
    ],
    negativeEffects: [
      {
        hitId: 1,
        code: 'N1',
        text: '发生重大安全生产事故',
        occurredOn: '2026-05-12',
        kinds: ['deduct'],
        points: 3,
        zh: '2026-05-12 发生（2026 年测评日 2026-12-01）：扣 3 分',
        en: '2026-05-12 (the 2026 test on 2026-12-01): −3 points',
      },
    ],
    surveyRates: [{ dimension: 'satisfaction', rate: 0.76 }],
    cycle: {
      total: 78.35,
      projected: true,
      status: 'ok',
      perYear: [
        { year: 2026, weight: 15, score: 77.5, known: true, status: 'ok' },
        { year: 2027, weight: 25, score: 77.5, known: false, status: 'ok' },
        { year: 2028, weight: 60, score: 77.5, known: false, status: 'ok' },
      ],
    },
    combined: null,
    ...over,
  };
}

/**
 * The demo's combination for 2026: the city framework at 77.5 (80 %) and the minors' test at
 * `minorsScore` (20 %, gate 85).
 */
export const combinedFixture = (minorsScore: number): NonNullable<TProjection['combined']> => {
  const passed = minorsScore >= 85;
  return {
    year: 2026,
    total: Math.round((0.8 * 77.5 + 0.2 * minorsScore) * 100) / 100,
    status: passed ? 'ok' : 'barred',
    gatesFailed: passed ? [] : ['未成年人思想道德建设工作测评体系'],
    issues: [],
    parts: [
      {
        id: 1,
        name: '全国文明城市测评体系',
        share: 80,
        gate: null,
        score: 77.5,
        points: 62,
        gatePassed: null,
        status: 'ok',
      },
      {
        id: 2,
        name: '未成年人思想道德建设工作测评体系',
        share: 20,
        gate: 85,
        score: minorsScore,
        points: 0.2 * minorsScore,
        gatePassed: passed,
        status: passed ? 'ok' : 'barred',
      },
    ],
  };
};
