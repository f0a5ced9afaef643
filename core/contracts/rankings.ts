import { ZIdValueSchema, zItems } from './common.js';
import { UNIT_TYPES } from './org.js';
import { ZOutlookSchema } from './scoring.js';
import { SEVERE_ACTIONS } from './cell-checks.js';
import { CELL_TYPES, HONOUR_STATUSES } from './honours.js';
import { z } from './zod-setup.js';

/** 单位排名 and 通报: contracts shared by the API and the web pages. */

/** The measures a ranking formula may use, each a rate 0..1 computed from the period's figures. */
export const RANKING_MEASURES = [
  'onTimeCloseRate',
  'closeRate',
  'reworkRate',
  'evidenceCompleteness',
  'evidenceTimeliness',
  'pointPassRate',
] as const;
export type TRankingMeasure = (typeof RANKING_MEASURES)[number];

export const RANKING_MEASURE_INFO: Record<
  TRankingMeasure,
  { label: { zh: string; en: string }; direction: 'higher' | 'lower' }
> = {
  onTimeCloseRate: { label: { zh: '按期结案率', en: 'On-time close rate' }, direction: 'higher' },
  closeRate: { label: { zh: '结案率', en: 'Close rate' }, direction: 'higher' },
  reworkRate: { label: { zh: '返工率', en: 'Rework rate' }, direction: 'lower' },
  evidenceCompleteness: {
    label: { zh: '档案资料完成度', en: 'Evidence completeness' },
    direction: 'higher',
  },
  evidenceTimeliness: {
    label: { zh: '档案资料及时率', en: 'Evidence timeliness' },
    direction: 'higher',
  },
  pointPassRate: { label: { zh: '点位合格率', en: 'Point pass rate' }, direction: 'higher' },
};

const ZTextPairSchema = z.object({
  zh: z.string().trim().min(1).max(60),
  en: z.string().trim().min(1).max(100),
});

export const ZRankingRulesSchema = z
  .object({
    metrics: z
      .array(
        z.object({
          key: z.enum(RANKING_MEASURES),
          weight: z.number().min(0).max(100),
        }),
      )
      .min(1)
      .max(RANKING_MEASURES.length),
    /** Cases (problems due + point visits) a unit needs in the period to be ranked. */
    minSample: z.number().int().min(0).max(100_000),
    redPerClass: z.number().int().min(0).max(10),
    blackPerClass: z.number().int().min(0).max(10),
    /** 单位类别: which unit types are ranked together (a type in no class is not ranked). */
    classes: z
      .array(
        z.object({
          key: z
            .string()
            .trim()
            .regex(/^[a-z][a-z0-9_]{0,29}$/, '类别代码为小写字母数字 / class key: a-z, 0-9, _'),
          label: ZTextPairSchema,
          unitTypes: z.array(z.enum(UNIT_TYPES)).min(1),
        }),
      )
      .min(1)
      .max(10),
    consequences: z
      .array(
        z.object({
          flag: z.enum(['red', 'black']),
          streak: z.number().int().min(1).max(24),
          action: ZTextPairSchema,
        }),
      )
      .max(10),
    /** The monthly job takes last month's snapshot (as a draft) on the first days of a month. */
    autoMonthly: z.boolean(),
  })
  .superRefine((r, ctx) => {
    const keys = r.metrics.map((m) => m.key);
    keys.forEach((k, i) => {
      if (keys.indexOf(k) !== i)
        ctx.addIssue({
          code: 'custom',
          path: ['metrics', i, 'key'],
          message: `指标重复：${k} / duplicate measure: ${k}`,
        });
    });
    if (r.metrics.reduce((s, m) => s + m.weight, 0) <= 0)
      ctx.addIssue({
        code: 'custom',
        path: ['metrics'],
        message: '权重之和必须大于 0 / the weights must add up to more than 0',
      });
    const seenClass = new Set<string>();
    const seenType = new Map<string, string>();
    r.classes.forEach((c, i) => {
      if (seenClass.has(c.key))
        ctx.addIssue({
          code: 'custom',
          path: ['classes', i, 'key'],
          message: `类别重复：${c.key} / duplicate class: ${c.key}`,
        });
      seenClass.add(c.key);
      for (const t of c.unitTypes) {
        const other = seenType.get(t);
        if (other && other !== c.key)
          ctx.addIssue({
            code: 'custom',
            path: ['classes', i, 'unitTypes'],
            message: `单位类型 ${t} 已属于类别 ${other} / unit type ${t} is already in class ${other}`,
          });
        seenType.set(t, c.key);
      }
    });
  });
export type TRankingRulesConfig = z.infer<typeof ZRankingRulesSchema>;

export const ZRankingRulesResponseSchema = z.object({
  rules: ZRankingRulesSchema,
  version: z.number().int(),
  updatedAt: z.string().nullable(),
});
export const ZPutRankingRulesSchema = z.object({
  rules: ZRankingRulesSchema,
  version: z.number().int().min(0),
});

export const DEFAULT_RANKING_CONFIG: TRankingRulesConfig = {
  metrics: [
    { key: 'onTimeCloseRate', weight: 40 },
    { key: 'reworkRate', weight: 20 },
    { key: 'evidenceCompleteness', weight: 10 },
    { key: 'evidenceTimeliness', weight: 10 },
    { key: 'pointPassRate', weight: 20 },
  ],
  minSample: 5,
  redPerClass: 1,
  blackPerClass: 1,
  classes: [
    {
      key: 'district',
      label: { zh: '区县', en: 'Districts' },
      unitTypes: ['district_government'],
    },
    {
      key: 'department',
      label: { zh: '市直部门', en: 'City departments' },
      unitTypes: [
        'party_committee',
        'government_department',
        'public_institution',
        'state_enterprise',
        'social_organization',
      ],
    },
    {
      key: 'street',
      label: { zh: '街道/乡镇', en: 'Streets / townships' },
      unitTypes: ['street_office'],
    },
  ],
  consequences: [
    { flag: 'black', streak: 2, action: { zh: '书面督办', en: 'Written notice' } },
    { flag: 'black', streak: 3, action: { zh: '约谈主要负责人', en: 'Interview with the head' } },
    { flag: 'red', streak: 3, action: { zh: '通报表扬', en: 'Public commendation' } },
  ],
  autoMonthly: true,
};

export const ZRankingPeriodSchema = z
  .string()
  .trim()
  .regex(
    /^\d{4}-((0[1-9]|1[0-2])|W(0[1-9]|[1-4]\d|5[0-3]))$/,
    '周期格式为 YYYY-MM 或 YYYY-Www / period: YYYY-MM or YYYY-Www',
  );

export const ZCreateSnapshotSchema = z.object({ period: ZRankingPeriodSchema });

const ZFlagSchema = z.enum(['red', 'black']).nullable();

export const ZRankingRowSchema = z.object({
  unitId: z.number().int(),
  unitName: z.string(),
  unitClass: z.string(),
  sample: z.number().int(),
  values: z.record(z.string(), z.number().nullable()),
  score: z.number().nullable(),
  rank: z.number().int().nullable(),
  /** Ranked units in the class. */
  classSize: z.number().int(),
  flag: ZFlagSchema,
  excluded: z.enum(['small_sample', 'no_figures']).nullable(),
  missing: z.array(z.string()),
  /** Consecutive periods with this flag, up to this one (published periods before it). */
  streak: z.number().int(),
  action: ZTextPairSchema.nullable(),
});
export type TRankingRow = z.infer<typeof ZRankingRowSchema>;

export const SNAPSHOT_STATES = ['draft', 'published', 'superseded'] as const;

export const ZSnapshotSummarySchema = z.object({
  id: z.number().int(),
  period: z.string(),
  kind: z.enum(['month', 'week']),
  from: z.string(),
  to: z.string(),
  version: z.number().int(),
  state: z.enum(SNAPSHOT_STATES),
  createdAt: z.string(),
  createdByName: z.string(),
  publishedAt: z.string().nullable(),
  /** The level that ranks: a district or street (its region), or null for the city. */
  ownerRegionId: z.number().int().nullable(),
  /** That region's name (null: the city). */
  ownerName: z.string().nullable(),
  units: z.number().int(),
  red: z.number().int(),
  black: z.number().int(),
});
export type TSnapshotSummary = z.infer<typeof ZSnapshotSummarySchema>;
export const ZSnapshotListSchema = zItems(ZSnapshotSummarySchema);

export const ZSnapshotSchema = ZSnapshotSummarySchema.extend({
  rules: ZRankingRulesSchema,
  classes: z.array(
    z.object({
      key: z.string(),
      label: ZTextPairSchema,
      rows: z.array(ZRankingRowSchema),
    }),
  ),
});
export type TSnapshot = z.infer<typeof ZSnapshotSchema>;

/**
 * Whose rankings or bulletins: `city` the city's own, a region id that level's own; absent, every
 * level the reader sees (the city: all; a district office: its own and its streets').
 */
export const ZOwnerFilterSchema = z.union([z.literal('city'), ZIdValueSchema]);
export type TOwnerFilter = z.infer<typeof ZOwnerFilterSchema>;

export const ZSnapshotListQuerySchema = z.object({
  kind: z.enum(['month', 'week']).optional(),
  state: z.enum(SNAPSHOT_STATES).optional(),
  ownerRegionId: ZOwnerFilterSchema.optional(),
});

export const ZBulletinListQuerySchema = z.object({ ownerRegionId: ZOwnerFilterSchema.optional() });

export const ZConsequenceSchema = z.object({
  id: z.number().int(),
  snapshotId: z.number().int(),
  period: z.string(),
  unitId: z.number().int(),
  unitName: z.string(),
  flag: z.enum(['red', 'black']),
  streak: z.number().int(),
  action: ZTextPairSchema,
  createdAt: z.string(),
});
export type TConsequence = z.infer<typeof ZConsequenceSchema>;
export const ZConsequenceListSchema = zItems(ZConsequenceSchema);
/** Consequences of one unit, or of all. */
export const ZConsequenceQuerySchema = z.object({ unitId: ZIdValueSchema.optional() });

export const ZUnitHistorySchema = z.object({
  unitId: z.number().int(),
  unitName: z.string(),
  unitClass: z.string().nullable(),
  /** Published periods, oldest first. */
  periods: z.array(
    z.object({
      snapshotId: z.number().int(),
      period: z.string(),
      kind: z.enum(['month', 'week']),
      /** The level that ranked the unit (a unit may be ranked by the city and by its district). */
      ownerRegionId: z.number().int().nullable(),
      ownerName: z.string().nullable(),
      score: z.number().nullable(),
      rank: z.number().int().nullable(),
      classSize: z.number().int(),
      flag: ZFlagSchema,
      streak: z.number().int(),
      excluded: z.enum(['small_sample', 'no_figures']).nullable(),
      values: z.record(z.string(), z.number().nullable()),
    }),
  ),
  flags: z.object({ red: z.number().int(), black: z.number().int() }),
  consequences: z.array(ZConsequenceSchema),
});
export type TUnitHistory = z.infer<typeof ZUnitHistorySchema>;

// ---------- 通报 ----------

export const ZCreateBulletinSchema = z.object({
  snapshotId: z.number().int().positive(),
  title: z.string().trim().min(2).max(100).optional(),
});

const ZProblemBriefSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  title: z.string(),
  unitName: z.string().nullable(),
  categoryName: z.string(),
  address: z.string().nullable(),
  deadline: z.string().nullable(),
  createdAt: z.string(),
  /** Working-time-agnostic calendar days past the deadline (overdue list). */
  overdueDays: z.number().int().nullable(),
  /** The closed problem this one came back after (反弹). */
  recurrenceOfCode: z.string().nullable(),
  photoId: z.string().nullable(),
});
export type TProblemBrief = z.infer<typeof ZProblemBriefSchema>;

/** A bulletin's 文明细胞 section (BRIEF §4: dynamic management is reported region-wide). */
export const ZBulletinCellsSchema = z.object({
  year: z.number().int(),
  held: z.number().int(),
  byType: z.array(z.object({ cellType: z.enum(CELL_TYPES), total: z.number().int() })),
  reviewsDue: z.object({ thisYear: z.number().int(), nextYear: z.number().int() }),
  atRisk: z.array(
    z.object({ holderName: z.string(), title: z.string(), status: z.enum(HONOUR_STATUSES) }),
  ),
  /** The period's negative-list hits, the latest first (at most 20). */
  hits: z.array(
    z.object({
      holderName: z.string(),
      title: z.string(),
      itemText: z.string(),
      points: z.number(),
      severe: z.boolean(),
      hitOn: z.string(),
      action: z.enum(SEVERE_ACTIONS).nullable(),
    }),
  ),
});
export type TBulletinCells = z.infer<typeof ZBulletinCellsSchema>;

export const ZBulletinDataSchema = z.object({
  period: z.string(),
  from: z.string(),
  to: z.string(),
  generatedAt: z.string(),
  snapshotId: z.number().int(),
  snapshotVersion: z.number().int(),
  metrics: z.array(z.object({ key: z.string(), label: ZTextPairSchema, weight: z.number() })),
  summary: z.object({
    reported: z.number().int(),
    dispatched: z.number().int(),
    closed: z.number().int(),
    due: z.number().int(),
    closeRate: z.number().nullable(),
    onTimeCloseRate: z.number().nullable(),
    reworkRate: z.number().nullable(),
    overdueOpen: z.number().int(),
    recurrences: z.number().int(),
    visits: z.number().int(),
    visitPassRate: z.number().nullable(),
    unitsRanked: z.number().int(),
  }),
  classes: ZSnapshotSchema.shape.classes,
  consequences: z.array(
    z.object({
      unitName: z.string(),
      flag: z.enum(['red', 'black']),
      streak: z.number().int(),
      action: ZTextPairSchema,
    }),
  ),
  topOverdue: z.array(ZProblemBriefSchema),
  topRecurring: z.array(ZProblemBriefSchema),
  /**
   * The campaign's projected standing when the bulletin was made (the combination, gates and
   * verdicts); null for whoever may not read scores; absent in bulletins made before #19.
   */
  outlook: ZOutlookSchema.nullable().optional(),
  /**
   * 文明细胞 at the bulletin's level when it was made: titles held, reviews due, titles at risk and
   * the period's negative-list hits; null for whoever may not read them; absent before #22.
   */
  cells: ZBulletinCellsSchema.nullable().optional(),
  charts: z.object({
    byCategory: z.array(z.object({ name: z.string(), count: z.number().int() })),
    trend: z.array(
      z.object({
        period: z.string(),
        onTimeCloseRate: z.number().nullable(),
        reworkRate: z.number().nullable(),
        reported: z.number().int(),
      }),
    ),
  }),
});
export type TBulletinData = z.infer<typeof ZBulletinDataSchema>;

export const ZBulletinSummarySchema = z.object({
  id: z.number().int(),
  snapshotId: z.number().int(),
  period: z.string(),
  title: z.string(),
  /** The issuing level: a district or street (its region), or null for the city. */
  ownerRegionId: z.number().int().nullable(),
  ownerName: z.string().nullable(),
  /** 第 n 期 among the level's published bulletins (null for a draft). */
  issueNo: z.number().int().nullable(),
  state: z.enum(['draft', 'published']),
  createdAt: z.string(),
  createdByName: z.string(),
  publishedAt: z.string().nullable(),
});
export type TBulletinSummary = z.infer<typeof ZBulletinSummarySchema>;
export const ZBulletinListSchema = zItems(ZBulletinSummarySchema);
export const ZBulletinSchema = ZBulletinSummarySchema.extend({ data: ZBulletinDataSchema });
export type TBulletin = z.infer<typeof ZBulletinSchema>;
