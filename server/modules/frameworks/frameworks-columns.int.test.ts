import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  TAssignment,
  TCampaign,
  TFramework,
  TFrameworkImportResult,
  TFrameworkTree,
  TFrameworkWriteResult,
} from '../../../core/contracts/frameworks.js';
import { buildUser } from '../../test/factories.js';
import { insertSheetUnits, realTaskSheet } from '../../test/framework-sheets.js';
import { createCampaign, expectStatus, standardsOf, tree } from '../../test/frameworks-kit.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';

// Every column kept (issue #18): a sheet's 备注 and the columns the import does not read (序号
// counting rows, a hidden 联系人) are stored — on the standard for rows without a lead unit, on the
// assignment for rows with one — shown in the tree and the assignment list, exported again (XLSX
// and JSON), and copied with a version.

let t: TestApp;
let office: Agent;
let campaign: TCampaign;

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  await insertSheetUnits(db, 'COL');
  await buildUser(db, { username: 'office1', roles: ['office'] });
  office = await t.login('office1');
  campaign = await createCampaign(office, '备注与其他列测试周期');
});
afterAll(() => t.close());

const importFramework = async (file: Buffer, name: string, filename = '任务分解表.xlsx') =>
  expectStatus(
    await office.upload(
      `/api/campaigns/${campaign.id}/frameworks/import?name=${encodeURIComponent(name)}`,
      file,
      filename,
    ),
    201,
  ).json<TFrameworkImportResult>();
const assignmentsOf = async (versionId: number) =>
  expectStatus(await office.get(`/api/framework-versions/${versionId}/assignments`), 200).json<{
    items: TAssignment[];
  }>().items;

/** Each standard's code, 备注 and other columns. */
const standardColumns = (tr: TFrameworkTree) =>
  standardsOf(tr).map((s) => [s.code, s.notes, s.extra]);
/** Each assignment's standard, lead unit, 备注 and other columns. */
const taskColumns = async (versionId: number) =>
  (await assignmentsOf(versionId)).map((a) => [a.standardCode, a.leadUnit.name, a.notes, a.extra]);

const STANDARDS = [
  ['I1.1.1', null, {}],
  ['I1.1.2', null, {}],
  ['I1.2.1', null, {}],
  // A remark without a lead unit, and the 序号 of its row: the standard's.
  ['I1.2.2', '由市文明办统筹，牵头单位待定', { 序号: '4' }],
  ['I2.1.1', null, {}],
  ['I2.1.2', null, {}],
  ['I2.2.1', null, {}],
  ['I2.2.2', null, { 序号: '8' }],
];
const TASKS = [
  ['I1.1.1', '市委宣传部', null, { 序号: '1', 联系人: '李明 13800000001' }],
  ['I1.1.2', '市文明办', '按季度报送', { 序号: '2', 联系人: '王芳' }],
  // One standard over two rows, its 序号 merged down: read on both.
  ['I1.2.1', '市城市管理综合执法局', null, { 序号: '3' }],
  ['I1.2.1', '市公安局交通警察支队', null, { 序号: '3' }],
  ['I2.1.1', '市城市管理综合执法局', null, { 序号: '5', 联系人: '赵强' }],
  ['I2.1.2', '市城市管理综合执法局', null, { 序号: '6' }],
  ['I2.2.1', '市公安局交通警察支队', null, { 序号: '7' }],
];
/** After the office writes a remark on I1.1.1, a standard with a task. */
const withRemark = (rows: typeof STANDARDS) =>
  rows.map((r) => (r[0] === 'I1.1.1' ? ['I1.1.1', '全年持续推进', {}] : r));

describe('every column kept', () => {
  let framework: TFrameworkImportResult;
  let xlsx: Buffer;
  let json: Buffer;

  it('an office’s 任务分解表: the remark and the unknown columns are in the tree and the tasks', async () => {
    const { file } = await realTaskSheet();
    framework = await importFramework(file, '备注与其他列');
    expect(framework.report!.unknownColumns).toEqual(['序号', '联系人']);
    const tr = await tree(office, framework.versionId);
    expect(standardColumns(tr)).toEqual(STANDARDS);
    // Items and contents carry none.
    expect(tr.items.flatMap((i) => [i, ...i.children]).map((n) => [n.notes, n.extra])).toEqual(
      Array.from({ length: 6 }, () => [null, {}]),
    );
    expect(await taskColumns(framework.versionId)).toEqual(TASKS);
  });

  it('the sheet imported as the version’s 任务分解 gives the tasks their columns too', async () => {
    const { file } = await realTaskSheet();
    expectStatus(
      await office.upload(
        `/api/framework-versions/${framework.versionId}/assignments/import`,
        file,
        't.xlsx',
      ),
      200,
    );
    expect(await taskColumns(framework.versionId)).toEqual(TASKS);
    // That import never changes the framework: the standards keep theirs.
    expect(standardColumns(await tree(office, framework.versionId))).toEqual(STANDARDS);
  });

  it('the standard’s 备注 is edited like its other fields (standards only, 500 characters)', async () => {
    const tr = await tree(office, framework.versionId);
    const s = standardsOf(tr).find((x) => x.code === 'I1.1.1')!;
    const url = `/api/framework-versions/${framework.versionId}/nodes`;
    const res = expectStatus(
      await office.patch(`${url}/${s.id}`, { notes: ' 全年持续推进 ', version: s.version }),
      200,
    ).json<TFrameworkWriteResult>();
    expect(res.forked).toBe(false);
    const item = tr.items[0]!;
    expectStatus(await office.patch(`${url}/${item.id}`, { notes: '项目备注', version: 1 }), 400);
    expectStatus(
      await office.patch(`${url}/${s.id}`, { notes: 'x'.repeat(501), version: s.version + 1 }),
      400,
    );
    // An emptied remark is no remark.
    const other = standardsOf(tr).find((x) => x.code === 'I1.1.2')!;
    expectStatus(
      await office.patch(`${url}/${other.id}`, { notes: '', version: other.version }),
      200,
    );
    const after = await tree(office, framework.versionId);
    expect(standardColumns(after)).toEqual(withRemark(STANDARDS));
    // The extra columns are not edited through the node (unknown keys are not taken).
    expect(standardsOf(after).find((x) => x.code === 'I1.2.2')!.extra).toEqual({ 序号: '4' });
  });

  it('exports them: 备注 then one column per header, in the sheet’s order', async () => {
    const res = expectStatus(
      await office.get(`/api/framework-versions/${framework.versionId}/export.xlsx`),
      200,
    );
    xlsx = Buffer.from(res.rawPayload);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(-3)).toEqual(['备注', '序号', '联系人']);
    const col = (h: string) => header.indexOf(h) + 1;
    const rows: [string, string, string, string, string][] = [];
    for (let r = 2; r <= ws.rowCount; r++) {
      const cell = (h: string) => {
        const v = ws.getRow(r).getCell(col(h)).value;
        return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
      };
      rows.push([cell('标准编号'), cell('牵头单位'), cell('备注'), cell('序号'), cell('联系人')]);
    }
    expect(rows).toEqual([
      // A standard with a remark and a task: its own row (no lead unit) first, then the task's.
      ['I1.1.1', '', '全年持续推进', '', ''],
      ['I1.1.1', '市委宣传部', '', '1', '李明 13800000001'],
      ['I1.1.2', '市文明办', '按季度报送', '2', '王芳'],
      ['I1.2.1', '市城市管理综合执法局', '', '3', ''],
      ['I1.2.1', '市公安局交通警察支队', '', '3', ''],
      ['I1.2.2', '', '由市文明办统筹，牵头单位待定', '4', ''],
      ['I2.1.1', '市城市管理综合执法局', '', '5', '赵强'],
      ['I2.1.2', '市城市管理综合执法局', '', '6', ''],
      ['I2.2.1', '市公安局交通警察支队', '', '7', ''],
      ['I2.2.2', '', '', '8', ''],
    ]);
  });

  it('the export imported again as a new framework gives the same remarks and columns', async () => {
    const again = await importFramework(xlsx, '备注与其他列（再导入）');
    expect(again).toMatchObject({ standards: 8, assignments: 7 });
    expect(again.report!.unknownColumns).toEqual(['序号', '联系人']);
    expect(again.report!.skippedRows).toEqual([]);
    expect(standardColumns(await tree(office, again.versionId))).toEqual(withRemark(STANDARDS));
    expect(await taskColumns(again.versionId)).toEqual(TASKS);
  });

  it('the JSON file carries a standard’s remark and columns, and reads them back', async () => {
    const res = expectStatus(
      await office.get(`/api/framework-versions/${framework.versionId}/export.json`),
      200,
    );
    const doc = res.json<{
      items: { contents: { standards: Record<string, unknown>[] }[] }[];
    }>();
    const byCode = new Map(
      doc.items.flatMap((i) => i.contents.flatMap((c) => c.standards)).map((s) => [s.code, s]),
    );
    expect(byCode.get('I1.2.2')).toMatchObject({
      notes: '由市文明办统筹，牵头单位待定',
      extra: { 序号: '4' },
    });
    expect(byCode.get('I1.1.2')).not.toHaveProperty('notes');
    expect(byCode.get('I1.1.2')).not.toHaveProperty('extra');
    json = Buffer.from(JSON.stringify({ ...doc, meta: { name: '备注与其他列（JSON）' } }));
    const again = await importFramework(json, '备注与其他列（JSON）', 'f.json');
    expect(standardColumns(await tree(office, again.versionId))).toEqual(withRemark(STANDARDS));
  });

  it('a new version copies them: the task columns carried at publish, everything on a copy', async () => {
    const fw = () =>
      office.get(`/api/frameworks/${framework.frameworkId}`).then((r) => r.json<TFramework>());
    const v1 = (await fw()).versions[0]!;
    expectStatus(
      await office.post(`/api/framework-versions/${v1.id}/publish`, { version: v1.version }),
      200,
    );
    // The JSON file has no 任务分解: the version in force's tasks come along at publish.
    const v2 = expectStatus(
      await office.upload(`/api/frameworks/${framework.frameworkId}/import`, json, 'v2.json'),
      201,
    ).json<TFrameworkImportResult>();
    const d2 = (await fw()).versions.find((v) => v.id === v2.versionId)!;
    expectStatus(
      await office.post(`/api/framework-versions/${v2.versionId}/publish`, {
        version: d2.version,
      }),
      200,
    );
    expect(await taskColumns(v2.versionId)).toEqual(TASKS);
    // Editing the version in force copies it into a new draft, with its remarks and columns.
    const s = standardsOf(await tree(office, v2.versionId)).find((x) => x.code === 'I2.2.2')!;
    const edit = expectStatus(
      await office.patch(`/api/framework-versions/${v2.versionId}/nodes/${s.id}`, {
        notes: '问卷由第三方实施',
        version: s.version,
      }),
      200,
    ).json<TFrameworkWriteResult>();
    expect(edit.forked).toBe(true);
    expect(standardColumns(await tree(office, edit.versionId))).toEqual(
      withRemark(STANDARDS).map((r) =>
        r[0] === 'I2.2.2' ? ['I2.2.2', '问卷由第三方实施', { 序号: '8' }] : r,
      ),
    );
    expect(await taskColumns(edit.versionId)).toEqual(TASKS);
  });
});
