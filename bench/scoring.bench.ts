import { sql } from 'drizzle-orm';
import {
  dropDatabaseWhenFree,
  execRows,
  openDatabase,
  type Database,
} from '../server/db/client.js';
import { runMigrations } from '../server/db/migrate.js';
import { seedDemoCity } from '../server/db/seed/demo-city.js';
import { seedDemoFramework } from '../server/db/seed/demo-framework.js';
import { seedPointTypes } from '../server/db/seed/demo-points.js';
import { seedDemoSurvey } from '../server/db/seed/demo-survey.js';
import { seedReferenceData } from '../server/db/seed/reference-data.js';
import { fmt, load, memoryMb, startBenchApp } from './lib.js';

// Scoring benchmark (issue #8, parts 1–2), end to end through the API on PostgreSQL, in a city of
// 10,000 points (12 types, 300 包保单位): last year's official round visited every point once,
// this year's mock round 5,000 points (10 % corrected); 20,000 open problems at points; the demo
// framework with dossiers graded and checklist items linked to its field standards.
//   GET  /api/scoring/projection        — the year score and the cycle total (every cycle year)
//   POST /api/scoring/mock-evaluation   — 10,000 simulated draws over the 10,000 points
// Baselines in the same run: the raw SQL scans each endpoint cannot avoid (the mock round's latest
// visits with their answers; every point's scored visits).

const POINTS = 10_000;
const UNITS = 300;
const RUNS = Number(process.env.BENCH_RUNS ?? 10);

async function setUp(database: Database): Promise<{ campaignId: number }> {
  await runMigrations(database);
  await seedReferenceData(database);
  await seedDemoCity(database);
  await seedDemoFramework(database);
  await seedPointTypes(database);
  await seedDemoSurvey(database);
  const db = database.db;
  // Link each checklist item to one field standard of the demo framework (round-robin).
  await db.execute(sql`
    with fs as (select array_agg(code order by code) as codes from framework_nodes
                where kind = 'standard' and method in ('field', 'simulation', 'overall'))
    update point_types t set checklist = (
      select jsonb_agg(e || jsonb_build_object('standards',
               jsonb_build_array(fs.codes[1 + (t.id * 7 + i) % array_length(fs.codes, 1)])) order by i)
      from jsonb_array_elements(t.checklist) with ordinality as x(e, i))
    from fs`);
  await db.execute(
    sql`insert into units (code, name, short_name, type)
        select 'SB-' || g, '压测包保单位' || g || '号', '压测' || g, 'other'
        from generate_series(1, ${UNITS}) g`,
  );
  await db.execute(
    sql`insert into points (name, type_id, region_id, unit_id, lat, lng)
        select '压测点位' || g,
          (select id from point_types order by code offset (g % 12) limit 1),
          (select id from regions where level = 'community' order by id
             offset (g % (select count(*) from regions where level = 'community')) limit 1),
          (select id from units where code = 'SB-' || (1 + g % ${UNITS})),
          30.2 + (g % 100) * 0.001, 120.1 + (g / 100) * 0.001
        from generate_series(1, ${POINTS}) g`,
  );
  const [office] = await execRows<{ id: number }>(
    db,
    sql`select id from users where username = 'office'`,
  );
  const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
  const round = async (name: string, kind: string, n: number, at: string) => {
    const [r] = await execRows<{ id: number }>(
      db,
      sql`insert into rounds (name, kind, state, plan, region_ids, inspector_ids, drawn_ids)
          values (${name}, ${kind}, 'revealed', '[]'::jsonb, '{}', '{}',
            (select array_agg(id) from (select id from points order by random() limit ${n}) x))
          returning id`,
    );
    const visit = (version: number) => sql`
      with answers as (
        select p.id as point_id,
          (select jsonb_agg(jsonb_build_object('index', i - 1, 'result',
              case when random() < 0.85 then 'pass' when random() < 0.8 then 'fail' else 'na' end,
              'photoIds', '[]'::jsonb))
            from generate_series(1, jsonb_array_length(t.checklist)) i) as items
        from points p join point_types t on t.id = p.type_id
        where p.id in (select unnest(drawn_ids) from rounds where id = ${r!.id})
          ${version === 1 ? sql`` : sql`and p.id % 10 = 0`}
      ), tallied as (
        select a.*,
          (select count(*) from jsonb_array_elements(a.items) e where e->>'result' = 'pass')::int as passed,
          (select count(*) from jsonb_array_elements(a.items) e where e->>'result' = 'fail')::int as failed,
          (select count(*) from jsonb_array_elements(a.items) e where e->>'result' = 'na')::int as na
        from answers a
      )
      insert into inspection_visits (client_id, root_id, previous_id, version, round_id, point_id,
        inspector_id, items, visited_at, passed, failed, not_applicable, serious_failed, score)
      select gen_random_uuid(), ${version === 1 ? sql`null` : sql`v1.id`},
        ${version === 1 ? sql`null` : sql`v1.id`}, ${version}, ${r!.id}, t.point_id, ${office!.id},
        t.items, ${at}::timestamptz + (random() * interval '20 days'), t.passed, t.failed, t.na, 0,
        case when t.passed + t.failed = 0 then null else t.passed::float / (t.passed + t.failed) end
      from tallied t
      ${version === 1 ? sql`` : sql`join inspection_visits v1 on v1.point_id = t.point_id and v1.round_id = ${r!.id} and v1.version = 1`}`;
    await db.execute(visit(1));
    await db.execute(visit(2));
    return r!.id;
  };
  await round('压测去年复测', 'official', POINTS, `${year - 1}-10-01`);
  await round('压测今年模拟', 'mock', POINTS / 2, `${year}-01-05`);
  await db.execute(sql`
    insert into problems (code, title, category_id, channel, state, point_id)
    select 'SB' || g, '压测问题' || g, (select id from problem_categories order by id limit 1),
      'inspection', (array['dispatched','submitted','returned','registered'])[1 + g % 4],
      (select id from points order by id offset (g * 7919) % ${POINTS} limit 1)
    from generate_series(1, 20000) g`);
  await db.execute(sql`
    insert into evidence_dossiers (framework_id, standard_key, year, state, grade)
    select v.framework_id, n.key, ${year}, 'approved', (array['A','B','C','D'])[1 + abs(hashtext(n.key)) % 4]
    from framework_nodes n join framework_versions v on v.id = n.version_id and v.status = 'published'
    where n.kind = 'standard' and n.method in ('material', 'online', 'report')`);
  await db.execute(sql`analyze`);
  const [c] = await execRows<{ id: number }>(db, sql`select id from campaigns order by id limit 1`);
  await database.afterCommit();
  return { campaignId: c!.id };
}

async function runOn(label: string, open: () => Promise<Database>): Promise<void> {
  const database = await open();
  const { campaignId } = await setUp(database);
  const { base, cookie, csrf, close } = await startBenchApp(database);
  const [mock] = await execRows<{ id: number }>(
    database.db,
    sql`select id from rounds where kind = 'mock'`,
  );
  console.log(
    `\n== ${label}: ${POINTS.toLocaleString()} points, ${UNITS} units, 15,000 visits (+10 % corrections), 20,000 open problems; ${RUNS} requests each`,
  );
  const baseRound = await load(RUNS, 1, async () => {
    await execRows(
      database.db,
      sql`select p.type_id, v.items from inspection_visits v join points p on p.id = v.point_id
          where v.round_id = ${mock!.id}
            and not exists (select 1 from inspection_visits c where c.previous_id = v.id)`,
    );
  });
  let check = '';
  const projection = await load(RUNS, 1, async () => {
    const res = await fetch(`${base}/api/scoring/projection?campaignId=${campaignId}`, {
      headers: { cookie },
    });
    if (res.status !== 200) throw new Error(`projection: ${res.status} ${await res.text()}`);
    const p = (await res.json()) as {
      yearScore: { score: number; unknown: number };
      cycle: { total: number };
      sources: { fieldRound: { visits: number } | null };
    };
    check = `year ${p.yearScore.score}, cycle ${p.cycle.total}, ${p.yearScore.unknown} unknown, field round ${p.sources.fieldRound?.visits} visits`;
  });
  console.log(
    `baseline: raw SQL, the mock round's latest visits with answers   p50 ${fmt(baseRound.p50, 1)} ms  p95 ${fmt(baseRound.p95, 1)} ms`,
  );
  console.log(
    `GET /api/scoring/projection (year + cycle)                   p50 ${fmt(projection.p50, 1)} ms  p95 ${fmt(projection.p95, 1)} ms  ratio ${fmt(projection.p50 / baseRound.p50, 1)}× (${check})`,
  );

  const baseVisits = await load(RUNS, 1, async () => {
    await execRows(
      database.db,
      sql`select v.point_id, v.visited_at, v.score from inspection_visits v
          where v.score is not null
            and not exists (select 1 from inspection_visits c where c.previous_id = v.id)`,
    );
  });
  const plan = [
    ...['P01', 'P02', 'P03', 'P04'].map((type) => ({ type, mode: 'all' as const })),
    ...['P05', 'P06', 'P07', 'P08', 'P09', 'P10', 'P11', 'P12'].map((type, i) => ({
      type,
      mode: 'random' as const,
      count: 10 + i * 5,
    })),
  ];
  let split = '';
  const mockEval = await load(RUNS, 1, async () => {
    const res = await fetch(`${base}/api/scoring/mock-evaluation`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
      body: JSON.stringify({ plan, runs: 10_000, target: 0.85 }),
    });
    if (res.status !== 200) throw new Error(`mock: ${res.status} ${await res.text()}`);
    const m = (await res.json()) as {
      points: number;
      drawnPerRun: number;
      pTarget: number;
      expected: number;
      ms: { load: number; simulate: number };
    };
    split = `${m.points} points, ${m.drawnPerRun} drawn a run, load ${m.ms.load} ms + simulate ${m.ms.simulate} ms; E ${fmt(m.expected, 4)}, P(≥0.85) ${fmt(m.pTarget, 3)}`;
  });
  console.log(
    `baseline: raw SQL, every point's scored visits               p50 ${fmt(baseVisits.p50, 1)} ms  p95 ${fmt(baseVisits.p95, 1)} ms`,
  );
  console.log(
    `POST /api/scoring/mock-evaluation (10,000 runs)              p50 ${fmt(mockEval.p50, 1)} ms  p95 ${fmt(mockEval.p95, 1)} ms  ratio ${fmt(mockEval.p50 / baseVisits.p50, 1)}×  ${mockEval.p95 < 1000 ? '✓ < 1 s' : '✗ ≥ 1 s'}`,
  );
  console.log(`  last run: ${split}`);
  console.log(`memory: ${memoryMb()}`);
  await close();
  await database.close();
}

export async function scoringBench(): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!url) {
    console.log(
      '\n(scoring bench runs on PostgreSQL: set BENCH_DATABASE_URL or TEST_DATABASE_URL)',
    );
    return;
  }
  const name = `cc_bench_scoring_${Date.now().toString(36)}`;
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
