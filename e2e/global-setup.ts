import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import {
  E2E_DATABASE_URL,
  e2eAdmin,
  e2eDatabaseUrl,
  startServer,
  templateKey,
  templateState,
  type RunningServer,
} from './harness.js';

/**
 * Seeds one data directory per run: the built server starts on it once with the demo seed (the
 * env every e2e file uses) and stops cleanly. startServer() then gives each file a copy of it, so
 * a file's server starts in ~2.5 s instead of migrating and seeding for ~8 s. A file whose env
 * would seed differently, or that passes its own data directory, starts as before.
 * With a PostgreSQL for the run (TEST_DATABASE_URL), the seed goes into a template database and
 * each file's server runs on a copy of it (E2E_DATABASE_URL in harness.ts).
 *
 * The seeding runs in the background: Vitest runs the projects' global setups one after another,
 * and the integration tiers' (migrating a PGlite snapshot and a PostgreSQL template) go on while
 * the demo city is seeded, instead of after it. When it is over, a state file next to the
 * directory says `ready` or `failed` (templateState() in harness.ts); a file's startServer() waits
 * for it. The template (directory, database, state file) is removed at teardown.
 */
function seedTemplate(): { dir: string; key: string; database: string; done: Promise<void> } {
  const env = { SEED: 'demo' };
  const key = templateKey({ ...process.env, ...env });
  // Our own directory, so stopping the seeding server leaves it for the files to copy.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-e2e-template-'));
  // On PostgreSQL the seed goes into a template database each file's server gets a copy of.
  const database = E2E_DATABASE_URL ? `cc_e2e_tpl_${process.pid}` : '';
  const settle = (state: 'ready' | 'failed') => fs.writeFileSync(templateState(dir), state);
  const done = (async () => {
    let server: RunningServer;
    try {
      if (database)
        await e2eAdmin(`drop database if exists ${database}`, `create database ${database}`);
      server = await startServer(
        database ? { ...env, DATABASE_URL: e2eDatabaseUrl(database) } : env,
        dir,
      );
    } catch (err) {
      // Each file then starts from scratch, and reports the same failure with its own output.
      console.warn(
        `e2e template not seeded, files start from an empty data directory: ${String(err)}`,
      );
      return settle('failed');
    }
    const code = await server.stop();
    if (code !== 0) {
      console.warn(`e2e template server exited with ${code}; not using it:\n${server.output()}`);
      return settle('failed');
    }
    settle('ready');
  })().catch((err: unknown) => {
    console.warn(`e2e template not seeded: ${String(err)}`);
    settle('failed');
  });
  return { dir, key, database, done };
}

/** Removes the template, and any file's database a crashed worker left behind. */
async function dropTemplate(template: { dir: string; database: string }): Promise<void> {
  fs.rmSync(template.dir, { recursive: true, force: true });
  fs.rmSync(templateState(template.dir), { force: true });
  if (!template.database) return;
  const admin = new pg.Client({ connectionString: E2E_DATABASE_URL });
  await admin.connect();
  try {
    const left = await admin.query<{ datname: string }>(
      `select datname from pg_database where datname like $1`,
      [`cc_e2e_${process.pid}_%`],
    );
    for (const r of left.rows)
      await admin.query(`drop database if exists ${r.datname} with (force)`);
    await admin.query(`drop database if exists ${template.database} with (force)`);
  } finally {
    await admin.end();
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const exe = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  // Without chromium the e2e files are skipped (or fail under CI): nothing to seed for.
  if (!fs.existsSync(exe)) {
    project.provide('e2eTemplate', '');
    project.provide('e2eTemplateKey', '');
    project.provide('e2eTemplateDb', '');
    return () => Promise.resolve();
  }
  const template = seedTemplate();
  project.provide('e2eTemplate', template.dir);
  project.provide('e2eTemplateKey', template.key);
  project.provide('e2eTemplateDb', template.database);
  return async () => {
    await template.done;
    await dropTemplate(template);
  };
}
