import { ITEM_RESULTS, VISIT_RESULTS } from '../inspection/score.js';
import { ZIdValueSchema, zItems } from './common.js';
import { z } from './zod-setup.js';

/** A framework standard code as the frameworks module spells it (e.g. I4.1.2). */
const standardCode = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9.\-_]*$/,
    '标准编号由字母、数字、点或短横线组成 / a standard code is letters, digits, dots or dashes',
  );

/** A count rule (core/inspection/quantity.ts): ≥ min things seen, or counted/total ≥ minPercent %. */
export const ZQuantityRuleSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('count'),
    min: z.number().int().min(1).max(10_000),
    /** 处, 个, 块… */
    unit: z.string().trim().min(1).max(6),
  }),
  z.object({
    kind: z.literal('ratio'),
    minPercent: z.number().int().min(1).max(100),
    /** What is counted, e.g. 亮灯. */
    counted: z.string().trim().min(1).max(20),
    /** Out of what, e.g. 路灯. */
    of: z.string().trim().min(1).max(20),
  }),
]);
export type TQuantityRule = z.infer<typeof ZQuantityRuleSchema>;

/** One checklist item of a point type (core/inspection/score.ts ChecklistItem). */
export const ZChecklistItemSchema = z
  .object({
    text: z.string().trim().min(2).max(200),
    /** How to judge it (口径), shown to the inspector. */
    guidance: z.string().trim().max(500).nullable().default(null),
    /** How or where to count, e.g. "步行300米" (the per-distance text of a count rule). */
    countRule: z.string().trim().max(200).nullable().default(null),
    /** The count the item is judged by: the inspector enters it, a shortfall fails the item. */
    quantity: ZQuantityRuleSchema.nullable().default(null),
    /** Every failure makes the whole point 严重不合格. */
    serious: z.boolean().default(false),
    /** The inspector may mark a failure 严重不合格 (with a photo). */
    severeCapable: z.boolean().default(false),
    /** Codes of the framework standards this item evidences. */
    standards: z
      .array(standardCode)
      .max(20)
      .default([])
      .refine((c) => new Set(c).size === c.length, {
        message: '同一标准链接了两次 / a standard is linked twice',
      }),
  })
  .refine((i) => !(i.serious && i.severeCapable), {
    message:
      '“不合格即严重”与“可判严重”只能选一个 / an item is either always severe or severe-capable',
    path: ['severeCapable'],
  });
export type TChecklistItem = z.infer<typeof ZChecklistItemSchema>;

/** A checklist item as the API answers it (every optional field filled). */
const ZChecklistItemViewSchema = z.object({
  text: z.string(),
  guidance: z.string().nullable(),
  countRule: z.string().nullable(),
  quantity: ZQuantityRuleSchema.nullable(),
  serious: z.boolean(),
  severeCapable: z.boolean(),
  standards: z.array(z.string()),
});
export type TChecklistItemView = z.infer<typeof ZChecklistItemViewSchema>;

const pointTypeFields = {
  name: z.string().trim().min(2).max(40),
  sampling: z.enum(['mandatory', 'random']),
  defaultDrawCount: z.number().int().min(0).max(10_000),
  /** 观察路线, e.g. "步行300米". */
  route: z.string().trim().max(200).nullable().default(null),
  checklist: z.array(ZChecklistItemSchema).min(1).max(100),
  /** 随机查看: inspectors may add a place of this type during a round (default by the name). */
  randomCheck: z.boolean().optional(),
};

export const ZPointTypeCreateSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9_-]{0,9}$/,
      '类型编号为 1–10 位字母、数字、下划线或短横线 / a type code is 1–10 letters, digits, _ or -',
    ),
  ...pointTypeFields,
});
export type TPointTypeCreate = z.infer<typeof ZPointTypeCreateSchema>;

/** Edit at the version read (the code is fixed: round plans refer to it). */
export const ZPointTypePatchSchema = z.object({
  name: pointTypeFields.name.optional(),
  sampling: pointTypeFields.sampling.optional(),
  defaultDrawCount: pointTypeFields.defaultDrawCount.optional(),
  route: z.string().trim().max(200).nullable().optional(),
  checklist: pointTypeFields.checklist.optional(),
  randomCheck: z.boolean().optional(),
  version: z.number().int().positive(),
});
export type TPointTypePatch = z.infer<typeof ZPointTypePatchSchema>;

export const ZPointTypeSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  sampling: z.enum(['mandatory', 'random']),
  defaultDrawCount: z.number().int(),
  route: z.string().nullable(),
  checklist: z.array(ZChecklistItemViewSchema),
  randomCheck: z.boolean(),
  version: z.number().int(),
  /** Points of this type. */
  points: z.number().int(),
  /** Visits (all versions) at points of this type: items can then only be reworded or appended. */
  visits: z.number().int(),
  /** Drawn points of this type still awaiting a visit: appending is refused meanwhile. */
  awaiting: z.number().int(),
  /** Rounds under way: phones hold a 随机查看 type's checklist offline meanwhile. */
  activeRounds: z.number().int(),
});
export type TPointType = z.infer<typeof ZPointTypeSchema>;
export const ZPointTypeListSchema = zItems(ZPointTypeSchema);

export const ZItemAnswerSchema = z.object({
  /** Position in the point type's checklist (0-based). */
  index: z.number().int().min(0).max(200),
  result: z.enum(ITEM_RESULTS),
  /** What was counted, for items with a count rule (e.g. ads seen along 300 m, lamps lit). */
  count: z.number().int().min(0).max(100_000).nullable().optional(),
  /** Out of how many, for a ratio rule (e.g. lamps installed). */
  total: z.number().int().min(0).max(100_000).nullable().optional(),
  /** A failure marked 严重不合格 (severe-capable items; needs a photo). */
  severe: z.boolean().optional(),
  note: z.string().trim().max(500).nullable().optional(),
  photoIds: z.array(z.uuid()).max(6).default([]),
});
export type TItemAnswer = z.infer<typeof ZItemAnswerSchema>;

const rating = z.number().int().min(1).max(5);
/** 整体评价: 环境卫生, 市民素质, 公共设施, 氛围营造 — 1 to 5 each. */
export const ZRatingsSchema = z.object({
  environment: rating,
  civility: rating,
  facilities: rating,
  atmosphere: rating,
});
export type TRatings = z.infer<typeof ZRatingsSchema>;

const answers = z
  .array(ZItemAnswerSchema)
  .min(1)
  .max(200)
  .refine((a) => a.flatMap((x) => x.photoIds).length <= 30, {
    message: '一次检查最多 30 张照片 / at most 30 photos per visit',
  });

/** 随机查看: a place of a type that allows it, added on the spot (the visit's GPS locates it). */
export const ZAddedPointSchema = z.object({
  type: z.string().trim().min(1).max(10),
  name: z.string().trim().min(2).max(80),
  address: z.string().trim().max(200).nullable().optional(),
});
export type TAddedPoint = z.infer<typeof ZAddedPointSchema>;

export const ZVisitSubmitSchema = z
  .object({
    /** Generated on the phone: sending the same visit again returns it, never a second one. */
    clientId: z.uuid(),
    roundId: z.number().int().positive(),
    /** A drawn point of the round — or, instead, `addedPoint`. */
    pointId: z.number().int().positive().optional(),
    /** A place added during the round (随机查看), created with the visit (same client id). */
    addedPoint: ZAddedPointSchema.optional(),
    items: answers,
    ratings: ZRatingsSchema.nullable().optional(),
    note: z.string().trim().max(2000).nullable().optional(),
    lat: z.number().min(-90).max(90).nullable().optional(),
    lng: z.number().min(-180).max(180).nullable().optional(),
    accuracyM: z.number().min(0).max(100_000).nullable().optional(),
    /** When the inspector was there (the phone's clock), not when the queue synced. */
    visitedAt: z.iso.datetime({ offset: true }),
  })
  .refine((v) => (v.lat == null) === (v.lng == null), {
    message: '经纬度需同时填写 / give both latitude and longitude',
    path: ['lat'],
  })
  .refine((v) => (v.pointId === undefined) !== (v.addedPoint === undefined), {
    message: '请指定抽中的点位或随机增加的点位（二选一） / give either pointId or addedPoint',
    path: ['pointId'],
  })
  .refine((v) => !v.addedPoint || v.lat != null || Boolean(v.addedPoint.address), {
    message: '随机增加的点位需有定位或地址 / an added place needs a GPS fix or an address',
    path: ['addedPoint', 'address'],
  });
export type TVisitSubmit = z.infer<typeof ZVisitSubmitSchema>;

export const ZVisitCorrectionSchema = z.object({
  clientId: z.uuid(),
  reason: z.string().trim().min(2).max(500),
  items: answers,
  ratings: ZRatingsSchema.nullable().optional(),
  note: z.string().trim().max(2000).nullable().optional(),
});
export type TVisitCorrection = z.infer<typeof ZVisitCorrectionSchema>;

export const ZVisitSchema = z.object({
  id: z.number().int(),
  clientId: z.string(),
  rootId: z.number().int(),
  previousId: z.number().int().nullable(),
  version: z.number().int(),
  latest: z.boolean(),
  reason: z.string().nullable(),
  roundId: z.number().int(),
  roundName: z.string(),
  pointId: z.number().int(),
  pointName: z.string(),
  pointType: z.string(),
  pointTypeName: z.string(),
  /** The place was added during this round (随机增加), not drawn. */
  added: z.boolean(),
  unitId: z.number().int().nullable(),
  unitName: z.string().nullable(),
  inspectorId: z.number().int(),
  inspectorName: z.string(),
  items: z.array(
    ZItemAnswerSchema.extend({
      text: z.string(),
      serious: z.boolean(),
      severeCapable: z.boolean(),
      quantity: ZQuantityRuleSchema.nullable(),
    }),
  ),
  ratings: ZRatingsSchema.nullable(),
  note: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  accuracyM: z.number().nullable(),
  distanceM: z.number().nullable(),
  far: z.boolean(),
  visitedAt: z.string(),
  createdAt: z.string(),
  passed: z.number().int(),
  failed: z.number().int(),
  notApplicable: z.number().int(),
  seriousFailed: z.number().int(),
  score: z.number().nullable(),
  result: z.enum(VISIT_RESULTS),
  problemId: z.number().int().nullable(),
  problemCode: z.string().nullable(),
});
export type TVisit = z.infer<typeof ZVisitSchema>;
export const ZVisitListSchema = zItems(ZVisitSchema);
/** A visit (its latest version) with all its versions. */
export const ZVisitHistorySchema = z.object({
  visit: ZVisitSchema,
  versions: z.array(ZVisitSchema),
});

export const ZListVisitsQuerySchema = z.object({
  roundId: z.coerce.number().int().positive().optional(),
  pointId: z.coerce.number().int().positive().optional(),
  /** Earlier versions too (the history); by default only the latest of each visit. */
  history: z.enum(['true', 'false']).optional(),
});

/** One row of a roll-up: item pass rate (得分率) and the points' mean score and 合格率. */
export const ZRollupRowSchema = z.object({
  key: z.string(),
  label: z.string(),
  visits: z.number().int(),
  passed: z.number().int(),
  failed: z.number().int(),
  /** passed / (passed + failed) over all items of the group's visits. */
  passRate: z.number().nullable(),
  /** Mean of the visits' point scores. */
  meanScore: z.number().nullable(),
  /** Share of visits with no failed item. */
  qualifiedRate: z.number().nullable(),
  seriousVisits: z.number().int(),
  /** A point added during the round (随机增加); point rows only. */
  added: z.boolean().optional(),
});
export type TRollupRow = z.infer<typeof ZRollupRowSchema>;

/**
 * One framework standard's roll-up: the mean, over the visits that observed its linked items, of
 * each visit's pass rate on them (share); points = max score × share (the demo framework's rule).
 */
export const ZStandardRollupRowSchema = z.object({
  code: z.string(),
  /** The standard's text and max score in the framework version in force (null: code unknown). */
  text: z.string().nullable(),
  maxScore: z.number().nullable(),
  visits: z.number().int(),
  passed: z.number().int(),
  failed: z.number().int(),
  share: z.number().nullable(),
  points: z.number().nullable(),
  /** The same standard's share in the previous round of the same kind (null: not observed). */
  previousShare: z.number().nullable(),
});
export type TStandardRollupRow = z.infer<typeof ZStandardRollupRowSchema>;

export const ROLLUP_DIMENSIONS = ['point', 'type', 'region', 'unit', 'item'] as const;

export const ZRoundReportSchema = z.object({
  roundId: z.number().int(),
  roundName: z.string(),
  drawn: z.number().int(),
  /** Visited points, drawn or added. */
  visited: z.number().int(),
  /** Of the visited, places added during the round (随机增加). */
  added: z.number().int(),
  total: ZRollupRowSchema,
  byType: z.array(ZRollupRowSchema),
  /** By 区县 of the point (key: region id, or '-' for none). */
  byDistrict: z.array(ZRollupRowSchema),
  /** Drawn by day: by day of the schedule, in date order (key: day id; '-' for none); else []. */
  byDay: z.array(ZRollupRowSchema),
  byRegion: z.array(ZRollupRowSchema),
  byUnit: z.array(ZRollupRowSchema),
  byPoint: z.array(ZRollupRowSchema),
  byItem: z.array(ZRollupRowSchema),
  byStandard: z.array(ZStandardRollupRowSchema),
  previous: z
    .object({ roundId: z.number().int(), roundName: z.string(), total: ZRollupRowSchema })
    .nullable(),
});
export type TRoundReport = z.infer<typeof ZRoundReportSchema>;

/** A drawn point as the inspector's phone needs it (kept for offline use). */
export const ZAssignedPointSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  type: z.string(),
  typeName: z.string(),
  route: z.string().nullable(),
  address: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  unitName: z.string().nullable(),
  /** Added during the round (随机增加) rather than drawn. */
  added: z.boolean(),
  /** 区县 of the point's region (null: none). */
  districtName: z.string().nullable(),
  /** Drawn by day: the day (of `TMyRound.days`) whose districts hold the point; else null. */
  dayId: z.number().int().nullable(),
  checklist: z.array(ZChecklistItemViewSchema),
  visitId: z.number().int().nullable(),
  visitResult: z.enum(VISIT_RESULTS).nullable(),
  visitScore: z.number().nullable(),
});
export type TAssignedPoint = z.infer<typeof ZAssignedPointSchema>;

/** A point type an inspector may add a place of during the round (随机查看), kept offline. */
export const ZAddableTypeSchema = z.object({
  code: z.string(),
  name: z.string(),
  route: z.string().nullable(),
  checklist: z.array(ZChecklistItemViewSchema),
});
export type TAddableType = z.infer<typeof ZAddableTypeSchema>;

export const ZMyRoundSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.string(),
  startsOn: z.string().nullable(),
  endsOn: z.string().nullable(),
  points: z.array(ZAssignedPointSchema),
  /** The types of 随机查看 (empty once the round has ended). */
  addableTypes: z.array(ZAddableTypeSchema),
  /** Drawn by day (按城区分日抽签): the schedule, by date; empty for a round drawn at once. */
  days: z.array(
    z.object({
      id: z.number().int(),
      date: z.string(),
      districtNames: z.array(z.string()),
      state: z.enum(['planned', 'committed', 'drawn', 'revealed']),
    }),
  ),
});
export type TMyRound = z.infer<typeof ZMyRoundSchema>;
export const ZMyRoundListSchema = zItems(ZMyRoundSchema);

/** A point with its grid and change history (GET /api/points/:id). */
export const ZPointDetailSchema = z.object({
  point: z.object({
    id: z.number().int(),
    name: z.string(),
    type: z.string(),
    typeName: z.string(),
    regionName: z.string().nullable(),
    unitName: z.string().nullable(),
    address: z.string().nullable(),
    lat: z.number().nullable(),
    lng: z.number().nullable(),
    leader: z.string().nullable(),
    contact: z.string().nullable(),
    active: z.boolean(),
    version: z.number().int(),
  }),
  /** The active grid whose polygon holds the point, derived when asked (never stored). */
  grid: z.object({ id: z.number().int(), code: z.string(), name: z.string() }).nullable(),
  /** Changes from the audit log, oldest first. */
  history: z.array(
    z.object({
      at: z.string(),
      actorName: z.string().nullable(),
      action: z.string(),
      changes: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })),
    }),
  ),
});
export type TPointDetail = z.infer<typeof ZPointDetailSchema>;

/** One rule of a round's draw plan, by point type code: every point, or a random count. */
export const ZDrawRuleSchema = z.discriminatedUnion('mode', [
  z.object({ type: z.string().min(1).max(10), mode: z.literal('all') }),
  z.object({
    type: z.string().min(1).max(10),
    mode: z.literal('random'),
    count: z.number().int().min(0).max(10_000),
  }),
]);

export const ROUND_KINDS = ['official', 'mock', 'supervision', 'secret'] as const;
export const ROUND_STATES = ['planned', 'committed', 'drawn', 'revealed'] as const;

/** A district's own count for a random type of the plan (按城区分日抽签). */
export const ZCountOverrideSchema = z.object({
  regionId: z.number().int().positive(),
  type: z.string().min(1).max(10),
  count: z.number().int().min(0).max(10_000),
});
export type TCountOverride = z.infer<typeof ZCountOverrideSchema>;

/** One day of a round's schedule (测评日程): a date and the districts (区县) tested that day. */
export const ZScheduleDaySchema = z.object({
  date: z.iso.date(),
  regionIds: z
    .array(z.number().int().positive())
    .min(1, '每天至少安排一个城区 / a day needs at least one district')
    .max(50)
    .refine((ids) => new Set(ids).size === ids.length, {
      message: '同一城区在当天重复 / a district appears twice on the day',
    }),
  overrides: z.array(ZCountOverrideSchema).max(500).default([]),
});
export type TScheduleDay = z.infer<typeof ZScheduleDaySchema>;

/** A day of a round's schedule in a path: `/api/rounds/:id/days/:dayId`. */
export const ZRoundDayParamsSchema = z.object({ id: ZIdValueSchema, dayId: ZIdValueSchema });

/** Changes a day of the schedule while it is planned (PATCH /api/rounds/:id/days/:dayId). */
export const ZScheduleDayPatchSchema = z.object({
  date: ZScheduleDaySchema.shape.date.optional(),
  regionIds: ZScheduleDaySchema.shape.regionIds.optional(),
  // No default here: a change of date alone keeps the day's overrides.
  overrides: z.array(ZCountOverrideSchema).max(500).optional(),
  version: z.number().int().positive(),
});
export type TScheduleDayPatch = z.infer<typeof ZScheduleDayPatchSchema>;

/** Plan an inspection round (POST /api/rounds). */
export const ZRoundInputSchema = z.object({
  name: z.string().trim().min(2).max(60),
  kind: z.enum(ROUND_KINDS),
  startsOn: z.iso.date().nullable().optional(),
  endsOn: z.iso.date().nullable().optional(),
  plan: z
    .array(ZDrawRuleSchema)
    .min(1)
    .max(50)
    .refine((p) => new Set(p.map((r) => r.type)).size === p.length, {
      message: '同一类型在方案中出现两次 / a point type appears twice in the plan',
    }),
  regionIds: z.array(z.number().int().positive()).max(100).default([]),
  inspectorIds: z.array(z.number().int().positive()).max(200).default([]),
  /**
   * 按城区分日抽签: the days, each drawn on its own; the plan's counts then apply per district. The
   * round's districts and dates come from it (give neither `regionIds` nor `startsOn`/`endsOn`).
   */
  schedule: z.array(ZScheduleDaySchema).min(1).max(31).nullable().optional(),
  /**
   * 交办属地 (the city's rounds): a problem found at a point in a district is handed to that
   * district's 创建办 to dispatch, instead of going straight to the point's 包保单位.
   */
  handDown: z.boolean().default(false),
});
export type TRoundInput = z.infer<typeof ZRoundInputSchema>;

/** A drawn point by name, with its type and district (区县). */
export const ZDrawnPointSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  typeCode: z.string(),
  typeName: z.string(),
  /** 区县 of the point's region; null when it lies in none (or was deleted). */
  districtName: z.string().nullable(),
});

/** A frozen list entry: a point id and its type — for a day, its stratum `district/type`. */
const ZFrozenEntrySchema = z.object({ id: z.number().int(), type: z.string() });

/**
 * One day of a round drawn by district, with its own verifiable draw. `plan` is the round's plan
 * over the day's districts, by stratum (`district/type`), frozen at the commitment (null before).
 * Secret rounds hide the frozen list and the drawn points as the round does.
 */
export const ZRoundDaySchema = z.object({
  id: z.number().int(),
  date: z.string(),
  regionIds: z.array(z.number().int()),
  districts: z.array(z.object({ id: z.number().int(), name: z.string() })),
  overrides: z.array(ZCountOverrideSchema),
  state: z.enum(['planned', 'committed', 'drawn', 'revealed']),
  stateLabel: z.object({ zh: z.string(), en: z.string() }),
  plan: z
    .array(
      z.discriminatedUnion('mode', [
        z.object({ type: z.string(), mode: z.literal('all') }),
        z.object({ type: z.string(), mode: z.literal('random'), count: z.number().int() }),
      ]),
    )
    .nullable(),
  commitment: z.string().nullable(),
  fingerprint: z.string().nullable(),
  frozenList: z.array(ZFrozenEntrySchema).nullable(),
  drawnIds: z.array(z.number().int()).nullable(),
  drawnPoints: z.array(ZDrawnPointSchema).nullable(),
  seed: z.string().nullable(),
  committedAt: z.string().nullable(),
  drawnAt: z.string().nullable(),
  revealedAt: z.string().nullable(),
  version: z.number().int(),
});
export type TRoundDay = z.infer<typeof ZRoundDaySchema>;

/**
 * An inspection round and its verifiable draw. The frozen list and the drawn ids of a secret
 * round are null for those who may not know them; the seed is null until revealed.
 */
export const ZRoundSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.enum(ROUND_KINDS),
  state: z.enum(ROUND_STATES),
  stateLabel: z.object({ zh: z.string(), en: z.string() }),
  startsOn: z.string().nullable(),
  endsOn: z.string().nullable(),
  plan: z.array(ZDrawRuleSchema),
  regionIds: z.array(z.number().int()),
  inspectorIds: z.array(z.number().int()),
  commitment: z.string().nullable(),
  fingerprint: z.string().nullable(),
  frozenList: z.array(ZFrozenEntrySchema).nullable(),
  drawnIds: z.array(z.number().int()).nullable(),
  /** The drawn points in draw order, by name with their type and district (null as drawnIds). */
  drawnPoints: z.array(ZDrawnPointSchema).nullable(),
  seed: z.string().nullable(),
  committedAt: z.string().nullable(),
  drawnAt: z.string().nullable(),
  revealedAt: z.string().nullable(),
  /**
   * 按城区分日抽签: the plan applies per district and each of `days` (by date) is drawn on its own;
   * the round's own commitment, list and seed stay empty, its state and drawn points sum its days.
   */
  byDistrict: z.boolean(),
  days: z.array(ZRoundDaySchema),
  /** The district or street whose office runs the round (督查/暗访 of that level); null: the city's. */
  ownerRegionId: z.number().int().nullable(),
  /** That district's or street's name; null for the city's rounds. */
  ownerName: z.string().nullable(),
  /** Problems found are handed to the district's 创建办 (交办属地) rather than dispatched. */
  handDown: z.boolean(),
});
export type TRound = z.infer<typeof ZRoundSchema>;
export type TDrawnPoint = z.infer<typeof ZDrawnPointSchema>;
export const ZRoundListSchema = zItems(ZRoundSchema);
/**
 * Whose rounds: `city` the city office's own, a region id that district's or street's own; absent,
 * every level the reader sees (the city: all; a district office: its own and its streets').
 */
export const ZRoundListQuerySchema = z.object({
  ownerRegionId: z.union([z.literal('city'), z.coerce.number().int().positive()]).optional(),
});
export type TRoundListQuery = z.infer<typeof ZRoundListQuerySchema>;

/** The re-run of a revealed draw: ok, or the reasons it does not hold, and the ids it gives. */
export const ZDrawVerificationSchema = z.object({
  ok: z.boolean(),
  reasons: z.array(z.string()),
  ids: z.array(z.number().int()),
});
export type TDrawVerification = z.infer<typeof ZDrawVerificationSchema>;
