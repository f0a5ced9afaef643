import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TGridDetail } from '../../../core/contracts/grids.js';
import type { TCategory, TProblemDetail } from '../../../core/contracts/problems.js';
import { buildApp, type App } from '../../app.js';
import { loadConfig } from '../../config.js';
import type { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { execRows, openDatabase, schema, type Database } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { buildRegion, buildUser } from '../../test/factories.js';
import { createTestApp, TEST_PASSWORD, type Agent, type TestApp } from '../../test/harness.js';
import { categoriesByCode, report } from '../../test/problems-kit.js';
import { gridRoutingLoads } from '../grids/grid-routing.js';
import {
  insertIntakes,
  intakeGroupCommit,
  type IntakeResult,
  type IntakeWrite,
} from './intake.repo.js';
import { DEFAULT_INTAKE, intakeProblem } from './problems.service.js';

// Issue #16: a located intake's lookups (反弹, nearby open problems, grid check) run inside its
// write statement, and its grid comes from an in-memory index checked by that statement. These
// tests pin that every intake of a batch gets its own answers, what two intakes at one place in
// one batch see, and that a grid edit on another app server is seen by the next intake it
// concerns (no staleness window).

let t: TestApp;
let office: Agent;
let officeActor: Actor;
let cat: TCategory;
let cat2: TCategory;
let west = 0;
let east = 0;
const regionNames = new Map<number, string>();

const sq = (x0: number, y0: number, x1: number, y1: number) => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];
let A: TGridDetail;
let B: TGridDetail;

// ~1.1 m per 0.00001° of latitude.
const SPOT_CLOSED = { lng: 118.782, lat: 32.042 }; // in A
const SPOT_OPEN = { lng: 118.795, lat: 32.045 }; // in B
const SPOT_OLD = { lng: 118.786, lat: 32.048 }; // in A
const OUTSIDE = { lng: 118.9, lat: 32.1 };

type Row = {
  grid_id: number | null;
  region_id: number | null;
  recurrence_of_id: string | number | null;
};
const stored = async (id: number) => {
  const [row] = await execRows<Row>(
    t.database.db,
    sql`select grid_id, region_id, recurrence_of_id from problems where id = ${id}`,
  );
  return {
    gridId: row!.grid_id === null ? null : Number(row!.grid_id),
    regionId: row!.region_id === null ? null : Number(row!.region_id),
    recurrenceOfId: row!.recurrence_of_id === null ? null : Number(row!.recurrence_of_id),
  };
};
const auditAfter = async (id: number) =>
  (
    await execRows<{ after: unknown }>(
      t.database.db,
      sql`select after from audit_log where action = 'problem.create' and entity_id = ${String(id)}`,
    )
  )[0]!.after;

async function closeNow(id: number, daysAgo = 0) {
  await t.database.db.execute(
    sql`update problems set state = 'closed',
          closed_at = now() - ${daysAgo} * interval '1 day' where id = ${id}`,
  );
}

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const city = await buildRegion(db, { code: '330100000000', name: '定位市', level: 'city' });
  const street = await buildRegion(db, {
    code: '330102001000',
    name: '定位街道',
    level: 'street',
    parent: city,
  });
  west = (
    await buildRegion(db, {
      code: '330102001001',
      name: '西园社区',
      level: 'community',
      parent: street,
    })
  ).id;
  east = (
    await buildRegion(db, {
      code: '330102001002',
      name: '东园社区',
      level: 'community',
      parent: street,
    })
  ).id;
  regionNames.set(west, '西园社区').set(east, '东园社区');
  const user = await buildUser(db, { username: 'loc_office', name: '定位办', roles: ['office'] });
  officeActor = {
    id: user.id,
    username: 'loc_office',
    name: '定位办',
    roles: ['office'],
    unitId: null,
    regionId: null,
    ip: null,
  };
  office = await t.login('loc_office');
  const leaves = [...(await categoriesByCode(office)).values()].filter((c) => c.parentId !== null);
  cat = leaves[0]!;
  cat2 = leaves[1]!;
  const a = await office.post('/api/grids', {
    code: '330102001001001',
    name: '西园一网格',
    regionId: west,
    geometry: { type: 'Polygon', coordinates: [sq(118.78, 32.04, 118.79, 32.05)] },
  });
  expect(a.statusCode, a.body).toBe(201);
  A = a.json();
  const b = await office.post('/api/grids', {
    code: '330102001002001',
    name: '东园一网格',
    regionId: east,
    geometry: { type: 'Polygon', coordinates: [sq(118.79, 32.04, 118.8, 32.05)] },
  });
  expect(b.statusCode, b.body).toBe(201);
  B = b.json();
});
afterAll(() => t.close());

describe('located intake: lookups in the write statement', () => {
  it('gives each intake of a concurrent burst its own grid, region, 反弹 and nearby problems', async () => {
    const closed = await report(office, { title: '已结案', categoryId: cat.id, ...SPOT_CLOSED });
    await closeNow(closed.problem.id);
    const open = await report(office, { title: '未结案', categoryId: cat.id, ...SPOT_OPEN });
    const old = await report(office, { title: '早已结案', categoryId: cat.id, ...SPOT_OLD });
    await closeNow(old.problem.id, 120);
    // Of another category at the open one's place: neither a duplicate nor a recurrence for `cat`.
    const otherKind = await report(office, {
      title: '另一类',
      categoryId: cat2.id,
      lng: SPOT_OPEN.lng + 0.0001,
      lat: SPOT_OPEN.lat,
    });
    await closeNow(otherKind.problem.id);

    const cases = [
      // ~11 m from the closed one: a recurrence of it; in A, so A's community.
      {
        body: { categoryId: cat.id, lng: SPOT_CLOSED.lng, lat: SPOT_CLOSED.lat + 0.0001 },
        grid: A.grid.id,
        region: west,
        recurrence: closed.problem.id,
        similar: [] as number[],
      },
      // ~22 m from the open one, in B: it is offered as a duplicate.
      {
        body: { categoryId: cat.id, lng: SPOT_OPEN.lng, lat: SPOT_OPEN.lat + 0.0002 },
        grid: B.grid.id,
        region: east,
        recurrence: null,
        similar: [open.problem.id],
      },
      // Outside every grid: no grid, no region.
      {
        body: { categoryId: cat.id, ...OUTSIDE },
        grid: null,
        region: null,
        recurrence: null,
        similar: [],
      },
      // Closed 120 days ago: not a recurrence (window 90 days).
      {
        body: { categoryId: cat.id, ...SPOT_OLD },
        grid: A.grid.id,
        region: west,
        recurrence: null,
        similar: [],
      },
      // Another category at the open one's place: the closed one of its kind recurs, no duplicate.
      {
        body: { categoryId: cat2.id, ...SPOT_OPEN },
        grid: B.grid.id,
        region: east,
        recurrence: otherKind.problem.id,
        similar: [],
      },
      // A region given: kept, the grid still routed.
      {
        body: { categoryId: cat.id, lng: 118.797, lat: 32.041, regionId: west },
        grid: B.grid.id,
        region: west,
        recurrence: null,
        similar: [],
      },
      // No place: no lookups at all, and no `similar` in the answer.
      {
        body: { categoryId: cat.id },
        grid: null,
        region: null,
        recurrence: null,
        similar: undefined,
      },
    ];
    // Three copies of the list, concurrently: batches form (on PostgreSQL) and hold intakes at
    // different places; the copies of a case are not within 50 m of any other case.
    const burst = [0, 1, 2].flatMap((copy) =>
      cases.map((c, k) => ({ ...c, copy, body: { title: `批次${copy}-${k}`, ...c.body } })),
    );
    const gc = intakeGroupCommit(t.database);
    const largest = gc.stats.largest;
    gc.stats.largest = 0;
    const answers = await Promise.all(
      burst.map((c) => office.post('/api/problems', { severity: 'normal', ...c.body })),
    );
    // On PostgreSQL located intakes shared statements (PGlite runs one at a time).
    if (t.database.driver === 'postgres') expect(gc.stats.largest).toBeGreaterThan(1);
    gc.stats.largest = Math.max(largest, gc.stats.largest);
    const titles = new Map<number, string>();
    for (const [i, res] of answers.entries()) {
      expect(res.statusCode, res.body).toBe(201);
      titles.set(res.json<TProblemDetail>().problem.id, burst[i]!.body.title);
    }
    for (const [i, res] of answers.entries()) {
      const c = burst[i]!;
      const d = res.json<TProblemDetail>();
      expect(d.problem.title).toBe(c.body.title);
      expect(d.problem.recurrenceOfId).toBe(c.recurrence);
      expect(d.problem.regionId).toBe(c.region);
      expect(d.problem.regionName).toBe(c.region === null ? null : regionNames.get(c.region));
      if (c.recurrence === null) expect(d.timeline[0]!.data).toEqual({ channel: 'office' });
      else expect(d.timeline[0]!.data).toEqual({ channel: 'office', recurrenceOfId: c.recurrence });
      // Nearby: the expected problem, plus copies of the same case that were committed or ahead
      // in the same batch (never a later one: see the next test).
      if (c.similar === undefined) {
        expect(d.similar).toBeUndefined();
      } else {
        const found = d.similar!.map((s) => s.id);
        expect(found.filter((id) => !titles.has(id))).toEqual(c.similar);
        for (const id of found.filter((id) => titles.has(id))) {
          expect(titles.get(id)!.split('-')[1]).toBe(c.body.title.split('-')[1]);
          expect(id).toBeLessThan(d.problem.id);
        }
      }
      expect(await stored(d.problem.id)).toEqual({
        gridId: c.grid,
        regionId: c.region,
        recurrenceOfId: c.recurrence,
      });
      expect(await auditAfter(d.problem.id)).toEqual(d.problem);
      const again = (await office.get(`/api/problems/${d.problem.id}`)).json<TProblemDetail>();
      expect(again.problem).toEqual(d.problem);
      expect(again.timeline).toEqual(d.timeline);
    }
  });

  it('in one batch, the later of two intakes at one place sees the earlier as nearby; both see the same 反弹', async () => {
    const spot = { lng: 118.7885, lat: 32.0485 }; // in A
    const before = await report(office, { title: '同点旧案', categoryId: cat.id, ...spot });
    await closeNow(before.problem.id);
    // A writer that holds the writes until all three arrived and runs them as one statement, in
    // title order: a batch exactly as the group commit would run it, with a known order.
    const held: { w: IntakeWrite; resolve: (r: IntakeResult) => void }[] = [];
    const writer = (w: IntakeWrite) =>
      new Promise<IntakeResult>((resolve) => {
        held.push({ w, resolve });
        if (held.length < 3) return;
        held.sort((x, y) => x.w.problem.title.localeCompare(y.w.problem.title));
        void insertIntakes(
          t.database.db,
          held.map((h) => h.w),
        ).then((out) => held.forEach((h, i) => h.resolve(out[i]!)));
      });
    const intake = (title: string, categoryId: number, lngOffset = 0) =>
      intakeProblem(
        t.database.db,
        officeActor,
        {
          title,
          categoryId,
          severity: 'normal',
          lat: spot.lat,
          lng: spot.lng + lngOffset,
        },
        DEFAULT_INTAKE,
        {},
        writer,
      );
    const [first, second, third] = await Promise.all([
      intake('同批1', cat.id),
      intake('同批2', cat.id, 0.0001), // ~9.4 m east
      intake('同批3', cat2.id),
    ]);
    expect(first.detail.problem.id).toBeLessThan(second.detail.problem.id);
    // The first sees nothing open (the old one is closed: its 反弹); the second sees the first —
    // as if they had run one after the other in arrival order; the other category sees neither.
    expect(first.detail.similar).toEqual([]);
    expect(second.detail.similar).toEqual([
      {
        id: first.detail.problem.id,
        code: first.detail.problem.code,
        title: '同批1',
        state: 'reported',
        distanceM: expect.any(Number),
      },
    ]);
    expect(second.detail.similar![0]!.distanceM).toBeGreaterThan(8);
    expect(second.detail.similar![0]!.distanceM).toBeLessThan(11);
    expect(third.detail.similar).toEqual([]);
    expect(first.detail.problem.recurrenceOfId).toBe(before.problem.id);
    expect(second.detail.problem.recurrenceOfId).toBe(before.problem.id);
    expect(third.detail.problem.recurrenceOfId).toBeNull();
    for (const d of [first.detail, second.detail, third.detail]) {
      expect(await stored(d.problem.id)).toEqual({
        gridId: A.grid.id,
        regionId: west,
        recurrenceOfId: d.problem.recurrenceOfId,
      });
      expect(await auditAfter(d.problem.id)).toEqual(d.problem);
    }
    // A later intake there sees both, nearest first.
    const later = await report(office, { title: '之后', categoryId: cat.id, ...spot });
    expect(later.similar!.map((s) => s.id)).toEqual([
      first.detail.problem.id,
      second.detail.problem.id,
    ]);
    expect(later.similar![0]!.distanceM).toBe(0);
  });
});

describe('grid routing from memory, checked by the statement', () => {
  let appB: App;
  let databaseB: Database;
  let officeB: Agent;
  let dataDir: string;

  beforeAll(async () => {
    // A second app server on the same database: on PostgreSQL its own pool; on PGlite (one
    // instance per process) the same instance under another Drizzle instance and Database
    // object, so every per-database cache of the app (grid index, group commit) is its own.
    databaseB = t.database.url
      ? await openDatabase({ databaseUrl: t.database.url, poolSize: 2 })
      : {
          ...t.database,
          db: drizzlePglite((t.database.db as unknown as { $client: PGlite }).$client, {
            schema,
          }),
          close: async () => {},
        };
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-test-b-'));
    const config = loadConfig(
      { SEED: 'none', WEB_DIR: '/nonexistent', DATA_DIR: dataDir, SESSION_CACHE_MS: '0' },
      'test',
    );
    appB = await buildApp({ database: databaseB, config, logger: false });
    await appB.ready();
    const login = await appB.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'loc_office', password: TEST_PASSWORD },
    });
    expect(login.statusCode, login.body).toBe(200);
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const headers = { cookie, 'x-csrf-token': login.json<{ csrfToken: string }>().csrfToken };
    const send = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
      appB.inject({
        method,
        url,
        headers,
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
    officeB = {
      ...office,
      get: (url) => send('GET', url),
      post: (url, body) => send('POST', url, body ?? {}),
      patch: (url, body) => send('PATCH', url, body),
    };
  });
  afterAll(async () => {
    await appB.close();
    await databaseB.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const routeOnA = async (p: { lng: number; lat: number }) => {
    const d = await report(office, { title: '路由', categoryId: cat.id, ...p });
    return (await stored(d.problem.id)).gridId;
  };

  it('routes from the index without reloading it while the grids stay as they are', async () => {
    await routeOnA({ lng: 118.781, lat: 32.041 });
    const loads = gridRoutingLoads(t.database.db);
    expect(loads).toBeGreaterThan(0);
    for (const [p, grid] of [
      [{ lng: 118.781, lat: 32.049 }, A.grid.id],
      [{ lng: 118.799, lat: 32.041 }, B.grid.id],
      [{ lng: 118.79, lat: 32.045 }, Math.min(A.grid.id, B.grid.id)], // the shared edge
      [OUTSIDE, null],
    ] as const) {
      expect(await routeOnA(p)).toBe(grid);
    }
    expect(gridRoutingLoads(t.database.db)).toBe(loads);
  });

  it('sees a grid edited, created or removed on another app server at the next intake there', async () => {
    const inB = { lng: 118.798, lat: 32.048 };
    const inA = { lng: 118.783, lat: 32.046 };
    expect(await routeOnA(inB)).toBe(B.grid.id); // A's index knows B
    const loads = gridRoutingLoads(t.database.db);

    // Server B deactivates grid B: server A routes the next intake there to no grid at once.
    const off = await officeB.patch(`/api/grids/${B.grid.id}`, {
      version: B.grid.version,
      active: false,
    });
    expect(off.statusCode, off.body).toBe(200);
    // An intake elsewhere is not concerned: routed from the index as it was, no reload.
    expect(await routeOnA(inA)).toBe(A.grid.id);
    expect(gridRoutingLoads(t.database.db)).toBe(loads);
    expect(await routeOnA(inB)).toBeNull();
    expect(gridRoutingLoads(t.database.db)).toBe(loads + 1);

    // Back on, and then B's polygon moved east on server B.
    const on = await officeB.patch(`/api/grids/${B.grid.id}`, {
      version: off.json<TGridDetail>().grid.version,
      active: true,
    });
    expect(on.statusCode, on.body).toBe(200);
    expect(await routeOnA(inB)).toBe(B.grid.id);
    const moved = await officeB.patch(`/api/grids/${B.grid.id}`, {
      version: on.json<TGridDetail>().grid.version,
      geometry: { type: 'Polygon', coordinates: [sq(118.7975, 32.04, 118.81, 32.05)] },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    B = moved.json();
    expect(await routeOnA({ lng: 118.797, lat: 32.048 })).toBeNull();
    expect(await routeOnA(inB)).toBe(B.grid.id);
    expect(await routeOnA({ lng: 118.805, lat: 32.048 })).toBe(B.grid.id);

    // A new grid created on server B, where there was none: A routes there, with its community.
    const spot = { lng: 118.775, lat: 32.045 };
    expect(await routeOnA(spot)).toBeNull();
    const made = await officeB.post('/api/grids', {
      code: '330102001002002',
      name: '东园二网格',
      regionId: east,
      geometry: { type: 'Polygon', coordinates: [sq(118.77, 32.04, 118.78, 32.05)] },
    });
    expect(made.statusCode, made.body).toBe(201);
    const C = made.json<TGridDetail>();
    const d = await report(office, { title: '新网格', categoryId: cat.id, ...spot });
    expect(await stored(d.problem.id)).toMatchObject({ gridId: C.grid.id, regionId: east });
    expect(d.problem.regionName).toBe('东园社区');

    // An edit by no app server at all (SQL by hand): also seen by the next intake there.
    await t.database.db.execute(sql`update grids set region_id = ${west} where id = ${C.grid.id}`);
    const e = await report(office, { title: '改区', categoryId: cat.id, ...spot });
    expect(await stored(e.problem.id)).toMatchObject({ gridId: C.grid.id, regionId: west });
    await t.database.db.execute(sql`delete from grids where id = ${C.grid.id}`);
    expect(await routeOnA(spot)).toBeNull();
  });

  it('routes on the other server from its own index, which sees server A’s edits too', async () => {
    const spot = { lng: 118.808, lat: 32.042 }; // in B as moved
    const viaB = await officeB.post('/api/problems', {
      title: 'B上报',
      severity: 'normal',
      categoryId: cat.id,
      ...spot,
    });
    expect(viaB.statusCode, viaB.body).toBe(201);
    expect((await stored(viaB.json<TProblemDetail>().problem.id)).gridId).toBe(B.grid.id);
    const off = await office.patch(`/api/grids/${B.grid.id}`, {
      version: B.grid.version,
      active: false,
    });
    expect(off.statusCode, off.body).toBe(200);
    const after = await officeB.post('/api/problems', {
      title: 'B再报',
      severity: 'normal',
      categoryId: cat.id,
      ...spot,
    });
    expect((await stored(after.json<TProblemDetail>().problem.id)).gridId).toBeNull();
  });
});
