import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { dropDatabaseWhenFree, openDatabase } from '../db/client.js';
import { MIGRATIONS_DIR, runMigrations } from '../db/migrate.js';

// Upgrade on several servers at once: three app servers start together on an empty PostgreSQL
// database; one applies the migrations under the advisory lock, the others wait and find nothing
// left to do, and every migration is applied exactly once.

describe.runIf(process.env.TEST_DB === 'postgres')('migrations on several servers at once', () => {
  const base = process.env.TEST_DATABASE_URL ?? '';
  const name = `cc_mig_${process.pid}_${Date.now().toString(36)}`;
  afterAll(() => dropDatabaseWhenFree(base, name));

  it('applies each migration once while three servers start together', async () => {
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(base);
    u.pathname = `/${name}`;
    const servers = await Promise.all(
      [1, 2, 3].map(() => openDatabase({ databaseUrl: u.toString(), poolSize: 1 })),
    );
    try {
      await Promise.all(servers.map((s) => runMigrations(s)));
      const journal = JSON.parse(
        fs.readFileSync(path.join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8'),
      ) as { entries: unknown[] };
      const client = new pg.Client({ connectionString: u.toString() });
      await client.connect();
      try {
        const rows = await client.query<{ hash: string }>(
          'select hash from drizzle.__drizzle_migrations',
        );
        expect(rows.rows.length).toBe(journal.entries.length);
        expect(new Set(rows.rows.map((r) => r.hash)).size).toBe(journal.entries.length);
        const tables = await client.query<{ n: string }>(
          `select count(*) as n from pg_tables where schemaname = 'public'`,
        );
        expect(Number(tables.rows[0]!.n)).toBeGreaterThan(10);
      } finally {
        await client.end();
      }
      // a later start finds nothing to do
      await runMigrations(servers[0]!);
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });
});
