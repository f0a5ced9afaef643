import { ZIdValueSchema, ZVersionSchema } from './common.js';
import { z } from './zod-setup.js';

export { PUBLICITY_ITEMS } from '../outreach/publicity.js';

export const ZPairingInputSchema = z.object({
  unitId: z.number().int().positive(),
  regionId: z.number().int().positive(),
  building: z.string().trim().max(40).default(''),
  leaderId: z.number().int().positive().nullable().optional(),
  targetHouseholds: z.number().int().min(1).max(100_000),
});

/**
 * An edit of a 包联 pairing at the version read: its target households, its leader, or ended
 * (`active: false`, e.g. the unit's assignment moved on) and resumed. The unit, community and
 * building are what the pairing is; a different one is a new pairing.
 */
export const ZPairingPatchSchema = z.object({
  version: ZVersionSchema,
  leaderId: z.number().int().positive().nullable().optional(),
  targetHouseholds: z.number().int().min(1).max(100_000).optional(),
  active: z.boolean().optional(),
});
export type TPairingPatch = z.infer<typeof ZPairingPatchSchema>;

export const ZOutreachPairingSchema = z.object({
  id: z.number().int(),
  unitId: z.number().int(),
  unitName: z.string(),
  regionId: z.number().int(),
  regionName: z.string(),
  building: z.string(),
  leaderId: z.number().int().nullable(),
  targetHouseholds: z.number().int(),
  visitedHouseholds: z.number().int(),
  coverage: z.number(),
  active: z.boolean(),
  version: z.number().int(),
});
export type TOutreachPairing = z.infer<typeof ZOutreachPairingSchema>;
export const ZOutreachPairingsSchema = z.array(ZOutreachPairingSchema);

export const ZVisitInputSchema = z.object({
  /** Generated on the phone: sending the same visit again returns it, never a second one. */
  clientId: z.uuid(),
  regionId: z.number().int().positive(),
  building: z.string().trim().min(1).max(40),
  household: z.string().trim().min(1).max(40),
  visitedAt: z.iso.datetime({ offset: true }).optional(),
  publicity: z.array(z.string().trim().min(1).max(20)).max(10).default([]),
  concern: z.string().trim().max(500).nullable().optional(),
  /** Turn the resident's concern into a problem of this category. */
  concernCategoryId: z.number().int().positive().optional(),
  lat: z.number().min(-90).max(90).nullable().optional(),
  lng: z.number().min(-180).max(180).nullable().optional(),
});
export type TVisitInput = z.infer<typeof ZVisitInputSchema>;

export const ZVisitSchema = z.object({
  id: z.number().int(),
  clientId: z.string(),
  pairingId: z.number().int().nullable(),
  visitorId: z.number().int(),
  visitorName: z.string(),
  visitorUnitName: z.string().nullable(),
  regionId: z.number().int(),
  building: z.string(),
  household: z.string(),
  visitedAt: z.string(),
  publicity: z.array(z.string()),
  concern: z.string().nullable(),
  problemId: z.number().int().nullable(),
  problemCode: z.string().nullable(),
});
export type TVisit = z.infer<typeof ZVisitSchema>;
export const ZOutreachVisitsSchema = z.array(ZVisitSchema);

/** GET /api/outreach/visits: of one region, the newest `limit`. */
export const ZOutreachVisitsQuerySchema = z.object({
  regionId: ZIdValueSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const ZCoverageQuerySchema = z.object({
  groupBy: z.enum(['pairing', 'unit', 'community']).default('pairing'),
  /** Rows below this coverage are laggards (default: everything short of full coverage). */
  below: z.coerce.number().min(0).max(1).default(1),
});

export const ZCoverageRowSchema = z.object({
  key: z.string(),
  label: z.string(),
  target: z.number().int(),
  visited: z.number().int(),
  coverage: z.number(),
  laggard: z.boolean(),
});
export type TCoverageRow = z.infer<typeof ZCoverageRowSchema>;
export const ZCoverageRowsSchema = z.array(ZCoverageRowSchema);
