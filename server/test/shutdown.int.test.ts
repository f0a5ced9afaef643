import { afterAll, describe, expect, it } from 'vitest';
import { signIn, systemServer } from './system.js';

// SIGTERM: stop accepting, finish what is in flight, close the database, exit 0 — and whatever was
// answered 2xx is there after a restart.

// Starts the built server twice, the first time on a fresh data directory it initialises and
// migrates (on PGlite: the `npm start` first start; the crash test starts from the snapshot):
// the e2e tier's timeout, not the integration tier's 60 s (a shared machine can take that to seed).
describe('graceful shutdown', { timeout: 180_000 }, () => {
  let cleanup: () => Promise<void> = () => Promise.resolve();
  afterAll(() => cleanup());

  it('finishes in-flight requests, exits 0 and keeps their writes', async () => {
    const sys = await systemServer({ fresh: true });
    cleanup = sys.cleanup;
    const { server } = sys;
    const { cookie, csrf } = await signIn(server.url);
    // Each creation hashes a password (tens of ms), so several are still running at SIGTERM.
    const requests = Array.from({ length: 12 }, (_, i) =>
      fetch(`${server.url}/api/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
        body: JSON.stringify({
          username: `grace${i}`,
          name: '关停测试',
          roles: ['inspector'],
          password: 'Grace@2026',
        }),
      }).then(
        (r) => r.status,
        () => 0,
      ),
    );
    await new Promise((r) => setTimeout(r, 30));
    const exit = server.stop('SIGTERM');
    const statuses = await Promise.all(requests);
    expect(await exit).toBe(0);
    expect(server.output()).not.toMatch(/unhandled|error during shutdown/i);
    // Accepted before SIGTERM → 201; arriving during shutdown → 503 or refused; never a 500.
    expect(statuses.every((s) => s === 201 || s === 503 || s === 0)).toBe(true);
    const created = statuses
      .map((s, i) => (s === 201 ? `grace${i}` : null))
      .filter((u) => u !== null);
    expect(created.length).toBeGreaterThan(0);

    const again = await sys.restart();
    try {
      const s = await signIn(again.url);
      const list = await fetch(`${again.url}/api/users?q=grace&limit=100`, {
        headers: { cookie: s.cookie },
      });
      const names = ((await list.json()) as { items: { username: string }[] }).items.map(
        (u) => u.username,
      );
      for (const u of created) expect(names).toContain(u);
    } finally {
      await again.stop();
    }
  });
});
