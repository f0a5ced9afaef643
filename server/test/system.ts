import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer } from '../../e2e/harness.js';
import { inject } from 'vitest';
import { createTestDb, type TestDb } from './harness.js';

/**
 * The built server as its own process, on this test project's database kind: PGlite in a data
 * directory (the run's migrated snapshot, or with `fresh` an empty one it initialises and migrates
 * itself), or a fresh PostgreSQL database. `restart()` starts it again on the same data.
 */
export async function systemServer(opts: { fresh?: boolean } = {}): Promise<{
  server: RunningServer;
  restart: () => Promise<RunningServer>;
  cleanup: () => Promise<void>;
}> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-system-'));
  // No demo city (its seed is most of a first start): the administrator ADMIN_* bootstraps.
  const env: Record<string, string> = {
    SEED: 'none',
    ADMIN_USERNAME: 'admin',
    ADMIN_PASSWORD: BOOTSTRAP_PASSWORD,
  };
  let db: TestDb | null = null;
  if (process.env.TEST_DB === 'postgres') {
    db = await createTestDb();
    await db.database.close();
    env.DATABASE_URL = db.url!;
  } else if (!opts.fresh) {
    // The run's migrated snapshot as the server's embedded database (what its first start would
    // make, without the initdb and the migrations). `fresh`: a first start on an empty directory,
    // as `npm start` makes one.
    const pgdata = path.join(dataDir, 'db');
    fs.mkdirSync(pgdata);
    execFileSync('tar', ['-xf', inject('pgliteSnapshot'), '-C', pgdata]);
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

const BOOTSTRAP_PASSWORD = 'Boot@2026pw';
const CHOSEN_PASSWORD = 'Chosen@2026pw';

async function login(url: string, password: string): Promise<Response> {
  return fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
}

/**
 * Signs the bootstrapped administrator in over real HTTP, choosing a password on the first sign-in
 * (the bootstrap password must be changed before anything else); returns the cookie and CSRF
 * header for later requests.
 */
export async function signIn(url: string): Promise<{ cookie: string; csrf: string }> {
  let res = await login(url, CHOSEN_PASSWORD);
  if (res.status === 401) {
    const first = await login(url, BOOTSTRAP_PASSWORD);
    if (!first.ok) throw new Error(`login failed ${first.status}`);
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await first.json()) as { csrfToken: string };
    const changed = await fetch(`${url}/api/auth/password`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({ currentPassword: BOOTSTRAP_PASSWORD, newPassword: CHOSEN_PASSWORD }),
    });
    if (changed.status !== 204) throw new Error(`password change failed ${changed.status}`);
    res = await login(url, CHOSEN_PASSWORD);
  }
  if (!res.ok) throw new Error(`login failed ${res.status}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}
