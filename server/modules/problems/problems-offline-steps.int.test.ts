import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TProblemDetail } from '../../../core/contracts/problems.js';
import { buildRegion, buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';
import { testJpeg } from '../../test/images.js';
import {
  act,
  categoriesByCode,
  detailOf,
  expectError,
  expectIllegal,
  expectInvalid,
  report,
  step,
} from '../../test/problems-kit.js';

// The unit's steps from the phone (issue #21): a step sent with a client id is idempotent — the
// offline queue's retry after a lost answer gets the problem as it is, not a second step nor a
// stale-version refusal — and the rectification carries where the phone was. Without a client id
// and a position the endpoint behaves as before (the desktop pages send neither).

let t: TestApp;
let office: Agent;
let unitA: Agent;
let unitA2: Agent;
let regionId: number;
let unitId: number;
let categoryId: number;
const HERE = { lat: 30.2655, lng: 120.1589 };

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  regionId = (await buildRegion(db, { name: '离线步骤市' })).id;
  unitId = (await buildUnit(db, { name: '市容环卫局' })).id;
  await buildUser(db, { username: 'o_office', name: '创建办', roles: ['office'] });
  await buildUser(db, { username: 'o_unit', name: '环卫局李科长', roles: ['unit'], unitId });
  await buildUser(db, { username: 'o_unit2', name: '环卫局王干事', roles: ['unit'], unitId });
  office = await t.login('o_office');
  unitA = await t.login('o_unit');
  unitA2 = await t.login('o_unit2');
  categoryId = (await categoriesByCode(office)).get('HJ01')!.id;
});
afterAll(() => t.close());

async function dispatched(title: string, place: object = HERE): Promise<TProblemDetail> {
  const p = await report(office, { title, categoryId, regionId, register: true, ...place });
  return step(office, p.problem, 'dispatch', { unitId });
}

async function photo(agent: Agent): Promise<string> {
  const res = await agent.upload('/api/files', await testJpeg({ color: '#3a6' }), 'after.jpg');
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

describe('problem steps from the phone', () => {
  it('a rectification sent twice with its client id is taken once; the retry answers 200', async () => {
    const p = await dispatched('湖滨路垃圾堆积');
    const clientId = randomUUID();
    const body = { note: '已清运完毕', photoIds: [await photo(unitA)], clientId, ...HERE };
    const first = await step(unitA, p.problem, 'submit', body);
    expect(first.problem).toMatchObject({ state: 'submitted', version: p.problem.version + 1 });
    // The queue's retry carries the version it was queued with: not stale, the same answer.
    const again = await step(unitA, p.problem, 'submit', body);
    expect(again.problem).toMatchObject({ state: 'submitted', version: first.problem.version });
    const d = await detailOf(office, p.problem.id);
    expect(d.timeline.filter((e) => e.action === 'submit')).toHaveLength(1);
    expect(d.photos.filter((x) => x.stage === 'after')).toHaveLength(1);
    // Where the phone was, and how far from the problem; the client id is not shown.
    const submit = d.timeline.find((e) => e.action === 'submit')!;
    expect(submit.data).toEqual({ photos: 1, lat: HERE.lat, lng: HERE.lng, distanceM: 0 });
    // The office closes it; a retry arriving later still answers with the problem as it is.
    const closed = await step(office, first.problem, 'approve');
    const late = await step(unitA, p.problem, 'submit', body);
    expect(late.problem).toMatchObject({ state: 'closed', version: closed.problem.version });
  });

  it('two copies of one step at once: one step, both answered with it', async () => {
    const p = await dispatched('解放路井盖松动');
    const body = { note: '已更换井盖', clientId: randomUUID() };
    const [a, b] = await Promise.all([
      act(unitA, p.problem, 'submit', body),
      act(unitA, p.problem, 'submit', body),
    ]);
    expect([a.statusCode, b.statusCode], `${a.body} ${b.body}`).toEqual([200, 200]);
    const d = await detailOf(office, p.problem.id);
    expect(d.timeline.filter((e) => e.action === 'submit')).toHaveLength(1);
    expect(d.problem.state).toBe('submitted');
  });

  it('a client id is the sender’s and the step’s: reused by another person or step, 409', async () => {
    const p = await dispatched('人民路广告牌破损');
    const clientId = randomUUID();
    const asked = await step(unitA, p.problem, 'request_extension', {
      note: '需定制广告牌',
      extensionDeadline: new Date(Date.parse(p.problem.deadline!) + 5 * 86_400_000).toISOString(),
      clientId,
    });
    expectError(
      await act(unitA2, asked.problem, 'request_extension', { note: '同上', clientId }),
      409,
      'duplicate',
    );
    expectError(
      await act(unitA, asked.problem, 'submit', { note: '已整改', clientId }),
      409,
      'duplicate',
    );
    // A new step with a new id goes on as usual.
    const sent = await step(unitA, asked.problem, 'submit', {
      note: '已整改',
      clientId: randomUUID(),
    });
    expect(sent.problem.state).toBe('submitted');
  });

  it('an offline step that went stale meanwhile is refused as before, explained', async () => {
    const p = await dispatched('青石巷路灯不亮');
    // The office moved the problem on while the phone was offline: the queued step is refused.
    await step(office, p.problem, 'defer', { note: '待工程完工' });
    const stale = await act(unitA, p.problem, 'submit', { note: '已修复', clientId: randomUUID() });
    expectError(stale, 409, 'stale_version');
    expect(stale.json().error.messageZh).toBe('问题已被他人修改，请刷新后重试');
    // At the current version the state says why.
    const now = await detailOf(unitA, p.problem.id);
    expectIllegal(
      await act(unitA, now.problem, 'submit', { note: '已修复', clientId: randomUUID() }),
      'deferred',
      'submit',
    );
  });

  it('a position goes with on-site steps only, both coordinates; without one, as before', async () => {
    const p = await dispatched('滨江路护栏缺失', { lat: null, lng: null });
    expectInvalid(
      await act(unitA, p.problem, 'return', { note: '不归本单位', ...HERE }),
      'body.lat',
    );
    expectInvalid(await act(unitA, p.problem, 'submit', { note: '已补装', lat: 30.2 }), 'body.lat');
    // No place on the problem: the position is kept, no distance.
    const sent = await step(unitA, p.problem, 'submit', { note: '已补装', ...HERE });
    expect(sent.timeline.at(-1)!.data).toEqual({ lat: HERE.lat, lng: HERE.lng });
    // The desktop's request, as before: no client id, no position.
    const q = await dispatched('翠竹路树木缺株');
    const plain = await step(unitA, q.problem, 'submit', { note: '已补植' });
    expect(plain.timeline.at(-1)).toMatchObject({ action: 'submit', data: {} });
  });
});
