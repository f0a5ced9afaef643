import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TCategory } from '../../../core/contracts/problems.js';
import { execRows } from '../../db/client.js';
import { sealAuditChain } from '../../platform/audit.js';
import { buildRegion, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';
import { testJpeg } from '../../test/images.js';
import { categoriesByCode, expectError, report } from '../../test/problems-kit.js';

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
});
