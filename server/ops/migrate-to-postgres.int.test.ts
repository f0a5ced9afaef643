import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDatabaseWhenFree, execRows, openDatabase, type Database } from '../db/client.js';
import { runMigrations } from '../db/migrate.js';
import { seedDemoCity } from '../db/seed/demo-city.js';
import { seedDemoFramework } from '../db/seed/demo-framework.js';
import { seedReferenceData } from '../db/seed/reference-data.js';
import { sealAuditChain, verifyAuditChain } from '../platform/audit.js';
import { migrateToPostgres } from './migrate-to-postgres.js';

// An embedded database with the demo city moves to an empty PostgreSQL: same rows, same audit
// chain, and new rows continue the numbering.

async function tableRows(database: Database, table: string) {
  return execRows<Record<string, unknown>>(
    database.db,
    sql`select to_jsonb(t)::text as j from ${sql.identifier(table)} t order by 1`,
  );
}

describe.runIf(process.env.TEST_DB === 'postgres')('npm run migrate-to-postgres', () => {
  const base = process.env.TEST_DATABASE_URL ?? '';
  const name = `cc_migrate_${process.pid}_${Date.now().toString(36)}`;
  // Made in beforeAll: a skipped describe still runs its body, and would leave the directory behind.
  let dir = '';
  let url = '';

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-migrate-'));
    const u = new URL(base);
    u.pathname = `/${name}`;
    url = u.toString();
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const source = await openDatabase({ pgliteDir: dir });
    await runMigrations(source);
    await seedReferenceData(source);
    await seedDemoCity(source);
    await seedDemoFramework(source);
    await sealAuditChain(source);
    await source.close();
  });
  afterAll(async () => {
    await dropDatabaseWhenFree(base, name);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('copies every table, keeps the audit chain and continues the sequences', async () => {
    const report = await migrateToPostgres(dir, url);
    expect(report.tables.find((t) => t.table === 'problems')!.rows).toBeGreaterThan(0);
    expect(report.tables.find((t) => t.table === 'audit_log')!.rows).toBeGreaterThan(0);
    expect(report.sequences).toBeGreaterThan(3);

    const source = await openDatabase({ pgliteDir: dir });
    const target = await openDatabase({ databaseUrl: url, poolSize: 2 });
    try {
      for (const { table } of report.tables) {
        expect(await tableRows(target, table), table).toEqual(await tableRows(source, table));
      }
      const v = await verifyAuditChain(target);
      expect(v.ok).toBe(true);
      expect(v.checked).toBe(report.tables.find((t) => t.table === 'audit_log')!.rows);
      // identity columns go on from the source's last value
      const [maxUnit] = await execRows<{ m: string }>(
        target.db,
        sql`select max(id)::text as m from units`,
      );
      const [ins] = await execRows<{ id: string }>(
        target.db,
        sql`insert into units (code, name, type) values ('MIG-1', '迁移测试单位', 'government_department') returning id`,
      );
      expect(Number(ins!.id)).toBeGreaterThan(Number(maxUnit!.m));
    } finally {
      await source.close();
      await target.close();
    }
  });

  it('refuses a target that is not empty', async () => {
    await expect(migrateToPostgres(dir, url)).rejects.toThrow(/not empty/);
  });
});
