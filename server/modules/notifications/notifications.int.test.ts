import { createHmac } from 'node:crypto';
import http from 'node:http';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TProblem, TProblemDetail } from '../../../core/contracts/problems.js';
import { execRows } from '../../db/client.js';
import { runExclusive } from '../../platform/jobs.js';
import { buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';
import { issueEscalations } from '../problems/escalation-job.js';
import { deliverOutbox } from './outbox-delivery.js';

let t: TestApp;
let office: Agent;
let unitAgent: Agent;
let otherUnitAgent: Agent;
let unitId: number;
let categoryId: number;

async function act(agent: Agent, p: TProblem, action: string, extra: Record<string, unknown> = {}) {
  const res = await agent.post(`/api/problems/${p.id}/actions`, {
    action,
    version: p.version,
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<TProblemDetail>().problem;
}

async function dispatched(title: string): Promise<TProblem> {
  const p = (
    await office.post('/api/problems', { title, categoryId, register: true })
  ).json<TProblemDetail>().problem;
  return act(office, p, 'dispatch', { unitId });
}

beforeAll(async () => {
  t = await createTestApp();
  unitId = (await buildUnit(t.database.db)).id;
  const other = await buildUnit(t.database.db);
  await buildUser(t.database.db, { username: 'n_office', roles: ['office'] });
  await buildUser(t.database.db, { username: 'n_unit', roles: ['unit'], unitId });
  await buildUser(t.database.db, { username: 'n_other', roles: ['unit'], unitId: other.id });
  office = await t.login('n_office');
  unitAgent = await t.login('n_unit');
  otherUnitAgent = await t.login('n_other');
  const cats = (await office.get('/api/problem-categories')).json().items as {
    id: number;
    parentId: number | null;
  }[];
  categoryId = cats.find((c) => c.parentId !== null)!.id;
});
afterAll(() => t.close());

describe('inbox', () => {
  it('tells the unit about a dispatch and the office about a submission', async () => {
    const before = (await unitAgent.get('/api/notifications/unread-count')).json().count as number;
    const p = await dispatched('通知测试问题');
    expect((await unitAgent.get('/api/notifications/unread-count')).json().count).toBe(before + 1);
    const inbox = (await unitAgent.get('/api/notifications?unread=true')).json();
    expect(inbox.items[0]).toMatchObject({ kind: 'dispatch', problemId: p.id, read: false });
    expect(inbox.items[0].title).toContain('通知测试问题');
    // the other unit hears nothing
    expect((await otherUnitAgent.get('/api/notifications')).json().items).toEqual([]);

    const officeBefore = (await office.get('/api/notifications/unread-count')).json()
      .count as number;
    await act(unitAgent, p, 'submit', { note: '已整改' });
    const officeInbox = (await office.get('/api/notifications')).json();
    expect(officeInbox.items[0]).toMatchObject({ kind: 'submit', problemId: p.id });
    expect((await office.get('/api/notifications/unread-count')).json().count).toBe(
      officeBefore + 1,
    );
    // the one who acted is not told about their own step
    expect(
      (await unitAgent.get('/api/notifications'))
        .json()
        .items.some((n: { kind: string }) => n.kind === 'submit'),
    ).toBe(false);
  });

  it('marks read one or all, and hides other people’s notices', async () => {
    const inbox = (await unitAgent.get('/api/notifications')).json();
    const id = inbox.items[0].id as number;
    expect((await unitAgent.post(`/api/notifications/${id}/read`)).json().marked).toBe(1);
    expect((await otherUnitAgent.post(`/api/notifications/${id}/read`)).statusCode).toBe(404);
    await dispatched('再派一个');
    await unitAgent.post('/api/notifications/read-all');
    expect((await unitAgent.get('/api/notifications/unread-count')).json().count).toBe(0);
  });

  it('writes one outbox message per notice for the SMS/WeChat gateway', async () => {
    const rows = await execRows<{ topic: string; payload: { recipients: { userId: number }[] } }>(
      t.database.db,
      sql`select topic, payload from outbox order by id`,
    );
    expect(rows.some((r) => r.topic === 'notice.dispatch')).toBe(true);
    expect(rows.every((r) => r.payload.recipients.length > 0)).toBe(true);
  });
});

describe('三色督办 job', () => {
  it('issues a 督办单 once per step up, tells the unit, and the office on red', async () => {
    const p = await dispatched('督办测试问题');
    await t.database.db.execute(
      sql`update problems set deadline = now() - interval '26 hours' where id = ${p.id}`,
    );
    // more than a day late but maybe not > 3 working days: yellow
    await issueEscalations(t.database);
    await issueEscalations(t.database); // idempotent
    let orders = (await office.get(`/api/escalation-orders`))
      .json()
      .items.filter((o: { problemId: number }) => o.problemId === p.id);
    expect(orders.map((o: { level: string }) => o.level)).toEqual(['yellow']);
    const unitInbox = (await unitAgent.get('/api/notifications')).json().items;
    expect(unitInbox[0]).toMatchObject({ kind: 'escalation_yellow', problemId: p.id });

    await t.database.db.execute(
      sql`update problems set deadline = now() - interval '12 days' where id = ${p.id}`,
    );
    expect(await issueEscalations(t.database)).toBeGreaterThanOrEqual(1);
    orders = (await office.get(`/api/escalation-orders?level=red`))
      .json()
      .items.filter((o: { problemId: number }) => o.problemId === p.id);
    expect(orders).toHaveLength(1);
    expect((await office.get('/api/notifications')).json().items[0]).toMatchObject({
      kind: 'escalation_red',
      problemId: p.id,
    });
    // 督办单 are scoped like problems
    expect((await otherUnitAgent.get('/api/escalation-orders')).json().items).toEqual([]);
    expect(
      (await unitAgent.get('/api/escalation-orders')).json().items.length,
    ).toBeGreaterThanOrEqual(2);
  });

  it('starts the ladder again when the deadline moves', async () => {
    let p = await dispatched('延期后重新督办');
    await t.database.db.execute(
      sql`update problems set deadline = now() - interval '2 days' where id = ${p.id}`,
    );
    await issueEscalations(t.database);
    p = (await office.get(`/api/problems/${p.id}`)).json<TProblemDetail>().problem;
    p = await act(unitAgent, p, 'request_extension', {
      note: '需要时间',
      extensionDeadline: new Date(Date.now() + 86_400_000 * 10).toISOString(),
    });
    await act(office, p, 'approve_extension');
    const [row] = await execRows<{ escalation_issued: string }>(
      t.database.db,
      sql`select escalation_issued from problems where id = ${p.id}`,
    );
    expect(row!.escalation_issued).toBe('none');
  });
});

describe('outbox delivery', () => {
  it('posts signed messages, retries with back-off on failure, and sends each once', async () => {
    const received: { body: string; sig: string; ts: string }[] = [];
    let fail = true;
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (fail) {
          res.statusCode = 502;
          res.end();
          return;
        }
        received.push({
          body,
          sig: String(req.headers['x-signature']),
          ts: String(req.headers['x-timestamp']),
        });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const target = {
      notify: { url: `http://127.0.0.1:${port}/notify`, secret: 'gw-secret' },
      sms: null,
    };
    try {
      const first = await deliverOutbox(t.database, target);
      expect(first.delivered).toBe(0);
      expect(first.failed).toBeGreaterThan(0);
      const [pending] = await execRows<{ attempts: number; later: boolean }>(
        t.database.db,
        sql`select min(attempts)::int as attempts, bool_and(next_attempt_at > now()) as later from outbox where delivered_at is null`,
      );
      expect(pending).toMatchObject({ attempts: 1, later: true });
      // nothing is due yet: no second attempt right away
      expect((await deliverOutbox(t.database, target)).failed).toBe(0);
      fail = false;
      const later = new Date(Date.now() + 5 * 60_000);
      const second = await deliverOutbox(t.database, target, later, 500);
      expect(second.delivered).toBe(first.failed);
      expect((await deliverOutbox(t.database, target, later, 500)).delivered).toBe(0);
      for (const r of received) {
        const expected = createHmac('sha256', 'gw-secret')
          .update(`${r.ts}.${r.body}`)
          .digest('hex');
        expect(r.sig).toBe(`sha256=${expected}`);
      }
    } finally {
      server.close();
    }
  });
});

describe('jobs across app servers', () => {
  it.runIf(process.env.TEST_DB === 'postgres')(
    'runs a job once when two servers try at the same time',
    async () => {
      let runs = 0;
      const job = async () => {
        runs++;
        await new Promise((r) => setTimeout(r, 200));
      };
      const results = await Promise.all([
        runExclusive(t.database, 999001, job),
        runExclusive(t.database, 999001, job),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(runs).toBe(1);
    },
  );
});
