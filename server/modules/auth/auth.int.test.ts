import { createHash } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissionsOf } from '../../../core/permissions.js';
import { execRows } from '../../db/client.js';
import { auditLog, sessions, users } from '../../db/schema/index.js';
import { buildRegion, buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, TEST_PASSWORD, type Res, type TestApp } from '../../test/harness.js';

const NEW_PASSWORD = 'N3w-Secret!pw';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

// Every test that fails sign-ins on purpose uses its own client address, so the per-IP throttle
// (30 failures by default) never mixes the tests up.
let ipSeq = 0;
const freshIp = () => `10.20.${Math.floor(++ipSeq / 250)}.${(ipSeq % 250) + 1}`;

interface LoginOptions {
  ip?: string;
  headers?: Record<string, string>;
}

function login(app: TestApp, username: string, password: string, o: LoginOptions = {}) {
  return app.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password },
    remoteAddress: o.ip ?? '127.0.0.1',
    ...(o.headers ? { headers: o.headers } : {}),
  });
}

function setCookies(res: Res): string[] {
  const h = res.headers['set-cookie'];
  if (h === undefined) return [];
  return Array.isArray(h) ? h : [String(h)];
}

/** `cc_session=<token>` of a successful sign-in. */
function sessionCookie(res: Res): string {
  const c = setCookies(res).find((s) => s.startsWith('cc_session='));
  if (!c) throw new Error(`no session cookie in ${JSON.stringify(res.headers)}`);
  return c.split(';')[0]!;
}

const tokenOf = (cookie: string) => cookie.slice('cc_session='.length);
const sessionIdOf = (token: string) => createHash('sha256').update(token).digest('hex');

function me(app: TestApp, cookie: string) {
  return app.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
}

function changePassword(
  app: TestApp,
  cookie: string,
  csrf: string,
  body: { currentPassword: string; newPassword: string },
) {
  return app.app.inject({
    method: 'POST',
    url: '/api/auth/password',
    headers: { cookie, 'x-csrf-token': csrf },
    payload: body,
  });
}

async function userRow(app: TestApp, id: number) {
  const rows = await app.database.db.select().from(users).where(eq(users.id, id));
  return rows[0]!;
}

async function sessionsOf(app: TestApp, userId: number) {
  return app.database.db.select().from(sessions).where(eq(sessions.userId, userId));
}

async function sessionExists(app: TestApp, cookie: string): Promise<boolean> {
  const id = sessionIdOf(tokenOf(cookie));
  const rows = await app.database.db.select().from(sessions).where(eq(sessions.id, id));
  return rows.length === 1;
}

function expectBadCredentials(res: Res) {
  expect(res.statusCode).toBe(401);
  const err = res.json().error;
  expect(err.code).toBe('bad_credentials');
  expect(err.messageZh).toBe('用户名或密码错误');
  expect(err.messageEn).toBe('wrong username or password');
  expect(setCookies(res).some((c) => c.startsWith('cc_session='))).toBe(false);
}

/** Fails `n` sign-ins with a wrong password and checks each is a plain 401. */
async function failTimes(app: TestApp, username: string, n: number, ip: string) {
  for (let i = 0; i < n; i++)
    expectBadCredentials(await login(app, username, 'Wrong#pass1', { ip }));
}

describe('sign-in', () => {
  it('signs in by username, case-insensitively and trimmed, and by phone number', async () => {
    const u = await buildUser(t.database.db, { username: 'ZhangSan', phone: '13800138001' });
    for (const name of ['ZhangSan', 'zhangsan', 'ZHANGSAN', '  zhangSan  ', '13800138001']) {
      const res = await login(t, name, TEST_PASSWORD);
      expect(res.statusCode, name).toBe(200);
      const body = res.json();
      expect(body.user.id).toBe(u.id);
      expect(body.user.username).toBe('ZhangSan');
      expect(typeof body.csrfToken).toBe('string');
      expect(body.csrfToken.length).toBeGreaterThanOrEqual(20);
      expect(sessionCookie(res)).toMatch(/^cc_session=[A-Za-z0-9_-]{40,}$/);
    }
    const row = await userRow(t, u.id);
    expect(row.lastLoginAt).not.toBeNull();
    expect(Date.now() - row.lastLoginAt!.getTime()).toBeLessThan(MINUTE);
    expect(await sessionsOf(t, u.id)).toHaveLength(5);
  });

  it('does not accept a phone number that differs in any way', async () => {
    await buildUser(t.database.db, { phone: '13800138002' });
    const ip = freshIp();
    expectBadCredentials(await login(t, '1380013800', TEST_PASSWORD, { ip }));
    expectBadCredentials(await login(t, '138001380021', TEST_PASSWORD, { ip }));
  });

  it('answers a wrong password with a bilingual 401 and counts the failure', async () => {
    const u = await buildUser(t.database.db);
    const ip = freshIp();
    const zh = await login(t, u.username, 'Wrong#pass1', { ip });
    expectBadCredentials(zh);
    expect(zh.json().error.message).toBe('用户名或密码错误');
    const en = await login(t, u.username, 'Wrong#pass1', {
      ip,
      headers: { 'accept-language': 'en-GB,en;q=0.8' },
    });
    expectBadCredentials(en);
    expect(en.json().error.message).toBe('wrong username or password');
    expect((await userRow(t, u.id)).failedLoginCount).toBe(2);
    expect(await sessionsOf(t, u.id)).toHaveLength(0);
  });

  it('answers an unknown user exactly like a wrong password', async () => {
    const u = await buildUser(t.database.db);
    const ip = freshIp();
    const unknown = await login(t, 'nobody-here', TEST_PASSWORD, { ip });
    expectBadCredentials(unknown);
    const wrong = await login(t, u.username, 'Wrong#pass1', { ip });
    expect(unknown.json()).toEqual(wrong.json());
  });

  it('refuses an inactive user even with the right password', async () => {
    const u = await buildUser(t.database.db, { active: false });
    const res = await login(t, u.username, TEST_PASSWORD, { ip: freshIp() });
    expectBadCredentials(res);
    expect(await sessionsOf(t, u.id)).toHaveLength(0);
    expect((await userRow(t, u.id)).lastLoginAt).toBeNull();
  });

  it('rejects a malformed sign-in request with 400 and the fields', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: '   ' },
    });
    expect(res.statusCode).toBe(400);
    const paths = res.json().error.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['body.username', 'body.password']));
  });

  it('locks the account after five wrong passwords: 423 even with the right password', async () => {
    const u = await buildUser(t.database.db);
    const ip = freshIp();
    await failTimes(t, u.username, 4, ip);
    expect((await userRow(t, u.id)).failedLoginCount).toBe(4);
    expect((await userRow(t, u.id)).lockedUntil).toBeNull();
    await failTimes(t, u.username, 1, ip);

    const row = await userRow(t, u.id);
    expect(row.lockedUntil).not.toBeNull();
    const lockMs = row.lockedUntil!.getTime() - Date.now();
    expect(lockMs).toBeGreaterThan(14 * MINUTE);
    expect(lockMs).toBeLessThanOrEqual(15 * MINUTE);

    for (const [password, from] of [
      [TEST_PASSWORD, ip],
      [TEST_PASSWORD, freshIp()],
      ['Wrong#pass1', ip],
    ] as const) {
      const res = await login(t, u.username, password, { ip: from });
      expect(res.statusCode).toBe(423);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(14 * 60);
      const err = res.json().error;
      expect(err.code).toBe('account_locked');
      expect(err.messageZh).toContain('锁定');
      expect(err.messageZh).toContain('15 分钟');
      expect(err.messageEn).toContain('locked for 15 more minute(s)');
      expect(setCookies(res).some((c) => c.startsWith('cc_session='))).toBe(false);
    }
    expect(await sessionsOf(t, u.id)).toHaveLength(0);

    const audit = await t.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'auth.lock'));
    const mine = audit.filter((a) => a.entityId === String(u.id));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.entityType).toBe('user');
    expect(mine[0]!.actorId).toBe(u.id);
    expect(mine[0]!.ip).toBe(ip);
  });

  it('lets the user in again once the lock has expired, with a fresh failure count', async () => {
    const u = await buildUser(t.database.db);
    const ip = freshIp();
    await failTimes(t, u.username, 5, ip);
    expect((await login(t, u.username, TEST_PASSWORD, { ip })).statusCode).toBe(423);

    await t.database.db.execute(
      sql`update users set locked_until = now() - interval '1 second' where id = ${u.id}`,
    );
    // One wrong password after the lock is an ordinary failure, not a new lock.
    await failTimes(t, u.username, 1, ip);
    const ok = await login(t, u.username, TEST_PASSWORD, { ip });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.id).toBe(u.id);
    const row = await userRow(t, u.id);
    expect(row.lockedUntil).toBeNull();
    expect(row.failedLoginCount).toBe(0);
  });

  it('starts counting again after a successful sign-in', async () => {
    const u = await buildUser(t.database.db);
    const ip = freshIp();
    await failTimes(t, u.username, 4, ip);
    expect((await login(t, u.username, TEST_PASSWORD, { ip })).statusCode).toBe(200);
    expect((await userRow(t, u.id)).failedLoginCount).toBe(0);
    await failTimes(t, u.username, 4, ip);
    expect((await login(t, u.username, TEST_PASSWORD, { ip })).statusCode).toBe(200);
  });

  it('honours LOGIN_MAX_FAILURES, LOGIN_LOCK_MINUTES and the session lifetimes', async () => {
    const c = await createTestApp({
      LOGIN_MAX_FAILURES: '2',
      LOGIN_LOCK_MINUTES: '1',
      SESSION_ABSOLUTE_HOURS: '1',
      SESSION_IDLE_MINUTES: '5',
    });
    try {
      const u = await buildUser(c.database.db);
      await failTimes(c, u.username, 2, '10.99.0.1');
      const locked = await login(c, u.username, TEST_PASSWORD, { ip: '10.99.0.1' });
      expect(locked.statusCode).toBe(423);
      expect(locked.json().error.messageEn).toContain('locked for 1 more minute(s)');
      const lockMs = (await userRow(c, u.id)).lockedUntil!.getTime() - Date.now();
      expect(lockMs).toBeGreaterThan(0);
      expect(lockMs).toBeLessThanOrEqual(MINUTE);

      const other = await buildUser(c.database.db);
      const res = await login(c, other.username, TEST_PASSWORD);
      expect(res.statusCode).toBe(200);
      const expiresIn = Date.parse(res.json().expiresAt) - Date.now();
      expect(expiresIn).toBeGreaterThan(HOUR - MINUTE);
      expect(expiresIn).toBeLessThanOrEqual(HOUR);
      const cookie = sessionCookie(res);
      await c.database.db.execute(
        sql`update sessions set last_seen_at = now() - interval '4 minutes'
            where user_id = ${other.id}`,
      );
      expect((await me(c, cookie)).statusCode).toBe(200);
      await c.database.db.execute(
        sql`update sessions set last_seen_at = now() - interval '6 minutes'
            where user_id = ${other.id}`,
      );
      expect((await me(c, cookie)).statusCode).toBe(401);
    } finally {
      await c.close();
    }
  });

  it('throttles an address after LOGIN_IP_MAX_FAILURES failures, any account', async () => {
    const c = await createTestApp({ LOGIN_IP_MAX_FAILURES: '3' });
    try {
      const a = await buildUser(c.database.db);
      const b = await buildUser(c.database.db);
      const bad = '10.66.0.1';
      expectBadCredentials(await login(c, a.username, 'Wrong#pass1', { ip: bad }));
      expectBadCredentials(await login(c, 'no-such-user', 'Wrong#pass1', { ip: bad }));
      expectBadCredentials(await login(c, a.username, 'Wrong#pass2', { ip: bad }));

      // The fourth attempt is refused before any password is checked, even for another account.
      for (const [name, password] of [
        [b.username, TEST_PASSWORD],
        [a.username, TEST_PASSWORD],
      ] as const) {
        const res = await login(c, name, password, { ip: bad });
        expect(res.statusCode).toBe(429);
        // Regression (#16): the 429 says when to come back, in seconds (15-minute window).
        const retryAfter = Number(res.headers['retry-after']);
        expect(retryAfter).toBeGreaterThan(14 * 60);
        expect(retryAfter).toBeLessThanOrEqual(15 * 60);
        const err = res.json().error;
        expect(err.code).toBe('too_many_attempts');
        expect(err.messageZh).toContain('登录失败次数过多');
        expect(err.messageEn).toContain('too many failed sign-ins');
        expect(setCookies(res).some((s) => s.startsWith('cc_session='))).toBe(false);
      }
      // X-Forwarded-For is not trusted (TRUST_PROXY is off), so it cannot dodge the throttle.
      const spoofed = await login(c, b.username, TEST_PASSWORD, {
        ip: bad,
        headers: { 'x-forwarded-for': '10.66.0.99' },
      });
      expect(spoofed.statusCode).toBe(429);

      // Another address is not affected, and the accounts themselves are not locked.
      expect((await login(c, b.username, TEST_PASSWORD, { ip: '10.66.0.2' })).statusCode).toBe(200);
      expect((await login(c, a.username, TEST_PASSWORD, { ip: '10.66.0.2' })).statusCode).toBe(200);

      // Once the window has passed the address may try again.
      await c.database.db.execute(
        sql`update login_throttle set window_start = now() - interval '16 minutes'
            where ip = ${bad}`,
      );
      expect((await login(c, b.username, TEST_PASSWORD, { ip: bad })).statusCode).toBe(200);
    } finally {
      await c.close();
    }
  });
});

describe('initial password', () => {
  it('allows nothing but changing it until the user has chosen their own', async () => {
    const u = await buildUser(t.database.db, { roles: ['office'], mustChangePassword: true });
    const agent = await t.login(u.username);
    const blocked = await agent.get('/api/units');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('password_change_required');
    expect((await agent.get('/api/auth/me')).json().user.mustChangePassword).toBe(true);
    const changed = await agent.post('/api/auth/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: NEW_PASSWORD,
    });
    expect(changed.statusCode).toBe(204);
    expect((await agent.get('/api/units')).statusCode).toBe(200);
  });
});

describe('simultaneous sign-in attempts', () => {
  it('cannot get more than 5 password guesses at an account by sending them all at once', async () => {
    const u = await buildUser(t.database.db);
    const attempts = Array.from({ length: 20 }, (_, i) =>
      login(t, u.username, i === 19 ? TEST_PASSWORD : `wrong-${i}`, { ip: freshIp() }),
    );
    const codes = (await Promise.all(attempts)).map((r) => r.statusCode);
    const answered = codes.filter((c) => c === 401 || c === 200).length;
    expect(answered).toBeLessThanOrEqual(5);
    expect(codes.filter((c) => c === 423).length).toBeGreaterThanOrEqual(15);
    expect((await userRow(t, u.id)).lockedUntil).not.toBeNull();
    expect((await login(t, u.username, TEST_PASSWORD, { ip: freshIp() })).statusCode).toBe(423);
  });

  it('cannot get past the per-address limit by sending attempts all at once', async () => {
    const c = await createTestApp({ LOGIN_IP_MAX_FAILURES: '3' });
    try {
      const accounts = await Promise.all(
        Array.from({ length: 10 }, () => buildUser(c.database.db)),
      );
      const ip = '10.77.0.1';
      const codes = (
        await Promise.all(accounts.map((a) => login(c, a.username, 'wrong-password', { ip })))
      ).map((r) => r.statusCode);
      expect(codes.filter((x) => x === 401).length).toBeLessThanOrEqual(3);
      expect(codes.filter((x) => x === 429).length).toBeGreaterThanOrEqual(7);
    } finally {
      await c.close();
    }
  });
});

describe('sessions', () => {
  it('sets an HttpOnly, SameSite=Lax session cookie and stores only a hash of it', async () => {
    const u = await buildUser(t.database.db);
    const res = await login(t, u.username, TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    const raw = setCookies(res).find((s) => s.startsWith('cc_session='))!;
    const attrs = raw.split(';').map((s) => s.trim().toLowerCase());
    expect(attrs).toContain('httponly');
    expect(attrs).toContain('samesite=lax');
    expect(attrs).toContain('path=/');
    expect(attrs).not.toContain('secure');
    const expires = attrs.find((a) => a.startsWith('expires='));
    expect(expires).toBeDefined();
    const expiresAt = Date.parse(res.json().expiresAt);
    expect(Math.abs(Date.parse(expires!.slice('expires='.length)) - expiresAt)).toBeLessThan(1000);
    expect(expiresAt - Date.now()).toBeGreaterThan(12 * HOUR - MINUTE);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(12 * HOUR);

    const token = tokenOf(sessionCookie(res));
    const rows = await sessionsOf(t, u.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toBe(sessionIdOf(token));
    expect(rows[0]!.id).not.toBe(token);
    expect(rows[0]!.csrfToken).toBe(res.json().csrfToken);
    expect(rows[0]!.ip).toBe('127.0.0.1');
  });

  it('marks the cookie Secure when COOKIE_SECURE is on', async () => {
    const c = await createTestApp({ COOKIE_SECURE: 'true' });
    try {
      const u = await buildUser(c.database.db);
      const res = await login(c, u.username, TEST_PASSWORD);
      expect(res.statusCode).toBe(200);
      const raw = setCookies(res).find((s) => s.startsWith('cc_session='))!;
      expect(raw.split(';').map((s) => s.trim().toLowerCase())).toContain('secure');
    } finally {
      await c.close();
    }
  });

  it('GET /api/auth/me returns the user, the permissions and the CSRF token', async () => {
    const region = await buildRegion(t.database.db, { name: '测试市' });
    const unit = await buildUnit(t.database.db, { name: '测试局', regionId: region.id });
    const u = await buildUser(t.database.db, {
      username: 'meuser',
      name: '王五',
      roles: ['office'],
      unitId: unit.id,
      regionId: region.id,
      mustChangePassword: true,
    });
    const res = await login(t, 'meuser', TEST_PASSWORD);
    const cookie = sessionCookie(res);
    const r = await me(t, cookie);
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.csrfToken).toBe(res.json().csrfToken);
    expect(body.expiresAt).toBe(res.json().expiresAt);
    expect(body.user).toEqual({
      id: u.id,
      username: 'meuser',
      name: '王五',
      roles: ['office'],
      permissions: expect.any(Array),
      unitId: unit.id,
      unitName: '测试局',
      regionId: region.id,
      regionName: '测试市',
      regionLevel: 'city',
      mustChangePassword: true,
    });
    expect([...body.user.permissions].sort()).toEqual([...permissionsOf(['office'])].sort());
    expect(body.user.permissions).toContain('unit.write');
    expect(body.user.permissions).not.toContain('audit.read');
    expect(res.json()).toEqual(body);
  });

  it('answers /me with 401 without a cookie or with an unknown one', async () => {
    for (const headers of [{}, { cookie: 'cc_session=not-a-real-token' }, { cookie: 'x=y' }]) {
      const res = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('unauthenticated');
      expect(res.json().error.messageEn).toBe('please sign in first');
    }
  });

  it('refuses writes without the right x-csrf-token with 403 csrf', async () => {
    await buildUser(t.database.db, { username: 'csrfuser', roles: ['office'] });
    const agent = await t.login('csrfuser');
    const other = await t.login('csrfuser');
    expect(other.csrf).not.toBe(agent.csrf);
    const unit = (code: string) => ({ code, name: `CSRF单位${code}`, type: 'other' });
    const post = (headers: Record<string, string>, code: string) =>
      t.app.inject({ method: 'POST', url: '/api/units', headers, payload: unit(code) });

    const cases: [string, Record<string, string>][] = [
      ['none', { cookie: agent.cookie }],
      ['empty', { cookie: agent.cookie, 'x-csrf-token': '' }],
      ['wrong', { cookie: agent.cookie, 'x-csrf-token': 'wrong-token' }],
      ['other session', { cookie: agent.cookie, 'x-csrf-token': other.csrf }],
    ];
    for (const [label, headers] of cases) {
      const res = await post(headers, 'CSRF-1');
      expect(res.statusCode, label).toBe(403);
      const err = res.json().error;
      expect(err.code).toBe('csrf');
      expect(err.messageZh).toContain('CSRF');
      expect(err.messageEn).toContain('CSRF');
    }
    const count = async () =>
      (
        await execRows<{ n: number }>(
          t.database.db,
          sql`select count(*)::int as n from units where code = 'CSRF-1'`,
        )
      )[0]!.n;
    expect(await count()).toBe(0);

    // Reads need no token.
    expect(
      (await t.app.inject({ url: '/api/units', headers: { cookie: agent.cookie } })).statusCode,
    ).toBe(200);

    const ok = await post({ cookie: agent.cookie, 'x-csrf-token': agent.csrf }, 'CSRF-1');
    expect(ok.statusCode).toBe(201);
    expect(ok.json().code).toBe('CSRF-1');
    expect(await count()).toBe(1);
  });

  it('needs the CSRF token to sign out as well', async () => {
    const u = await buildUser(t.database.db);
    const agent = await t.login(u.username);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: agent.cookie },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('csrf');
    expect((await me(t, agent.cookie)).statusCode).toBe(200);
  });

  it('logout ends the session: the cookie no longer works', async () => {
    const u = await buildUser(t.database.db, { roles: ['office'] });
    const agent = await t.login(u.username);
    const keep = await t.login(u.username);
    expect((await agent.get('/api/auth/me')).statusCode).toBe(200);

    const out = await agent.post('/api/auth/logout');
    expect(out.statusCode).toBe(204);
    const cleared = setCookies(out).find((s) => s.startsWith('cc_session='));
    expect(cleared).toBeDefined();
    expect(cleared!.split(';')[0]).toBe('cc_session=');
    expect(cleared!.toLowerCase()).toMatch(/expires=thu, 01 jan 1970|max-age=0/);
    expect(await sessionExists(t, agent.cookie)).toBe(false);

    const after = await agent.get('/api/auth/me');
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('unauthenticated');
    const write = await agent.post('/api/units', {
      code: 'LOGOUT-1',
      name: '登出单位',
      type: 'other',
    });
    expect(write.statusCode).toBe(401);
    expect((await agent.post('/api/auth/logout')).statusCode).toBe(401);

    // Only that session ended.
    expect((await keep.get('/api/auth/me')).statusCode).toBe(200);
  });

  it('ends a session that has been idle too long', async () => {
    const u = await buildUser(t.database.db);
    const agent = await t.login(u.username);
    await t.database.db.execute(
      sql`update sessions set last_seen_at = now() - interval '121 minutes'
          where user_id = ${u.id}`,
    );
    const res = await agent.get('/api/auth/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthenticated');
    expect(await sessionExists(t, agent.cookie)).toBe(false);
  });

  it('keeps an active session alive by refreshing last_seen_at', async () => {
    const u = await buildUser(t.database.db);
    const agent = await t.login(u.username);
    await t.database.db.execute(
      sql`update sessions set last_seen_at = now() - interval '100 minutes'
          where user_id = ${u.id}`,
    );
    expect((await agent.get('/api/auth/me')).statusCode).toBe(200);
    const [row] = await sessionsOf(t, u.id);
    expect(Date.now() - row!.lastSeenAt.getTime()).toBeLessThan(MINUTE);
    // 100 more minutes later it is still within the idle limit of the refreshed time.
    await t.database.db.execute(
      sql`update sessions set last_seen_at = last_seen_at - interval '100 minutes'
          where user_id = ${u.id}`,
    );
    expect((await agent.get('/api/auth/me')).statusCode).toBe(200);
  });

  it('ends a session at its absolute expiry even when it is in use', async () => {
    const u = await buildUser(t.database.db);
    const agent = await t.login(u.username);
    expect((await agent.get('/api/auth/me')).statusCode).toBe(200);
    await t.database.db.execute(
      sql`update sessions set expires_at = now() - interval '1 second', last_seen_at = now()
          where user_id = ${u.id}`,
    );
    const res = await agent.get('/api/auth/me');
    expect(res.statusCode).toBe(401);
    expect(await sessionExists(t, agent.cookie)).toBe(false);
  });

  it("stops a deactivated user's sessions (changed in the database)", async () => {
    const u = await buildUser(t.database.db);
    const agent = await t.login(u.username);
    expect((await agent.get('/api/auth/me')).statusCode).toBe(200);
    await t.database.db.execute(sql`update users set active = false where id = ${u.id}`);
    expect((await agent.get('/api/auth/me')).statusCode).toBe(401);
    expect((await agent.post('/api/auth/logout')).statusCode).toBe(401);
    expectBadCredentials(await login(t, u.username, TEST_PASSWORD, { ip: freshIp() }));
  });

  it("ends a user's sessions when the office deactivates the user", async () => {
    const officer = await buildUser(t.database.db, { roles: ['office'] });
    const u = await buildUser(t.database.db, { roles: ['inspector'] });
    const office = await t.login(officer.username);
    const agent = await t.login(u.username);
    expect((await agent.get('/api/auth/me')).statusCode).toBe(200);

    const current = await office.get(`/api/users/${u.id}`);
    expect(current.statusCode).toBe(200);
    const res = await office.patch(`/api/users/${u.id}`, {
      active: false,
      version: current.json().version,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().active).toBe(false);
    expect(await sessionsOf(t, u.id)).toHaveLength(0);
    expect((await agent.get('/api/auth/me')).statusCode).toBe(401);
    expect((await office.get('/api/auth/me')).statusCode).toBe(200);
  });
});

describe('POST /api/auth/password', () => {
  it('rejects a wrong current password with 400', async () => {
    const u = await buildUser(t.database.db);
    const agent = await t.login(u.username);
    const res = await changePassword(t, agent.cookie, agent.csrf, {
      currentPassword: 'Not-the-pw1',
      newPassword: NEW_PASSWORD,
    });
    expect(res.statusCode).toBe(400);
    const err = res.json().error;
    expect(err.code).toBe('bad_current_password');
    expect(err.messageZh).toBe('当前密码不正确');
    expect(err.messageEn).toBe('the current password is wrong');
    expect(err.fields).toEqual([
      { path: 'currentPassword', message: '当前密码不正确 / wrong password' },
    ]);
    expect((await login(t, u.username, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('rejects a weak new password with 400 and the field list', async () => {
    const u = await buildUser(t.database.db);
    const agent = await t.login(u.username);
    for (const weak of ['Ab1!', 'alllowercase', 'ALLUPPER123', '12345678!!']) {
      const res = await changePassword(t, agent.cookie, agent.csrf, {
        currentPassword: TEST_PASSWORD,
        newPassword: weak,
      });
      expect(res.statusCode, weak).toBe(400);
      const err = res.json().error;
      expect(err.code).toBe('invalid');
      expect(err.fields.map((f: { path: string }) => f.path)).toContain('body.newPassword');
      expect(err.messageEn).toContain('newPassword');
      expect(err.messageZh).toContain('newPassword');
    }
    const short = await changePassword(t, agent.cookie, agent.csrf, {
      currentPassword: TEST_PASSWORD,
      newPassword: 'Ab1!',
    });
    expect(short.json().error.fields).toContainEqual({
      path: 'body.newPassword',
      message: '密码至少 8 位 / password must have at least 8 characters',
    });
    const classes = await changePassword(t, agent.cookie, agent.csrf, {
      currentPassword: TEST_PASSWORD,
      newPassword: 'alllowercase',
    });
    expect(classes.json().error.fields).toContainEqual({
      path: 'body.newPassword',
      message:
        '密码需包含小写、大写、数字、符号中的三类 / password needs three of: lower-case, upper-case, digit, symbol',
    });
    const same = await changePassword(t, agent.cookie, agent.csrf, {
      currentPassword: TEST_PASSWORD,
      newPassword: TEST_PASSWORD,
    });
    expect(same.statusCode).toBe(400);
    expect(same.json().error.fields).toEqual([
      { path: 'newPassword', message: '新密码不能与当前密码相同 / same as current' },
    ]);
    expect((await login(t, u.username, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('needs the CSRF token', async () => {
    const u = await buildUser(t.database.db);
    const agent = await t.login(u.username);
    const res = await changePassword(t, agent.cookie, 'nope', {
      currentPassword: TEST_PASSWORD,
      newPassword: NEW_PASSWORD,
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('csrf');
    expect((await login(t, u.username, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('changes the password, clears mustChangePassword and ends the other sessions', async () => {
    const u = await buildUser(t.database.db, { mustChangePassword: true });
    const current = await t.login(u.username);
    const other1 = await t.login(u.username);
    const other2 = await t.login(u.username);
    expect((await current.get('/api/auth/me')).json().user.mustChangePassword).toBe(true);
    expect(await sessionsOf(t, u.id)).toHaveLength(3);

    const res = await changePassword(t, current.cookie, current.csrf, {
      currentPassword: TEST_PASSWORD,
      newPassword: NEW_PASSWORD,
    });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');

    const mine = await current.get('/api/auth/me');
    expect(mine.statusCode).toBe(200);
    expect(mine.json().user.mustChangePassword).toBe(false);
    expect(mine.json().csrfToken).toBe(current.csrf);
    expect((await other1.get('/api/auth/me')).statusCode).toBe(401);
    expect((await other2.get('/api/auth/me')).statusCode).toBe(401);
    const left = await sessionsOf(t, u.id);
    expect(left.map((s) => s.id)).toEqual([sessionIdOf(tokenOf(current.cookie))]);

    // The current session can still write.
    const write = await current.post('/api/auth/password', {
      currentPassword: NEW_PASSWORD,
      newPassword: `${NEW_PASSWORD}2`,
    });
    expect(write.statusCode).toBe(204);

    expectBadCredentials(await login(t, u.username, TEST_PASSWORD, { ip: freshIp() }));
    expectBadCredentials(await login(t, u.username, NEW_PASSWORD, { ip: freshIp() }));
    const fresh = await login(t, u.username, `${NEW_PASSWORD}2`);
    expect(fresh.statusCode).toBe(200);
    expect(fresh.json().user.mustChangePassword).toBe(false);

    const row = await userRow(t, u.id);
    expect(row.mustChangePassword).toBe(false);
    expect(row.passwordChangedAt).not.toBeNull();
    expect(row.version).toBe(u.version + 2);
    const audit = await t.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'auth.change_password'));
    expect(audit.filter((a) => a.entityId === String(u.id) && a.actorId === u.id)).toHaveLength(2);
  });
});
