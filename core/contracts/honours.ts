import { z } from './zod-setup.js';

/** 文明细胞: the cell types a civilized title is held by. */
export const CELL_TYPES = ['unit', 'village', 'campus', 'community', 'family'] as const;
export type TCellType = (typeof CELL_TYPES)[number];
export const CELL_TYPE_LABELS: Record<TCellType, { zh: string; en: string }> = {
  unit: { zh: '文明单位', en: 'Civilized unit' },
  village: { zh: '文明村镇', en: 'Civilized village or town' },
  campus: { zh: '文明校园', en: 'Civilized campus' },
  community: { zh: '文明社区', en: 'Civilized community' },
  family: { zh: '文明家庭', en: 'Civilized family' },
};

/** The level that conferred the title. */
export const HONOUR_LEVELS = ['national', 'provincial', 'city', 'county'] as const;
export type THonourLevel = (typeof HONOUR_LEVELS)[number];
export const HONOUR_LEVEL_LABELS: Record<THonourLevel, { zh: string; en: string }> = {
  national: { zh: '全国', en: 'National' },
  provincial: { zh: '省级', en: 'Provincial' },
  city: { zh: '市级', en: 'City' },
  county: { zh: '县级', en: 'County' },
};

/** Dynamic management: where a title stands. */
export const HONOUR_STATUSES = [
  'listed',
  'rectifying',
  'suspended',
  'revoked',
  'relinquished',
] as const;
export type THonourStatus = (typeof HONOUR_STATUSES)[number];
export const HONOUR_STATUS_LABELS: Record<THonourStatus, { zh: string; en: string }> = {
  listed: { zh: '在册', en: 'Listed' },
  rectifying: { zh: '整改', en: 'Rectifying' },
  suspended: { zh: '暂停', en: 'Suspended' },
  revoked: { zh: '撤销', en: 'Revoked' },
  relinquished: { zh: '放弃', en: 'Relinquished' },
};

/** The title a holder of `type` at `level` usually carries: 市级文明单位, 全国文明村镇… */
export function defaultHonourTitle(type: TCellType, level: THonourLevel): string {
  return `${HONOUR_LEVEL_LABELS[level].zh}${CELL_TYPE_LABELS[type].zh}`;
}

const ZYear = z
  .number()
  .int()
  .min(1980, { message: '授予年度应在 1980 年以后 / the year conferred is 1980 or later' })
  .max(2100, { message: '授予年度应在 2100 年以前 / the year conferred is before 2100' });

/** The fields of a holder, without defaults (an edit leaves out what it keeps). */
const ZHonourFields = z.object({
  cellType: z.enum(CELL_TYPES),
  holderName: z
    .string()
    .trim()
    .min(1, { message: '请填写称号持有者名称 / the holder name is required' })
    .max(100, { message: '名称最多 100 个字 / at most 100 characters' }),
  unitId: z.number().int().positive().nullable().optional(),
  regionId: z.number().int().positive().nullable().optional(),
  /** Blank: the usual title of the type and level (市级文明单位). */
  title: z
    .string()
    .trim()
    .max(60, { message: '称号最多 60 个字 / the title has at most 60 characters' })
    .optional(),
  level: z.enum(HONOUR_LEVELS),
  yearConferred: ZYear,
  termYears: z
    .number()
    .int()
    .min(1, { message: '有效期为 1 至 10 年 / the term is 1 to 10 years' })
    .max(10, { message: '有效期为 1 至 10 年 / the term is 1 to 10 years' }),
  status: z.enum(HONOUR_STATUSES),
  lat: z.number().min(3).max(54).nullable().optional(),
  lng: z.number().min(73).max(136).nullable().optional(),
  remarks: z
    .string()
    .trim()
    .max(500, { message: '备注最多 500 个字 / remarks have at most 500 characters' })
    .nullable()
    .optional(),
  /** The managing 文明办's region; null for the city's (a district office's own by default). */
  officeRegionId: z.number().int().positive().nullable().optional(),
});
export const ZHonourInputSchema = ZHonourFields.extend({
  termYears: ZHonourFields.shape.termYears.default(3),
  status: ZHonourFields.shape.status.default('listed'),
});
export type THonourInput = z.input<typeof ZHonourInputSchema>;
export type THonourParsed = z.output<typeof ZHonourInputSchema>;

/**
 * An edit at a version. A status change carries its reason (整改通知, 撤销决定…), kept in the audit.
 */
export const ZHonourPatchSchema = ZHonourFields.partial().extend({
  version: z.number().int().positive(),
  reason: z
    .string()
    .trim()
    .min(1)
    .max(500, { message: '原因最多 500 个字 / the reason has at most 500 characters' })
    .optional(),
});
export type THonourPatch = z.output<typeof ZHonourPatchSchema>;

export const ZHonourSchema = z.object({
  id: z.number().int(),
  cellType: z.enum(CELL_TYPES),
  holderName: z.string(),
  unitId: z.number().int().nullable(),
  unitName: z.string().nullable(),
  regionId: z.number().int().nullable(),
  regionName: z.string().nullable(),
  title: z.string(),
  level: z.enum(HONOUR_LEVELS),
  yearConferred: z.number().int(),
  termYears: z.number().int(),
  /** The last year of the term (conferred 2024 for 3 years: 2026). */
  termEndsYear: z.number().int(),
  status: z.enum(HONOUR_STATUSES),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  remarks: z.string().nullable(),
  officeRegionId: z.number().int().nullable(),
  officeRegionName: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type THonour = z.infer<typeof ZHonourSchema>;

export const ZListHonoursQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
  cellType: z.enum(CELL_TYPES).optional(),
  level: z.enum(HONOUR_LEVELS).optional(),
  status: z.enum(HONOUR_STATUSES).optional(),
  year: z.coerce.number().int().min(1980).max(2100).optional(),
  q: z.string().trim().max(50).optional(),
  /** Holders placed in this region or below it. */
  regionId: z.coerce.number().int().positive().optional(),
});
export type TListHonoursQuery = z.infer<typeof ZListHonoursQuerySchema>;
export const ZHonoursExportQuerySchema = ZListHonoursQuerySchema.omit({
  limit: true,
  cursor: true,
});
export type THonoursFilters = z.infer<typeof ZHonoursExportQuerySchema>;

export const ZHonoursPageSchema = z.object({
  items: z.array(ZHonourSchema),
  nextCursor: z.string().nullable(),
  total: z.number().int(),
});

/**
 * What a record of a holder's history is: registered, edited, its status changed, imported, or
 * another part of 文明细胞's record of it (`other`, told by its action).
 */
export const HONOUR_HISTORY_KINDS = ['create', 'update', 'status', 'import', 'other'] as const;

/**
 * One step of a holder's history, from the audit log: who, when, and what — a change of status
 * with its reason, the fields an edit changed, or the import (file) that changed its status.
 */
export const ZHonourHistoryEntrySchema = z.object({
  /** The audit record's id. */
  id: z.number().int(),
  at: z.string(),
  actorName: z.string().nullable(),
  /** The audit action (`honour.status`…); `other` kinds are told by it. */
  action: z.string(),
  kind: z.enum(HONOUR_HISTORY_KINDS),
  statusFrom: z.enum(HONOUR_STATUSES).nullable(),
  statusTo: z.enum(HONOUR_STATUSES).nullable(),
  reason: z.string().nullable(),
  /** The fields an edit changed (names as in ZHonourSchema); empty for the other kinds. */
  changed: z.array(z.string()),
  /** An import's file name. */
  file: z.string().nullable(),
});
export type THonourHistoryEntry = z.infer<typeof ZHonourHistoryEntrySchema>;
export const ZHonourHistorySchema = z.object({
  /** Newest first (at most HONOUR_HISTORY_LIMIT). */
  items: z.array(ZHonourHistoryEntrySchema),
});
export type THonourHistory = z.infer<typeof ZHonourHistorySchema>;
export const HONOUR_HISTORY_LIMIT = 200;

/** The holders with a position, for a map layer (filters like the list's). */
export const ZHonoursMapQuerySchema = z.object({
  cellType: z.enum(CELL_TYPES).optional(),
  status: z.enum(HONOUR_STATUSES).optional(),
  /** Holders placed in this region or below it. */
  regionId: z.coerce.number().int().positive().optional(),
});
export type THonoursMapQuery = z.infer<typeof ZHonoursMapQuerySchema>;
export const HONOURS_MAP_LIMIT = 5000;
export const ZHonourMarkerSchema = z.object({
  id: z.number().int(),
  holderName: z.string(),
  title: z.string(),
  cellType: z.enum(CELL_TYPES),
  level: z.enum(HONOUR_LEVELS),
  status: z.enum(HONOUR_STATUSES),
  lat: z.number(),
  lng: z.number(),
});
export type THonourMarker = z.infer<typeof ZHonourMarkerSchema>;
export const ZHonoursMapSchema = z.object({
  items: z.array(ZHonourMarkerSchema),
  /** More holders with a position than the map carries (HONOURS_MAP_LIMIT). */
  truncated: z.boolean(),
});
export type THonoursMap = z.infer<typeof ZHonoursMapSchema>;

/** The statuses of a title still held (counted on the dashboard); 撤销 and 放弃 have ended it. */
export const HELD_HONOUR_STATUSES = ['listed', 'rectifying', 'suspended'] as const;
/** The statuses that put a title at risk (dynamic management). */
export const AT_RISK_HONOUR_STATUSES = ['rectifying', 'suspended'] as const;

export const ZCellsDashboardQuerySchema = z.object({
  /** A region of the caller's own subtree (default: theirs, or the city). */
  regionId: z.coerce.number().int().positive().optional(),
});
export type TCellsDashboardQuery = z.infer<typeof ZCellsDashboardQuerySchema>;

const ZCellsDashboardItemSchema = z.object({
  id: z.number().int(),
  holderName: z.string(),
  title: z.string(),
  cellType: z.enum(CELL_TYPES),
  level: z.enum(HONOUR_LEVELS),
  status: z.enum(HONOUR_STATUSES),
  termEndsYear: z.number().int(),
  regionName: z.string().nullable(),
});
export type TCellsDashboardItem = z.infer<typeof ZCellsDashboardItemSchema>;

/** 文明细胞 on the dashboard: titles held by type and level, reviews due, titles at risk. */
export const ZCellsDashboardSchema = z.object({
  /** The year it counts from (Shanghai). */
  year: z.number().int(),
  /** Titles held (在册, 整改, 暂停) by type, each by level; every type present. */
  byType: z.array(
    z.object({
      cellType: z.enum(CELL_TYPES),
      total: z.number().int(),
      byLevel: z.record(z.enum(HONOUR_LEVELS), z.number().int()),
    }),
  ),
  held: z.number().int(),
  /** Held titles whose term ends this year or next: their 复审 is due. */
  reviewsDue: z.object({
    thisYear: z.number().int(),
    nextYear: z.number().int(),
    /** The first of them, the earliest term first. */
    items: z.array(ZCellsDashboardItemSchema),
  }),
  /** Titles in 整改 or 暂停. */
  atRisk: z.object({
    rectifying: z.number().int(),
    suspended: z.number().int(),
    items: z.array(ZCellsDashboardItemSchema),
  }),
});
export type TCellsDashboard = z.infer<typeof ZCellsDashboardSchema>;
