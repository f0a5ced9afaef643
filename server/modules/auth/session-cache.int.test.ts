import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';

// The session cache as production runs it (the other suites turn it off so they can change
// sessions in SQL). The order matters: the first test needs a cache no change has bypassed yet.

const CACHE_MS = 400;
let t: TestApp;
let office: Agent;

beforeAll(async () => {
  t = await createTestApp({ SESSION_CACHE_MS: String(CACHE_MS) });
  await buildUser(t.database.db, { username: 'office1', roles: ['office'] });
  office = await t.login('office1');
});
afterAll(() => t.close());

describe('session cache', () => {
  it('reuses a looked-up session for SESSION_CACHE_MS, then looks it up again', async () => {
    await buildUser(t.database.db, { username: 'cached' });
    const agent = await t.login('cached');
    // The cache's clock (Date) stands still until the test moves it: on a loaded machine the
    // requests below could otherwise take longer than CACHE_MS between them.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      // The cache is per process: a change another test file made on this worker shortly before
      // (any user update invalidates) still has it bypassed for up to 30 s. Step past that.
      vi.setSystemTime(Date.now() + 60_000);
      expect((await agent.get('/api/auth/me')).statusCode).toBe(200);
      // Removed behind the app's back: this server still trusts its lookup for a moment…
      await t.database.db.execute(
        sql`delete from sessions where user_id = (select id from users where username = 'cached')`,
      );
      vi.setSystemTime(Date.now() + CACHE_MS - 1);
      expect((await agent.get('/api/auth/me')).statusCode).toBe(200);
      // …and no longer once the cache time has passed.
      vi.setSystemTime(Date.now() + 2);
      expect((await agent.get('/api/auth/me')).statusCode).toBe(401);
    } finally {
      vi.useRealTimers();
    }
  });

  it('forgets a deactivated user at once on this server', async () => {
    const u = await buildUser(t.database.db, { username: 'leaving', roles: ['leader'] });
    const agent = await t.login('leaving');
    expect((await agent.get('/api/auth/me')).statusCode).toBe(200);
    const res = await office.patch(`/api/users/${u.id}`, { active: false, version: 1 });
    expect(res.statusCode).toBe(200);
    expect((await agent.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('sees a role change at once on this server', async () => {
    const u = await buildUser(t.database.db, { username: 'promoted', roles: ['leader'] });
    const agent = await t.login('promoted');
    expect((await agent.get('/api/auth/me')).json().user.roles).toEqual(['leader']);
    const res = await office.patch(`/api/users/${u.id}`, { roles: ['office'], version: 1 });
    expect(res.statusCode, res.body).toBe(200);
    // Changing roles ends the user's sessions: the old one cannot keep the old roles.
    expect((await agent.get('/api/auth/me')).statusCode).toBe(401);
    const again = await t.login('promoted');
    expect((await again.get('/api/auth/me')).json().user.roles).toEqual(['office']);
  });

  it('ends a session at once on sign-out', async () => {
    await buildUser(t.database.db, { username: 'leaver2' });
    const agent = await t.login('leaver2');
    expect((await agent.get('/api/auth/me')).statusCode).toBe(200);
    expect((await agent.post('/api/auth/logout')).statusCode).toBe(204);
    expect((await agent.get('/api/auth/me')).statusCode).toBe(401);
  });
});
