import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dropDatabaseWhenFree,
  execRows,
  openDatabase,
  type Database,
  type Schema,
} from './client.js';
import { MIGRATIONS_DIR, runMigrations } from './migrate.js';

// Migration 0028 adds units.aliases and splits a short name an old import stored as a list
// ("城管局、城管") into the short name (its first name) and aliases (the rest), so no name is lost.

const MIGRATION = '0028_unit_aliases';
const onPostgres = process.env.TEST_DB === 'postgres';

let database: Database;
let dropDatabase: () => Promise<void> = () => Promise.resolve();
let scratch = '';

type Row = { code: string; short_name: string | null; aliases: string[] };

function migrationsBefore(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-mig-aliases-'));
  fs.cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  const file = path.join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(fs.readFileSync(file, 'utf8')) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((e) => e.tag === MIGRATION);
  expect(at).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, at);
  fs.writeFileSync(file, JSON.stringify(journal));
  return dir;
}

async function openFresh(): Promise<void> {
  if (!onPostgres) {
    database = await openDatabase({});
    return;
  }
  const base = process.env.TEST_DATABASE_URL!;
  const name = `cc_ua_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  database = await openDatabase({ databaseUrl: u.toString(), poolSize: 2 });
  dropDatabase = async () => {
    await database.close();
    await dropDatabaseWhenFree(base, name);
  };
}

async function migrateTo(folder: string): Promise<void> {
  if (database.driver === 'pglite') {
    await migratePglite(database.db as unknown as PgliteDatabase<Schema>, {
      migrationsFolder: folder,
    });
    return;
  }
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await migratePg(drizzle(client), { migrationsFolder: folder });
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  scratch = migrationsBefore();
  await openFresh();
  await migrateTo(scratch);
  await database.db.execute(sql`insert into units (code, name, short_name, type) values
    ('U-1', '市城市管理局', '城管局、城管', 'department'),
    ('U-2', '市教育局', '教育局', 'department'),
    ('U-3', '市发展和改革委员会', ' 发改委 ；发改, 市发改委/发改委 ', 'department'),
    ('U-4', '市卫生健康委员会', null, 'department'),
    ('U-5', '市文明办', '、', 'department')`);
  await runMigrations(database);
});

afterAll(async () => {
  if (onPostgres) await dropDatabase();
  else await database?.close();
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
