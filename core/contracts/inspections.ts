import { ITEM_RESULTS, VISIT_RESULTS } from '../inspection/score.js';
import { z } from './zod-setup.js';

export const ZItemAnswerSchema = z.object({
  /** Position in the point type's checklist (0-based). */
  index: z.number().int().min(0).max(200),
  result: z.enum(ITEM_RESULTS),
  /** What was counted, for items with a counting rule (e.g. ads seen along 300 m). */
  count: z.number().int().min(0).max(100_000).nullable().optional(),
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

export const ZVisitSubmitSchema = z
  .object({
    /** Generated on the phone: sending the same visit again returns it, never a second one. */
    clientId: z.uuid(),
    roundId: z.number().int().positive(),
    pointId: z.number().int().positive(),
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
  unitId: z.number().int().nullable(),
  unitName: z.string().nullable(),
  inspectorId: z.number().int(),
  inspectorName: z.string(),
  items: z.array(ZItemAnswerSchema.extend({ text: z.string(), serious: z.boolean() })),
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
});
export type TRollupRow = z.infer<typeof ZRollupRowSchema>;

export const ROLLUP_DIMENSIONS = ['point', 'type', 'region', 'unit', 'item'] as const;

export const ZRoundReportSchema = z.object({
  roundId: z.number().int(),
  roundName: z.string(),
  drawn: z.number().int(),
  visited: z.number().int(),
  total: ZRollupRowSchema,
  byType: z.array(ZRollupRowSchema),
  byRegion: z.array(ZRollupRowSchema),
  byUnit: z.array(ZRollupRowSchema),
  byPoint: z.array(ZRollupRowSchema),
  byItem: z.array(ZRollupRowSchema),
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
  checklist: z.array(
    z.object({ text: z.string(), serious: z.boolean(), guidance: z.string().nullable() }),
  ),
  visitId: z.number().int().nullable(),
  visitResult: z.enum(VISIT_RESULTS).nullable(),
  visitScore: z.number().nullable(),
});
export type TAssignedPoint = z.infer<typeof ZAssignedPointSchema>;

export const ZMyRoundSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.string(),
  startsOn: z.string().nullable(),
  endsOn: z.string().nullable(),
  points: z.array(ZAssignedPointSchema),
});
export type TMyRound = z.infer<typeof ZMyRoundSchema>;
