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
import { intakeGroupCommit } from '../server/modules/problems/intake.repo.js';
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

const CONCURRENCY = 50;
const INTAKES = Number(process.env.BENCH_INTAKES ?? 5000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 500);
const READS = Number(process.env.BENCH_READS ?? 500);
const EXPORT_ROWS = Number(process.env.BENCH_EXPORT_ROWS ?? 100_000);

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
        deadline, rework_count, created_at, updated_at, registered_at, dispatched_at, closed_at, handling_hours)
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
        case when s.state = 'closed' then 16 end
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

async function runOn(label: string, database: Database, n: number, url?: string) {
  await runMigrations(database);
  await seedReferenceData(database);
  await seedDemoCity(database);
  await generate(database, n);
  await settle(database);
  const { base, cookie, csrf, close } = await startBenchApp(database);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-bench-export-'));
  const [cat] = await execRows<{ id: number }>(
    database.db,
    sql`select id from problem_categories where parent_id is not null limit 1`,
  );
  const [region] = await execRows<{ id: number }>(
    database.db,
    sql`select id from regions where level = 'community' limit 1`,
  );
  const [unit] = await execRows<{ id: number }>(database.db, sql`select id from units limit 1`);

  console.log(`\n== ${label}: ${n.toLocaleString()} problems, ${CONCURRENCY} concurrent clients`);
  const rawInsert = (total: number) =>
    load(total, CONCURRENCY, async (i) => {
      await database.db.execute(sql`
        insert into problems (code, title, category_id, channel, state, region_id)
        values (${`RAW-${total}-${i}-${Date.now()}`}, ${'原始写入'}, ${cat!.id}, 'office', 'registered', ${region!.id})`);
      await database.afterCommit();
    });
  const intakeSpec = {
    concurrency: CONCURRENCY,
    method: 'POST' as const,
    urls: [`${base}/api/problems`],
    headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
    body: JSON.stringify({
      title: '接口登记{i}',
      categoryId: cat!.id,
      regionId: region!.id,
      register: true,
    }),
    expectStatus: 201,
  };
  // Warm-up, not measured: pool connections opened, statements prepared, the server's code
  // compiled by the JIT — the steady state an app server runs in.
  await rawInsert(WARMUP);
  await httpLoad({ ...intakeSpec, total: WARMUP });
  const raw = await rawInsert(INTAKES);
  console.log(row('baseline: raw INSERT (pooled)', raw));
  const before = intakeGroupCommit(database).stats;
  const warm = { items: before.items, batches: before.batches };
  const intake = await httpLoad({ ...intakeSpec, total: INTAKES });
  console.log(row('POST /api/problems (intake)', intake, raw));
  const gc = intakeGroupCommit(database).stats;
  const items = gc.items - warm.items;
  const batches = gc.batches - warm.batches;
  console.log(
    `  group commit: ${items} intakes in ${batches} statements (mean ${fmt(items / Math.max(1, batches))}, largest of the run and warm-up ${gc.largest})`,
  );

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
