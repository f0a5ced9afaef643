import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TCategory } from '../../../core/contracts/problems.js';
import { buildRegion, buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';
import { categoriesByCode, report } from '../../test/problems-kit.js';

// What people report themselves stays visible to them, even outside their region or unit.

let t: TestApp;
let gridA: Agent;
let gridB: Agent;
let inspector: Agent;
let cat: TCategory;

beforeAll(async () => {
  t = await createTestApp();
  const east = await buildRegion(t.database.db, { name: '东区', level: 'district' });
  const west = await buildRegion(t.database.db, { name: '西区', level: 'district' });
  const unit = await buildUnit(t.database.db, { name: '测评中心' });
  await buildUser(t.database.db, { username: 'office1', roles: ['office'] });
  await buildUser(t.database.db, { username: 'gridA', roles: ['grid_worker'], regionId: east.id });
  await buildUser(t.database.db, { username: 'gridB', roles: ['grid_worker'], regionId: west.id });
  await buildUser(t.database.db, { username: 'insp', roles: ['inspector'], unitId: unit.id });
  gridA = await t.login('gridA');
  gridB = await t.login('gridB');
  inspector = await t.login('insp');
  cat = [...(await categoriesByCode(await t.login('office1'))).values()].find(
    (c) => c.parentId !== null,
  )!;
});
afterAll(() => t.close());

describe('own reports', () => {
  it('lets a grid worker and an inspector see what they reported without a region', async () => {
    for (const [me, other] of [
      [gridA, gridB],
      [inspector, gridB],
    ] as const) {
      const p = await report(me, { title: '巡查发现的问题', categoryId: cat.id });
      expect((await me.get(`/api/problems/${p.problem.id}`)).statusCode).toBe(200);
      const ids = (await me.get('/api/problems?limit=100'))
        .json()
        .items.map((i: { id: number }) => i.id);
      expect(ids).toContain(p.problem.id);
      expect((await other.get(`/api/problems/${p.problem.id}`)).statusCode).toBe(404);
    }
  });
});
