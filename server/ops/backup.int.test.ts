import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dropDatabaseWhenFree, execRows, openDatabase, type Database } from '../db/client.js';
import { runMigrations } from '../db/migrate.js';
import { seedDemoCity } from '../db/seed/demo-city.js';
import { sealAuditChain, verifyAuditChain } from '../platform/audit.js';
import { createTestDb, type TestDb } from '../test/harness.js';
import { backup, restore, type BackupTarget } from './backup.js';

// Round trip: back up, wipe, restore, and the data (rows, audit chain, files) is what it was.

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-backup-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Row count of every table, and a digest of a few rows that must come back byte for byte. */
async function snapshot(database: Database) {
  const tables = await execRows<{ t: string }>(
    database.db,
    sql`select tablename as t from pg_tables where schemaname = 'public' order by 1`,
  );
  const counts: Record<string, number> = {};
  for (const { t } of tables) {
    const [r] = await execRows<{ n: string }>(
      database.db,
      sql`select count(*)::text as n from ${sql.identifier(t)}`,
    );
    counts[t] = Number(r!.n);
  }
  const users = await execRows<{ username: string; password_hash: string }>(
    database.db,
    sql`select username, password_hash from users order by id`,
  );
  const problems = await execRows<{ code: string; state: string; deadline: unknown }>(
    database.db,
    sql`select code, state, deadline::text as deadline from problems order by id`,
  );
  return { counts, users, problems };
}

function writeFiles(dir: string) {
  fs.mkdirSync(path.join(dir, 'photos/2026/11/23'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'photos/2026/11/23/a.jpg'), Buffer.from([0xff, 0xd8, 1, 2, 3]));
}

describe.runIf(process.env.TEST_DB !== 'postgres')('backup and restore (PGlite)', () => {
  const dataDir = path.join(tmp, 'pglite-data');
  const target: BackupTarget = {
    databaseUrl: undefined,
    pgliteDir: path.join(dataDir, 'db'),
    filesDir: path.join(dataDir, 'files'),
  };
  let before: Awaited<ReturnType<typeof snapshot>>;

  beforeAll(async () => {
    // The run's migrated snapshot (server/test/global-setup.ts) written into the data directory:
    // a fresh directory's initdb alone takes ~8 s.
    const migrated = new Blob([fs.readFileSync(inject('pgliteSnapshot'))]);
    const database = await openDatabase({ pgliteDir: target.pgliteDir, pgliteLoad: migrated });
    await runMigrations(database);
    await seedDemoCity(database);
    await sealAuditChain(database);
    before = await snapshot(database);
    await database.close();
    writeFiles(target.filesDir!);
  });

  it('restores the database and the files after the data directory is wiped', async () => {
    const archive = path.join(tmp, 'pglite.tar.gz');
    const m = await backup(target, archive, 'test');
    expect(m).toMatchObject({ driver: 'pglite', files: 'included', format: 1 });
    expect(fs.statSync(archive).size).toBeGreaterThan(1000);

    fs.rmSync(dataDir, { recursive: true, force: true });
    await restore(target, archive);

    const database = await openDatabase({ pgliteDir: target.pgliteDir });
    try {
      const after = await snapshot(database);
      expect(after).toEqual(before);
      expect(before.counts.problems).toBeGreaterThan(0);
      expect((await verifyAuditChain(database)).ok).toBe(true);
    } finally {
      await database.close();
    }
    expect([...fs.readFileSync(path.join(target.filesDir!, 'photos/2026/11/23/a.jpg'))]).toEqual([
      0xff, 0xd8, 1, 2, 3,
    ]);
  });

  it('will not overwrite data unless forced, and keeps the old directory when forced', async () => {
    const archive = path.join(tmp, 'pglite.tar.gz');
    await expect(restore(target, archive)).rejects.toThrow(/not empty.*--force/);
    await restore(target, archive, { force: true });
    const kept = fs.readdirSync(dataDir).filter((n) => n.includes('before-restore'));
    expect(kept.length).toBe(2); // db and files
  });

  it('refuses a backup of the other database kind, and something that is not a backup', async () => {
    const archive = path.join(tmp, 'pglite.tar.gz');
    await expect(
      restore({ ...target, databaseUrl: 'postgres://nobody@127.0.0.1:1/x' }, archive),
    ).rejects.toThrow(/migrate-to-postgres/);
    const junk = path.join(tmp, 'junk.tar.gz');
    fs.mkdirSync(path.join(tmp, 'junkdir'), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'junkdir', 'x.txt'), 'x');
    const { execFileSync } = await import('node:child_process');
    execFileSync('tar', ['-czf', junk, '-C', path.join(tmp, 'junkdir'), '.']);
    await expect(restore(target, junk)).rejects.toThrow(/not a Chuangcheng backup/);
  });
});

describe.runIf(process.env.TEST_DB === 'postgres')('backup and restore (PostgreSQL)', () => {
  let source: TestDb;
  let before: Awaited<ReturnType<typeof snapshot>>;
  const fresh = `cc_restore_${process.pid}_${Date.now().toString(36)}`;
  const base = process.env.TEST_DATABASE_URL ?? '';
  let freshUrl = '';

  beforeAll(async () => {
    const u = new URL(base);
    u.pathname = `/${fresh}`;
    freshUrl = u.toString();
    source = await createTestDb();
    await seedDemoCity(source.database);
    await sealAuditChain(source.database);
    before = await snapshot(source.database);
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create database ${fresh}`);
    await admin.end();
  });
  afterAll(async () => {
    await source?.drop();
    await dropDatabaseWhenFree(base, fresh);
  });

  it('dumps with pg_dump and restores into an empty database with pg_restore', async () => {
    const filesDir = path.join(tmp, 'pg-files');
    writeFiles(filesDir);
    const archive = path.join(tmp, 'pg.tar.gz');
    const m = await backup({ databaseUrl: source.url, pgliteDir: '', filesDir }, archive, 'test');
    expect(m).toMatchObject({ driver: 'postgres', files: 'included' });

    const restoredFiles = path.join(tmp, 'pg-files-restored');
    await restore({ databaseUrl: freshUrl, pgliteDir: '', filesDir: restoredFiles }, archive);
    const database = await openDatabase({ databaseUrl: freshUrl, poolSize: 2 });
    try {
      expect(await snapshot(database)).toEqual(before);
      expect((await verifyAuditChain(database)).ok).toBe(true);
      // the migrations table came along: a start-up finds nothing to do
      await runMigrations(database);
    } finally {
      await database.close();
    }
    expect(fs.existsSync(path.join(restoredFiles, 'photos/2026/11/23/a.jpg'))).toBe(true);

    // Restoring over a database with data needs --force (pg_restore --clean).
    const t2 = { databaseUrl: freshUrl, pgliteDir: '', filesDir: null };
    await expect(restore(t2, archive)).rejects.toThrow(/not empty/);
    await restore(t2, archive, { force: true });
    const again = await openDatabase({ databaseUrl: freshUrl, poolSize: 1 });
    try {
      expect((await snapshot(again)).counts).toEqual(before.counts);
    } finally {
      await again.close();
    }
  });
});
