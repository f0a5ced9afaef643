import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TTrackResponse } from '../../../core/contracts/citizen.js';
import type { TCategory, TProblem, TProblemDetail } from '../../../core/contracts/problems.js';
import { execRows } from '../../db/client.js';
import { withTx } from '../../platform/tx.js';
import { buildUnit, buildUser } from '../../test/factories.js';
import { startFakeSmsGateway, type FakeSmsGateway } from '../../test/fake-sms-gateway.js';
import { createTestApp, type Agent, type Res, type TestApp } from '../../test/harness.js';
import { categoriesByCode, detailOf, expectError, step } from '../../test/problems-kit.js';
import { deliverOutbox } from '../notifications/outbox-delivery.js';
import { replyToReporters } from './reply-to-reporters.js';

// Replies to reporters (#24 item 1): the opt-in, one text per step written with the step, delivery
// to an SMS gateway (signed, retried), the rating once, the reopening once within the window, and
// the 满意率 in the unit's KPIs.

const PUBLIC_URL = 'https://cc.example.cn';
let t: TestApp;
let office: Agent;
let unitAgent: Agent;
let unitId: number;
let cat: TCategory;
let ipSeq = 0;
const freshIp = () => `10.88.${Math.floor(++ipSeq / 250)}.${(ipSeq % 250) + 1}`;

beforeAll(async () => {
  t = await createTestApp({ PUBLIC_URL, REOPEN_WINDOW_DAYS: '7' });
  await buildUser(t.database.db, { username: 'r_office', roles: ['office'] });
  unitId = (await buildUnit(t.database.db, { name: '回复测试城管局' })).id;
  await buildUser(t.database.db, { username: 'r_unit', roles: ['unit'], unitId });
  office = await t.login('r_office');
  unitAgent = await t.login('r_unit');
  cat = [...(await categoriesByCode(office)).values()].find((c) => c.parentId !== null)!;
});
afterAll(() => t.close());

function multipart(fields: Record<string, string>) {
  const boundary = `----cc${randomBytes(8).toString('hex')}`;
  const body = Object.entries(fields)
    .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
    .join('');
  return {
    payload: Buffer.from(`${body}--${boundary}--\r\n`),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** Files a 随手拍 report; answers its tracking code and problem. */
async function report(extra: Record<string, string>): Promise<{ code: string; p: TProblem }> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/public/reports',
    remoteAddress: freshIp(),
    ...multipart({
      categoryId: String(cat.id),
      description: '路口井盖缺失，晚上很危险',
      lat: '30.3',
      lng: '120.3',
      ...extra,
    }),
  });
  expect(res.statusCode, res.body).toBe(201);
  const code = res.json<{ trackingCode: string }>().trackingCode;
  const [row] = await execRows<{ id: number | string }>(
    t.database.db,
    sql`select problem_id as id from citizen_reports where tracking_code = ${code}`,
  );
  return { code, p: (await detailOf(office, Number(row!.id))).problem };
}

const track = async (code: string) =>
  (
    await t.app.inject({ url: `/api/public/track/${code}`, remoteAddress: freshIp() })
  ).json<TTrackResponse>();

const publicPost = (code: string, what: 'rating' | 'reopen', body: unknown): Promise<Res> =>
  t.app.inject({
    method: 'POST',
    url: `/api/public/track/${code}/${what}`,
    payload: body as Record<string, unknown>,
    remoteAddress: freshIp(),
  });

interface SmsRow {
  id: number;
  payload: { to: string; text: string; kind: string; ref: string };
  dedupe_key: string;
}
async function smsFor(code: string): Promise<SmsRow[]> {
  const rows = await execRows<SmsRow & { id: number | string }>(
    t.database.db,
    sql`select o.id, o.payload, o.dedupe_key from outbox o
        where o.topic = 'sms' and o.payload->>'text' like ${`%/track/${code}%`} order by o.id`,
  );
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** Moves a problem from reported to closed; answers the closed problem. */
async function close(p: TProblem): Promise<TProblem> {
  let d: TProblemDetail = await step(office, p, 'register');
  d = await step(office, d.problem, 'dispatch', { unitId });
  d = await step(unitAgent, d.problem, 'submit', { note: '已补装井盖' });
  return (await step(office, d.problem, 'approve')).problem;
}

describe('opt-in', () => {
  it('is kept with a phone only, and the tracking page says so without the phone', async () => {
    const yes = await report({ phone: '139 0000 1111', smsOptIn: 'true' });
    const noPhone = await report({ smsOptIn: 'true' });
    const no = await report({ phone: '13900002222' });
    const rows = await execRows<{ code: string; sms_opt_in: boolean }>(
      t.database.db,
      sql`select tracking_code as code, sms_opt_in from citizen_reports
          where tracking_code in (${yes.code}, ${noPhone.code}, ${no.code})`,
    );
    const byCode = new Map(rows.map((r) => [r.code, r.sms_opt_in]));
    expect([byCode.get(yes.code), byCode.get(noPhone.code), byCode.get(no.code)]).toEqual([
      true,
      false,
      false,
    ]);
    const tracked = await track(yes.code);
    expect(tracked.smsUpdates).toBe(true);
    expect(JSON.stringify(tracked)).not.toContain('13900001111');
    expect((await track(no.code)).smsUpdates).toBe(false);
  });
});

describe('a text per step, written with the step', () => {
  it('texts an opted-in reporter once per step, with the tracking link; others get none', async () => {
    const mine = await report({ phone: '13900003333', smsOptIn: 'true' });
    const other = await report({ phone: '13900004444' });
    await close(mine.p);
    await close(other.p);
    const sms = await smsFor(mine.code);
    expect(sms.map((s) => s.payload.kind)).toEqual([
      'reply.register',
      'reply.dispatch',
      'reply.submit',
      'reply.approve',
    ]);
    for (const s of sms) {
      expect(s.payload.to).toBe('13900003333');
      expect(s.payload.text).toContain(`${PUBLIC_URL}/track/${mine.code}`);
      expect(s.payload.ref).toBe(mine.p.code);
    }
    expect(sms[1]!.payload.text).toContain('交回复测试城管局办理');
    expect(sms[3]!.payload.text).toContain('请评价');
    expect(await smsFor(other.code)).toEqual([]);
  });

  it('quotes the reason of a rejection', async () => {
    const r = await report({ phone: '13900005555', smsOptIn: 'true' });
    await step(office, r.p, 'reject', { note: '该处为私人小区，请联系物业' });
    const [sms] = await smsFor(r.code);
    expect(sms!.payload).toMatchObject({ kind: 'reply.reject' });
    expect(sms!.payload.text).toContain('原因：该处为私人小区，请联系物业');
  });

  it('writes nothing when the step rolls back, and never twice for one step', async () => {
    const r = await report({ phone: '13900006666', smsOptIn: 'true' });
    // The step's audit record (written after the reply) fails: the whole step rolls back.
    await t.database.db.execute(sql`
      create or replace function cc_test_fail_audit() returns trigger language plpgsql as $$
      begin
        if new.action = 'problem.register' and new.entity_id = '${sql.raw(String(r.p.id))}' then
          raise exception 'audit refused for the test';
        end if;
        return new;
      end $$`);
    await t.database.db.execute(sql`create trigger cc_test_fail_audit before insert on audit_log
      for each row execute function cc_test_fail_audit()`);
    try {
      const res = await office.post(`/api/problems/${r.p.id}/actions`, {
        action: 'register',
        version: r.p.version,
      });
      expect(res.statusCode).toBeGreaterThanOrEqual(500);
    } finally {
      await t.database.db.execute(sql`drop trigger cc_test_fail_audit on audit_log`);
      await t.database.db.execute(sql`drop function cc_test_fail_audit()`);
    }
    expect((await detailOf(office, r.p.id)).problem.state).toBe('reported');
    expect(await smsFor(r.code)).toEqual([]);

    // A phone's retry of the same step (same client id) answers the step taken: no second text.
    const clientId = '3f1c9a52-8d7e-4b21-9a0c-5e6f7a8b9c0d';
    const first = await step(office, r.p, 'register', { clientId });
    const again = await step(office, r.p, 'register', { clientId });
    expect(again.problem.version).toBe(first.problem.version);
    expect((await smsFor(r.code)).map((s) => s.payload.kind)).toEqual(['reply.register']);

    // The same step replied to again (a second writer, a re-run): the key keeps it to one.
    const event = first.timeline.at(-1)!;
    const replied = await withTx(t.database, (tx) =>
      replyToReporters(
        tx,
        {
          action: 'register',
          eventId: event.id,
          problem: { id: r.p.id, code: r.p.code, unitName: null },
          note: null,
        },
        PUBLIC_URL,
      ),
    );
    expect(replied).toBe(0);
    expect(await smsFor(r.code)).toHaveLength(1);
  });

  it('texts the reporter of a duplicate about the problem it was merged into', async () => {
    const primary = await report({ phone: '13900007777' });
    const dup = await report({ phone: '13900008888', smsOptIn: 'true' });
    const registered = (await step(office, primary.p, 'register')).problem;
    const merged = await office.post(`/api/problems/${dup.p.id}/merge`, {
      version: dup.p.version,
      intoId: primary.p.id,
    });
    expect(merged.statusCode, merged.body).toBe(200);
    await step(office, registered, 'dispatch', { unitId });
    const sms = await smsFor(dup.code);
    expect(sms.map((s) => s.payload.kind)).toEqual(['reply.dispatch']);
    expect(sms[0]!.payload.to).toBe('13900008888');
  });
});

describe('delivery to the SMS gateway', () => {
  let gw: FakeSmsGateway;
  beforeAll(async () => {
    gw = await startFakeSmsGateway('sms-int-secret');
  });
  afterAll(() => gw.close());

  it('sends text messages signed to the gateway, retries after a failure, each once', async () => {
    const r = await report({ phone: '13900009999', smsOptIn: 'true' });
    await step(office, r.p, 'register');
    const routes = { notify: null, sms: { url: gw.url, secret: gw.secret } };
    const waiting = await execRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from outbox
          where topic = 'sms' and delivered_at is null and failed_at is null`,
    );
    gw.failNext(1);
    const first = await deliverOutbox(t.database, routes, new Date(), 500);
    expect(first.failed).toBeGreaterThanOrEqual(1);
    const [mine] = await smsFor(r.code);
    const [afterFail] = await execRows<{ attempts: number; later: boolean; last_error: string }>(
      t.database.db,
      sql`select attempts, next_attempt_at > now() as later, last_error from outbox
          where id = ${mine!.id}`,
    );
    // The first message taken was refused (503); whether it was this one depends on the order.
    expect(gw.failures).toBe(1);
    const later = new Date(Date.now() + 5 * 60_000);
    await deliverOutbox(t.database, routes, later, 500);
    expect(gw.badSignatures).toBe(0);
    const texts = gw.received.filter((m) => m.payload.text.includes(r.code));
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatchObject({ topic: 'sms', payload: { to: '13900009999' } });
    // Every waiting text went to the gateway, none twice; notices did not (no webhook set).
    expect(gw.received.length).toBe(waiting[0]!.n);
    expect(gw.received.every((m) => m.topic === 'sms')).toBe(true);
    expect(new Set(gw.received.map((m) => m.id)).size).toBe(gw.received.length);
    expect((await deliverOutbox(t.database, routes, later, 500)).delivered).toBe(0);
    const [done] = await execRows<{ delivered: boolean; attempts: number }>(
      t.database.db,
      sql`select delivered_at is not null as delivered, attempts from outbox where id = ${mine!.id}`,
    );
    expect(done!.delivered).toBe(true);
    expect(done!.attempts).toBe(afterFail!.attempts + (afterFail!.later ? 1 : 0));
    const notices = await execRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from outbox where topic <> 'sms' and delivered_at is null`,
    );
    expect(notices[0]!.n).toBeGreaterThan(0);
  });

  it('refuses a wrong signature (the gateway’s check), and gives up a malformed message', async () => {
    const r = await report({ phone: '13911110000', smsOptIn: 'true' });
    await step(office, r.p, 'register');
    const before = gw.received.length;
    await deliverOutbox(t.database, { notify: null, sms: { url: gw.url, secret: 'wrong' } });
    expect(gw.badSignatures).toBeGreaterThanOrEqual(1);
    expect(gw.received.length).toBe(before);
    const [bad] = await execRows<{ id: number | string }>(
      t.database.db,
      sql`insert into outbox (topic, payload) values ('sms', ${JSON.stringify({ text: '没有号码' })}::jsonb)
          returning id`,
    );
    await deliverOutbox(t.database, { notify: null, sms: 'fake' });
    const [row] = await execRows<{ failed: boolean; last_error: string }>(
      t.database.db,
      sql`select failed_at is not null as failed, last_error from outbox where id = ${Number(bad!.id)}`,
    );
    expect(row).toMatchObject({ failed: true, last_error: expect.stringContaining('invalid sms') });
  });

  it('the fake gateway takes every text; the SMS log shows them masked, to the office only', async () => {
    const r = await report({ phone: '13922223333', smsOptIn: 'true' });
    await step(office, r.p, 'register');
    await deliverOutbox(
      t.database,
      { notify: null, sms: 'fake' },
      new Date(Date.now() + 3600_000),
      500,
    );
    const log = await office.get('/api/sms-log?limit=100');
    expect(log.statusCode, log.body).toBe(200);
    const body = log.json();
    expect(body.gateway).toBe('none');
    const item = body.items.find((i: { ref: string }) => i.ref === r.p.code);
    expect(item).toMatchObject({
      to: '139****3333',
      kind: 'reply.register',
      state: 'delivered',
      attempts: 1,
    });
    expect(item.text).toContain(`/track/SJ******${r.code.slice(-4)}`);
    expect(log.body).not.toContain('13922223333');
    expect(log.body).not.toContain(r.code);
    const delivered = await office.get('/api/sms-log?state=failed');
    expect(delivered.json().items.every((i: { state: string }) => i.state === 'failed')).toBe(true);
    expectError(await unitAgent.get('/api/sms-log'), 403, 'forbidden');
  });
});

describe('rating', () => {
  it('once, after closing, proved by the code; the staff see it on the problem', async () => {
    const r = await report({ phone: '13933334444', smsOptIn: 'true' });
    const early = await publicPost(r.code, 'rating', { rating: 'satisfied' });
    expectError(early, 409, 'not_closed');
    expect((await track(r.code)).feedback.canRate).toBe(false);
    const closed = await close(r.p);
    expect((await track(r.code)).feedback).toMatchObject({ canRate: true, rating: null });
    expectError(await publicPost(r.code, 'rating', { rating: 'great' }), 400, 'invalid');
    expectError(await publicPost('SJ2222222222', 'rating', { rating: 'basic' }), 404, 'not_found');
    const res = await publicPost(r.code, 'rating', {
      rating: 'basic',
      comment: '修好了，但慢了点',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<TTrackResponse>().feedback).toMatchObject({
      canRate: false,
      rating: { value: 'basic', comment: '修好了，但慢了点' },
    });
    const again = await publicPost(r.code, 'rating', { rating: 'unsatisfied' });
    expectError(again, 409, 'already_rated');
    expect(again.json().error.messageZh).toContain('只能评价一次');
    expect(again.json().error.messageEn).toContain('rated once');
    const d = await detailOf(unitAgent, closed.id);
    expect(d.timeline.at(-1)).toMatchObject({
      action: 'rate',
      note: '修好了，但慢了点',
      data: { rating: 'basic' },
    });
    const [audit] = await execRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from audit_log
          where action = 'citizen.rate' and entity_id = ${String(closed.id)}`,
    );
    expect(audit!.n).toBe(1);
  });
});

describe('reopening', () => {
  it('once, with a reason, within the window: back to the unit, told to the office', async () => {
    const r = await report({ phone: '13944445555', smsOptIn: 'true' });
    expectError(await publicPost(r.code, 'reopen', { reason: '没修' }), 409, 'not_closed');
    const closed = await close(r.p);
    const tracked = await track(r.code);
    expect(tracked.feedback).toMatchObject({ canReopen: true, reopenWindowDays: 7 });
    expect(new Date(tracked.feedback.reopenUntil!).getTime()).toBe(
      new Date(closed.closedAt!).getTime() + 7 * 86_400_000,
    );

    const noReason = await publicPost(r.code, 'reopen', { reason: '   ' });
    expectError(noReason, 400, 'invalid');
    expect(noReason.json().error).toMatchObject({
      messageZh: '请填写申请重新办理的理由',
      messageEn: 'give the reason why the problem should be reopened',
      fields: [{ path: 'body.reason' }],
    });
    expectError(await publicPost(r.code, 'reopen', {}), 400, 'invalid');

    const res = await publicPost(r.code, 'reopen', { reason: '井盖又被偷了，还是没有' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<TTrackResponse>()).toMatchObject({
      status: 'dispatched',
      feedback: { canReopen: false, reopened: { reason: '井盖又被偷了，还是没有' } },
    });
    const d = await detailOf(office, closed.id);
    expect(d.problem).toMatchObject({
      state: 'dispatched',
      unitId,
      closedAt: null,
      version: closed.version + 1,
    });
    expect(new Date(d.problem.deadline!).getTime()).toBeGreaterThan(Date.now());
    expect(d.timeline.at(-1)).toMatchObject({
      action: 'reporter_reopen',
      fromState: 'closed',
      toState: 'dispatched',
      note: '井盖又被偷了，还是没有',
    });
    const [audit] = await execRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from audit_log
          where action = 'problem.reporter_reopen' and entity_id = ${String(closed.id)}`,
    );
    expect(audit!.n).toBe(1);
    for (const agent of [office, unitAgent]) {
      const inbox = (await agent.get('/api/notifications')).json().items;
      expect(inbox[0]).toMatchObject({ kind: 'reporter_reopen', problemId: closed.id });
    }
    // The public timeline says so.
    expect((await track(r.code)).timeline.at(-1)!.label.zh).toBe('应市民申请重新办理');

    // Fixed and closed again: the reporter hears of it again, and cannot reopen a second time.
    const submitted = await step(unitAgent, d.problem, 'submit', { note: '已加装防盗井盖' });
    await step(office, submitted.problem, 'approve');
    expect((await smsFor(r.code)).map((s) => s.payload.kind).slice(-2)).toEqual([
      'reply.submit',
      'reply.approve',
    ]);
    const second = await publicPost(r.code, 'reopen', { reason: '还是不行' });
    expectError(second, 409, 'already_reopened');
    expect(second.json().error.messageEn).toContain('once');
  });

  it('is refused after the window', async () => {
    const r = await report({});
    const closed = await close(r.p);
    await t.database.db.execute(
      sql`update problems set closed_at = now() - interval '7 days 1 minute' where id = ${closed.id}`,
    );
    expect((await track(r.code)).feedback).toMatchObject({ canReopen: false, reopenUntil: null });
    const res = await publicPost(r.code, 'reopen', { reason: '没有修好' });
    expectError(res, 409, 'reopen_window_passed');
    expect(res.json().error.messageZh).toContain('已超过 7 天');
    expect(res.json().error.messageEn).toContain('more than 7 days');
    expect((await detailOf(office, closed.id)).problem.state).toBe('closed');
  });
});

describe('满意率 in the unit’s KPIs', () => {
  it('counts only rated problems, by the unit, with its n', async () => {
    const unit2 = await buildUnit(t.database.db, { name: '满意率测试单位' });
    await buildUser(t.database.db, { username: 'r_unit2', roles: ['unit'], unitId: unit2.id });
    const unit2Agent = await t.login('r_unit2');
    const reports = await Promise.all([report({}), report({}), report({}), report({})]);
    for (const r of reports) {
      let d = await step(office, r.p, 'register');
      d = await step(office, d.problem, 'dispatch', { unitId: unit2.id });
      d = await step(unit2Agent, d.problem, 'submit', { note: '已处理' });
      await step(office, d.problem, 'approve');
    }
    // Three rated (满意, 基本满意, 不满意), one not.
    for (const [i, rating] of (['satisfied', 'basic', 'unsatisfied'] as const).entries()) {
      expect((await publicPost(reports[i]!.code, 'rating', { rating })).statusCode).toBe(200);
    }
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const kpis = await office.get(
      `/api/problems/kpis?groupBy=unit&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
    );
    expect(kpis.statusCode, kpis.body).toBe(200);
    const row = kpis.json().rows.find((x: { key: number }) => x.key === unit2.id);
    expect(row).toMatchObject({
      closed: 4,
      rated: 3,
      satisfied: 1,
      basic: 1,
      satisfactionRate: 0.6667,
    });
    expect(kpis.json().total.rated).toBeGreaterThanOrEqual(3);
    const standing = await unit2Agent.get('/api/dashboards/unit');
    expect(standing.statusCode, standing.body).toBe(200);
    expect(standing.json().satisfaction).toEqual({
      rated: 3,
      satisfied: 1,
      basic: 1,
      rate: 0.6667,
    });
    // A group nobody rated has no 满意率 (not 0%, not 100%).
    for (const x of kpis.json().rows as { rated: number; satisfactionRate: number | null }[]) {
      if (x.rated === 0) expect(x.satisfactionRate).toBeNull();
    }
  });
});
