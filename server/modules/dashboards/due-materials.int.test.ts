import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TUnitDueMaterials } from '../../../core/contracts/dashboards.js';
import { execRows } from '../../db/client.js';
import { evidenceDossiers } from '../../db/schema/index.js';
import { DEMO_PASSWORD } from '../../db/seed/demo-city.data.js';
import { seedDemoCity } from '../../db/seed/demo-city.js';
import { seedDemoFramework } from '../../db/seed/demo-framework.js';
import { buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';

// 待办档案资料 on the demo campaign. The office gives the demo unit (市城市管理综合执法局) the lead
// of material standards S1…S7 with 时限 around today (Asia/Shanghai), and another unit S8 and S9
// (the demo unit only shares S9). Dossiers, for the year of each 时限:
//
//   S7  today − 20  approved, but for the NEXT year only   → due, nothing uploaded (overdue)
//   S1  today − 3   none                                   → overdue, nothing uploaded
//   S6  today       draft without files                    → due soon, nothing uploaded
//   S2  today + 5   returned once ("缺少会议纪要")           → due soon, returned
//   S3  today + 10  submitted                              → due soon, awaiting review
//   S4  today + 2   approved                               → not listed
//   S5  today + 40  none                                   → listed only with days ≥ 40
//   S8  today + 1   none (other unit leads)                → the other unit's
//   S9  today + 1   none (other unit leads, demo unit shares it) → the other unit's

let t: TestApp;
let office: Agent;
let leader: Agent;
let unit: Agent;
let stranger: Agent;
let inspector: Agent;
let unitId = 0;
let otherId = 0;
let fw = 0;
const S: { key: string; code: string }[] = [];

const DAY = 86_400_000;
const day = (n: number) =>
  new Date(Date.now() + 8 * 3_600_000 + n * DAY).toISOString().slice(0, 10);
const yearOf = (d: string) => Number(d.slice(0, 4));

async function due(agent: Agent, query = ''): Promise<TUnitDueMaterials> {
  const res = await agent.get(`/api/dashboards/unit/due-materials${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<TUnitDueMaterials>();
}

beforeAll(async () => {
  t = await createTestApp();
  await seedDemoCity(t.database);
  await seedDemoFramework(t.database);
  office = await t.login('office', DEMO_PASSWORD);
  leader = await t.login('leader', DEMO_PASSWORD);
  unit = await t.login('unit', DEMO_PASSWORD);
  inspector = await t.login('inspector', DEMO_PASSWORD);
  unitId = (await unit.get('/api/auth/me')).json().user.unitId as number;
  const other = await buildUnit(t.database.db, { name: '资料测试单位' });
  otherId = other.id;
  await buildUser(t.database.db, { username: 'due_other', roles: ['unit'], unitId: otherId });
  stranger = await t.login('due_other');

  // Material standards of the published demo framework that the demo unit does not lead yet.
  const rows = await execRows<{
    framework_id: number;
    version_id: number;
    standard_id: number;
    key: string;
    code: string;
    leads: number[] | null;
  }>(
    t.database.db,
    sql`select v.framework_id, v.id as version_id, n.id as standard_id, n.key, n.code,
               (select array_agg(a.lead_unit_id) from assignments a where a.standard_id = n.id) as leads
          from framework_nodes n
          join framework_versions v on v.id = n.version_id and v.status = 'published'
         where n.method = 'material' and n.kind = 'standard'
         order by v.framework_id, n.id`,
  );
  fw = Number(rows[0]!.framework_id);
  const free = rows.filter(
    (r) => Number(r.framework_id) === fw && !(r.leads ?? []).map(Number).includes(unitId),
  );
  expect(free.length).toBeGreaterThanOrEqual(9);
  const plan: [number, number, number[]][] = [
    // [offset of the 时限, lead, responsible]
    [-3, unitId, []], // S1
    [5, unitId, []], // S2
    [10, unitId, []], // S3
    [2, unitId, []], // S4
    [40, unitId, []], // S5
    [0, unitId, []], // S6
    [-20, unitId, []], // S7
    [1, otherId, []], // S8
    [1, otherId, [unitId]], // S9
  ];
  for (const [i, [offset, lead, others]] of plan.entries()) {
    const s = free[i]!;
    const res = await office.post(`/api/framework-versions/${s.version_id}/assignments`, {
      standardId: Number(s.standard_id),
      leadUnitId: lead,
      responsibleUnitIds: others,
      dueDate: day(offset),
    });
    expect(res.statusCode, res.body).toBe(201);
    S.push({ key: s.key, code: s.code });
  }
  const dossier = (
    i: number,
    year: number,
    state: 'draft' | 'submitted' | 'returned' | 'approved',
    extra: Partial<typeof evidenceDossiers.$inferInsert> = {},
  ) => ({ frameworkId: fw, standardKey: S[i]!.key, year, state, ...extra });
  await t.database.db
    .insert(evidenceDossiers)
    .values([
      dossier(1, yearOf(day(5)), 'returned', { returnCount: 1, reviewComment: '缺少会议纪要' }),
      dossier(2, yearOf(day(10)), 'submitted', { submittedAt: new Date() }),
      dossier(3, yearOf(day(2)), 'approved', { grade: 'A' }),
      dossier(5, yearOf(day(0)), 'draft'),
      dossier(6, yearOf(day(-20)) + 1, 'approved', { grade: 'B' }),
    ]);
});
afterAll(() => t.close());

describe('待办档案资料 (due materials on the unit dashboard)', () => {
  it('lists what the unit leads, overdue or due within 14 days and not approved, soonest first', async () => {
    const d = await due(unit);
    expect(d.unit).toEqual({ id: unitId, name: '市城市管理综合执法局' });
    expect(d.today).toBe(day(0));
    expect(d.horizon).toBe(day(14));
    expect(
      d.items.map((i) => [i.standardKey, i.dueDate, i.daysLeft, i.state, i.returnCount]),
    ).toEqual([
      [S[6]!.key, day(-20), -20, 'none', 0],
      [S[0]!.key, day(-3), -3, 'none', 0],
      [S[5]!.key, day(0), 0, 'none', 0],
      [S[1]!.key, day(5), 5, 'returned', 1],
      [S[2]!.key, day(10), 10, 'submitted', 0],
    ]);
    expect(d.counts).toEqual({
      total: 5,
      overdue: 2,
      dueSoon: 3,
      missing: 3,
      returned: 1,
      submitted: 1,
    });
    const returned = d.items[3]!;
    expect(returned).toMatchObject({
      frameworkId: fw,
      year: yearOf(day(5)),
      code: S[1]!.code,
      reviewComment: '缺少会议纪要',
    });
    expect(returned.frameworkName.length).toBeGreaterThan(0);
    expect(returned.text.length).toBeGreaterThan(0);
  });

  it('widens with `days`; leaves out what others lead, even when the unit shares it', async () => {
    const wide = await due(unit, '?days=40');
    expect(wide.items.map((i) => i.standardKey)).toEqual([6, 0, 5, 1, 2, 4].map((i) => S[i]!.key));
    expect(wide.counts).toMatchObject({ total: 6, dueSoon: 4, missing: 4 });
    const narrow = await due(unit, '?days=1');
    expect(narrow.items.map((i) => i.standardKey)).toEqual([6, 0, 5].map((i) => S[i]!.key));
    const theirs = await due(stranger);
    // Both due tomorrow (their order is by code): compare as a set.
    expect(theirs.items.map((i) => `${i.standardKey}:${i.daysLeft}`).sort()).toEqual(
      [S[7]!, S[8]!].map((s) => `${s.key}:1`).sort(),
    );
  });

  it('the office and leaders name the unit; units only themselves; others not at all', async () => {
    expect((await due(office, `?unitId=${unitId}`)).counts.total).toBe(5);
    expect((await due(leader, `?unitId=${otherId}`)).counts.total).toBe(2);
    const noUnit = await office.get('/api/dashboards/unit/due-materials');
    expect(noUnit.statusCode).toBe(400);
    expect(noUnit.json().error.message).toMatch(/请指定单位|unitId/);
    expect((await office.get('/api/dashboards/unit/due-materials?unitId=999999')).statusCode).toBe(
      404,
    );
    expect(
      (await unit.get(`/api/dashboards/unit/due-materials?unitId=${otherId}`)).statusCode,
    ).toBe(403);
    expect((await unit.get('/api/dashboards/unit/due-materials?days=0')).statusCode).toBe(400);
    expect((await inspector.get('/api/dashboards/unit/due-materials')).statusCode).toBe(403);
  });
});
