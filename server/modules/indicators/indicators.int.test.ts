import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TIndicator } from '../../../core/contracts/indicators.js';
import { periodFromOrdinal, periodOf, periodOrdinal } from '../../../core/frameworks/indicators.js';
import { execRows } from '../../db/client.js';
import { DEMO_PASSWORD } from '../../db/seed/demo-city.data.js';
import { seedDemoCity } from '../../db/seed/demo-city.js';
import { seedDemoFramework } from '../../db/seed/demo-framework.js';
import { seedDemoIndicators } from '../../db/seed/demo-indicators.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';

// 硬性指标 through the API on the demo city: scoping, periods, one value per period, compliance.

let t: TestApp;
let office: Agent;
let unit: Agent;
let leader: Agent;
let inspector: Agent;
let unitId = 0;

const month = (delta: number) =>
  periodFromOrdinal(periodOrdinal(periodOf(new Date(), 'month'), 'month')! + delta, 'month');

beforeAll(async () => {
  t = await createTestApp();
  await seedDemoCity(t.database);
  await seedDemoFramework(t.database);
  expect(await seedDemoIndicators(t.database)).toBe(4);
  expect(await seedDemoIndicators(t.database)).toBe(0);
  office = await t.login('office', DEMO_PASSWORD);
  unit = await t.login('unit', DEMO_PASSWORD);
  leader = await t.login('leader', DEMO_PASSWORD);
  inspector = await t.login('inspector', DEMO_PASSWORD);
  unitId = (await unit.get('/api/auth/me')).json().user.unitId as number;
});
afterAll(() => t.close());

const list = async (a: Agent) =>
  (await a.get('/api/indicators')).json<{
    items: TIndicator[];
    shares: { standardKey: string; share: number }[];
  }>();

describe('indicators', () => {
  it('scopes the list: the office and leaders all, a unit its own, others nothing', async () => {
    expect((await list(office)).items).toHaveLength(4);
    expect((await list(leader)).items).toHaveLength(4);
    const mine = (await list(unit)).items;
    expect(mine.map((i) => i.name)).toEqual(['路灯亮灯率']);
    expect(mine[0]!.responsibleUnitId).toBe(unitId);
    expect((await inspector.get('/api/indicators')).statusCode).toBe(403);
    const helmet = (await list(office)).items.find((i) => i.name.includes('头盔'))!;
    expect((await unit.get(`/api/indicators/${helmet.id}`)).statusCode).toBe(404);
    expect((await unit.get(`/api/indicators/${helmet.id}/values`)).statusCode).toBe(404);
  });

  it('computes compliance, trend, missing periods and shares with known answers', async () => {
    const { items, shares } = await list(office);
    const lamp = items.find((i) => i.name === '路灯亮灯率')!;
    expect(lamp).toMatchObject({
      standardCode: 'I4.3.1',
      latest: { period: month(-2), value: 95.6, met: true },
      compliant: true,
      missing: [month(-1)],
      currentPeriod: month(0),
    });
    expect(lamp.trend.map((p) => p.met)).toEqual([false, false, true, true, true]);
    const helmet = items.find((i) => i.name.includes('头盔'))!;
    expect(helmet).toMatchObject({ compliant: false, latest: { value: 66 }, missing: [] });
    const share = (i: TIndicator) => shares.find((s) => s.standardKey === i.standardKey)!.share;
    expect(share(lamp)).toBe(1);
    expect(share(helmet)).toBe(0);
  });

  it('lets only the office define indicators; validates periods and standards; stale edit → 409', async () => {
    const lamp = (await list(office)).items.find((i) => i.name === '路灯亮灯率')!;
    const def = {
      frameworkId: lamp.frameworkId,
      standardKey: lamp.standardKey,
      name: '道路破损修复及时率',
      measure: '%',
      target: 90,
      direction: 'gte',
      period: 'quarter',
      startPeriod: '2026-Q1',
      responsibleUnitId: unitId,
    };
    expect((await unit.post('/api/indicators', def)).statusCode).toBe(403);
    expect(
      (await office.post('/api/indicators', { ...def, startPeriod: '2026-01' })).statusCode,
    ).toBe(400);
    expect(
      (await office.post('/api/indicators', { ...def, standardKey: 'no-such-key' })).statusCode,
    ).toBe(400);
    expect((await office.post('/api/indicators', { ...def, target: 'x' })).statusCode).toBe(400);
    const created = await office.post('/api/indicators', def);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ compliant: null, version: 1, standardCode: 'I4.3.1' });
    expect((await office.post('/api/indicators', def)).statusCode).toBe(409);
    const id = created.json<TIndicator>().id;
    const edited = await office.patch(`/api/indicators/${id}`, { target: 92, version: 1 });
    expect(edited.json()).toMatchObject({ target: 92, version: 2 });
    expect(
      (await office.patch(`/api/indicators/${id}`, { target: 80, version: 1 })).statusCode,
    ).toBe(409);
    expect((await unit.patch(`/api/indicators/${id}`, { target: 1, version: 2 })).statusCode).toBe(
      403,
    );
    expect((await list(unit)).items).toHaveLength(2);
    const shares = (await list(office)).shares.find((s) => s.standardKey === lamp.standardKey)!;
    expect(shares.share).toBe(0.5);
    expect((await office.delete(`/api/indicators/${id}?version=1`)).statusCode).toBe(409);
    expect((await office.delete(`/api/indicators/${id}?version=2`)).statusCode).toBe(204);
  });

  it('takes one value per period from the responsible unit; a retry is idempotent; corrections are audited', async () => {
    const { items } = await list(office);
    const lamp = items.find((i) => i.name === '路灯亮灯率')!;
    const helmet = items.find((i) => i.name.includes('头盔'))!;
    const body = (period: string, value: number) => ({
      period,
      value,
      note: '抽查 1200 盏',
      clientId: randomUUID(),
    });
    expect(
      (await unit.post(`/api/indicators/${helmet.id}/values`, body(month(0), 80))).statusCode,
    ).toBe(404);
    // Only the responsible unit reports: the office and leaders get 403 (leaders got 404 before),
    // whether or not the indicator exists.
    expect(
      (await office.post(`/api/indicators/${lamp.id}/values`, body(month(0), 99))).statusCode,
    ).toBe(403);
    for (const id of [lamp.id, 999_999]) {
      const byLeader = await leader.post(`/api/indicators/${id}/values`, body(month(0), 99));
      expect(byLeader.statusCode, byLeader.body).toBe(403);
      expect(byLeader.json().error.code).toBe('forbidden');
    }
    expect(
      (await leader.patch('/api/indicator-values/999999', { value: 1, note: '更正', version: 1 }))
        .statusCode,
    ).toBe(403);
    expect(
      (await unit.patch('/api/indicator-values/999999', { value: 1, note: '更正', version: 1 }))
        .statusCode,
    ).toBe(404);
    const future = await unit.post(`/api/indicators/${lamp.id}/values`, body(month(1), 97));
    expect(future.statusCode).toBe(400);
    expect(future.json().error.messageZh).toContain('未来');
    expect(
      (await unit.post(`/api/indicators/${lamp.id}/values`, body(month(-12), 97))).statusCode,
    ).toBe(400);
    expect(
      (await unit.post(`/api/indicators/${lamp.id}/values`, body('2026-Q1', 97))).statusCode,
    ).toBe(400);
    expect(
      (
        await unit.post(`/api/indicators/${lamp.id}/values`, {
          ...body(month(-1), 97),
          fileIds: [randomUUID()],
        })
      ).statusCode,
    ).toBe(400);

    const first = body(month(-1), 94);
    const created = await unit.post(`/api/indicators/${lamp.id}/values`, first);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ value: 94, met: false, version: 1 });
    const retry = await unit.post(`/api/indicators/${lamp.id}/values`, first);
    expect(retry.statusCode).toBe(200);
    expect(retry.json().id).toBe(created.json().id);
    const repeat = await unit.post(`/api/indicators/${lamp.id}/values`, body(month(-1), 96));
    expect(repeat.statusCode).toBe(409);
    expect(repeat.json().error.code).toBe('period_reported');

    let after = (await list(unit)).items[0]!;
    expect(after).toMatchObject({ missing: [], compliant: false, latest: { value: 94 } });

    const valueId = created.json().id as number;
    const fixed = await unit.patch(`/api/indicator-values/${valueId}`, {
      value: 96.2,
      note: '更正：漏计了新装路灯',
      version: 1,
    });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(fixed.json()).toMatchObject({ value: 96.2, met: true, version: 2 });
    expect(
      (
        await unit.patch(`/api/indicator-values/${valueId}`, {
          value: 50,
          note: '过期的修改',
          version: 1,
        })
      ).statusCode,
    ).toBe(409);
    after = (await list(unit)).items[0]!;
    expect(after.compliant).toBe(true);
    const [audit] = await execRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from audit_log where action = 'indicator.correct'`,
    );
    expect(audit!.n).toBe(1);
    const values = (await office.get(`/api/indicators/${lamp.id}/values`)).json<
      { period: string }[]
    >();
    expect(values[0]!.period).toBe(month(-1));
    expect(values).toHaveLength(6);
  });
});
