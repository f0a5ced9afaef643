import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZMapProviderSchema } from '../core/contracts/maps.js';
import { MAP_PROVIDER_KINDS, type TMapProvider } from '../core/geo/tiles.js';
import { MISSING_IN_PRODUCTION, parseFieldKeys } from './platform/field-crypto.js';

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
  /**
   * 身边好人 public votes: per client address per (Beijing) day, and per device per day over all
   * nominees (one vote per nominee per device a day is a rule of its own).
   */
  goodPeopleVotesPerIpDay: number;
  goodPeopleVotesPerDeviceDay: number;
  /** Open311: requests a client may file per minute, and public reads per address per minute. */
  open311RequestsPerMinute: number;
  open311ReadsPerMinute: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
  loginIpMaxFailures: number;
  bodyLimitBytes: number;
  uploadLimitBytes: number;
  /** Audio and video as evidence (streamed to storage, not held in memory). */
  mediaUploadLimitBytes: number;
  webDir: string;
  /** Open problems of the same category within this radius are offered as duplicates. */
  duplicateRadiusM: number;
  /** Shared secret of the 12345 hotline's signed webhook; unset = the webhook is off. */
  hotlineWebhookSecret: string | undefined;
  /**
   * 12345 结果回传: where the results of hotline orders (办结, 不予受理, 缓办, 延期) are posted; unset =
   * nothing is enqueued for the hotline.
   */
  hotlineResultUrl: string | undefined;
  /**
   * Signs those posts: HOTLINE_RESULT_SECRET, else the intake's HOTLINE_WEBHOOK_SECRET (one secret
   * per connected system, both directions, unless the hotline issues a second one).
   */
  hotlineResultSecret: string | undefined;
  /** Attempts of a 结果回传 delivery (hotline and Open311 callbacks) before it is marked failed. */
  pushbackMaxAttempts: number;
  /**
   * The key that signs expiring photo links (sent to the hotline): FILE_LINK_SECRET, else one
   * generated once into the database (settings `file_link_key`) that every app server shares.
   */
  fileLinkSecret: string | undefined;
  /** How long such a link works, in days. */
  fileLinkDays: number;
  /** Where notices go out (an SMS / WeChat gateway); unset = in-app inbox only. */
  notifyWebhookUrl: string | undefined;
  /**
   * The base map's tiles until the office chooses in the app (地图底图, stored in settings):
   * MAP_PROVIDER with MAP_TIANDITU_KEY, or an XYZ server's MAP_TILE_URL; none = our own boundaries.
   */
  mapDefault: TMapProvider;
  /** Grid codes: `15-digit` (community code + 3-digit sequence, the default) or `free`. */
  gridCodeScheme: '15-digit' | 'free';
  notifyWebhookSecret: string | undefined;
  /**
   * Where outbox messages of topic `sms` go (replies to reporters, one-time codes): an HTTP SMS
   * gateway (SMS_GATEWAY_URL, signed with SMS_GATEWAY_SECRET like the notice webhook); without
   * one, the demo (SEED=demo) keeps them in a built-in fake gateway the SMS log shows, and any
   * other installation leaves them waiting until a gateway is configured.
   */
  smsGateway: { kind: 'http'; url: string; secret: string | undefined } | { kind: 'fake' } | null;
  /** Days after closing in which a reporter may reopen their problem once (REOPEN_WINDOW_DAYS). */
  reopenWindowDays: number;
  /** A problem at a place where the same category was closed within this many days is a 反弹. */
  recurrenceDays: number;
  trustProxy: boolean;
  /** Where uploaded files go: `local` (DATA_DIR/files, the default) or `s3`. */
  storage: 'local' | 's3';
  /** S3-compatible storage settings; set when storage is `s3`. */
  s3: S3Config | undefined;
  /** Photo downloads answer 302 to a signed, expiring storage URL instead of passing bytes through. */
  fileRedirect: boolean;
  /** Lifetime of those signed URLs. */
  fileUrlSeconds: number;
  /**
   * Prometheus text at /metrics; off with METRICS=off, and in production (NODE_ENV=production)
   * unless METRICS_TOKEN is set or METRICS_PUBLIC=true.
   */
  metricsEnabled: boolean;
  /** When set, /metrics needs `Authorization: Bearer <token>`. */
  metricsToken: string | undefined;
  /** METRICS_PUBLIC=true: /metrics without a token even in production (a closed network). */
  metricsPublic: boolean;
  /** NODE_ENV=production: settings that protect the installation are required, not defaulted. */
  production: boolean;
  /**
   * AUDIT_ANCHOR_KEY: the key(s) that sign audit checkpoints, comma-separated; the first signs,
   * every one verifies (key rotation). Required in production; empty elsewhere means a key
   * generated into DATA_DIR (server/platform/audit.ts).
   */
  auditAnchorKeys: string[];
  /**
   * FIELD_ENCRYPTION_KEY: the keys that encrypt protected fields (身份证号), comma-separated, each
   * 32 bytes in base64; the first seals, every one opens (rotation). Required in production; empty
   * elsewhere means the fixed development key, with a warning (server/platform/field-crypto.ts).
   */
  fieldEncryptionKeys: Buffer[];
  /** FIELD_HASH_KEY: the root of the lookup-hash key (default: the first encryption key). */
  fieldHashKey: Buffer | undefined;
  /** How often the chain's head is checkpointed (signed, logged, stored). */
  auditCheckpointSeconds: number;
  /** Records may wait this long for the sealing job before verification calls them a failure. */
  auditSealGraceSeconds: number;
  /**
   * 文明积分: CREDITS_PHONE_KEY keys the hashes residents' numbers and one-time codes are kept as
   * (at least 32 characters; required in production, a fixed development key elsewhere).
   */
  creditsPhoneKey: string | undefined;
  /** SMS sign-in codes per number per hour, and per client address per hour. */
  creditsOtpPerPhoneHour: number;
  creditsOtpPerIpHour: number;
  /** How long a redemption code stays valid, in minutes. */
  creditsRedeemCodeMinutes: number;
  version: string;
}

export interface S3Config {
  bucket: string;
  prefix: string;
  endpoint: string | undefined;
  region: string;
  forcePathStyle: boolean;
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  /** The store's address as browsers see it, for signed URLs (default: endpoint). */
  publicEndpoint: string | undefined;
  /** Create the bucket at start-up when it does not exist (MinIO in a fresh install). */
  createBucket: boolean;
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new Error(`${name} must be "true" or "false", got "${raw}"`);
}

function s3Config(env: NodeJS.ProcessEnv): S3Config {
  const bucket = env.S3_BUCKET;
  if (!bucket) throw new Error('STORAGE=s3 needs S3_BUCKET');
  const endpoint = env.S3_ENDPOINT || undefined;
  let prefix = env.S3_PREFIX ?? '';
  if (prefix && !prefix.endsWith('/')) prefix += '/';
  if (prefix && !/^[a-z0-9/_.-]+$/i.test(prefix))
    throw new Error(`S3_PREFIX may hold letters, digits and / _ . - only, got "${prefix}"`);
  return {
    bucket,
    prefix,
    endpoint,
    region: env.S3_REGION || 'us-east-1',
    // MinIO and most private clouds need path-style URLs; AWS itself wants virtual hosts.
    forcePathStyle: bool(env, 'S3_FORCE_PATH_STYLE', endpoint !== undefined),
    accessKeyId: env.S3_ACCESS_KEY_ID || undefined,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY || undefined,
    publicEndpoint: env.S3_PUBLIC_ENDPOINT || undefined,
    createBucket: bool(env, 'S3_CREATE_BUCKET', false),
  };
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

/** The audit anchor keys: comma-separated, each at least 32 characters (e.g. `openssl rand -hex 32`). */
function anchorKeys(env: NodeJS.ProcessEnv, production: boolean): string[] {
  const keys = (env.AUDIT_ANCHOR_KEY ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '');
  for (const k of keys) {
    if (k.length < 32)
      throw new Error(
        'AUDIT_ANCHOR_KEY: each key must be at least 32 characters (e.g. `openssl rand -hex 32`)',
      );
  }
  if (production && keys.length === 0)
    throw new Error(
      'AUDIT_ANCHOR_KEY must be set in production (NODE_ENV=production): it signs the audit ' +
        'checkpoints; generate one with `openssl rand -hex 32`, give every app server the same ' +
        'one and keep a copy outside the servers (docs/operations.md)',
    );
  return keys;
}

/** FIELD_ENCRYPTION_KEY and FIELD_HASH_KEY, checked; production refuses to start without the first. */
function fieldKeys(env: NodeJS.ProcessEnv, production: boolean) {
  const keys = parseFieldKeys(env.FIELD_ENCRYPTION_KEY);
  if (production && keys.length === 0) throw new Error(MISSING_IN_PRODUCTION);
  const hash = parseFieldKeys(env.FIELD_HASH_KEY, 'FIELD_HASH_KEY');
  if (hash.length > 1) throw new Error('FIELD_HASH_KEY holds one key');
  return { fieldEncryptionKeys: keys, fieldHashKey: hash[0] };
}

/** CREDITS_PHONE_KEY: at least 32 characters; required in production. */
function creditsKey(env: NodeJS.ProcessEnv, production: boolean): string | undefined {
  const key = env.CREDITS_PHONE_KEY?.trim() || undefined;
  if (key && key.length < 32)
    throw new Error(
      'CREDITS_PHONE_KEY must be at least 32 characters (e.g. `openssl rand -hex 32`)',
    );
  if (production && !key)
    throw new Error(
      "CREDITS_PHONE_KEY must be set in production (NODE_ENV=production): residents' phone " +
        'numbers and one-time codes are kept as hashes under it; generate one with ' +
        '`openssl rand -hex 32`, give every app server the same one and never change it (the ' +
        'accounts are found by it)',
    );
  return key;
}

/**
 * The base map of a fresh install: MAP_PROVIDER (none, tianditu with MAP_TIANDITU_KEY, amap, osm,
 * xyz); unset, an XYZ server when MAP_TILE_URL is set (MAP_COORDS, MAP_ATTRIBUTION,
 * MAP_SUBDOMAINS — `abc`, Leaflet's, when the URL has {s}), else none. Checked as the settings
 * page checks it, so a bad value stops the start-up instead of leaving grey maps.
 */
function mapProviderFromEnv(env: NodeJS.ProcessEnv): TMapProvider {
  const url = env.MAP_TILE_URL || '';
  const kind = env.MAP_PROVIDER || (url ? 'xyz' : 'none');
  if (!(MAP_PROVIDER_KINDS as readonly string[]).includes(kind)) {
    throw new Error(`MAP_PROVIDER must be one of ${MAP_PROVIDER_KINDS.join(', ')}, got "${kind}"`);
  }
  const raw =
    kind === 'tianditu'
      ? { kind, key: env.MAP_TIANDITU_KEY ?? '' }
      : kind === 'xyz'
        ? {
            kind,
            url,
            coords: env.MAP_COORDS || 'wgs84',
            attribution: env.MAP_ATTRIBUTION ?? '',
            subdomains: env.MAP_SUBDOMAINS ?? (url.includes('{s}') ? 'abc' : ''),
          }
        : { kind };
  const parsed = ZMapProviderSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      `MAP_PROVIDER=${kind}: ${parsed.error.issues.map((i) => `${i.path.join('.') || kind}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

/** HOTLINE_RESULT_URL: an http(s) address; it needs a secret to sign with (its own or the intake's). */
function hotlineResult(env: NodeJS.ProcessEnv): {
  url: string | undefined;
  secret: string | undefined;
} {
  const url = env.HOTLINE_RESULT_URL || undefined;
  const secret = env.HOTLINE_RESULT_SECRET || env.HOTLINE_WEBHOOK_SECRET || undefined;
  if (!url) return { url, secret };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`HOTLINE_RESULT_URL must be an http(s) URL, got "${url}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new Error(`HOTLINE_RESULT_URL must be an http(s) URL, got "${url}"`);
  if (!secret)
    throw new Error(
      'HOTLINE_RESULT_URL needs a secret to sign the results with: set HOTLINE_RESULT_SECRET (or ' +
        'HOTLINE_WEBHOOK_SECRET, which it falls back to)',
    );
  return { url, secret };
}

function fileLinkSecret(env: NodeJS.ProcessEnv): string | undefined {
  const key = env.FILE_LINK_SECRET || undefined;
  if (key && key.length < 32)
    throw new Error(
      'FILE_LINK_SECRET must be at least 32 characters (e.g. `openssl rand -hex 32`)',
    );
  return key;
}

/** Every setting, from environment variables, with defaults that work on a laptop. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, version = '0.0.0'): Config {
  const port = int(env, 'PORT', 3000);
  const host = env.HOST ?? '0.0.0.0';
  const publicUrl = env.PUBLIC_URL ?? `http://localhost:${port}`;
  const seed = env.SEED ?? 'demo';
  if (seed !== 'demo' && seed !== 'none')
    throw new Error(`SEED must be "demo" or "none", got "${seed}"`);
  const storage = env.STORAGE || 'local';
  if (storage !== 'local' && storage !== 's3')
    throw new Error(`STORAGE must be "local" or "s3", got "${storage}"`);
  const production = env.NODE_ENV === 'production';
  const durability = env.PGLITE_DURABILITY ?? 'strict';
  if (durability !== 'strict' && durability !== 'os') {
    throw new Error(`PGLITE_DURABILITY must be "strict" or "os", got "${durability}"`);
  }
  const result = hotlineResult(env);
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
    goodPeopleVotesPerIpDay: int(env, 'GOOD_PEOPLE_VOTES_PER_IP_DAY', 200),
    goodPeopleVotesPerDeviceDay: int(env, 'GOOD_PEOPLE_VOTES_PER_DEVICE_DAY', 20),
    open311RequestsPerMinute: int(env, 'OPEN311_REQUESTS_PER_MINUTE', 600),
    open311ReadsPerMinute: int(env, 'OPEN311_READS_PER_MINUTE', 300),
    loginMaxFailures: int(env, 'LOGIN_MAX_FAILURES', 5),
    loginLockMinutes: int(env, 'LOGIN_LOCK_MINUTES', 15),
    loginIpMaxFailures: int(env, 'LOGIN_IP_MAX_FAILURES', 30),
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 1024 * 1024),
    uploadLimitBytes: int(env, 'UPLOAD_LIMIT_BYTES', 10 * 1024 * 1024),
    mediaUploadLimitBytes: int(env, 'MEDIA_UPLOAD_LIMIT_BYTES', 200 * 1024 * 1024),
    duplicateRadiusM: int(env, 'PROBLEM_DUPLICATE_RADIUS_M', 50),
    hotlineWebhookSecret: env.HOTLINE_WEBHOOK_SECRET || undefined,
    hotlineResultUrl: result.url,
    hotlineResultSecret: result.secret,
    pushbackMaxAttempts: int(env, 'PUSHBACK_MAX_ATTEMPTS', 12) || 12,
    fileLinkSecret: fileLinkSecret(env),
    fileLinkDays: int(env, 'FILE_LINK_DAYS', 30) || 30,
    notifyWebhookUrl: env.NOTIFY_WEBHOOK_URL || undefined,
    mapDefault: mapProviderFromEnv(env),
    gridCodeScheme: env.GRID_CODE_SCHEME === 'free' ? 'free' : '15-digit',
    notifyWebhookSecret: env.NOTIFY_WEBHOOK_SECRET || undefined,
    smsGateway: env.SMS_GATEWAY_URL
      ? { kind: 'http', url: env.SMS_GATEWAY_URL, secret: env.SMS_GATEWAY_SECRET || undefined }
      : seed === 'demo'
        ? { kind: 'fake' }
        : null,
    reopenWindowDays: int(env, 'REOPEN_WINDOW_DAYS', 7),
    recurrenceDays: int(env, 'PROBLEM_RECURRENCE_DAYS', 90),
    webDir: path.resolve(env.WEB_DIR ?? path.join(PACKAGE_ROOT, 'dist', 'web')),
    trustProxy: (env.TRUST_PROXY ?? 'false') === 'true',
    storage,
    s3: storage === 's3' ? s3Config(env) : undefined,
    fileRedirect: storage === 's3' && bool(env, 'FILE_REDIRECT', false),
    fileUrlSeconds: int(env, 'FILE_URL_SECONDS', 300) || 300,
    metricsEnabled:
      (env.METRICS ?? 'on') !== 'off' &&
      (!production || Boolean(env.METRICS_TOKEN) || bool(env, 'METRICS_PUBLIC', false)),
    metricsToken: env.METRICS_TOKEN || undefined,
    metricsPublic: bool(env, 'METRICS_PUBLIC', false),
    production,
    auditAnchorKeys: anchorKeys(env, production),
    ...fieldKeys(env, production),
    auditCheckpointSeconds: int(env, 'AUDIT_CHECKPOINT_SECONDS', 60) || 60,
    auditSealGraceSeconds: int(env, 'AUDIT_SEAL_GRACE_SECONDS', 60),
    creditsPhoneKey: creditsKey(env, production),
    creditsOtpPerPhoneHour: int(env, 'CREDITS_OTP_PER_PHONE_HOUR', 5),
    creditsOtpPerIpHour: int(env, 'CREDITS_OTP_PER_IP_HOUR', 30),
    creditsRedeemCodeMinutes: int(env, 'CREDITS_REDEEM_CODE_MINUTES', 10) || 10,
    version,
  };
}
