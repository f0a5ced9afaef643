import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRows, type Database } from './client.js';
import { runMigrations } from './migrate.js';
import { migrateTo, migrationsBefore, openFreshDatabase } from '../test/migration-kit.js';

// Migration 0028 adds units.aliases and splits a short name an old import stored as a list
// ("城管局、城管") into the short name (its first name) and aliases (the rest), so no name is lost.

const MIGRATION = '0028_unit_aliases';

let database: Database;
let dropDatabase: () => Promise<void> = () => Promise.resolve();
let scratch = '';

type Row = { code: string; short_name: string | null; aliases: string[] };

beforeAll(async () => {
  scratch = migrationsBefore(MIGRATION);
  ({ database, drop: dropDatabase } = await openFreshDatabase('cc_mig'));
  await migrateTo(database, scratch);
  await database.db.execute(sql`insert into units (code, name, short_name, type) values
    ('U-1', '市城市管理局', '城管局、城管', 'department'),
    ('U-2', '市教育局', '教育局', 'department'),
    ('U-3', '市发展和改革委员会', ' 发改委 ；发改, 市发改委/发改委 ', 'department'),
    ('U-4', '市卫生健康委员会', null, 'department'),
    ('U-5', '市文明办', '、', 'department')`);
  await runMigrations(database);
});

afterAll(async () => {
  await dropDatabase();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

describe(`migration ${MIGRATION}`, () => {
  it('splits listed short names into a short name and aliases, leaving the others alone', async () => {
    const rows = await execRows<Row>(
      database.db,
      sql`select code, short_name, aliases from units order by code`,
    );
    expect(rows).toEqual([
      { code: 'U-1', short_name: '城管局', aliases: ['城管'] },
      { code: 'U-2', short_name: '教育局', aliases: [] },
      { code: 'U-3', short_name: '发改委', aliases: ['发改', '市发改委'] },
      { code: 'U-4', short_name: null, aliases: [] },
      // Nothing but separators: no name to keep, and nothing is invented.
      { code: 'U-5', short_name: '、', aliases: [] },
    ]);
  });
});
