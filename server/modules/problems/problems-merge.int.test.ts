import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  TKpiResponse,
  TProblem,
  TProblemDetail,
  TProblemMerges,
} from '../../../core/contracts/problems.js';
import { addWorkingDays } from '../../../core/calendar/working-days.js';
import { execRows } from '../../db/client.js';
import { buildRegion, buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type Res, type TestApp } from '../../test/harness.js';
import { testJpeg } from '../../test/images.js';
import {
  categoriesByCode,
  detailOf,
  expectError,
  expectIllegal,
  expectInvalid,
  report,
  seededCalendar,
  step,
} from '../../test/problems-kit.js';
import { issueEscalations } from './escalation-job.js';

// 合并: the office folds a duplicate into another open problem.

const SECRET = 'merge-hotline-secret';
let t: TestApp;
let office: Agent;
let unitA: Agent;
let unitB: Agent;
let leader: Agent;
let unitAId: number;
let unitBId: number;
let regionId: number;
let categoryId: number;
let otherCategoryId: number;

// A place in the demo city and a point about 10 m east of it.
const HERE = { lat: 30.2741, lng: 120.1551 };
const NEAR = { lat: 30.2741, lng: 120.1552 };
let spot = 0;
/** A fresh place for each scenario, about 1 km apart, so suggestions do not mix. */
const place = () => {
  spot++;
  return { lat: 30.2 + spot * 0.01, lng: 120.1 };
};

const merge = (agent: Agent, p: { id: number; version: number }, body: Record<string, unknown>) =>
  agent.post(`/api/problems/${p.id}/merge`, { version: p.version, ...body });

async function merged(
  agent: Agent,
  p: { id: number; version: number },
  intoId: number,
  note?: string,
): Promise<TProblemDetail> {
  const res = await merge(agent, p, { intoId, note });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<TProblemDetail>();
}

async function photo(agent: Agent, color: string): Promise<string> {
  const res = await agent.upload('/api/files', await testJpeg({ color }), 'p.jpg');
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

const later = () => addWorkingDays(new Date(), 10, seededCalendar()).toISOString();

/** Reported by the office, registered and dispatched (to unit A unless told). */
async function dispatched(
  body: Record<string, unknown> = {},
  unitId = unitAId,
): Promise<TProblemDetail> {
  const p = await report(office, { categoryId, regionId, register: true, ...body });
  return step(office, p.problem, 'dispatch', { unitId, deadline: later() });
}

async function closed(body: Record<string, unknown> = {}): Promise<TProblemDetail> {
  const p = await dispatched(body);
  const s = await step(unitA, p.problem, 'submit', { note: '已整改' });
  return step(office, s.problem, 'approve');
}

const mergesOf = async (agent: Agent, id: number) => {
  const res = await agent.get(`/api/problems/${id}/merges`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<TProblemMerges>();
};

beforeAll(async () => {
  t = await createTestApp({ HOTLINE_WEBHOOK_SECRET: SECRET });
  const db = t.database.db;
  regionId = (await buildRegion(db, { name: '合并区' })).id;
  unitAId = (await buildUnit(db, { name: '合并甲单位' })).id;
  unitBId = (await buildUnit(db, { name: '合并乙单位' })).id;
  await buildUser(db, { username: 'm_office', name: '创建办', roles: ['office'] });
  await buildUser(db, { username: 'm_unita', roles: ['unit'], unitId: unitAId });
  await buildUser(db, { username: 'm_unitb', roles: ['unit'], unitId: unitBId });
  await buildUser(db, { username: 'm_leader', roles: ['leader'] });
  office = await t.login('m_office');
  unitA = await t.login('m_unita');
  unitB = await t.login('m_unitb');
  leader = await t.login('m_leader');
  const cats = await categoriesByCode(office);
  categoryId = cats.get('HJ01')!.id;
  otherCategoryId = cats.get('HJ02')!.id;
});
afterAll(() => t.close());

describe('merging a duplicate', () => {
  it('suggests the nearby open problem, merges into it, and shows it on both sides', async () => {
    const photoA = await photo(office, '#a33');
    const photoB = await photo(office, '#3a3');
    const primary = await report(office, {
      title: '解放路垃圾堆积',
      categoryId,
      regionId,
      ...HERE,
      photoIds: [photoA],
    });
    const dup = await dispatched({ title: '解放路口垃圾未清', ...NEAR, photoIds: [photoB] });
    const deadline = dup.problem.deadline;
    expect(deadline).not.toBeNull();
    // the suggestions: same category, within 50 m, open; not another category, not itself
    await report(office, { title: '另一类问题', categoryId: otherCategoryId, ...NEAR });
    const similar = (await office.get(`/api/problems/${dup.problem.id}/similar`)).json<{
      items: { id: number; code: string; distanceM: number }[];
    }>();
    expect(similar.items.map((s) => s.id)).toEqual([primary.problem.id]);
    expect(similar.items[0]!.distanceM).toBeGreaterThan(5);
    expect(similar.items[0]!.distanceM).toBeLessThan(15);

    const unitInbox = async () =>
      (await unitA.get('/api/notifications')).json<{ items: { kind: string }[] }>().items;
    const noticesBefore = (await unitInbox()).length;
    const out = await merged(office, dup.problem, primary.problem.id, '同一处垃圾，重复上报');
    expect(out.problem).toMatchObject({
      state: 'merged',
      mergedIntoId: primary.problem.id,
      deadline: null,
      escalation: 'none',
      extensionPending: false,
      version: dup.problem.version + 1,
      // the unit it was dispatched to stays on the record (and the unit still sees it)
      unitId: unitAId,
    });
    expect(out.actions).toEqual([]);
    expect(out.timeline.at(-1)).toMatchObject({
      action: 'merge',
      fromState: 'dispatched',
      toState: 'merged',
      actorName: '创建办',
      note: '同一处垃圾，重复上报',
      data: {
        intoId: primary.problem.id,
        intoCode: primary.problem.code,
        deadline,
        unitId: unitAId,
      },
    });

    // the primary: same state and version, an 'absorb' entry, and the duplicate's photo
    const p = await detailOf(office, primary.problem.id);
    expect(p.problem).toMatchObject({ state: 'reported', version: primary.problem.version });
    const absorb = p.timeline.at(-1)!;
    expect(absorb).toMatchObject({
      action: 'absorb',
      fromState: 'reported',
      toState: 'reported',
      note: '同一处垃圾，重复上报',
      data: { duplicateId: dup.problem.id, duplicateCode: dup.problem.code },
    });
    expect(p.photos.map((x) => [x.id, x.stage])).toEqual([
      [photoA, 'before'],
      [photoB, 'before'],
    ]);
    expect(p.photos[1]!.eventId).toBe(absorb.id);
    // linked, not copied: the same file, still in the duplicate's gallery too
    expect((await detailOf(office, dup.problem.id)).photos.map((x) => x.id)).toEqual([photoB]);
    const files = await execRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from files where id in (${photoA}, ${photoB})`,
    );
    expect(files[0]!.n).toBe(2);

    expect(await mergesOf(office, dup.problem.id)).toEqual({
      mergedInto: {
        id: primary.problem.id,
        code: primary.problem.code,
        title: '解放路垃圾堆积',
        state: 'reported',
      },
      absorbed: [],
    });
    const m = await mergesOf(office, primary.problem.id);
    expect(m.mergedInto).toBeNull();
    expect(m.absorbed).toEqual([
      {
        id: dup.problem.id,
        code: dup.problem.code,
        title: '解放路口垃圾未清',
        state: 'merged',
        mergedAt: out.timeline.at(-1)!.at,
      },
    ]);

    // the unit hears that it need not work on it any more
    const inbox = await unitInbox();
    expect(inbox).toHaveLength(noticesBefore + 1);
    expect(inbox[0]).toMatchObject({ kind: 'merge', problemId: dup.problem.id });

    // the ledger filters by the new state; a merged problem is no longer suggested
    const ledger = (await office.get('/api/problems?state=merged')).json<{ items: TProblem[] }>();
    expect(ledger.items.map((i) => i.id)).toContain(dup.problem.id);
    const third = await report(office, { title: '第三次上报', categoryId, ...HERE });
    expect(third.similar?.map((s) => s.id)).toEqual([primary.problem.id]);

    // audited, with both problems
    const audit = await execRows<{ before: { state: string }; after: Record<string, unknown> }>(
      t.database.db,
      sql`select before, after from audit_log
          where action = 'problem.merge' and entity_id = ${String(dup.problem.id)}`,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.before.state).toBe('dispatched');
    expect(audit[0]!.after).toMatchObject({
      state: 'merged',
      mergedIntoId: primary.problem.id,
      photosLinked: 1,
    });
  });

  it('moves what the duplicate had absorbed on to the new primary: never a chain', async () => {
    const at = place();
    const photoY = await photo(office, '#33a');
    const y = await report(office, { title: '问题Y', categoryId, ...at, photoIds: [photoY] });
    const a = await report(office, { title: '问题A', categoryId, ...at });
    const c = await report(office, { title: '问题C', categoryId, ...at });
    await merged(office, y.problem, a.problem.id);
    const aNow = await detailOf(office, a.problem.id);
    expect(aNow.photos.map((x) => x.id)).toEqual([photoY]);
    await merged(office, aNow.problem, c.problem.id);

    const yNow = await detailOf(office, y.problem.id);
    expect(yNow.problem).toMatchObject({ state: 'merged', mergedIntoId: c.problem.id });
    expect(yNow.timeline.at(-1)).toMatchObject({
      action: 'merge',
      fromState: 'merged',
      toState: 'merged',
      data: { intoId: c.problem.id, viaId: a.problem.id, viaCode: a.problem.code },
    });
    const cNow = await detailOf(office, c.problem.id);
    expect(cNow.photos.map((x) => x.id)).toEqual([photoY]);
    expect(cNow.timeline.at(-1)).toMatchObject({
      action: 'absorb',
      data: { duplicateId: a.problem.id, also: [y.problem.code] },
    });
    expect((await mergesOf(office, c.problem.id)).absorbed.map((x) => x.id)).toEqual([
      y.problem.id,
      a.problem.id,
    ]);
    expect((await mergesOf(office, a.problem.id)).absorbed).toEqual([]);
    const chains = await execRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from problems d join problems p on p.id = d.merged_into_id
          where p.state = 'merged'`,
    );
    expect(chains[0]!.n).toBe(0);
  });
});

describe('merge refusals', () => {
  it('refuses merging a problem into itself (400)', async () => {
    const p = await report(office, { title: '自己', categoryId, ...place() });
    expectInvalid(await merge(office, p.problem, { intoId: p.problem.id }), 'body.intoId');
  });

  it('refuses a merged target and says where it went (409)', async () => {
    const at = place();
    const a = await report(office, { title: '问题A', categoryId, ...at });
    const b = await report(office, { title: '问题B', categoryId, ...at });
    const x = await report(office, { title: '问题X', categoryId, ...at });
    await merged(office, b.problem, a.problem.id);
    // someone merges into B later: B was merged into A
    const res = await merge(office, x.problem, { intoId: b.problem.id });
    expectError(res, 409, 'merge_refused');
    const { messageZh, messageEn } = res.json().error;
    expect(messageZh).toBe(
      `${b.problem.code} 已合并至 ${a.problem.code}，不能合并到已合并的问题；请合并到 ${a.problem.code}`,
    );
    expect(messageEn).toContain(`merge into ${a.problem.code} instead`);
    // and merging A back into B, which went into A
    const back = await merge(office, (await detailOf(office, a.problem.id)).problem, {
      intoId: b.problem.id,
    });
    expectError(back, 409, 'merge_refused');
    expect(back.json().error.messageZh).toBe(
      `${b.problem.code} 已合并至本问题，不能再把本问题合并到它`,
    );
    expect((await detailOf(office, x.problem.id)).problem.version).toBe(x.problem.version);
  });

  it('refuses a closed or rejected target (409)', async () => {
    const at = place();
    const done = await closed({ title: '已销号的', ...at });
    const rejected = await step(
      office,
      (await report(office, { title: '不予立案的', categoryId, ...at })).problem,
      'reject',
      { note: '不属于创城问题' },
    );
    const x = await report(office, { title: '问题X', categoryId, ...at });
    const toClosed = await merge(office, x.problem, { intoId: done.problem.id });
    expectError(toClosed, 409, 'merge_refused');
    expect(toClosed.json().error.messageZh).toBe(
      `${done.problem.code} 当前为“已销号”，不能合并到已办结的问题`,
    );
    expectError(
      await merge(office, x.problem, { intoId: rejected.problem.id }),
      409,
      'merge_refused',
    );
  });

  it('refuses a duplicate that is closed, rejected or merged already (409)', async () => {
    const at = place();
    const target = await report(office, { title: '目标', categoryId, ...at });
    const done = await closed({ title: '已销号', ...at });
    expectIllegal(
      await merge(office, done.problem, { intoId: target.problem.id }),
      'closed',
      'merge',
    );
    const rejected = await step(
      office,
      (await report(office, { title: '不予立案', categoryId, ...at })).problem,
      'reject',
      { note: '重复' },
    );
    expectIllegal(
      await merge(office, rejected.problem, { intoId: target.problem.id }),
      'rejected',
      'merge',
    );
    const other = await report(office, { title: '另一个目标', categoryId, ...at });
    const m = await merged(
      office,
      (await report(office, { title: '重复', categoryId })).problem,
      target.problem.id,
    );
    expectIllegal(await merge(office, m.problem, { intoId: other.problem.id }), 'merged', 'merge');
    // nothing can happen to a merged problem: not even reopening
    const reopen = await office.post(`/api/problems/${m.problem.id}/actions`, {
      action: 'reopen',
      version: m.problem.version,
      note: '重新打开',
    });
    expectIllegal(reopen, 'merged', 'reopen');
    // and the generic actions endpoint does not take 'merge'
    const generic = await office.post(`/api/problems/${other.problem.id}/actions`, {
      action: 'merge',
      version: other.problem.version,
    });
    expectInvalid(generic, 'body.action');
  });

  it('is the office’s: others get 403 before any lookup, unknown problems 404', async () => {
    const at = place();
    const mine = await report(unitA, { title: '甲自查', categoryId, regionId, ...at });
    const mineToo = await report(unitA, { title: '甲自查2', categoryId, regionId, ...at });
    const theirs = await report(unitB, { title: '乙自查', categoryId, regionId, ...at });
    // in its scope, but not the office: 403
    expectError(await merge(unitA, mine.problem, { intoId: mineToo.problem.id }), 403, 'forbidden');
    expectError(
      await merge(leader, mine.problem, { intoId: mineToo.problem.id }),
      403,
      'forbidden',
    );
    // outside the scope too: a unit may never merge, so it is refused before any lookup (403), and
    // the answer does not tell it whether the other problem exists (#16)
    expectError(await merge(unitB, mine.problem, { intoId: theirs.problem.id }), 403, 'forbidden');
    expectError(await merge(unitA, mine.problem, { intoId: theirs.problem.id }), 403, 'forbidden');
    expectError(await merge(office, mine.problem, { intoId: 999_999_999 }), 404, 'not_found');
    // suggestions are scoped too
    const forA = (await unitA.get(`/api/problems/${mine.problem.id}/similar`)).json<{
      items: { id: number }[];
    }>();
    expect(forA.items.map((i) => i.id)).toEqual([mineToo.problem.id]);
    const forOffice = (await office.get(`/api/problems/${mine.problem.id}/similar`)).json<{
      items: { id: number }[];
    }>();
    expect(forOffice.items.map((i) => i.id).sort()).toEqual(
      [mineToo.problem.id, theirs.problem.id].sort(),
    );
    expectError(await unitB.get(`/api/problems/${mine.problem.id}/similar`), 404, 'not_found');
    expectError(await unitB.get(`/api/problems/${mine.problem.id}/merges`), 404, 'not_found');
    // what was absorbed is listed only where the reader may see it
    await merged(office, theirs.problem, mine.problem.id);
    expect((await mergesOf(unitA, mine.problem.id)).absorbed).toEqual([]);
    expect((await mergesOf(office, mine.problem.id)).absorbed.map((a) => a.id)).toEqual([
      theirs.problem.id,
    ]);
    // a problem without a place has no suggestions
    const nowhere = await report(office, { title: '无位置', categoryId });
    expect((await office.get(`/api/problems/${nowhere.problem.id}/similar`)).json()).toEqual({
      items: [],
    });
  });

  it('refuses a stale version (409): of two merges at once, one wins', async () => {
    const at = place();
    const dup = await report(office, { title: '重复', categoryId, ...at });
    const a = await report(office, { title: '问题A', categoryId, ...at });
    const b = await report(office, { title: '问题B', categoryId, ...at });
    expectError(
      await merge(
        office,
        { id: dup.problem.id, version: dup.problem.version + 1 },
        {
          intoId: a.problem.id,
        },
      ),
      409,
      'stale_version',
    );
    const [r1, r2] = await Promise.all([
      merge(office, dup.problem, { intoId: a.problem.id }),
      merge(office, dup.problem, { intoId: b.problem.id }),
    ]);
    expect([r1.statusCode, r2.statusCode].sort()).toEqual([200, 409]);
    const loser = r1.statusCode === 409 ? r1 : r2;
    expect(loser.json().error.code).toBe('stale_version');
    const now = await detailOf(office, dup.problem.id);
    const winner = r1.statusCode === 200 ? a : b;
    expect(now.problem.mergedIntoId).toBe(winner.problem.id);
    expect(now.timeline.filter((e) => e.action === 'merge')).toHaveLength(1);
  });
});

describe('a merged problem is finished', () => {
  let unitCId: number;
  const kpiRow = async (from: string) => {
    const to = new Date(Date.now() + 60_000).toISOString();
    const res = await office.get(`/api/problems/kpis?groupBy=unit&from=${from}&to=${to}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<TKpiResponse>().rows.find((r) => r.key === unitCId);
  };

  it('is not due in the KPIs, not overdue in the ledger and gets no 督办', async () => {
    unitCId = (await buildUnit(t.database.db, { name: '考核单位' })).id;
    const from = new Date(Date.now() - 60_000).toISOString();
    const at = place();
    const primary = await dispatched({ title: '主问题', ...at }, unitCId);
    const dup = await dispatched({ title: '重复问题', ...at }, unitCId);
    // both overdue
    await t.database.db.execute(
      sql`update problems set deadline = now() - interval '2 days'
          where id in (${primary.problem.id}, ${dup.problem.id})`,
    );
    const before = await kpiRow(from);
    expect(before).toMatchObject({ due: 2, closed: 0 });
    const overdue = async () =>
      (await office.get(`/api/problems?overdue=true&unitId=${unitCId}`))
        .json<{ items: TProblem[] }>()
        .items.map((p) => p.id);
    expect(await overdue()).toEqual(expect.arrayContaining([dup.problem.id]));

    const out = await merged(
      office,
      (await detailOf(office, dup.problem.id)).problem,
      primary.problem.id,
    );
    expect(out.problem).toMatchObject({ deadline: null, escalation: 'none' });
    expect(await kpiRow(from)).toMatchObject({ due: 1, closed: 0, closeRate: 0 });
    expect(await overdue()).not.toContain(dup.problem.id);
    // even with a deadline on the record, a merged problem stays out of the cohort
    await t.database.db.execute(
      sql`update problems set deadline = now() - interval '2 days' where id = ${dup.problem.id}`,
    );
    expect(await kpiRow(from)).toMatchObject({ due: 1 });
    expect((await detailOf(office, dup.problem.id)).problem.escalation).toBe('none');
    await issueEscalations(t.database);
    const orders = await execRows<{ problem_id: number | string }>(
      t.database.db,
      sql`select problem_id from escalation_orders
          where problem_id in (${primary.problem.id}, ${dup.problem.id})`,
    );
    expect(orders.map((o) => Number(o.problem_id))).toEqual([primary.problem.id]);
  });
});

describe('a merged 12345 order', () => {
  const send = (body: unknown): Promise<Res> => {
    const raw = JSON.stringify(body);
    const ts = String(Math.floor(Date.now() / 1000));
    const sig = createHmac('sha256', SECRET).update(`${ts}.${raw}`).digest('hex');
    return t.app.inject({
      method: 'POST',
      url: '/api/intake/hotline',
      headers: {
        'content-type': 'application/json',
        'x-timestamp': ts,
        'x-signature': `sha256=${sig}`,
      },
      payload: raw,
    });
  };

  it('still resolves to the same problem when the order is sent again', async () => {
    const at = place();
    const order = { orderNo: 'M-12345-1', content: '小区门口垃圾堆积', category: 'HJ01', ...at };
    const first = await send(order);
    expect(first.statusCode, first.body).toBe(201);
    const id = first.json<{ id: number }>().id;
    const primary = await report(office, { title: '小区门口垃圾', categoryId, ...at });
    await merged(office, (await detailOf(office, id)).problem, primary.problem.id);

    const again = await send(order);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ id, created: false });
    const rows = await execRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from problems where external_ref = 'M-12345-1'`,
    );
    expect(rows[0]!.n).toBe(1);
    expect((await detailOf(office, id)).problem).toMatchObject({
      state: 'merged',
      mergedIntoId: primary.problem.id,
      externalRef: 'M-12345-1',
    });
  });
});
