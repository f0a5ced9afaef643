import { TIANDITU_KEY, tileTemplateProblem } from '../geo/tiles.js';
import { z } from './zod-setup.js';

// 地图底图: the tile provider the office chooses (stored in settings; the environment's MAP_* are
// the default of a fresh install), and the public base geometry every map draws without tiles.

export const ZMapCoordsSchema = z.enum(['wgs84', 'gcj02']);

const ZAttribution = z
  .string()
  .trim()
  .max(200)
  .refine((s) => !/[<>]/.test(s), {
    message: '版权说明不能含尖括号 / the attribution must not contain angle brackets',
  });

/** A self-hosted XYZ server: its URL template, coordinate system and credit line. */
export const ZXyzProviderSchema = z
  .object({
    kind: z.literal('xyz'),
    url: z.string().trim().min(1).max(1000),
    coords: ZMapCoordsSchema,
    attribution: ZAttribution.default(''),
    subdomains: z
      .string()
      .trim()
      .regex(
        /^[0-9a-z]{0,10}$/i,
        '子域名应为不超过 10 个字母或数字 / subdomains: up to 10 letters or digits',
      )
      .default(''),
    maxZoom: z.number().int().min(1).max(22).default(18),
  })
  .superRefine((p, ctx) => {
    const problem = tileTemplateProblem(p.url, p.subdomains);
    if (problem) {
      ctx.addIssue({
        code: 'custom',
        path: ['url'],
        message: `瓦片地址${problem.zh} / tile URL template: ${problem.en}`,
      });
    }
  });

/** The base-map provider: 天地图 (with its key), 高德, OpenStreetMap, an XYZ server, or none. */
export const ZMapProviderSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({
    kind: z.literal('tianditu'),
    key: z
      .string()
      .trim()
      .regex(
        TIANDITU_KEY,
        '天地图密钥（tk）应为 32 位十六进制字符 / the 天地图 key (tk) is 32 hexadecimal characters',
      ),
  }),
  z.object({ kind: z.literal('amap') }),
  z.object({ kind: z.literal('osm') }),
  ZXyzProviderSchema,
]);
/** What a client sends (the XYZ defaults may be left out); parsed, it is core's TMapProvider. */
export type TMapProviderInput = z.input<typeof ZMapProviderSchema>;

/** The office's setting: `version` 0 and `source` environment while nobody has saved one. */
export const ZMapProviderSettingSchema = z.object({
  provider: ZMapProviderSchema,
  version: z.number().int().min(0),
  source: z.enum(['settings', 'environment']),
  updatedAt: z.string().nullable(),
});
export type TMapProviderSetting = z.infer<typeof ZMapProviderSettingSchema>;

/** A change of provider, with the version read (0 for the environment's default). */
export const ZPutMapProviderSchema = z.object({
  provider: ZMapProviderSchema,
  version: z.number().int().min(0),
});
export type TPutMapProvider = z.input<typeof ZPutMapProviderSchema>;

/** One tile layer as the web's maps draw it. */
export const ZTileLayerSchema = z.object({
  url: z.string(),
  subdomains: z.string(),
  attribution: z.string(),
  maxZoom: z.number().int(),
});

/** What every map needs before it draws: the provider's layers and their coordinate system. */
export const ZMapTilesSchema = z.object({
  kind: z.enum(['none', 'tianditu', 'amap', 'osm', 'xyz']),
  coords: ZMapCoordsSchema,
  layers: z.array(ZTileLayerSchema),
});

const ZPosition = z.tuple([z.number(), z.number()]);
const ZRings = z.array(z.array(ZPosition));
/** A (Multi)Polygon as drawn (already checked when it was stored; thinned for the screen). */
const ZBaseGeometrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Polygon'), coordinates: ZRings }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(ZRings) }),
]);

export const BASE_LEVELS = ['city', 'district', 'street', 'community', 'grid'] as const;
export type TBaseLevel = (typeof BASE_LEVELS)[number];

/** One named area of the base: a region's boundary or a grid, with where its name goes. */
export const ZBaseAreaSchema = z.object({
  level: z.enum(BASE_LEVELS),
  name: z.string(),
  label: ZPosition,
  geometry: ZBaseGeometrySchema,
});
export type TBaseArea = z.infer<typeof ZBaseAreaSchema>;

/**
 * The base every map draws without tiles (public: the jurisdiction and the regions' boundaries,
 * names and outlines only; grids come by view to those who may see them). `box` is
 * [minLng, minLat, maxLng, maxLat] of all of it, null when there is nothing.
 */
export const ZMapBaseSchema = z.object({
  jurisdiction: z
    .object({ name: z.string(), label: ZPosition, geometry: ZBaseGeometrySchema })
    .nullable(),
  areas: z.array(ZBaseAreaSchema),
  box: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
});
export type TMapBase = z.infer<typeof ZMapBaseSchema>;

/**
 * `?box=west,south,east,north` (WGS-84 degrees): the view a map asks grids for. Read as text here
 * and checked by `readMapBox` after the permission (a caller without it gets 403, never 400).
 */
export const ZMapGridsQuerySchema = z.object({ box: z.string().max(100) });

/** The view's box, or null when it is not one or is larger than a view (0.5° a side). */
export function readMapBox(
  v: string,
): { minLng: number; minLat: number; maxLng: number; maxLat: number } | null {
  const n = v.split(',').map((x) => (x.trim() === '' ? NaN : Number(x)));
  if (n.length !== 4 || n.some((x) => !Number.isFinite(x))) return null;
  const [w, s, e, north] = n as [number, number, number, number];
  const ok =
    w < e &&
    s < north &&
    w >= -180 &&
    e <= 180 &&
    s >= -90 &&
    north <= 90 &&
    e - w <= 0.5 &&
    north - s <= 0.5;
  return ok ? { minLng: w, minLat: s, maxLng: e, maxLat: north } : null;
}

/** The grids in a view (names and thinned outlines); `truncated` when there were more. */
export const ZMapGridsSchema = z.object({
  areas: z.array(ZBaseAreaSchema),
  truncated: z.boolean(),
});
export type TMapGrids = z.infer<typeof ZMapGridsSchema>;
