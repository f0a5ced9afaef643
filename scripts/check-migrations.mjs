// Migration drift check: generate from the schema into a scratch copy of the migrations;
// a new file means the schema changed without a committed migration.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const src = path.resolve('server/db/migrations');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-drift-'));
fs.cpSync(src, scratch, { recursive: true });
const before = new Set(fs.readdirSync(scratch));
execFileSync('npx', ['drizzle-kit', 'generate', '--name', 'drift'], {
  env: { ...process.env, DRIZZLE_OUT: scratch },
  stdio: ['ignore', 'pipe', 'pipe'],
});
const added = fs.readdirSync(scratch).filter((f) => !before.has(f));
fs.rmSync(scratch, { recursive: true, force: true });
if (added.length) {
  console.error(
    `Migration drift: the schema differs from server/db/migrations (would add ${added.join(', ')}).`,
  );
  console.error('Run `npm run db:generate -- --name <change>` and commit the migration.');
  process.exit(1);
}
console.log('migrations: no drift');
