import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumPath,
  confirmModal,
  keepFailures,
  openPages,
  pickOption,
  releaseBrowser,
  ROOT,
  type RunningServer,
  settled,
  sharedBrowser,
  signIn,
  snap,
  startServer,
} from './harness.js';

// The office imports its own 任务分解表 through the preview: the sample sheet from docs/samples
// with three slips an office makes (a unit written 市场监督局, a 发改委 the directory lacks, a
// method nobody knows) and two collective parties (各街道（乡镇）, 各物业公司). The preview names them;
// the office settles the names in place — an alias, a new unit, two 集体责任方 — downloads the error
// sheet, imports the clean rows, and the publish dialog shows what the version holds.

const exe = chromiumPath();
const SAMPLE = `${ROOT}/docs/samples/测评体系与任务分解表-样例.xlsx`;

/** The sample with the slips written into its first three standard rows. */
async function sheetWithSlips(): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(SAMPLE);
  const ws = wb.worksheets.find((w) => w.name !== '填表说明')!;
  let headerRow = 0;
  const col: Record<string, number> = {};
  ws.eachRow((row, r) => {
    if (headerRow) return;
    row.eachCell((c, at) => {
      const v = c.text;
      if (v.startsWith('牵头单位')) col.lead = at;
      if (v.startsWith('测评方法')) col.method = at;
      if (v.startsWith('标准编号')) col.code = at;
      if (v.startsWith('责任单位')) col.responsible = at;
    });
    if (col.lead && col.method && col.code) headerRow = r;
  });
  const rows: number[] = [];
  for (let r = headerRow + 1; rows.length < 5; r++) {
    if (/^I\d/.test(ws.getCell(r, col.code).text)) rows.push(r);
  }
  ws.getCell(rows[0]!, col.lead).value = '市场监督局';
  ws.getCell(rows[1]!, col.lead).value = '发改委';
  ws.getCell(rows[2]!, col.method).value = '随机抽查';
  // Collective parties, as real decompositions name them constantly.
  ws.getCell(rows[3]!, col.lead).value = '各街道（乡镇）';
  ws.getCell(rows[4]!, col.responsible).value = '各物业公司、市文明办';
  const file = path.join(
    fs.mkdtempSync(path.join(os.tmpdir(), 'cc-e2e-sheet-')),
    '任务分解表.xlsx',
  );
  await wb.xlsx.writeFile(file);
  return file;
}

describe.runIf(exe)('the office imports its own 任务分解表 through the preview', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let file: string;
  keepFailures('framework-import-preview', () => ({ pages: openPages(browser), server }));

  beforeAll(async () => {
    file = await sheetWithSlips();
    server = await startServer({ SEED: 'demo' });
    browser = await sharedBrowser(exe!);
    const ctx = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      acceptDownloads: true,
    });
    page = await ctx.newPage();
  });
  afterAll(async () => {
    await releaseBrowser(browser);
    await server?.stop();
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });

  it('reads the sheet first and names every slip, with the closest unit', async () => {
    await signIn(page, server.url, 'office');
    await page.click('.ant-menu >> text=体系编辑');
    await page.waitForSelector('[data-testid=version-banner]');
    await page.click('[data-testid=framework-import]');
    await page.fill('#framework-import-name', '示范市任务分解表（预览导入）');
    await page.setInputFiles('.ant-modal input[type=file]', file);
    await page.waitForSelector('[data-testid=import-preview-issues]');
    const issues = await page.locator('[data-testid=import-preview-issues]').innerText();
    expect(issues).toContain('单位“发改委”不存在');
    expect(issues).toContain('无法识别的测评方法“随机抽查”');
    const units = await page.locator('[data-testid=import-preview-units]').innerText();
    expect(units).toContain('市场监督局');
    expect(units).toContain('是“市市场监督管理局”');
    expect(await page.locator('#framework-import-ok').innerText()).toContain(
      '仅导入无误的行（5 行除外）',
    );
    expect(units).toContain('设为集体责任方');
    await settled(page);
    await snap(page, 'import-01-preview.png');
  });

  it('settles every name in place: an alias, a new unit, two collective parties', async () => {
    await page.click('button:has-text("是“市市场监督管理局”")');
    await expect
      .poll(() => page.locator('#framework-import-ok').innerText())
      .toContain('仅导入无误的行（4 行除外）');
    await page.click('[data-testid=import-preview-units] button:has-text("新建单位")');
    await page.waitForSelector('#create-unit-code');
    expect(await page.inputValue('#create-unit-name')).toBe('发改委');
    await page.fill('#create-unit-name', '市发展和改革委员会');
    await page.fill('#create-unit-code', 'FGW');
    // The full name is the unit's; 发改委, as the sheet writes it, becomes its alias.
    await confirmModal(page, page.locator('.ant-modal:has(#create-unit-ok)'));
    await expect
      .poll(() => page.locator('#framework-import-ok').innerText())
      .toContain('仅导入无误的行（3 行除外）');

    // 各街道（乡镇）: every street office, as proposed.
    await page.click('[data-testid="propose-各街道（乡镇）"]');
    await page.waitForSelector('text=设为集体责任方：各街道（乡镇）');
    expect(await page.locator('.ant-modal:has(#party-member-types)').innerText()).toContain(
      '街道办事处/乡镇',
    );
    await confirmModal(page, page.locator('.ant-modal:has(#party-proposal-ok)'));
    await expect
      .poll(() => page.locator('#framework-import-ok').innerText())
      .toContain('仅导入无误的行（2 行除外）');
    // 各物业公司: answered for by 市住建局.
    await page.click('[data-testid="propose-各物业公司"]');
    await page.waitForSelector('text=设为集体责任方：各物业公司');
    await page.click('.ant-modal >> text=外部责任方');
    await pickOption(page, page.locator('#party-contact-unit'), '市住房和城乡建设局', {
      search: '住房和城乡',
    });
    await confirmModal(page, page.locator('.ant-modal:has(#party-proposal-ok)'));
    await expect
      .poll(() => page.locator('#framework-import-ok').innerText())
      .toContain('仅导入无误的行（1 行除外）');
    expect(await page.locator('[data-testid=import-preview-units]').count()).toBe(0);
    const parties = await page.locator('[data-testid=import-preview-parties]').innerText();
    expect(parties).toContain('各街道（乡镇）');
    expect(parties).toContain('由“市住房和城乡建设局”负责联系');
    await settled(page);
    await snap(page, 'import-02-settled.png');
  });

  it('downloads the error sheet and imports the clean rows', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid=import-error-sheet]'),
    ]);
    const saved = path.join(path.dirname(file), 'problems.xlsx');
    await download.saveAs(saved);
    expect(download.suggestedFilename()).toBe('导入问题表.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(saved);
    // The 问题 column is the last of the data sheet.
    const ws = wb.worksheets.find((w) => w.name !== '填表说明')!;
    const texts: string[] = [];
    ws.getColumn(ws.columnCount).eachCell((c) => {
      if (typeof c.value === 'string') texts.push(c.value);
    });
    expect(texts).toContain('问题');
    expect(texts.some((t) => t.includes('随机抽查'))).toBe(true);

    await confirmModal(page, page.locator('.ant-modal:has(#framework-import-ok)'));
    await page.waitForSelector('text=已导入 v1');
    await expect
      .poll(() => page.locator('[data-testid=version-banner]').innerText())
      .toContain('共 39 条标准');
    await settled(page);
    await snap(page, 'import-03-imported.png');
  });

  it('the publish dialog says what the first version holds', async () => {
    await page.click('[data-testid=publish]');
    await page.waitForSelector('[data-testid=publish-summary]');
    expect(await page.locator('[data-testid=publish-summary]').innerText()).toContain(
      '第一个现行版本（39 条标准',
    );
    await settled(page);
    await snap(page, 'import-04-publish-dialog.png');
    await confirmModal(page, page.locator('.ant-modal:has(#publish-ok)'));
    await page.waitForSelector('text=已发布，成为现行版本');
  });
});
