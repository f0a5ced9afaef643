import { DEFAULT_SURVEY_BANDS } from '../../core/scoring/rules.js';
import type { TCampaign, TFramework } from '../../core/contracts/frameworks.js';
import type { TRegion, TUnit } from '../../core/contracts/org.js';
import type { TCategory, TProblem, TVerificationItem } from '../../core/contracts/problems.js';
import type { TRound as TInspectionRound } from '../../core/contracts/inspections.js';
import {
  DEFAULT_RANKING_CONFIG,
  type TBulletin,
  type TRankingRow,
  type TSnapshot,
} from '../../core/contracts/rankings.js';
import type { TPublicSettings } from '../../core/contracts/health.js';
import type { TMapBase, TMapGrids } from '../../core/contracts/maps.js';
import type { TAreaGeometry } from '../../core/geo/polygon.js';
import type { TPage } from './mock-api.js';
import { EFFECTIVE_RULES } from '../../core/scoring/rules.fixture.js';

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
    handedTo: null,
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
    hasBoundary: false,
    version: 1,
    createdAt: AT,
    updatedAt: AT,
    ...over,
  };
}

/** 示范市 (1) → 湖滨区 (2) → 湖滨社区 (3). */
const box = (w: number, s: number, e: number, n: number): TAreaGeometry => ({
  type: 'Polygon',
  coordinates: [
    [
      [w, s],
      [e, s],
      [e, n],
      [w, n],
      [w, s],
    ],
  ],
});

/** /api/settings/public with no tiles configured (every map draws our own base). */
export const PUBLIC_SETTINGS_NO_TILES: TPublicSettings = {
  map: { kind: 'none', coords: 'wgs84', layers: [] },
  mapTileUrl: null,
  mapAttribution: '',
  mapCoords: 'wgs84',
};

/** /api/map/base: 示范市, 湖滨区 and a street and community in it (names as REGIONS'). */
export const MAP_BASE: TMapBase = {
  jurisdiction: { name: '示范市', label: [120.15, 30.25], geometry: box(120.0, 30.1, 120.3, 30.4) },
  areas: [
    {
      level: 'district',
      name: '湖滨区',
      label: [120.15, 30.25],
      geometry: box(120.1, 30.2, 120.2, 30.3),
    },
    {
      level: 'street',
      name: '湖滨街道',
      label: [120.125, 30.225],
      geometry: box(120.1, 30.2, 120.15, 30.25),
    },
    {
      level: 'community',
      name: '湖滨社区',
      label: [120.115, 30.215],
      geometry: box(120.11, 30.21, 120.12, 30.22),
    },
  ],
  box: [120.0, 30.1, 120.3, 30.4],
};

/** /api/map/grids: the one grid the maps draw close in for a user who may see grids. */
export const MAP_GRIDS: TMapGrids = {
  areas: [
    {
      level: 'grid',
      name: '湖滨一网格',
      label: [120.1125, 30.2125],
      geometry: box(120.11, 30.21, 120.115, 30.215),
    },
  ],
  truncated: false,
};

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
  // Maps: no tiles configured, so they draw MAP_BASE.
  'GET /api/settings/public': PUBLIC_SETTINGS_NO_TILES,
  'GET /api/map/base': MAP_BASE,
  'GET /api/map/grids': MAP_GRIDS,
};

/** The demo campaign's rules as a framework that sets none of its own reads them. */
export { EFFECTIVE_RULES };

export function framework(over: Partial<TFramework> = {}): TFramework {
  return {
    id: 1,
    campaignId: 1,
    name: '全国文明城市测评体系（地级市）',
    level: 'prefecture',
    edition: null,
    rules: {},
    effectiveRules: EFFECTIVE_RULES,
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

/**
 * A `GET /api/campaigns` answer that filters by `kind` as the server does (every campaign without
 * it), for pages that must ask for the city's campaigns only.
 */
export const campaignsOfKind =
  (items: TCampaign[]) =>
  (req: { query: Record<string, string> }): { items: TCampaign[] } => ({
    items: items.filter((c) => !req.query.kind || c.kind === req.query.kind),
  });

export function campaign(over: Partial<TCampaign> = {}): TCampaign {
  return {
    id: 1,
    name: '示范市创建全国文明城市（2026—2028年）',
    kind: 'city',
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

/** A row of a ranking (ranked, no flag unless given). */
export function rankingRow(over: Partial<TRankingRow> & Pick<TRankingRow, 'unitId' | 'unitName'>) {
  return {
    unitClass: 'department',
    sample: 8,
    values: { onTimeCloseRate: 0.875, reworkRate: 0.125 },
    score: 80,
    rank: 1,
    classSize: 2,
    flag: null,
    excluded: null,
    missing: [],
    streak: 0,
    action: null,
    ...over,
  } satisfies TRankingRow;
}

/** A ranking snapshot of November 2026 under the default rules, departments ranked. */
export function snapshot(over: Partial<TSnapshot> = {}): TSnapshot {
  return {
    id: 1,
    period: '2026-11',
    kind: 'month',
    from: '2026-10-31T16:00:00.000Z',
    to: '2026-11-30T16:00:00.000Z',
    version: 1,
    state: 'draft',
    createdAt: AT,
    createdByName: '王创建',
    publishedAt: null,
    ownerRegionId: null,
    ownerName: null,
    units: 2,
    red: 0,
    black: 0,
    rules: DEFAULT_RANKING_CONFIG,
    classes: [
      { key: 'district', label: { zh: '区县', en: 'Districts' }, rows: [] },
      {
        key: 'department',
        label: { zh: '市直部门', en: 'City departments' },
        rows: [
          rankingRow({ unitId: 7, unitName: '市城市管理综合执法局', rank: 1, score: 90 }),
          rankingRow({ unitId: 8, unitName: '市住房和城乡建设局', rank: 2, score: 60 }),
        ],
      },
      { key: 'street', label: { zh: '街道/乡镇', en: 'Streets / townships' }, rows: [] },
    ],
    ...over,
  };
}

/** A draft bulletin of November 2026 made from snapshot(). */
export function bulletin(over: Partial<TBulletin> = {}): TBulletin {
  const s = snapshot();
  return {
    id: 1,
    snapshotId: s.id,
    ownerRegionId: null,
    ownerName: null,
    period: s.period,
    title: '创建文明城市工作月度通报（2026年11月）',
    issueNo: null,
    state: 'draft',
    createdAt: AT,
    createdByName: '王创建',
    publishedAt: null,
    data: {
      period: s.period,
      from: s.from,
      to: s.to,
      generatedAt: AT,
      snapshotId: s.id,
      snapshotVersion: s.version,
      metrics: [
        {
          key: 'onTimeCloseRate',
          label: { zh: '按期结案率', en: 'On-time close rate' },
          weight: 40,
        },
        { key: 'reworkRate', label: { zh: '返工率', en: 'Rework rate' }, weight: 20 },
      ],
      summary: {
        reported: 20,
        dispatched: 18,
        closed: 15,
        due: 16,
        closeRate: 0.9375,
        onTimeCloseRate: 0.8125,
        reworkRate: 0.0625,
        overdueOpen: 1,
        recurrences: 0,
        visits: 2,
        visitPassRate: 0.5,
        unitsRanked: 2,
      },
      classes: s.classes,
      consequences: [],
      topOverdue: [],
      topRecurring: [],
      charts: { byCategory: [{ name: '市容环境', count: 12 }], trend: [] },
    },
    ...over,
  };
}

/** An inspection round (planned unless given otherwise). */
export function inspectionRound(over: Partial<TInspectionRound> = {}): TInspectionRound {
  return {
    id: 1,
    name: '十一月模拟测评',
    kind: 'mock',
    state: 'planned',
    stateLabel: { zh: '待抽签', en: 'planned' },
    startsOn: null,
    endsOn: null,
    plan: [
      { type: 'P03', mode: 'all' },
      { type: 'P02', mode: 'random', count: 2 },
    ],
    regionIds: [],
    inspectorIds: [],
    commitment: null,
    fingerprint: null,
    frozenList: null,
    drawnIds: null,
    drawnPoints: null,
    seed: null,
    committedAt: null,
    drawnAt: null,
    revealedAt: null,
    byDistrict: false,
    days: [],
    ownerRegionId: null,
    ownerName: null,
    handDown: false,
    ...over,
  };
}
