import { sql } from 'drizzle-orm';
import {
  dropDatabaseWhenFree,
  execRows,
  openDatabase,
  type Database,
} from '../server/db/client.js';
import { runMigrations } from '../server/db/migrate.js';
import { seedPointTypes } from '../server/db/seed/demo-points.js';
import { seedDemoCity } from '../server/db/seed/demo-city.js';
import { seedReferenceData } from '../server/db/seed/reference-data.js';
import { fmt, load, memoryMb, startBenchApp } from './lib.js';

// Visits benchmark (issue #5): the round report — roll-ups of a round's latest visit versions by
// type, region, unit, point and checklist item, plus the previous round's total — through the API,
// for rounds of 1,000 and 5,000 visits (10 % of them corrected once) in a city of 10,000 points.
// Baseline in the same run: one raw SQL aggregate by point type over the same visits (no latest-
// version filter, no presentation) — the least work any report must do.

const POINTS = 10_000;
const UNITS = 300;
const SIZES = (process.env.BENCH_VISITS ?? '1000,5000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);

async function setUp(database: Database): Promise<{ officeId: number }> {
  await runMigrations(database);
  await seedReferenceData(database);
  await seedDemoCity(database);
  await seedPointTypes(database);
  await database.db.execute(
    sql`insert into units (code, name, short_name, type)
        select 'VB-' || g, '压测包保单位' || g || '号', '压测' || g, 'other'
        from generate_series(1, ${UNITS}) g`,
  );
  await database.db.execute(
    sql`insert into points (name, type_id, region_id, unit_id, lat, lng)
        select '压测点位' || g,
          (select id from point_types order by code offset (g % 12) limit 1),
          (select id from regions where level = 'community' order by id
             offset (g % (select count(*) from regions where level = 'community')) limit 1),
          (select id from units where code = 'VB-' || (1 + g % ${UNITS})),
          30.2 + (g % 100) * 0.001, 120.1 + (g / 100) * 0.001
        from generate_series(1, ${POINTS}) g`,
  );
  const [office] = await execRows<{ id: number }>(
    database.db,
    sql`select id from users where username = 'office'`,
  );
  await database.afterCommit();
  return { officeId: office!.id };
}

/** A drawn round of `n` points with one visit each (random answers), 10 % corrected once. */
async function roundWithVisits(database: Database, n: number, officeId: number): Promise<number> {
  const [round] = await execRows<{ id: number }>(
    database.db,
    sql`insert into rounds (name, kind, state, plan, region_ids, inspector_ids, drawn_ids)
        values (${`压测轮次${n}-${Date.now()}`}, 'mock', 'drawn', '[]'::jsonb, '{}', ${sql`array[${officeId}]::int[]`},
          (select array_agg(id) from (select id from points order by id limit ${n}) x))
        returning id`,
  );
  const roundId = round!.id;
  const visit = (version: number, prev: string) => sql`
    with answers as (
      select p.id as point_id, t.checklist,
        (select jsonb_agg(jsonb_build_object('index', i - 1, 'result',
            case when random() < 0.8 then 'pass' when random() < 0.7 then 'fail' else 'na' end,
            'photoIds', '[]'::jsonb))
          from generate_series(1, jsonb_array_length(t.checklist)) i) as items
      from points p join point_types t on t.id = p.type_id
      where p.id in (select unnest(drawn_ids) from rounds where id = ${roundId})
        ${version === 1 ? sql`` : sql`and p.id % 10 = 0`}
    ), tallied as (
      select a.*,
        (select count(*) from jsonb_array_elements(a.items) e where e->>'result' = 'pass')::int as passed,
        (select count(*) from jsonb_array_elements(a.items) e where e->>'result' = 'fail')::int as failed,
        (select count(*) from jsonb_array_elements(a.items) e where e->>'result' = 'na')::int as na,
        (select count(*) from jsonb_array_elements(a.items) e
          where e->>'result' = 'fail'
            and (a.checklist->((e->>'index')::int)->>'serious')::boolean)::int as serious
      from answers a
    )
    insert into inspection_visits (client_id, root_id, previous_id, version, reason, round_id,
      point_id, inspector_id, items, visited_at, passed, failed, not_applicable, serious_failed, score)
    select gen_random_uuid(), ${version === 1 ? sql`null` : sql.raw(`${prev}.id`)},
      ${version === 1 ? sql`null` : sql.raw(`${prev}.id`)}, ${version},
      ${version === 1 ? null : '复核更正'}, ${roundId}, t.point_id, ${officeId}, t.items, now(),
      t.passed, t.failed, t.na, t.serious,
      case when t.passed + t.failed = 0 then null else t.passed::float / (t.passed + t.failed) end
    from tallied t
    ${version === 1 ? sql`` : sql.raw(`join inspection_visits ${prev} on ${prev}.point_id = t.point_id and ${prev}.round_id = ${roundId} and ${prev}.version = 1`)}`;
  await database.db.execute(visit(1, ''));
  await database.db.execute(visit(2, 'v1'));
  await database.afterCommit();
  return roundId;
}

async function runOn(label: string, open: () => Promise<Database>): Promise<void> {
  const database = await open();
  const { officeId } = await setUp(database);
  const { base, cookie } = await startBenchApp(database);
  console.log(
    `\n== ${label}: ${POINTS.toLocaleString()} points, ${UNITS} units, ${RUNS} runs each`,
  );
  for (const n of SIZES) {
    const roundId = await roundWithVisits(database, n, officeId);
    const [rows] = await execRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from inspection_visits where round_id = ${roundId}`,
    );
    const baseline = await load(RUNS, 1, async () => {
      await execRows(
        database.db,
        sql`select t.code, sum(v.passed)::float / nullif(sum(v.passed + v.failed), 0) as rate
            from inspection_visits v join points p on p.id = v.point_id
            join point_types t on t.id = p.type_id
            where v.round_id = ${roundId} group by t.code`,
      );
    });
    let check = '';
    const report = await load(RUNS, 1, async () => {
      const res = await fetch(`${base}/api/rounds/${roundId}/report`, { headers: { cookie } });
      if (res.status !== 200) throw new Error(`report: ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { visited: number; byUnit: unknown[] };
      check = `${body.visited} latest visits, ${body.byUnit.length} units`;
    });
    const xlsx = await load(Math.max(3, RUNS / 4), 1, async () => {
      const res = await fetch(`${base}/api/rounds/${roundId}/report.xlsx`, { headers: { cookie } });
      await res.arrayBuffer();
    });
    console.log(
      `-- round of ${n.toLocaleString()} visits (${rows!.n} rows with corrections; ${check})`,
    );
    console.log(
      `baseline: raw SQL pass rate by type            p50 ${fmt(baseline.p50, 2)} ms  p95 ${fmt(baseline.p95, 2)} ms`,
    );
    console.log(
      `GET /api/rounds/:id/report (all roll-ups)    p50 ${fmt(report.p50, 2)} ms  p95 ${fmt(report.p95, 2)} ms  ratio ${fmt(report.p50 / baseline.p50, 1)}× of baseline`,
    );
    console.log(
      `GET /api/rounds/:id/report.xlsx                p50 ${fmt(xlsx.p50, 2)} ms  p95 ${fmt(xlsx.p95, 2)} ms  ratio ${fmt(xlsx.p50 / baseline.p50, 1)}× of baseline`,
    );
  }
  console.log(`memory: ${memoryMb()}`);
  await database.close();
}

export async function visitsBench(): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!url) {
    console.log('\n(visits bench runs on PostgreSQL: set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
    return;
  }
  const name = `cc_bench_visits_${Date.now().toString(36)}`;
  const admin = await openDatabase({ databaseUrl: url, poolSize: 1 });
  await admin.db.execute(sql.raw(`create database ${name}`));
  await admin.close();
  const u = new URL(url);
  u.pathname = `/${name}`;
  try {
    await runOn('PostgreSQL', () => openDatabase({ databaseUrl: u.toString(), poolSize: 10 }));
  } finally {
    await dropDatabaseWhenFree(url, name);
  }
}
