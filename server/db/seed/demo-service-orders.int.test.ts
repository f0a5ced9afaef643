import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  TPublicServiceTrack,
  TServiceRecord,
  TServiceTasks,
} from '../../../core/contracts/service-orders.js';
import type { TLedger } from '../../../core/contracts/volunteers.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { seedDemoCity } from './demo-city.js';
import { DEMO_PASSWORD } from './demo-city.data.js';
import { seedDemoServiceOrders } from './demo-service-orders.js';
import { seedDemoVolunteers } from './demo-volunteers.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedDemoCity(t.database);
  await seedDemoVolunteers(t.database);
});
afterAll(() => t.close());

async function as(username: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password: DEMO_PASSWORD },
  });
  const cookie = String(res.headers['set-cookie']).split(';')[0]!;
  return async <T>(url: string) => {
    const r = await t.app.inject({ method: 'GET', url, headers: { cookie } });
    expect(r.statusCode, r.body).toBe(200);
    return r.json<T>();
  };
}

describe('demo 点单派单', () => {
  it('seeds menus and orders at every step, once; the demo volunteer has one to take', async () => {
    expect(await seedDemoServiceOrders(t.database)).toBe(13);
    expect(await seedDemoServiceOrders(t.database)).toBe(0);
    const street = await as('street');
    const rec = await street<TServiceRecord>('/api/service-records');
    expect(rec.totals.orders).toBe(13);
    expect(rec.totals.byState).toEqual({
      ordered: 1,
      dispatched: 2,
      taken: 1,
      on_site: 1,
      done: 1,
      confirmed: 5,
      declined: 1,
      cancelled: 1,
    });
    expect(rec.totals.overdue).toBe(1);
    expect(rec.totals).toMatchObject({ rated: 4, satisfied: 3, satisfactionPct: 75 });
    expect(rec.totals.medianMinutes.serve).toBeGreaterThan(0);
    expect(rec.totals.volunteerMinutes).toBeGreaterThan(0);

    const volunteer = await as('volunteer');
    const tasks = await volunteer<TServiceTasks>('/api/service-orders/tasks');
    expect(tasks.teamName).toBe('湖滨街道文明实践志愿服务队');
    expect(tasks.open.map((o) => o.itemName)).toEqual(
      expect.arrayContaining(['上门理发', '助老陪诊']),
    );
    expect(tasks.mine.length).toBeGreaterThan(0);
    const ledger = await volunteer<TLedger>('/api/volunteers/me/ledger');
    expect(ledger.entries.filter((e) => e.kind === 'service').length).toBeGreaterThan(0);

    const page = await t.app.inject({
      method: 'GET',
      url: '/api/public/service-orders/FWDEMQ2222EE',
    });
    expect(page.json<TPublicServiceTrack>()).toMatchObject({ state: 'done', canConfirm: true });
  });
});
