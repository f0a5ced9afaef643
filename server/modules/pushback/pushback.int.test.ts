import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TPushbackDelivery } from '../../../core/contracts/pushback.js';
import { PUSHBACK_STATE_LABELS } from '../../../core/pushback/labels.js';
import { execRows } from '../../db/client.js';
import { withTx } from '../../platform/tx.js';
import { buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';
import { testJpeg } from '../../test/images.js';
import { detailOf, expectError, step } from '../../test/problems-kit.js';
import { fileLinkKey } from '../files/file-links.js';
import { verifyHotlineSignature } from '../problems/hotline.js';
import { deliverPushback, type PushbackTargets } from './deliver-pushback.js';
import { enqueuePushback } from './enqueue-pushback.js';
import { insertDelivery } from './pushback.repo.js';

// 结果回传: 12345 results and Open311 status changes, owed in the step's transaction, posted signed
// to a fake receiver (node:http on port 0), retried with back-off until acknowledged, failed after
// the attempts run out and sent again by hand.

const SECRET = 'pushback-intake-secret';
const PUBLIC = 'https://cc.example.gov.cn';

/** What the fake receiver does with the next post. */
type Behaviour = 'ack' | 'no-ack' | 'hang' | number;
interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let receiver: http.Server;
let base: string;
let plan: Behaviour[] = [];
let received: Received[] = [];

function startReceiver(): Promise<void> {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const b = plan.shift() ?? 'ack';
      if (b === 'hang') return; // never answers: the sender times out
      if (b === 'ack') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ack: true, receiptId: `R${received.length}` }));
      } else if (b === 'no-ack') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"code":"500","msg":"系统繁忙"}');
      } else {
        res.writeHead(b, { 'content-type': 'text/plain' });
        res.end('upstream unavailable');
      }
    });
  });
  return new Promise((resolve) =>
    receiver.listen(0, '127.0.0.1', () => {
      base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
      resolve();
    }),
  );
}

let t: TestApp;
let office: Agent;
let unitAgent: Agent;
let unitId: number;
let clock = Date.now();

const targets = (o: Partial<PushbackTargets> = {}): PushbackTargets => ({
  hotline: { url: t.config.hotlineResultUrl!, secret: t.config.hotlineResultSecret! },
  publicUrl: t.config.publicUrl,
  linkKey: () => fileLinkKey(t.database, t.config.fileLinkSecret),
  linkTtlMs: t.config.fileLinkDays * 86_400_000,
  maxAttempts: 3,
  timeoutMs: 400,
  ...o,
});

/**
 * One run of the job at `clock`, moved on by `advanceMs` first (and never behind the real time,
 * so what a test's steps just enqueued is due).
 */
async function run(advanceMs = 0, o: Partial<PushbackTargets> = {}) {
  clock = Math.max(clock, Date.now() + 1000) + advanceMs;
  return deliverPushback(t.database, targets(o), { now: new Date(clock) });
}

/** Sends a 12345 order through the signed intake webhook; answers its problem id. */
async function order(orderNo: string, extra: Record<string, unknown> = {}): Promise<number> {
  const raw = JSON.stringify({
    orderNo,
    content: `工单${orderNo}：路面破损`,
    category: 'HJ01',
    ...extra,
  });
  const ts = String(Math.floor(Date.now() / 1000));
  const sig = createHmac('sha256', SECRET).update(`${ts}.${raw}`).digest('hex');
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/intake/hotline',
    headers: {
      'content-type': 'application/json',
      'x-timestamp': ts,
      'x-signature': `sha256=${sig}`,
    },
    payload: raw,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: number }>().id;
}

async function current(id: number) {
  return (await detailOf(office, id)).problem;
}

/** Register, dispatch to the unit, submit with a photo and approve: 办结. */
async function closeWithPhoto(id: number): Promise<string> {
  let p = (await step(office, await current(id), 'register')).problem;
  p = (await step(office, p, 'dispatch', { unitId })).problem;
  const up = await unitAgent.upload('/api/files', await testJpeg(), 'after.jpg');
  expect(up.statusCode, up.body).toBe(201);
  const photoId = up.json<{ id: string }>().id;
  p = (await step(unitAgent, p, 'submit', { note: '已修补路面并清理现场', photoIds: [photoId] }))
    .problem;
  await step(office, p, 'approve', { note: '现场核查合格' });
  return photoId;
}

async function deliveries(q: string): Promise<TPushbackDelivery[]> {
  const res = await office.get(`/api/pushback?q=${encodeURIComponent(q)}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ items: TPushbackDelivery[] }>().items;
}

/** The jobs requests asked to run at once (main.ts's jobs.kick). */
const kicked: string[] = [];

/** The posts the receiver got for one idempotency key. */
const postsOf = (key: string) => received.filter((r) => r.headers['idempotency-key'] === key);

beforeAll(async () => {
  await startReceiver();
  t = await createTestApp(
    {
      HOTLINE_WEBHOOK_SECRET: SECRET,
      HOTLINE_RESULT_URL: `${base}/hotline/results`,
      PUBLIC_URL: PUBLIC,
    },
    { kickJob: (name) => kicked.push(name) },
  );
  const unit = await buildUnit(t.database.db, { name: '市政养护处' });
  unitId = unit.id;
  await buildUser(t.database.db, { username: 'pb_office', roles: ['office'] });
  await buildUser(t.database.db, { username: 'pb_unit', roles: ['unit'], unitId });
  await buildUser(t.database.db, { username: 'pb_grid', roles: ['grid_worker'] });
  office = await t.login('pb_office');
  unitAgent = await t.login('pb_unit');
});

afterAll(async () => {
  await t.close();
  receiver.closeAllConnections();
  await new Promise((r) => receiver.close(r));
});

beforeEach(async () => {
  // Each test sees only its own deliveries: what an earlier one left unfinished is settled.
  await execRows(
    t.database.db,
    sql`update pushback_deliveries set acked_at = now() where acked_at is null and failed_at is null`,
  );
  plan = [];
  received = [];
  clock = Date.now() + 1000;
});

describe('12345 result push-back', () => {
  it('signs with the intake secret when the hotline has issued no second one', () => {
    expect(t.config.hotlineResultSecret).toBe(SECRET);
  });

  it('a closed order owes its result; it goes out signed, with working photo links, once acknowledged', async () => {
    const id = await order('PB-100');
    kicked.length = 0;
    const photoId = await closeWithPhoto(id);
    // Each step asks for what it owes to go at once: texts (outbox) and results (pushback).
    expect(kicked.filter((k) => k === 'outbox').length).toBeGreaterThan(0);
    expect(kicked.filter((k) => k === 'pushback').length).toBe(kicked.length / 2);
    const [d] = await deliveries('PB-100');
    expect(d).toMatchObject({
      target: 'hotline',
      kind: 'closed',
      state: 'pending',
      attempts: 0,
      problemId: id,
      externalRef: 'PB-100',
    });
    expect(await run()).toEqual({ acked: 1, failed: 0, retrying: 0 });
    const [post] = postsOf(d!.idempotencyKey);
    expect(post!.path).toBe('/hotline/results');
    // The receiver checks it exactly as our intake checks the hotline's posts.
    expect(() =>
      verifyHotlineSignature(
        SECRET,
        Buffer.from(post!.body),
        post!.headers['x-timestamp'] as string,
        post!.headers['x-signature'] as string,
      ),
    ).not.toThrow();
    const body = JSON.parse(post!.body);
    expect(body).toMatchObject({
      idempotencyKey: d!.idempotencyKey,
      orderNo: 'PB-100',
      resultType: 'closed',
      note: '已修补路面并清理现场',
      verifyNote: '现场核查合格',
      unitName: '市政养护处',
      handledBy: expect.any(String),
      problemCode: d!.problemCode,
      mergedInto: null,
    });
    expect(body.photos).toHaveLength(1);
    expect(body.photos[0]).toMatchObject({ stage: 'after' });
    expect(body.photos[0].url).toMatch(
      new RegExp(`^${PUBLIC}/api/public/files/${photoId}\\?exp=\\d+&sig=`),
    );
    // The links work without a session — and only as signed.
    const path = (u: string) => u.slice(PUBLIC.length);
    const full = await t.app.inject({ method: 'GET', url: path(body.photos[0].url) });
    expect(full.statusCode).toBe(200);
    expect(full.headers['content-type']).toBe('image/jpeg');
    expect(
      (await t.app.inject({ method: 'GET', url: path(body.photos[0].thumbUrl) })).statusCode,
    ).toBe(200);
    const forged = path(body.photos[0].url).replace(/sig=./, (m: string) =>
      m.endsWith('A') ? 'sig=B' : 'sig=A',
    );
    expectError(await t.app.inject({ method: 'GET', url: forged }), 403, 'bad_link');
    // The full-size link's signature does not open the thumbnail.
    const swapped = path(body.photos[0].url).replace(`${photoId}?`, `${photoId}/thumb?`);
    expectError(await t.app.inject({ method: 'GET', url: swapped }), 403, 'bad_link');
    // Acknowledged: never posted again.
    const [after] = await deliveries('PB-100');
    expect(after).toMatchObject({
      state: 'delivered',
      attempts: 1,
      lastStatus: 200,
      lastError: null,
    });
    await run(3600_000);
    expect(postsOf(d!.idempotencyKey)).toHaveLength(1);
  });

  it('an expired photo link is refused', async () => {
    const { signedFileUrl } = await import('../files/file-links.js');
    const key = await fileLinkKey(t.database, undefined);
    const url = signedFileUrl(
      PUBLIC,
      key,
      '00000000-0000-4000-8000-000000000000',
      'full',
      new Date(Date.now() - 1000),
    );
    expectError(
      await t.app.inject({ method: 'GET', url: url.slice(PUBLIC.length) }),
      403,
      'link_expired',
    );
  });

  it('retries after a 500, a timeout and a 200 without ack, with the same key and body, until acknowledged', async () => {
    const id = await order('PB-200');
    await closeWithPhoto(id);
    const [d] = await deliveries('PB-200');
    plan = [500, 'hang', 'no-ack', 'ack'];
    // Five attempts here, so the fourth is still one.
    const run5 = (ms = 0) => run(ms, { maxAttempts: 5 });
    expect(await run5()).toMatchObject({ retrying: 1 });
    let [now] = await deliveries('PB-200');
    expect(now).toMatchObject({ state: 'pending', attempts: 1, lastStatus: 500 });
    expect(now!.lastError).toMatch(/^HTTP 500: upstream unavailable/);
    // 1 minute after the first failure; not before.
    expect(Date.parse(now!.nextAttemptAt!) - clock).toBe(60_000);
    await run5(30_000);
    expect(postsOf(d!.idempotencyKey)).toHaveLength(1);
    await run5(30_000);
    [now] = await deliveries('PB-200');
    expect(now).toMatchObject({ attempts: 2, lastStatus: null });
    expect(now!.lastError).toMatch(/timeout/);
    await run5(120_000);
    [now] = await deliveries('PB-200');
    expect(now).toMatchObject({ state: 'pending', attempts: 3, lastStatus: 200 });
    expect(now!.lastError).toMatch(/without \{"ack": true\}/);
    await run5(240_000);
    [now] = await deliveries('PB-200');
    expect(now).toMatchObject({ state: 'delivered', attempts: 4 });
    const posts = postsOf(d!.idempotencyKey);
    expect(posts).toHaveLength(4);
    // Every attempt: the same idempotency key and the same body (the photo links included).
    expect(new Set(posts.map((p) => p.body)).size).toBe(1);
    for (const p of posts) {
      expect(() =>
        verifyHotlineSignature(
          SECRET,
          Buffer.from(p.body),
          p.headers['x-timestamp'] as string,
          p.headers['x-signature'] as string,
        ),
      ).not.toThrow();
    }
  });

  it('gives up after the attempts run out; the office sends it again by hand', async () => {
    const id = await order('PB-300');
    await step(office, await current(id), 'reject', { note: '不属于本市创城范围，退回热线' });
    const [d] = await deliveries('PB-300');
    expect(d).toMatchObject({
      kind: 'rejected',
      payload: { note: '不属于本市创城范围，退回热线' },
    });
    plan = [503, 503, 503];
    await run();
    await run(60_000);
    expect(await run(120_000)).toEqual({ acked: 0, failed: 1, retrying: 0 });
    const [failed] = await deliveries('PB-300');
    expect(failed).toMatchObject({ state: 'failed', attempts: 3, lastStatus: 503 });
    expect(failed!.failedAt).not.toBeNull();
    // Operations see it too.
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(Number(/^cc_pushback_failed (\d+)$/m.exec(metrics.body)?.[1])).toBeGreaterThanOrEqual(1);
    // Failed is final for the job.
    await run(24 * 3600_000);
    expect(postsOf(d!.idempotencyKey)).toHaveLength(3);
    const listed = (await office.get('/api/pushback?state=failed')).json()
      .items as TPushbackDelivery[];
    expect(listed.map((x) => x.id)).toContain(d!.id);
    // Only the office (integration.manage) sends it again; only a failed one.
    const unitTry = await unitAgent.post(`/api/pushback/${d!.id}/retry`);
    expect(unitTry.statusCode).toBe(403);
    kicked.length = 0;
    const res = await office.post(`/api/pushback/${d!.id}/retry`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ state: 'pending', attempts: 0, failedAt: null });
    // Sent now, not at the job's next run (the refusals below kick nothing).
    expect(kicked).toEqual(['pushback']);
    expectError(await office.post(`/api/pushback/${d!.id}/retry`), 409, 'not_failed');
    expectError(await office.post('/api/pushback/999999/retry'), 404, 'not_found');
    expect(kicked).toEqual(['pushback']);
    clock = Date.now() + 1000;
    await run();
    const [done] = await deliveries('PB-300');
    expect(done).toMatchObject({ state: 'delivered', attempts: 1 });
    const posts = postsOf(d!.idempotencyKey);
    expect(posts).toHaveLength(4);
    expect(JSON.parse(posts[3]!.body).orderNo).toBe('PB-300');
    const [audit] = await execRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from audit_log where action = 'pushback.retry' and entity_id = ${String(d!.id)}`,
    );
    expect(audit!.n).toBe(1);
  });

  it('owes nothing when the step rolls back, and never the same event twice', async () => {
    const id = await order('PB-400');
    const p = await current(id);
    const stepFacts = {
      problem: { id, code: p.code, unitName: null, deadline: null },
      eventId: 987654,
      action: 'reject' as const,
      fromState: 'reported',
      toState: 'rejected',
      at: new Date(),
      actorName: '测试',
      note: '退回',
    };
    const rows = async () =>
      (
        await execRows<{ n: number }>(
          t.database.db,
          sql`select count(*)::int as n from pushback_deliveries where problem_id = ${id}`,
        )
      )[0]!.n;
    await expect(
      withTx(t.database, async (tx) => {
        await enqueuePushback(tx, stepFacts, { hotline: true });
        const [inside] = await execRows<{ n: number }>(
          tx,
          sql`select count(*)::int as n from pushback_deliveries where problem_id = ${id}`,
        );
        expect(inside!.n).toBe(1);
        throw new Error('the step fails after enqueueing');
      }),
    ).rejects.toThrow('the step fails');
    expect(await rows()).toBe(0);
    // Enqueued twice (a retried step, two servers): one delivery.
    await withTx(t.database, (tx) => enqueuePushback(tx, stepFacts, { hotline: true }));
    await withTx(t.database, (tx) => enqueuePushback(tx, stepFacts, { hotline: true }));
    expect(await rows()).toBe(1);
    const again = await withTx(t.database, (tx) =>
      insertDelivery(tx, {
        target: 'hotline',
        problemId: id,
        eventId: 987654,
        kind: 'rejected',
        externalRef: 'PB-400',
        idempotencyKey: `hotline-${id}-987654`,
        payload: {},
      }),
    );
    expect(again).toBe(false);
    expect(await rows()).toBe(1);
    // A phone's retried step (the same client id) is one step, one delivery.
    const clientId = '7c1d2a8e-4a5b-4c3d-9e8f-0a1b2c3d4e5f';
    const id2 = await order('PB-401');
    const p2 = await current(id2);
    const first = await office.post(`/api/problems/${id2}/actions`, {
      action: 'reject',
      version: p2.version,
      note: '重复工单',
      clientId,
    });
    expect(first.statusCode, first.body).toBe(200);
    const second = await office.post(`/api/problems/${id2}/actions`, {
      action: 'reject',
      version: p2.version,
      note: '重复工单',
      clientId,
    });
    expect(second.statusCode, second.body).toBe(200);
    expect(await deliveries('PB-401')).toHaveLength(1);
  });

  it('tells the order of 缓办 and 延期, in order: a later result waits for the earlier one', async () => {
    const id = await order('PB-500');
    let p = (await step(office, await current(id), 'register')).problem;
    p = (await step(office, p, 'dispatch', { unitId })).problem;
    p = (await step(office, p, 'defer', { note: '等待管线迁改' })).problem;
    p = (await step(office, p, 'resume')).problem;
    const asked = new Date(Date.parse(p.deadline!) + 7 * 86_400_000).toISOString();
    p = (
      await step(unitAgent, p, 'request_extension', {
        note: '材料未到货',
        extensionDeadline: asked,
      })
    ).problem;
    p = (await step(office, p, 'approve_extension')).problem;
    const [extended, deferred] = await deliveries('PB-500');
    expect(deferred).toMatchObject({
      kind: 'deferred',
      payload: { note: '等待管线迁改', deadline: null },
    });
    expect(extended).toMatchObject({
      kind: 'extended',
      payload: { note: '材料未到货', deadline: p.deadline },
    });
    plan = [500];
    await run();
    // The 缓办 failed once; the 延期 waits behind it.
    expect(received.map((r) => r.headers['idempotency-key'])).toEqual([deferred!.idempotencyKey]);
    await run(60_000);
    await run(1000);
    expect(received.map((r) => JSON.parse(r.body).resultType)).toEqual([
      'deferred',
      'deferred',
      'extended',
    ]);
  });

  it('a duplicate merged into another problem gets that problem’s result under its own order number', async () => {
    const primary = await order('PB-600');
    const dup = await order('PB-601');
    const d = await current(dup);
    const merged = await office.post(`/api/problems/${dup}/merge`, {
      intoId: primary,
      version: d.version,
    });
    expect(merged.statusCode, merged.body).toBe(200);
    expect(await deliveries('PB-601')).toHaveLength(0);
    await step(office, await current(primary), 'reject', { note: '非城市管理事项' });
    const [own] = await deliveries('PB-600');
    const [viaMerge] = await deliveries('PB-601');
    expect(own).toMatchObject({ kind: 'rejected', problemId: primary });
    expect(viaMerge).toMatchObject({
      kind: 'rejected',
      problemId: dup,
      payload: { orderNo: 'PB-601', note: '非城市管理事项', mergedInto: own!.problemCode },
    });
    await run();
    expect((await deliveries('PB-601'))[0]!.state).toBe('delivered');
  });

  it('counts a file-imported order, and owes the hotline nothing while no result URL is set', async () => {
    const csv = Buffer.from(
      '工单编号,诉求内容,问题类别\nPB-700,井盖缺失,HJ01\nPB-701,路灯不亮,HJ01\n',
    );
    const up = await office.upload('/api/problems/import-hotline', csv, '12345.csv');
    expect(up.statusCode, up.body).toBe(200);
    const ids = await execRows<{ id: string; ref: string }>(
      t.database.db,
      sql`select id, external_ref as ref from problems where external_ref in ('PB-700', 'PB-701') order by external_ref`,
    );
    await step(office, await current(Number(ids[0]!.id)), 'reject', { note: '已由区级办理' });
    expect(await deliveries('PB-700')).toMatchObject([{ kind: 'rejected', externalRef: 'PB-700' }]);
    const off = await createTestApp({ HOTLINE_WEBHOOK_SECRET: SECRET }, { sharing: t });
    try {
      const offOffice = await off.login('pb_office');
      const p = (await detailOf(offOffice, Number(ids[1]!.id))).problem;
      await step(offOffice, p, 'reject', { note: '已由区级办理' });
      expect(await deliveries('PB-701')).toHaveLength(0);
    } finally {
      await off.close();
    }
  });

  it('two app servers running the job at once post each delivery once', async () => {
    const a = await order('PB-800');
    const b = await order('PB-801');
    await step(office, await current(a), 'reject', { note: '退回' });
    await step(office, await current(b), 'reject', { note: '退回' });
    await Promise.all([run(), run(), run()]);
    expect(received.filter((r) => /PB-80[01]/.test(r.body))).toHaveLength(2);
  });
});

describe('the delivery log: who sees it', () => {
  it('the office reads the log and a problem’s deliveries; others are refused', async () => {
    const id = await order('PB-900');
    await step(office, await current(id), 'reject', { note: '退回' });
    const grid = await t.login('pb_grid');
    expect((await grid.get('/api/pushback')).statusCode).toBe(403);
    expect((await unitAgent.get('/api/pushback')).statusCode).toBe(403);
    expect((await unitAgent.get(`/api/problems/${id}/pushback`)).statusCode).toBe(403);
    const list = await office.get(`/api/problems/${id}/pushback`);
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject([{ externalRef: 'PB-900', kind: 'rejected' }]);
    expect((await office.get('/api/problems/999999/pushback')).statusCode).toBe(404);
    const page = (await office.get('/api/pushback?target=hotline&limit=1')).json();
    expect(page).toMatchObject({ hotlineConfigured: true, maxAttempts: 12 });
    expect(page.items).toHaveLength(1);
    expect(page.nextCursor).toEqual(expect.any(String));
    const next = (
      await office.get(`/api/pushback?target=hotline&limit=1&cursor=${page.nextCursor}`)
    ).json();
    expect(next.items[0].id).toBeLessThan(page.items[0].id);
  });

  it('downloads as XLSX with the list’s filters, oldest first; for the office only', async () => {
    expect((await unitAgent.get('/api/pushback/export.xlsx')).statusCode).toBe(403);
    const res = await office.get('/api/pushback/export.xlsx?target=hotline&q=pb-900');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('结果回传'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const rows: string[][] = [];
    wb.worksheets[0]!.eachRow((r) => {
      const cells: string[] = [];
      r.eachCell({ includeEmpty: true }, (c) => cells.push(c.text));
      rows.push(cells);
    });
    const col = (h: string) => rows[0]!.indexOf(h);
    expect(rows).toHaveLength(2);
    const [, row] = rows;
    expect(row![col('去向')]).toBe('12345 热线');
    expect(row![col('工单编号')]).toBe('PB-900');
    expect(row![col('内容')]).toBe('不予受理（退回）');
    // The state as the log page shows it (the job may have run meanwhile).
    const [listed] = (await office.get('/api/pushback?q=PB-900')).json()
      .items as TPushbackDelivery[];
    expect(row![col('状态')]).toBe(PUSHBACK_STATE_LABELS[listed!.state].zh);
    expect(row![col('尝试次数')]).toBe(String(listed!.attempts));
    expect(row![col('产生时间')]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(row![col('幂等键')]).toMatch(/^hotline-\d+-\d+$/);
    // Everything to the hotline, in the order it was made.
    const all = await office.get('/api/pushback/export.xlsx?target=hotline');
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(all.rawPayload as unknown as ArrayBuffer);
    const refs: string[] = [];
    wb2.worksheets[0]!.eachRow((r, n) => {
      if (n > 1) refs.push(r.getCell(col('工单编号') + 1).text);
    });
    expect(refs.length).toBeGreaterThan(3);
    expect(refs.at(-1)).toBe('PB-900');
    // A filter that does not validate is refused, as on the list.
    expect((await office.get('/api/pushback/export.xlsx?state=lost')).statusCode).toBe(400);
  });
});

describe('Open311 callbacks', () => {
  async function client(name: string) {
    const res = await office.post('/api/open311/clients', { name, channel: 'citizen' });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ client: { id: number }; apiKey: string }>();
  }
  async function file(apiKey: string, orderNo: string): Promise<{ code: string; id: number }> {
    const res = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      headers: { 'content-type': 'application/json' },
      payload: {
        api_key: apiKey,
        service_code: 'HJ01',
        address_string: '人民路 1 号',
        description: '垃圾满溢',
        attribute: { order_no: orderNo },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const code = res.json<{ service_request_id: string }[]>()[0]!.service_request_id;
    const [row] = await execRows<{ id: string }>(
      t.database.db,
      sql`select problem_id as id from citizen_reports where tracking_code = ${code}`,
    );
    return { code, id: Number(row!.id) };
  }

  it('a client with a callback URL hears of each status change of its requests, signed with its own secret', async () => {
    const c = await client('城市服务 App');
    const silent = await client('无回调客户端');
    const set = await office.put(`/api/open311/clients/${c.client.id}/callback`, {
      callbackUrl: `${base}/open311/cb`,
    });
    expect(set.statusCode, set.body).toBe(200);
    const secret = set.json<{ callbackSecret: string }>().callbackSecret;
    expect(secret).toMatch(/^whsec_/);
    expect(set.json().client.callbackUrl).toBe(`${base}/open311/cb`);
    // Changing the URL keeps the secret (shown once); asking for a new one replaces it.
    const again = await office.put(`/api/open311/clients/${c.client.id}/callback`, {
      callbackUrl: `${base}/open311/cb`,
    });
    expect(again.json().callbackSecret).toBeNull();
    const badUrl = await office.put(`/api/open311/clients/${c.client.id}/callback`, {
      callbackUrl: 'ftp://example.org/x',
    });
    expect(badUrl.statusCode).toBe(400);
    expect(
      (await unitAgent.put(`/api/open311/clients/${c.client.id}/callback`, { callbackUrl: null }))
        .statusCode,
    ).toBe(403);

    const r = await file(c.apiKey, 'APP-1');
    const quiet = await file(silent.apiKey, 'Q-1');
    await step(office, await current(r.id), 'register');
    await step(office, await current(quiet.id), 'register');
    const [d] = await deliveries(r.code);
    expect(d).toMatchObject({
      target: 'open311',
      clientId: c.client.id,
      kind: 'register',
      externalRef: r.code,
    });
    expect(await deliveries(quiet.code)).toHaveLength(0);
    // Steps that change no status (a note-only step) owe nothing; a rejection closes it.
    const r2 = await file(c.apiKey, 'APP-2');
    await step(office, await current(r2.id), 'reject', { note: '重复反映' });
    await run(0, { hotline: null });
    const posts = received.filter((p) => p.path === '/open311/cb');
    expect(posts).toHaveLength(2);
    for (const p of posts) {
      const ts = p.headers['x-timestamp'] as string;
      const expected = `sha256=${createHmac('sha256', secret).update(`${ts}.${p.body}`).digest('hex')}`;
      expect(p.headers['x-signature']).toBe(expected);
    }
    const bodies = posts.map((p) => JSON.parse(p.body));
    const reg = bodies.find((b) => b.service_request_id === r.code);
    expect(reg).toMatchObject({ status: 'open', status_notes: '待派遣', event: 'register' });
    expect(reg.request).toMatchObject({
      service_request_id: r.code,
      status: 'open',
      address: '人民路 1 号',
    });
    const rej = bodies.find((b) => b.service_request_id === r2.code);
    expect(rej).toMatchObject({ status: 'closed', event: 'reject' });
    expect(rej.status_notes).toContain('重复反映');

    // A merge changes what the client reads: the primary's status.
    const r3 = await file(c.apiKey, 'APP-3');
    const primary = await order('PB-1000');
    const p3 = await current(r3.id);
    const m = await office.post(`/api/problems/${r3.id}/merge`, {
      intoId: primary,
      version: p3.version,
    });
    expect(m.statusCode, m.body).toBe(200);
    expect(await deliveries(r3.code)).toMatchObject([{ kind: 'merge' }]);

    // New secret on request; cleared URL: nothing more is enqueued.
    const rotated = await office.put(`/api/open311/clients/${c.client.id}/callback`, {
      callbackUrl: `${base}/open311/cb`,
      newSecret: true,
    });
    expect(rotated.json().callbackSecret).toMatch(/^whsec_/);
    expect(rotated.json().callbackSecret).not.toBe(secret);
    await office.put(`/api/open311/clients/${c.client.id}/callback`, { callbackUrl: null });
    await step(office, await current(primary), 'register');
    expect(await deliveries(r3.code)).toHaveLength(1);
  });
});
