import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TImportResult } from '../../../core/contracts/common.js';
import { shanghaiDate } from '../../../core/calendar/working-days.js';
import type {
  TCellsDashboard,
  THonour,
  THonourHistoryEntry,
  THonourMarker,
} from '../../../core/contracts/honours.js';
import { execRows } from '../../db/client.js';
import { buildRegion, buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type Res, type TestApp } from '../../test/harness.js';

// Issue #22, item 1 — the 文明细胞 honours registry: holders of civilized titles by type and level,
// their term and status (dynamic management, a change of status with its reason), XLSX in and
// out with the messy sheets offices keep, and by level (#20): a district office has its subtree.

let t: TestApp;
let city: Agent;
let district: Agent;
let unitUser: Agent;
const ids = {} as {
  city: number;
  r1: number;
  s1: number;
  c1: number;
  r2: number;
  c2: number;
  cg: number;
  edu: number;
  school: number;
};
let c1Code = '';
let c2Code = '';

function expectStatus(res: Res, status: number): Res {
  expect(res.statusCode, res.body).toBe(status);
  return res;
}

type ErrorBody = {
  error: {
    code: string;
    messageZh: string;
    messageEn: string;
    fields?: { path: string; message: string }[];
    rows?: { row: number; column: string; reason: string }[];
  };
};

/** A refusal's error, with both messages present (Chinese and English). */
function refusal(res: Res, status: number, code: string) {
  expectStatus(res, status);
  const e = res.json<ErrorBody>().error;
  expect(e.code).toBe(code);
  expect(e.messageZh).toMatch(/[\u4e00-\u9fff]/);
  expect(e.messageEn).toMatch(/[a-z]/);
  return e;
}

async function audits(action: string, entityId?: number) {
  return execRows<{ after: Record<string, unknown>; before: Record<string, unknown> | null }>(
    t.database.db,
    sql`select "after", "before" from audit_log where action = ${action}
        ${entityId === undefined ? sql`` : sql`and entity_id = ${String(entityId)}`} order by id`,
  );
}

const create = (agent: Agent, body: Record<string, unknown>) => agent.post('/api/honours', body);
const list = async (agent: Agent, query = '') =>
  expectStatus(await agent.get(`/api/honours${query}`), 200).json<{
    items: THonour[];
    nextCursor: string | null;
    total: number;
  }>();

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const c = await buildRegion(db, { name: '荣誉市', level: 'city' });
  const r1 = await buildRegion(db, { name: '荣甲区', level: 'district', parent: c });
  const s1 = await buildRegion(db, { name: '荣甲街道', level: 'street', parent: r1 });
  const c1 = await buildRegion(db, { name: '荣甲社区', level: 'community', parent: s1 });
  const r2 = await buildRegion(db, { name: '荣乙区', level: 'district', parent: c });
  const c2 = await buildRegion(db, { name: '荣乙村', level: 'community', parent: r2 });
  c1Code = c1.code;
  c2Code = c2.code;
  const cg = await buildUnit(db, { name: '荣誉市城市管理局', regionId: c.id });
  await execRows(
    db,
    sql`update units set short_name = '城管局', aliases = array['城管'] where id = ${cg.id}`,
  );
  const edu = await buildUnit(db, { name: '荣誉市教育局', regionId: c.id });
  const school = await buildUnit(db, { name: '荣甲区实验小学', regionId: s1.id });
  const unitRow = await buildUnit(db, { name: '荣乙街道办', regionId: r2.id });
  await buildUser(db, { username: 'hcity', roles: ['office'] });
  await buildUser(db, { username: 'hdistrict', roles: ['office'], regionId: r1.id });
  await buildUser(db, { username: 'hunit', roles: ['unit'], unitId: unitRow.id });
  city = await t.login('hcity');
  district = await t.login('hdistrict');
  unitUser = await t.login('hunit');
  Object.assign(ids, {
    city: c.id,
    r1: r1.id,
    s1: s1.id,
    c1: c1.id,
    r2: r2.id,
    c2: c2.id,
    cg: cg.id,
    edu: edu.id,
    school: school.id,
  });
});
afterAll(() => t.close());

describe('文明细胞 honours registry', () => {
  let communityId = 0;

  it('registers a holder: the usual title, the term, its place from its unit, audited', async () => {
    const res = expectStatus(
      await create(city, {
        cellType: 'community',
        holderName: '荣甲社区',
        regionId: ids.c1,
        level: 'city',
        yearConferred: 2024,
        lat: 30.27,
        lng: 120.15,
        remarks: '2024 年第一批',
      }),
      201,
    );
    const h = res.json<THonour>();
    communityId = h.id;
    expect(h).toMatchObject({
      title: '市级文明社区',
      termYears: 3,
      termEndsYear: 2026,
      status: 'listed',
      regionName: '荣甲社区',
      officeRegionId: null,
      version: 1,
      remarks: '2024 年第一批',
    });
    expect((await audits('honour.create', h.id)).length).toBe(1);

    const unitTitle = expectStatus(
      await create(city, {
        cellType: 'unit',
        holderName: '荣甲区实验小学',
        unitId: ids.school,
        title: '省级文明单位',
        level: 'provincial',
        yearConferred: 2023,
        termYears: 4,
      }),
      201,
    ).json<THonour>();
    expect(unitTitle).toMatchObject({
      unitName: '荣甲区实验小学',
      regionId: ids.s1,
      termEndsYear: 2026,
    });
    expect((await city.get(`/api/honours/${unitTitle.id}`)).json<THonour>().holderName).toBe(
      '荣甲区实验小学',
    );
  });

  it('refuses a second registration (409) and bad input (400), in Chinese and English', async () => {
    const dup = refusal(
      await create(city, {
        cellType: 'community',
        holderName: '荣甲社区',
        title: '市级文明社区',
        level: 'city',
        yearConferred: 2024,
        regionId: ids.c1,
      }),
      409,
      'duplicate',
    );
    expect(dup.messageZh).toContain('2024 年度');
    expect(dup.messageEn).toContain('already holds');

    const bad = refusal(
      await create(city, {
        cellType: 'street',
        holderName: ' ',
        level: 'city',
        yearConferred: 1900,
      }),
      400,
      'invalid',
    );
    const paths = bad.fields!.map((f) => f.path).join(' ');
    for (const p of ['cellType', 'holderName', 'yearConferred']) expect(paths).toContain(p);
    const year = bad.fields!.find((f) => f.path.includes('yearConferred'))!;
    expect(year.message).toMatch(/1980.*\/.*1980 or later/);

    const half = refusal(
      await create(city, {
        cellType: 'family',
        holderName: '王家',
        level: 'county',
        yearConferred: 2025,
        lat: 30.1,
      }),
      400,
      'invalid',
    );
    expect(half.fields![0]!.message).toContain('give latitude and longitude together');
  });

  it('lists with filters and keyset pages, newest year first', async () => {
    for (const [name, level, year, type] of [
      ['荣乙村', 'national', 2021, 'village'],
      ['李家', 'county', 2025, 'family'],
    ] as const) {
      expectStatus(
        await create(city, {
          cellType: type,
          holderName: name,
          level,
          yearConferred: year,
          regionId: ids.c2,
        }),
        201,
      );
    }
    const all = await list(city);
    expect(all.total).toBe(4);
    expect(all.items.map((h) => h.yearConferred)).toEqual([2025, 2024, 2023, 2021]);
    expect((await list(city, '?cellType=village')).items.map((h) => h.holderName)).toEqual([
      '荣乙村',
    ]);
    expect((await list(city, '?level=provincial')).total).toBe(1);
    expect((await list(city, '?year=2024')).items[0]!.id).toBe(communityId);
    expect((await list(city, '?q=第一批')).items[0]!.id).toBe(communityId);
    expect((await list(city, `?regionId=${ids.r1}`)).total).toBe(2);
    expect((await list(city, '?status=revoked')).total).toBe(0);

    const seen: number[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page = await list(city, `?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((h) => h.yearConferred));
      cursor = page.nextCursor;
    }
    expect(seen).toEqual([2025, 2024, 2023, 2021]);
  });

  it('edits at a version; a change of status needs its reason, which the audit keeps', async () => {
    const noReason = refusal(
      await city.patch(`/api/honours/${communityId}`, { version: 1, status: 'rectifying' }),
      400,
      'invalid',
    );
    expect(noReason.fields![0]!.path).toBe('reason');
    expect(noReason.messageEn).toContain('needs a reason');

    const ok = expectStatus(
      await city.patch(`/api/honours/${communityId}`, {
        version: 1,
        status: 'rectifying',
        reason: '2025 年复查：负面清单第 3 项',
        termYears: 5,
      }),
      200,
    ).json<THonour>();
    expect(ok).toMatchObject({ status: 'rectifying', version: 2, termEndsYear: 2028 });
    const [status] = await audits('honour.status', communityId);
    expect(status!.before).toEqual({ status: 'listed' });
    expect(status!.after).toMatchObject({
      status: 'rectifying',
      reason: '2025 年复查：负面清单第 3 项',
    });

    refusal(
      await city.patch(`/api/honours/${communityId}`, { version: 1, remarks: '旧版本' }),
      409,
      'stale_version',
    );
    // An edit that keeps the status needs no reason.
    expectStatus(
      await city.patch(`/api/honours/${communityId}`, { version: 2, remarks: null }),
      200,
    );
    refusal(await city.patch('/api/honours/999999', { version: 1 }), 404, 'not_found');
    refusal(await unitUser.patch(`/api/honours/${communityId}`, { version: 3 }), 403, 'forbidden');
  });
});

/** A sheet as an office keeps it: a title row, a 序号 column, subtotals, blank lines and notes. */
async function messySheet(rows: (string | number | null)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('文明单位名单');
  ws.addRow(['荣誉市 2023—2025 年度文明细胞名单']);
  ws.addRow([]);
  ws.addRow([
    '序号',
    '类型',
    '名称',
    '所在区划',
    '称号',
    '级别',
    '命名年度',
    '有效期',
    '状态',
    '备注',
  ]);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('文明细胞 XLSX', () => {
  it('refuses a sheet with bad rows, naming every one, and writes nothing', async () => {
    const before = (await list(city)).total;
    const bad = await messySheet([
      [1, '单位', '城管', '', '', '市', '2023年', '', '', ''],
      [2, '文明街道', '某街道', '', '', '市级', 2023, '', '', ''],
      [3, '社区', '荣甲社区', c1Code, '', '乡级', '去年', '三年', '摘牌', ''],
      [4, '单位', '城管局', '', '', '市级', 2023, '', '', '与第 1 行同一单位'],
      [5, '单位', '荣誉市某某局', '', '', '省', 2023, '', '', ''],
    ]);
    const res = refusal(
      await city.upload('/api/honours/import', bad, 'bad.xlsx'),
      422,
      'import_rejected',
    );
    const at = (row: number) => res.rows!.filter((r) => r.row === row).map((r) => r.column);
    expect(at(5)).toEqual(['类型']);
    expect(at(6)).toEqual(expect.arrayContaining(['级别', '授予年度', '有效期(年)', '状态']));
    // 城管局 is the short name of the unit row 4 named by its alias 城管: the same holder twice.
    expect(at(7)).toEqual(['名称']);
    expect(res.rows!.find((r) => r.row === 7)!.reason).toContain('duplicates row 4');
    expect(at(8)).toEqual([]);
    expect((await list(city)).total).toBe(before);
  });

  it('imports a messy sheet: aliases, short words, subtotals, notes and remarks', async () => {
    const good = await messySheet([
      [1, '单位', '城管', '', '', '市', '2023年', '3年', '', '2023 年第二批'],
      [2, '文明校园', '荣甲区实验小学', '', '', '省级', 2023, 4, '在册', ''],
      ['小计', null, null, null, null, null, null, null, null, null],
      [],
      [null, null, null, null, null, null, null, null, null, '以下为村镇'],
      [3, '村镇', '荣乙村', c2Code, '全国文明村镇', '全国', 2021, '', '整改', '2024 年复查整改'],
      [4, '文明家庭', '张家（户主张三）', '荣甲社区', '', '县', 2025, '', '', ''],
      ['合计（4 个）', null, null, null, null, null, null, null, null, null],
      ['备注：名单以文明委公布为准', null, null, null, null, null, null, null, null, null],
    ]);
    const before = (await list(city)).total;
    const dry = expectStatus(
      await city.upload('/api/honours/import?dryRun=true', good, 'list.xlsx'),
      200,
    ).json<TImportResult>();
    expect(dry).toEqual({ imported: 4, created: 3, updated: 1, dryRun: true });
    expect((await list(city)).total).toBe(before);

    const ok = expectStatus(
      await city.upload('/api/honours/import', good, 'list.xlsx'),
      200,
    ).json<TImportResult>();
    expect(ok).toEqual({ imported: 4, created: 3, updated: 1 });
    const cg = (await list(city, '?q=城市管理局')).items;
    expect(cg).toHaveLength(1);
    expect(cg[0]).toMatchObject({
      holderName: '荣誉市城市管理局',
      unitId: ids.cg,
      regionId: ids.city,
      title: '市级文明单位',
      level: 'city',
      yearConferred: 2023,
      remarks: '2023 年第二批',
    });
    // The village of the earlier registration (same type, name, title, year) is updated.
    const village = (await list(city, '?cellType=village')).items;
    expect(village).toHaveLength(1);
    expect(village[0]).toMatchObject({
      status: 'rectifying',
      remarks: '2024 年复查整改',
      version: 2,
    });
    const family = (await list(city, '?cellType=family&year=2025')).items.find((h) =>
      h.holderName.startsWith('张家'),
    )!;
    expect(family).toMatchObject({ title: '县级文明家庭', regionId: ids.c1 });
    expect((await list(city, '?cellType=campus')).items[0]).toMatchObject({
      unitId: ids.school,
      regionId: ids.s1,
      termYears: 4,
    });
    const [audit] = await audits('honour.import');
    expect(audit!.after).toMatchObject({
      file: 'list.xlsx',
      imported: 4,
      created: 3,
      statusChanges: [{ holderName: '荣乙村', from: 'listed', to: 'rectifying' }],
    });

    // A list without the status keeps each stored title's status.
    const again = await messySheet([
      [1, '村镇', '荣乙村', c2Code, '全国文明村镇', '全国', 2021, '', '', '2024 年复查整改'],
    ]);
    expectStatus(await city.upload('/api/honours/import', again, 'again.xlsx'), 200);
    expect((await list(city, '?cellType=village')).items[0]).toMatchObject({
      status: 'rectifying',
      version: 3,
    });
  });

  it('reads the 对应单位 column by name, short name or alias, and names an unknown one', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('文明校园');
    ws.addRow(['类型', '学校名称', '对应单位', '级别', '年度']);
    ws.addRow(['校园', '荣乙区第一中学', '市教育局', '市级', 2024]);
    ws.addRow(['校园', '荣乙区第二中学', '教委', '市级', 2024]);
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const res = refusal(
      await city.upload('/api/honours/import', file, 's.xlsx'),
      422,
      'import_rejected',
    );
    expect(res.rows!.map((r) => [r.row, r.column])).toEqual([[3, '对应单位']]);
    expect(res.rows![0]!.reason).toContain('unit "教委" not found');

    ws.spliceRows(3, 1);
    const ok = Buffer.from(await wb.xlsx.writeBuffer());
    expectStatus(await city.upload('/api/honours/import', ok, 's.xlsx'), 200);
    expect((await list(city, '?q=第一中学')).items[0]).toMatchObject({
      holderName: '荣乙区第一中学',
      unitId: ids.edu,
      unitName: '荣誉市教育局',
      title: '市级文明校园',
    });
  });

  it('exports what it imports back unchanged', async () => {
    const res = expectStatus(await city.get('/api/honours/export.xlsx?level=city'), 200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const header = wb.worksheets[0]!.getRow(1).values as unknown[];
    expect(header).toEqual(expect.arrayContaining(['类型', '名称', '称号', '级别', '备注']));
    const before = (await list(city, '?level=city')).items;
    // The 城管局 (a unit named by its alias), the community and the campus linked through 对应单位.
    expect(before.length).toBe(3);
    const again = expectStatus(
      await city.upload('/api/honours/import', res.rawPayload, 'export.xlsx'),
      200,
    ).json<TImportResult>();
    expect(again).toEqual({ imported: 3, created: 0, updated: 3 });
    const after = (await list(city, '?level=city')).items;
    const strip = (h: THonour) => ({ ...h, version: 0, updatedAt: '' });
    expect(after.map(strip)).toEqual(before.map(strip));
  });
});

describe('文明细胞 by level', () => {
  let r2Title = 0;
  beforeAll(async () => {
    r2Title = (await list(city, '?cellType=village')).items[0]!.id;
  });

  it('a district office sees and edits its subtree only; another district’s is not there', async () => {
    const mine = await list(district);
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.every((h) => h.regionId !== null && h.regionId !== ids.c2)).toBe(true);
    refusal(await district.get(`/api/honours/${r2Title}`), 404, 'not_found');
    refusal(
      await district.patch(`/api/honours/${r2Title}`, { version: 2, remarks: '越级' }),
      404,
      'not_found',
    );
    // The city's title in its subtree: read, but the city office's to manage.
    const cityManaged = mine.items.find((h) => h.cellType === 'community')!;
    expect(cityManaged.officeRegionId).toBeNull();
    expectStatus(await district.get(`/api/honours/${cityManaged.id}`), 200);
    refusal(
      await district.patch(`/api/honours/${cityManaged.id}`, {
        version: cityManaged.version,
        status: 'revoked',
        reason: '区里想撤',
      }),
      403,
      'outside_jurisdiction',
    );
  });

  it('a district office registers in its subtree, managed by itself, and nowhere else', async () => {
    const h = expectStatus(
      await create(district, {
        cellType: 'family',
        holderName: '赵家',
        level: 'county',
        yearConferred: 2025,
        regionId: ids.c1,
      }),
      201,
    ).json<THonour>();
    expect(h.officeRegionId).toBe(ids.r1);
    expect(
      expectStatus(
        await district.patch(`/api/honours/${h.id}`, {
          version: 1,
          status: 'suspended',
          reason: '季度考核未达标',
        }),
        200,
      ).json<THonour>(),
    ).toMatchObject({ status: 'suspended', version: 2 });
    refusal(
      await create(district, {
        cellType: 'family',
        holderName: '钱家',
        level: 'county',
        yearConferred: 2025,
        regionId: ids.c2,
      }),
      403,
      'outside_jurisdiction',
    );
    refusal(
      await create(district, {
        cellType: 'family',
        holderName: '孙家',
        level: 'county',
        yearConferred: 2025,
        regionId: ids.c1,
        officeRegionId: null,
      }),
      403,
      'outside_jurisdiction',
    );
    refusal(
      await district.patch(`/api/honours/${h.id}`, { version: 2, regionId: ids.c2 }),
      403,
      'outside_jurisdiction',
    );
  });

  it('a district office’s import refuses rows of another district, writing nothing', async () => {
    const before = (await list(city)).total;
    const sheet = await messySheet([
      [1, '家庭', '周家', c1Code, '', '县级', 2025, '', '', ''],
      [2, '家庭', '吴家', c2Code, '', '县级', 2025, '', '', ''],
      [3, '村镇', '荣乙村', c1Code, '全国文明村镇', '全国', 2021, '', '', '想改别区的'],
      [4, '社区', '荣甲社区', c1Code, '', '市级', 2024, '', '撤销', '市管的'],
    ]);
    const res = refusal(
      await district.upload('/api/honours/import', sheet, 'district.xlsx'),
      422,
      'import_rejected',
    );
    expect(res.rows!.map((r) => [r.row, r.column])).toEqual([
      [5, '所在区划'],
      [6, '名称'],
      [7, '名称'],
    ]);
    expect(res.rows![0]!.reason).toContain('outside this office');
    expect((await list(city)).total).toBe(before);

    const ok = await messySheet([[1, '家庭', '周家', c1Code, '', '县级', 2025, '', '', '']]);
    expectStatus(await district.upload('/api/honours/import', ok, 'district.xlsx'), 200);
    expect((await list(city, '?q=周家')).items[0]).toMatchObject({
      regionId: ids.c1,
      officeRegionId: ids.r1,
    });
  });
});

describe('文明细胞 history, map and dashboard', () => {
  type History = { items: THonourHistoryEntry[] };
  let community: THonour;
  let village: THonour;
  let placedFamily: THonour;
  beforeAll(async () => {
    community = (await list(city, '?cellType=community')).items[0]!;
    village = (await list(city, '?cellType=village')).items[0]!;
    placedFamily = expectStatus(
      await create(city, {
        cellType: 'family',
        holderName: '荣乙村王家',
        level: 'county',
        yearConferred: 2026,
        regionId: ids.c2,
        lat: 30.31,
        lng: 120.21,
      }),
      201,
    ).json<THonour>();
  });

  it('tells a holder’s history: registration, edits, status changes with their reasons', async () => {
    const h = expectStatus(
      await city.get(`/api/honours/${community.id}/history`),
      200,
    ).json<History>();
    // Newest first: the remarks cleared, the status changed with its reason (its edit naming the
    // term only: the status is the status record's), the registration.
    expect(h.items.map((e) => e.kind)).toEqual(['update', 'status', 'update', 'create']);
    const [remarks, status, term, created] = h.items;
    expect(remarks!.changed).toEqual(['remarks']);
    expect(status).toMatchObject({
      action: 'honour.status',
      statusFrom: 'listed',
      statusTo: 'rectifying',
      reason: '2025 年复查：负面清单第 3 项',
    });
    expect(status!.actorName).toContain('hcity');
    expect(term!.changed).toEqual(['termYears']);
    expect(created).toMatchObject({ statusTo: 'listed', reason: null });
    expect(Date.parse(created!.at)).toBeLessThanOrEqual(Date.parse(status!.at));
  });

  it('names the import that changed a holder’s status, not the imports that left it', async () => {
    const h = expectStatus(
      await city.get(`/api/honours/${village.id}/history`),
      200,
    ).json<History>();
    expect(h.items.map((e) => [e.kind, e.statusFrom, e.statusTo, e.file])).toEqual([
      ['import', 'listed', 'rectifying', 'list.xlsx'],
      ['create', null, 'listed', null],
    ]);
  });

  it('reads the history like the holder: a district its subtree, 404 for another district’s', async () => {
    const own = expectStatus(await district.get(`/api/honours/${community.id}/history`), 200);
    expect(own.json<History>().items.length).toBe(4);
    refusal(await district.get(`/api/honours/${village.id}/history`), 404, 'not_found');
    refusal(await city.get('/api/honours/999999/history'), 404, 'not_found');
  });

  it('puts the holders with a position on the map, a district its own only', async () => {
    type Map = { items: THonourMarker[]; truncated: boolean };
    const all = expectStatus(await city.get('/api/honours/map'), 200).json<Map>();
    expect(all.truncated).toBe(false);
    expect(all.items.map((m) => m.id).sort((a, b) => a - b)).toEqual(
      [community.id, placedFamily.id].sort((a, b) => a - b),
    );
    expect(all.items.find((m) => m.id === community.id)).toEqual({
      id: community.id,
      holderName: '荣甲社区',
      title: '市级文明社区',
      cellType: 'community',
      level: 'city',
      status: 'rectifying',
      lat: 30.27,
      lng: 120.15,
    });
    const families = expectStatus(await city.get('/api/honours/map?cellType=family'), 200);
    expect(families.json<Map>().items.map((m) => m.id)).toEqual([placedFamily.id]);
    const mine = expectStatus(await district.get('/api/honours/map'), 200).json<Map>();
    expect(mine.items.map((m) => m.id)).toEqual([community.id]);
    // Another district's region asked for: nothing of it.
    const other = expectStatus(await district.get(`/api/honours/map?regionId=${ids.r2}`), 200);
    expect(other.json<Map>().items).toEqual([]);
  });

  it('counts the cells of a level for the dashboard: by type and level, reviews due, at risk', async () => {
    const year = Number(shanghaiDate(new Date()).slice(0, 4));
    const held = (h: THonour) => ['listed', 'rectifying', 'suspended'].includes(h.status);
    /** What the dashboard should say, worked out from the registry's list. */
    const expected = (items: THonour[]) => ({
      held: items.filter(held).length,
      families: items.filter((h) => held(h) && h.cellType === 'family').length,
      countyFamilies: items.filter(
        (h) => held(h) && h.cellType === 'family' && h.level === 'county',
      ).length,
      thisYear: items.filter((h) => held(h) && h.termEndsYear === year).length,
      nextYear: items.filter((h) => held(h) && h.termEndsYear === year + 1).length,
      rectifying: items.filter((h) => h.status === 'rectifying').length,
      suspended: items.filter((h) => h.status === 'suspended').length,
    });
    const check = async (agent: Agent, query: string, listQuery: string) => {
      const d = expectStatus(
        await agent.get(`/api/dashboards/cells${query}`),
        200,
      ).json<TCellsDashboard>();
      const want = expected((await list(agent, `?limit=200${listQuery}`)).items);
      expect(d.year).toBe(year);
      expect(d.byType.map((t) => t.cellType)).toEqual([
        'unit',
        'village',
        'campus',
        'community',
        'family',
      ]);
      const family = d.byType.find((t) => t.cellType === 'family')!;
      expect({
        held: d.held,
        families: family.total,
        countyFamilies: family.byLevel.county,
        thisYear: d.reviewsDue.thisYear,
        nextYear: d.reviewsDue.nextYear,
        rectifying: d.atRisk.rectifying,
        suspended: d.atRisk.suspended,
      }).toEqual(want);
      expect(
        d.reviewsDue.items.every((i) => i.termEndsYear === year || i.termEndsYear === year + 1),
      ).toBe(true);
      expect(d.atRisk.items.map((i) => i.status).sort()).toEqual(
        [...Array(want.rectifying).fill('rectifying'), ...Array(want.suspended).fill('suspended')]
          .slice(0, 8)
          .sort(),
      );
      return d;
    };
    const whole = await check(city, '', '');
    // The village in 整改 (by import), the community in 整改, 赵家 suspended by its district.
    expect(whole.atRisk.items.map((i) => i.holderName)).toEqual(
      expect.arrayContaining(['荣乙村', '荣甲社区', '赵家']),
    );
    const mine = await check(district, '', '');
    expect(mine.atRisk.items.map((i) => i.holderName)).not.toContain('荣乙村');
    expect(mine.held).toBeLessThan(whole.held);
    await check(city, `?regionId=${ids.r2}`, `&regionId=${ids.r2}`);
    refusal(await district.get(`/api/dashboards/cells?regionId=${ids.r2}`), 403, 'forbidden');
  });
});
