import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRows } from '../../db/client.js';
import { auditCheckpoints } from '../../db/schema/index.js';
import {
  ANCHOR_KEY_FILE,
  anchorFromKeys,
  auditKeyId,
  bindAuditAnchor,
  checkpointAuditChain,
  CHECKPOINT_HEARTBEAT_MS,
  checkpointLogEntry,
  formatCheckpoint,
  loadAuditAnchor,
  parseCheckpoint,
  sealAuditChain,
  signCheckpoint,
  verifyAuditChain,
  type AuditCheckpoint,
} from '../../platform/audit.js';
import { buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';

// Issue 16: the chain is anchored outside audit_log by signed checkpoints, kept in an append-only
// table and in the log; verification checks them, and one the operator kept, and never seals.

const KEY = 'anchor-test-key-0123456789abcdef0123';
const anchor = anchorFromKeys([KEY]);

let t: TestApp;
let admin: Agent;
let unitNo = 0;

async function createUnits(agent: Agent, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const n = ++unitNo;
    const res = await agent.post('/api/units', {
      code: `ANC-${n}`,
      name: `锚定单位${n}`,
      type: 'school',
    });
    expect(res.statusCode).toBe(201);
  }
}

/** A fresh app with a sealed chain of a few records, the anchor bound, for tests that damage it. */
async function scratch(fn: (s: TestApp, agent: Agent) => Promise<void>): Promise<void> {
  const s = await createTestApp();
  try {
    await buildUser(s.database.db, { username: 'anchor_admin', roles: ['admin'] });
    const agent = await s.login('anchor_admin');
    bindAuditAnchor(s.database, anchor);
    await createUnits(agent, 5);
    await sealAuditChain(s.database);
    await fn(s, agent);
  } finally {
    await s.close();
  }
}

async function checkpointRows(s: TestApp) {
  return s.database.db.select().from(auditCheckpoints).orderBy(auditCheckpoints.id);
}

/** What an attacker with full write access to the database (not the key) can do to the table. */
async function wipeCheckpoints(s: TestApp): Promise<void> {
  await s.database.db.execute(sql`alter table audit_checkpoints disable trigger user`);
  await s.database.db.execute(sql`delete from audit_checkpoints`);
  await s.database.db.execute(sql`alter table audit_checkpoints enable trigger user`);
}

beforeAll(async () => {
  t = await createTestApp();
  await buildUser(t.database.db, { username: 'anc_admin', roles: ['admin'] });
  admin = await t.login('anc_admin');
  bindAuditAnchor(t.database, anchor);
});
afterAll(() => t.close());

describe('checkpoints', () => {
  it('signs the sealed head into the table and the log, once per head', async () => {
    await createUnits(admin, 3);
    const logged: ReturnType<typeof checkpointLogEntry>[] = [];
    const cp = await checkpointAuditChain(t.database, anchor, (e) => logged.push(e));
    expect(cp).not.toBeNull();
    // it sealed first: the head is the last record
    const [head] = await execRows<{ seq: number; hash: string; n: number }>(
      t.database.db,
      sql`select seq::int as seq, hash, (select count(*)::int from audit_log) as n
          from audit_log where seq is not null order by seq desc limit 1`,
    );
    expect(cp).toMatchObject({ seq: head!.seq, hash: head!.hash, count: head!.n });
    expect(cp!.keyId).toBe(auditKeyId(Buffer.from(KEY)));
    expect(cp!.mac).toMatch(/^[0-9a-f]{64}$/);

    const rows = await checkpointRows(t);
    expect(rows.at(-1)).toMatchObject({ seq: cp!.seq, hash: cp!.hash, count: cp!.count });
    expect(logged).toHaveLength(1);
    expect(logged[0]!.auditCheckpoint).toMatchObject({
      seq: cp!.seq,
      hash: cp!.hash,
      count: cp!.count,
      mac: cp!.mac,
      keyId: cp!.keyId,
    });
    expect(parseCheckpoint(logged[0]!.checkpoint)).toEqual({
      seq: cp!.seq,
      hash: cp!.hash,
      count: cp!.count,
      at: cp!.at,
      mac: cp!.mac,
    });
    // a checkpoint covers nothing new: none is written until the head moves or an hour passes
    expect(await checkpointAuditChain(t.database, anchor)).toBeNull();
    expect(
      await checkpointAuditChain(
        t.database,
        anchor,
        undefined,
        Date.now() + CHECKPOINT_HEARTBEAT_MS,
      ),
    ).not.toBeNull();
    await createUnits(admin, 1);
    const next = await checkpointAuditChain(t.database, anchor);
    expect(next).toMatchObject({ seq: cp!.seq + 1, count: cp!.count + 1 });

    const v = await verifyAuditChain(t.database);
    expect(v).toMatchObject({ ok: true, checkpoints: 3, firstBroken: null });
    expect(v.lastCheckpoint).toEqual({
      seq: next!.seq,
      count: next!.count,
      at: next!.at.toISOString(),
    });
  });

  it('writes one checkpoint when several servers run the step at once', async () => {
    await createUnits(admin, 2);
    const before = (await checkpointRows(t)).length;
    const results = await Promise.all(
      [1, 2, 3].map(() => checkpointAuditChain(t.database, anchor)),
    );
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect((await checkpointRows(t)).length).toBe(before + 1);
  });

  it('keeps the table append-only: UPDATE, DELETE and TRUNCATE are refused', async () => {
    await createUnits(admin, 1);
    await checkpointAuditChain(t.database, anchor);
    const n = (await checkpointRows(t)).length;
    expect(n).toBeGreaterThan(0);
    for (const stmt of [
      sql`update audit_checkpoints set count = count + 1`,
      sql`update audit_checkpoints set hash = 'x' where id = -1`,
      sql`delete from audit_checkpoints`,
      sql`truncate audit_checkpoints`,
    ]) {
      const err = await t.database.db.execute(stmt).then(
        () => null,
        (e: Error & { cause?: Error }) => e,
      );
      // drizzle wraps the database's error: the trigger's message is the cause
      expect(String(err?.cause?.message ?? err?.message)).toMatch(
        /append-only: (UPDATE|DELETE|TRUNCATE) refused/,
      );
    }
    expect((await checkpointRows(t)).length).toBe(n);
    expect((await verifyAuditChain(t.database)).ok).toBe(true);
  });

  it('does not sign a chain that no longer continues the last checkpoint', async () => {
    await scratch(async (s) => {
      await checkpointAuditChain(s.database, anchor);
      await s.database.db.execute(
        sql`delete from audit_log where seq = (select max(seq) from audit_log)`,
      );
      await expect(checkpointAuditChain(s.database, anchor)).rejects.toThrow(/not signing/);
      await expect(checkpointRows(s)).resolves.toHaveLength(1);
    });
  });
});

describe('verification with checkpoints', () => {
  it('rejects a forged checkpoint and one signed with a key it does not have', async () => {
    await scratch(async (s, agent) => {
      const cp = (await checkpointAuditChain(s.database, anchor))!;
      expect((await agent.get('/api/audit/verify')).json()).toMatchObject({
        ok: true,
        checkpoints: 1,
      });
      // the attacker's own checkpoint: right hash, wrong key
      const forged = signCheckpoint(anchorFromKeys(['the-attacker-key-0123456789abcdef']), cp);
      await s.database.db.insert(auditCheckpoints).values({ ...forged, keyId: cp.keyId });
      const res = await agent.get('/api/audit/verify');
      expect(res.json()).toMatchObject({
        ok: false,
        firstBroken: { seq: cp.seq, reason: 'checkpoint_mac_invalid' },
      });
      await s.database.db.insert(auditCheckpoints).values(forged);
      // without the anchor bound a server can check no checkpoint
      expect(await verifyAuditChain(s.database, { anchor: null })).toMatchObject({
        ok: false,
        firstBroken: { reason: 'checkpoint_key_unknown' },
      });
    });
  });

  it('checks checkpoints signed with an earlier key after rotation', async () => {
    await scratch(async (s) => {
      await checkpointAuditChain(s.database, anchor);
      const rotated = anchorFromKeys(['the-next-anchor-key-0123456789abcdef', KEY]);
      await createUnits(await s.login('anchor_admin'), 1);
      const cp = (await checkpointAuditChain(s.database, rotated))!;
      expect(cp.keyId).toBe(rotated.keys[0]!.id);
      expect(await verifyAuditChain(s.database, { anchor: rotated })).toMatchObject({
        ok: true,
        checkpoints: 2,
      });
      // the old key alone cannot check the new checkpoint
      expect(await verifyAuditChain(s.database, { anchor })).toMatchObject({
        ok: false,
        firstBroken: { seq: cp.seq, reason: 'checkpoint_key_unknown' },
      });
    });
  });

  it('finds re-sealed edits with the table, and with the kept checkpoint when the table is wiped too', async () => {
    await scratch(async (s, agent) => {
      let kept = '';
      await checkpointAuditChain(s.database, anchor, (e) => (kept = e.checkpoint));
      expect(kept).toMatch(/^v1\./);
      // Edit the third record and have the chain re-made from there.
      await s.database.db.execute(
        sql`update audit_log set seq = null, hash = null, prev_hash = null,
              after = jsonb_set(after, '{name}', '"改过的名称"')
            where seq >= 3`,
      );
      await sealAuditChain(s.database);
      expect((await agent.get('/api/audit/verify')).json()).toMatchObject({
        ok: false,
        firstBroken: { reason: 'checkpoint_mismatch' },
      });

      // The attacker also removes the checkpoints: the table alone now says the chain is fine…
      await wipeCheckpoints(s);
      expect((await agent.get('/api/audit/verify')).json()).toMatchObject({
        ok: true,
        checkpoints: 0,
      });
      // …but the checkpoint the operator kept from the log does not.
      const res = await agent.get(`/api/audit/verify?checkpoint=${kept}`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        ok: false,
        checkpoints: 0,
        firstBroken: { checkpointId: null, reason: 'checkpoint_mismatch' },
      });
    });
  });

  it('finds a cut tail with the kept checkpoint when the table is wiped too', async () => {
    await scratch(async (s, agent) => {
      const cp = (await checkpointAuditChain(s.database, anchor))!;
      await s.database.db.execute(sql`delete from audit_log where seq > ${cp.seq - 2}`);
      await wipeCheckpoints(s);
      expect((await agent.get('/api/audit/verify')).json()).toMatchObject({ ok: true });
      const res = await agent.get(`/api/audit/verify?checkpoint=${formatCheckpoint(cp)}`);
      expect(res.json()).toMatchObject({
        ok: false,
        checked: cp.count - 2,
        firstBroken: { seq: cp.seq, reason: 'truncated' },
      });
    });
  });

  it('accepts a kept checkpoint only with its signature, and refuses a malformed one with 400', async () => {
    await createUnits(admin, 1);
    const cp = (await checkpointAuditChain(t.database, anchor))!;
    const good = await admin.get(`/api/audit/verify?checkpoint=${formatCheckpoint(cp)}`);
    expect(good.json()).toMatchObject({ ok: true, firstBroken: null });

    const altered: AuditCheckpoint = { ...cp, count: cp.count - 1 };
    const bad = await admin.get(`/api/audit/verify?checkpoint=${formatCheckpoint(altered)}`);
    expect(bad.json()).toMatchObject({
      ok: false,
      firstBroken: { checkpointId: null, reason: 'checkpoint_mac_invalid' },
    });

    for (const junk of ['v1.1.2.3', 'x'.repeat(400), `v2.${formatCheckpoint(cp).slice(3)}`]) {
      const res = await admin.get(`/api/audit/verify?checkpoint=${encodeURIComponent(junk)}`);
      expect(res.statusCode, junk).toBe(400);
      expect(res.json().error.messageZh).toBeTruthy();
      expect(res.json().error.messageEn).toBeTruthy();
    }
  });
});

describe('the anchor key', () => {
  it('comes from AUDIT_ANCHOR_KEY, or is generated once per data directory with a warning', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-anchor-'));
    try {
      const warnings: string[] = [];
      const fromEnv = loadAuditAnchor({ auditAnchorKeys: [KEY], dataDir: dir }, (m) =>
        warnings.push(m),
      );
      expect(fromEnv).toMatchObject({ source: 'env', keys: [{ id: anchor.keys[0]!.id }] });
      expect(warnings).toEqual([]);
      expect(fs.existsSync(path.join(dir, ANCHOR_KEY_FILE))).toBe(false);

      const a = loadAuditAnchor({ auditAnchorKeys: [], dataDir: dir }, (m) => warnings.push(m));
      const file = path.join(dir, ANCHOR_KEY_FILE);
      expect(a.source).toBe('data-dir');
      expect(fs.readFileSync(file, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/AUDIT_ANCHOR_KEY/);
      const b = loadAuditAnchor({ auditAnchorKeys: [], dataDir: dir }, () => undefined);
      expect(b.keys[0]!.id).toBe(a.keys[0]!.id);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
