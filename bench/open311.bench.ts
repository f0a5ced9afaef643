import { sql } from 'drizzle-orm';
import { execRows, type Database } from '../server/db/client.js';
import { runMigrations } from '../server/db/migrate.js';
import { seedDemoCity } from '../server/db/seed/demo-city.js';
import { seedReferenceData } from '../server/db/seed/reference-data.js';
import { fmt, httpLoad, load, onBenchDatabases, row, startBenchApp } from './lib.js';
import { generate } from './problems.bench.js';

// Open311 benchmark (issue #6): citizen intake through POST /open311/v2/requests.json under load,
// beside the internal intake route and raw INSERTs measured in the same run; then the public
// GET requests list and one request, over a city whose ledger holds BENCH_OPEN311_PROBLEMS
// problems, half of them citizens' reports.

const CONCURRENCY = 50;
const INTAKES = Number(process.env.BENCH_INTAKES ?? 2000);
const READS = Number(process.env.BENCH_READS ?? 500);

async function runOn(label: string, database: Database, n: number) {
  await runMigrations(database);
  await seedReferenceData(database);
  await seedDemoCity(database);
  await generate(database, n);
  // Half the ledger came from citizens, spread over the last 90 days like the generated problems.
  await database.db.execute(sql`
    insert into citizen_reports (problem_id, tracking_code, created_at)
    select id, 'SJ' || lpad(id::text, 10, '0'), created_at from problems where id % 2 = 0`);
  await database.db.execute(sql`analyze citizen_reports`);
  await database.afterCommit();
  const { base, cookie, csrf, close } = await startBenchApp(database, {
    OPEN311_REQUESTS_PER_MINUTE: '1000000',
    OPEN311_READS_PER_MINUTE: '1000000',
  });
  const client = await fetch(`${base}/api/open311/clients`, {
    method: 'POST',
    headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
    body: JSON.stringify({ name: '压测网关', channel: 'citizen' }),
  });
  const { apiKey, client: created } = (await client.json()) as {
    apiKey: string;
    client: { id: number };
  };
  // The key reads back what its client filed (anonymous reads see published problems only):
  // the bench's citizen reports are this client's.
  await database.db.execute(sql`update citizen_reports set open311_client_id = ${created.id}`);
  await database.afterCommit();
  const [cat] = await execRows<{ id: number; code: string }>(
    database.db,
    sql`select id, code from problem_categories where parent_id is not null order by id limit 1`,
  );

  console.log(`\n== ${label}: ${n.toLocaleString()} problems, ${CONCURRENCY} concurrent clients`);
  const raw = await load(INTAKES, CONCURRENCY, async (i) => {
    await database.db.execute(sql`
      insert into problems (code, title, category_id, channel, state, lat, lng)
      values (${`RAW-${i}-${Date.now()}`}, ${'原始写入'}, ${cat!.id}, 'citizen', 'reported', 30.27, 120.16)`);
    await database.afterCommit();
  });
  console.log(row('baseline: raw INSERT (pooled)', raw));
  const internal = await httpLoad({
    total: INTAKES,
    concurrency: CONCURRENCY,
    method: 'POST',
    urls: [`${base}/api/problems`],
    headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
    body: JSON.stringify({
      title: '内部登记{i}',
      categoryId: cat!.id,
      channel: 'citizen',
      lat: 30.27,
      lng: 120.16,
    }),
    expectStatus: 201,
  });
  console.log(row('POST /api/problems (internal intake)', internal, raw));
  const open311 = await httpLoad({
    total: INTAKES,
    concurrency: CONCURRENCY,
    method: 'POST',
    urls: [`${base}/open311/v2/requests.json`],
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      api_key: apiKey,
      service_code: cat!.code,
      lat: '30.27',
      long: '120.16',
      description: '压测市民反映',
      'attribute[order_no]': 'B-{i}',
    })
      .toString()
      .replace('B-%7Bi%7D', 'B-{i}'),
    expectStatus: 201,
  });
  console.log(row('POST /open311/v2/requests.json', open311, raw));
  console.log(
    `  Open311 vs internal intake: ${fmt(open311.perSecond / internal.perSecond, 2)}× throughput, p99 ${fmt(open311.p99)} vs ${fmt(internal.p99)} ms`,
  );

  const [some] = await execRows<{ tracking_code: string }>(
    database.db,
    sql`select tracking_code from citizen_reports order by problem_id desc offset 1000 limit 1`,
  );
  for (const clients of [1, 10]) {
    const list = await httpLoad({
      total: clients === 1 ? READS / 5 : READS,
      concurrency: clients,
      urls: [
        `${base}/open311/v2/requests.json?page_size=100`,
        `${base}/open311/v2/requests.json?page_size=100&page=5&status=open`,
        `${base}/open311/v2/requests.xml?page_size=100&service_code=${cat!.code}`,
      ],
      headers: { 'x-api-key': apiKey },
      expectStatus: 200,
    });
    console.log(row(`GET requests (100 a page), ${clients} client(s)`, list));
    const one = await httpLoad({
      total: clients === 1 ? READS / 5 : READS,
      concurrency: clients,
      urls: [`${base}/open311/v2/requests/${some!.tracking_code}.json`],
      headers: { 'x-api-key': apiKey },
      expectStatus: 200,
    });
    console.log(row(`GET requests/{id}, ${clients} client(s)`, one));
  }
  await close();
}

export async function open311Bench(): Promise<void> {
  await onBenchDatabases({
    prefix: 'o',
    poolSize: 20,
    postgres: (db) =>
      runOn('PostgreSQL', db, Number(process.env.BENCH_OPEN311_PROBLEMS ?? 1_000_000)),
    pglite: (db) =>
      runOn('PGlite (strict)', db, Number(process.env.BENCH_PGLITE_PROBLEMS ?? 50_000)),
  });
}
