import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import pg from 'pg';
import { cachePlans } from './pglite-plans.js';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** What a repo takes: the database or an open transaction. */
export type DbOrTx = Db | Tx;

/** Rows of a raw SQL statement; both drivers answer `{ rows }`. */
export async function execRows<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  const res: unknown = await db.execute(query);
  return (res as { rows: T[] }).rows;
}

/**
 * Drops a PostgreSQL database once its last connections have gone (they may linger briefly
 * after a pool is closed), rather than forcing them off.
 */
export async function dropDatabaseWhenFree(adminUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`drop database if exists ${name}`);
        return;
      } catch (err) {
        if (attempt > 50) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    await admin.end();
  }
}

export interface Database {
  db: Db;
  driver: 'pglite' | 'postgres';
  /** Connection string (PostgreSQL only). */
  url?: string;
  /** Called after each committed write transaction (PGlite: makes the WAL durable). */
  afterCommit(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string | undefined;
  /** PGlite data directory; undefined = in memory. */
  pgliteDir?: string | undefined;
  pgliteDurability?: 'strict' | 'os';
  /** Start PGlite from a dumped data directory (tests). */
  pgliteLoad?: Blob | undefined;
  poolSize?: number;
}

/**
 * PGlite starts postgres with `-F` (fsync off) and its Node file system turns fsync into a no-op.
 * Writes still reach the OS on commit, so a killed process loses nothing, but a power cut could.
 * In `strict` mode we fdatasync the current WAL segment ourselves after every write transaction.
 */
class WalSyncer {
  private fd: number | null = null;
  private file = '';
  constructor(
    private readonly client: PGlite,
    private readonly walDir: string,
  ) {}

  async sync(): Promise<void> {
    const res = await this.client.query<{ f: string }>(
      'select pg_walfile_name(pg_current_wal_insert_lsn()) as f',
    );
    const name = res.rows[0]?.f;
    if (!name) return;
    if (name !== this.file) {
      if (this.fd !== null) {
        fs.fdatasyncSync(this.fd);
        fs.closeSync(this.fd);
      }
      this.fd = fs.openSync(path.join(this.walDir, name), 'r');
      this.file = name;
      const dirFd = fs.openSync(this.walDir, 'r');
      try {
        fs.fsyncSync(dirFd);
      } finally {
        fs.closeSync(dirFd);
      }
    }
    if (this.fd !== null) fs.fdatasyncSync(this.fd);
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}

/** PGlite when no database URL is given, node-postgres otherwise. */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10 });
    // An idle connection dropped by the server (restart, failover) must not crash the process;
    // the pool replaces it on the next query.
    pool.on('error', (err) => console.warn(`database connection lost: ${err.message}`));
    let closed: Promise<void> | null = null;
    // A bad connection string should fail at start-up, not at the first request.
    const probe = await pool.connect();
    probe.release();
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    return {
      db,
      driver: 'postgres',
      url: opts.databaseUrl,
      afterCommit: () => Promise.resolve(),
      close: () => (closed ??= pool.end()),
    };
  }

  if (opts.pgliteDir) fs.mkdirSync(opts.pgliteDir, { recursive: true });
  const client = await PGlite.create({
    dataDir: opts.pgliteDir,
    loadDataDir: opts.pgliteLoad,
  });
  cachePlans(client);
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  const syncer =
    opts.pgliteDir && (opts.pgliteDurability ?? 'strict') === 'strict'
      ? new WalSyncer(client, path.join(opts.pgliteDir, 'pg_wal'))
      : null;
  let closed: Promise<void> | null = null;
  return {
    db,
    driver: 'pglite',
    afterCommit: () => (syncer ? syncer.sync() : Promise.resolve()),
    close: () =>
      (closed ??= (async () => {
        syncer?.close();
        await client.close();
      })()),
  };
}

export { schema, sql };
