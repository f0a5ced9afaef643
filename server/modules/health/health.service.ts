import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { pingDatabase } from './health.repo.js';

// Both answers are public (no actor): liveness for load balancers, map settings for the sign-in page.

/** Settings the web apps need before sign-in (map tiles). */
export function publicSettings(config: Config) {
  return {
    mapTileUrl: config.mapTileUrl ?? null,
    mapAttribution: config.mapAttribution,
    mapCoords: config.mapCoords,
  };
}

/** Liveness: whether the database answers, with the driver and the app's version. */
export async function health(database: Database, config: Config) {
  try {
    await pingDatabase(database.db);
    return { status: 'ok' as const, db: database.driver, version: config.version };
  } catch {
    return { status: 'error' as const, db: 'unreachable', version: config.version };
  }
}
