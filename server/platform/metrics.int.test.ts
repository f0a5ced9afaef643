import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRows } from '../db/client.js';
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
  locked = await createTestApp({ METRICS_TOKEN: 's3cret-token' });
  await buildUser(t.database.db, { username: 'm_office', roles: ['office'] });
});
afterAll(async () => {
  await t.close();
  await locked.close();
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
    expect(none.headers['www-authenticate']).toBe('Bearer');
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

  it('is absent with METRICS=off', async () => {
    const off = await createTestApp({ METRICS: 'off' });
    try {
      expect((await off.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
    } finally {
      await off.close();
    }
  });
});
