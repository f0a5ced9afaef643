import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRows, type Database } from './client.js';
import { runMigrations } from './migrate.js';
import { migrateTo, migrationsBefore, openFreshDatabase } from '../test/migration-kit.js';

// Migration 0032 gives each questionnaire its group's respondent rule and each quota and response a
// collection mode. Everything written before it keeps today's behaviour: the residents' rule
// (18–65, resident ≥ 6 months; BRIEF §3) and household interviews with their household codes.

const MIGRATION = '0032_survey_groups_and_modes';

let database: Database;
let dropDatabase: () => Promise<void> = () => Promise.resolve();
let scratch = '';

beforeAll(async () => {
  scratch = migrationsBefore(MIGRATION);
  ({ database, drop: dropDatabase } = await openFreshDatabase('cc_mig'));
  await migrateTo(database, scratch);
  const db = database.db;
  await db.execute(sql`insert into regions (code, name, level, path)
    values ('C-1', '湖滨社区', 'community', '/1/')`);
  await db.execute(sql`insert into surveys (name) values ('2026 入户问卷')`);
  await db.execute(sql`insert into survey_questionnaires
    (survey_id, "group", group_label, number, status, title, questions)
    values (1, 'A', '市民', 1, 'published', '市民卷', '[]'::jsonb),
           (1, 'B', '驻地单位', 1, 'draft', '单位卷', '[]'::jsonb)`);
  await db.execute(sql`insert into survey_rounds (survey_id, name, starts_on, ends_on, floor_percent)
    values (1, '第一轮', '2026-09-01', '2026-09-10', 80)`);
  await db.execute(sql`insert into survey_quotas (round_id, region_id, "group", target, public_token)
    values (1, (select id from regions where code = 'C-1'), 'A', 20, 'tok-before-0032')`);
  await db.execute(sql`insert into survey_responses
    (client_id, round_id, quota_id, questionnaire_id, channel, household_code, age, resident_months,
     eligible, answers, submitted_at)
    values ('00000000-0000-4000-8000-000000000001', 1, 1, 1, 'self', '3幢101', 40, 24, true,
      '{}'::jsonb, now())`);
  await runMigrations(database);
});

afterAll(async () => {
  await dropDatabase();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

describe(`migration ${MIGRATION}`, () => {
  it('existing groups keep the residents’ rule; quotas and responses are household interviews', async () => {
    const qns = await execRows<Record<string, unknown>>(
      database.db,
      sql`select "group", min_age, max_age, min_resident_months from survey_questionnaires
          order by "group"`,
    );
    expect(qns).toEqual([
      { group: 'A', min_age: 18, max_age: 65, min_resident_months: 6 },
      { group: 'B', min_age: 18, max_age: 65, min_resident_months: 6 },
    ]);
    const [quota] = await execRows<{ mode: string }>(
      database.db,
      sql`select mode from survey_quotas`,
    );
    expect(quota!.mode).toBe('household');
    const [response] = await execRows<Record<string, unknown>>(
      database.db,
      sql`select mode, household_code, spot, resident_months from survey_responses`,
    );
    expect(response).toEqual({
      mode: 'household',
      household_code: '3幢101',
      spot: null,
      resident_months: 24,
    });
  });

  it('a household response without a household code, or a street one with one, is refused', async () => {
    // The failure is the constraint's (drizzle wraps the driver's error: look at its causes).
    const refused = async (p: Promise<unknown>) => {
      const err = await p.then(
        () => null,
        (e: unknown) => e,
      );
      const messages: string[] = [];
      for (let e = err as { message?: string; cause?: unknown } | null; e; e = e.cause as never) {
        messages.push(String(e.message));
      }
      expect(messages.join(' | ')).toContain('survey_responses_household_ck');
    };
    const insert = (mode: string, code: string | null, id: string) =>
      database.db.execute(sql`insert into survey_responses
        (client_id, round_id, quota_id, questionnaire_id, channel, mode, household_code, age,
         eligible, answers, submitted_at)
        values (${id}, 1, 1, 1, 'self', ${mode}, ${code}, 40, true, '{}'::jsonb, now())`);
    await refused(insert('household', null, '00000000-0000-4000-8000-000000000002'));
    await refused(insert('street', '3幢102', '00000000-0000-4000-8000-000000000003'));
    // Street interviews have no household code, so any number of them fit in one round.
    await insert('street', null, '00000000-0000-4000-8000-000000000004');
    await insert('street', null, '00000000-0000-4000-8000-000000000005');
    const [n] = await execRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from survey_responses where mode = 'street'`,
    );
    expect(n!.n).toBe(2);
  });
});
