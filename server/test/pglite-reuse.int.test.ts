import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { execRows } from '../db/client.js';
import { createTestDb } from './harness.js';

// The worker's database goes from file to file (pglite-reuse.ts, pg-reuse.ts): whatever a file
// wrote, the next one starts from the snapshot (the template on PostgreSQL), and a file's handle
// is dead once it let go.

const count = async (db: Parameters<typeof execRows>[0], table: string) =>
  Number(
    (
      await execRows<{ n: string }>(
        db,
        sql`select count(*)::text as n from ${sql.identifier(table)}`,
      )
    )[0]!.n,
  );

describe('a database handed from file to file', () => {
  it('comes back as the snapshot left it: rows and sequences', async () => {
    const first = await createTestDb();
    const db = first.database.db;
    const regions = await count(db, 'regions');
    const categories = await count(db, 'problem_categories');
    expect(categories).toBeGreaterThan(0);
    await db.execute(
      sql`insert into units (code, name, type) values ('REUSE-1', '复用测试单位', 'department')`,
    );
    const [{ id: firstId }] = (await execRows<{ id: number }>(
      db,
      sql`select id from units where code = 'REUSE-1'`,
    )) as [{ id: number }];
    await db.execute(sql`delete from problem_categories`);
    await first.drop();
    // Dead once let go: a late query of the old file does not reach the next file's data.
    await expect(db.execute(sql`select 1`)).rejects.toThrow();

    const second = await createTestDb();
    const db2 = second.database.db;
    expect(await count(db2, 'units')).toBe(0);
    expect(await count(db2, 'problem_categories')).toBe(categories);
    expect(await count(db2, 'regions')).toBe(regions);
    await db2.execute(
      sql`insert into units (code, name, type) values ('REUSE-2', '复用测试单位', 'department')`,
    );
    const [{ id: secondId }] = (await execRows<{ id: number }>(
      db2,
      sql`select id from units where code = 'REUSE-2'`,
    )) as [{ id: number }];
    // The sequence starts where the snapshot left it, not where the last file did.
    expect(secondId).toBe(firstId);
    await second.drop();
  });

  it('is handed on when the app made a year’s code sequence, without it', async () => {
    const first = await createTestDb();
    const name = async (db: typeof first.database.db) =>
      (await execRows<{ d: string }>(db, sql`select current_database() as d`))[0]!.d;
    const firstName = await name(first.database.db);
    await first.database.db.execute(sql`create sequence problem_code_2099 start with 7`);
    await first.drop();
    const second = await createTestDb();
    const rows = await execRows<{ n: string }>(
      second.database.db,
      sql`select count(*)::text as n from pg_class where relname = 'problem_code_2099'`,
    );
    expect(rows[0]!.n).toBe('0');
    // The same database, not a fresh clone (on PGlite every instance is called "template1").
    expect(await name(second.database.db)).toBe(firstName);
    await second.drop();
  });

  it('is not handed on when a file changed the schema', async () => {
    const first = await createTestDb();
    await first.database.db.execute(sql`create table reuse_probe (x int)`);
    await first.drop();
    const second = await createTestDb();
    const rows = await execRows<{ n: string }>(
      second.database.db,
      sql`select count(*)::text as n from pg_tables where tablename = 'reuse_probe'`,
    );
    expect(rows[0]!.n).toBe('0');
    await second.drop();
  });
});
