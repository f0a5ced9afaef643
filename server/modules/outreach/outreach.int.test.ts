import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TOutreachPairing } from '../../../core/contracts/outreach.js';
import type { TCategory } from '../../../core/contracts/problems.js';
import { buildRegion, buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';
import { categoriesByCode, detailOf } from '../../test/problems-kit.js';
import { householdKey } from './outreach.service.js';

// 包联 and 入户宣传: pairings, idempotent visits, concerns that become problems, coverage.

let t: TestApp;
let office: Agent;
let cadreA: Agent;
let cadreB: Agent;
let unitA = 0;
let unitB = 0;
let community = 0;
let other = 0;
let cat: TCategory;

beforeAll(async () => {
  t = await createTestApp();
  await buildUser(t.database.db, { username: 'office1', roles: ['office'] });
  const a = await buildUnit(t.database.db, { name: '市财政局' });
  const b = await buildUnit(t.database.db, { name: '市教育局' });
  unitA = a.id;
  unitB = b.id;
  await buildUser(t.database.db, {
    username: 'cadreA',
    name: '财政干部',
    roles: ['unit'],
    unitId: a.id,
  });
  await buildUser(t.database.db, {
    username: 'cadreB',
    name: '教育干部',
    roles: ['unit'],
    unitId: b.id,
  });
  community = (await buildRegion(t.database.db, { name: '湖滨社区', level: 'community' })).id;
  other = (await buildRegion(t.database.db, { name: '西湖街道', level: 'street' })).id;
  office = await t.login('office1');
  cadreA = await t.login('cadreA');
  cadreB = await t.login('cadreB');
  cat = [...(await categoriesByCode(office)).values()].find((c) => c.parentId !== null)!;
});
afterAll(() => t.close());

const visit = (
  agent: Agent,
  building: string,
  household: string,
  extra: Record<string, unknown> = {},
) =>
  agent.post('/api/outreach/visits', {
    clientId: randomUUID(),
    regionId: community,
    building,
    household,
    publicity: ['核心价值观', '创城知识'],
    ...extra,
  });

describe('包联 and household visits', () => {
  it('folds how a household is written', () => {
    expect(householdKey(' ２单元 301 ')).toBe('2单元301');
    expect(householdKey('2－301')).toBe(householdKey('2-301'));
  });

  it('pairs units with a building or a community (office only, communities only)', async () => {
    expect(
      (
        await office.post('/api/outreach/pairings', {
          unitId: unitA,
          regionId: community,
          building: '3幢',
          targetHouseholds: 4,
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await office.post('/api/outreach/pairings', {
          unitId: unitB,
          regionId: community,
          targetHouseholds: 10,
        })
      ).statusCode,
    ).toBe(201);
    const street = await office.post('/api/outreach/pairings', {
      unitId: unitA,
      regionId: other,
      targetHouseholds: 5,
    });
    expect(street.statusCode).toBe(400);
    expect(
      (
        await cadreA.post('/api/outreach/pairings', {
          unitId: unitA,
          regionId: community,
          building: '4幢',
          targetHouseholds: 4,
        })
      ).statusCode,
    ).toBe(403);
    const dup = await office.post('/api/outreach/pairings', {
      unitId: unitA,
      regionId: community,
      building: '3幢',
      targetHouseholds: 9,
    });
    expect(dup.statusCode).toBe(409);
  });

  it('counts each household once, links visits to the pairing, and is idempotent on the client id', async () => {
    const first = await visit(cadreA, '3幢', '1单元101');
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().pairingId).not.toBeNull();
    const again = await cadreA.post('/api/outreach/visits', {
      clientId: first.json().clientId,
      regionId: community,
      building: '3幢',
      household: '1单元101',
    });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    // Someone else cannot reuse the id.
    const stolen = await cadreB.post('/api/outreach/visits', {
      clientId: first.json().clientId,
      regionId: community,
      building: '1幢',
      household: '101',
    });
    expect(stolen.statusCode).toBe(409);
    // The same flat written differently is the same household.
    expect((await visit(cadreA, '3幢', '1单元 101')).statusCode).toBe(201);
    expect((await visit(cadreA, '3幢', '1单元102')).statusCode).toBe(201);
    const mine = (await cadreA.get('/api/outreach/pairings')).json();
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      building: '3幢',
      targetHouseholds: 4,
      visitedHouseholds: 2,
      coverage: 0.5,
    });
  });

  it('turns a resident concern into a problem in the same step', async () => {
    const res = await visit(cadreB, '7幢', '2单元502', {
      concern: '楼道堆放杂物，影响消防通道',
      concernCategoryId: cat.id,
      lat: 30.27,
      lng: 120.15,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().problemCode).toMatch(/^WT\d{4}-\d{6}$/);
    const d = await detailOf(office, res.json().problemId);
    expect(d.problem).toMatchObject({ channel: 'unit', state: 'reported', regionId: community });
    expect(d.problem.address).toContain('7幢2单元502');
    const noConcern = await visit(cadreB, '7幢', '2单元503', { concernCategoryId: cat.id });
    expect(noConcern.statusCode).toBe(400);
  });

  it('reports coverage per pairing, unit and community with laggards first; units see their own', async () => {
    const byPairing = (await office.get('/api/outreach/coverage')).json();
    expect(byPairing.map((r: { coverage: number }) => r.coverage)).toEqual([0.1, 0.5]);
    expect(byPairing.every((r: { laggard: boolean }) => r.laggard)).toBe(true);
    const byCommunity = (await office.get('/api/outreach/coverage?groupBy=community')).json();
    expect(byCommunity).toEqual([
      expect.objectContaining({ label: '湖滨社区', target: 14, visited: 3 }),
    ]);
    const lenient = (await office.get('/api/outreach/coverage?groupBy=unit&below=0.3')).json();
    expect(lenient.map((r: { label: string; laggard: boolean }) => [r.label, r.laggard])).toEqual([
      ['市教育局', true],
      ['市财政局', false],
    ]);
    expect(
      (await cadreB.get('/api/outreach/visits'))
        .json()
        .every((v: { visitorName: string }) => v.visitorName === '教育干部'),
    ).toBe(true);
    expect((await office.get('/api/outreach/visits')).json()).toHaveLength(4);
  });
});

describe('where a visit may be logged (包联 and 辖区)', () => {
  let districtA = 0;
  let inA = 0;
  let inB = 0;
  let paired: Agent;
  let districtOffice: Agent;
  let gridWorker: Agent;
  let placeless: Agent;

  beforeAll(async () => {
    const db = t.database.db;
    const city = await buildRegion(db, { name: '辖区市', level: 'city' });
    const a = await buildRegion(db, { name: '甲区', level: 'district', parent: city });
    const b = await buildRegion(db, { name: '乙区', level: 'district', parent: city });
    const streetA = await buildRegion(db, { name: '甲街道', level: 'street', parent: a });
    districtA = a.id;
    inA = (await buildRegion(db, { name: '甲社区', level: 'community', parent: streetA })).id;
    inB = (await buildRegion(db, { name: '乙社区', level: 'community', parent: b })).id;
    const unit = await buildUnit(db, { name: '市住建局' });
    await buildUser(db, { username: 'pairedC', roles: ['unit'], unitId: unit.id });
    await buildUser(db, { username: 'districtA', roles: ['office'], regionId: a.id });
    await buildUser(db, { username: 'gridA', roles: ['grid_worker'], regionId: streetA.id });
    await buildUser(db, { username: 'placeless', roles: ['inspector'] });
    paired = await t.login('pairedC');
    districtOffice = await t.login('districtA');
    gridWorker = await t.login('gridA');
    placeless = await t.login('placeless');
    const pairing = await office.post('/api/outreach/pairings', {
      unitId: unit.id,
      regionId: inB,
      targetHouseholds: 30,
    });
    expect(pairing.statusCode, pairing.body).toBe(201);
  });

  const at = (agent: Agent, regionId: number, extra: Record<string, unknown> = {}) =>
    agent.post('/api/outreach/visits', {
      clientId: randomUUID(),
      regionId,
      building: '1幢',
      household: '101',
      ...extra,
    });

  const refused = (
    res: Awaited<ReturnType<Agent['post']>>,
    status: number,
    code: string,
    zh: RegExp,
  ) => {
    expect(res.statusCode, res.body).toBe(status);
    const e = res.json().error;
    expect(e.code).toBe(code);
    expect(e.messageZh).toMatch(zh);
    expect(e.messageEn).toEqual(expect.stringMatching(/\w/));
  };

  it('a unit’s people log visits in the communities their unit is paired with, nowhere else', async () => {
    expect((await at(paired, inB)).statusCode).toBe(201);
    // Not paired with 甲社区: refused, and no concern becomes a problem there either.
    const before = (await office.get('/api/problems?limit=100')).json().total as number;
    const res = await at(paired, inA, { concern: '路灯不亮', concernCategoryId: cat.id });
    refused(res, 403, 'not_paired', /不在本单位的包联范围内/);
    expect((await office.get('/api/problems?limit=100')).json().total).toBe(before);
    // The unit of the earlier tests has its pairing in 湖滨社区 only.
    refused(await at(cadreA, inB), 403, 'not_paired', /包联/);
  });

  it('a visit is in a community: a street or district is refused with 400', async () => {
    const res = await at(office, districtA);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.messageZh).toBe('入户走访应选择所在社区');
    expect(res.json().error.fields).toEqual([expect.objectContaining({ path: 'body.regionId' })]);
  });

  it('an office below the city and field staff held at a region: their subtree only', async () => {
    expect((await at(districtOffice, inA)).statusCode).toBe(201);
    refused(await at(districtOffice, inB), 403, 'outside_jurisdiction', /不在本级创建办的辖区内/);
    expect((await at(gridWorker, inA)).statusCode).toBe(201);
    refused(await at(gridWorker, inB), 403, 'outside_jurisdiction', /辖区/);
    // Neither a unit nor a place: no households of one's own.
    refused(await at(placeless, inA), 403, 'not_paired', /包联/);
    // The city office logs anywhere.
    expect((await at(office, inB)).statusCode).toBe(201);
  });

  it('a visit stored before is still answered on a retry (idempotency comes first)', async () => {
    const clientId = randomUUID();
    const first = await at(paired, inB, { clientId });
    expect(first.statusCode).toBe(201);
    const again = await at(paired, inB, { clientId });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
  });
});

describe('editing a pairing (目标户数, 包联领导, 结束与恢复)', () => {
  it('changes the target and leader at the version read, ends and resumes it; a unit cannot', async () => {
    // The 市财政局's only pairing in a community of its own.
    const place = (await buildRegion(t.database.db, { name: '柳岸社区', level: 'community' })).id;
    const created = await office.post('/api/outreach/pairings', {
      unitId: unitA,
      regionId: place,
      targetHouseholds: 20,
    });
    expect(created.statusCode, created.body).toBe(201);
    const p = (await office.get('/api/outreach/pairings'))
      .json<TOutreachPairing[]>()
      .find((x) => x.id === created.json<{ id: number }>().id);
    expect(p!.version).toBe(1);
    const edit = (body: Record<string, unknown>, agent = office) =>
      agent.patch(`/api/outreach/pairings/${p!.id}`, body);
    const raised = await edit({ version: 1, targetHouseholds: 40 });
    expect(raised.statusCode, raised.body).toBe(200);
    expect(raised.json()).toMatchObject({ targetHouseholds: 40, version: 2, active: true });
    expect(raised.json().coverage).toBeCloseTo(raised.json().visitedHouseholds / 40);
    // Someone else's change in between: refused whole.
    const stale = await edit({ version: 1, targetHouseholds: 50 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('stale_version');
    expect((await edit({ version: 2, targetHouseholds: 0 })).statusCode).toBe(400);
    expect((await edit({ version: 2, active: false }, cadreA)).statusCode).toBe(403);
    // Ended: the unit's people can no longer log visits for it; what was logged stays counted.
    const ended = await edit({ version: 2, active: false });
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json()).toMatchObject({ active: false, version: 3 });
    expect(ended.json().visitedHouseholds).toBe(raised.json().visitedHouseholds);
    const here = { regionId: place };
    const refused = await visit(cadreA, '5幢', '9单元909', here);
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.json().error.code).toBe('not_paired');
    const resumed = await edit({ version: 3, active: true });
    expect(resumed.json()).toMatchObject({ active: true, version: 4 });
    expect((await visit(cadreA, '5幢', '9单元909', here)).statusCode).toBe(201);
    expect((await office.patch('/api/outreach/pairings/999999', { version: 1 })).statusCode).toBe(
      404,
    );
  });
});
