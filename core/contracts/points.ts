import { VISIT_RESULTS } from '../inspection/score.js';
import { zItems, zPatchOf } from './common.js';
import { z } from './zod-setup.js';

/** Register a point (点位); the type by its code. */
export const ZPointInputSchema = z.object({
  name: z.string().trim().min(2).max(80),
  type: z.string().trim().min(1).max(10),
  regionId: z.number().int().positive().nullable().optional(),
  lat: z.number().min(3).max(54).nullable().optional(),
  lng: z.number().min(73).max(136).nullable().optional(),
  address: z.string().trim().max(200).nullable().optional(),
  unitId: z.number().int().positive().nullable().optional(),
  active: z.boolean().optional(),
});
export type TPointInput = z.infer<typeof ZPointInputSchema>;

/** Edit a point at the version read. */
export const ZPointPatchSchema = zPatchOf(ZPointInputSchema).extend({
  version: z.number().int().positive(),
});
export type TPointPatch = z.infer<typeof ZPointPatchSchema>;

export const ZPointsQuerySchema = z.object({ type: z.string().max(10).optional() });
export type TPointsQuery = z.infer<typeof ZPointsQuerySchema>;

/** A point as stored (POST / PATCH /api/points answer it). */
export const ZPointSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  typeId: z.number().int(),
  regionId: z.number().int().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  address: z.string().nullable(),
  unitId: z.number().int().nullable(),
  leader: z.string().nullable(),
  contact: z.string().nullable(),
  active: z.boolean(),
  /** The round an inspector added the place in (随机查看); null for a declared point. */
  addedInRoundId: z.number().int().nullable(),
  /** When the office took an added place into the declared points (it can then be drawn). */
  adoptedAt: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
});
export type TPoint = z.infer<typeof ZPointSchema>;

/** A point of the list (GET /api/points): the stored point with its type's code and name. */
export const ZPointListItemSchema = ZPointSchema.extend({ type: z.string(), typeName: z.string() });
export type TPointListItem = z.infer<typeof ZPointListItemSchema>;
export const ZPointListSchema = zItems(ZPointListItemSchema);

export const ZPointsOverviewQuerySchema = z.object({
  type: z.string().max(10).optional(),
  regionId: z.coerce.number().int().positive().optional(),
  /** Latest result of the point: pass / fail / serious, or `none` (never visited). */
  result: z.enum([...VISIT_RESULTS, 'none']).optional(),
  active: z.enum(['true', 'false']).optional(),
  /** declared: in the 申报表 (never added, or adopted); added: added during a round, not adopted. */
  origin: z.enum(['declared', 'added']).optional(),
});
export type TPointsOverviewQuery = z.infer<typeof ZPointsOverviewQuerySchema>;

export const ZPointOverviewSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  type: z.string(),
  typeName: z.string(),
  regionId: z.number().int().nullable(),
  regionName: z.string().nullable(),
  unitId: z.number().int().nullable(),
  unitName: z.string().nullable(),
  address: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  leader: z.string().nullable(),
  contact: z.string().nullable(),
  active: z.boolean(),
  /** Added during a round (随机查看) and not (yet) taken into the declared points. */
  added: z.boolean(),
  addedInRoundName: z.string().nullable(),
  version: z.number().int(),
  lastVisitId: z.number().int().nullable(),
  lastVisitAt: z.string().nullable(),
  lastRoundName: z.string().nullable(),
  lastScore: z.number().nullable(),
  lastResult: z.enum(VISIT_RESULTS).nullable(),
});
export type TPointOverview = z.infer<typeof ZPointOverviewSchema>;
export const ZPointOverviewListSchema = zItems(ZPointOverviewSchema);

/** Take a place added during a round into the declared points (it can then be drawn). */
export const ZPointAdoptSchema = z.object({ version: z.number().int().positive() });
export type TPointAdopt = z.infer<typeof ZPointAdoptSchema>;
