import { sql } from 'drizzle-orm';
import {
  parseRankingPeriod,
  periodsEndingWith,
  previousRankingPeriod,
  rankingPeriodOf,
} from '../core/ranking/periods.js';
import { execRows, type Database } from '../server/db/client.js';
import { runMigrations } from '../server/db/migrate.js';
import { seedDemoCity } from '../server/db/seed/demo-city.js';
import { seedReferenceData } from '../server/db/seed/reference-data.js';
import { fmt, load, memoryMb, onBenchDatabases, row, startBenchApp } from './lib.js';
import { generate } from './problems.bench.js';

// Rankings benchmark (issue #8, parts 3–4): over a large problem table, taking the ranking
// snapshot of last month (POST /api/rankings/snapshots) and generating its bulletin (POST
// /api/bulletins) and XLSX, over HTTP, beside the baseline in the same run: the one SQL aggregate
// no snapshot can avoid (the month's KPI counts by unit, raw SQL on the same database).
// The bulletin is timed twice: with no earlier period published (its six-period trend counted
// from the problems, as before snapshots kept their totals), then after the five earlier months
// were taken and published (the trend reads their totals; only the month itself is counted).

const RUNS = Number(process.env.BENCH_RANKING_RUNS ?? 5);

async function runOn(label: string, database: Database, n: number) {
  await runMigrations(database);
  await seedReferenceData(database);
  await seedDemoCity(database);
  await generate(database, n);
  // Every 50th problem came back at the place of the one before it (反弹).
  await database.db.execute(
    sql`update problems set recurrence_of_id = id - 1 where id % 50 = 0 and id > 1`,
  );
  await database.afterCommit();
  const { base, cookie, csrf, close } = await startBenchApp(database);
  const p = previousRankingPeriod(parseRankingPeriod(rankingPeriodOf(new Date(), 'month'))!);
  const [inMonth] = await execRows<{ n: number }>(
    database.db,
    sql`select count(*)::int as n from problems where dispatched_at >= ${p.from} and dispatched_at < ${p.to}`,
  );
  console.log(
    `\n== ${label}: ${n.toLocaleString()} problems, ${inMonth!.n.toLocaleString()} dispatched in ${p.period}`,
  );
  const headers = { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' };
  try {
    const baseline = await load(RUNS, 1, async () => {
      await execRows(
        database.db,
        sql`select p.unit_id, count(*) filter (where p.state = 'closed' or p.deadline <= ${p.to})::int as due,
                   count(*) filter (where p.state = 'closed' and p.closed_at <= p.deadline)::int as on_time,
                   count(*) filter (where p.rework_count > 0)::int as reworked
              from problems p
             where p.dispatched_at >= ${p.from} and p.dispatched_at < ${p.to} and p.state <> 'merged'
             group by 1`,
      );
    });
    let snapshotId = 0;
    const snapshot = await load(RUNS, 1, async () => {
      const res = await fetch(`${base}/api/rankings/snapshots`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ period: p.period }),
      });
      if (res.status !== 201) throw new Error(`snapshot: ${res.status} ${await res.text()}`);
      snapshotId = ((await res.json()) as { id: number }).id;
    });
    let bulletinId = 0;
    const makeBulletin = async () => {
      const res = await fetch(`${base}/api/bulletins`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ snapshotId }),
      });
      if (res.status !== 201) throw new Error(`bulletin: ${res.status} ${await res.text()}`);
      bulletinId = ((await res.json()) as { id: number }).id;
    };
    const bulletinCounted = await load(RUNS, 1, makeBulletin);
    // The five months before, taken and published in order (as the office does month by month).
    const t0 = performance.now();
    for (const q of periodsEndingWith(p, 6).slice(0, -1)) {
      const res = await fetch(`${base}/api/rankings/snapshots`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ period: q.period }),
      });
      if (res.status !== 201) throw new Error(`snapshot ${q.period}: ${res.status}`);
      const id = ((await res.json()) as { id: number }).id;
      const pub = await fetch(`${base}/api/rankings/snapshots/${id}/publish`, {
        method: 'POST',
        headers,
        body: '{}',
      });
      if (pub.status !== 200)
        throw new Error(`publish ${q.period}: ${pub.status} ${await pub.text()}`);
    }
    console.log(
      `five earlier months taken and published: ${fmt((performance.now() - t0) / 1000)} s`,
    );
    const bulletin = await load(RUNS, 1, makeBulletin);
    const xlsx = await load(RUNS, 1, async () => {
      const res = await fetch(`${base}/api/bulletins/${bulletinId}/xlsx`, { headers: { cookie } });
      if (res.status !== 200) throw new Error(`xlsx: ${res.status}`);
      await res.arrayBuffer();
    });
    console.log(`runs: ${RUNS} each, one at a time (latency in ms)`);
    console.log(row('baseline: KPI aggregate by unit (raw SQL)', baseline));
    console.log(row('POST /api/rankings/snapshots', snapshot, baseline));
    console.log(row('POST /api/bulletins (trend counted)', bulletinCounted, baseline));
    console.log(row('POST /api/bulletins (trend from snapshots)', bulletin, baseline));
    console.log(row('GET /api/bulletins/:id/xlsx', xlsx));
    console.log(
      `memory: ${memoryMb()}; p50 ratio to baseline: snapshot ${fmt(snapshot.p50 / baseline.p50, 2)}, bulletin ${fmt(bulletin.p50 / baseline.p50, 2)} (was ${fmt(bulletinCounted.p50 / baseline.p50, 2)} with the trend counted)`,
    );
  } finally {
    await close();
  }
}

export async function rankingsBench(): Promise<void> {
  await onBenchDatabases({
    prefix: 'rk',
    poolSize: 10,
    postgres: (db) => runOn('PostgreSQL', db, Number(process.env.BENCH_PROBLEMS ?? 1_000_000)),
    pglite: (db) => runOn('PGlite', db, Number(process.env.BENCH_PGLITE_PROBLEMS ?? 100_000)),
  });
}
