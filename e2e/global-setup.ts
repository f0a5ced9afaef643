import fs from 'node:fs';
import type { TestProject } from 'vitest/node';
import { startServer, templateKey, type RunningServer } from './harness.js';

/**
 * Seeds one data directory per run: the built server starts on it once with the demo seed (the
 * env every e2e file uses) and stops cleanly. startServer() then gives each file a copy of it, so
 * a file's server starts in ~2.5 s instead of migrating and seeding for ~8 s. A file whose env
 * would seed differently, or that passes its own data directory, starts as before.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const none = () => {
    project.provide('e2eTemplate', '');
    project.provide('e2eTemplateKey', '');
    return () => Promise.resolve();
  };
  // Without chromium the e2e files are skipped (or fail under CI): nothing to seed for.
  if (!fs.existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) return none();
  const env = { SEED: 'demo' };
  const key = templateKey({ ...process.env, ...env });
  let server: RunningServer;
  try {
    server = await startServer(env);
  } catch (err) {
    // Each file then starts from scratch, and reports the same failure with its own output.
    console.warn(
      `e2e template not seeded, files start from an empty data directory: ${String(err)}`,
    );
    return none();
  }
  const code = await server.stop();
  if (code !== 0) {
    console.warn(`e2e template server exited with ${code}; not using it:\n${server.output()}`);
    fs.rmSync(server.dataDir, { recursive: true, force: true });
    return none();
  }
  const dir = server.dataDir;
  project.provide('e2eTemplate', dir);
  project.provide('e2eTemplateKey', key);
  return () => {
    fs.rmSync(dir, { recursive: true, force: true });
    return Promise.resolve();
  };
}
