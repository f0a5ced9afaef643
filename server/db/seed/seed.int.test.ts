import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CELL_TYPES,
  type THonour,
  type THonourHistory,
  type THonoursMap,
} from '../../../core/contracts/honours.js';
import { execRows } from '../client.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { bootstrapAdmin } from './bootstrap-admin.js';
import { DEMO_PASSWORD, DEMO_USERS } from './demo-city.data.js';
import { seedDemoCity } from './demo-city.js';
import { DEMO_HONOURS, seedDemoHonours } from './demo-honours.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const count = async (table: string) =>
  (
    await execRows<{ n: number }>(t.database.db, sql.raw(`select count(*)::int as n from ${table}`))
  )[0]!.n;

describe('demo city seed', () => {
  it('seeds 示范市 once, with every level of region, ≥60 units and one user per role', async () => {
    const first = await seedDemoCity(t.database);
    expect(first.seeded).toBe(true);
    const levels = await execRows<{ level: string; n: number }>(
      t.database.db,
      sql`select level, count(*)::int as n from regions group by level`,
    );
    const byLevel = Object.fromEntries(levels.map((l) => [l.level, l.n]));
    expect(byLevel).toMatchObject({ city: 1, district: 3 });
    expect(byLevel.street).toBeGreaterThanOrEqual(12);
    expect(byLevel.community).toBeGreaterThanOrEqual(40);
    expect(await count('units')).toBeGreaterThanOrEqual(60);
    const types = await execRows<{ n: number }>(
      t.database.db,
      sql`select count(distinct type)::int as n from units`,
    );
    expect(types[0]!.n).toBeGreaterThanOrEqual(6);

    const again = await seedDemoCity(t.database);
    expect(again.seeded).toBe(false);
    expect(await count('units')).toBe(first.units);

    for (const u of DEMO_USERS) {
      const agent = await t.login(u.username, DEMO_PASSWORD);
      const me = await agent.get('/api/auth/me');
      expect(me.json().user.roles).toEqual(u.roles);
      if (u.region === 'district' || u.region === 'street') {
        expect(me.json().user.regionLevel).toBe(u.region);
      }
    }
    const verify = await (await t.login('admin', DEMO_PASSWORD)).get('/api/audit/verify');
    expect(verify.json().ok).toBe(true);
  });

  it("gives the district and street offices their own part of the demo city's problems", async () => {
    const subtree = async (name: string) =>
      (
        await execRows<{ id: number }>(
          t.database.db,
          sql`select r.id from regions r, regions top
               where top.name = ${name} and r.path like top.path || '%'`,
        )
      ).map((r) => r.id);
    for (const [login, region] of [
      ['district', '东湖区'],
      ['street', '湖滨街道'],
    ] as const) {
      const agent = await t.login(login, DEMO_PASSWORD);
      const mine = new Set(await subtree(region));
      const list = (await agent.get('/api/problems?limit=200')).json<{
        items: { regionId: number | null }[];
      }>().items;
      expect(list.length, login).toBeGreaterThan(0);
      for (const p of list) expect(mine.has(p.regionId!), login).toBe(true);
      const total = await count('problems');
      expect(list.length, login).toBeLessThan(total);
    }
  });

  it('dates each problem as its timeline does: overdue ones were dispatched days before their deadline', async () => {
    const rows = await execRows<{
      code: string;
      deadline: Date;
      dispatched_at: Date;
      registered_at: Date;
      recorded: string;
      last_event: Date;
    }>(
      t.database.db,
      sql`select p.code, p.deadline, p.dispatched_at, p.registered_at,
                 (select e.data->>'deadline' from problem_events e
                   where e.problem_id = p.id and e.data ? 'deadline' order by e.id desc limit 1)
                   as recorded,
                 (select max(e.at) from problem_events e where e.problem_id = p.id) as last_event
            from problems p where p.state = 'dispatched' and not p.extension_pending`,
    );
    const overdue = rows.filter((r) => new Date(r.deadline) < new Date());
    expect(overdue.length).toBeGreaterThanOrEqual(2);
    for (const r of rows) {
      // The deadline the page shows is the one the timeline's dispatch (or 返工) recorded…
      expect(new Date(r.recorded).getTime(), r.code).toBe(new Date(r.deadline).getTime());
      // …and it falls after the dispatch, which follows the registration; nothing happened later.
      expect(new Date(r.dispatched_at) < new Date(r.deadline), r.code).toBe(true);
      expect(new Date(r.registered_at) <= new Date(r.dispatched_at), r.code).toBe(true);
      expect(new Date(r.last_event).getTime(), r.code).toBeLessThanOrEqual(Date.now());
    }
  });

  it('has 文明细胞 of every type, some in 整改 and one 撤销, registered once', async () => {
    const n = await seedDemoHonours(t.database);
    expect(n).toBe(DEMO_HONOURS.length);
    expect(await seedDemoHonours(t.database)).toBe(0);
    const office = await t.login('office', DEMO_PASSWORD);
    const all = (await office.get('/api/honours?limit=200')).json<{ items: THonour[] }>().items;
    expect(all).toHaveLength(n);
    expect(new Set(all.map((h) => h.cellType))).toEqual(new Set(CELL_TYPES));
    const statuses = all.map((h) => h.status);
    expect(statuses.filter((s) => s === 'rectifying').length).toBeGreaterThanOrEqual(2);
    expect(statuses.filter((s) => s === 'revoked')).toHaveLength(1);
    // 文明单位 and 文明校园 are the demo city's units.
    expect(
      all.filter((h) => h.cellType === 'unit' || h.cellType === 'campus').every((h) => h.unitName),
    ).toBe(true);
    // The change of status carries its reason in the holder's history.
    const revoked = all.find((h) => h.status === 'revoked')!;
    const history = (await office.get(`/api/honours/${revoked.id}/history`)).json<THonourHistory>();
    expect(history.items[0]).toMatchObject({ kind: 'status', statusTo: 'revoked' });
    expect(history.items[0]!.reason).toContain('一票否决');
    // The district office (东湖区) has its own part, on the map where it has a place.
    const district = await t.login('district', DEMO_PASSWORD);
    const mine = (await district.get('/api/honours?limit=200')).json<{ items: THonour[] }>().items;
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.length).toBeLessThan(all.length);
    const map = (await district.get('/api/honours/map')).json<THonoursMap>().items;
    expect(map.length).toBeGreaterThan(0);
    expect(map.every((m) => mine.some((h) => h.id === m.id && h.cellType !== 'family'))).toBe(true);
  });

  it('does not bootstrap an administrator once users exist', async () => {
    expect(await bootstrapAdmin(t.database, 'root', 'Root@2026x')).toBeNull();
  });
});

describe('first administrator', () => {
  it('is created from ADMIN_USERNAME/ADMIN_PASSWORD on an empty database and must change the password', async () => {
    const empty = await createTestApp();
    try {
      await expect(bootstrapAdmin(empty.database, 'root', 'weak')).rejects.toThrow(/too weak/);
      expect(await bootstrapAdmin(empty.database, 'root', 'Root@2026x')).toBe('root');
      const agent = await empty.login('root', 'Root@2026x');
      const me = (await agent.get('/api/auth/me')).json();
      expect(me.user.roles).toEqual(['admin']);
      expect(me.user.mustChangePassword).toBe(true);
    } finally {
      await empty.close();
    }
  });
});
