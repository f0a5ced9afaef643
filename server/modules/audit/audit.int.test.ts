import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAuditRecord } from '../../../core/contracts/audit.js';
import type { UserRow } from '../org/users.repo.js';
import { execRows } from '../../db/client.js';
import { auditLog } from '../../db/schema/index.js';
import {
  anchorFromKeys,
  bindAuditAnchor,
  checkpointAuditChain,
  GENESIS_HASH,
  hashAuditRecord,
  sealAuditChain,
  writeAudit,
} from '../../platform/audit.js';
import { SYSTEM_ACTOR } from '../../platform/actor.js';
import { buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';

let t: TestApp;
let admin: Agent;
let office: Agent;
let adminUser: UserRow;
let officeUser: UserRow;

beforeAll(async () => {
  t = await createTestApp();
  adminUser = await buildUser(t.database.db, {
    username: 'admin1',
    name: '管理员',
    roles: ['admin'],
  });
  officeUser = await buildUser(t.database.db, {
    username: 'office1',
    name: '创建办',
    roles: ['office'],
  });
  admin = await t.login('admin1');
  office = await t.login('office1');
});
afterAll(() => t.close());

let codeSeq = 0;
const newUnit = (prefix = 'AU') => {
  const n = ++codeSeq;
  return { code: `${prefix}-${n}`, name: `审计单位${prefix}${n}`, type: 'school' };
};

async function createUnit(agent: Agent, prefix?: string) {
  const res = await agent.post('/api/units', newUnit(prefix));
  expect(res.statusCode).toBe(201);
  return res.json<{ id: number; name: string; version: number }>();
}

/** The list after the sealing job's work (reading the list does not seal). */
async function listAll(agent: Agent, query = ''): Promise<TAuditRecord[]> {
  await sealAuditChain(t.database);
  const res = await agent.get(`/api/audit?limit=500${query ? `&${query}` : ''}`);
  expect(res.statusCode).toBe(200);
  expect(res.json().nextCursor).toBeNull();
  return res.json().items;
}

async function countAudit(app: TestApp): Promise<number> {
  const rows = await execRows<{ n: number }>(
    app.database.db,
    sql`select count(*)::int as n from audit_log`,
  );
  return rows[0]!.n;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A separate app for tests that damage the chain, so the shared one stays intact. */
async function withScratchApp(fn: (s: TestApp, agent: Agent) => Promise<void>): Promise<void> {
  const s = await createTestApp();
  try {
    await buildUser(s.database.db, { username: 'scratch', roles: ['admin'] });
    const agent = await s.login('scratch');
    for (let i = 0; i < 5; i++) await createUnit(agent, 'SC');
    await sealAuditChain(s.database);
    const v = await agent.get('/api/audit/verify');
    expect(v.json()).toEqual({
      ok: true,
      checked: 6,
      unsealed: 0,
      checkpoints: 0,
      lastCheckpoint: null,
      firstBroken: null,
    });
    await fn(s, agent);
  } finally {
    await s.close();
  }
}

async function idsOf(app: TestApp, action: string): Promise<number[]> {
  const rows = await app.database.db
    .select({ id: auditLog.id })
    .from(auditLog)
    .where(eq(auditLog.action, action))
    .orderBy(asc(auditLog.id));
  return rows.map((r) => r.id);
}

describe('audit records', () => {
  it('records a unit creation with the actor, action, entity and new state', async () => {
    const res = await office.post('/api/units', {
      code: 'AUD-CREATE',
      name: '审计创建单位',
      type: 'hospital',
      address: '人民路 1 号',
    });
    expect(res.statusCode).toBe(201);
    const unit = res.json();

    const items = await listAll(admin, `entityType=unit&entityId=${unit.id}`);
    expect(items).toHaveLength(1);
    const r = items[0]!;
    expect(r).toMatchObject({
      actorId: officeUser.id,
      actorName: '创建办(office1)',
      action: 'unit.create',
      entityType: 'unit',
      entityId: String(unit.id),
      before: null,
      ip: '127.0.0.1',
    });
    expect(r.after).toEqual(unit);
    expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(r.prevHash).toMatch(/^[0-9a-f]{64}$/);
    expect(Date.now() - Date.parse(r.at)).toBeLessThan(60_000);
    expect(r.seq).toBeGreaterThan(0);
    expect(r.hash).toBe(hashAuditRecord({ ...r, prevHash: r.prevHash!, at: new Date(r.at) }));
  });

  it('records an update with the state before and after', async () => {
    const unit = await createUnit(office);
    const res = await office.patch(`/api/units/${unit.id}`, {
      name: `${unit.name}改`,
      version: unit.version,
    });
    expect(res.statusCode).toBe(200);
    const items = await listAll(admin, `entityType=unit&entityId=${unit.id}`);
    expect(items.map((i) => i.action)).toEqual(['unit.update', 'unit.create']);
    const update = items[0]!;
    expect(update.actorId).toBe(officeUser.id);
    expect(update.before).toEqual(unit);
    expect(update.after).toEqual(res.json());
    expect(update.before).toMatchObject({ name: unit.name, version: 1 });
    expect(update.after).toMatchObject({ name: `${unit.name}改`, version: 2 });
  });

  it('records nothing for a write that was refused', async () => {
    const before = await countAudit(t);
    const unit = newUnit();
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/units',
      headers: { cookie: office.cookie },
      payload: unit,
    });
    expect(noCsrf.statusCode).toBe(403);
    const invalid = await office.post('/api/units', { ...unit, type: 'no-such-type' });
    expect(invalid.statusCode).toBe(400);
    expect(await countAudit(t)).toBe(before);
  });

  it('records sign-in, sign-out and password changes of the user', async () => {
    const u = await buildUser(t.database.db, { username: 'auditee', name: '被审计人' });
    const agent = await t.login('auditee');
    expect(
      (
        await agent.post('/api/auth/password', {
          currentPassword: 'Test@2026pw',
          newPassword: 'Changed#2026',
        })
      ).statusCode,
    ).toBe(204);
    expect((await agent.post('/api/auth/logout')).statusCode).toBe(204);

    const items = await listAll(admin, `actorId=${u.id}`);
    expect(items.map((i) => i.action)).toEqual([
      'auth.logout',
      'auth.change_password',
      'auth.login',
    ]);
    for (const r of items) {
      expect(r).toMatchObject({
        actorId: u.id,
        actorName: '被审计人(auditee)',
        entityType: 'user',
        entityId: String(u.id),
        before: null,
        after: null,
        ip: '127.0.0.1',
      });
    }
  });

  it('links every record to the previous one', async () => {
    const all = await listAll(admin);
    expect(all.length).toBe(await countAudit(t));
    const chain = [...all].reverse();
    expect(chain[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < chain.length; i++) {
      expect(chain[i]!.id).toBeGreaterThan(chain[i - 1]!.id);
      expect(chain[i]!.prevHash).toBe(chain[i - 1]!.hash);
    }
    expect(new Set(all.map((r) => r.hash)).size).toBe(all.length);
  });
});

describe('GET /api/audit', () => {
  it('is for administrators only', async () => {
    for (const url of ['/api/audit', '/api/audit/verify']) {
      const denied = await office.get(url);
      expect(denied.statusCode).toBe(403);
      expect(denied.json().error.code).toBe('forbidden');
      expect(denied.json().error.messageZh).toBe('您没有执行此操作的权限');
      expect(denied.json().error.messageEn).toBe('you do not have permission to do this');
      const anonymous = await t.app.inject({ url });
      expect(anonymous.statusCode).toBe(401);
      expect((await admin.get(url)).statusCode).toBe(200);
    }
    const viewer = await buildUser(t.database.db, { roles: ['leader'] });
    expect((await (await t.login(viewer.username)).get('/api/audit')).statusCode).toBe(403);
  });

  it('lists newest first and filters by entity type and id', async () => {
    const a = await createUnit(office);
    const b = await createUnit(office);
    const all = await listAll(admin);
    expect(all.map((r) => r.id)).toEqual([...all.map((r) => r.id)].sort((x, y) => y - x));

    const units = await listAll(admin, 'entityType=unit');
    expect(units.length).toBeGreaterThanOrEqual(2);
    expect(units.every((r) => r.entityType === 'unit')).toBe(true);
    expect(units).toHaveLength(all.filter((r) => r.entityType === 'unit').length);

    const onlyB = await listAll(admin, `entityType=unit&entityId=${b.id}`);
    expect(onlyB.map((r) => [r.action, r.entityId])).toEqual([['unit.create', String(b.id)]]);
    const onlyA = await listAll(admin, `entityId=${a.id}`);
    expect(onlyA.every((r) => r.entityId === String(a.id))).toBe(true);
    expect(onlyA.map((r) => r.action)).toContain('unit.create');

    expect(await listAll(admin, 'entityType=region')).toEqual([]);
    expect(await listAll(admin, 'entityId=999999')).toEqual([]);
  });

  it('filters by action prefix, treating % and _ literally', async () => {
    await createUnit(office);
    const all = await listAll(admin);
    const expectPrefix = async (prefix: string) => {
      const items = await listAll(admin, `action=${encodeURIComponent(prefix)}`);
      expect(items.map((r) => r.id)).toEqual(
        all.filter((r) => r.action.startsWith(prefix)).map((r) => r.id),
      );
      return items;
    };
    expect((await expectPrefix('unit.')).length).toBeGreaterThan(0);
    expect((await expectPrefix('unit.create')).length).toBeGreaterThan(0);
    expect((await expectPrefix('auth')).length).toBeGreaterThan(0);
    expect((await expectPrefix('auth.login')).every((r) => r.action === 'auth.login')).toBe(true);
    // A prefix must be a prefix: "create" is inside "unit.create" but does not start it.
    expect(await expectPrefix('create')).toEqual([]);
    expect(await expectPrefix('%')).toEqual([]);
    expect(await expectPrefix('_nit')).toEqual([]);
    expect(await expectPrefix('unit_')).toEqual([]);
  });

  it('filters by actor', async () => {
    const all = await listAll(admin);
    const byOffice = await listAll(admin, `actorId=${officeUser.id}`);
    expect(byOffice.length).toBeGreaterThan(0);
    expect(byOffice.map((r) => r.id)).toEqual(
      all.filter((r) => r.actorId === officeUser.id).map((r) => r.id),
    );
    const byAdmin = await listAll(admin, `actorId=${adminUser.id}`);
    expect(byAdmin.map((r) => r.action)).toContain('auth.login');
    expect(byAdmin.every((r) => r.actorId === adminUser.id)).toBe(true);
    expect(await listAll(admin, 'actorId=999999')).toEqual([]);
    expect((await admin.get('/api/audit?actorId=abc')).statusCode).toBe(400);
  });

  it('filters by time with from and to (inclusive)', async () => {
    for (let i = 0; i < 4; i++) {
      await createUnit(office, 'TM');
      await sleep(15);
    }
    const all = await listAll(admin);
    const times = [...new Set(all.map((r) => Date.parse(r.at)))].sort((x, y) => x - y);
    expect(times.length).toBeGreaterThanOrEqual(3);
    const mid = new Date(times[Math.floor(times.length / 2)]!).toISOString();
    const idsWhere = (pred: (at: number) => boolean) =>
      all.filter((r) => pred(Date.parse(r.at))).map((r) => r.id);

    const from = await listAll(admin, `from=${encodeURIComponent(mid)}`);
    expect(from.map((r) => r.id)).toEqual(idsWhere((at) => at >= Date.parse(mid)));
    expect(from.length).toBeLessThan(all.length);

    const to = await listAll(admin, `to=${encodeURIComponent(mid)}`);
    expect(to.map((r) => r.id)).toEqual(idsWhere((at) => at <= Date.parse(mid)));
    expect(to.length).toBeLessThan(all.length);

    const both = await listAll(admin, `from=${mid}&to=${mid}`);
    expect(both.length).toBeGreaterThan(0);
    expect(both.every((r) => Date.parse(r.at) === Date.parse(mid))).toBe(true);

    // An offset other than Z means the same instant.
    const shifted = new Date(Date.parse(mid) + 8 * 3600_000).toISOString().replace('Z', '+08:00');
    const fromShifted = await listAll(admin, `from=${encodeURIComponent(shifted)}`);
    expect(fromShifted.map((r) => r.id)).toEqual(from.map((r) => r.id));

    expect(await listAll(admin, 'from=2999-01-01T00:00:00Z')).toEqual([]);
    expect(await listAll(admin, 'to=2000-01-01T00:00:00Z')).toEqual([]);
    const bad = await admin.get('/api/audit?from=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].path).toBe('querystring.from');
  });

  it('pages with a keyset cursor without gaps or repeats', async () => {
    const all = await listAll(admin);
    expect(all.length).toBeGreaterThan(7);
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await admin.get(url);
      expect(res.statusCode).toBe(200);
      const page = res.json();
      expect(page.items.length).toBeLessThanOrEqual(3);
      if (page.nextCursor !== null) {
        expect(page.items).toHaveLength(3);
        expect(page.nextCursor).toBe(String(page.items[2].id));
      }
      seen.push(...page.items.map((r: TAuditRecord) => r.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null && pages < 1000);
    expect(seen).toEqual(all.map((r) => r.id));
    expect(pages).toBe(Math.ceil(all.length / 3));
  });

  it('pages through a filtered list', async () => {
    const units = await listAll(admin, 'action=unit.');
    expect(units.length).toBeGreaterThan(2);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${cursor}` : '';
      const res = await admin.get(`/api/audit?action=unit.&limit=2${q}`);
      expect(res.statusCode).toBe(200);
      seen.push(...res.json().items.map((r: TAuditRecord) => r.id));
      cursor = res.json().nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(units.map((r) => r.id));
  });

  it('validates the limit', async () => {
    for (const limit of ['0', '501', '-1', 'x']) {
      const res = await admin.get(`/api/audit?limit=${limit}`);
      expect(res.statusCode, limit).toBe(400);
      expect(res.json().error.code).toBe('invalid');
    }
    const one = await admin.get('/api/audit?limit=1');
    expect(one.json().items).toHaveLength(1);
    expect(one.json().nextCursor).toBe(String(one.json().items[0].id));
  });
});

describe('GET /api/audit/verify', () => {
  it('reports an untouched chain as intact', async () => {
    await sealAuditChain(t.database);
    const res = await admin.get('/api/audit/verify');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, checked: await countAudit(t), firstBroken: null });
  });

  it('finds a changed action and recovers when it is put back', async () => {
    const unit = await createUnit(office);
    const [rec] = await listAll(admin, `entityType=unit&entityId=${unit.id}`);
    await t.database.db.execute(
      sql`update audit_log set action = 'unit.delete' where id = ${rec!.id}`,
    );
    const rows = await execRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from audit_log where id <= ${rec!.id}`,
    );
    const broken = await admin.get('/api/audit/verify');
    expect(broken.json()).toMatchObject({
      ok: false,
      checked: rows[0]!.n - 1,
      firstBroken: { id: rec!.id, reason: 'hash_mismatch' },
    });
    await t.database.db.execute(
      sql`update audit_log set action = 'unit.create' where id = ${rec!.id}`,
    );
    expect((await admin.get('/api/audit/verify')).json().ok).toBe(true);
  });

  it('finds a changed after-state at the tampered record', async () => {
    await withScratchApp(async (s, agent) => {
      const ids = await idsOf(s, 'unit.create');
      const target = ids[2]!;
      await s.database.db.execute(
        sql`update audit_log set after = jsonb_set(after, '{name}', '"篡改后的名称"')
            where id = ${target}`,
      );
      const res = await agent.get('/api/audit/verify');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        ok: false,
        checked: 3,
        firstBroken: { id: target, reason: 'hash_mismatch' },
      });

      // With a second, later change the first one is still the one reported.
      await s.database.db.execute(sql`update audit_log set actor_id = null where id = ${ids[4]!}`);
      expect((await agent.get('/api/audit/verify')).json().firstBroken).toMatchObject({
        id: target,
        reason: 'hash_mismatch',
      });
    });
  });

  it('finds a record whose hash was recomputed after tampering at the next link', async () => {
    await withScratchApp(async (s, agent) => {
      const ids = await idsOf(s, 'unit.create');
      const target = ids[1]!;
      await s.database.db.execute(
        sql`update audit_log set before = '{"forged":true}'::jsonb where id = ${target}`,
      );
      const [row] = await s.database.db.select().from(auditLog).where(eq(auditLog.id, target));
      const forged = hashAuditRecord({ ...row!, prevHash: row!.prevHash! });
      await s.database.db.execute(sql`update audit_log set hash = ${forged} where id = ${target}`);
      const res = await agent.get('/api/audit/verify');
      expect(res.json()).toMatchObject({
        ok: false,
        checked: 3,
        firstBroken: { id: ids[2]!, reason: 'prev_hash_mismatch' },
      });
    });
  });

  it('finds a deleted record at the next one', async () => {
    await withScratchApp(async (s, agent) => {
      const ids = await idsOf(s, 'unit.create');
      await s.database.db.execute(sql`delete from audit_log where id = ${ids[2]!}`);
      const res = await agent.get('/api/audit/verify');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        ok: false,
        checked: 3,
        firstBroken: { id: ids[3]!, reason: 'prev_hash_mismatch' },
      });
    });
  });

  it('keeps one valid chain under concurrent writes', async () => {
    const before = await countAudit(t);
    const bodies = Array.from({ length: 10 }, () => newUnit('CC'));
    const results = await Promise.all(bodies.map((b) => office.post('/api/units', b)));
    expect(results.map((r) => r.statusCode)).toEqual(Array(10).fill(201));
    const ids = results.map((r) => r.json().id as number);
    expect(new Set(ids).size).toBe(10);
    expect(await countAudit(t)).toBe(before + 10);

    const creates = await listAll(admin, `action=unit.create&actorId=${officeUser.id}`);
    for (const id of ids) {
      expect(creates.filter((r) => r.entityId === String(id))).toHaveLength(1);
    }
    await sealAuditChain(t.database);
    const verify = await admin.get('/api/audit/verify');
    expect(verify.json()).toMatchObject({ ok: true, checked: before + 10, firstBroken: null });

    const all = [...(await listAll(admin))].reverse();
    for (let i = 1; i < all.length; i++) expect(all[i]!.prevHash).toBe(all[i - 1]!.hash);
  });
});

describe('batched sealing', () => {
  it('writes records unsealed and seals them in id order, chained to the end', async () => {
    await sealAuditChain(t.database);
    await createUnit(office, 'SEAL');
    await createUnit(office, 'SEAL');
    const pending = await execRows<{ id: number; seq: number | null; hash: string | null }>(
      t.database.db,
      sql`select id, seq, hash from audit_log where seq is null order by id`,
    );
    expect(pending).toHaveLength(2);
    expect(pending.every((r) => r.hash === null)).toBe(true);

    expect(await sealAuditChain(t.database)).toBe(2);
    expect(await sealAuditChain(t.database)).toBe(0);
    const tail = await t.database.db
      .select()
      .from(auditLog)
      .orderBy(sql`${auditLog.seq} desc`)
      .limit(3);
    expect(tail.map((r) => Number(r.id))).toEqual([
      Number(pending[1]!.id),
      Number(pending[0]!.id),
      Number(tail[2]!.id),
    ]);
    expect(tail[0]!.seq).toBe(tail[1]!.seq! + 1);
    expect(tail[0]!.prevHash).toBe(tail[1]!.hash);
    expect(tail[1]!.prevHash).toBe(tail[2]!.hash);
    expect((await admin.get('/api/audit/verify')).json()).toMatchObject({ ok: true });
  });

  it.runIf(process.env.TEST_DB === 'postgres')(
    'chains a record whose transaction commits after a later one was sealed',
    async () => {
      await sealAuditChain(t.database);
      // Transaction A writes first (lower id) but commits last.
      let releaseA!: () => void;
      const aMayCommit = new Promise<void>((r) => (releaseA = r));
      let aWrote!: () => void;
      const aHasWritten = new Promise<void>((r) => (aWrote = r));
      const a = t.database.db.transaction(async (tx) => {
        await writeAudit(tx, SYSTEM_ACTOR, { action: 'test.slow', entityType: 'test' });
        aWrote();
        await aMayCommit;
      });
      await aHasWritten;
      await createUnit(office, 'LATE');
      expect(await sealAuditChain(t.database)).toBe(1);
      releaseA();
      await a;
      expect(await sealAuditChain(t.database)).toBe(1);
      const [slow] = await t.database.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.action, 'test.slow'));
      const [late] = await t.database.db
        .select()
        .from(auditLog)
        .where(sql`${auditLog.action} = 'unit.create'`)
        .orderBy(sql`${auditLog.id} desc`)
        .limit(1);
      expect(Number(slow!.id)).toBeLessThan(Number(late!.id));
      expect(slow!.seq).toBe(late!.seq! + 1);
      expect(slow!.prevHash).toBe(late!.hash);
      expect((await admin.get('/api/audit/verify')).json()).toMatchObject({ ok: true });
    },
  );

  it('lets only one sealer run at a time: concurrent sealing keeps one chain', async () => {
    await Promise.all(Array.from({ length: 8 }, () => createUnit(office, 'PAR')));
    const counts = await Promise.all([
      sealAuditChain(t.database),
      sealAuditChain(t.database),
      sealAuditChain(t.database),
    ]);
    expect(counts.reduce((x, y) => x + y, 0)).toBe(8);
    expect((await admin.get('/api/audit/verify')).json()).toMatchObject({ ok: true });
  });
});

describe('verification against checkpoints (issue 16)', () => {
  const anchor = anchorFromKeys(['audit-int-test-key-0123456789abcdef']);

  it('finds the last records deleted', async () => {
    await withScratchApp(async (s, agent) => {
      bindAuditAnchor(s.database, anchor);
      await checkpointAuditChain(s.database, anchor);
      const ids = await idsOf(s, 'unit.create');
      await s.database.db.execute(sql`delete from audit_log where id >= ${ids[3]!}`);
      const res = await agent.get('/api/audit/verify');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        ok: false,
        checked: 4,
        checkpoints: 0,
        firstBroken: { id: null, seq: 6, reason: 'truncated' },
      });
    });
  });

  it('never seals: records whose seq and hash were nulled stay unsealed and are reported', async () => {
    await withScratchApp(async (s, agent) => {
      bindAuditAnchor(s.database, anchor);
      await checkpointAuditChain(s.database, anchor);
      await s.database.db.execute(
        sql`update audit_log set seq = null, hash = null, prev_hash = null, action = 'unit.delete'
            where seq >= 4`,
      );
      const unsealed = async () =>
        (
          await execRows<{ n: number }>(
            s.database.db,
            sql`select count(*)::int as n from audit_log where seq is null`,
          )
        )[0]!.n;
      const res = await agent.get('/api/audit/verify');
      expect(res.json()).toMatchObject({
        ok: false,
        checked: 3,
        unsealed: 3,
        firstBroken: { seq: 6, reason: 'truncated' },
      });
      expect(await unsealed()).toBe(3); // verification wrote nothing
      expect((await agent.get('/api/audit?limit=500')).statusCode).toBe(200);
      expect(await unsealed()).toBe(3); // nor did reading the list

      // Once the sealing job has chained them again, the checkpoint still tells.
      expect(await sealAuditChain(s.database)).toBe(3);
      const after = await agent.get('/api/audit/verify');
      expect(after.json()).toMatchObject({
        ok: false,
        checked: 6,
        firstBroken: { seq: 6, reason: 'checkpoint_mismatch' },
      });
    });
  });

  it('reports records left unsealed longer than the grace period', async () => {
    await withScratchApp(async (s, agent) => {
      const ids = await idsOf(s, 'unit.create');
      await s.database.db.execute(
        sql`update audit_log set seq = null, hash = null, prev_hash = null,
              at = now() - interval '10 minutes'
            where id = ${ids[4]!}`,
      );
      const res = await agent.get('/api/audit/verify');
      expect(res.json()).toMatchObject({
        ok: false,
        checked: 5,
        unsealed: 1,
        firstBroken: { id: ids[4]!, reason: 'unsealed' },
      });
      // A record written a moment ago is only waiting for the job.
      await createUnit(agent, 'SC');
      await s.database.db.execute(sql`update audit_log set at = now() where id = ${ids[4]!}`);
      expect((await agent.get('/api/audit/verify')).json()).toMatchObject({
        ok: true,
        unsealed: 2,
      });
    });
  });
});
