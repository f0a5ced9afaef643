import { ZMapTilesSchema } from './maps.js';
import { z } from './zod-setup.js';

// /api/health and the settings the web apps read before sign-in.

/**
 * Settings the web apps need before sign-in: the base map's tiles (`map`). The three `map…`
 * fields repeat its first layer for apps built before providers had several layers (an
 * installed phone app keeps its cached code until it updates).
 */
export const ZPublicSettingsSchema = z.object({
  map: ZMapTilesSchema,
  mapTileUrl: z.string().nullable(),
  mapAttribution: z.string(),
  mapCoords: z.enum(['wgs84', 'gcj02']),
});
export type TPublicSettings = z.infer<typeof ZPublicSettingsSchema>;

/** Liveness: the database driver (or `unreachable`) and the app's version. */
export const ZHealthSchema = z.object({
  status: z.literal('ok'),
  db: z.string(),
  version: z.string(),
});
/** The 503 answer when the database does not answer. */
export const ZHealthFailureSchema = z.object({
  status: z.literal('error'),
  db: z.string(),
  version: z.string(),
});
