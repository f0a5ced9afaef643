import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { execRows, type Database } from '../server/db/client.js';
import { runMigrations } from '../server/db/migrate.js';
import { seedDemoCity } from '../server/db/seed/demo-city.js';
import { seedDemoFramework } from '../server/db/seed/demo-framework.js';
import { seedReferenceData } from '../server/db/seed/reference-data.js';
import { fmt, onBenchDatabases, spawnBenchApp, startBenchApp } from './lib.js';

// 网上申报 package (issue #23): BENCH_FILING_MB of evidence files (default 2048 MB) in
// BENCH_FILING_FILES files (default 400: videos and photos, with a few PDFs) over the demo
// framework's material standards, all approved and in the window; then the package is
// downloaded (and thrown away) while the server's peak RSS is read before and after. The files
// are sparse (created with truncate: instant, no disk space); the server reads every byte all the
// same. Baseline in the same run: the same files read straight from disk.
//
// On PostgreSQL the app runs in a process of its own (its RSS is the server's alone); on PGlite
// the figure is the whole bench process's. Target: server peak RSS < 300 MB.
//
//   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test BENCH_PGLITE=0 npm run bench -- filing

const TOTAL_MB = Number(process.env.BENCH_FILING_MB ?? 2048);
const FILES = Number(process.env.BENCH_FILING_FILES ?? 400);
const YEAR = 2026;

interface Generated {
  frameworkId: number;
  dataDir: string;
  keys: string[];
  totalBytes: number;
}

/** Dossiers (approved, with a statement) and FILES sparse files over the material standards. */
async function generate(database: Database): Promise<Generated> {
  await runMigrations(database);
  await seedReferenceData(database);
  await seedDemoCity(database);
  await seedDemoFramework(database);
  const standards = await execRows<{ framework_id: number; key: string }>(
    database.db,
    sql`select v.framework_id, n.key from framework_nodes n
          join framework_versions v on v.id = n.version_id and v.status = 'published'
         where n.kind = 'standard' and n.method = 'material'
         order by v.framework_id, n.id`,
  );
  const frameworkId = Number(standards[0]!.framework_id);
  const mine = standards.filter((s) => Number(s.framework_id) === frameworkId);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-bench-filing-'));
  const per = Math.floor((TOTAL_MB * 1024 * 1024) / FILES);
  const keys: string[] = [];
  let totalBytes = 0;
  const dossierIds = new Map<string, number>();
  for (const s of mine) {
    const [d] = await execRows<{ id: number }>(
      database.db,
      sql`insert into evidence_dossiers (framework_id, standard_key, year, state, statement, grade)
          values (${frameworkId}, ${s.key}, ${YEAR}, 'approved', '按测评要求整理佐证材料。', 'A')
          returning id`,
    );
    dossierIds.set(s.key, Number(d!.id));
  }
  const values = [];
  for (let i = 0; i < FILES; i++) {
    const kind = i % 20 === 0 ? 'pdf' : i % 3 === 0 ? 'jpg' : 'mp4';
    const mime = { pdf: 'application/pdf', jpg: 'image/jpeg', mp4: 'video/mp4' }[kind];
    const key = `bench/filing/${i}.${kind}`;
    const file = path.join(dataDir, 'files', key);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.closeSync(fs.openSync(file, 'w'));
    fs.truncateSync(file, per);
    keys.push(file);
    totalBytes += per;
    const s = mine[i % mine.length]!;
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    values.push({ id, key, mime, dossier: dossierIds.get(s.key)!, i });
  }
  for (let at = 0; at < values.length; at += 500) {
    const chunk = values.slice(at, at + 500);
    await database.db.execute(
      sql`insert into files (id, mime, size, sha256, storage_key, original_name)
          values ${sql.join(
            chunk.map(
              (v) => sql`(${v.id}, ${v.mime}, ${per}, ${'0'.repeat(64)}, ${v.key}, ${`f${v.i}`})`,
            ),
            sql`, `,
          )}`,
    );
    await database.db.execute(
      sql`insert into evidence_files (dossier_id, file_id, title, doc_date)
          values ${sql.join(
            chunk.map((v) => sql`(${v.dossier}, ${v.id}, ${`材料${v.i}`}, ${'2026-06-01'})`),
            sql`, `,
          )}`,
    );
  }
  await database.afterCommit();
  return { frameworkId, dataDir, keys, totalBytes };
}

/** Reads the files straight from disk, one at a time: the baseline throughput. */
async function rawRead(keys: string[]): Promise<{ seconds: number; bytes: number }> {
  const t0 = performance.now();
  let bytes = 0;
  for (const k of keys) {
    for await (const chunk of fs.createReadStream(k, { highWaterMark: 256 * 1024 })) {
      bytes += (chunk as Buffer).length;
    }
  }
  return { seconds: (performance.now() - t0) / 1000, bytes };
}

async function measure(
  label: string,
  g: Generated,
  server: { base: string; cookie: string; maxRssMb?: () => Promise<number> },
): Promise<void> {
  const q = `frameworkId=${g.frameworkId}`;
  // Warm up: the completeness check (plans the same package) before the baseline RSS.
  const c = await fetch(`${server.base}/api/filing/${YEAR}/completeness?${q}`, {
    headers: { cookie: server.cookie },
  });
  if (!c.ok) throw new Error(`completeness ${c.status}: ${await c.text()}`);
  await c.arrayBuffer();
  const before = server.maxRssMb ? await server.maxRssMb() : process.memoryUsage().rss / 2 ** 20;
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const t0 = performance.now();
  const res = await fetch(`${server.base}/api/filing/${YEAR}/package.zip?${q}`, {
    headers: { cookie: server.cookie },
  });
  if (!res.ok || !res.body) throw new Error(`package ${res.status}`);
  let bytes = 0;
  let tail = Buffer.alloc(0);
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    tail = Buffer.concat([tail, chunk]).subarray(-64);
  }
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  // The end of central directory record closes a complete ZIP.
  const complete = tail.includes(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const after = server.maxRssMb ? await server.maxRssMb() : peak / 2 ** 20;
  const base = await rawRead(g.keys);
  const mbps = bytes / 2 ** 20 / seconds;
  const rawMbps = base.bytes / 2 ** 20 / base.seconds;
  console.log(
    `${label}: package ${fmt(bytes / 2 ** 20, 0)} MB (${FILES} files, ${fmt(g.totalBytes / 2 ** 20, 0)} MB of files) in ${fmt(seconds, 1)} s = ${fmt(mbps, 0)} MB/s; ` +
      `raw disk read of the same files ${fmt(rawMbps, 0)} MB/s (ratio ${fmt(mbps / rawMbps, 2)}×); ZIP complete: ${complete}`,
  );
  console.log(
    server.maxRssMb
      ? `${label}: app server process peak RSS ${fmt(after, 0)} MB (${fmt(before, 0)} MB before the package; +${fmt(after - before, 0)} MB)`
      : `${label}: peak RSS ${fmt(after, 0)} MB (app, bench and client in one process; ${fmt(before, 0)} MB before)`,
  );
  if (!complete) throw new Error('the package did not end with a ZIP end record');
}

export async function filingBench(): Promise<void> {
  await onBenchDatabases({
    prefix: 'filing',
    poolSize: 5,
    postgres: async (database, url) => {
      const g = await generate(database);
      const server = await spawnBenchApp(url, { BENCH_APP_DATA_DIR: g.dataDir });
      try {
        await measure('postgres', g, server);
      } finally {
        await server.close();
        fs.rmSync(g.dataDir, { recursive: true, force: true });
      }
    },
    pglite: async (database) => {
      const g = await generate(database);
      const server = await startBenchApp(database, { DATA_DIR: g.dataDir });
      try {
        await measure('pglite', g, server);
      } finally {
        await server.close();
        fs.rmSync(g.dataDir, { recursive: true, force: true });
      }
    },
  });
}
