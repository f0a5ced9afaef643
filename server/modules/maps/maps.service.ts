import { createHash } from 'node:crypto';
import { ZJurisdictionSchema } from '../../../core/contracts/citizen.js';
import {
  readMapBox,
  ZMapProviderSchema,
  type TMapGrids,
  type TMapProviderSetting,
  type TPutMapProvider,
} from '../../../core/contracts/maps.js';
import { tilesOf, type TMapProvider } from '../../../core/geo/tiles.js';
import { Permission } from '../../../core/permissions.js';
import type { Config } from '../../config.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { presentBase, presentGrids } from './maps.present.js';
import * as repo from './maps.repo.js';

// 地图底图: the office picks the tile provider (a city-level setting, like the jurisdiction);
// every map reads it before sign-in, and draws our own boundaries when there are no tiles.

/** The provider in force: the office's, else the environment's default. */
async function providerInForce(db: DbOrTx, config: Config): Promise<TMapProviderSetting> {
  const stored = await repo.findProviderSetting(db);
  // A value stored under older rules that no longer passes them: the default, until resaved.
  const parsed = stored ? ZMapProviderSchema.safeParse(stored.provider) : null;
  if (stored && parsed?.success) {
    return {
      provider: parsed.data,
      version: stored.version,
      source: 'settings',
      updatedAt: stored.updatedAt.toISOString(),
    };
  }
  return {
    provider: config.mapDefault,
    version: stored?.version ?? 0,
    source: 'environment',
    updatedAt: stored?.updatedAt.toISOString() ?? null,
  };
}

/** The setting as the settings page edits it (everyone who reads regions; the key is public). */
export async function getMapProvider(
  database: Database,
  config: Config,
  actor: Actor,
): Promise<TMapProviderSetting> {
  requirePermission(actor, Permission.RegionRead);
  return providerInForce(database.db, config);
}

/** Changes the provider (the city office), refusing a stale version; audited. */
export async function putMapProvider(
  database: Database,
  config: Config,
  actor: Actor,
  input: { provider: TMapProvider; version: TPutMapProvider['version'] },
): Promise<TMapProviderSetting> {
  requirePermission(actor, Permission.RegionWrite);
  return withTx(database, async (tx) => {
    const before = await providerInForce(tx, config);
    const at = await repo.saveProviderSetting(tx, input.provider, input.version, actor.id);
    if (!at) {
      throw new AppError('stale_version', 409, {
        zh: '地图底图设置已被他人修改，请刷新后重试',
        en: 'the base-map setting was changed by someone else; reload and try again',
      });
    }
    await writeAudit(tx, actor, {
      action: 'settings.map_provider',
      entityType: 'settings',
      entityId: 'map_provider',
      before: { provider: before.provider, source: before.source },
      after: { provider: input.provider },
    });
    return {
      provider: input.provider,
      version: input.version + 1,
      source: 'settings',
      updatedAt: at.toISOString(),
    };
  });
}

/** What the web apps read before sign-in: the tiles (and the first layer for older apps). */
export async function publicMapSettings(database: Database, config: Config) {
  const tiles = tilesOf((await providerInForce(database.db, config)).provider);
  const first = tiles.layers[0];
  return {
    map: tiles,
    mapTileUrl: first?.url ?? null,
    mapAttribution: first?.attribution ?? '',
    mapCoords: tiles.coords,
  };
}

/** The base's JSON and its ETag, per database, rebuilt when its fingerprint changes. */
const baseCache = new WeakMap<object, { fingerprint: string; etag: string; json: string }>();

/**
 * The public base every map draws without tiles: the jurisdiction and the region boundaries —
 * names and thinned outlines only (region names are public; /api/regions lists them). Built once
 * per change of the data (the fingerprint is one aggregate), so a page load costs a small query
 * and usually a 304.
 */
export async function mapBase(database: Database): Promise<{ etag: string; json: string }> {
  const db = database.db;
  const fingerprint = await repo.baseFingerprint(db);
  const owner = (db as unknown as { dialect?: object }).dialect ?? db;
  const hit = baseCache.get(owner);
  if (hit?.fingerprint === fingerprint) return hit;
  const [j, regions] = await Promise.all([repo.jurisdictionValue(db), repo.regionAreas(db)]);
  const jurisdiction = ZJurisdictionSchema.safeParse(j);
  const json = JSON.stringify(
    presentBase(jurisdiction.success ? jurisdiction.data : null, regions),
  );
  const entry = {
    fingerprint,
    etag: `"${createHash('sha256').update(json).digest('base64url').slice(0, 22)}"`,
    json,
  };
  baseCache.set(owner, entry);
  return entry;
}

/** Grids a view asks for at most: a street's worth at the zoom grids are drawn. */
export const GRIDS_PER_VIEW = 500;

/**
 * The grids in a view that the actor may see (as the grid list scopes them: a district office its
 * subtree's, a grid worker its own), for the base of maps without tiles: names and outlines only.
 */
export async function mapGrids(
  database: Database,
  actor: Actor,
  boxText: string,
): Promise<TMapGrids> {
  const scope = requirePermission(actor, Permission.GridRead);
  const box = readMapBox(boxText);
  if (!box) {
    throw new AppError(
      'invalid',
      400,
      {
        zh: '范围应为“西,南,东,北”经纬度，每边不超过 0.5 度',
        en: 'box is west,south,east,north in degrees, at most 0.5° a side',
      },
      {
        fields: [
          { path: 'querystring.box', message: '应为 西,南,东,北 经纬度 / west,south,east,north' },
        ],
      },
    );
  }
  const rows = await repo.gridAreasIn(database.db, scope, box, GRIDS_PER_VIEW);
  return {
    areas: presentGrids(rows.slice(0, GRIDS_PER_VIEW)),
    truncated: rows.length > GRIDS_PER_VIEW,
  };
}
