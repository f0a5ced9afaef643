import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TCategory, TProblemDetail } from '../../../core/contracts/problems.js';
import { execRows } from '../../db/client.js';
import { sealAuditChain } from '../../platform/audit.js';
import { buildRegion, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';
import { testJpeg } from '../../test/images.js';
import { categoriesByCode, expectError, report } from '../../test/problems-kit.js';
import { intakeGroupCommit } from './intake.repo.js';

// The intake writes problem, first event, photos and audit record in one statement; these tests
// pin what that statement must agree on with the answer the API gives.

let t: TestApp;
let office: Agent;
let cat: TCategory;

beforeAll(async () => {
  t = await createTestApp();
  await buildUser(t.database.db, { username: 'office1', name: '创建办', roles: ['office'] });
  office = await t.login('office1');
  cat = [...(await categoriesByCode(office)).values()].find((c) => c.parentId !== null)!;
});
afterAll(() => t.close());

const count = async (table: string) =>
  (
    await execRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from ${sql.identifier(table)}`,
    )
  )[0]!.n;

describe('intake in one statement', () => {
  it('records in the audit log exactly the problem it answers with', async () => {
    const region = await buildRegion(t.database.db, { name: '审计街道' });
    const withRegion = await report(office, {
      title: '审计一致',
      categoryId: cat.id,
      regionId: region.id,
      address: '人民路',
      lat: 30.1,
      lng: 120.2,
    });
    const without = await report(office, { title: '无区域', categoryId: cat.id });
    await sealAuditChain(t.database);
    for (const d of [withRegion, without]) {
      const [audit] = await execRows<{ after: unknown; entity_id: string; hash: string | null }>(
        t.database.db,
        sql`select after, entity_id, hash from audit_log
            where action = 'problem.create' and entity_id = ${String(d.problem.id)}`,
      );
      expect(audit!.after).toEqual(d.problem);
      expect(audit!.hash).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(withRegion.problem.regionName).toBe(region.name);
    expect(withRegion.problem.categoryName).toBe(cat.name);
    expect(without.problem.regionName).toBeNull();
    // The stored row reads back as the answer said.
    const again = await office.get(`/api/problems/${withRegion.problem.id}`);
    expect(again.json().problem).toEqual(withRegion.problem);
    expect(again.json().timeline).toEqual(withRegion.timeline);
  });

  it('attaches the before-photos in the same statement', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const up = await office.upload('/api/files', await testJpeg(), `p${i}.jpg`);
      expect(up.statusCode, up.body).toBe(201);
      ids.push(up.json<{ id: string }>().id);
    }
    const d = await report(office, { title: '带照片', categoryId: cat.id, photoIds: ids });
    expect(d.photos.map((p) => p.id).sort()).toEqual([...ids].sort());
    expect(d.photos.every((p) => p.stage === 'before' && p.eventId === d.timeline[0]!.id)).toBe(
      true,
    );
    // A photo cannot be attached twice.
    const again = await office.post('/api/problems', {
      title: '重复照片',
      severity: 'normal',
      categoryId: cat.id,
      photoIds: [ids[0]],
    });
    expect(again.statusCode).toBe(400);
  });

  it('writes nothing at all for a refused report', async () => {
    const before = await Promise.all(
      ['problems', 'problem_events', 'audit_log'].map((table) => count(table)),
    );
    expectError(
      await office.post('/api/problems', {
        title: '不存在',
        severity: 'normal',
        categoryId: 999_999,
      }),
      404,
      'not_found',
    );
    expectError(
      await office.post('/api/problems', {
        title: '不存在',
        severity: 'normal',
        categoryId: cat.id,
        regionId: 999_999,
      }),
      404,
      'not_found',
    );
    const after = await Promise.all(
      ['problems', 'problem_events', 'audit_log'].map((table) => count(table)),
    );
    expect(after).toEqual(before);
  });

  it('keeps codes and ids distinct under concurrent intake', async () => {
    const made = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        report(office, { title: `并发${i}`, categoryId: cat.id }),
      ),
    );
    expect(new Set(made.map((d) => d.problem.code)).size).toBe(20);
    expect(new Set(made.map((d) => d.problem.id)).size).toBe(20);
    expect(new Set(made.map((d) => d.timeline[0]!.id)).size).toBe(20);
    expect((await office.get('/api/audit/verify')).statusCode).toBe(403); // office may not
  });

  it('shares statements among concurrent intakes (group commit), each answered with its own row', async () => {
    const gc = intakeGroupCommit(t.database);
    const before = { ...gc.stats };
    const regions = await Promise.all(
      [0, 1, 2].map((i) => buildRegion(t.database.db, { name: `批量街道${i}` })),
    );
    const rollup = async () =>
      (
        await execRows<{ n: number }>(
          t.database.db,
          sql`select coalesce(sum(registered), 0)::int as n from problem_daily_counts`,
        )
      )[0]!.n;
    const registeredBefore = await rollup();
    const bodies = Array.from({ length: 40 }, (_, i) => ({
      title: `批量${i}`,
      severity: 'normal',
      categoryId: i === 7 ? 999_999 : cat.id,
      ...(i % 4 === 3 ? {} : { regionId: regions[i % 3]!.id }),
      register: i % 2 === 0,
    }));
    const answers = await Promise.all(bodies.map((b) => office.post('/api/problems', b)));
    // The batches really formed (on PostgreSQL: PGlite's one connection queues the reads before
    // each write behind it, so writes reach it one by one), and the unknown category failed alone.
    if (t.database.driver === 'postgres') expect(gc.stats.largest).toBeGreaterThan(1);
    expect(gc.stats.items - before.items).toBe(40);
    expectError(answers[7]!, 404, 'not_found');
    const made = answers
      .filter((_, i) => i !== 7)
      .map((a) => {
        expect(a.statusCode, a.body).toBe(201);
        return a.json<TProblemDetail>();
      });
    expect(new Set(made.map((d) => d.problem.code)).size).toBe(39);
    for (const [k, d] of made.entries()) {
      const i = k >= 7 ? k + 1 : k;
      expect(d.problem.title).toBe(`批量${i}`);
      expect(d.problem.state).toBe(i % 2 === 0 ? 'registered' : 'reported');
      expect(d.problem.regionName).toBe(i % 4 === 3 ? null : regions[i % 3]!.name);
      const stored = await office.get(`/api/problems/${d.problem.id}`);
      expect(stored.json<TProblemDetail>().problem).toEqual(d.problem);
      expect(stored.json<TProblemDetail>().timeline).toEqual(d.timeline);
    }
    // Each audit record is its own problem's, and the dashboard rollup counted each registration once.
    const audits = await execRows<{ entity_id: string; after: { title: string } }>(
      t.database.db,
      sql`select entity_id, after from audit_log where action = 'problem.create'
          and after->>'title' like '批量%'`,
    );
    expect(audits).toHaveLength(39);
    for (const a of audits) {
      expect(made.find((d) => String(d.problem.id) === a.entity_id)!.problem.title).toBe(
        a.after.title,
      );
    }
    expect((await rollup()) - registeredBefore).toBe(
      made.filter((d) => d.problem.state === 'registered').length,
    );
  });

  it('fails only the intake that clashes when two in one batch claim the same photo', async () => {
    const up = await office.upload('/api/files', await testJpeg(), 'shared.jpg');
    const photo = up.json<{ id: string }>().id;
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        office.post('/api/problems', {
          title: `争照片${i}`,
          severity: 'normal',
          categoryId: cat.id,
          ...(i < 2 ? { photoIds: [photo] } : {}),
        }),
      ),
    );
    const codes = answers.map((a) => a.statusCode);
    expect(codes.slice(2)).toEqual(Array(8).fill(201));
    expect([...codes.slice(0, 2)].sort()).toEqual([201, expect.any(Number)]);
    // The loser: refused by the check before the write (400), or by the database's unique index
    // when both passed the check at once (409).
    const loser = answers[codes[0] === 201 ? 1 : 0]!;
    expect([400, 409]).toContain(loser.statusCode);
    expect(loser.json<{ error: { message: string } }>().error.message).toBeTruthy();
    const [n] = await execRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from problems where title like '争照片%'`,
    );
    expect(n!.n).toBe(9);
  });
});
