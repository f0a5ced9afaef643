import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import {
  dropDatabaseWhenFree,
  execRows,
  openDatabase,
  type Database,
} from '../server/db/client.js';
import { runMigrations } from '../server/db/migrate.js';
import { seedDemoCity } from '../server/db/seed/demo-city.js';
import { seedReferenceData } from '../server/db/seed/reference-data.js';
import { load, memoryMb, row, startBenchApp } from './lib.js';

// Organisation benchmark: unit writes over HTTP (validation, transaction, audit chain, durability)
// next to raw INSERTs into the same table, and list queries over HTTP next to the same SQL run raw.

// A prefecture city has about 10³ units (DESIGN.md §4); BENCH_UNITS scales it up.
const UNITS = Number(process.env.BENCH_UNITS ?? 2000);
const WRITES = Number(process.env.BENCH_WRITES ?? 1000);
const READS = Number(process.env.BENCH_READS ?? 2000);
const CONCURRENCY = 20;

async function fill(database: Database, n: number): Promise<void> {
  // Bulk data straight into the table: the benchmark measures queries, not the seeding.
  const batch = 1000;
  for (let i = 0; i < n; i += batch) {
    const values = Array.from({ length: Math.min(batch, n - i) }, (_, k) => {
      const j = i + k;
      return sql`(${`B-${j}`}, ${`压测单位${j}号`}, ${j % 3 === 0 ? 'school' : 'enterprise'}, ${(j % 50) + 2})`;
    });
    await database.db.execute(
      sql`insert into units (code, name, type, region_id) values ${sql.join(values, sql`, `)}`,
    );
  }
  await database.afterCommit();
}

async function runOn(label: string, open: () => Promise<Database>, env: Record<string, string>) {
  const database = await open();
  await runMigrations(database);
  await seedReferenceData(database);
  await seedDemoCity(database);
  await fill(database, UNITS);
  const { base, cookie, csrf, close } = await startBenchApp(database, env);
  const headers = { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' };

  console.log(`\n== ${label}: ${UNITS} units, ${CONCURRENCY} concurrent clients`);
  const raw = await load(WRITES, CONCURRENCY, async (i) => {
    await database.db.transaction(async (tx) => {
      await tx.execute(
        sql`insert into units (code, name, type) values (${`RAW-${i}`}, ${`原始写入${i}`}, 'other')`,
      );
    });
    await database.afterCommit();
  });
  console.log(row('baseline: raw INSERT (one tx each)', raw));
  const http = await load(WRITES, CONCURRENCY, async (i) => {
    const res = await fetch(`${base}/api/units`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ code: `HTTP-${i}`, name: `接口写入${i}`, type: 'other' }),
    });
    if (res.status !== 201) throw new Error(`create failed ${res.status} ${await res.text()}`);
  });
  console.log(row('POST /api/units (validate+tx+audit)', http, raw));

  const rawList = await load(READS, CONCURRENCY, async (i) => {
    await execRows(
      database.db,
      sql`select u.*, r.name as region_name from units u left join regions r on r.id = u.region_id
          where u.name ilike ${`%${i % 97}%`} order by u.id limit 51`,
    );
  });
  console.log(row('baseline: raw list SQL (filtered page)', rawList));
  const list = await load(READS, CONCURRENCY, async (i) => {
    const res = await fetch(`${base}/api/units?q=${i % 97}&limit=50`, { headers: { cookie } });
    if (!res.ok) throw new Error(`list failed ${res.status}`);
    await res.arrayBuffer();
  });
  console.log(row('GET /api/units?q=…&limit=50 (with total)', list, rawList));
  const deepCursor = Buffer.from(JSON.stringify([null, Math.floor(UNITS * 0.9)])).toString(
    'base64url',
  );
  const deep = await load(READS, CONCURRENCY, async () => {
    const res = await fetch(`${base}/api/units?limit=50&cursor=${deepCursor}`, {
      headers: { cookie },
    });
    if (!res.ok) throw new Error(`deep page failed ${res.status}`);
    await res.arrayBuffer();
  });
  console.log(row('GET /api/units deep keyset page', deep, rawList));
  console.log(`memory: ${memoryMb()}`);
  await close();
  await database.close();
}

export async function orgBench(): Promise<void> {
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-bench-'));
    dirs.push(d);
    return d;
  };
  try {
    await runOn(
      'PGlite, PGLITE_DURABILITY=strict',
      () => openDatabase({ pgliteDir: tmp(), pgliteDurability: 'strict' }),
      {},
    );
    await runOn(
      'PGlite, PGLITE_DURABILITY=os',
      () => openDatabase({ pgliteDir: tmp(), pgliteDurability: 'os' }),
      {},
    );
    const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
    if (url) {
      const name = `cc_bench_${Date.now().toString(36)}`;
      const admin = await openDatabase({ databaseUrl: url, poolSize: 1 });
      await admin.db.execute(sql.raw(`create database ${name}`));
      await admin.close();
      const u = new URL(url);
      u.pathname = `/${name}`;
      try {
        await runOn(
          'PostgreSQL',
          () => openDatabase({ databaseUrl: u.toString(), poolSize: 20 }),
          {},
        );
      } finally {
        await dropDatabaseWhenFree(url, name);
      }
    } else {
      console.log('\n(PostgreSQL skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
    }
  } finally {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  }
}
