import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has laptop defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.seed).toBe('demo');
    expect(c.pgliteDurability).toBe('strict');
    expect(c.cookieSecure).toBe(false);
    expect(c.dataDir).toMatch(/data$/);
  });

  it('turns on secure cookies for an https public URL', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://cc.example.gov.cn' }).cookieSecure).toBe(true);
  });

  it('refuses bad values with a message naming the variable', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig({ SEED: 'yes' })).toThrow(/SEED/);
    expect(() => loadConfig({ PGLITE_DURABILITY: 'maybe' })).toThrow(/PGLITE_DURABILITY/);
  });
});

describe('storage and metrics settings', () => {
  it('keeps files on local disk unless STORAGE=s3', () => {
    const c = loadConfig({});
    expect(c.storage).toBe('local');
    expect(c.s3).toBeUndefined();
    expect(c.fileRedirect).toBe(false);
    expect(c.metricsEnabled).toBe(true);
    expect(c.metricsToken).toBeUndefined();
  });

  it('reads the S3 settings, path-style by default with an endpoint', () => {
    const c = loadConfig({
      STORAGE: 's3',
      S3_BUCKET: 'photos',
      S3_ENDPOINT: 'http://minio:9000',
      S3_PREFIX: 'city-a',
      S3_ACCESS_KEY_ID: 'k',
      S3_SECRET_ACCESS_KEY: 's',
      FILE_REDIRECT: 'true',
      METRICS_TOKEN: 'tok',
    });
    expect(c.s3).toEqual({
      bucket: 'photos',
      prefix: 'city-a/',
      endpoint: 'http://minio:9000',
      region: 'us-east-1',
      forcePathStyle: true,
      accessKeyId: 'k',
      secretAccessKey: 's',
      publicEndpoint: undefined,
      createBucket: false,
    });
    expect(c.fileRedirect).toBe(true);
    expect(c.fileUrlSeconds).toBe(300);
    expect(c.metricsToken).toBe('tok');
    // AWS itself: virtual-host style
    expect(loadConfig({ STORAGE: 's3', S3_BUCKET: 'b' }).s3?.forcePathStyle).toBe(false);
  });

  it('refuses incomplete or bad storage settings', () => {
    expect(() => loadConfig({ STORAGE: 'nfs' })).toThrow(/STORAGE/);
    expect(() => loadConfig({ STORAGE: 's3' })).toThrow(/S3_BUCKET/);
    expect(() => loadConfig({ STORAGE: 's3', S3_BUCKET: 'b', S3_PREFIX: 'a b' })).toThrow(
      /S3_PREFIX/,
    );
    expect(() => loadConfig({ STORAGE: 's3', S3_BUCKET: 'b', S3_FORCE_PATH_STYLE: 'yes' })).toThrow(
      /S3_FORCE_PATH_STYLE/,
    );
  });
});

describe('production safeguards (issue 16)', () => {
  const KEY = 'k'.repeat(64);
  // FIELD_ENCRYPTION_KEY is required in production too (server/platform/field-crypto.test.ts).
  const FIELD = { FIELD_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') };

  it('refuses to start in production without AUDIT_ANCHOR_KEY, and refuses a short key', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', ...FIELD })).toThrow(
      /AUDIT_ANCHOR_KEY must be set/,
    );
    expect(() =>
      loadConfig({ NODE_ENV: 'production', ...FIELD, AUDIT_ANCHOR_KEY: 'short' }),
    ).toThrow(/at least 32 characters/);
    expect(() => loadConfig({ AUDIT_ANCHOR_KEY: 'short' })).toThrow(/AUDIT_ANCHOR_KEY/);
    const c = loadConfig({
      NODE_ENV: 'production',
      ...FIELD,
      AUDIT_ANCHOR_KEY: KEY,
      CREDITS_PHONE_KEY: KEY,
    });
    expect(c.production).toBe(true);
    expect(c.auditAnchorKeys).toEqual([KEY]);
  });

  it('refuses to start in production without CREDITS_PHONE_KEY, and refuses a short one', () => {
    const prod = { NODE_ENV: 'production', ...FIELD, AUDIT_ANCHOR_KEY: KEY };
    expect(() => loadConfig(prod)).toThrow(/CREDITS_PHONE_KEY must be set/);
    expect(() => loadConfig({ CREDITS_PHONE_KEY: 'short' })).toThrow(/CREDITS_PHONE_KEY/);
    expect(loadConfig({ ...prod, CREDITS_PHONE_KEY: KEY }).creditsPhoneKey).toBe(KEY);
    // Outside production: the fixed development key (server/modules/credits/phone-key.ts).
    expect(loadConfig({}).creditsPhoneKey).toBeUndefined();
  });

  it('reads several anchor keys (the first signs) and defaults to none outside production', () => {
    const old = 'o'.repeat(40);
    expect(loadConfig({ AUDIT_ANCHOR_KEY: ` ${KEY}, ${old} ` }).auditAnchorKeys).toEqual([
      KEY,
      old,
    ]);
    const dev = loadConfig({});
    expect(dev.production).toBe(false);
    expect(dev.auditAnchorKeys).toEqual([]);
    expect(dev.auditCheckpointSeconds).toBe(60);
    expect(dev.auditSealGraceSeconds).toBe(60);
    expect(loadConfig({ AUDIT_CHECKPOINT_SECONDS: '5' }).auditCheckpointSeconds).toBe(5);
  });

  it('turns /metrics off in production unless a token is set or METRICS_PUBLIC=true', () => {
    const prod = {
      NODE_ENV: 'production',
      ...FIELD,
      AUDIT_ANCHOR_KEY: KEY,
      CREDITS_PHONE_KEY: KEY,
    };
    expect(loadConfig(prod).metricsEnabled).toBe(false);
    expect(loadConfig({ ...prod, METRICS_TOKEN: 'tok' }).metricsEnabled).toBe(true);
    expect(loadConfig({ ...prod, METRICS_PUBLIC: 'true' }).metricsEnabled).toBe(true);
    expect(loadConfig({ ...prod, METRICS_PUBLIC: 'true', METRICS: 'off' }).metricsEnabled).toBe(
      false,
    );
    expect(() => loadConfig({ ...prod, METRICS_PUBLIC: 'yes' })).toThrow(/METRICS_PUBLIC/);
    // outside production it stays on by default (a laptop, the tests)
    expect(loadConfig({}).metricsEnabled).toBe(true);
  });
});

describe('the base map of a fresh install', () => {
  it('is none by default, and what MAP_PROVIDER names otherwise', () => {
    expect(loadConfig({}).mapDefault).toEqual({ kind: 'none' });
    expect(loadConfig({ MAP_PROVIDER: 'amap' }).mapDefault).toEqual({ kind: 'amap' });
    expect(
      loadConfig({ MAP_PROVIDER: 'tianditu', MAP_TIANDITU_KEY: 'abcdef0123456789abcdef0123456789' })
        .mapDefault,
    ).toEqual({ kind: 'tianditu', key: 'abcdef0123456789abcdef0123456789' });
  });

  it('reads an XYZ server from MAP_TILE_URL as before (Leaflet’s subdomains for {s})', () => {
    expect(
      loadConfig({ MAP_TILE_URL: 'https://{s}.tiles.example.cn/{z}/{x}/{y}.png' }).mapDefault,
    ).toEqual({
      kind: 'xyz',
      url: 'https://{s}.tiles.example.cn/{z}/{x}/{y}.png',
      coords: 'wgs84',
      attribution: '',
      subdomains: 'abc',
      maxZoom: 18,
    });
  });

  it('refuses what the settings page would refuse, naming the variable', () => {
    expect(() => loadConfig({ MAP_PROVIDER: 'baidu' })).toThrow(/MAP_PROVIDER/);
    expect(() => loadConfig({ MAP_PROVIDER: 'tianditu' })).toThrow(/32/);
    expect(() =>
      loadConfig({ MAP_TILE_URL: 'https://t.example.cn/{z}/{x}/{y}', MAP_COORDS: 'bd09' }),
    ).toThrow(/coords/);
  });
});

describe('replies to reporters (#24)', () => {
  it('texts go to SMS_GATEWAY_URL; without one, the demo’s fake gateway; else nowhere yet', () => {
    expect(
      loadConfig({ SMS_GATEWAY_URL: 'https://sms.example.cn/send', SMS_GATEWAY_SECRET: 's' })
        .smsGateway,
    ).toEqual({ kind: 'http', url: 'https://sms.example.cn/send', secret: 's' });
    expect(loadConfig({}).smsGateway).toEqual({ kind: 'fake' });
    expect(loadConfig({ SEED: 'none' }).smsGateway).toBeNull();
  });

  it('reopening is allowed for 7 days after closing unless REOPEN_WINDOW_DAYS says otherwise', () => {
    expect(loadConfig({}).reopenWindowDays).toBe(7);
    expect(loadConfig({ REOPEN_WINDOW_DAYS: '14' }).reopenWindowDays).toBe(14);
    expect(() => loadConfig({ REOPEN_WINDOW_DAYS: '-1' })).toThrow(/REOPEN_WINDOW_DAYS/);
  });
});
