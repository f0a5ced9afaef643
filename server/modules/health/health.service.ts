import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { publicMapSettings } from '../maps/maps.service.js';
import { pingDatabase } from './health.repo.js';

// Both answers are public (no actor): liveness for load balancers, map settings for the sign-in page.

/** Settings the web apps need before sign-in (the base map's tiles: the office's choice). */
export async function publicSettings(database: Database, config: Config) {
  return publicMapSettings(database, config);
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
