import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  TAssignment,
  TAssignmentImportResult,
  TCampaign,
  TFramework,
  TFrameworkImportResult,
  TFrameworkTree,
  TMyAssignment,
} from '../../../core/contracts/frameworks.js';
import { DEMO_FRAMEWORK_FILE } from '../../db/seed/demo-framework.js';
import { buildUser } from '../../test/factories.js';
import {
  createCampaign,
  expectStatus,
  readBack,
  standardsOf,
  tree,
  workbook,
  type Cell,
} from '../../test/frameworks-kit.js';
import {
  realTaskSheet,
  REAL_SHEET_ITEMS,
  type RealItem,
  type RealStandard,
} from '../../test/framework-sheets.js';
import { createTestApp, type Agent, type Res, type TestApp } from '../../test/harness.js';
import { insertUnit } from '../org/units.repo.js';

// Framework files: the JSON round trip, messy XLSX sheets, row-level errors with nothing imported,
// the 任务分解 carried by the sheet, and who sees which assignments.

let t: TestApp;
let office: Agent;
let leader: Agent;
let unitA: Agent;
let surveyor: Agent;
let campaign: TCampaign;
const unitIds: Record<string, number> = {};

const demo = JSON.parse(fs.readFileSync(DEMO_FRAMEWORK_FILE, 'utf8')) as Record<string, unknown>;
const rowsOf = (res: Res) =>
  res.json<{ error: { code: string; rows: { row: number; column: string; reason: string }[] } }>()
    .error;
const frameworkCount = async () =>
  (await office.get(`/api/frameworks?campaignId=${campaign.id}`)).json<{ items: TFramework[] }>()
    .items.length;
const assignmentsOf = async (agent: Agent, versionId: number, q = '') =>
  expectStatus(await agent.get(`/api/framework-versions/${versionId}/assignments${q}`), 200).json<{
    items: TAssignment[];
  }>().items;

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const units: [string, string, string | null][] = [
    ['XC', '市委宣传部', null],
    ['WMB', '市文明办', null],
    ['CGJ', '市城市管理综合执法局', '城管局'],
    ['JJ', '市公安局交通警察支队', '交警支队'],
    ['MZ', '市民政局', null],
    ['DHMZ', '东湖区民政所', '民政所'],
    ['XCMZ', '西城区民政所', '民政所'],
    ['WD', '万达广场（示范市店）', null],
  ];
  for (const [code, name, shortName] of units) {
    unitIds[code] = await insertUnit(db, { code: `FW-${code}`, name, shortName, type: 'other' });
  }
  await buildUser(db, { username: 'office1', roles: ['office'] });
  await buildUser(db, { username: 'leader1', roles: ['leader'] });
  await buildUser(db, { username: 'unita', roles: ['unit'], unitId: unitIds.CGJ! });
  await buildUser(db, { username: 'surveyor1', roles: ['surveyor'] });
  await buildUser(db, { username: 'unitxc', roles: ['unit'], unitId: unitIds.XC! });
  office = await t.login('office1');
  leader = await t.login('leader1');
  unitA = await t.login('unita');
  surveyor = await t.login('surveyor1');
  campaign = await createCampaign(office, '导入测试创建周期');
});
afterAll(() => t.close());

describe('JSON framework file', () => {
  let versionId: number;

  it('imports demo-framework.json as a new framework and exports it back unchanged', async () => {
    const res = expectStatus(
      await office.upload(
        `/api/campaigns/${campaign.id}/frameworks/import`,
        Buffer.from(JSON.stringify(demo, null, 2)),
        'demo-framework.json',
      ),
      201,
    ).json<TFrameworkImportResult>();
    expect(res).toMatchObject({
      versionNumber: 1,
      items: 7,
      standards: 40,
      negativeItems: 4,
      assignments: 0,
    });
    versionId = res.versionId;
    const tr = await tree(office, versionId);
    expect(tr.framework).toMatchObject({
      name: '演示用文明城市测评框架（自拟，非官方）',
      edition: 'demo-0.1',
      level: 'prefecture',
    });
    expect(tr.totals.score).toBe(100);
    expect(tr.totals.byBucket).toEqual({ material: 40, field: 40, survey: 20 });
    const out = expectStatus(
      await office.get(`/api/framework-versions/${versionId}/export.json`),
      200,
    );
    expect(out.headers['content-disposition']).toContain('attachment');
    expect(out.json()).toEqual(demo);
  });

  it('an exported file imports again into the same content, also after an edit', async () => {
    const tr = await tree(office, versionId);
    const s = standardsOf(tr)[0]!;
    await office.patch(`/api/framework-versions/${versionId}/nodes/${s.id}`, {
      version: s.version,
      guidance: '查阅年度学习计划和会议记录',
      evidence: ['年度学习计划', '会议记录'],
    });
    const exported = (await office.get(`/api/framework-versions/${versionId}/export.json`)).body;
    const other = await createCampaign(office, '复制用创建周期');
    const res = expectStatus(
      await office.upload(
        `/api/campaigns/${other.id}/frameworks/import`,
        Buffer.from(exported),
        'copy.json',
      ),
      201,
    ).json<TFrameworkImportResult>();
    const copy = await tree(office, res.versionId);
    const strip = (x: TFrameworkTree) =>
      JSON.stringify(x.items, (k, v: unknown) =>
        k === 'id' || k === 'parentId' || k === 'key' || k === 'version' ? undefined : v,
      );
    expect(strip(copy)).toBe(strip(await tree(office, versionId)));
    expect(
      (await office.get(`/api/framework-versions/${res.versionId}/export.json`)).json(),
    ).toEqual(JSON.parse(exported));
  });

  it('reports every problem of a bad file by JSON path and imports nothing', async () => {
    const before = await frameworkCount();
    const bad = structuredClone(demo) as {
      meta: { name: string };
      items: { contents: { standards: Record<string, unknown>[] }[] }[];
    };
    bad.meta.name = '坏文件';
    bad.items[0]!.contents[0]!.standards[0]!.method = '抽查';
    bad.items[0]!.contents[1]!.standards[0]!.score = '两分';
    delete bad.items[1]!.contents[0]!.standards[0]!.text;
    const res = await office.upload(
      `/api/campaigns/${campaign.id}/frameworks/import`,
      Buffer.from(JSON.stringify(bad)),
      'bad.json',
    );
    expect(res.statusCode).toBe(422);
    const err = rowsOf(res);
    expect(err.code).toBe('import_rejected');
    expect(err.rows.map((r) => r.column)).toEqual([
      'items[0].contents[0].standards[0].method',
      'items[0].contents[1].standards[0].score',
      'items[1].contents[0].standards[0].text',
    ]);
    expect(
      (
        await office.upload(
          `/api/campaigns/${campaign.id}/frameworks/import`,
          Buffer.from('{oops'),
          'x.json',
        )
      ).statusCode,
    ).toBe(422);
    expect(
      (
        await office.upload(
          `/api/campaigns/${campaign.id}/frameworks/import`,
          Buffer.from('hello'),
          'x.txt',
        )
      ).statusCode,
    ).toBe(400);
    expect(await frameworkCount()).toBe(before);
  });
});

// 项目 内容 标准编号 标准 方法 分值 牵头单位 责任单位 包抓领导 时限
const MESSY: Cell[][] = [
  [
    '一、思想引领',
    '（一）理论学习',
    'Ｉ１．１．１',
    ' 党委（党组）中心组有年度学习计划 ',
    '材料',
    '５',
    '宣传部',
    '文明办、 城管局',
    '张副市长',
    new Date(Date.UTC(2026, 5, 30)),
  ],
  [
    null,
    null,
    null,
    '基层宣讲每季度不少于1次',
    '材料审核',
    '4分',
    '市委宣传部',
    '',
    '',
    '长期坚持',
  ],
  [
    null,
    '（二）公益宣传',
    '',
    '公益广告规范无破损',
    '实地',
    2,
    '城管局',
    '万达广场(示范市店)',
    '',
    '2026年9月底',
  ],
  [
    '二、城市管理',
    '街面秩序',
    '',
    '无占道经营',
    '实地考察',
    2,
    '城管局',
    '',
    '王副市长',
    '2026/12/31',
  ],
  [null, null, '', '无占道经营', '实地考察', 2, '东湖区民政所', '', '', ''],
  [null, '交通文明', '', '路口无闯红灯', '实地', '2.5', '交警支队', '城管局', '', ''],
  [null, null, '', '市民满意率', '问卷', 3, '', '', '', ''],
];

describe('XLSX framework sheet', () => {
  let versionId: number;

  it('reads a messy sheet: title row, merged and blank parents, full width, short names', async () => {
    const file = await workbook(MESSY, {
      title: '示范市创建全国文明城市任务分解表',
      // Rows 3–9 hold the data (row 1 title, row 2 headers): 项目 merged over the first item's
      // rows, 内容 merged over its first content.
      merges: ['A3:A5', 'B3:B4'],
    });
    const res = expectStatus(
      await office.upload(
        `/api/campaigns/${campaign.id}/frameworks/import?name=${encodeURIComponent('任务分解表导入')}&level=county`,
        file,
        '任务分解表.xlsx',
      ),
      201,
    ).json<TFrameworkImportResult>();
    expect(res).toMatchObject({ items: 2, contents: 4, standards: 6, assignments: 6 });
    versionId = res.versionId;
    const tr = await tree(office, versionId);
    expect(tr.framework.level).toBe('county');
    expect(tr.items.map((i) => [i.code, i.text])).toEqual([
      ['I1', '思想引领'],
      ['I2', '城市管理'],
    ]);
    expect(standardsOf(tr).map((s) => [s.code, s.text, s.method, s.maxScore])).toEqual([
      ['I1.1.1', '党委（党组）中心组有年度学习计划', 'material', 5],
      ['I1.1.2', '基层宣讲每季度不少于1次', 'material', 4],
      ['I1.2.1', '公益广告规范无破损', 'field', 2],
      ['I2.1.1', '无占道经营', 'field', 2],
      ['I2.2.1', '路口无闯红灯', 'field', 2.5],
      ['I2.2.2', '市民满意率', 'survey', 3],
    ]);
    const tasks = await assignmentsOf(office, versionId);
    expect(
      tasks.map((a) => [
        a.standardCode,
        a.leadUnit.name,
        a.responsibleUnits.map((u) => u.name),
        a.leaderName,
        a.dueDate,
        a.dueText,
      ]),
    ).toEqual([
      [
        'I1.1.1',
        '市委宣传部',
        ['市文明办', '市城市管理综合执法局'],
        '张副市长',
        '2026-06-30',
        null,
      ],
      ['I1.1.2', '市委宣传部', [], null, null, '长期坚持'],
      ['I1.2.1', '市城市管理综合执法局', ['万达广场（示范市店）'], null, '2026-09-30', null],
      ['I2.1.1', '市城市管理综合执法局', [], '王副市长', '2026-12-31', null],
      ['I2.1.1', '东湖区民政所', [], null, null, null],
      ['I2.2.1', '市公安局交通警察支队', ['市城市管理综合执法局'], null, null, null],
    ]);
  });

  it('exports the sheet and imports it back to the same tree and tasks', async () => {
    const out = expectStatus(
      await office.get(`/api/framework-versions/${versionId}/export.xlsx`),
      200,
    );
    const cells = await readBack(out);
    expect(cells[0]!.slice(0, 10)).toEqual([
      '项目',
      '内容',
      '标准编号',
      '标准',
      '方法',
      '分值',
      '牵头单位',
      '责任单位',
      '包抓领导',
      '时限',
    ]);
    expect(cells[1]!.slice(0, 10)).toEqual([
      'I1 思想引领',
      'I1.1 理论学习',
      'I1.1.1',
      '党委（党组）中心组有年度学习计划',
      '材料审核',
      '5',
      '市委宣传部',
      '市文明办、市城市管理综合执法局',
      '张副市长',
      '2026-06-30',
    ]);
    const again = expectStatus(
      await office.upload(
        `/api/campaigns/${campaign.id}/frameworks/import?name=${encodeURIComponent('再次导入')}`,
        out.rawPayload,
        'again.xlsx',
      ),
      201,
    ).json<TFrameworkImportResult>();
    const strip = (x: TFrameworkTree) =>
      JSON.stringify(x.items, (k, v: unknown) =>
        k === 'id' || k === 'parentId' || k === 'key' || k === 'version' ? undefined : v,
      );
    expect(strip(await tree(office, again.versionId))).toBe(strip(await tree(office, versionId)));
    const norm = (xs: TAssignment[]) =>
      xs.map(({ id: _i, versionId: _v, standardId: _s, itemId: _t, ...rest }) => rest);
    expect(norm(await assignmentsOf(office, again.versionId))).toEqual(
      norm(await assignmentsOf(office, versionId)),
    );
  });

  it('rejects a sheet with bad rows — row, column and reason for each — and imports nothing', async () => {
    const before = await frameworkCount();
    const file = await workbook([
      ['I1 思想', 'I1.1 学习', 'I1.1.1', '有计划', '抽查', 5, '宣传部'],
      [null, null, 'I1.1.2', '有记录', '材料', '五分', '宣传部'],
      [null, null, 'I1.1.3', '', '材料', 2, '宣传部'],
      [null, null, 'I1.1.4', '有宣讲', '材料', 2, '卫健委'],
      [null, null, 'I1.1.5', '有台账', '材料', 2, '民政所'],
      [null, null, 'I1.1.6', '有阵地', '实地', 2, '城管局', '', '', '2026-02-30'],
      [null, null, 'I1.1.7', '正确的行', '实地', 2, '城管局'],
    ]);
    const res = await office.upload(
      `/api/campaigns/${campaign.id}/frameworks/import?name=${encodeURIComponent('错误表')}`,
      file,
      'bad.xlsx',
    );
    expect(res.statusCode).toBe(422);
    const err = rowsOf(res);
    expect(err.rows.map((r) => [r.row, r.column])).toEqual([
      [2, '方法'],
      [3, '分值'],
      [4, '标准'],
      [5, '牵头单位'],
      [6, '牵头单位'],
      [7, '时限'],
    ]);
    expect(err.rows[0]!.reason).toBe(
      '无法识别的测评方法“抽查”（可填：材料审核、实地考察、实景模拟验证、问卷调查、网络调查、听取汇报、整体观察） / unknown method "抽查" (use one of: material, field, simulation, survey, online, report, overall)',
    );
    expect(err.rows[1]!.reason).toContain('不是数字');
    expect(err.rows[2]!.reason).toContain('缺少测评标准内容');
    expect(err.rows[3]!.reason).toContain('单位“卫健委”不存在');
    expect(err.rows[4]!.reason).toContain('东湖区民政所');
    expect(err.rows[4]!.reason).toContain('西城区民政所');
    expect(await frameworkCount()).toBe(before);
  });

  it('a sheet without the required columns is rejected at row 1', async () => {
    const res = await office.upload(
      `/api/campaigns/${campaign.id}/frameworks/import?name=x1`,
      await workbook([['a', 'b']], { headers: ['项目', '标准'] }),
      'cols.xlsx',
    );
    expect(res.statusCode).toBe(422);
    expect(rowsOf(res).rows.map((r) => r.column)).toEqual(['内容', '方法', '分值']);
  });

  it('an XLSX import needs a name, and the office only', async () => {
    const file = await workbook(MESSY.slice(0, 1));
    expect(
      (await office.upload(`/api/campaigns/${campaign.id}/frameworks/import`, file, 'a.xlsx'))
        .statusCode,
    ).toBe(400);
    expect(
      (
        await unitA.upload(
          `/api/campaigns/${campaign.id}/frameworks/import?name=xx`,
          file,
          'a.xlsx',
        )
      ).statusCode,
    ).toBe(403);
  });

  describe('任务分解 on a version in force', () => {
    it('replaces the assignments from a sheet without copying the version', async () => {
      const tr = await tree(office, versionId);
      expectStatus(
        await office.post(`/api/framework-versions/${versionId}/publish`, {
          version: tr.versionInfo.version,
        }),
        200,
      );
      const sheet = await workbook(
        [
          ['', '', 'I1.1.1', '', '', '', '文明办', '宣传部'],
          ['', '', 'i1.2.1', '', '', '', '城管局', '', '李局长', '2027-01-15'],
          ['', '', '', '市民满意率', '', '', '市民政局'],
        ],
        { title: '任务分解' },
      );
      const res = expectStatus(
        await office.upload(
          `/api/framework-versions/${versionId}/assignments/import`,
          sheet,
          't.xlsx',
        ),
        200,
      ).json<TAssignmentImportResult>();
      expect(res).toMatchObject({ versionId, assignments: 3, standards: 3, replaced: 6 });
      expect(res.report).toEqual({
        sheetName: '任务分解',
        skippedRows: [],
        sumChecks: [],
        unknownColumns: [],
      });
      const fw = (await tree(office, versionId)).framework;
      expect(fw.draftVersionId).toBeNull();
      expect(
        (await assignmentsOf(office, versionId)).map((a) => [a.standardCode, a.leadUnit.name]),
      ).toEqual([
        ['I1.1.1', '市文明办'],
        ['I1.2.1', '市城市管理综合执法局'],
        ['I2.2.2', '市民政局'],
      ]);
    });

    it('a bad task sheet changes nothing', async () => {
      const before = await assignmentsOf(office, versionId);
      const sheet = await workbook([
        ['', '', 'I9.9.9', '', '', '', '文明办'],
        ['', '', 'I1.1.1', '', '', '', '不存在的局'],
        ['', '', 'I1.1.2', '', '', '', '宣传部'],
      ]);
      const res = await office.upload(
        `/api/framework-versions/${versionId}/assignments/import`,
        sheet,
        't.xlsx',
      );
      expect(res.statusCode).toBe(422);
      expect(rowsOf(res).rows.map((r) => [r.row, r.column])).toEqual([
        [2, '标准编号'],
        [3, '牵头单位'],
      ]);
      expect(await assignmentsOf(office, versionId)).toEqual(before);
    });

    it('a unit sees only the standards it leads or shares; leaders all; others none', async () => {
      const mine = await assignmentsOf(unitA, versionId);
      expect(mine.map((a) => a.standardCode)).toEqual(['I1.2.1']);
      const all = await assignmentsOf(leader, versionId);
      expect(all).toHaveLength(3);
      expect(
        (await surveyor.get(`/api/framework-versions/${versionId}/assignments`)).statusCode,
      ).toBe(403);
      expect(
        (
          await unitA.upload(
            `/api/framework-versions/${versionId}/assignments/import`,
            await workbook([]),
            't.xlsx',
          )
        ).statusCode,
      ).toBe(403);
      // Filters: by unit (lead or responsible) and by item.
      const byUnit = await assignmentsOf(office, versionId, `?unitId=${unitIds.XC}`);
      expect(byUnit.map((a) => a.standardCode)).toEqual(['I1.1.1']);
      const tr = await tree(office, versionId);
      const byItem = await assignmentsOf(office, versionId, `?itemId=${tr.items[1]!.id}`);
      expect(byItem.map((a) => a.standardCode)).toEqual(['I2.2.2']);
      // The unit's export carries only its own tasks.
      const cells = await readBack(
        await unitA.get(`/api/framework-versions/${versionId}/export.xlsx`),
      );
      expect(cells.filter((r) => r[6]).map((r) => r[6])).toEqual([
        '牵头单位',
        '市城市管理综合执法局',
      ]);
    });

    it('我的任务: each unit lists its own tasks on the versions in force, lead or shared', async () => {
      const mine = (await unitA.get('/api/my-assignments')).json<{ items: TMyAssignment[] }>()
        .items;
      expect(mine.map((m) => [m.frameworkName, m.standardCode, m.role])).toEqual([
        ['任务分解表导入', 'I1.2.1', 'lead'],
      ]);
      const xc = await t.login('unitxc');
      const theirs = (await xc.get('/api/my-assignments')).json<{ items: TMyAssignment[] }>().items;
      expect(theirs.map((m) => [m.standardCode, m.role, m.leadUnit.name])).toEqual([
        ['I1.1.1', 'responsible', '市文明办'],
      ]);
      // The office has no unit of its own here: no tasks; a surveyor may not ask.
      expect(
        (await office.get('/api/my-assignments')).json<{ items: TMyAssignment[] }>().items,
      ).toEqual([]);
      expect((await surveyor.get('/api/my-assignments')).statusCode).toBe(403);
    });

    it('the office adds, edits and removes single tasks; units cannot; mistakes are 4xx', async () => {
      const tr = await tree(office, versionId);
      const std = standardsOf(tr).find((x) => x.code === 'I2.1.1')!;
      const created = expectStatus(
        await office.post(`/api/framework-versions/${versionId}/assignments`, {
          standardId: std.id,
          leadUnitId: unitIds.MZ,
          responsibleUnitIds: [unitIds.CGJ, unitIds.MZ, unitIds.CGJ],
          leaderName: '赵副市长',
          dueDate: '2027-05-31',
        }),
        201,
      ).json<TAssignment>();
      expect(created).toMatchObject({
        standardCode: 'I2.1.1',
        leadUnit: { name: '市民政局' },
        responsibleUnits: [{ name: '市城市管理综合执法局' }],
        dueDate: '2027-05-31',
      });
      expect(
        (
          await office.post(`/api/framework-versions/${versionId}/assignments`, {
            standardId: std.id,
            leadUnitId: unitIds.MZ,
            responsibleUnitIds: [],
          })
        ).statusCode,
      ).toBe(409);
      const badDate = await office.post(`/api/framework-versions/${versionId}/assignments`, {
        standardId: std.id,
        leadUnitId: unitIds.WD,
        responsibleUnitIds: [],
        dueDate: '2027-02-30',
      });
      expect(badDate.statusCode).toBe(400);
      expect(badDate.body).toContain('YYYY-MM-DD');
      expect(
        (
          await office.post(`/api/framework-versions/${versionId}/assignments`, {
            standardId: std.id,
            leadUnitId: 999999,
            responsibleUnitIds: [],
          })
        ).statusCode,
      ).toBe(400);
      expect(
        (
          await office.post(`/api/framework-versions/${versionId}/assignments`, {
            standardId: tr.items[0]!.id,
            leadUnitId: unitIds.WD,
            responsibleUnitIds: [],
          })
        ).statusCode,
      ).toBe(404);
      expect(
        (
          await unitA.post(`/api/framework-versions/${versionId}/assignments`, {
            standardId: std.id,
            leadUnitId: unitIds.WD,
            responsibleUnitIds: [],
          })
        ).statusCode,
      ).toBe(403);

      const updated = expectStatus(
        await office.patch(`/api/assignments/${created.id}`, {
          version: created.version,
          responsibleUnitIds: [unitIds.XC],
          dueText: '长期坚持',
          dueDate: null,
          notes: '每月报送进展',
        }),
        200,
      ).json<TAssignment>();
      expect(updated).toMatchObject({
        responsibleUnits: [{ name: '市委宣传部' }],
        dueDate: null,
        dueText: '长期坚持',
        notes: '每月报送进展',
      });
      expect(
        (
          await office.patch(`/api/assignments/${created.id}`, {
            version: created.version,
            notes: 'x',
          })
        ).statusCode,
      ).toBe(409);
      // The task shows in 我的任务 of the unit that now shares it, and the version was not copied.
      const xc = await t.login('unitxc');
      const theirs = (await xc.get('/api/my-assignments')).json<{ items: TMyAssignment[] }>().items;
      expect(theirs.map((m) => m.standardCode)).toContain('I2.1.1');
      expect((await tree(office, versionId)).framework.draftVersionId).toBeNull();
      expect(
        (await unitA.delete(`/api/assignments/${created.id}?version=${updated.version}`))
          .statusCode,
      ).toBe(403);
      expect(
        (await office.delete(`/api/assignments/${created.id}?version=${updated.version}`))
          .statusCode,
      ).toBe(204);
      expect(
        (await office.delete(`/api/assignments/${created.id}?version=${updated.version}`))
          .statusCode,
      ).toBe(404);
    });
  });
});

// A 任务分解表 as an office sends it (server/test/framework-sheets.ts): 填表说明 first, title and
// 填报单位 lines, headers with line breaks and notes, 序号 beside 指标编号, merged cells, 小计 and
// 合计 rows, a remark without a lead unit, an unknown (hidden) 联系人 column.
describe('an office’s 任务分解表', () => {
  let versionId: number;
  const importSheet = async (file: Buffer, name: string) =>
    office.upload(
      `/api/campaigns/${campaign.id}/frameworks/import?name=${encodeURIComponent(name)}`,
      file,
      '任务分解表.xlsx',
    );
  /** The fixture's standards with their codes (or texts) changed. */
  const mapStandards = (f: (s: RealStandard, i: number) => Partial<RealStandard>): RealItem[] => {
    let i = 0;
    return REAL_SHEET_ITEMS.map((it) => ({
      ...it,
      contents: it.contents.map((c) => ({
        ...c,
        standards: c.standards.map((s) => ({ ...s, ...f(s, i++) })),
      })),
    }));
  };
  const tasksOf = async (id: number) =>
    (await assignmentsOf(office, id)).map((a) => [
      a.standardCode,
      a.leadUnit.name,
      a.responsibleUnits.map((u) => u.name),
      a.dueDate ?? a.dueText,
      a.notes,
    ]);
  const EXPECTED_TASKS = [
    ['I1.1.1', '市委宣传部', ['市文明办'], '2026-06-30', null],
    ['I1.1.2', '市文明办', ['市委宣传部', '市民政局'], '长期坚持', '按季度报送'],
    ['I1.2.1', '市城市管理综合执法局', [], '2026-09-30', null],
    ['I1.2.1', '市公安局交通警察支队', ['市城市管理综合执法局'], '每月', null],
    ['I2.1.1', '市城市管理综合执法局', ['市民政局'], '每月', null],
    ['I2.1.2', '市城市管理综合执法局', [], '2026-12-31', null],
    ['I2.2.1', '市公安局交通警察支队', ['市城市管理综合执法局'], '2026-10-31', null],
  ];

  it('imports it whole; the report lists the rows passed over, the sums checked, the columns not read', async () => {
    const { file, layout } = await realTaskSheet();
    const res = expectStatus(
      await importSheet(file, '示范市任务分解表'),
      201,
    ).json<TFrameworkImportResult>();
    expect(res).toMatchObject({ items: 2, contents: 4, standards: 8, assignments: 7 });
    versionId = res.versionId;
    const tr = await tree(office, versionId);
    expect(tr.items.map((i) => [i.code, i.text, i.children.map((c) => [c.code, c.text])])).toEqual([
      [
        'I1',
        '思想道德建设',
        [
          ['I1.1', '理论武装'],
          ['I1.2', '公益广告宣传'],
        ],
      ],
      [
        'I2',
        '城市管理与公共秩序',
        [
          ['I2.1', '市容环境'],
          ['I2.2', '交通秩序'],
        ],
      ],
    ]);
    expect(standardsOf(tr).map((s) => [s.code, s.method, s.maxScore])).toEqual([
      ['I1.1.1', 'material', 3],
      ['I1.1.2', 'material', 2],
      ['I1.2.1', 'field', 4],
      ['I1.2.2', 'field', 2],
      ['I2.1.1', 'field', 3],
      ['I2.1.2', 'field', 2],
      ['I2.2.1', 'field', 3],
      ['I2.2.2', 'survey', 2],
    ]);
    expect(tr.totals.score).toBe(21);
    // I1.2.2 has only a remark (no lead unit) and I2.2.2 nothing: no task, no error.
    expect(await tasksOf(versionId)).toEqual(EXPECTED_TASKS);
    const report = res.report!;
    expect(report.sheetName).toBe('任务分解表');
    expect(report.skippedRows.map((r) => [r.row, r.kind])).toEqual(
      layout.skipped.map((s) => [s.row, s.kind]),
    );
    expect(report.sumChecks.map((c) => [c.row, c.stated, c.ok])).toEqual(
      layout.sums.map((s) => [s.row, s.stated, true]),
    );
    expect(report.sumChecks.map((c) => c.scope)).toEqual([
      'content',
      'content',
      'item',
      'content',
      'content',
      'item',
      'all',
    ]);
    expect(report.unknownColumns).toEqual(['序号', '联系人']);
  });

  it('a 合计 that does not add up is a warning: the sheet is imported and the check says so', async () => {
    const { file, layout } = await realTaskSheet({ total: 20 });
    const res = expectStatus(
      await importSheet(file, '合计不符的任务分解表'),
      201,
    ).json<TFrameworkImportResult>();
    expect(res.standards).toBe(8);
    const wrong = res.report!.sumChecks.filter((c) => !c.ok);
    expect(wrong).toEqual([
      {
        row: layout.skipped.find((s) => s.kind === 'total')!.row,
        label: '合计',
        stated: 20,
        computed: 21,
        ok: false,
        scope: 'all',
      },
    ]);
  });

  it('the same sheet imported as the 任务分解 of the version finds each standard by its code', async () => {
    const { file, layout } = await realTaskSheet();
    const res = expectStatus(
      await office.upload(
        `/api/framework-versions/${versionId}/assignments/import`,
        file,
        't.xlsx',
      ),
      200,
    ).json<TAssignmentImportResult>();
    expect(res).toMatchObject({ versionId, assignments: 7, standards: 6, replaced: 7 });
    const skipped = res.report!.skippedRows;
    // The sums and the note, and the two standards' rows that assign nothing.
    expect(skipped.map((r) => r.row)).toEqual(
      [
        ...layout.skipped.map((s) => s.row),
        ...layout.standardRows.get('I1.2.2')!,
        ...layout.standardRows.get('I2.2.2')!,
      ].sort((a, b) => a - b),
    );
    expect(skipped.filter((r) => r.kind === 'no_assignment')).toHaveLength(2);
    expect(await tasksOf(versionId)).toEqual(EXPECTED_TASKS);
  });

  it('without a code column, by text: trailing punctuation and notes such as “（含佐证材料）” aside', async () => {
    const items = mapStandards((s, i) =>
      i === 0
        ? { text: `${s.text}(附佐证材料)` }
        : i === 1
          ? { text: s.text.replace('（含佐证材料）', '') }
          : i === 5
            ? { text: `${s.text}。` }
            : {},
    );
    const { file } = await realTaskSheet({ items, codeHeader: null });
    const res = expectStatus(
      await office.upload(
        `/api/framework-versions/${versionId}/assignments/import`,
        file,
        't.xlsx',
      ),
      200,
    ).json<TAssignmentImportResult>();
    expect(res).toMatchObject({ assignments: 7, standards: 6 });
    // 序号 was the only code-like column, and it merely counts rows: not read as codes.
    expect(res.report!.unknownColumns).toEqual(['序号', '联系人']);
    expect(await tasksOf(versionId)).toEqual(EXPECTED_TASKS);

    const unknown = mapStandards((s, i) => (i === 2 ? { text: '这一条不在体系里' } : {}));
    const bad = await office.upload(
      `/api/framework-versions/${versionId}/assignments/import`,
      (await realTaskSheet({ items: unknown, codeHeader: null })).file,
      't.xlsx',
    );
    expect(bad.statusCode).toBe(422);
    expect(rowsOf(bad).rows.map((r) => [r.column, r.reason.split(' / ')[0]])).toEqual([
      ['标准', '找不到内容为“这一条不在体系里”的标准，请填写标准编号或核对标准内容'],
      ['标准', '找不到内容为“这一条不在体系里”的标准，请填写标准编号或核对标准内容'],
    ]);
  });

  it('keeps codes as written (letters, case, dashes), numbers within the content, full width folded', async () => {
    const codes = ['A-1-1', 'a-1-2', 'A-2-1', 'A-2-2', 'Ｉ２．１．１', '（2）', '2.2.1、', '2.2.2'];
    const { file } = await realTaskSheet({ items: mapStandards((_, i) => ({ code: codes[i]! })) });
    const res = expectStatus(
      await importSheet(file, '编号照录的任务分解表'),
      201,
    ).json<TFrameworkImportResult>();
    const tr = await tree(office, res.versionId);
    expect(tr.items.map((i) => [i.code, i.children.map((c) => c.code)])).toEqual([
      ['A', ['A-1', 'A-2']],
      ['I2', ['I2.1', '2.2']],
    ]);
    expect(standardsOf(tr).map((s) => s.code)).toEqual([
      'A-1-1',
      'a-1-2',
      'A-2-1',
      'A-2-2',
      'I2.1.1',
      'I2.1.2',
      '2.2.1',
      '2.2.2',
    ]);
    // A task sheet finds them in any case and width.
    const sheet = await workbook([
      ['', '', 'A-1-2', '', '', '', '城管局'],
      ['', '', 'Ａ－２－１', '', '', '', '文明办'],
      ['', '', 'i2.1.2', '', '', '', '宣传部'],
    ]);
    const out = expectStatus(
      await office.upload(
        `/api/framework-versions/${res.versionId}/assignments/import`,
        sheet,
        't.xlsx',
      ),
      200,
    ).json<TAssignmentImportResult>();
    expect(out.assignments).toBe(3);
    expect((await assignmentsOf(office, res.versionId)).map((a) => a.standardCode)).toEqual([
      'a-1-2',
      'A-2-1',
      'I2.1.2',
    ]);
  });

  it('reads the other header names offices use', async () => {
    const file = await workbook(
      [
        [
          '1',
          '思想道德建设',
          '理论武装',
          '有年度学习计划',
          '材料审核',
          '3分',
          '宣传部',
          '文明办',
          '张副市长',
          '2026年6月底',
          '按月报送',
        ],
        ['2', '', '', '基层宣讲', '材料审核', 2, '', '', '', '', '待定'],
      ],
      {
        headers: [
          '测评标准\n编号',
          '项目名称',
          '测评内容',
          '具体标准',
          '考核方式',
          '标准分',
          '主责单位',
          '协办单位',
          '分管领导',
          '时间节点',
          '说明',
        ],
      },
    );
    const res = expectStatus(
      await importSheet(file, '别名表头'),
      201,
    ).json<TFrameworkImportResult>();
    expect(res).toMatchObject({ items: 1, contents: 1, standards: 2, assignments: 1 });
    expect(standardsOf(await tree(office, res.versionId)).map((s) => s.code)).toEqual([
      'I1.1.1',
      'I1.1.2',
    ]);
    expect(await tasksOf(res.versionId)).toEqual([
      ['I1.1.1', '市委宣传部', ['市文明办'], '2026-06-30', '按月报送'],
    ]);
    expect(res.report!.unknownColumns).toEqual([]);
  });
});

// Rows and cells found by probing the sample sheets (docs/samples): headings written where a
// standard would be, month-only deadlines, one column for 测评说明 and 佐证材料.
describe('headings under 序号 or 测评标准, month deadlines, a 测评说明/佐证材料 column', () => {
  let versionId: number;
  const FW_HEADERS = [
    '序号',
    '测评项目',
    '测评内容',
    '测评标准',
    '测评方法',
    '分值',
    '牵头单位',
    '完成时限',
    '测评说明/佐证材料',
  ];
  const fwRows = (due: string): Cell[][] => [
    // Row 2: a heading merged across from 序号; row 5: one in 测评标准.
    ['一、思想道德建设（5分）'],
    [1, '', '理论武装', '有年度学习计划', '材料审核', 3, '宣传部', due, '学习计划\n学习记录'],
    [2, '', '', '基层宣讲', '材料审核', 2, '文明办', '2026-09', ''],
    ['', '', '', '二、城市管理（3分）'],
    [3, '', '市容环境', '无占道经营', '实地考察', 3, '城管局', '2026.12', '现场照片'],
  ];
  const importFw = async (rows: Cell[][], name: string) =>
    office.upload(
      `/api/campaigns/${campaign.id}/frameworks/import?name=${encodeURIComponent(name)}`,
      await workbook(rows, { headers: FW_HEADERS, merges: ['A2:I2'] }),
      '测评体系.xlsx',
    );

  it('a framework sheet: headings open their items and their sums are checked', async () => {
    const res = expectStatus(
      await importFw(fwRows('2026年6月'), '标题行与月份时限'),
      201,
    ).json<TFrameworkImportResult>();
    expect(res).toMatchObject({ items: 2, contents: 2, standards: 3, assignments: 3 });
    versionId = res.versionId;
    const tr = await tree(office, versionId);
    expect(tr.items.map((i) => [i.code, i.text, i.children.map((c) => c.text)])).toEqual([
      ['I1', '思想道德建设', ['理论武装']],
      ['I2', '城市管理', ['市容环境']],
    ]);
    // The combined column is the evidence (the sheet has no 佐证材料 column of its own).
    expect(standardsOf(tr).map((s) => [s.code, s.guidance, s.evidence])).toEqual([
      ['I1.1.1', null, ['学习计划', '学习记录']],
      ['I1.1.2', null, []],
      ['I2.1.1', null, ['现场照片']],
    ]);
    expect(
      (await assignmentsOf(office, versionId)).map((a) => [a.standardCode, a.dueDate]),
    ).toEqual([
      ['I1.1.1', '2026-06-30'],
      ['I1.1.2', '2026-09-30'],
      ['I2.1.1', '2026-12-31'],
    ]);
    const report = res.report!;
    expect(report.skippedRows.map((s) => [s.row, s.kind])).toEqual([
      [2, 'heading'],
      [5, 'heading'],
    ]);
    expect(report.sumChecks.map((c) => [c.row, c.label, c.scope, c.computed, c.ok])).toEqual([
      [2, '一、思想道德建设（5分）', 'item', 5, true],
      [5, '二、城市管理（3分）', 'item', 3, true],
    ]);
    // 序号 only counts the rows: kept with the standards, not read as a code.
    expect(report.unknownColumns).toEqual(['序号']);
  });

  it('a month that does not exist is still a bad date', async () => {
    const res = await importFw(fwRows('2026年13月'), '不存在的月份');
    expect(res.statusCode).toBe(422);
    expect(rowsOf(res).rows.map((r) => [r.row, r.column, r.reason.split(' / ')[0]])).toEqual([
      [3, '时限', '时限“2026年13月”不是有效日期'],
    ]);
  });

  it('beside a 佐证材料 column the combined column is kept as one of the sheet’s other columns', async () => {
    const headers = [...FW_HEADERS.slice(0, -1), '测评说明/佐证材料', '佐证材料'];
    const res = expectStatus(
      await office.upload(
        `/api/campaigns/${campaign.id}/frameworks/import?name=${encodeURIComponent('两列佐证')}`,
        await workbook(
          [['', '理论', '理论武装', '有年度学习计划', '材料', 3, '', '', '查看计划', '学习计划']],
          { headers },
        ),
        '测评体系.xlsx',
      ),
      201,
    ).json<TFrameworkImportResult>();
    expect(res.report!.unknownColumns).toEqual(['序号', '测评说明/佐证材料']);
    const [s] = standardsOf(await tree(office, res.versionId));
    expect(s).toMatchObject({
      guidance: null,
      evidence: ['学习计划'],
      extra: { '测评说明/佐证材料': '查看计划' },
    });
  });

  it('a task sheet passes its headings over, in 序号 or in 测评标准', async () => {
    const sheet = (due: string) =>
      workbook(
        [
          ['一、思想道德建设（5分）'],
          [1, 'I1.1.1', '有年度学习计划', '文明办', '2026/6'],
          ['', '', '二、城市管理（3分）'],
          [2, '', '无占道经营', '城管局', due],
        ],
        { headers: ['序号', '标准编号', '测评标准', '牵头单位', '完成时限'], merges: ['A2:E2'] },
      );
    const bad = await office.upload(
      `/api/framework-versions/${versionId}/assignments/import`,
      await sheet('2026年13月'),
      't.xlsx',
    );
    expect(bad.statusCode).toBe(422);
    expect(rowsOf(bad).rows.map((r) => [r.row, r.column])).toEqual([[5, '时限']]);

    const res = expectStatus(
      await office.upload(
        `/api/framework-versions/${versionId}/assignments/import`,
        await sheet('2026年12月'),
        't.xlsx',
      ),
      200,
    ).json<TAssignmentImportResult>();
    expect(res).toMatchObject({ assignments: 2, standards: 2, replaced: 3 });
    expect(res.report!.skippedRows.map((s) => [s.row, s.kind])).toEqual([
      [2, 'heading'],
      [4, 'heading'],
    ]);
    // Checked once the import is given the standards' scores; none may be wrong.
    expect(res.report!.sumChecks.filter((c) => !c.ok)).toEqual([]);
    expect(
      (await assignmentsOf(office, versionId)).map((a) => [
        a.standardCode,
        a.leadUnit.name,
        a.dueDate,
      ]),
    ).toEqual([
      ['I1.1.1', '市文明办', '2026-06-30'],
      ['I2.1.1', '市城市管理综合执法局', '2026-12-31'],
    ]);
  });
});
