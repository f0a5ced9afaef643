import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TCategory } from '../../../core/contracts/problems.js';
import { buildRegion, buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';
import { categoriesByCode, report } from '../../test/problems-kit.js';

// 门前三包: duty zones, the holder a problem's place names, the holder's record, XLSX in and out.

let t: TestApp;
let office: Agent;
let unit: Agent;
let leader: Agent;
let volunteer: Agent;
let cat: TCategory;
let communityCode = '';

// A 100 m frontage along latitude 30.27 from 120.15 eastwards.
const FRONT = '120.15,30.27;120.151036,30.27';
const north = (m: number) => 30.27 + m / 111_320;

beforeAll(async () => {
  t = await createTestApp();
  await buildUser(t.database.db, { username: 'office1', roles: ['office'] });
  const u = await buildUnit(t.database.db, { name: '城管局' });
  await buildUser(t.database.db, { username: 'unit1', roles: ['unit'], unitId: u.id });
  const community = await buildRegion(t.database.db, { name: '湖滨社区', level: 'community' });
  communityCode = community.code;
  await buildUser(t.database.db, { username: 'leader1', roles: ['leader'] });
  await buildUser(t.database.db, { username: 'volunteer1', roles: ['volunteer'] });
  office = await t.login('office1');
  unit = await t.login('unit1');
  leader = await t.login('leader1');
  volunteer = await t.login('volunteer1');
  cat = [...(await categoriesByCode(office)).values()].find((c) => c.parentId !== null)!;
});
afterAll(() => t.close());

async function sheet(rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('门前三包');
  ws.addRow([
    '编号',
    '责任户名称',
    '类型',
    '地址',
    '负责人',
    '联系电话',
    '所属社区',
    '责任区坐标',
    '责任区宽度(米)',
    '签订日期',
    '公示牌',
  ]);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('门前三包', () => {
  let dutyId = 0;

  it('registers a holder with a frontage and names it for a problem in its zone', async () => {
    const res = await office.post('/api/frontage-duties', {
      code: 'MQ-0001',
      holderName: '好又多超市',
      holderType: 'shop',
      contactName: '李老板',
      contactPhone: '139 0000 1234',
      zone: FRONT,
      bufferM: 10,
      agreementSignedOn: '2026-03-01',
      plaqueStatus: 'installed',
    });
    expect(res.statusCode, res.body).toBe(201);
    dutyId = res.json().id;
    expect(res.json()).toMatchObject({
      zone: { type: 'LineString' },
      contactPhone: '13900001234',
      duties: ['市容', '环境卫生', '秩序'],
      recentProblems: 0,
    });

    const inside = await report(office, { categoryId: cat.id, lat: north(6), lng: 120.1505 });
    const outside = await report(office, { categoryId: cat.id, lat: north(30), lng: 120.1505 });
    const named = await office.get(`/api/problems/${inside.problem.id}/frontage-duties`);
    expect(named.json()).toEqual([
      expect.objectContaining({ holderName: '好又多超市', contactPhone: '13900001234' }),
    ]);
    expect(named.json()[0].distanceM).toBeCloseTo(6, 0);
    expect(
      (await office.get(`/api/problems/${outside.problem.id}/frontage-duties`)).json(),
    ).toEqual([]);

    // Repeated problems show on the holder's record.
    await report(office, { categoryId: cat.id, lat: north(-4), lng: 120.1509 });
    const record = await office.get(`/api/frontage-duties/${dutyId}/problems`);
    expect(record.json()).toHaveLength(2);
    expect((await office.get(`/api/frontage-duties/${dutyId}`)).json().recentProblems).toBe(2);
  });

  it("shows the holder's record to every problem reader, within their problem scope", async () => {
    // Leaders read everything (this was a 403); a unit sees only its own problems in the zone.
    const byLeader = await leader.get(`/api/frontage-duties/${dutyId}/problems`);
    expect(byLeader.statusCode, byLeader.body).toBe(200);
    expect(byLeader.json()).toHaveLength(2);
    const byUnit = await unit.get(`/api/frontage-duties/${dutyId}/problems`);
    expect(byUnit.statusCode, byUnit.body).toBe(200);
    expect(byUnit.json()).toEqual([]);
    const mine = await report(unit, { categoryId: cat.id, lat: north(2), lng: 120.1502 });
    const after = await unit.get(`/api/frontage-duties/${dutyId}/problems`);
    expect(after.json().map((p: { id: number }) => p.id)).toEqual([mine.problem.id]);
    expect((await volunteer.get(`/api/frontage-duties/${dutyId}/problems`)).statusCode).toBe(403);
    expect((await volunteer.get('/api/frontage-duties/999999/problems')).statusCode).toBe(403);
  });

  it('shows the phone masked to units and lets only the office edit, with versions', async () => {
    const seen = await unit.get(`/api/frontage-duties/${dutyId}`);
    expect(seen.json().contactPhone).toBe('139****1234');
    expect(
      (await unit.patch(`/api/frontage-duties/${dutyId}`, { plaqueStatus: 'damaged', version: 1 }))
        .statusCode,
    ).toBe(403);
    const ok = await office.patch(`/api/frontage-duties/${dutyId}`, {
      plaqueStatus: 'damaged',
      version: 1,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ plaqueStatus: 'damaged', version: 2 });
    const stale = await office.patch(`/api/frontage-duties/${dutyId}`, {
      plaqueStatus: 'installed',
      version: 1,
    });
    expect(stale.statusCode).toBe(409);
    const damaged = await office.get('/api/frontage-duties?plaqueStatus=damaged');
    expect(damaged.json().items.map((d: { id: number }) => d.id)).toEqual([dutyId]);
  });

  it('refuses bad zones with a clear reason', async () => {
    const swapped = await office.post('/api/frontage-duties', {
      code: 'MQ-BAD',
      holderName: '坏坐标',
      holderType: 'shop',
      zone: '30.27,120.15;30.28,120.16',
    });
    expect(swapped.statusCode).toBe(400);
    expect(swapped.json().error.message).toContain('经度');
  });

  it('imports a sheet all or nothing, listing every bad row', async () => {
    const bad = await sheet([
      [
        'MQ-1001',
        '张记面馆',
        '沿街商户',
        '解放路 1 号',
        '张三',
        '13800000001',
        communityCode,
        FRONT,
        10,
        '2026/3/1',
        '已公示',
      ],
      ['MQ-1002', '', '沿街商户', '', '', '', '', FRONT, '', '', ''],
      [
        'MQ-1003',
        '某银行',
        '银行',
        '',
        '',
        '12345',
        '不存在的社区',
        '120.15,30.27',
        'x',
        '某天',
        '金色',
      ],
      ['MQ-1001', '重复编号', '', '', '', '', '', FRONT, '', '', ''],
    ]);
    const res = await office.upload('/api/frontage-duties/import', bad, 'duties.xlsx');
    expect(res.statusCode, res.body).toBe(422);
    const rows = res.json().error.rows as { row: number; column: string; reason: string }[];
    expect(rows.filter((r) => r.row === 3).map((r) => r.column)).toContain('责任户名称');
    const row4 = rows.filter((r) => r.row === 4).map((r) => r.column);
    for (const c of ['类型', '所属社区', '签订日期', '公示牌']) expect(row4).toContain(c);
    expect(rows.some((r) => r.row === 5 && r.column === '编号')).toBe(true);
    expect((await office.get('/api/frontage-duties?q=MQ-10')).json().items).toHaveLength(0);

    const good = await sheet([
      [
        'MQ-1001',
        '张记面馆',
        '沿街商户',
        '解放路 1 号',
        '张三',
        '13800000001',
        communityCode,
        FRONT,
        '8米',
        '2026年3月1日',
        '已公示',
      ],
      [
        'MQ-1002',
        '市供电公司营业厅',
        '企事业单位',
        '解放路 3 号',
        '',
        '',
        '湖滨社区',
        '120.152,30.27；120.153,30.27；120.153,30.2705；120.152,30.2705；120.152,30.27',
        '',
        '',
        '',
      ],
    ]);
    const ok = await office.upload('/api/frontage-duties/import', good, 'duties.xlsx');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ imported: 2, created: 2, updated: 0 });
    const list = (await office.get('/api/frontage-duties?q=MQ-10')).json().items;
    expect(list.map((d: { code: string }) => d.code)).toEqual(['MQ-1001', 'MQ-1002']);
    expect(list[0]).toMatchObject({
      bufferM: 8,
      agreementSignedOn: '2026-03-01',
      plaqueStatus: 'installed',
      regionName: '湖滨社区',
    });
    expect(list[1].zone.type).toBe('Polygon');
  });

  it('exports what it imports back unchanged', async () => {
    const res = await office.get('/api/frontage-duties/export.xlsx?q=MQ-10');
    expect(res.statusCode).toBe(200);
    const again = await office.upload('/api/frontage-duties/import', res.rawPayload, 'export.xlsx');
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ imported: 2, created: 0, updated: 2 });
    const list = (await office.get('/api/frontage-duties?q=MQ-10')).json().items;
    expect(list[0]).toMatchObject({ holderName: '张记面馆', bufferM: 8, regionName: '湖滨社区' });
    expect(list[1].zone.coordinates[0]).toHaveLength(5);
  });
});
