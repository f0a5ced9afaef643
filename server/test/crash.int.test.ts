import { afterAll, describe, expect, it } from 'vitest';
import { signIn, systemServer } from './system.js';

// Kill -9 while users are being created: every creation answered 2xx must survive the restart.
// Runs the built server (dist/) on this project's database kind.

// Starts the built server twice, the first time on the run's migrated snapshot (PGlite) or a fresh
// database it migrates (PostgreSQL): the e2e tier's timeout, not the integration tier's 60 s.
describe('durability', { timeout: 180_000 }, () => {
  let cleanup: () => Promise<void> = () => Promise.resolve();
  afterAll(() => cleanup());

  it('keeps every acknowledged user after kill -9', async () => {
    const sys = await systemServer();
    cleanup = sys.cleanup;
    const { server } = sys;
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

    const again = await sys.restart();
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
