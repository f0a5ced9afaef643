import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, PACKAGE_ROOT } from '../config.js';
import { backup, restore, type BackupTarget } from './backup.js';
import { migrateToPostgres } from './migrate-to-postgres.js';

// npm run backup [-- <file>] | npm run restore -- <file> [--force]
// npm run migrate-to-postgres -- <postgres url>   (reads the PGlite database under DATA_DIR)
// The same settings as the server (DATA_DIR, DATABASE_URL, STORAGE) say what to back up.

const usage = `usage:
  backup [file]                       default: backups/chuangcheng-<time>.tar.gz
  restore <file> [--force]            --force replaces existing data (the old is kept beside it)
  migrate-to-postgres <postgres-url>  copy the PGlite database under DATA_DIR into an empty PostgreSQL`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  const config = loadConfig(process.env, pkg.version);
  const target: BackupTarget = {
    databaseUrl: config.databaseUrl,
    pgliteDir: path.join(config.dataDir, 'db'),
    filesDir: config.storage === 'local' ? path.join(config.dataDir, 'files') : null,
  };
  const args = rest.filter((a) => !a.startsWith('--'));
  switch (command) {
    case 'backup': {
      const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
      const out = path.resolve(args[0] ?? path.join('backups', `chuangcheng-${stamp}.tar.gz`));
      const m = await backup(target, out, config.version);
      console.log(`backup written: ${out} (${m.driver}, files ${m.files})`);
      if (config.storage === 's3')
        console.log('files are in S3 and not in this backup: use bucket versioning/replication');
      return;
    }
    case 'restore': {
      if (!args[0]) throw new Error(usage);
      const m = await restore(target, path.resolve(args[0]), { force: rest.includes('--force') });
      console.log(`restored the ${m.driver} backup of ${m.createdAt} (files ${m.files})`);
      console.log('start the server, then check the audit chain: GET /api/audit/verify');
      return;
    }
    case 'migrate-to-postgres': {
      const url = args[0] ?? process.env.TARGET_DATABASE_URL;
      if (!url) throw new Error(usage);
      const r = await migrateToPostgres(target.pgliteDir, url);
      for (const t of r.tables) console.log(`  ${t.table.padEnd(32)} ${t.rows}`);
      console.log(
        `copied ${r.tables.reduce((n, t) => n + t.rows, 0)} rows in ${r.tables.length} tables; ` +
          `${r.sequences} sequences set. Start the servers with DATABASE_URL=<that url>.`,
      );
      return;
    }
    case undefined:
    default:
      throw new Error(usage);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
