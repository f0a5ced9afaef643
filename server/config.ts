import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of the package (works from both `server/` sources and `dist/server/`). */
export const PACKAGE_ROOT = (() => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const parts = here.split(path.sep);
  const distIdx = parts.lastIndexOf('dist');
  if (distIdx > 0) return parts.slice(0, distIdx).join(path.sep) || '/';
  return path.resolve(here, '..');
})();

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** PostgreSQL connection string; unset means the embedded PGlite database under dataDir. */
  databaseUrl: string | undefined;
  databasePoolSize: number;
  /** `strict`: fdatasync the PGlite WAL after every write transaction; `os`: leave it to the OS. */
  pgliteDurability: 'strict' | 'os';
  seed: 'demo' | 'none';
  logLevel: string;
  /** Public URL printed at start-up and used for cookie security. */
  publicUrl: string;
  cookieSecure: boolean;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  /** How long an app server reuses a looked-up session (0 = look it up on every request). */
  sessionCacheMs: number;
  /** 随手拍 limits: reports per client address per hour, and per device per hour. */
  citizenReportsPerIpHour: number;
  citizenReportsPerDeviceHour: number;
  /** Tracking-code lookups per client address per hour (codes are not to be guessed). */
  citizenLookupsPerIpHour: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
  loginIpMaxFailures: number;
  bodyLimitBytes: number;
  uploadLimitBytes: number;
  webDir: string;
  /** Open problems of the same category within this radius are offered as duplicates. */
  duplicateRadiusM: number;
  /** Shared secret of the 12345 hotline's signed webhook; unset = the webhook is off. */
  hotlineWebhookSecret: string | undefined;
  /** Where notices go out (an SMS / WeChat gateway); unset = in-app inbox only. */
  notifyWebhookUrl: string | undefined;
  /** Map tiles, e.g. a 天地图 or 高德 URL template; unset = a plain background (offline installs). */
  mapTileUrl: string | undefined;
  mapAttribution: string;
  /** The tiles' coordinate system: `gcj02` for 高德/腾讯, `wgs84` for 天地图/OSM. */
  mapCoords: 'wgs84' | 'gcj02';
  notifyWebhookSecret: string | undefined;
  /** A problem at a place where the same category was closed within this many days is a 反弹. */
  recurrenceDays: number;
  trustProxy: boolean;
  version: string;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

/** Every setting, from environment variables, with defaults that work on a laptop. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, version = '0.0.0'): Config {
  const port = int(env, 'PORT', 3000);
  const host = env.HOST ?? '0.0.0.0';
  const publicUrl = env.PUBLIC_URL ?? `http://localhost:${port}`;
  const seed = env.SEED ?? 'demo';
  if (seed !== 'demo' && seed !== 'none')
    throw new Error(`SEED must be "demo" or "none", got "${seed}"`);
  const durability = env.PGLITE_DURABILITY ?? 'strict';
  if (durability !== 'strict' && durability !== 'os') {
    throw new Error(`PGLITE_DURABILITY must be "strict" or "os", got "${durability}"`);
  }
  return {
    port,
    host,
    dataDir: path.resolve(env.DATA_DIR ?? path.join(PACKAGE_ROOT, 'data')),
    databaseUrl: env.DATABASE_URL || undefined,
    databasePoolSize: int(env, 'DATABASE_POOL_SIZE', 10),
    pgliteDurability: durability,
    seed,
    logLevel: env.LOG_LEVEL ?? 'info',
    publicUrl,
    cookieSecure:
      (env.COOKIE_SECURE ?? (publicUrl.startsWith('https:') ? 'true' : 'false')) === 'true',
    sessionIdleMinutes: int(env, 'SESSION_IDLE_MINUTES', 120),
    sessionAbsoluteHours: int(env, 'SESSION_ABSOLUTE_HOURS', 12),
    sessionCacheMs: int(env, 'SESSION_CACHE_MS', 5000),
    citizenReportsPerIpHour: int(env, 'CITIZEN_REPORTS_PER_IP_HOUR', 20),
    citizenReportsPerDeviceHour: int(env, 'CITIZEN_REPORTS_PER_DEVICE_HOUR', 5),
    citizenLookupsPerIpHour: int(env, 'CITIZEN_LOOKUPS_PER_IP_HOUR', 300),
    loginMaxFailures: int(env, 'LOGIN_MAX_FAILURES', 5),
    loginLockMinutes: int(env, 'LOGIN_LOCK_MINUTES', 15),
    loginIpMaxFailures: int(env, 'LOGIN_IP_MAX_FAILURES', 30),
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 1024 * 1024),
    uploadLimitBytes: int(env, 'UPLOAD_LIMIT_BYTES', 10 * 1024 * 1024),
    duplicateRadiusM: int(env, 'PROBLEM_DUPLICATE_RADIUS_M', 50),
    hotlineWebhookSecret: env.HOTLINE_WEBHOOK_SECRET || undefined,
    notifyWebhookUrl: env.NOTIFY_WEBHOOK_URL || undefined,
    mapTileUrl: env.MAP_TILE_URL || undefined,
    mapAttribution: env.MAP_ATTRIBUTION ?? '',
    mapCoords: env.MAP_COORDS === 'gcj02' ? 'gcj02' : 'wgs84',
    notifyWebhookSecret: env.NOTIFY_WEBHOOK_SECRET || undefined,
    recurrenceDays: int(env, 'PROBLEM_RECURRENCE_DAYS', 90),
    webDir: path.resolve(env.WEB_DIR ?? path.join(PACKAGE_ROOT, 'dist', 'web')),
    trustProxy: (env.TRUST_PROXY ?? 'false') === 'true',
    version,
  };
}
