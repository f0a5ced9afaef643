import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { inject } from 'vitest';
import { dropDatabaseWhenFree, openDatabase, type Database, type Schema } from '../db/client.js';
import { MIGRATIONS_DIR } from '../db/migrate.js';

/**
 * For tests of one migration on data written before it: a copy of the migrations that stops before
 * it, a fresh database (PGlite, or a new PostgreSQL database when TEST_DB=postgres) and migrating
 * it to a folder's journal.
 */

/** A copy of the migrations whose journal stops before `tag` (e.g. `0028_unit_aliases`). */
export function migrationsBefore(tag: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-mig-before-'));
  fs.cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  const file = path.join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(fs.readFileSync(file, 'utf8')) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((e) => e.tag === tag);
  if (at <= 0) throw new Error(`no migration ${tag} after the first`);
  journal.entries = journal.entries.slice(0, at);
  fs.writeFileSync(file, JSON.stringify(journal));
  return dir;
}

/** A new empty database, and how to drop it. */
export async function openFreshDatabase(
  prefix: string,
): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (process.env.TEST_DB !== 'postgres') {
    // initdb's result, made once per run by the global setup.
    const empty = new Blob([fs.readFileSync(inject('pgliteEmpty'))]);
    const database = await openDatabase({ pgliteLoad: empty });
    return { database, drop: () => database.close() };
  }
  const base = process.env.TEST_DATABASE_URL!;
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: u.toString(), poolSize: 2 });
  return {
    database,
    drop: async () => {
      await database.close();
      await dropDatabaseWhenFree(base, name);
    },
  };
}

/** Runs the migrations of `folder`'s journal on the database. */
export async function migrateTo(database: Database, folder: string): Promise<void> {
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
