import { INDICATOR_DIRECTIONS, INDICATOR_PERIODS } from '../frameworks/indicators.js';
import { z } from './zod-setup.js';

/** 硬性指标: contracts shared by the API and the web forms. */

const ZPeriodTextSchema = z
  .string()
  .trim()
  .regex(/^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/, 'YYYY-MM or YYYY-Qn');

export const ZIndicatorInputSchema = z.object({
  frameworkId: z.number().int().positive(),
  standardKey: z.string().trim().min(1).max(100),
  name: z.string().trim().min(2).max(100),
  measure: z.string().trim().min(1).max(20),
  target: z.number().finite().min(-1e9).max(1e9),
  direction: z.enum(INDICATOR_DIRECTIONS),
  period: z.enum(INDICATOR_PERIODS),
  startPeriod: ZPeriodTextSchema,
  responsibleUnitId: z.number().int().positive(),
  notes: z.string().trim().max(500).nullish(),
});
export type TIndicatorInput = z.infer<typeof ZIndicatorInputSchema>;

export const ZIndicatorUpdateSchema = ZIndicatorInputSchema.omit({
  frameworkId: true,
  standardKey: true,
})
  .partial()
  .extend({ version: z.number().int().positive() });
export type TIndicatorUpdate = z.infer<typeof ZIndicatorUpdateSchema>;

export const ZIndicatorPointSchema = z.object({
  period: z.string(),
  value: z.number(),
  met: z.boolean(),
});

export const ZIndicatorSchema = z.object({
  id: z.number().int(),
  frameworkId: z.number().int(),
  standardKey: z.string(),
  /** The standard's code and text in the version in force (null when it no longer exists there). */
  standardCode: z.string().nullable(),
  standardText: z.string().nullable(),
  name: z.string(),
  measure: z.string(),
  target: z.number(),
  direction: z.enum(INDICATOR_DIRECTIONS),
  period: z.enum(INDICATOR_PERIODS),
  startPeriod: z.string(),
  responsibleUnitId: z.number().int(),
  responsibleUnitName: z.string(),
  notes: z.string().nullable(),
  version: z.number().int(),
  latest: ZIndicatorPointSchema.nullable(),
  compliant: z.boolean().nullable(),
  trend: z.array(ZIndicatorPointSchema),
  missing: z.array(z.string()),
  /** The period a value may be reported for now. */
  currentPeriod: z.string(),
});
export type TIndicator = z.infer<typeof ZIndicatorSchema>;

export const ZIndicatorListQuerySchema = z.object({
  frameworkId: z.coerce.number().int().positive().optional(),
  /** 攻坚组: only indicators on the standards the working group owns. */
  groupId: z.coerce.number().int().positive().optional(),
});
export const ZIndicatorListSchema = z.object({
  items: z.array(ZIndicatorSchema),
  /** Each standard's indicator compliance share (0..1), by stable key. */
  shares: z.array(z.object({ standardKey: z.string(), share: z.number() })),
});

export const ZIndicatorValueInputSchema = z.object({
  period: ZPeriodTextSchema,
  value: z.number().finite().min(-1e9).max(1e9),
  note: z.string().trim().max(500).nullish(),
  fileIds: z.array(z.uuid()).max(9).default([]),
  clientId: z.uuid(),
});
export type TIndicatorValueInput = z.input<typeof ZIndicatorValueInputSchema>;

export const ZIndicatorValueCorrectionSchema = z.object({
  value: z.number().finite().min(-1e9).max(1e9),
  note: z.string().trim().min(2).max(500),
  fileIds: z.array(z.uuid()).max(9).optional(),
  version: z.number().int().positive(),
});

export const ZIndicatorValueSchema = z.object({
  id: z.number().int(),
  indicatorId: z.number().int(),
  period: z.string(),
  value: z.number(),
  met: z.boolean(),
  note: z.string().nullable(),
  fileIds: z.array(z.string()),
  reportedBy: z.string().nullable(),
  reportedAt: z.string(),
  version: z.number().int(),
});
export type TIndicatorValue = z.infer<typeof ZIndicatorValueSchema>;
export const ZIndicatorValuesSchema = z.array(ZIndicatorValueSchema);
