import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer } from '../../e2e/harness.js';
import { createTestDb, type TestDb } from './harness.js';

/**
 * The built server as its own process, on this test project's database kind: PGlite in a data
 * directory, or a fresh PostgreSQL database. `restart()` starts it again on the same data.
 */
export async function systemServer(): Promise<{
  server: RunningServer;
  restart: () => Promise<RunningServer>;
  cleanup: () => Promise<void>;
}> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-system-'));
  const env: Record<string, string> = { SEED: 'demo' };
  let db: TestDb | null = null;
  if (process.env.TEST_DB === 'postgres') {
    db = await createTestDb();
    await db.database.close();
    env.DATABASE_URL = db.url!;
  }
  const cleanup = async () => {
    await db?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    return {
      server: await startServer(env, dataDir),
      restart: () => startServer(env, dataDir),
      cleanup,
    };
  } catch (err) {
    // The caller gets no cleanup to call: leave no directory or database behind.
    await cleanup();
    throw err;
  }
}

/** Signs in over real HTTP; returns the cookie and CSRF header for later requests. */
export async function signIn(
  url: string,
  username = 'admin',
  password = 'Demo@2026',
): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`login failed ${res.status}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}
