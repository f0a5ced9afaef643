import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

const run = promisify(execFile);

/**
 * One backup is one `.tar.gz` holding `manifest.json`, the database (`db/pglite.tar.gz`, PGlite's
 * own data-directory dump, or `db/postgres.dump`, a pg_dump custom-format archive) and, with local
 * storage, the uploaded files (`files/`). S3 objects are not copied: the bucket has its own
 * versioning/replication (docs/operations.md).
 */
export interface BackupManifest {
  format: 1;
  createdAt: string;
  appVersion: string;
  driver: 'pglite' | 'postgres';
  files: 'included' | 'not-included';
}

export interface BackupTarget {
  /** PostgreSQL connection string; unset = the PGlite directory `pgliteDir`. */
  databaseUrl: string | undefined;
  pgliteDir: string;
  /** Local files directory (DATA_DIR/files), or null when files live in S3. */
  filesDir: string | null;
}

async function tar(args: string[]): Promise<void> {
  await run('tar', args, { maxBuffer: 16 * 1024 * 1024 });
}

/** The PostgreSQL client tools (pg_dump/pg_restore) must be on PATH for a PostgreSQL backup. */
async function pgTool(name: 'pg_dump' | 'pg_restore', args: string[]): Promise<void> {
  try {
    await run(name, args, { maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT')
      throw new Error(`${name} is not installed (apt-get install postgresql-client)`);
    throw new Error(`${name} failed: ${e.stderr?.trim() || e.message}`);
  }
}

/**
 * Writes a backup archive to `out`. PostgreSQL: online (pg_dump takes a consistent snapshot).
 * PGlite: the app server must be stopped (one process owns the embedded database).
 */
export async function backup(
  target: BackupTarget,
  out: string,
  appVersion: string,
): Promise<BackupManifest> {
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-backup-'));
  try {
    fs.mkdirSync(path.join(stage, 'db'));
    let driver: BackupManifest['driver'];
    if (target.databaseUrl) {
      driver = 'postgres';
      await pgTool('pg_dump', [
        '--format=custom',
        '--no-owner',
        '--no-privileges',
        `--file=${path.join(stage, 'db', 'postgres.dump')}`,
        target.databaseUrl,
      ]);
    } else {
      driver = 'pglite';
      if (!fs.existsSync(path.join(target.pgliteDir, 'PG_VERSION')))
        throw new Error(`no embedded database at ${target.pgliteDir}`);
      const db = await PGlite.create({ dataDir: target.pgliteDir });
      try {
        // A checkpoint first, so the dump does not depend on replaying the WAL.
        await db.exec('checkpoint');
        const dump = await db.dumpDataDir('gzip');
        fs.writeFileSync(
          path.join(stage, 'db', 'pglite.tar.gz'),
          Buffer.from(await dump.arrayBuffer()),
        );
      } finally {
        await db.close();
      }
    }
    const withFiles = target.filesDir !== null && fs.existsSync(target.filesDir);
    if (withFiles) fs.cpSync(target.filesDir!, path.join(stage, 'files'), { recursive: true });
    const manifest: BackupManifest = {
      format: 1,
      createdAt: new Date().toISOString(),
      appVersion,
      driver,
      files: withFiles ? 'included' : 'not-included',
    };
    fs.writeFileSync(path.join(stage, 'manifest.json'), JSON.stringify(manifest, null, 2));
    fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    const tmp = `${out}.partial`;
    await tar(['-czf', tmp, '-C', stage, '.']);
    fs.renameSync(tmp, out);
    return manifest;
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

async function hasTables(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const res = await client.query<{ n: string }>(
      `select count(*) as n from pg_tables where schemaname in ('public', 'drizzle')`,
    );
    return Number(res.rows[0]!.n) > 0;
  } finally {
    await client.end();
  }
}

function nonEmptyDir(dir: string): boolean {
  return fs.existsSync(dir) && fs.readdirSync(dir).length > 0;
}

/**
 * Restores a backup into the configured database and files directory. Refuses to overwrite
 * existing data unless `force` (PGlite/files: the old directory is kept beside it, renamed;
 * PostgreSQL: pg_restore --clean drops the objects it restores).
 */
export async function restore(
  target: BackupTarget,
  archive: string,
  opts: { force?: boolean } = {},
): Promise<BackupManifest> {
  if (!fs.existsSync(archive)) throw new Error(`no backup file ${archive}`);
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-restore-'));
  try {
    await tar(['-xzf', archive, '-C', stage]);
    const manifestFile = path.join(stage, 'manifest.json');
    if (!fs.existsSync(manifestFile)) throw new Error(`${archive} is not a Chuangcheng backup`);
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as BackupManifest;
    if (manifest.format !== 1) throw new Error(`unknown backup format ${String(manifest.format)}`);
    const driver = target.databaseUrl ? 'postgres' : 'pglite';
    if (manifest.driver !== driver) {
      throw new Error(
        `the backup is of a ${manifest.driver} database but the target is ${driver}` +
          (manifest.driver === 'pglite'
            ? ': restore it to PGlite, then run `npm run migrate-to-postgres`'
            : ''),
      );
    }
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    if (target.databaseUrl) {
      if (!opts.force && (await hasTables(target.databaseUrl)))
        throw new Error('the target database is not empty (use --force to replace its data)');
      await pgTool('pg_restore', [
        '--no-owner',
        '--no-privileges',
        '--exit-on-error',
        '--single-transaction',
        ...(opts.force ? ['--clean', '--if-exists'] : []),
        `--dbname=${target.databaseUrl}`,
        path.join(stage, 'db', 'postgres.dump'),
      ]);
    } else {
      if (nonEmptyDir(target.pgliteDir)) {
        if (!opts.force)
          throw new Error(`${target.pgliteDir} is not empty (use --force to replace it)`);
        fs.renameSync(target.pgliteDir, `${target.pgliteDir}.before-restore-${stamp}`);
      }
      fs.mkdirSync(target.pgliteDir, { recursive: true });
      const dump = fs.readFileSync(path.join(stage, 'db', 'pglite.tar.gz'));
      const db = await PGlite.create({ dataDir: target.pgliteDir, loadDataDir: new Blob([dump]) });
      await db.query('select 1');
      await db.close();
    }
    if (manifest.files === 'included' && target.filesDir) {
      if (nonEmptyDir(target.filesDir)) {
        if (!opts.force)
          throw new Error(`${target.filesDir} is not empty (use --force to replace it)`);
        fs.renameSync(target.filesDir, `${target.filesDir}.before-restore-${stamp}`);
      }
      fs.mkdirSync(path.dirname(target.filesDir), { recursive: true });
      fs.cpSync(path.join(stage, 'files'), target.filesDir, { recursive: true });
    }
    return manifest;
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}
