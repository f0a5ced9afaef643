import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TParty } from '../../../core/contracts/org.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import { DEMO_PASSWORD } from './demo-city.data.js';
import { seedDemoCity } from './demo-city.js';
import { seedDemoParties } from './demo-parties.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedDemoCity(t.database);
});
afterAll(() => t.close());

describe('demo 集体责任方', () => {
  it('seeds the plain collective names once, resolved to the demo city’s units', async () => {
    expect(await seedDemoParties(t.database)).toBe(3);
    expect(await seedDemoParties(t.database)).toBe(0);
    const office = await t.login('office', DEMO_PASSWORD);
    const list = (await office.get('/api/parties')).json<{ items: TParty[] }>().items;
    const byName = new Map(list.map((p) => [p.name, p]));
    // 示范市 has three districts.
    expect(byName.get('各县（市、区）')!.memberCount).toBe(3);
    expect(byName.get('市直各部门')!.memberCount).toBeGreaterThan(10);
    // Left for the office to confirm when an import proposes them.
    expect(byName.has('各街道（乡镇）')).toBe(false);
  });
});
