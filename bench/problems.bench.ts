import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import { execRows, type Database } from '../server/db/client.js';
import { runMigrations } from '../server/db/migrate.js';
import { seedDemoCity } from '../server/db/seed/demo-city.js';
import { seedReferenceData } from '../server/db/seed/reference-data.js';
import type pg from 'pg';
import { SYSTEM_ACTOR } from '../server/platform/actor.js';
import {
  insertIntakes,
  intakeGroupCommit,
  intakeStatementFor,
  type IntakeResult,
  type IntakeWrite,
} from '../server/modules/problems/intake.repo.js';
import { DEFAULT_INTAKE, intakeProblem } from '../server/modules/problems/problems.service.js';
import {
  fmt,
  httpLoad,
  load,
  memoryMb,
  onBenchDatabases,
  row,
  spawnBenchApp,
  startBenchApp,
} from './lib.js';

// Problems benchmark (issue #3): a city with BENCH_PROBLEMS problems (default 1,000,000 on
// PostgreSQL, 100,000 on PGlite), then intake over HTTP beside raw INSERTs, ledger pages, the
// monthly KPI query and a 100,000-row XLSX export.
//
// Since issue #16 the city is located: every generated problem has a position across the
// jurisdiction's box, and 1,120 grids (a 40 × 28 lattice of ~500 m cells) cover ~60 % of it. The
// intake is measured twice in the same run, alternating rounds: with a position (random category,
// random point inside or outside the grids, a description, no region: routing decides) and without
// (the same bodies but for a region instead of the place). The ratio located/unlocated is the
// figure to watch (target ≥ 0.8×).
//
// Quick check: BENCH_PROBLEMS=100000 BENCH_PGLITE=0 BENCH_INTAKE_ONLY=1 npm run bench -- problems

const CONCURRENCY = 50;
const INTAKES = Number(process.env.BENCH_INTAKES ?? 5000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 500);
const READS = Number(process.env.BENCH_READS ?? 500);
const EXPORT_ROWS = Number(process.env.BENCH_EXPORT_ROWS ?? 100_000);
/** Only the intake comparison (no ledger reads, KPIs or export): a quick check. */
const INTAKE_ONLY = process.env.BENCH_INTAKE_ONLY === '1';
/** Rounds of (unlocated, located) intakes, alternating, INTAKES each. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

// The jurisdiction's box (the demo city's boundary spans lng 120.03–120.33, lat 30.17–30.38):
// generated problems and intake points fall anywhere in it; grids cover the inner part.
const AREA = { minLng: 120.05, maxLng: 120.3, minLat: 30.18, maxLat: 30.36 };
const GRID = { west: 120.08, south: 30.2, cols: 40, rows: 28, step: 0.005 };

/** A deterministic PRNG (mulberry32), so runs send the same bodies. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The grids: a lattice of octagon-ish cells (8 vertices, the midpoints of each side nudged so the
 * polygon is not a plain box), each in a community of the demo city, inserted in SQL.
 */
async function generateGrids(database: Database): Promise<number> {
  const regions = await execRows<{ id: number }>(
    database.db,
    sql`select id from regions where level = 'community' order by id`,
  );
  const rows: string[] = [];
  for (let r = 0; r < GRID.rows; r++) {
    for (let c = 0; c < GRID.cols; c++) {
      const w = GRID.west + c * GRID.step;
      const s = GRID.south + r * GRID.step;
      const e = w + GRID.step;
      const n = s + GRID.step;
      const h = GRID.step / 2;
      const ring = [
        [w, s],
        [w + h, s],
        [e, s],
        [e, s + h],
        [e, n],
        [w + h, n],
        [w, n],
        [w, s + h],
        [w, s],
      ].map(([x, y]) => [Math.round(x! * 1e7) / 1e7, Math.round(y! * 1e7) / 1e7]);
      const geometry = JSON.stringify({ type: 'Polygon', coordinates: [ring] });
      const region = regions[(r * GRID.cols + c) % regions.length]!.id;
      rows.push(
        `('BG${r}-${c}', '压测网格${r}-${c}', ${region}, '${geometry}'::jsonb, ${ring[0]![1]}, ${ring[0]![0]}, ${ring[4]![1]}, ${ring[4]![0]}, 100)`,
      );
    }
  }
  await database.db.execute(
    sql.raw(`insert into grids (code, name, region_id, geometry, min_lat, min_lng, max_lat, max_lng, cell_count)
             values ${rows.join(',\n')}`),
  );
  await database.afterCommit();
  return rows.length;
}

/** Intake bodies: random category, point, severity and description; `located` false sends a region instead. */
function intakeBodies(
  n: number,
  categories: readonly number[],
  regions: readonly number[],
  located: boolean,
): string[] {
  const rand = prng(16);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  return Array.from({ length: n }, (_, k) => {
    const lat = AREA.minLat + rand() * (AREA.maxLat - AREA.minLat);
    const lng = AREA.minLng + rand() * (AREA.maxLng - AREA.minLng);
    const common = {
      title: `${located ? '定位' : '接口'}登记${k}-{i}`,
      description: `巡查发现：${pick(['路面破损', '垃圾堆放', '占道经营', '广告牌破损', '井盖缺失', '绿化损毁'])}，位于${pick(['人民路', '解放路', '湖滨路', '望江路', '环城北路'])}${1 + Math.floor(rand() * 300)}号附近，请尽快处理。`,
      categoryId: pick(categories),
      severity: rand() < 0.8 ? 'normal' : 'urgent',
      register: true,
    };
    return JSON.stringify(
      located
        ? {
            ...common,
            lat: Math.round(lat * 1e6) / 1e6,
            lng: Math.round(lng * 1e6) / 1e6,
            address: `人民路${1 + Math.floor(rand() * 300)}号`,
          }
        : { ...common, regionId: pick(regions) },
    );
  });
}

/** Bulk-generates problems in SQL: spread over units, regions, categories, states and 3 months. */
export async function generate(database: Database, n: number): Promise<void> {
  const started = performance.now();
  const chunk = 100_000;
  for (let from = 1; from <= n; from += chunk) {
    const to = Math.min(n, from + chunk - 1);
    await database.db.execute(sql`
      with c as (select array_agg(id order by id) a from problem_categories where parent_id is not null),
           r as (select array_agg(id order by id) a from regions where level = 'community'),
           u as (select array_agg(id order by id) a from units)
      insert into problems (code, title, category_id, severity, channel, state, region_id, unit_id,
        deadline, rework_count, created_at, updated_at, registered_at, dispatched_at, closed_at, handling_hours,
        lat, lng)
      select 'BP' || g, '压测问题' || g,
        c.a[g % array_length(c.a, 1) + 1],
        (array['normal','normal','normal','urgent','critical'])[g % 5 + 1],
        (array['inspection','patrol','citizen','hotline','office','unit'])[g % 6 + 1],
        s.state,
        r.a[g % array_length(r.a, 1) + 1],
        case when s.state in ('dispatched','submitted','closed') then u.a[g % array_length(u.a, 1) + 1] end,
        case when s.state in ('dispatched','submitted','closed') then t.created + interval '3 days' end,
        (g % 17 = 0)::int,
        t.created, t.created, t.created,
        case when s.state in ('dispatched','submitted','closed') then t.created end,
        case when s.state = 'closed' then t.created + interval '2 days' end,
        case when s.state = 'closed' then 16 end,
        ${AREA.minLat}::float8 + (g::bigint * 7919 % 100003) / 100003.0 * ${AREA.maxLat - AREA.minLat}::float8,
        ${AREA.minLng}::float8 + (g::bigint * 104729 % 100019) / 100019.0 * ${AREA.maxLng - AREA.minLng}::float8
      from generate_series(${from}::int, ${to}::int) g, c, r, u,
      lateral (select (array['closed','closed','closed','closed','dispatched','submitted','registered','reported'])[g % 8 + 1] as state) s,
      lateral (select now() - (g % 90) * interval '1 day' - (g % 1440) * interval '1 minute' as created) t`);
    await database.afterCommit();
  }
  await database.db.execute(sql`analyze problems`);
  console.log(
    `generated ${n.toLocaleString()} problems in ${fmt((performance.now() - started) / 1000)} s`,
  );
}

/**
 * After the bulk generation: vacuum (visibility map, statistics) and a checkpoint, so the
 * measurements see a settled database rather than the generator's WAL being flushed and its
 * dead tuples vacuumed underneath them. CHECKPOINT needs superuser or pg_checkpoint; without
 * it the bench says so and goes on.
 */
async function settle(database: Database): Promise<void> {
  await database.db.execute(sql`vacuum analyze problems`);
  if (database.driver === 'pglite') return;
  try {
    await database.db.execute(sql`checkpoint`);
  } catch (err) {
    console.log(`(no checkpoint before measuring: ${(err as Error).message})`);
  }
}

/**
 * BENCH_EXPLAIN=1 (PostgreSQL): the plan of one batch of ten located intakes on the generated
 * city, run with EXPLAIN ANALYZE in a transaction rolled back (then written for real).
 */
async function explainLocatedBatch(database: Database, categories: readonly number[]) {
  const rand = prng(7);
  const held: { w: IntakeWrite; resolve: (r: IntakeResult) => void }[] = [];
  const N = 10;
  const flush = async () => {
    const { text, batch } = intakeStatementFor(held.map((h) => h.w));
    const client = await (database.db as unknown as { $client: pg.Pool }).$client.connect();
    try {
      await client.query('begin');
      const plan = await client.query<Record<string, string>>(
        `explain (analyze, buffers) ${text}`,
        [batch],
      );
      console.log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));
    } finally {
      await client.query('rollback');
      client.release();
    }
    const out = await insertIntakes(
      database.db,
      held.map((h) => h.w),
    );
    held.forEach((h, i) => h.resolve(out[i]!));
  };
  const writer = (w: IntakeWrite) =>
    new Promise<IntakeResult>((resolve) => {
      held.push({ w, resolve });
      if (held.length === N) void flush();
    });
  await Promise.all(
    Array.from({ length: N }, (_, k) =>
      intakeProblem(
        database.db,
        SYSTEM_ACTOR,
        {
          title: `计划${k}`,
          categoryId: categories[Math.floor(rand() * categories.length)]!,
          severity: 'normal',
          lat: AREA.minLat + rand() * (AREA.maxLat - AREA.minLat),
          lng: AREA.minLng + rand() * (AREA.maxLng - AREA.minLng),
        },
        DEFAULT_INTAKE,
        {},
        writer,
      ),
    ),
  );
}

async function runOn(label: string, database: Database, n: number, url?: string) {
  await runMigrations(database);
  await seedReferenceData(database);
  await seedDemoCity(database);
  const gridCount = await generateGrids(database);
  await generate(database, n);
  await settle(database);
  const { base, cookie, csrf, close } = await startBenchApp(database);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-bench-export-'));
  const categories = (
    await execRows<{ id: number }>(
      database.db,
      sql`select id from problem_categories where parent_id is not null and active order by id`,
    )
  ).map((r) => Number(r.id));
  const regions = (
    await execRows<{ id: number }>(
      database.db,
      sql`select id from regions where level = 'community' order by id`,
    )
  ).map((r) => Number(r.id));
  const cat = { id: categories[0]! };
  const region = { id: regions[0]! };
  const [unit] = await execRows<{ id: number }>(database.db, sql`select id from units limit 1`);

  console.log(
    `\n== ${label}: ${n.toLocaleString()} problems, ${gridCount} grids, ${categories.length} categories, ${CONCURRENCY} concurrent clients`,
  );
  const rawInsert = (total: number) =>
    load(total, CONCURRENCY, async (i) => {
      await database.db.execute(sql`
        insert into problems (code, title, category_id, channel, state, region_id)
        values (${`RAW-${total}-${i}-${Date.now()}`}, ${'原始写入'}, ${cat.id}, 'office', 'registered', ${region.id})`);
      await database.afterCommit();
    });
  const intakeSpec = (located: boolean) => ({
    concurrency: CONCURRENCY,
    method: 'POST' as const,
    urls: [`${base}/api/problems`],
    headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
    bodies: intakeBodies(2000, categories, regions, located),
    expectStatus: 201,
  });
  const located = intakeSpec(true);
  const plain = intakeSpec(false);
  // Warm-up, not measured: pool connections opened, statements prepared, the server's code
  // compiled by the JIT — the steady state an app server runs in.
  await rawInsert(WARMUP);
  await httpLoad({ ...plain, total: WARMUP });
  await httpLoad({ ...located, total: WARMUP });
  const raw = await rawInsert(INTAKES);
  console.log(row('baseline: raw INSERT (pooled)', raw));
  // Alternating rounds, so both kinds see the same machine (other work on it comes and goes).
  const sums = { plain: { count: 0, seconds: 0 }, located: { count: 0, seconds: 0 } };
  for (let round = 1; round <= ROUNDS; round++) {
    for (const kind of ['plain', 'located'] as const) {
      const before = { ...intakeGroupCommit(database).stats };
      const r = await httpLoad({ ...(kind === 'plain' ? plain : located), total: INTAKES });
      const gc = intakeGroupCommit(database).stats;
      sums[kind].count += r.count;
      sums[kind].seconds += r.seconds;
      const what = kind === 'plain' ? 'intake, no position' : 'intake, located';
      console.log(
        `${row(`round ${round}: ${what}`, r, raw)}  [${gc.items - before.items} in ${gc.batches - before.batches} statements]`,
      );
    }
  }
  const rate = (k: 'plain' | 'located') => sums[k].count / sums[k].seconds;
  console.log(
    `intake over ${ROUNDS} round(s): no position ${fmt(rate('plain'), 0)}/s, located ${fmt(rate('located'), 0)}/s, ` +
      `located/unlocated ${fmt(rate('located') / rate('plain'), 2)}× (target ≥ 0.8×)`,
  );
  const [routed] = await execRows<{ n: number; g: number; r: number }>(
    database.db,
    sql`select count(*)::int as n, count(grid_id)::int as g, count(recurrence_of_id)::int as r
        from problems where title like '定位登记%'`,
  );
  console.log(
    `  located intakes stored: ${routed!.n}, in a grid ${routed!.g}, marked 反弹 ${routed!.r}`,
  );
  if (process.env.BENCH_EXPLAIN === '1' && database.driver === 'postgres') {
    await explainLocatedBatch(database, categories);
  }
  if (INTAKE_ONLY) {
    await close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    return;
  }

  // Ledger reads: one client alone (the latency of a page), then 10 at once (throughput).
  const firstPageUrls = ['dispatched', 'closed'].map(
    (state) => `${base}/api/problems?state=${state}&unitId=${unit!.id}&limit=50`,
  );
  const cursorAt = Buffer.from(
    JSON.stringify([new Date(Date.now() - 60 * 86_400_000).toISOString(), 1]),
  ).toString('base64url');
  const deepUrls = [`${base}/api/problems?limit=50&cursor=${cursorAt}`];
  for (const clients of [1, 10]) {
    const first = await httpLoad({
      total: clients === 1 ? READS / 5 : READS,
      concurrency: clients,
      urls: firstPageUrls,
      headers: { cookie },
      expectStatus: 200,
    });
    console.log(row(`ledger: filtered first page, ${clients} client(s)`, first));
    const deep = await httpLoad({
      total: clients === 1 ? READS / 5 : READS,
      concurrency: clients,
      urls: deepUrls,
      headers: { cookie },
      expectStatus: 200,
    });
    console.log(row(`ledger: deep keyset page, ${clients} client(s)`, deep));
  }
  const monthFrom = new Date(Date.now() - 30 * 86_400_000).toISOString();
  const monthTo = new Date().toISOString();
  const kpi = await load(20, 1, async () => {
    const res = await fetch(
      `${base}/api/problems/kpis?groupBy=unit&from=${monthFrom}&to=${monthTo}`,
      { headers: { cookie } },
    );
    if (!res.ok) throw new Error(`kpi ${res.status}`);
    await res.arrayBuffer();
  });
  console.log(row('KPIs by unit for a month', kpi));

  await close();

  // Export: the newest EXPORT_ROWS problems (created in the last N days), streamed to disk. On
  // PostgreSQL the app runs in a process of its own for this, so its peak memory is the server's
  // alone (not the bench's, the load client's or the generator's); PGlite lives inside the bench
  // process, so there the figure is the whole process's.
  const [since] = await execRows<{ at: string }>(
    database.db,
    sql`select created_at as at from problems order by created_at desc offset ${EXPORT_ROWS - 1} limit 1`,
  );
  const server: {
    base: string;
    cookie: string;
    maxRssMb?: () => Promise<number>;
    close: () => Promise<void>;
  } = url ? await spawnBenchApp(url) : await startBenchApp(database);
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const rssBefore = server.maxRssMb ? await server.maxRssMb() : 0;
  const t0 = performance.now();
  const res = await fetch(
    `${server.base}/api/problems/export.xlsx?createdFrom=${new Date(since!.at).toISOString()}`,
    { headers: { cookie: server.cookie } },
  );
  if (!res.ok) throw new Error(`export ${res.status}`);
  const out = path.join(dataDir, 'export.xlsx');
  await pipeline(
    Readable.fromWeb(res.body! as import('node:stream/web').ReadableStream),
    fs.createWriteStream(out),
  );
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  const memory = server.maxRssMb
    ? `app server process peak ${fmt(await server.maxRssMb(), 0)} MB rss (${fmt(rssBefore, 0)} MB before the export)`
    : `peak ${fmt(peak / 1024 / 1024, 0)} MB rss (app, bench and client in one process)`;
  console.log(
    `XLSX export of ${EXPORT_ROWS.toLocaleString()} rows: ${fmt(seconds)} s, ` +
      `${fmt(fs.statSync(out).size / 1024 / 1024)} MB file, ${memory}`,
  );
  await server.close();
  console.log(`memory: ${memoryMb()}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
}

export async function problemsBench(): Promise<void> {
  await onBenchDatabases({
    prefix: 'p',
    poolSize: 20,
    postgres: (database, url) =>
      runOn('PostgreSQL', database, Number(process.env.BENCH_PROBLEMS ?? 1_000_000), url),
    pglite: (database) =>
      runOn('PGlite (strict)', database, Number(process.env.BENCH_PGLITE_PROBLEMS ?? 100_000)),
  });
}
