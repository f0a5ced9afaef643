import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  TAssignment,
  TAssignmentImportResult,
  TCampaign,
  TFrameworkImportResult,
} from '../../../core/contracts/frameworks.js';
import {
  buildSamples,
  FRAMEWORK_SAMPLE,
  SAMPLES_DIR,
  TASK_SAMPLE,
} from '../../../scripts/make-samples.js';
import { DEMO_PASSWORD } from '../../db/seed/demo-city.data.js';
import { seedDemoCity } from '../../db/seed/demo-city.js';
import { seedDemoFramework } from '../../db/seed/demo-framework.js';
import { expectStatus, standardsOf, tree } from '../../test/frameworks-kit.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';

// The sample sheets of docs/samples/ (issue #18): what scripts/make-samples.ts writes is what is
// committed, and both import into the demo city as they are — the 测评体系 with its 任务分解 as a
// new framework, the 任务分解表 onto the demo framework's version in force.

const frameworkFile = fs.readFileSync(path.join(SAMPLES_DIR, FRAMEWORK_SAMPLE));
const taskFile = fs.readFileSync(path.join(SAMPLES_DIR, TASK_SAMPLE));

/** The rows of a sample's data sheet with a cell (any column) whose text passes `test`. */
async function rowsWhere(
  file: Buffer,
  sheet: string,
  test: (text: string) => boolean,
): Promise<number[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file as unknown as ArrayBuffer);
  const ws = wb.getWorksheet(sheet)!;
  const out: number[] = [];
  ws.eachRow((row, n) => {
    let hit = false;
    row.eachCell((c) => {
      if (!c.isMerged || c.master === c) hit ||= typeof c.value === 'string' && test(c.value);
    });
    if (hit) out.push(n);
  });
  return out;
}

let t: TestApp;
let office: Agent;
let campaign: TCampaign;
let seededAssignments: number;

beforeAll(async () => {
  t = await createTestApp();
  await seedDemoCity(t.database);
  seededAssignments = (await seedDemoFramework(t.database)).assignments;
  office = await t.login('office', DEMO_PASSWORD);
  campaign = (await office.get('/api/campaigns')).json<{ items: TCampaign[] }>().items[0]!;
});
afterAll(() => t.close());

describe('sample sheets in docs/samples', () => {
  it('are what scripts/make-samples.ts writes', async () => {
    const built = await buildSamples();
    expect(built.map((s) => s.name)).toEqual([FRAMEWORK_SAMPLE, TASK_SAMPLE]);
    // Run `npx tsx scripts/make-samples.ts` after changing the script or demo-framework.json.
    expect(built[0]!.body.equals(frameworkFile)).toBe(true);
    expect(built[1]!.body.equals(taskFile)).toBe(true);
  });

  it('the 测评体系与任务分解表 imports as a new framework: 7 items, 21 contents, 40 standards, 42 tasks', async () => {
    const res = await office.upload(
      `/api/campaigns/${campaign.id}/frameworks/import?name=${encodeURIComponent('示范市测评体系（样例）')}`,
      frameworkFile,
      FRAMEWORK_SAMPLE,
    );
    const r = expectStatus(res, 201).json<TFrameworkImportResult>();
    expect(r).toMatchObject({
      versionNumber: 1,
      items: 7,
      contents: 21,
      standards: 40,
      negativeItems: 0,
      // Two standards have two lead units, each on its own row.
      assignments: 42,
    });
    const report = r.report!;
    expect(report.sheetName).toBe('测评体系任务分解表');
    expect(report.unknownColumns).toEqual([]);

    // Passed over: one 小计 per content, the 合计 and the 注： line below it.
    const subtotals = await rowsWhere(frameworkFile, '测评体系任务分解表', (x) => x === '小计');
    const [total] = await rowsWhere(frameworkFile, '测评体系任务分解表', (x) => x === '合计');
    expect(subtotals).toHaveLength(21);
    expect(report.skippedRows.map((s) => [s.row, s.kind])).toEqual([
      ...subtotals.map((row) => [row, 'subtotal']),
      [total, 'total'],
      [total! + 1, 'note'],
    ]);
    // Every sum the sheet states adds up: the items' "（18分）", each 小计, the 合计 of 100.
    expect(report.sumChecks).toHaveLength(7 + 21 + 1);
    expect(report.sumChecks.filter((c) => !c.ok)).toEqual([]);
    expect(report.sumChecks.filter((c) => c.scope === 'item')).toHaveLength(7);
    expect(report.sumChecks.at(-1)).toMatchObject({ scope: 'all', stated: 100, computed: 100 });

    // The tree matches the demo framework, guidance and evidence included.
    const standards = standardsOf(await tree(office, r.versionId));
    expect(standards).toHaveLength(40);
    expect(standards.reduce((a, s) => a + (s.maxScore ?? 0), 0)).toBe(100);
    expect(standards[0]).toMatchObject({
      code: 'I1.1.1',
      method: 'material',
      maxScore: 5,
      guidance: '查看年度学习计划及学习记录，计划须于当年3月底前印发',
      evidence: ['理论学习中心组年度学习计划', '学习记录、会议纪要及照片'],
    });

    // The tasks, with units written as offices write them.
    const tasks = expectStatus(
      await office.get(`/api/framework-versions/${r.versionId}/assignments`),
      200,
    ).json<{ items: TAssignment[] }>().items;
    expect(tasks).toHaveLength(42);
    const of = (code: string) => tasks.filter((a) => a.standardCode === code);
    expect(of('I4.1.2').map((a) => [a.leadUnit.name, a.dueText, a.notes])).toEqual([
      ['市公安局交通警察支队', '长期坚持', '机动车、非机动车停放秩序'],
      ['市城市管理综合执法局', '每月', '共享单车停放及企业调度'],
    ]);
    expect(of('I1.2.1')[0]).toMatchObject({
      leadUnit: { name: '市委宣传部' },
      leaderName: '李分管',
      dueDate: '2026-06-30',
      dueText: null,
      notes: '新增固定式公益广告6月底前全部到位',
    });
    expect(of('I1.2.1')[0]!.responsibleUnits.map((u) => u.name)).toEqual([
      '市城市管理综合执法局',
      '市住房和城乡建设局',
      '东湖区人民政府',
      '西城区人民政府',
      '南山区人民政府',
    ]);
    expect(of('I2.1.1')[0]!.dueDate).toBe('2026-09-30'); // an Excel date cell
    expect(of('I2.3.2')[0]!.dueDate).toBe('2026-09-30'); // written as text
    expect(of('I2.2.1')[0]!.dueDate).toBe('2026-12-31');
    expect(of('I2.1.2')[0]!.dueText).toBe('每月');
  });

  it('the 任务分解表 replaces the 任务分解 of the demo framework in force', async () => {
    const versionId = campaign.frameworks[0]!.currentVersionId!;
    const res = await office.upload(
      `/api/framework-versions/${versionId}/assignments/import`,
      taskFile,
      TASK_SAMPLE,
    );
    expect([200, 201]).toContain(res.statusCode);
    const r = res.json<TAssignmentImportResult>();
    expect(r).toMatchObject({
      versionId,
      assignments: 42,
      standards: 40,
      replaced: seededAssignments,
    });
    const report = r.report!;
    expect(report.sheetName).toBe('任务分解');
    // 序号 only counts the rows: kept with each task, not read as a code.
    expect(report.unknownColumns).toEqual(['序号']);
    // The seven headings ("一、思想引领与价值培育（18分）") across the row are passed over.
    const headings = await rowsWhere(taskFile, '任务分解', (x) => /^[一二三四五六七]、/.test(x));
    expect(headings).toHaveLength(7);
    expect(report.skippedRows.map((s) => s.row)).toEqual(headings);
    for (const s of report.skippedRows) expect(['heading', 'blank']).toContain(s.kind);

    const tasks = expectStatus(
      await office.get(`/api/framework-versions/${versionId}/assignments`),
      200,
    ).json<{ items: TAssignment[] }>().items;
    expect(tasks).toHaveLength(42);
    // Found by its text alone, "（含佐证材料）" and all.
    expect(tasks.filter((a) => a.standardCode === 'I7.2.1')).toMatchObject([
      { leadUnit: { name: '市文明办' }, dueDate: '2026-03-31', notes: '任务分解表每年年初修订' },
    ]);
    expect(tasks.filter((a) => a.standardCode === 'I7.1.1').map((a) => a.leadUnit.name)).toEqual([
      '市教育局',
      '市公安局',
    ]);
  });

  // Probing the samples: headings moved into 测评标准, month deadlines, one column for 测评说明 and
  // 佐证材料 — what offices do to them.
  const edited = async (file: Buffer, sheet: string, edit: (ws: ExcelJS.Worksheet) => void) => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file as unknown as ArrayBuffer);
    edit(wb.getWorksheet(sheet)!);
    return Buffer.from(await wb.xlsx.writeBuffer());
  };

  it('the 任务分解表’s headings are headings, under 序号 as written or moved into 测评标准', async () => {
    const versionId = campaign.frameworks[0]!.currentVersionId!;
    const headings = await rowsWhere(taskFile, '任务分解', (x) => /^[一二三四五六七]、/.test(x));
    const moved = await edited(taskFile, '任务分解', (ws) => {
      for (const row of headings) {
        const text = ws.getCell(row, 1).value;
        ws.unMergeCells(row, 1, row, 8);
        ws.getCell(row, 1).value = null;
        ws.getCell(row, 3).value = text;
      }
    });
    for (const file of [taskFile, moved]) {
      const res = await office.upload(
        `/api/framework-versions/${versionId}/assignments/import`,
        file,
        TASK_SAMPLE,
      );
      expect([200, 201]).toContain(res.statusCode);
      const r = res.json<TAssignmentImportResult>();
      expect(r).toMatchObject({ assignments: 42, standards: 40 });
      expect(r.report!.skippedRows.map((s) => [s.row, s.kind])).toEqual(
        headings.map((row) => [row, 'heading']),
      );
      // "（18分）" and the like add up (checked when the import has the standards' scores).
      expect(r.report!.sumChecks.filter((c) => !c.ok)).toEqual([]);
    }
  });

  it('the 测评体系 with month deadlines and one 测评说明/佐证材料 column imports the same', async () => {
    const sheet = '测评体系任务分解表';
    const [header] = await rowsWhere(frameworkFile, sheet, (x) => x === '佐证材料');
    const months = ['2026年6月', '2026-06', '2026.6', '2026/6'];
    let n = 0;
    const file = await edited(frameworkFile, sheet, (ws) => {
      // No 佐证材料 column: the combined one instead (beside 测评说明, as some offices head it).
      ws.getCell(header!, 12).value = '测评说明/佐证材料';
      ws.eachRow((row) => {
        const c = row.getCell(10);
        if (c.value === '2026年6月底') c.value = months[n++ % months.length]!;
      });
    });
    expect(n).toBeGreaterThanOrEqual(months.length);
    const res = await office.upload(
      `/api/campaigns/${campaign.id}/frameworks/import?name=${encodeURIComponent('样例（改）')}`,
      file,
      FRAMEWORK_SAMPLE,
    );
    const r = expectStatus(res, 201).json<TFrameworkImportResult>();
    expect(r).toMatchObject({ items: 7, contents: 21, standards: 40, assignments: 42 });
    expect(r.report!.sumChecks.filter((c) => !c.ok)).toEqual([]);
    const standards = standardsOf(await tree(office, r.versionId));
    expect(standards[0]).toMatchObject({
      code: 'I1.1.1',
      evidence: ['理论学习中心组年度学习计划', '学习记录、会议纪要及照片'],
    });
    const tasks = expectStatus(
      await office.get(`/api/framework-versions/${r.versionId}/assignments`),
      200,
    ).json<{ items: TAssignment[] }>().items;
    // Every "2026年6月底" of the sample, written as a month alone, is still the end of June.
    expect(tasks.filter((a) => a.dueDate === '2026-06-30')).toHaveLength(n);
    expect(tasks.filter((a) => a.standardCode === 'I1.2.1')[0]!.dueDate).toBe('2026-06-30');
  });
});
