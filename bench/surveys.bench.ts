import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { asc, eq, sql } from 'drizzle-orm';
import {
  dropDatabaseWhenFree,
  execRows,
  openDatabase,
  type Database,
} from '../server/db/client.js';
import { runMigrations } from '../server/db/migrate.js';
import { seedDemoCity } from '../server/db/seed/demo-city.js';
import { seedDemoFramework } from '../server/db/seed/demo-framework.js';
import { seedDemoSurvey } from '../server/db/seed/demo-survey.js';
import { seedReferenceData } from '../server/db/seed/reference-data.js';
import {
  regions,
  surveyQuestionnaires,
  surveyQuotas,
  surveyRounds,
  users,
} from '../server/db/schema/index.js';
import {
  rebuildTallies,
  rollupSql,
  roundResults,
  suspiciousResponses,
  tallySql,
} from '../server/modules/surveys/results.service.js';
import { fmt, httpLoad, memoryMb, percentile, startBenchApp } from './lib.js';
import { demoActor } from '../server/db/seed/demo-actors.js';

// Survey results benchmark (issue #7): BENCH_SURVEY_RESPONSES responses (default 100,000) to the
// demo questionnaire over every community of the demo city; the results (rates per question and
// dimension, weighted, Wilson intervals, by community) timed beside the raw SQL aggregate they rest
// on, in the same run. Target: < 1 s on PostgreSQL.

const RUNS = 7;

async function median(n: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return percentile(times, 50);
}

/** A round with a quota in every community and n responses generated in SQL (mostly favourable). */
async function generate(database: Database, n: number): Promise<number> {
  const db = database.db;
  const [qn] = await db
    .select()
    .from(surveyQuestionnaires)
    .where(eq(surveyQuestionnaires.status, 'published'));
  const [guide] = await db.select().from(users).where(eq(users.username, 'surveyor'));
  const [round] = await db
    .insert(surveyRounds)
    .values({
      surveyId: qn!.surveyId,
      name: '压测轮次',
      startsOn: '2026-12-01',
      endsOn: '2026-12-31',
      floorPercent: 80,
    })
    .returning();
  const communities = await db
    .select({ id: regions.id })
    .from(regions)
    .where(eq(regions.level, 'community'))
    .orderBy(asc(regions.id));
  await db.insert(surveyQuotas).values(
    communities.map((c, i) => ({
      roundId: round!.id,
      regionId: c.id,
      group: 'A',
      target: Math.ceil(n / communities.length),
      population: 1000 + i * 137,
      centerLat: 30.26,
      centerLng: 120.15,
      radiusM: 3000,
      publicToken: `bench-${round!.id}-${c.id}`,
    })),
  );
  const started = performance.now();
  const chunk = 50_000;
  for (let from = 1; from <= n; from += chunk) {
    const to = Math.min(n, from + chunk - 1);
    await db.execute(sql`
      with q as (select questions from survey_questionnaires where id = ${qn!.id}),
           k as (select array_agg(id order by id) a from survey_quotas where round_id = ${round!.id})
      insert into survey_responses (client_id, round_id, quota_id, questionnaire_id, channel, guide_id,
        household_code, age, resident_months, eligible, answers, submitted_at, lat, lng)
      select gen_random_uuid(), ${round!.id}, k.a[g % array_length(k.a, 1) + 1], ${qn!.id}, 'guide',
        ${guide!.id}, 'B' || g, 18 + g % 50, 6 + g % 100, 18 + g % 50 <= 65,
        (select jsonb_object_agg(x->>'id', (x->'options')->>(
            case when (g * 7919 + i * 104729) % 100 < 82 then 0
                 else ((g + i) % jsonb_array_length(x->'options'))::int end))
           from jsonb_array_elements(q.questions) with ordinality as t(x, i)),
        now() - (g % 20000) * interval '1 minute',
        30.26 + (g % 100) * 0.0001, 120.15 + (g % 97) * 0.0001
      from generate_series(${from}::int, ${to}::int) g, q, k`);
    await database.afterCommit();
  }
  // The submissions path counts each response into the tallies as it is stored; a bulk load
  // recounts them once (the int tests check both give the same counts).
  await rebuildTallies(db, round!.id);
  await database.afterCommit();
  await db.execute(sql`analyze survey_responses`);
  await db.execute(sql`analyze survey_answer_tallies`);
  console.log(
    `generated ${n.toLocaleString()} responses over ${communities.length} communities in ${fmt(
      (performance.now() - started) / 1000,
    )} s`,
  );
  return round!.id;
}

async function runOn(label: string, database: Database, n: number): Promise<void> {
  await runMigrations(database);
  await seedReferenceData(database);
  await seedDemoCity(database);
  await seedDemoFramework(database);
  await seedDemoSurvey(database);
  const roundId = await generate(database, n);
  const actor = (await demoActor(database, 'office'))!;
  console.log(`\n== ${label}: ${n.toLocaleString()} responses × 10 questions, median of ${RUNS}`);
  // Warm-up: plans and caches, as on a server that has been running.
  await roundResults(database, actor, roundId, 'region');
  const raw = await median(RUNS, () => execRows(database.db, tallySql([roundId])));
  const rawRows = (await execRows(database.db, tallySql([roundId]))).length;
  const rollup = await median(RUNS, () => execRows(database.db, rollupSql([roundId])));
  const overall = await median(RUNS, () => roundResults(database, actor, roundId, 'none'));
  const byRegion = await median(RUNS, () => roundResults(database, actor, roundId, 'region'));
  const susp = await median(3, () => suspiciousResponses(database, actor, roundId));
  const res = await roundResults(database, actor, roundId, 'none');
  console.log(
    `baseline: raw SQL aggregate (${rawRows} tally rows)      ${fmt(raw, 0).padStart(6)} ms`,
  );
  console.log(`raw SQL read of the kept tallies                 ${fmt(rollup, 0).padStart(6)} ms`);
  console.log(
    `results, overall (service, core/survey)          ${fmt(overall, 0).padStart(6)} ms  ratio ${fmt(overall / raw, 2)}×`,
  );
  console.log(
    `results, by community (${res.questions.length} questions)           ${fmt(byRegion, 0).padStart(6)} ms  ratio ${fmt(byRegion / raw, 2)}×`,
  );
  console.log(
    `suspicious patterns (all ${n.toLocaleString()} read)           ${fmt(susp, 0).padStart(6)} ms`,
  );
  console.log(
    `  rates: ${res.dimensions.map((d) => `${d.dimension} ${fmt((d.rate ?? 0) * 100)}% [${fmt((d.lo ?? 0) * 100)}–${fmt((d.hi ?? 0) * 100)}]`).join(', ')}`,
  );
  const { base, cookie, close } = await startBenchApp(database);
  try {
    const http = await httpLoad({
      total: 20,
      concurrency: 1,
      urls: [`${base}/api/survey-rounds/${roundId}/results?by=region`],
      headers: { cookie },
      expectStatus: 200,
    });
    console.log(
      `HTTP GET results?by=region (one client)           p50 ${fmt(http.p50, 0)} ms  p95 ${fmt(http.p95, 0)} ms`,
    );
  } finally {
    await close();
  }
  console.log(`target < 1000 ms: ${byRegion < 1000 ? 'met' : 'NOT met'}; ${memoryMb()}`);
}

export async function surveysBench(): Promise<void> {
  const n = Number(process.env.BENCH_SURVEY_RESPONSES ?? 100_000);
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (url) {
    const name = `cc_bench_s_${Date.now().toString(36)}`;
    const admin = await openDatabase({ databaseUrl: url, poolSize: 1 });
    await admin.db.execute(sql.raw(`create database ${name}`));
    await admin.close();
    const u = new URL(url);
    u.pathname = `/${name}`;
    const database = await openDatabase({ databaseUrl: u.toString(), poolSize: 10 });
    try {
      await runOn('PostgreSQL', database, n);
    } finally {
      await database.close();
      await dropDatabaseWhenFree(url, name);
    }
  } else {
    console.log('(PostgreSQL skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
  }
  if (process.env.BENCH_PGLITE !== '0') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-bench-pglite-'));
    const database = await openDatabase({ pgliteDir: dir });
    try {
      await runOn('PGlite (strict)', database, n);
    } finally {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}
