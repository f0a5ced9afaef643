import fs from 'node:fs';
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRows, type Database } from './client.js';
import { runMigrations } from './migrate.js';
import { migrateTo, migrationsBefore, openFreshDatabase } from '../test/migration-kit.js';
import {
  assignmentReportReminders,
  assignmentReports,
  householdVisits,
  outreachPairings,
  pledges,
} from './schema/index.js';

// Migration 0027 renames three tables to the glossary's words (responsibility_agreements → pledges,
// task_reports → assignment_reports, outreach_assignments → outreach_pairings) and must keep every
// row. A database is migrated up to the migration before it, filled through the old names, then
// upgraded the way a server does at start-up; the rows are then read through the Drizzle schema
// under the new names, with the same ids and values, and the references still hold.

const RENAMES = '0027_glossary_names';

type Row = Record<string, unknown>;
let database: Database;
let dropDatabase: () => Promise<void> = () => Promise.resolve();
let scratch = '';
type Key =
  | 'region'
  | 'unitA'
  | 'unitB'
  | 'user'
  | 'campaign'
  | 'framework'
  | 'pledgeSigned'
  | 'pledgeUnsigned'
  | 'report1'
  | 'report2'
  | 'pairingCommunity'
  | 'pairingBuilding';
const ids = {} as Record<Key, number>;
let before: Record<string, Row[]> = {};

const rows = (query: ReturnType<typeof sql>) => execRows<Row>(database.db, query);
const one = async (query: ReturnType<typeof sql>) => (await rows(query))[0]!;
const FILE_SCAN = '0a000000-0000-4000-8000-000000000001';
const FILE_REPORT = '0a000000-0000-4000-8000-000000000002';

const id = async (query: ReturnType<typeof sql>) => Number((await one(query)).id);

/** Rows written the way the old code wrote them, through the old table and column names. */
async function fillOldTables(): Promise<void> {
  ids.region = await id(sql`insert into regions (code, name, level, path)
    values ('330100001001', '湖滨社区', 'community', '/1/') returning id`);
  ids.unitA = await id(sql`insert into units (code, name, type, region_id)
    values ('U-A', '市城市管理局', 'department', ${ids.region}) returning id`);
  ids.unitB = await id(sql`insert into units (code, name, type)
    values ('U-B', '市教育局', 'department') returning id`);
  ids.user = await id(sql`insert into users (username, name, unit_id, roles, password_hash)
    values ('cadre', '王干部', ${ids.unitA}, '{unit}', 'x') returning id`);
  ids.campaign = await id(sql`insert into campaigns
    (name, cycle_start_year, cycle_years, cycle_weights, method_weights, survey_floor)
    values ('2026—2028 创建周期', 2026, 3, '[]', '{}', '{}') returning id`);
  ids.framework = await id(sql`insert into frameworks (campaign_id, name, level)
    values (${ids.campaign}, '全国文明城市测评体系', 'prefecture') returning id`);
  await database.db.execute(sql`insert into files (id, mime, size, sha256, storage_key, uploaded_by)
    values (${FILE_SCAN}, 'application/pdf', 10, 'a', 'k1', ${ids.user}),
           (${FILE_REPORT}, 'image/jpeg', 20, 'b', 'k2', ${ids.user})`);

  ids.pledgeSigned = await id(sql`insert into responsibility_agreements
    (campaign_id, unit_id, status, signed_file_id, signed_by, signed_at, version)
    values (${ids.campaign}, ${ids.unitA}, 'signed', ${FILE_SCAN}, ${ids.user},
            '2026-03-02T08:00:00Z', 2) returning id`);
  ids.pledgeUnsigned = await id(sql`insert into responsibility_agreements (campaign_id, unit_id)
    values (${ids.campaign}, ${ids.unitB}) returning id`);

  ids.report1 = await id(sql`insert into task_reports
    (framework_id, standard_key, unit_id, status, text, file_ids, reported_by, reported_at)
    values (${ids.framework}, 'k-4.1.1', ${ids.unitA}, 'in_progress', '已完成排查',
            ${`{${FILE_REPORT}}`}::uuid[], ${ids.user}, '2026-03-05T02:00:00Z') returning id`);
  ids.report2 = await id(sql`insert into task_reports
    (framework_id, standard_key, unit_id, status, text, reported_by, reported_at)
    values (${ids.framework}, 'k-4.1.1', ${ids.unitA}, 'done', '已全部完成', ${ids.user},
            '2026-03-12T02:00:00Z') returning id`);
  await database.db.execute(sql`insert into task_report_reminders
    (framework_id, standard_key, unit_id, period_start)
    values (${ids.framework}, 'k-4.1.1', ${ids.unitA}, '2026-03-01')`);

  ids.pairingCommunity = await id(sql`insert into outreach_assignments
    (unit_id, region_id, building, leader_id, target_households)
    values (${ids.unitA}, ${ids.region}, '', ${ids.user}, 120) returning id`);
  ids.pairingBuilding = await id(sql`insert into outreach_assignments
    (unit_id, region_id, building, target_households, active)
    values (${ids.unitA}, ${ids.region}, '3幢', 24, false) returning id`);
  for (const [clientId, pairing, household] of [
    ['0b000000-0000-4000-8000-000000000001', ids.pairingCommunity, '1单元101'],
    ['0b000000-0000-4000-8000-000000000002', ids.pairingCommunity, '1单元102'],
    ['0b000000-0000-4000-8000-000000000003', ids.pairingBuilding, '2单元301'],
    ['0b000000-0000-4000-8000-000000000004', null, '5单元501'],
  ] as const) {
    await database.db.execute(sql`insert into household_visits
      (client_id, assignment_id, visitor_id, visitor_unit_id, region_id, building, household,
       visited_at, publicity)
      values (${clientId}, ${pairing}, ${ids.user}, ${ids.unitA}, ${ids.region}, '3幢',
              ${household}, '2026-03-06T06:30:00Z', '{核心价值观,创城知识}')`);
  }

  await database.db.execute(sql`insert into settings (key, value, updated_by)
    values ('task_report_rhythm', '{"everyDays":14}', ${ids.user})`);
  await database.db.execute(sql`insert into job_schedule (name, last_period, last_run_at)
    values ('task-report-reminders', 493123, '2026-03-12T03:00:00Z')`);
}

const OLD_NAMES = ['responsibility_agreements', 'task_report', 'outreach_assignments'];

beforeAll(async () => {
  scratch = migrationsBefore(RENAMES);
  ({ database, drop: dropDatabase } = await openFreshDatabase('cc_mig'));
  await migrateTo(database, scratch);
  await fillOldTables();
  before = {
    pledges: await rows(sql`select * from responsibility_agreements order by id`),
    reports: await rows(sql`select * from task_reports order by id`),
    reminders: await rows(sql`select * from task_report_reminders`),
    pairings: await rows(sql`select * from outreach_assignments order by id`),
    visits: await rows(sql`select * from household_visits order by id`),
  };
  // The rest, as a server applies them at start-up.
  await runMigrations(database);
});

afterAll(async () => {
  await dropDatabase();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

describe(`migration ${RENAMES}`, () => {
  it('keeps every row, id and value under the new names', async () => {
    expect(await rows(sql`select * from pledges order by id`)).toEqual(before.pledges);
    expect(await rows(sql`select * from assignment_reports order by id`)).toEqual(before.reports);
    expect(await rows(sql`select * from assignment_report_reminders`)).toEqual(before.reminders);
    // Every row as it was, with the version later migrations added (0041: 1 for each).
    expect(await rows(sql`select * from outreach_pairings order by id`)).toEqual(
      before.pairings!.map((p) => ({ ...p, version: 1 })),
    );
    // household_visits keeps its name; its assignment_id is now pairing_id.
    expect(await rows(sql`select * from household_visits order by id`)).toEqual(
      before.visits!.map(({ assignment_id, ...v }) => ({ ...v, pairing_id: assignment_id })),
    );
    for (const old of ['responsibility_agreements', 'task_reports', 'task_report_reminders']) {
      expect((await one(sql`select to_regclass(${old}) as t`)).t).toBeNull();
    }
    expect((await one(sql`select to_regclass('outreach_assignments') as t`)).t).toBeNull();
  });

  it('reads the rows through the Drizzle schema (the schema matches the migrated database)', async () => {
    const db = database.db;
    const p = await db.select().from(pledges).orderBy(asc(pledges.id));
    expect(p.map((r) => [r.id, r.unitId, r.status, r.signedFileId, r.signedBy, r.version])).toEqual(
      [
        [ids.pledgeSigned, ids.unitA, 'signed', FILE_SCAN, ids.user, 2],
        [ids.pledgeUnsigned, ids.unitB, 'unsigned', null, null, 1],
      ],
    );
    expect(p[0]!.signedAt?.toISOString()).toBe('2026-03-02T08:00:00.000Z');

    const r = await db.select().from(assignmentReports).orderBy(asc(assignmentReports.id));
    expect(r.map((x) => [x.id, x.status, x.text, x.fileIds, x.reportedBy])).toEqual([
      [ids.report1, 'in_progress', '已完成排查', [FILE_REPORT], ids.user],
      [ids.report2, 'done', '已全部完成', [], ids.user],
    ]);
    expect(await db.select().from(assignmentReportReminders)).toHaveLength(1);

    const o = await db.select().from(outreachPairings).orderBy(asc(outreachPairings.id));
    expect(o.map((x) => [x.id, x.building, x.leaderId, x.targetHouseholds, x.active])).toEqual([
      [ids.pairingCommunity, '', ids.user, 120, true],
      [ids.pairingBuilding, '3幢', null, 24, false],
    ]);
    const v = await db
      .select({ household: householdVisits.household, pairingId: householdVisits.pairingId })
      .from(householdVisits)
      .orderBy(asc(householdVisits.id));
    expect(v).toEqual([
      { household: '1单元101', pairingId: ids.pairingCommunity },
      { household: '1单元102', pairingId: ids.pairingCommunity },
      { household: '2单元301', pairingId: ids.pairingBuilding },
      { household: '5单元501', pairingId: null },
    ]);
  });

  it('keeps the rhythm the office set and the reminder job’s claimed period', async () => {
    expect(
      await rows(sql`select key, value from settings where key like '%report_rhythm'`),
    ).toEqual([{ key: 'assignment_report_rhythm', value: { everyDays: 14 } }]);
    expect(
      await rows(
        sql`select name, last_period::text as p from job_schedule where name like '%report%'`,
      ),
    ).toEqual([{ name: 'assignment-report-reminders', p: '493123' }]);
  });

  it('keeps the references, with their rules, under the new names', async () => {
    const fks = await rows(sql`select conname, conrelid::regclass::text as t,
        confrelid::regclass::text as ref, confdeltype as on_delete
      from pg_constraint
      where contype = 'f' and conrelid in ('pledges'::regclass, 'assignment_reports'::regclass,
        'outreach_pairings'::regclass, 'household_visits'::regclass)
      order by conname`);
    expect(fks).toEqual(
      expect.arrayContaining([
        {
          conname: 'pledges_signed_file_id_files_id_fk',
          t: 'pledges',
          ref: 'files',
          on_delete: 'r',
        },
        {
          conname: 'assignment_reports_unit_id_units_id_fk',
          t: 'assignment_reports',
          ref: 'units',
          on_delete: 'c',
        },
        {
          conname: 'household_visits_pairing_id_outreach_pairings_id_fk',
          t: 'household_visits',
          ref: 'outreach_pairings',
          on_delete: 'n',
        },
        {
          conname: 'outreach_pairings_unit_id_units_id_fk',
          t: 'outreach_pairings',
          ref: 'units',
          on_delete: 'c',
        },
      ]),
    );
    // A signed pledge's scan cannot be deleted; a visit cannot name a pairing that does not exist.
    await expect(
      database.db.execute(sql`delete from files where id = ${FILE_SCAN}`),
    ).rejects.toThrow();
    await expect(
      database.db.execute(sql`update household_visits set pairing_id = 999999
        where household = '5单元501'`),
    ).rejects.toThrow();
    // Removing a pairing leaves its visits, unlinked (on delete set null).
    await database.db.delete(outreachPairings).where(eq(outreachPairings.id, ids.pairingBuilding));
    expect(
      await rows(sql`select pairing_id from household_visits where household = '2单元301'`),
    ).toEqual([{ pairing_id: null }]);
  });

  it('continues the ids where they were, and leaves no object under an old name', async () => {
    const unitC = await id(sql`insert into units (code, name, type)
      values ('U-C', '市卫健委', 'department') returning id`);
    const [pledge] = await database.db
      .insert(pledges)
      .values({ campaignId: ids.campaign, unitId: unitC })
      .returning({ id: pledges.id });
    expect(pledge!.id).toBe(ids.pledgeUnsigned + 1);
    // Unit A has a pledge on the campaign already (the unique index is kept): nothing is added.
    const again = await database.db
      .insert(pledges)
      .values({ campaignId: ids.campaign, unitId: ids.unitA })
      .onConflictDoNothing()
      .returning();
    expect(again).toEqual([]);
    const [next] = await database.db
      .insert(assignmentReports)
      .values({
        frameworkId: ids.framework,
        standardKey: 'k-4.1.2',
        unitId: ids.unitB,
        status: 'not_started',
        text: '尚未启动',
      })
      .returning({ id: assignmentReports.id });
    expect(next!.id).toBe(ids.report2 + 1);
    const [pairing] = await database.db
      .insert(outreachPairings)
      .values({ unitId: ids.unitB, regionId: ids.region, targetHouseholds: 10 })
      .returning({ id: outreachPairings.id });
    expect(pairing!.id).toBe(ids.pairingBuilding + 1);

    const old = `^(${OLD_NAMES.join('|')})`;
    const left = await rows(sql`
      select relname as name from pg_class
        where relnamespace = 'public'::regnamespace and relname ~ ${old}
      union all
      select conname from pg_constraint
        where connamespace = 'public'::regnamespace and conname ~ ${old}`);
    expect(left).toEqual([]);
  });
});
