import { eq, sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TProblemDetail } from '../../../core/contracts/problems.js';
import { addWorkingDays } from '../../../core/calendar/working-days.js';
import { problems } from '../../db/schema/index.js';
import { buildRegion, buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';
import {
  act,
  categoriesByCode,
  detailOf,
  expectError,
  expectIllegal,
  expectInvalid,
  report,
  seededCalendar,
  step,
} from '../../test/problems-kit.js';

// Extensions (延期), deferral (缓办) and reopening.

let t: TestApp;
let office: Agent;
let unitA: Agent;
let unitB: Agent;
let inspector: Agent;
let unitAId: number;
let unitBId: number;
let categoryId: number;
let regionId: number;
const table = seededCalendar();
const inWorkingDays = (n: number) => addWorkingDays(new Date(), n, table).toISOString();

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  regionId = (await buildRegion(db, { name: '延期市' })).id;
  unitAId = (await buildUnit(db, { name: '园林局' })).id;
  unitBId = (await buildUnit(db, { name: '交通局' })).id;
  await buildUser(db, { username: 'office1', name: '创建办', roles: ['office'] });
  await buildUser(db, { username: 'unita', name: '园林局周', roles: ['unit'], unitId: unitAId });
  await buildUser(db, { username: 'unitb', name: '交通局吴', roles: ['unit'], unitId: unitBId });
  await buildUser(db, { username: 'insp1', name: '测评员', roles: ['inspector'], regionId });
  office = await t.login('office1');
  unitA = await t.login('unita');
  unitB = await t.login('unitb');
  inspector = await t.login('insp1');
  categoryId = (await categoriesByCode(office)).get('YL01')!.id;
});
afterAll(() => t.close());

const registered = (title: string) =>
  report(office, { title, categoryId, regionId, register: true });

async function dispatched(title: string): Promise<TProblemDetail> {
  return step(office, (await registered(title)).problem, 'dispatch', { unitId: unitAId });
}

const moveDeadline = (id: number, to: SQL) =>
  t.database.db.update(problems).set({ deadline: to }).where(eq(problems.id, id));

describe('problems: extensions', () => {
  it('lets a unit ask for a later deadline and the office approve it', async () => {
    const p = await dispatched('申请延期');
    const current = p.problem.deadline!;
    const asked = inWorkingDays(12);
    expectInvalid(
      await act(unitA, p.problem, 'request_extension', { extensionDeadline: asked }),
      'body.note',
    );
    expectInvalid(
      await act(unitA, p.problem, 'request_extension', { note: '施工' }),
      'body.extensionDeadline',
    );
    const past = new Date(Date.now() - 3600_000).toISOString();
    const inPast = await act(unitA, p.problem, 'request_extension', {
      note: '施工',
      extensionDeadline: past,
    });
    expectInvalid(inPast, 'body.extensionDeadline');
    for (const notLater of [current, new Date(Date.parse(current) - 60_000).toISOString()]) {
      const res = await act(unitA, p.problem, 'request_extension', {
        note: '施工',
        extensionDeadline: notLater,
      });
      expectInvalid(res, 'body.extensionDeadline');
      expect(res.json().error.messageEn).toBe(
        'the new deadline must be later than the current one',
      );
    }
    const body = { note: '需采购苗木', extensionDeadline: asked };
    for (const agent of [office, inspector]) {
      expectError(await act(agent, p.problem, 'request_extension', body), 403, 'forbidden');
    }
    expectError(await act(unitB, p.problem, 'request_extension', body), 404, 'not_found');

    const r = await step(unitA, p.problem, 'request_extension', body);
    expect(r.problem).toMatchObject({
      state: 'dispatched',
      deadline: current,
      extensionPending: true,
      extensionRequestedDeadline: asked,
    });
    expect(r.timeline.at(-1)).toMatchObject({
      action: 'request_extension',
      fromState: 'dispatched',
      toState: 'dispatched',
      actorName: '园林局周',
      note: '需采购苗木',
      data: { from: current, to: asked },
    });
    expect(r.actions).toEqual(['submit']);
    expect((await detailOf(office, p.problem.id)).actions).toEqual([
      'approve_extension',
      'refuse_extension',
      'defer',
      'merge',
    ]);

    const again = await act(unitA, r.problem, 'request_extension', {
      note: '再延',
      extensionDeadline: inWorkingDays(15),
    });
    expectIllegal(again, 'dispatched', 'request_extension');
    expect(again.json().error.messageZh).toContain('有待审批的延期申请');
    expect(again.json().error.messageEn).toContain('an extension request is already waiting');
    const ret = await act(unitA, r.problem, 'return', { note: '不归我们' });
    expectIllegal(ret, 'dispatched', 'return');
    expect(ret.json().error.messageZh).toContain('有待审批的延期申请');
    expectError(await act(unitA, r.problem, 'approve_extension'), 403, 'forbidden');
    expectError(await act(inspector, r.problem, 'approve_extension'), 403, 'forbidden');

    const ok = await step(office, r.problem, 'approve_extension');
    expect(ok.problem).toMatchObject({
      state: 'dispatched',
      deadline: asked,
      extensionPending: false,
      extensionRequestedDeadline: null,
    });
    expect(ok.timeline.at(-1)).toMatchObject({
      action: 'approve_extension',
      fromState: 'dispatched',
      toState: 'dispatched',
      data: { from: current, to: asked },
    });
    const none = await act(office, ok.problem, 'approve_extension');
    expectIllegal(none, 'dispatched', 'approve_extension');
    expect(none.json().error.messageEn).toContain('there is no extension request to decide');
    expect((await detailOf(unitA, p.problem.id)).actions).toEqual([
      'return',
      'submit',
      'request_extension',
    ]);
  });

  it('lets the office grant another date, or refuse with a reason', async () => {
    let p = await dispatched('另定期限');
    const current = p.problem.deadline!;
    p = await step(unitA, p.problem, 'request_extension', {
      note: '雨季',
      extensionDeadline: inWorkingDays(20),
    });
    const past = new Date(Date.now() - 1000).toISOString();
    expectInvalid(
      await act(office, p.problem, 'approve_extension', { deadline: past }),
      'body.deadline',
    );
    const granted = inWorkingDays(6);
    p = await step(office, p.problem, 'approve_extension', { deadline: granted });
    expect(p.problem).toMatchObject({ deadline: granted, extensionPending: false });
    expect(p.timeline.at(-1)!.data).toEqual({ from: current, to: granted });

    p = await step(unitA, p.problem, 'request_extension', {
      note: '还要时间',
      extensionDeadline: inWorkingDays(30),
    });
    expectInvalid(await act(office, p.problem, 'refuse_extension'), 'body.note');
    p = await step(office, p.problem, 'refuse_extension', { note: '期限已够' });
    expect(p.problem).toMatchObject({
      state: 'dispatched',
      deadline: granted,
      extensionPending: false,
      extensionRequestedDeadline: null,
    });
    expect(p.timeline.at(-1)).toMatchObject({ action: 'refuse_extension', note: '期限已够' });
  });

  it('lifts an overdue problem out of escalation when its extension is approved', async () => {
    let p = await dispatched('逾期后延期');
    await moveDeadline(p.problem.id, sql`now() - interval '3 hours'`);
    p = await detailOf(unitA, p.problem.id);
    expect(p.problem.escalation).toBe('yellow');
    p = await step(unitA, p.problem, 'request_extension', {
      note: '补救',
      extensionDeadline: inWorkingDays(10),
    });
    expect(p.problem.escalation).toBe('yellow');
    p = await step(office, p.problem, 'approve_extension');
    expect(p.problem.escalation).toBe('none');
  });
});

describe('problems: defer and resume', () => {
  it('pauses the clock while deferred and moves the deadline by the pause', async () => {
    let p = await dispatched('缓办');
    p = await step(unitA, p.problem, 'request_extension', {
      note: '延期',
      extensionDeadline: inWorkingDays(10),
    });
    expectInvalid(await act(office, p.problem, 'defer'), 'body.note');
    for (const agent of [unitA, inspector]) {
      expectError(await act(agent, p.problem, 'defer', { note: '缓' }), 403, 'forbidden');
    }
    const deadline = p.problem.deadline!;
    p = await step(office, p.problem, 'defer', { note: '等待管线施工' });
    expect(p.problem).toMatchObject({
      state: 'deferred',
      unitId: unitAId,
      deadline,
      extensionPending: false,
      extensionRequestedDeadline: null,
      escalation: 'none',
    });
    expect(p.actions).toEqual(['resume', 'merge']);
    expect(p.timeline.at(-1)).toMatchObject({
      action: 'defer',
      fromState: 'dispatched',
      toState: 'deferred',
      note: '等待管线施工',
    });

    // As if it had been deferred two days ago.
    await t.database.db
      .update(problems)
      .set({ deferredAt: sql`deferred_at - interval '2 days'` })
      .where(eq(problems.id, p.problem.id));
    const [row] = await t.database.db
      .select({ deferredAt: problems.deferredAt })
      .from(problems)
      .where(eq(problems.id, p.problem.id));
    for (const agent of [unitA, inspector]) {
      expectError(await act(agent, p.problem, 'resume'), 403, 'forbidden');
    }
    p = await step(office, p.problem, 'resume');
    const resumedAt = Date.parse(p.timeline.at(-1)!.at);
    const paused = resumedAt - row!.deferredAt!.getTime();
    expect(paused).toBeGreaterThanOrEqual(48 * 3600_000);
    expect(p.problem).toMatchObject({
      state: 'dispatched',
      unitId: unitAId,
      deadline: new Date(Date.parse(deadline) + paused).toISOString(),
    });
    expect(p.timeline.at(-1)).toMatchObject({
      action: 'resume',
      fromState: 'deferred',
      toState: 'dispatched',
      data: { pausedHours: 48, deadline: p.problem.deadline },
    });
    expect((await detailOf(unitA, p.problem.id)).actions).toContain('submit');
  });

  it('resumes a problem deferred before dispatch as registered', async () => {
    for (const from of ['registered', 'returned'] as const) {
      let p = await registered(`缓办于${from}`);
      if (from === 'returned') {
        p = await step(office, p.problem, 'dispatch', { unitId: unitAId });
        p = await step(unitA, p.problem, 'return', { note: '非本单位' });
      }
      p = await step(office, p.problem, 'defer', { note: '暂缓' });
      expect(p.timeline.at(-1)).toMatchObject({ fromState: from, toState: 'deferred' });
      p = await step(office, p.problem, 'resume');
      expect(p.problem).toMatchObject({ state: 'registered', unitId: null, deadline: null });
      expect(p.actions).toEqual(['dispatch', 'defer', 'merge']);
    }
  });
});

describe('problems: reopen', () => {
  it('reopens a closed problem for a new dispatch', async () => {
    let p = await dispatched('重新打开');
    p = await step(unitA, p.problem, 'submit', { note: '已补种' });
    p = await step(inspector, p.problem, 'approve');
    expectInvalid(await act(office, p.problem, 'reopen'), 'body.note');
    for (const agent of [unitA, inspector]) {
      expectError(await act(agent, p.problem, 'reopen', { note: '复发' }), 403, 'forbidden');
    }
    p = await step(office, p.problem, 'reopen', { note: '群众再次反映' });
    expect(p.problem).toMatchObject({
      state: 'registered',
      unitId: null,
      deadline: null,
      closedAt: null,
      submittedAt: null,
    });
    expect(p.timeline.at(-1)).toMatchObject({
      action: 'reopen',
      fromState: 'closed',
      toState: 'registered',
      note: '群众再次反映',
    });
    expectError(await unitA.get(`/api/problems/${p.problem.id}`), 404, 'not_found');
    p = await step(office, p.problem, 'dispatch', { unitId: unitBId });
    expect(p.problem).toMatchObject({ state: 'dispatched', unitId: unitBId });
    expect(p.timeline.map((e) => e.action)).toEqual([
      'create',
      'dispatch',
      'submit',
      'approve',
      'reopen',
      'dispatch',
    ]);
  });

  it('reopens a rejected problem', async () => {
    let p = await report(office, { title: '误判驳回', categoryId, regionId });
    p = await step(office, p.problem, 'reject', { note: '不属于创建范围' });
    p = await step(office, p.problem, 'reopen', { note: '复核后立案' });
    expect(p.problem.state).toBe('registered');
    expect(p.timeline.map((e) => [e.action, e.toState])).toEqual([
      ['create', 'reported'],
      ['reject', 'rejected'],
      ['reopen', 'registered'],
    ]);
    expectIllegal(await act(office, p.problem, 'reopen', { note: '再' }), 'registered', 'reopen');
  });
});
