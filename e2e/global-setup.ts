import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startServer, templateKey, type RunningServer } from './harness.js';

/**
 * Seeds one data directory per run: the built server starts on it once with the demo seed (the
 * env every e2e file uses) and stops cleanly. startServer() then gives each file a copy of it, so
 * a file's server starts in ~2.5 s instead of migrating and seeding for ~8 s. A file whose env
 * would seed differently, or that passes its own data directory, starts as before.
 * The template directory is removed at teardown.
 */
async function seedTemplate(): Promise<{ dir: string; key: string } | null> {
  const env = { SEED: 'demo' };
  const key = templateKey({ ...process.env, ...env });
  // Our own directory, so stopping the seeding server leaves it for the files to copy.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-e2e-template-'));
  let server: RunningServer;
  try {
    server = await startServer(env, dir);
  } catch (err) {
    // Each file then starts from scratch, and reports the same failure with its own output.
    console.warn(
      `e2e template not seeded, files start from an empty data directory: ${String(err)}`,
    );
    fs.rmSync(dir, { recursive: true, force: true });
    return null;
  }
  const code = await server.stop();
  if (code !== 0) {
    console.warn(`e2e template server exited with ${code}; not using it:\n${server.output()}`);
    fs.rmSync(dir, { recursive: true, force: true });
    return null;
  }
  return { dir, key };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const exe = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  // Without chromium the e2e files are skipped (or fail under CI): nothing to seed for.
  if (!fs.existsSync(exe)) {
    project.provide('e2eTemplate', '');
    project.provide('e2eTemplateKey', '');
    return () => Promise.resolve();
  }
  const template = await seedTemplate();
  project.provide('e2eTemplate', template?.dir ?? '');
  project.provide('e2eTemplateKey', template?.key ?? '');
  return () => {
    if (template) fs.rmSync(template.dir, { recursive: true, force: true });
    return Promise.resolve();
  };
}
