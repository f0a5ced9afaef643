import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TPatrol, TPatrolDetail } from '../../../core/contracts/grids.js';
import type { TCategory } from '../../../core/contracts/problems.js';
import { execRows } from '../../db/client.js';
import { buildRegion, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';
import { categoriesByCode, expectError } from '../../test/problems-kit.js';

// Patrols: started, tracked and ended from the phone with client ids, so every retry is harmless;
// problems on the way are linked; coverage is the share of the grid's cells the track passed.

let t: TestApp;
let office: Agent;
let walker: Agent;
let other: Agent;
let cat: TCategory;
let gridId = 0;
let gridVersion = 0;

// A 500 m × 500 m grid (about 0.0053° of longitude × 0.0045° of latitude at 32°N).
const W = 118.78;
const S = 32.04;
const E = W + 0.0053;
const N = S + 0.0045;
const SHAPE = {
  type: 'Polygon',
  coordinates: [
    [
      [W, S],
      [E, S],
      [E, N],
      [W, N],
      [W, S],
    ],
  ],
};

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const community = await buildRegion(db, { code: '320102002001', level: 'community' });
  await buildUser(db, { username: 'p_office', roles: ['office'] });
  const w = await buildUser(db, { username: 'p_walker', name: '巡查员', roles: ['grid_worker'] });
  await buildUser(db, { username: 'p_other', roles: ['grid_worker'] });
  office = await t.login('p_office');
  walker = await t.login('p_walker');
  other = await t.login('p_other');
  cat = [...(await categoriesByCode(office)).values()].find((c) => c.parentId !== null)!;
  const g = await office.post('/api/grids', {
    code: '320102002001001',
    name: '巡查网格',
    regionId: community.id,
    geometry: SHAPE,
  });
  expect(g.statusCode, g.body).toBe(201);
  gridId = g.json().grid.id;
  gridVersion = g.json().grid.version;
  const m = await office.put(`/api/grids/${gridId}/members`, {
    version: gridVersion,
    members: [{ userId: w.id, role: 'worker' }],
  });
  expect(m.statusCode, m.body).toBe(200);
});
afterAll(() => t.close());

const patrolId = randomUUID();
/** A walk along the middle of the grid from west to east, one sample every ~50 m. */
const walk = Array.from({ length: 11 }, (_, i) => ({
  seq: i,
  at: new Date(Date.UTC(2026, 11, 3, 1, i)).toISOString(),
  lat: (S + N) / 2,
  lng: W + ((E - W) * i) / 10,
}));

describe('patrols', () => {
  it('starts once per client id; only the grid’s own workers patrol it', async () => {
    expectError(
      await other.post('/api/patrols', { clientId: randomUUID(), gridId }),
      403,
      'forbidden',
    );
    expectError(await other.post('/api/patrols', { clientId: randomUUID() }), 400, 'no_grid');
    const first = await walker.post('/api/patrols', { clientId: patrolId });
    expect(first.statusCode, first.body).toBe(201);
    const p = first.json<TPatrol>();
    expect(p).toMatchObject({ gridId, state: 'active', workerName: '巡查员', pointCount: 0 });
    const again = await walker.post('/api/patrols', { clientId: patrolId });
    expect(again.statusCode).toBe(200);
    expect(again.json<TPatrol>().id).toBe(p.id);
    // Someone else re-using the id is refused, not merged.
    expectError(await other.post('/api/patrols', { clientId: patrolId }), 409, 'duplicate');
    expect((await walker.get('/api/patrols/active')).json().patrol.id).toBe(p.id);
  });

  it('stores GPS batches once however often they are re-sent', async () => {
    const url = `/api/patrols/${patrolId}/points`;
    const b1 = { clientId: randomUUID(), points: walk.slice(0, 6) };
    expect((await walker.post(url, b1)).json()).toEqual({ added: 6, total: 6 });
    expect((await walker.post(url, b1)).json()).toEqual({ added: 0, total: 6 });
    // An overlapping batch adds only the new samples.
    const b2 = { clientId: randomUUID(), points: walk.slice(4) };
    expect((await walker.post(url, b2)).json()).toEqual({ added: 5, total: 11 });
    expectError(await other.post(url, b2), 409, 'duplicate');
    expectError(await walker.post(`/api/patrols/${randomUUID()}/points`, b2), 404, 'not_found');
    const bad = await walker.post(url, {
      clientId: randomUUID(),
      points: [{ seq: 1, lat: 91, lng: 0 }],
    });
    expectError(bad, 400, 'invalid');
  });

  it('links problems reported on the way (channel patrol), once per client id', async () => {
    const body = {
      clientId: randomUUID(),
      title: '井盖破损',
      categoryId: cat.id,
      lat: (S + N) / 2,
      lng: W + 0.002,
    };
    const url = `/api/patrols/${patrolId}/problems`;
    const first = await walker.post(url, body);
    expect(first.statusCode, first.body).toBe(201);
    const again = await walker.post(url, body);
    expect(again.statusCode).toBe(200);
    expect(again.json().problem.id).toBe(first.json().problem.id);
    expect(first.json().problem.channel).toBe('patrol');
    const [row] = await execRows<{ n: number; grid_id: number }>(
      t.database.db,
      sql`select count(*)::int as n, max(grid_id) as grid_id from problems where title = '井盖破损'`,
    );
    expect(Number(row!.n)).toBe(1);
    expect(Number(row!.grid_id)).toBe(gridId);
    // The grid worker sees it in their ledger.
    const ledger = (await walker.get('/api/problems?limit=50')).json().items as { id: number }[];
    expect(ledger.map((p) => p.id)).toContain(first.json().problem.id);
  });

  it('ends with the track’s length and the share of cells it covered; ending twice is harmless', async () => {
    const url = `/api/patrols/${patrolId}/end`;
    const res = await walker.post(url, { clientId: randomUUID() });
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json<TPatrol>();
    expect(p.state).toBe('ended');
    expect(p.distanceM).toBeGreaterThan(480);
    expect(p.distanceM).toBeLessThan(520);
    // A 500 m walk across a 500 m square, reaching 50 m each side: 2 or 3 of 10 rows of cells.
    expect(p.coverage).toBeGreaterThan(0.15);
    expect(p.coverage).toBeLessThan(0.35);
    expect(p.problemCount).toBe(1);
    const again = await walker.post(url, { clientId: randomUUID() });
    expect(again.json<TPatrol>()).toEqual(p);
    // Re-sending an old batch after the end is harmless; a new sample is refused.
    const old = await walker.post(`/api/patrols/${patrolId}/points`, {
      clientId: randomUUID(),
      points: walk.slice(0, 2),
    });
    expect(old.json()).toEqual({ added: 0, total: 11 });
    expectError(
      await walker.post(`/api/patrols/${patrolId}/points`, {
        clientId: randomUUID(),
        points: [{ ...walk[0]!, seq: 99 }],
      }),
      409,
      'patrol_ended',
    );
    expect((await walker.get('/api/patrols/active')).json().patrol).toBeNull();
  });

  it('shows the office the patrol with its track and problems, and the grid its coverage', async () => {
    const list = (await office.get(`/api/patrols?gridId=${gridId}`)).json().items as TPatrol[];
    expect(list).toHaveLength(1);
    const d = (await office.get(`/api/patrols/${list[0]!.id}`)).json<TPatrolDetail>();
    expect(d.track.map((p) => p.seq)).toEqual(walk.map((p) => p.seq));
    expect(d.problems.map((p) => p.title)).toEqual(['井盖破损']);
    expectError(await other.get(`/api/patrols/${list[0]!.id}`), 404, 'not_found');
    const grid = (await office.get(`/api/grids/${gridId}`)).json();
    expect(grid.stats.patrols).toBe(1);
    expect(grid.stats.coverage).toBeCloseTo(list[0]!.coverage!, 6);
    expect(grid.stats.open).toBe(1);
  });

  it('sums the patrol log per worker and grid', async () => {
    const rows = (await office.get('/api/patrols/summary?days=30')).json().items as {
      workerName: string;
      patrols: number;
      problems: number;
      distanceM: number;
      coverage: number;
    }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ workerName: '巡查员', patrols: 1, problems: 1 });
    expect(rows[0]!.distanceM).toBeGreaterThan(480);
    expect(rows[0]!.coverage).toBeGreaterThan(0.15);
    expect((await other.get('/api/patrols/summary')).json().items).toEqual([]);
  });

  it('writes an audit record for each step', async () => {
    const rows = await execRows<{ action: string }>(
      t.database.db,
      sql`select action from audit_log where entity_type = 'patrol' order by id`,
    );
    expect(rows.map((r) => r.action)).toEqual([
      'patrol.start',
      'patrol.track',
      'patrol.track',
      'patrol.problem',
      'patrol.end',
    ]);
  });
});
