import { DEFAULT_SURVEY_BANDS } from '../../core/scoring/rules.js';
import type { TCampaign, TFramework } from '../../core/contracts/frameworks.js';
import type { TRegion, TUnit } from '../../core/contracts/org.js';
import type { TCategory, TProblem, TVerificationItem } from '../../core/contracts/problems.js';
import type { TPage } from './mock-api.js';

/**
 * Records shaped by core/contracts for mocked answers, each with plain defaults and overrides, so a
 * test names only what it is about.
 */

const AT = '2026-11-23T02:00:00.000Z';

export const page = <T>(items: T[], over: Partial<TPage<T>> = {}): TPage<T> => ({
  items,
  nextCursor: null,
  total: items.length,
  ...over,
});

export function problem(over: Partial<TProblem> = {}): TProblem {
  const id = over.id ?? 1;
  return {
    id,
    code: `WT2026${String(id).padStart(6, '0')}`,
    title: '解放路菜市场门口垃圾堆积',
    description: null,
    categoryId: 11,
    categoryName: '垃圾堆积',
    severity: 'normal',
    channel: 'office',
    state: 'registered',
    escalation: 'none',
    lat: null,
    lng: null,
    address: null,
    regionId: null,
    regionName: null,
    reporterName: null,
    externalRef: null,
    unitId: null,
    unitName: null,
    deadline: null,
    reworkCount: 0,
    recurrenceOfId: null,
    mergedIntoId: null,
    extensionPending: false,
    extensionRequestedDeadline: null,
    registeredAt: AT,
    dispatchedAt: null,
    submittedAt: null,
    closedAt: null,
    version: 1,
    createdAt: AT,
    updatedAt: AT,
    ...over,
  };
}

/** Two main categories with a child each: 市容环境 → 垃圾堆积 (11), 道路交通 → 占道经营 (21). */
export const CATEGORIES: TCategory[] = [
  { id: 1, code: 'HJ', name: '市容环境', parentId: null, deadlineDays: null, active: true },
  {
    id: 11,
    code: 'HJ01',
    name: '垃圾堆积',
    parentId: 1,
    deadlineDays: { normal: 3, urgent: 1, critical: 1 },
    active: true,
  },
  { id: 2, code: 'JT', name: '道路交通', parentId: null, deadlineDays: null, active: true },
  {
    id: 21,
    code: 'JT01',
    name: '占道经营',
    parentId: 2,
    deadlineDays: { normal: 5, urgent: 2, critical: 1 },
    active: true,
  },
];

export function region(over: Partial<TRegion> & Pick<TRegion, 'id' | 'name'>): TRegion {
  return {
    code: `3301${String(over.id).padStart(8, '0')}`,
    level: 'district',
    parentId: null,
    version: 1,
    createdAt: AT,
    updatedAt: AT,
    ...over,
  };
}

/** 示范市 (1) → 湖滨区 (2) → 湖滨社区 (3). */
export const REGIONS: TRegion[] = [
  region({ id: 1, name: '示范市', level: 'city' }),
  region({ id: 2, name: '湖滨区', level: 'district', parentId: 1 }),
  region({ id: 3, name: '湖滨社区', level: 'community', parentId: 2 }),
];

export function unit(over: Partial<TUnit> & Pick<TUnit, 'id' | 'name'>): TUnit {
  return {
    code: `U${over.id}`,
    shortName: null,
    aliases: [],
    type: 'government_department',
    regionId: 1,
    regionName: '示范市',
    parentId: null,
    parentName: null,
    contactName: null,
    contactPhone: null,
    address: null,
    active: true,
    version: 1,
    createdAt: AT,
    updatedAt: AT,
    ...over,
  };
}

export const UNITS: TUnit[] = [
  unit({ id: 7, name: '市城市管理综合执法局' }),
  unit({ id: 8, name: '市交通运输局' }),
];

/**
 * Regions, units and categories: what the pickers load. renderPage() always answers with these:
 * the pickers cache them for the page load, which in this tier is the worker (isolate: false).
 */
export const REFERENCE_ROUTES = {
  'GET /api/regions': { items: REGIONS },
  'GET /api/units': { items: UNITS },
  'GET /api/problem-categories': { items: CATEGORIES },
};

export function framework(over: Partial<TFramework> = {}): TFramework {
  return {
    id: 1,
    campaignId: 1,
    name: '全国文明城市测评体系（地级市）',
    level: 'prefecture',
    edition: null,
    rules: {},
    effectiveRules: {
      methodWeights: { material: 40, field: 40, survey: 20 },
      cyclePreset: 'prefecture',
      cycleWeights: [15, 25, 60],
      surveyFloor: { enabled: true, minRate: 80, effect: 'veto', points: 0 },
      surveyCurve: { kind: 'bands', bands: DEFAULT_SURVEY_BANDS },
      share: null,
      gate: null,
      sources: {
        methodWeights: 'campaign',
        cycleWeights: 'campaign',
        surveyFloor: 'campaign',
        surveyCurve: 'campaign',
      },
    },
    position: 0,
    currentVersionId: 1,
    draftVersionId: null,
    versions: [],
    version: 1,
    createdAt: AT,
    updatedAt: AT,
    ...over,
  };
}

export function campaign(over: Partial<TCampaign> = {}): TCampaign {
  return {
    id: 1,
    name: '示范市创建全国文明城市（2026—2028年）',
    cycleStartYear: 2026,
    cycleYears: 3,
    cycleWeights: [15, 25, 60],
    methodWeights: { material: 40, field: 40, survey: 20 },
    surveyFloor: { enabled: true, minRate: 80, effect: 'flag', points: 0 },
    surveyCurve: { kind: 'bands', bands: DEFAULT_SURVEY_BANDS },
    cyclePreset: 'prefecture',
    applicationDate: null,
    frameworks: [framework()],
    combineIssues: [],
    version: 1,
    createdAt: AT,
    updatedAt: AT,
    ...over,
  };
}

export function verificationItem(
  over: Omit<Partial<TVerificationItem>, 'problem'> & { problem?: Partial<TProblem> } = {},
): TVerificationItem {
  const { problem: p, ...rest } = over;
  return {
    problem: problem({
      state: 'submitted',
      unitId: 7,
      unitName: '市城市管理综合执法局',
      submittedAt: AT,
      ...p,
    }),
    submittedEscalation: 'none',
    submittedLate: false,
    submission: { note: '已更换新垃圾桶', actorName: '张科长', at: AT },
    before: [],
    after: [],
    ...rest,
  };
}
