import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../../e2e/harness.js';
import { createTestDb, type TestDb } from './harness.js';

// Kill -9 while users are being created: every creation answered 2xx must survive the restart.
// Runs the built server (dist/) on this project's database kind: PGlite in a data directory, or
// a fresh PostgreSQL database.

async function signIn(url: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'Demo@2026' }),
  });
  if (!res.ok) throw new Error(`login failed ${res.status}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

describe('durability', () => {
  let db: TestDb | null = null;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-crash-'));
  afterAll(async () => {
    await db?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged user after kill -9', async () => {
    const env: Record<string, string> = { SEED: 'demo' };
    if (process.env.TEST_DB === 'postgres') {
      db = await createTestDb();
      await db.database.close();
      env.DATABASE_URL = db.url!;
    }
    const server = await startServer(env, dataDir);
    const { cookie, csrf } = await signIn(server.url);
    const acknowledged: string[] = [];
    let n = 0;
    let stop = false;
    const worker = async () => {
      while (!stop) {
        const username = `crash${++n}`;
        try {
          const res = await fetch(`${server.url}/api/users`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
            body: JSON.stringify({
              username,
              name: '压测用户',
              roles: ['inspector'],
              password: 'Crash@2026',
            }),
          });
          if (res.status === 201) acknowledged.push(username);
        } catch {
          // the server died mid-request: that creation was never acknowledged
        }
      }
    };
    const workers = [worker(), worker(), worker(), worker()];
    while (acknowledged.length < 40) await new Promise((r) => setTimeout(r, 20));
    await server.stop('SIGKILL');
    stop = true;
    await Promise.all(workers);
    expect(acknowledged.length).toBeGreaterThanOrEqual(40);

    const again = await startServer(env, dataDir);
    try {
      const s = await signIn(again.url);
      const found = new Set<string>();
      let cursor: string | null = null;
      do {
        const q: string = `/api/users?limit=500&q=crash${cursor ? `&cursor=${cursor}` : ''}`;
        const res = await fetch(`${again.url}${q}`, { headers: { cookie: s.cookie } });
        const page = (await res.json()) as {
          items: { username: string }[];
          nextCursor: string | null;
        };
        for (const u of page.items) found.add(u.username);
        cursor = page.nextCursor;
      } while (cursor);
      const lost = acknowledged.filter((u) => !found.has(u));
      expect(lost).toEqual([]);
    } finally {
      await again.stop();
    }
  });
});
