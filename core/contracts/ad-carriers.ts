import { zPatchOf } from './common.js';
import { z } from './zod-setup.js';

type Label = { zh: string; en: string };

/** 公益广告阵地: the forms a carrier takes. */
export const CARRIER_KINDS = [
  'board',
  'led',
  'hoarding',
  'pole_flag',
  'showcase',
  'window',
  'facade',
  'bus_shelter',
  'other',
] as const;
export type TCarrierKind = (typeof CARRIER_KINDS)[number];
export const CARRIER_KIND_LABELS: Record<TCarrierKind, Label> = {
  board: { zh: '固定式展板', en: 'Fixed board' },
  led: { zh: 'LED屏', en: 'LED screen' },
  hoarding: { zh: '围挡', en: 'Hoarding' },
  pole_flag: { zh: '灯杆旗', en: 'Lamp-pole flag' },
  showcase: { zh: '宣传栏', en: 'Showcase' },
  window: { zh: '橱窗', en: 'Shop window' },
  facade: { zh: '楼体', en: 'Building facade' },
  bus_shelter: { zh: '公交站台', en: 'Bus shelter' },
  other: { zh: '其他', en: 'Other' },
};

/** The content themes of 公益广告. */
export const CARRIER_THEMES = [
  'core_values',
  'civil_health',
  'integrity',
  'minors',
  'festival',
  'other',
] as const;
export type TCarrierTheme = (typeof CARRIER_THEMES)[number];
export const CARRIER_THEME_LABELS: Record<TCarrierTheme, Label> = {
  core_values: { zh: '社会主义核心价值观', en: 'Core socialist values' },
  civil_health: { zh: '文明健康有你有我', en: 'Civility and health' },
  integrity: { zh: '诚信建设', en: 'Integrity' },
  minors: { zh: '未成年人思想道德建设', en: 'Minors’ moral education' },
  festival: { zh: '节日主题', en: 'Festival' },
  other: { zh: '其他', en: 'Other' },
};

/** Where a carrier stands: only 完好 ones count towards a rule. */
export const CARRIER_STATES = ['intact', 'damaged', 'outdated', 'missing'] as const;
export type TCarrierState = (typeof CARRIER_STATES)[number];
export const CARRIER_STATE_LABELS: Record<TCarrierState, Label> = {
  intact: { zh: '完好', en: 'Intact' },
  damaged: { zh: '破损', en: 'Damaged' },
  outdated: { zh: '过期', en: 'Outdated' },
  missing: { zh: '缺失', en: 'Missing' },
};
/** The states a carrier may be turned into a problem from (转为问题). */
export const CARRIER_PROBLEM_STATES: readonly TCarrierState[] = ['damaged', 'missing', 'outdated'];

const text = (max: number, what: Label) =>
  z
    .string()
    .trim()
    .max(max, { message: `${what.zh}最多 ${max} 个字 / ${what.en} has at most ${max} characters` });

const ZCm = (what: Label) =>
  z
    .number({ message: `请填写${what.zh}（厘米） / ${what.en} (cm) is required` })
    .int({ message: `${what.zh}须为整数厘米 / ${what.en} is whole centimetres` })
    .min(1, { message: `${what.zh}至少 1 厘米 / ${what.en} is at least 1 cm` })
    .max(100000, { message: `${what.zh}不超过 1000 米 / ${what.en} is at most 1000 m` });

const ZCarrierFields = z.object({
  /** Blank: a code is given (GG00001). */
  code: text(40, { zh: '编号', en: 'the code' }).optional(),
  kind: z.enum(CARRIER_KINDS),
  widthCm: ZCm({ zh: '宽度', en: 'the width' }),
  heightCm: ZCm({ zh: '高度', en: 'the height' }),
  lat: z
    .number({ message: '请填写纬度 / the latitude is required' })
    .min(3, { message: '纬度超出范围 / latitude out of range' })
    .max(54, { message: '纬度超出范围 / latitude out of range' }),
  lng: z
    .number({ message: '请填写经度 / the longitude is required' })
    .min(73, { message: '经度超出范围 / longitude out of range' })
    .max(136, { message: '经度超出范围 / longitude out of range' }),
  address: text(200, { zh: '地址', en: 'the address' }).nullable().optional(),
  pointId: z.number().int().positive().nullable().optional(),
  unitId: z.number().int().positive().nullable().optional(),
  theme: z.enum(CARRIER_THEMES),
  designTitle: text(100, { zh: '画面标题', en: 'the design title' }).nullable().optional(),
  photoId: z.uuid().nullable().optional(),
  /** When the photo was taken; blank: its EXIF time, else its upload time. */
  photoTakenAt: z.iso.datetime({ offset: true }).nullable().optional(),
  state: z.enum(CARRIER_STATES).default('intact'),
  /** 固定式 (not a banner or roll-up): in 小区 only fixed forms count. */
  fixed: z.boolean().default(true),
  /** Carriers sharing this label at one point are one group and count as one (集中设置). */
  cluster: text(40, { zh: '集中设置组', en: 'the cluster label' }).nullable().optional(),
  remarks: text(500, { zh: '备注', en: 'remarks' }).nullable().optional(),
});
export const ZCarrierInputSchema = ZCarrierFields.extend({
  /** The phone's id of an offline registration: sent again, it answers the same carrier. */
  clientId: z.uuid().optional(),
});
export type TCarrierInput = z.input<typeof ZCarrierInputSchema>;
export type TCarrierParsed = z.output<typeof ZCarrierInputSchema>;

/** An edit at a version; a change of state may carry its reason (kept in the audit). */
export const ZCarrierPatchSchema = zPatchOf(ZCarrierFields).extend({
  version: z.number().int().positive(),
  reason: text(500, { zh: '原因', en: 'the reason' }).optional(),
});
export type TCarrierPatch = z.output<typeof ZCarrierPatchSchema>;

export const ZCarrierSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  kind: z.enum(CARRIER_KINDS),
  widthCm: z.number().int(),
  heightCm: z.number().int(),
  lat: z.number(),
  lng: z.number(),
  address: z.string().nullable(),
  pointId: z.number().int().nullable(),
  pointName: z.string().nullable(),
  gridId: z.number().int().nullable(),
  gridName: z.string().nullable(),
  regionId: z.number().int().nullable(),
  regionName: z.string().nullable(),
  unitId: z.number().int().nullable(),
  unitName: z.string().nullable(),
  theme: z.enum(CARRIER_THEMES),
  designTitle: z.string().nullable(),
  photoId: z.string().nullable(),
  photoTakenAt: z.string().nullable(),
  state: z.enum(CARRIER_STATES),
  fixed: z.boolean(),
  cluster: z.string().nullable(),
  problemId: z.number().int().nullable(),
  problemCode: z.string().nullable(),
  problemState: z.string().nullable(),
  remarks: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TCarrier = z.infer<typeof ZCarrierSchema>;

export const ZListCarriersQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
  kind: z.enum(CARRIER_KINDS).optional(),
  theme: z.enum(CARRIER_THEMES).optional(),
  state: z.enum(CARRIER_STATES).optional(),
  pointId: z.coerce.number().int().positive().optional(),
  unitId: z.coerce.number().int().positive().optional(),
  /** Carriers placed in this region or below it. */
  regionId: z.coerce.number().int().positive().optional(),
  q: z.string().trim().max(50).optional(),
});
export type TListCarriersQuery = z.infer<typeof ZListCarriersQuerySchema>;
export const ZCarriersExportQuerySchema = ZListCarriersQuerySchema.omit({
  limit: true,
  cursor: true,
});
export type TCarriersFilters = z.infer<typeof ZCarriersExportQuerySchema>;
export const ZCarriersPageSchema = z.object({
  items: z.array(ZCarrierSchema),
  nextCursor: z.string().nullable(),
  total: z.number().int(),
});

/** The carriers for a map layer (the list's filters). */
export const ZCarriersMapQuerySchema = ZCarriersExportQuerySchema.omit({ q: true });
export type TCarriersMapQuery = z.infer<typeof ZCarriersMapQuerySchema>;
export const CARRIERS_MAP_LIMIT = 5000;
export const ZCarrierMarkerSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  kind: z.enum(CARRIER_KINDS),
  theme: z.enum(CARRIER_THEMES),
  state: z.enum(CARRIER_STATES),
  lat: z.number(),
  lng: z.number(),
});
export type TCarrierMarker = z.infer<typeof ZCarrierMarkerSchema>;
export const ZCarriersMapSchema = z.object({
  items: z.array(ZCarrierMarkerSchema),
  truncated: z.boolean(),
});
export type TCarriersMap = z.infer<typeof ZCarriersMapSchema>;

// ---- Rules per point type -------------------------------------------------------------------

const ZPositiveOrNull = (max: number) => z.number().int().min(1).max(max).nullable().optional();

export const ZThemeMinSchema = z.object({
  theme: z.enum(CARRIER_THEMES),
  min: z
    .number()
    .int()
    .min(1, { message: '主题数量至少为 1 / a theme count is at least 1' })
    .max(100),
});
export type TThemeMin = z.infer<typeof ZThemeMinSchema>;

/** A point type's 公益广告 rule; a part left null is not checked. */
export const ZCarrierRuleInputSchema = z.object({
  pointTypeId: z.number().int().positive(),
  minCount: ZPositiveOrNull(1000),
  themeMins: z.array(ZThemeMinSchema).max(CARRIER_THEMES.length).default([]),
  minWidthCm: ZPositiveOrNull(10000),
  minHeightCm: ZPositiveOrNull(10000),
  fixedOnly: z.boolean().default(false),
  /** ≥ perLengthCount carriers per perLengthM metres of the point's road length. */
  perLengthCount: ZPositiveOrNull(1000),
  perLengthM: ZPositiveOrNull(100000),
  /** A construction site's hoarding: at least this % carries 公益广告 (measured by hand). */
  minHoardingPct: z.number().int().min(1).max(100).nullable().optional(),
  basis: text(300, { zh: '依据', en: 'the basis' }).nullable().optional(),
});
export type TCarrierRuleInput = z.output<typeof ZCarrierRuleInputSchema>;

export const ZCarrierRuleSchema = z.object({
  id: z.number().int(),
  pointTypeId: z.number().int(),
  pointTypeName: z.string(),
  minCount: z.number().int().nullable(),
  themeMins: z.array(ZThemeMinSchema),
  minWidthCm: z.number().int().nullable(),
  minHeightCm: z.number().int().nullable(),
  fixedOnly: z.boolean(),
  perLengthCount: z.number().int().nullable(),
  perLengthM: z.number().int().nullable(),
  minHoardingPct: z.number().int().nullable(),
  basis: z.string().nullable(),
  version: z.number().int(),
});
export type TCarrierRule = z.infer<typeof ZCarrierRuleSchema>;
export const ZCarrierRulesSchema = z.object({ items: z.array(ZCarrierRuleSchema) });

/** What a point's evaluation needs and points do not keep: road length, hoarding share. */
export const ZPointMeasureInputSchema = z.object({
  lengthM: z
    .number()
    .int()
    .min(1, { message: '长度至少 1 米 / the length is at least 1 m' })
    .max(100000)
    .nullable(),
  hoardingPct: z
    .number()
    .min(0, { message: '比例为 0 至 100 / the share is 0 to 100' })
    .max(100, { message: '比例为 0 至 100 / the share is 0 to 100' })
    .nullable(),
});
export type TPointMeasureInput = z.infer<typeof ZPointMeasureInputSchema>;
export const ZPointIdParamSchema = z.object({ pointId: z.coerce.number().int().positive() });

// ---- Coverage -------------------------------------------------------------------------------

export const COVERAGE_CHECKS = ['count', 'theme', 'per_length', 'hoarding'] as const;
export type TCoverageCheckKind = (typeof COVERAGE_CHECKS)[number];
export const ZCoverageCheckSchema = z.object({
  kind: z.enum(COVERAGE_CHECKS),
  theme: z.enum(CARRIER_THEMES).nullable(),
  required: z.number(),
  /** Null when the check was skipped (no length, no hoarding share recorded). */
  actual: z.number().nullable(),
  result: z.enum(['met', 'unmet', 'skipped']),
  messageZh: z.string(),
  messageEn: z.string(),
});
export type TCoverageCheck = z.infer<typeof ZCoverageCheckSchema>;

export const ZPointCoverageSchema = z.object({
  pointId: z.number().int(),
  pointName: z.string(),
  pointTypeId: z.number().int(),
  pointTypeName: z.string(),
  regionId: z.number().int().nullable(),
  regionName: z.string().nullable(),
  /** The street (街道) the point lies in, or its region when above a street. */
  streetId: z.number().int().nullable(),
  streetName: z.string().nullable(),
  /** Every carrier of the point / those that count (完好, big enough, fixed where required). */
  carriers: z.number().int(),
  counted: z.number().int(),
  /** Counting units: a cluster counts once. */
  countedUnits: z.number().int(),
  checks: z.array(ZCoverageCheckSchema),
  /** Every check met (skipped ones aside). */
  met: z.boolean(),
});
export type TPointCoverage = z.infer<typeof ZPointCoverageSchema>;

export const ZCoverageQuerySchema = z.object({
  regionId: z.coerce.number().int().positive().optional(),
  pointTypeId: z.coerce.number().int().positive().optional(),
  /** Only the points that break a rule. */
  unmetOnly: z.enum(['true', 'false']).optional(),
});
export type TCoverageQuery = z.infer<typeof ZCoverageQuerySchema>;
export const COVERAGE_POINT_LIMIT = 2000;
export const ZCoverageSchema = z.object({
  points: z.array(ZPointCoverageSchema),
  /** Per street: points with a rule, and those breaking one. */
  streets: z.array(
    z.object({
      streetId: z.number().int().nullable(),
      streetName: z.string().nullable(),
      points: z.number().int(),
      unmet: z.number().int(),
    }),
  ),
  truncated: z.boolean(),
});
export type TCoverage = z.infer<typeof ZCoverageSchema>;

// ---- 转为问题 ----------------------------------------------------------------------------------

export const ZCarrierToProblemSchema = z.object({
  version: z.number().int().positive(),
  note: text(500, { zh: '说明', en: 'the note' }).optional(),
});
export type TCarrierToProblem = z.infer<typeof ZCarrierToProblemSchema>;
export const ZCarrierProblemResultSchema = z.object({
  carrier: ZCarrierSchema,
  problemId: z.number().int(),
  problemCode: z.string(),
  /** True when dispatched to the maintainer; false when left registered (no active maintainer). */
  dispatched: z.boolean(),
});

// ---- 换版 campaigns ---------------------------------------------------------------------------

export const ZAdCampaignInputSchema = z.object({
  name: text(60, { zh: '名称', en: 'the name' }).min(1, {
    message: '请填写换版名称 / the name is required',
  }),
  theme: z.enum(CARRIER_THEMES),
  designTitle: text(100, { zh: '画面标题', en: 'the design title' }).nullable().optional(),
  deadline: z.iso.date({ message: '截止日期格式为 YYYY-MM-DD / the deadline is YYYY-MM-DD' }),
  carrierIds: z
    .array(z.number().int().positive())
    .min(1, { message: '请选择至少一个阵地 / choose at least one carrier' })
    .max(5000),
});
export type TAdCampaignInput = z.infer<typeof ZAdCampaignInputSchema>;

export const ZAdCampaignSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  theme: z.enum(CARRIER_THEMES),
  designTitle: z.string().nullable(),
  deadline: z.string(),
  ownerRegionId: z.number().int().nullable(),
  total: z.number().int(),
  done: z.number().int(),
  /** Done share, 0–100 (one decimal). */
  percent: z.number(),
  overdue: z.boolean(),
  createdAt: z.string(),
});
export type TAdCampaign = z.infer<typeof ZAdCampaignSchema>;
export const ZAdCampaignsSchema = z.object({ items: z.array(ZAdCampaignSchema) });

export const ZAdCampaignItemSchema = z.object({
  carrierId: z.number().int(),
  code: z.string(),
  kind: z.enum(CARRIER_KINDS),
  pointName: z.string().nullable(),
  unitName: z.string().nullable(),
  doneAt: z.string().nullable(),
  doneByName: z.string().nullable(),
  beforePhotoId: z.string().nullable(),
  afterPhotoId: z.string().nullable(),
  note: z.string().nullable(),
});
export const ZAdCampaignDetailSchema = z.object({
  campaign: ZAdCampaignSchema,
  items: z.array(ZAdCampaignItemSchema),
});
export type TAdCampaignDetail = z.infer<typeof ZAdCampaignDetailSchema>;

export const ZCampaignCarrierParamSchema = z.object({
  id: z.coerce.number().int().positive(),
  carrierId: z.coerce.number().int().positive(),
});
/** A carrier's 换版 done, with the before and after photos (both required). */
export const ZAdCampaignDoneSchema = z.object({
  beforePhotoId: z.uuid({ message: '请上传换版前照片 / the before photo is required' }),
  afterPhotoId: z.uuid({ message: '请上传换版后照片 / the after photo is required' }),
  note: text(300, { zh: '说明', en: 'the note' }).optional(),
});
export type TAdCampaignDone = z.infer<typeof ZAdCampaignDoneSchema>;

// ---- Dashboard ------------------------------------------------------------------------------

export const ZCarriersDashboardQuerySchema = z.object({
  regionId: z.coerce.number().int().positive().optional(),
});
export const ZCarriersDashboardSchema = z.object({
  total: z.number().int(),
  byState: z.record(z.enum(CARRIER_STATES), z.number().int()),
  byTheme: z.array(
    z.object({
      theme: z.enum(CARRIER_THEMES),
      total: z.number().int(),
      byState: z.record(z.enum(CARRIER_STATES), z.number().int()),
    }),
  ),
  /** Damaged or missing with no open problem yet. */
  awaitingProblem: z.number().int(),
});
export type TCarriersDashboard = z.infer<typeof ZCarriersDashboardSchema>;
