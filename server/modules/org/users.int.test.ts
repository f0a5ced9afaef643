import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TUser } from '../../../core/contracts/org.js';
import { buildRegion, buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, TEST_PASSWORD, type Agent, type TestApp } from '../../test/harness.js';
import type { UnitRow } from './units.repo.js';
import type { UserRow } from './users.repo.js';

let t: TestApp;
let admin: Agent;
let office: Agent;
let leader: Agent;
let inspector: Agent;
let unitAgent: Agent;
let unitA: UnitRow;
let unitB: UnitRow;
let inA: UserRow;
let inB: UserRow;

interface Page {
  items: TUser[];
  nextCursor: string | null;
  total: number;
}

const tryLogin = (username: string, password: string) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
const get = async (id: number) => (await office.get(`/api/users/${id}`)).json<TUser>();

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  unitA = await buildUnit(db, { code: 'USR-A', name: '用户甲单位' });
  unitB = await buildUnit(db, { code: 'USR-B', name: '用户乙单位' });
  await buildUser(db, { username: 'admin1', roles: ['admin'] });
  await buildUser(db, { username: 'office1', roles: ['office'] });
  await buildUser(db, { username: 'leader1', roles: ['leader'] });
  await buildUser(db, { username: 'insp1', roles: ['inspector'] });
  await buildUser(db, { username: 'unitA1', roles: ['unit'], unitId: unitA.id });
  inA = await buildUser(db, { username: 'unitA2', roles: ['grid_worker'], unitId: unitA.id });
  inB = await buildUser(db, { username: 'unitB1', roles: ['unit'], unitId: unitB.id });
  admin = await t.login('admin1');
  office = await t.login('office1');
  leader = await t.login('leader1');
  inspector = await t.login('insp1');
  unitAgent = await t.login('unitA1');
});
afterAll(() => t.close());

const NEW_PASSWORD = 'Strong@2026';

describe('users: create', () => {
  it('creates a user who must change the password, without leaking the hash', async () => {
    const region = await buildRegion(t.database.db, { name: '用户区划' });
    const res = await office.post('/api/users', {
      username: 'newuser1',
      name: '新用户',
      phone: '13700000001',
      unitId: unitA.id,
      regionId: region.id,
      roles: ['unit', 'grid_worker'],
      password: NEW_PASSWORD,
    });
    expect(res.statusCode, res.body).toBe(201);
    const user = res.json<TUser>();
    expect(user).toMatchObject({
      username: 'newuser1',
      unitName: '用户甲单位',
      regionName: '用户区划',
      roles: ['unit', 'grid_worker'],
      active: true,
      mustChangePassword: true,
      lockedUntil: null,
      lastLoginAt: null,
      version: 1,
    });
    for (const key of ['password', 'passwordHash', 'failedLoginCount']) {
      expect(user).not.toHaveProperty(key);
    }
    expect(res.body).not.toContain(NEW_PASSWORD);
    expect(res.body).not.toContain('argon2');
    expect(await get(user.id)).toEqual(user);

    const login = await tryLogin('newuser1', NEW_PASSWORD);
    expect(login.statusCode).toBe(200);
    expect(login.json().user.mustChangePassword).toBe(true);
    expect((await tryLogin('13700000001', NEW_PASSWORD)).statusCode).toBe(200);
  });

  it('rejects weak passwords and malformed fields with 400', async () => {
    const base = { username: 'weakuser', name: '弱密码', roles: ['office'] };
    for (const password of ['Sh@1', 'alllowercase1', 'abcdefgh', 'ABCDEFGH12']) {
      const res = await office.post('/api/users', { ...base, password });
      expect(res.statusCode, password).toBe(400);
      expect(res.json().error.fields.map((f: { path: string }) => f.path)).toEqual([
        'body.password',
      ]);
    }
    const bad = await office.post('/api/users', {
      username: '1bad',
      name: '',
      roles: [],
      phone: '123',
      password: NEW_PASSWORD,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.map((f: { path: string }) => f.path)).toEqual(
      expect.arrayContaining(['body.username', 'body.name', 'body.roles', 'body.phone']),
    );
    expect((await office.get('/api/users?q=weakuser')).json<Page>().total).toBe(0);
  });

  it('answers 409 for a duplicate username (any case) or phone', async () => {
    const first = await buildUser(t.database.db, { username: 'dupuser', phone: '13700000002' });
    const sameName = await office.post('/api/users', {
      username: 'DupUser',
      name: '重名',
      roles: ['office'],
      password: NEW_PASSWORD,
    });
    expect(sameName.statusCode).toBe(409);
    expect(sameName.json().error.messageEn).toContain('username');
    const samePhone = await office.post('/api/users', {
      username: 'dupphone',
      name: '重号',
      phone: '13700000002',
      roles: ['office'],
      password: NEW_PASSWORD,
    });
    expect(samePhone.statusCode).toBe(409);
    expect(samePhone.json().error.messageEn).toContain('phone');
    const patch = await office.patch(`/api/users/${inA.id}`, { phone: '13700000002', version: 1 });
    expect(patch.statusCode).toBe(409);
    expect((await office.get('/api/users?q=dup')).json<Page>().items.map((u) => u.id)).toEqual([
      first.id,
    ]);
  });

  it('requires a unit for the unit role and existing references', async () => {
    const base = { username: 'nounit', name: '无单位', password: NEW_PASSWORD };
    const res = await office.post('/api/users', { ...base, roles: ['unit'] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual([{ path: 'unitId', message: expect.any(String) }]);
    const unknownUnit = await office.post('/api/users', {
      ...base,
      roles: ['unit'],
      unitId: 987654,
    });
    expect(unknownUnit.statusCode).toBe(404);
    const unknownRegion = await office.post('/api/users', {
      ...base,
      roles: ['grid_worker'],
      regionId: 987654,
    });
    expect(unknownRegion.statusCode).toBe(404);
    const detach = await office.patch(`/api/users/${inB.id}`, { unitId: null, version: 1 });
    expect(detach.statusCode).toBe(400);
    expect(await get(inB.id)).toMatchObject({ unitId: unitB.id, version: 1 });
  });

  it('lets only an administrator grant the admin role', async () => {
    const body = {
      username: 'newadmin',
      name: '新管理员',
      roles: ['admin'],
      password: NEW_PASSWORD,
    };
    const denied = await office.post('/api/users', body);
    expect(denied.statusCode).toBe(403);
    expect((await office.get('/api/users?q=newadmin')).json<Page>().total).toBe(0);
    const target = await buildUser(t.database.db, { roles: ['office'] });
    const promote = await office.patch(`/api/users/${target.id}`, {
      roles: ['office', 'admin'],
      version: 1,
    });
    expect(promote.statusCode).toBe(403);
    expect((await get(target.id)).roles).toEqual(['office']);

    const created = await admin.post('/api/users', body);
    expect(created.statusCode).toBe(201);
    expect(created.json().roles).toEqual(['admin']);
    const promoted = await admin.patch(`/api/users/${target.id}`, {
      roles: ['office', 'admin'],
      version: 1,
    });
    expect(promoted.statusCode).toBe(200);
    expect(promoted.json().roles).toEqual(['office', 'admin']);
    // The office may not reset an administrator's password either.
    const reset = await office.post(`/api/users/${target.id}/reset-password`, {
      password: NEW_PASSWORD,
      version: 2,
    });
    expect(reset.statusCode).toBe(403);
  });
});

describe('users: roles and scope', () => {
  it('shows a unit user only the users of its own unit', async () => {
    const res = await unitAgent.get('/api/users?limit=500');
    expect(res.statusCode).toBe(200);
    const page = res.json<Page>();
    expect(page.items.length).toBeGreaterThanOrEqual(2);
    expect(page.total).toBe(page.items.length);
    expect(new Set(page.items.map((u) => u.unitId))).toEqual(new Set([unitA.id]));
    expect(page.items.map((u) => u.username)).toEqual(expect.arrayContaining(['unitA1', 'unitA2']));
    const filtered = await unitAgent.get(`/api/users?unitId=${unitB.id}`);
    expect(filtered.json<Page>()).toMatchObject({ items: [], total: 0 });

    expect((await unitAgent.get(`/api/users/${inA.id}`)).statusCode).toBe(200);
    const other = await unitAgent.get(`/api/users/${inB.id}`);
    expect(other.statusCode).toBe(404);
    expect(other.json().error.code).toBe('not_found');
  });

  it('lets a unit user and a leader read but not write', async () => {
    const all = (await leader.get('/api/users?limit=500')).json<Page>();
    expect(all.items.map((u) => u.id)).toEqual(expect.arrayContaining([inA.id, inB.id]));
    expect((await leader.get(`/api/users/${inB.id}`)).statusCode).toBe(200);
    for (const agent of [leader, unitAgent]) {
      const writes = [
        await agent.post('/api/users', {
          username: 'sneaky',
          name: '越权',
          roles: ['office'],
          password: NEW_PASSWORD,
        }),
        await agent.patch(`/api/users/${inA.id}`, { name: '越权改名', version: 1 }),
        await agent.post(`/api/users/${inA.id}/reset-password`, {
          password: NEW_PASSWORD,
          version: 1,
        }),
        await agent.upload('/api/users/import', Buffer.from('not a workbook')),
      ];
      for (const w of writes) {
        expect(w.statusCode).toBe(403);
        expect(w.json().error.code).toBe('forbidden');
      }
    }
    expect(await get(inA.id)).toMatchObject({ username: 'unitA2', version: 1 });
  });

  it('keeps user records from inspectors', async () => {
    for (const url of ['/api/users', `/api/users/${inA.id}`, '/api/users/export.xlsx']) {
      const res = await inspector.get(url);
      expect(res.statusCode, url).toBe(403);
    }
  });
});

describe('users: update, deactivate and reset', () => {
  it('rejects a PATCH on a stale version and changes nothing', async () => {
    const u = await buildUser(t.database.db, { name: '版本用户' });
    const ok = await office.patch(`/api/users/${u.id}`, { name: '版本用户二', version: 1 });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ name: '版本用户二', version: 2 });
    const stale = await office.patch(`/api/users/${u.id}`, { name: '版本用户三', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('stale_version');
    expect(await get(u.id)).toMatchObject({ name: '版本用户二', version: 2 });
    expect((await office.patch('/api/users/987654', { name: 'x', version: 1 })).statusCode).toBe(
      404,
    );
  });

  it('ends the sessions of a deactivated user', async () => {
    const u = await buildUser(t.database.db, { username: 'leaving', roles: ['leader'] });
    const agent = await t.login('leaving');
    expect((await agent.get('/api/auth/me')).statusCode).toBe(200);
    const res = await office.patch(`/api/users/${u.id}`, { active: false, version: 1 });
    expect(res.statusCode).toBe(200);
    expect(res.json().active).toBe(false);
    expect((await agent.get('/api/auth/me')).statusCode).toBe(401);
    expect((await agent.get('/api/users')).statusCode).toBe(401);
    expect((await tryLogin('leaving', TEST_PASSWORD)).statusCode).toBe(401);

    const back = await office.patch(`/api/users/${u.id}`, { active: true, version: 2 });
    expect(back.statusCode).toBe(200);
    expect((await agent.get('/api/auth/me')).statusCode).toBe(401);
    expect((await tryLogin('leaving', TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('ends the sessions of a user whose roles change', async () => {
    const u = await buildUser(t.database.db, { username: 'rolechange', roles: ['leader'] });
    const agent = await t.login('rolechange');
    expect((await agent.get('/api/users')).statusCode).toBe(200);
    const res = await office.patch(`/api/users/${u.id}`, { roles: ['inspector'], version: 1 });
    expect(res.statusCode).toBe(200);
    expect((await agent.get('/api/auth/me')).statusCode).toBe(401);
    const again = await t.login('rolechange');
    expect((await again.get('/api/users')).statusCode).toBe(403);
  });

  it('resets a password: lifts the lock, requires a change, retires the old one', async () => {
    const u = await buildUser(t.database.db, { username: 'locked1', roles: ['leader'] });
    const agent = await t.login('locked1');
    for (let i = 0; i < t.config.loginMaxFailures; i++) {
      expect((await tryLogin('locked1', 'Wrong@pass1')).statusCode).toBe(401);
    }
    expect((await tryLogin('locked1', TEST_PASSWORD)).statusCode).toBe(423);
    const locked = await get(u.id);
    expect(locked.lockedUntil).not.toBeNull();

    const weak = await office.post(`/api/users/${u.id}/reset-password`, {
      password: 'weak',
      version: locked.version,
    });
    expect(weak.statusCode).toBe(400);
    const stale = await office.post(`/api/users/${u.id}/reset-password`, {
      password: NEW_PASSWORD,
      version: locked.version + 5,
    });
    expect(stale.statusCode).toBe(409);
    expect((await tryLogin('locked1', TEST_PASSWORD)).statusCode).toBe(423);

    const res = await office.post(`/api/users/${u.id}/reset-password`, {
      password: NEW_PASSWORD,
      version: locked.version,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      lockedUntil: null,
      mustChangePassword: true,
      version: locked.version + 1,
    });
    expect((await agent.get('/api/auth/me')).statusCode).toBe(401);
    expect((await tryLogin('locked1', TEST_PASSWORD)).statusCode).toBe(401);
    const fresh = await tryLogin('locked1', NEW_PASSWORD);
    expect(fresh.statusCode).toBe(200);
    expect(fresh.json().user.mustChangePassword).toBe(true);
    expect(
      (
        await office.post('/api/users/987654/reset-password', {
          password: NEW_PASSWORD,
          version: 1,
        })
      ).statusCode,
    ).toBe(404);
  });
});
