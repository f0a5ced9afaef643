import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { openDatabase } from '../db/client.js';
import { runMigrations } from '../db/migrate.js';
import { seedReferenceData } from '../db/seed/reference-data.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteSnapshot: string;
    /** A PGlite data directory fresh from initdb, before any migration (tar file; '' on PostgreSQL). */
    pgliteEmpty: string;
    pgTemplate: string;
  }
}

/** Migrates once per run: a PGlite snapshot file, or a PostgreSQL template database. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const kind = project.config.env.TEST_DB;
  if (kind === 'postgres') {
    const url = process.env.TEST_DATABASE_URL!;
    const template = `cc_tpl_${process.pid}_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${template}`);
    const u = new URL(url);
    u.pathname = `/${template}`;
    const database = await openDatabase({ databaseUrl: u.toString(), poolSize: 1 });
    await runMigrations(database);
    await seedReferenceData(database);
    await database.close();
    project.provide('pgTemplate', template);
    project.provide('pgliteSnapshot', '');
    project.provide('pgliteEmpty', '');
    return async () => {
      // Drop the template and any per-file database a crashed worker left behind.
      const left = await admin.query<{ datname: string }>(
        `select datname from pg_database where datname like $1`,
        [`cc_t_${process.pid}_%`],
      );
      for (const r of left.rows)
        await admin.query(`drop database if exists ${r.datname} with (force)`);
      await admin.query(`drop database if exists ${template} with (force)`);
      await admin.end();
    };
  }
  // PGlite's initdb takes ~8 s (WASM); a file that needs an unmigrated database (a migration's
  // own test, a backup round trip) loads this copy in ~1.5 s instead.
  const database = await openDatabase({});
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-pglite-'));
  const dumpTo = async (name: string) => {
    const dump = await (
      database.db as unknown as { $client: { dumpDataDir(c: string): Promise<Blob> } }
    ).$client.dumpDataDir('none');
    const file = path.join(dir, name);
    fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    return file;
  };
  const empty = await dumpTo('empty.tar');
  await runMigrations(database);
  await seedReferenceData(database);
  const file = await dumpTo('snapshot.tar');
  await database.close();
  project.provide('pgliteSnapshot', file);
  project.provide('pgliteEmpty', empty);
  project.provide('pgTemplate', '');
  return () => {
    fs.rmSync(dir, { recursive: true, force: true });
    return Promise.resolve();
  };
}
