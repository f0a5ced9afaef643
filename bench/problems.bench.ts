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
import { fmt, httpLoad, load, memoryMb, onBenchDatabases, row, startBenchApp } from './lib.js';

// Problems benchmark (issue #3): a city with BENCH_PROBLEMS problems (default 1,000,000 on
// PostgreSQL, 100,000 on PGlite), then intake over HTTP beside raw INSERTs, ledger pages, the
// monthly KPI query and a 100,000-row XLSX export.

const CONCURRENCY = 50;
const INTAKES = Number(process.env.BENCH_INTAKES ?? 2000);
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

async function runOn(label: string, database: Database, n: number) {
  await runMigrations(database);
  await seedReferenceData(database);
  await seedDemoCity(database);
  await generate(database, n);
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
  const raw = await load(INTAKES, CONCURRENCY, async (i) => {
    await database.db.execute(sql`
      insert into problems (code, title, category_id, channel, state, region_id)
      values (${`RAW-${i}-${Date.now()}`}, ${'原始写入'}, ${cat!.id}, 'office', 'registered', ${region!.id})`);
    await database.afterCommit();
  });
  console.log(row('baseline: raw INSERT (pooled)', raw));
  const intake = await httpLoad({
    total: INTAKES,
    concurrency: CONCURRENCY,
    method: 'POST',
    urls: [`${base}/api/problems`],
    headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
    body: JSON.stringify({
      title: '接口登记{i}',
      categoryId: cat!.id,
      regionId: region!.id,
      register: true,
    }),
    expectStatus: 201,
  });
  console.log(row('POST /api/problems (intake)', intake, raw));
  const gc = intakeGroupCommit(database).stats;
  console.log(
    `  group commit: ${gc.items} intakes in ${gc.batches} statements (mean ${fmt(gc.items / Math.max(1, gc.batches))}, largest ${gc.largest})`,
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

  // Export: the newest EXPORT_ROWS problems (created in the last N days), streamed to disk.
  const [since] = await execRows<{ at: string }>(
    database.db,
    sql`select created_at as at from problems order by created_at desc offset ${EXPORT_ROWS - 1} limit 1`,
  );
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const t0 = performance.now();
  const res = await fetch(
    `${base}/api/problems/export.xlsx?createdFrom=${new Date(since!.at).toISOString()}`,
    {
      headers: { cookie },
    },
  );
  const out = path.join(dataDir, 'export.xlsx');
  await pipeline(
    Readable.fromWeb(res.body! as import('node:stream/web').ReadableStream),
    fs.createWriteStream(out),
  );
  clearInterval(sampler);
  console.log(
    `XLSX export of ${EXPORT_ROWS.toLocaleString()} rows: ${fmt((performance.now() - t0) / 1000)} s, ` +
      `${fmt(fs.statSync(out).size / 1024 / 1024)} MB file, peak ${fmt(peak / 1024 / 1024, 0)} MB rss (server and client in one process)`,
  );
  console.log(`memory: ${memoryMb()}`);
  await close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

export async function problemsBench(): Promise<void> {
  await onBenchDatabases({
    prefix: 'p',
    poolSize: 20,
    postgres: (database) =>
      runOn('PostgreSQL', database, Number(process.env.BENCH_PROBLEMS ?? 1_000_000)),
    pglite: (database) =>
      runOn('PGlite (strict)', database, Number(process.env.BENCH_PGLITE_PROBLEMS ?? 100_000)),
  });
}
