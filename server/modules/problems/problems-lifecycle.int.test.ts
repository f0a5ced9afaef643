import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAuditRecord } from '../../../core/contracts/audit.js';
import type { TCategory, TProblem, TProblemDetail } from '../../../core/contracts/problems.js';
import { addWorkingDays } from '../../../core/calendar/working-days.js';
import { units } from '../../db/schema/index.js';
import type { UnitRow } from '../org/units.repo.js';
import { buildRegion, buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type Res, type TestApp } from '../../test/harness.js';
import {
  act,
  categoriesByCode,
  detailOf,
  expectEndOfWorkingDay,
  expectError,
  expectIllegal,
  expectInvalid,
  report,
  ruleDeadlines,
  seededCalendar,
  step,
} from '../../test/problems-kit.js';

let t: TestApp;
let office: Agent;
let admin: Agent;
let unitA: Agent;
let unitB: Agent;
let inspector: Agent;
let leader: Agent;
let surveyor: Agent;
let rowA: UnitRow;
let rowB: UnitRow;
let regionId: number;
let cats: Map<string, TCategory>;
const table = seededCalendar();

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  regionId = (await buildRegion(db, { name: '生命周期市' })).id;
  rowA = await buildUnit(db, { name: '市容环卫局' });
  rowB = await buildUnit(db, { name: '市政管理处' });
  await buildUser(db, { username: 'office1', name: '创建办王主任', roles: ['office'] });
  await buildUser(db, { username: 'admin1', name: '管理员', roles: ['admin'] });
  await buildUser(db, {
    username: 'unita',
    name: '环卫局李科长',
    roles: ['unit'],
    unitId: rowA.id,
  });
  await buildUser(db, { username: 'unitb', name: '市政处孙', roles: ['unit'], unitId: rowB.id });
  await buildUser(db, { username: 'insp1', name: '测评员赵', roles: ['inspector'], regionId });
  await buildUser(db, { username: 'leader1', name: '领导钱', roles: ['leader'] });
  await buildUser(db, { username: 'surv1', name: '调查员周', roles: ['surveyor'] });
  office = await t.login('office1');
  admin = await t.login('admin1');
  unitA = await t.login('unita');
  unitB = await t.login('unitb');
  inspector = await t.login('insp1');
  leader = await t.login('leader1');
  surveyor = await t.login('surv1');
  cats = await categoriesByCode(office);
});
afterAll(() => t.close());

const cat = (code: string) => cats.get(code)!.id;

const registered = (title = '登记的问题', extra: Record<string, unknown> = {}) =>
  report(office, { title, categoryId: cat('HJ01'), regionId, register: true, ...extra });

async function dispatched(title = '派遣的问题'): Promise<TProblemDetail> {
  const p = await registered(title);
  return step(office, p.problem, 'dispatch', { unitId: rowA.id });
}

async function submitted(title = '待核查的问题'): Promise<TProblemDetail> {
  const p = await dispatched(title);
  return step(unitA, p.problem, 'submit', { note: '已整改完毕' });
}

describe('problems: register and reject', () => {
  it('lets only the office register a reported problem', async () => {
    const p = await report(office, { title: '人民路暴露垃圾', categoryId: cat('HJ01'), regionId });
    expect(p.problem).toMatchObject({
      state: 'reported',
      channel: 'office',
      unitId: null,
      deadline: null,
      registeredAt: null,
      escalation: 'none',
      version: 1,
    });
    expect(p.actions).toEqual(['register', 'reject', 'merge']);
    expect(p.timeline).toMatchObject([
      { action: 'create', fromState: null, toState: 'reported', actorName: '创建办王主任' },
    ]);
    for (const agent of [inspector, leader, surveyor]) {
      expectError(await act(agent, p.problem, 'register'), 403, 'forbidden');
    }
    // Registering is never a unit's step: refused before the problem is looked up (#16), so a unit
    // cannot learn whether a problem that is not its own exists.
    expectError(await act(unitA, p.problem, 'register'), 403, 'forbidden');

    const after = await step(office, p.problem, 'register');
    expect(after.problem).toMatchObject({ state: 'registered', version: 2 });
    expect(after.problem.registeredAt).not.toBeNull();
    expect(after.actions).toEqual(['dispatch', 'defer', 'merge']);
    expect(after.timeline.map((e) => [e.action, e.fromState, e.toState, e.actorName])).toEqual([
      ['create', null, 'reported', '创建办王主任'],
      ['register', 'reported', 'registered', '创建办王主任'],
    ]);
    expectIllegal(await act(office, after.problem, 'register'), 'registered', 'register');
  });

  it('refuses a unit registering its own self-report', async () => {
    const own = await report(unitA, { title: '单位自查井盖', categoryId: cat('SS01') });
    expect(own.actions).toEqual([]);
    expectError(await act(unitA, own.problem, 'register'), 403, 'forbidden');
    expectError(await act(unitA, own.problem, 'reject', { note: '无' }), 403, 'forbidden');
    expect((await detailOf(office, own.problem.id)).problem.state).toBe('reported');
  });

  it('needs a reason to reject, and a rejected problem only reopens', async () => {
    const p = await report(office, { title: '重复投诉', categoryId: cat('ZX01'), regionId });
    expectInvalid(await act(office, p.problem, 'reject'), 'body.note');
    expectInvalid(await act(office, p.problem, 'reject', { note: '   ' }), 'body.note');
    expectError(await act(inspector, p.problem, 'reject', { note: '重复' }), 403, 'forbidden');
    const after = await step(office, p.problem, 'reject', { note: '与WT-1重复' });
    expect(after.problem.state).toBe('rejected');
    expect(after.actions).toEqual(['reopen']);
    expect(after.timeline.at(-1)).toMatchObject({
      action: 'reject',
      fromState: 'reported',
      toState: 'rejected',
      note: '与WT-1重复',
      actorName: '创建办王主任',
    });
    const dispatch = await act(office, after.problem, 'dispatch', { unitId: rowA.id });
    expectIllegal(dispatch, 'rejected', 'dispatch');
    expect(dispatch.json().error.messageZh).toBe('问题当前为“不予立案”，不能“派遣”');
    expect(dispatch.json().error.messageEn).toBe('the problem is "Rejected": cannot dispatch');
  });

  it('creates a registered problem at once with register: true', async () => {
    const p = await registered('直接立案');
    expect(p.problem.state).toBe('registered');
    expect(p.problem.registeredAt).not.toBeNull();
    expect(p.timeline).toMatchObject([
      { action: 'create', fromState: null, toState: 'registered' },
    ]);
    expect(p.actions).toEqual(['dispatch', 'defer', 'merge']);
  });
});

describe('problems: dispatch', () => {
  it.each([
    ['HJ01', 'normal', 2],
    ['XC', 'urgent', 3],
    ['SS01', 'critical', 1],
  ] as const)(
    'defaults the deadline of %s (%s) to %i working days',
    async (code, severity, days) => {
      const p = await registered(`期限${code}`, { categoryId: cat(code), severity });
      const before = new Date();
      const d = await step(office, p.problem, 'dispatch', { unitId: rowA.id });
      const after = new Date();
      expect(d.problem).toMatchObject({
        state: 'dispatched',
        unitId: rowA.id,
        unitName: '市容环卫局',
      });
      expect(ruleDeadlines(before, after, days, table)).toContain(d.problem.deadline);
      expectEndOfWorkingDay(d.problem.deadline!, table);
      expect(Date.parse(d.problem.dispatchedAt!)).toBeGreaterThanOrEqual(before.getTime());
      // Due by the end of the next working day: the blue reminder is on at once.
      expect(d.problem.escalation).toBe(days === 1 ? 'blue' : 'none');
      expect(d.timeline.at(-1)).toMatchObject({
        action: 'dispatch',
        fromState: 'registered',
        toState: 'dispatched',
        data: { unitId: rowA.id, unitName: '市容环卫局', deadline: d.problem.deadline },
      });
      expect((await detailOf(unitA, p.problem.id)).actions).toEqual([
        'return',
        'submit',
        'request_extension',
      ]);
      expectError(await unitB.get(`/api/problems/${p.problem.id}`), 404, 'not_found');
    },
  );

  it('takes an explicit future deadline, refuses a past one and checks the unit', async () => {
    const p = await registered('指定期限');
    const past = new Date(Date.now() - 60_000).toISOString();
    expectInvalid(
      await act(office, p.problem, 'dispatch', { unitId: rowA.id, deadline: past }),
      'body.deadline',
    );
    expectInvalid(await act(office, p.problem, 'dispatch'), 'body.unitId');
    const missing = await act(office, p.problem, 'dispatch', { unitId: 987654 });
    expectError(missing, 404, 'not_found');
    expect(missing.json().error.messageEn).toBe('unit not found (987654)');
    const closedUnit = await buildUnit(t.database.db, { name: '已撤销单位' });
    await t.database.db.update(units).set({ active: false }).where(eq(units.id, closedUnit.id));
    expectError(
      await act(office, p.problem, 'dispatch', { unitId: closedUnit.id }),
      404,
      'not_found',
    );
    for (const agent of [inspector, leader, surveyor]) {
      expectError(await act(agent, p.problem, 'dispatch', { unitId: rowA.id }), 403, 'forbidden');
    }
    expect((await detailOf(office, p.problem.id)).problem).toMatchObject({
      state: 'registered',
      version: p.problem.version,
    });

    const wanted = addWorkingDays(new Date(), 10, table);
    const shanghai = new Date(wanted.getTime() + 8 * 3600_000).toISOString().replace('Z', '+08:00');
    const d = await step(office, p.problem, 'dispatch', { unitId: rowB.id, deadline: shanghai });
    expect(d.problem.deadline).toBe(wanted.toISOString());
    expect(d.problem.escalation).toBe('none');
    expectIllegal(
      await act(office, d.problem, 'dispatch', { unitId: rowA.id }),
      'dispatched',
      'dispatch',
    );
    const reported = await report(office, { title: '未立案', categoryId: cat('HJ01') });
    expectIllegal(
      await act(office, reported.problem, 'dispatch', { unitId: rowA.id }),
      'reported',
      'dispatch',
    );
  });
});

describe('problems: rectify and verify', () => {
  it('runs the whole loop with a timeline entry and the right buttons at every step', async () => {
    let p = await registered('全流程');
    p = await step(office, p.problem, 'dispatch', { unitId: rowA.id });
    p = await step(unitA, p.problem, 'submit', { note: '已清运' });
    expect(p.problem).toMatchObject({ state: 'submitted', reworkCount: 0 });
    expect(p.problem.submittedAt).not.toBeNull();
    expect(p.actions).toEqual([]);
    expect((await detailOf(inspector, p.problem.id)).actions).toEqual(['approve', 'rework']);
    expect((await detailOf(office, p.problem.id)).actions).toEqual(['approve', 'rework', 'merge']);
    p = await step(inspector, p.problem, 'rework', { note: '仍有残留' });
    expect(p.problem).toMatchObject({ state: 'dispatched', reworkCount: 1, submittedAt: null });
    p = await step(unitA, p.problem, 'submit', { note: '已彻底清理' });
    p = await step(inspector, p.problem, 'approve');
    expect(p.problem.state).toBe('closed');
    expect(p.problem.closedAt).not.toBeNull();
    expect(p.problem.escalation).toBe('none');
    expect(p.actions).toEqual([]);
    expect((await detailOf(office, p.problem.id)).actions).toEqual(['reopen']);
    expect((await detailOf(unitA, p.problem.id)).actions).toEqual([]);
    expect((await detailOf(leader, p.problem.id)).actions).toEqual([]);
    expect(p.timeline.map((e) => [e.action, e.fromState, e.toState, e.actorName, e.note])).toEqual([
      ['create', null, 'registered', '创建办王主任', null],
      ['dispatch', 'registered', 'dispatched', '创建办王主任', null],
      ['submit', 'dispatched', 'submitted', '环卫局李科长', '已清运'],
      ['rework', 'submitted', 'dispatched', '测评员赵', '仍有残留'],
      ['submit', 'dispatched', 'submitted', '环卫局李科长', '已彻底清理'],
      ['approve', 'submitted', 'closed', '测评员赵', null],
    ]);
    expect(p.timeline.at(3)!.data).toMatchObject({ reworkCount: 1 });
    const times = p.timeline.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expectIllegal(await act(inspector, p.problem, 'approve'), 'closed', 'approve');
    expectIllegal(await act(office, p.problem, 'rework', { note: '再改' }), 'closed', 'rework');
  });

  it('lets only the unit submit, with a note', async () => {
    const p = await dispatched('提交权限');
    expectInvalid(await act(unitA, p.problem, 'submit'), 'body.note');
    for (const agent of [office, inspector, admin, leader, surveyor]) {
      expectError(await act(agent, p.problem, 'submit', { note: '代交' }), 403, 'forbidden');
    }
    expectError(await act(unitB, p.problem, 'submit', { note: '不是我的' }), 404, 'not_found');
    const s = await step(unitA, p.problem, 'submit', { note: '已修复' });
    expectIllegal(await act(unitA, s.problem, 'submit', { note: '再交' }), 'submitted', 'submit');
  });

  it('lets only a verifier approve or send back, and a second rework is red', async () => {
    let p = await submitted('核查权限');
    for (const agent of [unitA, leader]) {
      expectError(await act(agent, p.problem, 'approve'), 403, 'forbidden');
      expectError(await act(agent, p.problem, 'rework', { note: '返工' }), 403, 'forbidden');
    }
    expectInvalid(await act(office, p.problem, 'rework'), 'body.note');
    const deadline = p.problem.deadline;
    p = await step(office, p.problem, 'rework', { note: '第一次返工' });
    expect(p.problem).toMatchObject({ state: 'dispatched', reworkCount: 1, deadline });
    expect(p.problem.escalation).not.toBe('red');
    expectIllegal(await act(inspector, p.problem, 'approve'), 'dispatched', 'approve');
    expectIllegal(
      await act(inspector, p.problem, 'rework', { note: '再' }),
      'dispatched',
      'rework',
    );
    p = await step(unitA, p.problem, 'submit', { note: '重新整改' });
    const past = new Date(Date.now() - 1000).toISOString();
    expectInvalid(
      await act(office, p.problem, 'rework', { note: 'x', deadline: past }),
      'body.deadline',
    );
    const later = addWorkingDays(new Date(), 8, table);
    p = await step(inspector, p.problem, 'rework', {
      note: '第二次',
      deadline: later.toISOString(),
    });
    // Far from its deadline, but sent back twice: 红色督办.
    expect(p.problem).toMatchObject({
      reworkCount: 2,
      deadline: later.toISOString(),
      escalation: 'red',
    });
    p = await step(unitA, p.problem, 'submit', { note: '第三次提交' });
    p = await step(office, p.problem, 'approve');
    expect(p.problem).toMatchObject({ state: 'closed', reworkCount: 2, escalation: 'none' });
  });
});

describe('problems: return', () => {
  it('sends a problem that is not theirs back to the office for re-dispatch', async () => {
    const p = await dispatched('不属于本单位');
    expectInvalid(await act(unitA, p.problem, 'return'), 'body.note');
    for (const agent of [office, inspector, leader]) {
      expectError(await act(agent, p.problem, 'return', { note: '退' }), 403, 'forbidden');
    }
    expectError(await act(unitB, p.problem, 'return', { note: '退' }), 404, 'not_found');
    const r = await step(unitA, p.problem, 'return', { note: '属市政管理处' });
    expect(r.problem).toMatchObject({
      state: 'returned',
      unitId: null,
      unitName: null,
      deadline: null,
    });
    expect(r.timeline.at(-1)).toMatchObject({
      action: 'return',
      fromState: 'dispatched',
      toState: 'returned',
      note: '属市政管理处',
      data: { unitId: rowA.id, unitName: '市容环卫局' },
    });
    expectError(await unitA.get(`/api/problems/${p.problem.id}`), 404, 'not_found');
    const seen = await detailOf(office, p.problem.id);
    expect(seen.actions).toEqual(['dispatch', 'defer', 'merge']);

    const again = await step(office, seen.problem, 'dispatch', { unitId: rowB.id });
    expect(again.problem).toMatchObject({ state: 'dispatched', unitId: rowB.id });
    expect(again.timeline.at(-1)).toMatchObject({ fromState: 'returned', toState: 'dispatched' });
    expectEndOfWorkingDay(again.problem.deadline!, table);
    expect((await detailOf(unitB, p.problem.id)).actions).toContain('submit');
    expectError(await unitA.get(`/api/problems/${p.problem.id}`), 404, 'not_found');
    const s = await step(unitB, again.problem, 'submit', { note: '已处理' });
    expectIllegal(await act(unitB, s.problem, 'return', { note: '退' }), 'submitted', 'return');
  });
});

describe('problems: concurrency and audit', () => {
  it('refuses a stale version', async () => {
    const p = await registered('过期版本');
    const d = await step(office, p.problem, 'dispatch', { unitId: rowA.id });
    const stale = await act(unitA, p.problem, 'submit', { note: '旧版本' });
    expectError(stale, 409, 'stale_version');
    expect(stale.json().error.messageEn).toContain('changed by someone else');
    // A stale version is reported as such even when the action is wrong for the state, too.
    expectError(
      await act(office, p.problem, 'dispatch', { unitId: rowA.id }),
      409,
      'stale_version',
    );
    const now = await detailOf(office, p.problem.id);
    expect(now.problem).toMatchObject({ state: 'dispatched', version: d.problem.version });
    expect(now.timeline).toHaveLength(2);
  });

  it('lets exactly one of two concurrent actions on the same version through', async () => {
    const race = async (p: TProblem, ...attempts: (() => Promise<Res>)[]) => {
      const results = await Promise.all(attempts.map((f) => f()));
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
      expectError(
        results.find((r) => r.statusCode === 409)!,
        409,
        'stale_version',
      );
      const now = await detailOf(office, p.id);
      expect(now.problem.version).toBe(p.version + 1);
      return { now, winner: results.find((r) => r.statusCode === 200)!.json<TProblemDetail>() };
    };
    const r = (await registered('并发派遣')).problem;
    const dispatch = () => act(office, r, 'dispatch', { unitId: rowA.id });
    const one = await race(r, dispatch, dispatch);
    expect(one.now.timeline.filter((e) => e.action === 'dispatch')).toHaveLength(1);

    const d = (await dispatched('并发提交')).problem;
    const submit = () => act(unitA, d, 'submit', { note: '同时提交' });
    const two = await race(d, submit, submit);
    expect(two.now.timeline.filter((e) => e.action === 'submit')).toHaveLength(1);

    // Two different actions racing on one version: still exactly one wins.
    const s = (await submitted('并发核查')).problem;
    const three = await race(
      s,
      () => act(inspector, s, 'approve'),
      () => act(office, s, 'rework', { note: '同时返工' }),
    );
    expect(three.now.problem.state).toBe(three.winner.problem.state);
    const decided = three.now.timeline.filter((e) => ['approve', 'rework'].includes(e.action));
    expect(decided).toHaveLength(1);
  });

  it('audits every step and nothing that was refused', async () => {
    let p = await report(office, { title: '审计问题', categoryId: cat('HJ01'), regionId });
    p = await step(office, p.problem, 'register');
    expectError(await act(leader, p.problem, 'dispatch', { unitId: rowA.id }), 403, 'forbidden');
    p = await step(office, p.problem, 'dispatch', { unitId: rowA.id });
    expectIllegal(await act(inspector, p.problem, 'approve'), 'dispatched', 'approve');
    p = await step(unitA, p.problem, 'submit', { note: '整改' });
    p = await step(inspector, p.problem, 'approve');

    expectError(await office.get('/api/audit'), 403, 'forbidden');
    const res = await admin.get(`/api/audit?entityType=problem&entityId=${p.problem.id}&limit=500`);
    expect(res.statusCode, res.body).toBe(200);
    const records = res.json<{ items: TAuditRecord[] }>().items.reverse();
    expect(records.map((r) => [r.action, r.actorName])).toEqual([
      ['problem.create', '创建办王主任(office1)'],
      ['problem.register', '创建办王主任(office1)'],
      ['problem.dispatch', '创建办王主任(office1)'],
      ['problem.submit', '环卫局李科长(unita)'],
      ['problem.approve', '测评员赵(insp1)'],
    ]);
    expect(records[0]!.after).toMatchObject({ id: p.problem.id, state: 'reported' });
    expect(records[2]).toMatchObject({
      entityType: 'problem',
      entityId: String(p.problem.id),
      before: { state: 'registered', unitId: null, deadline: null, version: 2 },
      after: { state: 'dispatched', unitId: rowA.id, deadline: expect.any(String), version: 3 },
    });
    expect(records[4]).toMatchObject({
      before: { state: 'submitted', version: 4 },
      after: { state: 'closed', version: 5 },
    });
  });
});
