import { readAreaGeometry } from '../grids/grid-geojson.js';
import type { TAreaGeometry } from '../geo/polygon.js';
import { ZVersionSchema, zItems, zPatchOf } from './common.js';
import { z } from './zod-setup.js';

export const GRID_MEMBER_ROLES = ['leader', 'worker', 'building_lead'] as const;
export type TGridMemberRole = (typeof GRID_MEMBER_ROLES)[number];
export const GRID_MEMBER_ROLE_LABELS: Record<TGridMemberRole, { zh: string; en: string }> = {
  leader: { zh: '网格长', en: 'Grid leader' },
  worker: { zh: '网格员', en: 'Grid worker' },
  building_lead: { zh: '楼栋长', en: 'Building lead' },
};

/** A (Multi)Polygon in WGS-84, [lng, lat] order, within China. */
export const ZAreaGeometrySchema = z.unknown().transform((v, ctx): TAreaGeometry => {
  const g = readAreaGeometry(v);
  if (typeof g === 'string') {
    ctx.addIssue({ code: 'custom', message: `网格范围无效 / invalid grid area: ${g}` });
    return z.NEVER;
  }
  return g;
});

export const ZGridMemberSchema = z.object({
  userId: z.number().int().positive(),
  name: z.string(),
  username: z.string(),
  role: z.enum(GRID_MEMBER_ROLES),
  note: z.string().nullable(),
});
export type TGridMember = z.infer<typeof ZGridMemberSchema>;

export const ZGridSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  regionId: z.number().int(),
  regionName: z.string(),
  geometry: z.custom<TAreaGeometry>(),
  population: z.number().int().nullable(),
  households: z.number().int().nullable(),
  active: z.boolean(),
  leaderName: z.string().nullable(),
  version: z.number().int(),
});
export type TGrid = z.infer<typeof ZGridSchema>;

export const ZGridListSchema = z.object({ items: z.array(ZGridSchema) });

export const ZGridInputSchema = z.object({
  code: z.string().trim().min(1).max(40),
  name: z.string().trim().min(1).max(100),
  regionId: z.number().int().positive(),
  geometry: ZAreaGeometrySchema,
  population: z.number().int().min(0).nullable().optional(),
  households: z.number().int().min(0).nullable().optional(),
});
export type TGridInput = z.infer<typeof ZGridInputSchema>;

export const ZGridPatchSchema = zPatchOf(ZGridInputSchema).extend({
  version: ZVersionSchema,
  active: z.boolean().optional(),
});
export type TGridPatch = z.infer<typeof ZGridPatchSchema>;

export const ZGridMembersInputSchema = z.object({
  version: ZVersionSchema,
  members: z
    .array(
      z.object({
        userId: z.number().int().positive(),
        role: z.enum(GRID_MEMBER_ROLES),
        note: z.string().trim().max(100).nullable().optional(),
      }),
    )
    .max(200),
});
export type TGridMembersInput = z.infer<typeof ZGridMembersInputSchema>;

export const ZGridStatsSchema = z.object({
  gridId: z.number().int(),
  open: z.number().int(),
  closed: z.number().int(),
  overdue: z.number().int(),
  total: z.number().int(),
  patrols: z.number().int(),
  lastPatrolAt: z.string().nullable(),
  /** Share of the grid's cells visited by patrols in the window (0–1). */
  coverage: z.number(),
  windowDays: z.number().int(),
});
export type TGridStats = z.infer<typeof ZGridStatsSchema>;
export const ZGridStatsListSchema = zItems(ZGridStatsSchema);

export const ZGridDetailSchema = z.object({
  grid: ZGridSchema,
  members: z.array(ZGridMemberSchema),
  stats: ZGridStatsSchema,
});
export type TGridDetail = z.infer<typeof ZGridDetailSchema>;
/** An edited grid and how many problems a new polygon moved to or from it. */
export const ZGridUpdateResultSchema = ZGridDetailSchema.extend({ reassigned: z.number().int() });

export const ZGridImportResultSchema = z.object({
  imported: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  /** Problems whose grid changed because of the new polygons. */
  reassigned: z.number().int(),
});

export const ZReassignResultSchema = z.object({
  scanned: z.number().int(),
  changed: z.number().int(),
});

export const ZGridQuerySchema = z.object({
  regionId: z.coerce.number().int().positive().optional(),
  q: z.string().trim().max(50).optional(),
});
/** The grids of one region (the GeoJSON export; the import's default region). */
export const ZGridRegionQuerySchema = ZGridQuerySchema.pick({ regionId: true });

/** Problems of a grid to draw on its map (open ones by default). */
export const ZGridProblemsQuerySchema = z.object({
  all: z.enum(['true', 'false']).default('false'),
  limit: z.coerce.number().int().min(1).max(2000).default(500),
});
export const ZGridProblemPinSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  title: z.string(),
  state: z.string(),
  channel: z.string(),
  lat: z.number(),
  lng: z.number(),
  patrolId: z.number().int().nullable(),
});
export const ZGridProblemPinsSchema = z.object({ items: z.array(ZGridProblemPinSchema) });

// ── Patrols ────────────────────────────────────────────────────────────────────────────────────

const ZLat = z.number().min(-90).max(90);
const ZLng = z.number().min(-180).max(180);

export const ZStartPatrolSchema = z.object({
  clientId: z.uuid(),
  /** Without it: the worker's only grid, or the grid at the position. */
  gridId: z.number().int().positive().optional(),
  startedAt: z.iso.datetime({ offset: true }).optional(),
  lat: ZLat.optional(),
  lng: ZLng.optional(),
});
export type TStartPatrol = z.infer<typeof ZStartPatrolSchema>;

export const ZPatrolPointSchema = z.object({
  seq: z.number().int().min(0).max(1_000_000),
  at: z.iso.datetime({ offset: true }),
  lat: ZLat,
  lng: ZLng,
  accuracyM: z.number().min(0).max(10_000).nullable().optional(),
});
export const ZPatrolPointsSchema = z.object({
  /** The queue's id of this batch (the points' own numbers make a re-sent batch harmless). */
  clientId: z.uuid(),
  points: z.array(ZPatrolPointSchema).min(1).max(2000),
});
export type TPatrolPoints = z.infer<typeof ZPatrolPointsSchema>;
/** GPS samples added by a batch, and the patrol's total. */
export const ZPatrolPointsResultSchema = z.object({
  added: z.number().int(),
  total: z.number().int(),
});

export const ZEndPatrolSchema = z.object({
  clientId: z.uuid(),
  endedAt: z.iso.datetime({ offset: true }).optional(),
  note: z.string().trim().max(500).nullable().optional(),
});

export const ZPatrolProblemSchema = z
  .object({
    clientId: z.uuid(),
    title: z.string().trim().min(2).max(100),
    description: z.string().trim().max(2000).nullable().optional(),
    categoryId: z.number().int().positive(),
    lat: ZLat.nullable().optional(),
    lng: ZLng.nullable().optional(),
    address: z.string().trim().max(200).nullable().optional(),
    photoIds: z.array(z.uuid()).max(9).optional(),
  })
  .refine((v) => (v.lat == null) === (v.lng == null), {
    message: '经纬度需同时填写 / give both latitude and longitude',
    path: ['lat'],
  });
export type TPatrolProblem = z.infer<typeof ZPatrolProblemSchema>;

export const ZPatrolSchema = z.object({
  id: z.number().int(),
  clientId: z.string(),
  gridId: z.number().int(),
  gridName: z.string(),
  workerId: z.number().int(),
  workerName: z.string(),
  state: z.enum(['active', 'ended']),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  distanceM: z.number().nullable(),
  coverage: z.number().nullable(),
  pointCount: z.number().int(),
  problemCount: z.number().int(),
});
export type TPatrol = z.infer<typeof ZPatrolSchema>;
/** The signed-in worker's patrol still under way, if any. */
export const ZActivePatrolSchema = z.object({ patrol: ZPatrolSchema.nullable() });

export const ZPatrolDetailSchema = z.object({
  patrol: ZPatrolSchema,
  track: z.array(
    z.object({ seq: z.number().int(), at: z.string(), lat: z.number(), lng: z.number() }),
  ),
  problems: z.array(
    z.object({
      id: z.number().int(),
      code: z.string(),
      title: z.string(),
      state: z.string(),
      lat: z.number().nullable(),
      lng: z.number().nullable(),
    }),
  ),
});
export type TPatrolDetail = z.infer<typeof ZPatrolDetailSchema>;

export const ZPatrolListQuerySchema = z.object({
  gridId: z.coerce.number().int().positive().optional(),
  workerId: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const ZPatrolListSchema = z.object({ items: z.array(ZPatrolSchema) });

export const ZClientIdParamSchema = z.object({ clientId: z.uuid() });

/** The patrol log over the last `days` days. */
export const ZPatrolSummaryQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(366).default(30),
});

export const ZPatrolSummarySchema = z.object({
  items: z.array(
    z.object({
      workerId: z.number().int(),
      workerName: z.string(),
      gridId: z.number().int(),
      gridName: z.string(),
      patrols: z.number().int(),
      distanceM: z.number(),
      /** Mean coverage of the ended patrols (0–1). */
      coverage: z.number().nullable(),
      problems: z.number().int(),
      lastAt: z.string(),
    }),
  ),
});

export const ZGridPointsSchema = z.object({
  items: z.array(
    z.object({
      id: z.number().int(),
      name: z.string(),
      address: z.string().nullable(),
      lat: z.number(),
      lng: z.number(),
    }),
  ),
});
