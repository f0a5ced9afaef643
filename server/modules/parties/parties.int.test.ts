import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  TAssignment,
  TCampaign,
  TFrameworkImportPreview,
  TFrameworkImportResult,
} from '../../../core/contracts/frameworks.js';
import type { TParty } from '../../../core/contracts/org.js';
import { buildUser } from '../../test/factories.js';
import { realTaskSheet, REAL_SHEET_ITEMS, type RealItem } from '../../test/framework-sheets.js';
import { createCampaign, expectStatus } from '../../test/frameworks-kit.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';
import { insertUnit } from '../org/units.repo.js';

// 集体责任方: the office defines 各县（市、区） (all district governments) and 各物业公司 (answered for
// by 市住建局) once; a 任务分解表 naming them imports with each district leading its own task, the
// contact unit standing for the companies, and the export writes the names back. A collective name
// not defined yet is proposed in the preview.

let t: TestApp;
let office: Agent;
let district: Agent;
let campaign: TCampaign;
const ids: Record<string, number> = {};

/** The realistic sheet with collective parties in the unit cells. */
function itemsWithParties(): RealItem[] {
  const items = structuredClone(REAL_SHEET_ITEMS);
  const stds = items.flatMap((i) => i.contents).flatMap((c) => c.standards);
  stds[0]!.tasks = [{ lead: '各区县', responsible: '市文明办', due: '2026年6月30日' }];
  stds[1]!.tasks = [{ lead: '市文明办', responsible: '各物业公司、宣传部', due: '长期坚持' }];
  stds[4]!.tasks = [{ lead: '各街道（乡镇）', due: '每月' }];
  return items;
}

async function preview(file: Buffer): Promise<TFrameworkImportPreview> {
  return expectStatus(
    await office.upload('/api/framework-imports/preview', file, 'sheet.xlsx'),
    200,
  ).json<TFrameworkImportPreview>();
}

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const units: [string, string, string | null, string][] = [
    ['XC', '市委宣传部', null, 'party_committee'],
    ['WMB', '市文明办', null, 'party_committee'],
    ['CGJ', '市城市管理综合执法局', '城管局', 'government_department'],
    ['JJ', '市公安局交通警察支队', '交警支队', 'government_department'],
    ['MZ', '市民政局', null, 'government_department'],
    ['ZJ', '市住房和城乡建设局', '住建局', 'government_department'],
    ['DH', '东湖区人民政府', null, 'district_government'],
    ['XS', '西山区人民政府', null, 'district_government'],
    ['NH', '南湖县人民政府', null, 'district_government'],
    ['JD1', '东湖区湖滨街道办事处', null, 'street_office'],
    ['JD2', '西山区城关街道办事处', null, 'street_office'],
  ];
  for (const [code, name, shortName, type] of units) {
    ids[code] = await insertUnit(db, { code: `PT-${code}`, name, shortName, type });
  }
  await buildUser(db, { username: 'office1', roles: ['office'] });
  await buildUser(db, { username: 'dh1', roles: ['unit'], unitId: ids.DH! });
  office = await t.login('office1');
  district = await t.login('dh1');
  campaign = await createCampaign(office, '集体责任方测试周期');
});
afterAll(() => t.close());

describe('集体责任方', () => {
  let counties: TParty;

  it('the office defines a group by unit type and an outside party with its contact unit', async () => {
    counties = expectStatus(
      await office.post('/api/parties', {
        name: '各县（市、区）',
        aliases: ['各区县'],
        kind: 'group',
        memberTypes: ['district_government'],
      }),
      201,
    ).json<TParty>();
    expect(counties).toMatchObject({ kind: 'group', memberCount: 3, contactUnit: null });
    const outside = expectStatus(
      await office.post('/api/parties', {
        name: '各物业公司',
        kind: 'outside',
        contactUnitId: ids.ZJ,
      }),
      201,
    ).json<TParty>();
    expect(outside.contactUnit).toEqual({ id: ids.ZJ, name: '市住房和城乡建设局' });
    const list = (await office.get('/api/parties')).json<{ items: TParty[] }>().items;
    expect(list.map((p) => p.name)).toEqual(['各县（市、区）', '各物业公司']);
  });

  it('refuses what cannot work, in both languages, and other roles', async () => {
    const noContact = await office.post('/api/parties', { name: '各银行网点', kind: 'outside' });
    expectStatus(noContact, 400);
    expect(noContact.body).toContain('负责联系的单位');
    expect(noContact.body).toContain('answers for it');
    const empty = await office.post('/api/parties', { name: '各学校', kind: 'group' });
    expectStatus(empty, 400);
    expect(empty.body).toContain('成员单位或单位类型');
    const taken = await office.post('/api/parties', {
      name: '城管局',
      kind: 'group',
      memberTypes: ['street_office'],
    });
    expectStatus(taken, 409);
    expect(taken.body).toContain('市城市管理综合执法局');
    const alias = await office.post('/api/parties', {
      name: '所有区县',
      aliases: ['各区县'],
      kind: 'group',
      memberTypes: ['district_government'],
    });
    expectStatus(alias, 409);
    expectStatus(
      await district.post('/api/parties', {
        name: '各社区',
        kind: 'group',
        memberTypes: ['community_committee'],
      }),
      403,
    );
    const stale = await office.patch(`/api/parties/${counties.id}`, {
      name: counties.name,
      kind: 'group',
      memberTypes: ['district_government'],
      version: counties.version + 5,
    });
    expectStatus(stale, 409);
  });

  let file: Buffer;
  it('the preview resolves the parties the sheet names and proposes the one not defined yet', async () => {
    ({ file } = await realTaskSheet({ items: itemsWithParties() }));
    const p = await preview(file);
    expect(p.parties).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: '各县（市、区）', kind: 'group', units: 3 }),
        expect.objectContaining({
          name: '各物业公司',
          kind: 'outside',
          units: 1,
          contactUnit: '市住房和城乡建设局',
        }),
      ]),
    );
    const streets = p.units.find((u) => u.name === '各街道（乡镇）')!;
    expect(streets.proposal).toEqual({ kind: 'group', memberTypes: ['street_office'] });
    // Not split at the 、 inside its brackets, and not a unit error once defined (below).
    expect(p.units.map((u) => u.name)).not.toContain('各街道（乡镇');
    expect(p.badRows).toHaveLength(1);

    // The office confirms the proposal once.
    expectStatus(
      await office.post('/api/parties', {
        name: streets.name,
        kind: streets.proposal!.kind,
        memberTypes: streets.proposal!.memberTypes,
      }),
      201,
    );
    const again = await preview(file);
    expect(again.units).toEqual([]);
    expect(again.badRows).toEqual([]);
  });

  it('imports: each district leads its own task and sees it; the contact unit stands for the companies', async () => {
    const r = expectStatus(
      await office.upload(
        `/api/campaigns/${campaign.id}/frameworks/import?name=${encodeURIComponent('集体责任方体系')}`,
        file,
        'sheet.xlsx',
      ),
      201,
    ).json<TFrameworkImportResult>();
    const list = (await office.get(`/api/framework-versions/${r.versionId}/assignments`)).json<{
      items: TAssignment[];
    }>().items;
    const first = list.filter((a) => a.standardCode === 'I1.1.1');
    expect(first.map((a) => a.leadUnit.name).sort()).toEqual([
      '东湖区人民政府',
      '南湖县人民政府',
      '西山区人民政府',
    ]);
    const second = list.find((a) => a.standardCode === 'I1.1.2')!;
    expect(second.responsibleUnits.map((u) => u.name)).toEqual([
      '市住房和城乡建设局',
      '市委宣传部',
    ]);
    // In force, the task is on the district's own list.
    const tr = (await office.get(`/api/framework-versions/${r.versionId}/tree`)).json<{
      versionInfo: { version: number };
    }>();
    expectStatus(
      await office.post(`/api/framework-versions/${r.versionId}/publish`, {
        version: tr.versionInfo.version,
      }),
      200,
    );
    const mine = (await district.get('/api/my-assignments')).json<{
      items: { standardCode: string }[];
    }>().items;
    expect(mine.map((a) => a.standardCode)).toContain('I1.1.1');

    // The export writes the sheet's words back: one row for 各县（市、区）.
    const xlsx = await office.get(`/api/framework-versions/${r.versionId}/export.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const header = ws.getRow(1).values as string[];
    const col = (h: string) => header.indexOf(h);
    const rows: string[][] = [];
    ws.eachRow((row, n) => {
      if (n > 1)
        rows.push([
          row.getCell(col('标准编号')).text,
          row.getCell(col('牵头单位')).text,
          row.getCell(col('责任单位')).text,
        ]);
    });
    expect(rows.filter((x) => x[0] === 'I1.1.1')).toEqual([
      ['I1.1.1', '各县（市、区）', '市文明办'],
    ]);
    expect(rows.find((x) => x[0] === 'I1.1.2')).toEqual([
      'I1.1.2',
      '市文明办',
      '各物业公司、市委宣传部',
    ]);
    const fifth = REAL_SHEET_ITEMS.flatMap((i) => i.contents).flatMap((c) => c.standards)[4]!;
    expect(rows.filter((x) => x[0] === fifth.code).map((x) => x[1])).toEqual(['各街道（乡镇）']);
  });
});
