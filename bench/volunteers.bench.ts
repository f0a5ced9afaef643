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
import { stats, ledger } from '../server/modules/volunteers/hours.service.js';
import { listVolunteers } from '../server/modules/volunteers/volunteers.service.js';
import { SYSTEM_ACTOR } from '../server/platform/actor.js';
import { fmt, memoryMb } from './lib.js';

// Volunteers benchmark (issue #7): a large registry — volunteers ≈ 13 % of a prefecture city's
// population — with its attendance; the statistics page (one request = the registration rates,
// active volunteers, hours by team and by district, idle stations), a volunteer's ledger and a
// registry page, each beside a raw SQL baseline on the same database in the same run.

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

async function generate(db: Database, volunteers: number, attendance: number): Promise<void> {
  const d = db.db;
  await d.execute(sql`insert into volunteer_teams (name, region_id)
    select '压测服务队' || g, (select id from regions order by random() limit 1)
    from generate_series(1, 1000) g`);
  await d.execute(sql`insert into practice_places (kind, name, region_id, lat, lng)
    select (array['center','institute','station','lei_feng'])[1 + g % 4], '压测阵地' || g,
      (select id from regions where level = 'community' order by id offset (g % 50) limit 1),
      30.2 + (g % 100) / 1000.0, 120.1 + (g % 77) / 1000.0
    from generate_series(1, 500) g`);
  await d.execute(sql`insert into volunteers (name, phone, team_id, region_id, skills)
    select '压测志愿者' || g, (13000000000 + g)::text,
      (select min(id) from volunteer_teams) + g % 1000,
      (select id from regions where level = 'community' order by id offset (g % 50) limit 1),
      '{文明劝导}'
    from generate_series(1, ${volunteers}) g`);
  const activities = Math.max(100, Math.floor(attendance / 50));
  await d.execute(sql`insert into volunteer_activities (title, starts_at, ends_at, place_id, capacity, signed_up)
    select '压测活动' || g, now() - (g % 365) * interval '1 day',
      now() - (g % 365) * interval '1 day' + interval '2 hours',
      (select min(id) from practice_places) + g % 500, 60, 50
    from generate_series(1, ${activities}) g`);
  await d.execute(sql`insert into activity_attendance (activity_id, volunteer_id, client_id, check_in_at,
      check_in_method, check_out_at, credited_minutes)
    select a0 + (g % ${activities}), v0 + (((g / ${activities})::bigint * 1009 + (g % ${activities}) * 31) % ${volunteers})::int, gen_random_uuid(),
      now() - ((g % ${activities}) % 365) * interval '1 day', 'qr',
      now() - ((g % ${activities}) % 365) * interval '1 day' + interval '100 minutes', 100
    from generate_series(1, ${attendance}) g,
      (select min(id) as a0 from volunteer_activities) a, (select min(id) as v0 from volunteers) v
    on conflict do nothing`);
  await d.execute(sql`insert into hour_adjustments (volunteer_id, minutes, reason)
    select (select min(id) from volunteers) + (g::bigint * 13 % ${volunteers})::int, 30, '压测更正'
    from generate_series(1, ${Math.floor(volunteers / 20)}) g`);
  await d.execute(sql`insert into region_populations (region_id, population)
    select id, 100000 from regions where level in ('district', 'street')`);
  await d.execute(sql`analyze`);
  await db.afterCommit();
}

async function time(fn: () => Promise<unknown>): Promise<number[]> {
  await fn(); // warm
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out.sort((a, b) => a - b);
}

async function runOn(
  label: string,
  open: () => Promise<Database>,
  volunteers: number,
  attendance: number,
) {
  const db = await open();
  try {
    await runMigrations(db);
    await seedReferenceData(db);
    await seedDemoCity(db);
    const t0 = performance.now();
    await generate(db, volunteers, attendance);
    const [n] = await execRows<{ v: number; a: number }>(
      db.db,
      sql`select (select count(*) from volunteers)::int as v, (select count(*) from activity_attendance)::int as a`,
    );
    console.log(
      `\n## ${label}: ${n!.v.toLocaleString()} volunteers, ${n!.a.toLocaleString()} attendances (generated in ${fmt((performance.now() - t0) / 1000)} s)`,
    );
    const someone = Number(
      (
        await execRows<{ id: number }>(
          db.db,
          sql`select volunteer_id as id from activity_attendance limit 1`,
        )
      )[0]!.id,
    );
    const cases: [string, () => Promise<unknown>, () => Promise<unknown>][] = [
      [
        'statistics page (5 aggregates)',
        () => stats(db, SYSTEM_ACTOR),
        // Baseline: the single heaviest aggregate alone, hours by team, written by hand.
        () =>
          execRows(
            db.db,
            sql`select v.team_id, sum(a.credited_minutes) from activity_attendance a
                join volunteers v on v.id = a.volunteer_id group by v.team_id`,
          ),
      ],
      [
        "one volunteer's ledger",
        () => ledger(db, SYSTEM_ACTOR, someone),
        () =>
          execRows(
            db.db,
            sql`select a.*, t.title from activity_attendance a join volunteer_activities t on t.id = a.activity_id
                where a.volunteer_id = ${someone}`,
          ),
      ],
      [
        'registry page (50, with totals)',
        () => listVolunteers(db, SYSTEM_ACTOR, { limit: 50, q: '压测志愿者1' }),
        () =>
          execRows(
            db.db,
            sql`select * from volunteers where name ilike '%压测志愿者1%' order by id limit 51`,
          ),
      ],
    ];
    for (const [name, fn, base] of cases) {
      const ours = await time(fn);
      const raw = await time(base);
      const med = (a: number[]) => a[Math.floor(a.length / 2)]!;
      console.log(
        `${name.padEnd(34)} median ${fmt(med(ours), 1).padStart(8)} ms  max ${fmt(ours[ours.length - 1]!, 1).padStart(8)} ms` +
          `   raw SQL ${fmt(med(raw), 1).padStart(8)} ms   ratio ${fmt(med(ours) / med(raw), 2)}×`,
      );
    }
    console.log(memoryMb());
  } finally {
    await db.close();
  }
}

export async function volunteersBench(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-bench-vol-'));
  try {
    const scale = Number(process.env.BENCH_SCALE ?? 1);
    await runOn(
      'PGlite',
      () => openDatabase({ pgliteDir: dir, pgliteDurability: 'os' }),
      Math.round(50_000 * scale),
      Math.round(500_000 * scale),
    );
    const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
    if (!url) {
      console.log('\n(PostgreSQL skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
      return;
    }
    const name = `cc_bench_vol_${Date.now().toString(36)}`;
    const admin = await openDatabase({ databaseUrl: url, poolSize: 1 });
    await admin.db.execute(sql.raw(`create database ${name}`));
    await admin.close();
    const u = new URL(url);
    u.pathname = `/${name}`;
    try {
      await runOn(
        'PostgreSQL',
        () => openDatabase({ databaseUrl: u.toString(), poolSize: 10 }),
        Math.round(400_000 * scale),
        Math.round(4_000_000 * scale),
      );
    } finally {
      await dropDatabaseWhenFree(url, name);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
