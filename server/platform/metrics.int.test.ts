import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRows } from '../db/client.js';
import { anchorFromKeys, checkpointAuditChain } from './audit.js';
import { outbox, problemCategories, problems } from '../db/schema/index.js';
import { buildUser } from '../test/factories.js';
import { createTestApp, type TestApp } from '../test/harness.js';

let t: TestApp;
let locked: TestApp;

/** The value of one sample line, e.g. `cc_outbox_pending 2`. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

beforeAll(async () => {
  t = await createTestApp();
  locked = await createTestApp({ METRICS_TOKEN: 's3cret-token' }, { sharing: t });
  await buildUser(t.database.db, { username: 'm_office', roles: ['office'] });
});
afterAll(async () => {
  await locked.close();
  await t.close();
});

describe('GET /metrics', () => {
  it('counts requests by route template and status, with latency histograms', async () => {
    const office = await t.login('m_office');
    await office.get('/api/problems/123456');
    await office.get('/api/problems/654321');
    await t.app.inject({ method: 'GET', url: '/api/nowhere' });
    await t.app.inject({ method: 'GET', url: '/api/health' });
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.body;
    // two different ids, one route label
    expect(
      sample(
        text,
        'cc_http_requests_total',
        '{method="GET",route="/api/problems/:id",status="404"}',
      ),
    ).toBe(2);
    expect(
      // no session: the 401 comes before the not-found answer
      sample(text, 'cc_http_requests_total', '{method="GET",route="unmatched",status="401"}'),
    ).toBe(1);
    expect(
      sample(
        text,
        'cc_http_request_duration_seconds_count',
        '{method="GET",route="/api/health",status="200"}',
      ),
    ).toBe(1);
    expect(
      sample(
        text,
        'cc_http_request_duration_seconds_bucket',
        '{le="+Inf",method="POST",route="/api/auth/login",status="200"}',
      ),
    ).toBe(1);
    expect(text).not.toContain('654321');
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(1_000_000);
    expect(sample(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(text).toMatch(/cc_app_info\{version="test",db="(pglite|postgres)",storage="local"\} 1/);
    expect(sample(text, 'cc_db_up')).toBe(1);
  });

  it('reports the outbox queue, unsealed audit records and overdue problems', async () => {
    const unsealed = async () =>
      Number(
        (
          await execRows<{ n: string }>(
            t.database.db,
            sql`select count(*) as n from audit_log where seq is null`,
          )
        )[0]!.n,
      );
    const low = await unsealed();
    const before = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    const high = await unsealed();
    expect(high).toBeGreaterThan(0); // the sign-in above wrote audit records; no sealer runs here
    expect(sample(before, 'cc_audit_unsealed')).toBeGreaterThanOrEqual(low);
    expect(sample(before, 'cc_audit_unsealed')).toBeLessThanOrEqual(high);
    const pending0 = sample(before, 'cc_outbox_pending')!;
    const overdue0 = sample(before, 'cc_problems_overdue')!;

    await t.database.db.insert(outbox).values([
      { topic: 'sms', payload: { to: '1' } },
      { topic: 'sms', payload: { to: '2' } },
      { topic: 'sms', payload: { to: '3' }, deliveredAt: new Date() },
      { topic: 'sms', payload: { to: '4' }, failedAt: new Date() },
    ]);
    const [cat] = await t.database.db.select().from(problemCategories).limit(1);
    const hourAgo = new Date(Date.now() - 3600_000);
    const tomorrow = new Date(Date.now() + 86_400_000);
    await t.database.db.insert(problems).values([
      {
        code: 'M-1',
        title: 'late',
        categoryId: cat!.id,
        channel: 'inspection',
        state: 'dispatched',
        deadline: hourAgo,
      },
      {
        code: 'M-2',
        title: 'in time',
        categoryId: cat!.id,
        channel: 'inspection',
        state: 'dispatched',
        deadline: tomorrow,
      },
      {
        code: 'M-3',
        title: 'submitted',
        categoryId: cat!.id,
        channel: 'inspection',
        state: 'submitted',
        deadline: hourAgo,
      },
    ]);
    const after = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(sample(after, 'cc_outbox_pending')).toBe(pending0 + 2);
    expect(sample(after, 'cc_outbox_failed')).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'cc_problems_overdue')).toBe(overdue0 + 1);
  });

  it('needs the bearer token when METRICS_TOKEN is set', async () => {
    const none = await locked.app.inject({ method: 'GET', url: '/metrics' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    expect(none.json().error).toMatchObject({
      code: 'metrics_token',
      messageZh: expect.stringContaining('令牌'),
      messageEn: expect.stringContaining('METRICS_TOKEN'),
    });
    for (const authorization of [
      's3cret-token',
      'Basic s3cret-token',
      'Bearer s3cret-tokenX',
      'Bearer s3cret-toke',
      'Bearer ',
      'Bearer s3cret-token extra',
    ]) {
      const res = await locked.app.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization },
      });
      expect(res.statusCode, authorization).toBe(401);
    }
    const lower = await locked.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: 'bearer s3cret-token' },
    });
    expect(lower.statusCode).toBe(200);
    const wrong = await locked.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.statusCode).toBe(401);
    const ok = await locked.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: 'Bearer s3cret-token' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('cc_http_requests_total');
  });

  it('is off in production without a token, and on with METRICS_PUBLIC=true or a token', async () => {
    const prod = {
      NODE_ENV: 'production',
      AUDIT_ANCHOR_KEY: 'metrics-test-anchor-key-0123456789',
      FIELD_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
      CREDITS_PHONE_KEY: 'metrics-test-credits-key-0123456789',
    };
    // Other settings, the same data: apps on this file's database.
    const closed = await createTestApp(prod, { sharing: t });
    const open = await createTestApp({ ...prod, METRICS_PUBLIC: 'true' }, { sharing: t });
    const guarded = await createTestApp({ ...prod, METRICS_TOKEN: 'prod-token' }, { sharing: t });
    try {
      expect((await closed.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
      expect((await open.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
      expect((await guarded.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
      const ok = await guarded.app.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: 'Bearer prod-token' },
      });
      expect(ok.statusCode).toBe(200);
    } finally {
      await closed.close();
      await open.close();
      await guarded.close();
    }
  });

  it('tells when the last audit checkpoint was written', async () => {
    const name = 'cc_audit_last_checkpoint_timestamp_seconds';
    const before = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(sample(before, name)).toBe(0); // none yet
    await checkpointAuditChain(t.database, anchorFromKeys(['metrics-test-anchor-key-0123456789']));
    // (the table is append-only: turn its trigger off to age the checkpoint)
    for (const stmt of [
      sql`alter table audit_checkpoints disable trigger user`,
      sql`update audit_checkpoints set at = now() - interval '2 hours'`,
      sql`alter table audit_checkpoints enable trigger user`,
    ])
      await t.database.db.execute(stmt);
    const after = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    const age = Date.now() / 1000 - sample(after, name)!;
    expect(age).toBeGreaterThanOrEqual(7199);
    expect(age).toBeLessThan(7300);
  });

  it('is absent with METRICS=off', async () => {
    const off = await createTestApp({ METRICS: 'off' }, { sharing: t });
    try {
      expect((await off.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
    } finally {
      await off.close();
    }
  });
});
