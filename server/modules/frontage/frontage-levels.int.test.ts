import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TImportResult } from '../../../core/contracts/common.js';
import type { TFrontageDuty } from '../../../core/contracts/frontage.js';
import type { TCoverageRow, TOutreachPairing, TVisit } from '../../../core/contracts/outreach.js';
import { execRows } from '../../db/client.js';
import { buildRegion, buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type Res, type TestApp } from '../../test/harness.js';

// Issue #20 — 门前三包 and 包联 by level: a district or street office (区/街道创建办) creates, edits,
// ends and imports the duty holders of its own subtree and pairs its own units with its own
// communities; another district's holder is not there for it; a city-level unit's pairing stays
// the city office's; the city office keeps writing everywhere.

let t: TestApp;
let cityOffice: Agent;
let district: Agent;
let street: Agent;
let unitA: Agent;
let unitB: Agent;
const ids = {} as {
  r1: number;
  s1: number;
  s1b: number;
  c1: number;
  c1b: number;
  c2: number;
  unitA: number;
  unitB: number;
  cityUnit: number;
  placeless: number;
  leaderA: number;
  leaderB: number;
  dutyB: number;
  dutyR1: number;
};
let c1Code = '';
let c2Code = '';
const LINE = '120.001,30.001;120.002,30.001';

function expectStatus(res: Res, status: number): Res {
  expect(res.statusCode, res.body).toBe(status);
  return res;
}

/** A refusal's code, with both messages present (Chinese and English). */
function refusal(res: Res, status: number, code: string) {
  expectStatus(res, status);
  const e = res.json<{ error: { code: string; messageZh: string; messageEn: string } }>().error;
  expect(e.code).toBe(code);
  expect(e.messageZh).toMatch(/[\u4e00-\u9fff]/);
  expect(e.messageEn).toMatch(/[a-z]/);
  return e;
}

async function count(table: 'frontage_duties' | 'outreach_pairings' | 'audit_log', where = sql``) {
  const [row] = await execRows<{ n: number }>(
    t.database.db,
    sql`select count(*)::int as n from ${sql.raw(table)} ${where}`,
  );
  return Number(row!.n);
}

async function sheet(rows: (string | null)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('门前三包');
  ws.addRow(['编号', '责任户名称', '所属社区', '责任区坐标']);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const duty = (code: string, more: Record<string, unknown> = {}) => ({
  code,
  holderName: `商户${code}`,
  holderType: 'shop',
  zone: LINE,
  ...more,
});

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const city = await buildRegion(db, { name: '包级市', level: 'city' });
  const r1 = await buildRegion(db, { name: '包甲区', level: 'district', parent: city });
  const s1 = await buildRegion(db, { name: '包甲街道', level: 'street', parent: r1 });
  const s1b = await buildRegion(db, { name: '包甲二街道', level: 'street', parent: r1 });
  const c1 = await buildRegion(db, { name: '包甲社区', level: 'community', parent: s1 });
  const c1b = await buildRegion(db, { name: '包甲二社区', level: 'community', parent: s1b });
  const r2 = await buildRegion(db, { name: '包乙区', level: 'district', parent: city });
  const s2 = await buildRegion(db, { name: '包乙街道', level: 'street', parent: r2 });
  const c2 = await buildRegion(db, { name: '包乙社区', level: 'community', parent: s2 });
  c1Code = c1.code;
  c2Code = c2.code;
  const a = await buildUnit(db, { name: '包甲街道办', regionId: s1.id });
  const b = await buildUnit(db, { name: '包乙街道办', regionId: s2.id });
  const cityUnit = await buildUnit(db, { name: '包市城管局', regionId: city.id });
  const placeless = await buildUnit(db, { name: '包无区划单位' });
  await buildUser(db, { username: 'bjcity', roles: ['office'] });
  await buildUser(db, { username: 'bjdistrict', roles: ['office'], regionId: r1.id });
  await buildUser(db, { username: 'bjstreet', roles: ['office'], regionId: s1.id });
  const leaderA = await buildUser(db, { username: 'bjua', roles: ['unit'], unitId: a.id });
  const leaderB = await buildUser(db, { username: 'bjub', roles: ['unit'], unitId: b.id });
  cityOffice = await t.login('bjcity');
  district = await t.login('bjdistrict');
  street = await t.login('bjstreet');
  unitA = await t.login('bjua');
  unitB = await t.login('bjub');
  const dutyB = expectStatus(
    await cityOffice.post('/api/frontage-duties', duty('BJ-R2', { regionId: c2.id })),
    201,
  ).json<TFrontageDuty>().id;
  const dutyR1 = expectStatus(
    await cityOffice.post('/api/frontage-duties', duty('BJ-R1', { regionId: c1b.id })),
    201,
  ).json<TFrontageDuty>().id;
  expectStatus(
    await cityOffice.post('/api/outreach/pairings', {
      unitId: b.id,
      regionId: c2.id,
      building: '乙1幢',
      targetHouseholds: 4,
    }),
    201,
  );
  Object.assign(ids, {
    r1: r1.id,
    s1: s1.id,
    s1b: s1b.id,
    c1: c1.id,
    c1b: c1b.id,
    c2: c2.id,
    unitA: a.id,
    unitB: b.id,
    cityUnit: cityUnit.id,
    placeless: placeless.id,
    leaderA: leaderA.id,
    leaderB: leaderB.id,
    dutyB,
    dutyR1,
  });
});
afterAll(() => t.close());

describe('门前三包 by level', () => {
  it('a district office creates, edits, moves and ends a holder of its subtree', async () => {
    const created = expectStatus(
      await district.post(
        '/api/frontage-duties',
        duty('BJ-A1', { regionId: ids.c1, unitId: ids.unitA, holderType: 'unit' }),
      ),
      201,
    ).json<TFrontageDuty>();
    expect(created).toMatchObject({ regionId: ids.c1, unitId: ids.unitA });
    const edited = expectStatus(
      await district.patch(`/api/frontage-duties/${created.id}`, {
        plaqueStatus: 'installed',
        regionId: ids.c1b,
        version: created.version,
      }),
      200,
    ).json<TFrontageDuty>();
    expect(edited).toMatchObject({ plaqueStatus: 'installed', regionId: ids.c1b });
    const ended = expectStatus(
      await district.patch(`/api/frontage-duties/${created.id}`, {
        active: false,
        version: edited.version,
      }),
      200,
    ).json<TFrontageDuty>();
    expect(ended.active).toBe(false);
    const audits = await count(
      'audit_log',
      sql`where entity_type = 'frontage_duty' and entity_id = ${String(created.id)}`,
    );
    expect(audits).toBe(3);
    // A street office of the district edits the holders of its street only.
    const again = (await street.get(`/api/frontage-duties/${ids.dutyR1}`)).statusCode;
    expect(again).toBe(404);
    expectStatus(
      await street.post('/api/frontage-duties', duty('BJ-S1', { regionId: ids.c1 })),
      201,
    );
  });

  it('refuses a holder placed outside it, or nowhere, and writes nothing', async () => {
    const before = await count('frontage_duties');
    for (const more of [
      { regionId: ids.c2 },
      {},
      { regionId: null },
      { regionId: ids.c1, unitId: ids.unitB },
      { regionId: ids.c1, unitId: ids.cityUnit },
    ]) {
      const e = refusal(
        await district.post('/api/frontage-duties', duty('BJ-X1', more)),
        403,
        'outside_jurisdiction',
      );
      expect(e.messageZh).toContain('辖区');
    }
    // A street office's place is its street: its district's other street is outside it.
    refusal(
      await street.post('/api/frontage-duties', duty('BJ-X1', { regionId: ids.c1b })),
      403,
      'outside_jurisdiction',
    );
    expect(await count('frontage_duties')).toBe(before);
  });

  it("does not find another district's holder, and keeps its own holders in its subtree", async () => {
    for (const body of [{ plaqueStatus: 'damaged' }, { active: false }]) {
      expectStatus(
        await district.patch(`/api/frontage-duties/${ids.dutyB}`, { ...body, version: 1 }),
        404,
      );
    }
    const own = (await district.get(`/api/frontage-duties/${ids.dutyR1}`)).json<TFrontageDuty>();
    refusal(
      await district.patch(`/api/frontage-duties/${ids.dutyR1}`, {
        regionId: ids.c2,
        version: own.version,
      }),
      403,
      'outside_jurisdiction',
    );
    refusal(
      await district.patch(`/api/frontage-duties/${ids.dutyR1}`, {
        unitId: ids.unitB,
        version: own.version,
      }),
      403,
      'outside_jurisdiction',
    );
    const b = (await cityOffice.get(`/api/frontage-duties/${ids.dutyB}`)).json<TFrontageDuty>();
    expect(b).toMatchObject({ version: 1, plaqueStatus: 'none', active: true });
    const after = (await district.get(`/api/frontage-duties/${ids.dutyR1}`)).json<TFrontageDuty>();
    expect(after).toMatchObject({ version: own.version, regionId: ids.c1b, unitId: null });
  });

  it('imports its own holders; one row outside fails the whole file, naming the row', async () => {
    const bad = await sheet([
      ['BJ-I1', '导入商户一', c1Code, LINE],
      ['BJ-I2', '导入商户二', c2Code, LINE],
      ['BJ-R2', '改写乙区商户', c1Code, LINE],
      ['BJ-I3', '导入商户三', null, LINE],
    ]);
    const res = expectStatus(await district.upload('/api/frontage-duties/import', bad), 422);
    const rows = res.json<{ error: { rows: { row: number; column: string; reason: string }[] } }>()
      .error.rows;
    expect(rows.map((r) => [r.row, r.column])).toEqual([
      [3, '所属社区'],
      [4, '编号'],
      [5, '所属社区'],
    ]);
    for (const r of rows) {
      expect(r.reason).toContain('不在本级创建办的辖区内');
      expect(r.reason).toContain('outside');
    }
    expect(await count('frontage_duties', sql`where code like 'BJ-I%'`)).toBe(0);
    const b = (await cityOffice.get(`/api/frontage-duties/${ids.dutyB}`)).json<TFrontageDuty>();
    expect(b.holderName).toBe('商户BJ-R2');

    const good = await sheet([
      ['BJ-I1', '导入商户一', c1Code, LINE],
      ['BJ-R1', '改名的甲区商户', '包甲二社区', LINE],
    ]);
    const done = expectStatus(await district.upload('/api/frontage-duties/import', good), 200);
    expect(done.json<TImportResult>()).toMatchObject({ imported: 2, created: 1, updated: 1 });
    const r1 = (await district.get(`/api/frontage-duties/${ids.dutyR1}`)).json<TFrontageDuty>();
    expect(r1.holderName).toBe('改名的甲区商户');
  });

  it('the city office still writes every holder', async () => {
    const b = (await cityOffice.get(`/api/frontage-duties/${ids.dutyB}`)).json<TFrontageDuty>();
    expectStatus(
      await cityOffice.patch(`/api/frontage-duties/${ids.dutyB}`, {
        plaqueStatus: 'damaged',
        version: b.version,
      }),
      200,
    );
    expectStatus(
      await cityOffice.post('/api/frontage-duties', duty('BJ-C1', { unitId: ids.cityUnit })),
      201,
    );
  });
});

describe('包联 by level', () => {
  it('a district office pairs its own units with its communities, led by its own people', async () => {
    const res = await district.post('/api/outreach/pairings', {
      unitId: ids.unitA,
      regionId: ids.c1,
      building: '甲3幢',
      leaderId: ids.leaderA,
      targetHouseholds: 2,
    });
    expectStatus(res, 201);
    const list = expectStatus(await district.get('/api/outreach/pairings'), 200).json<
      TOutreachPairing[]
    >();
    expect(list.map((p) => p.building)).toEqual(['甲3幢']);
    // Its units' visits count, and it reads its subtree's — not another district's.
    const visit = (agent: Agent, regionId: number, building: string) =>
      agent.post('/api/outreach/visits', {
        clientId: randomUUID(),
        regionId,
        building,
        household: '101',
      });
    expectStatus(await visit(unitA, ids.c1, '甲3幢'), 201);
    expectStatus(await visit(unitB, ids.c2, '乙1幢'), 201);
    const visits = expectStatus(await district.get('/api/outreach/visits?limit=20'), 200).json<
      TVisit[]
    >();
    expect(visits.map((v) => v.building)).toEqual(['甲3幢']);
    const coverage = expectStatus(
      await district.get('/api/outreach/coverage?groupBy=community'),
      200,
    ).json<TCoverageRow[]>();
    expect(coverage.map((c) => [c.label, c.visited, c.target])).toEqual([['包甲社区', 1, 2]]);
  });

  it('refuses another district, a city-level unit and outsiders, and writes nothing', async () => {
    const before = await count('outreach_pairings');
    const pair = (more: Record<string, unknown>) =>
      district.post('/api/outreach/pairings', {
        unitId: ids.unitA,
        regionId: ids.c1,
        building: '甲9幢',
        targetHouseholds: 2,
        ...more,
      });
    refusal(await pair({ regionId: ids.c2 }), 403, 'outside_jurisdiction');
    refusal(await pair({ unitId: ids.unitB }), 403, 'outside_jurisdiction');
    refusal(await pair({ leaderId: ids.leaderB }), 403, 'outside_jurisdiction');
    for (const unitId of [ids.cityUnit, ids.placeless]) {
      const e = refusal(await pair({ unitId }), 403, 'city_level');
      expect(e.messageZh).toContain('市级单位的包联');
    }
    refusal(
      await street.post('/api/outreach/pairings', {
        unitId: ids.unitA,
        regionId: ids.c1b,
        targetHouseholds: 2,
      }),
      403,
      'outside_jurisdiction',
    );
    expectStatus(await pair({ unitId: 999_999 }), 404);
    expect(await count('outreach_pairings')).toBe(before);
  });

  it('the city office pairs a city-level unit with a community of any district', async () => {
    expectStatus(
      await cityOffice.post('/api/outreach/pairings', {
        unitId: ids.cityUnit,
        regionId: ids.c1,
        targetHouseholds: 30,
      }),
      201,
    );
    const all = (await cityOffice.get('/api/outreach/pairings')).json<TOutreachPairing[]>();
    expect(all.map((p) => p.building).sort()).toEqual(['', '乙1幢', '甲3幢']);
    // The district office sees a pairing in its community, whoever made it.
    const mine = (await district.get('/api/outreach/pairings')).json<TOutreachPairing[]>();
    expect(mine.map((p) => p.unitName).sort()).toEqual(['包市城管局', '包甲街道办'].sort());
  });

  it('a district office edits and ends its own pairings; another district’s is 404, the city’s 403', async () => {
    const all = (await cityOffice.get('/api/outreach/pairings')).json<TOutreachPairing[]>();
    const by = (building: string, unit?: string) =>
      all.find((p) => p.building === building && (!unit || p.unitName === unit))!;
    const own = by('甲3幢');
    const edited = expectStatus(
      await district.patch(`/api/outreach/pairings/${own.id}`, {
        version: own.version,
        targetHouseholds: 5,
        active: false,
      }),
      200,
    ).json<TOutreachPairing>();
    expect(edited).toMatchObject({ targetHouseholds: 5, active: false });
    const before = await count('outreach_pairings');
    const other = by('乙1幢');
    refusal(
      await district.patch(`/api/outreach/pairings/${other.id}`, {
        version: other.version,
        active: false,
      }),
      404,
      'not_found',
    );
    // A city-level unit's pairing in the district's community: read there, kept by the city.
    const city = by('', '包市城管局');
    refusal(
      await district.patch(`/api/outreach/pairings/${city.id}`, {
        version: city.version,
        active: false,
      }),
      403,
      'city_level',
    );
    // Its own pairing led by another district's person: refused too.
    refusal(
      await district.patch(`/api/outreach/pairings/${own.id}`, {
        version: edited.version,
        leaderId: ids.leaderB,
      }),
      403,
      'outside_jurisdiction',
    );
    const after = (await cityOffice.get('/api/outreach/pairings')).json<TOutreachPairing[]>();
    expect(after.find((p) => p.id === other.id)).toEqual(other);
    expect(after.find((p) => p.id === city.id)).toEqual(city);
    expect(await count('outreach_pairings')).toBe(before);
  });
});
