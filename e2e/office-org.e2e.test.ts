import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiSession,
  artifact,
  chromiumPath,
  confirmModal,
  keepFailures,
  pickOption,
  releaseBrowser,
  type RunningServer,
  settled,
  sharedBrowser,
  snap,
  startServer,
} from './harness.js';

const exe = chromiumPath();

async function usersWorkbook(rows: string[][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('用户');
  ws.addRow(['用户名', '姓名', '手机号', '所属单位', '所属区划', '角色', '初始密码', '状态']);
  for (const r of rows) ws.addRow(r);
  const file = artifact(`users-${rows.length}-${Date.now()}.xlsx`);
  await wb.xlsx.writeFile(file);
  return file;
}

async function apiCount(page: Page, url: string): Promise<number> {
  return page.evaluate(async (u) => {
    const res = await fetch(u);
    return ((await res.json()) as { total: number }).total;
  }, url);
}

describe.runIf(exe)('office manages the organisation (desktop)', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  keepFailures('office-org', () => ({ pages: [page], server }));

  beforeAll(async () => {
    server = await startServer({ SEED: 'demo' });
    browser = await sharedBrowser(exe!);
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  });
  afterAll(async () => {
    await releaseBrowser(browser);
    await server?.stop();
  });

  it('signs in as office', async () => {
    await page.goto(server.url);
    await page.fill('#login-username', 'office');
    await page.fill('#login-password', 'wrong-password');
    await page.click('[data-testid=login-submit]');
    await expect
      .poll(() => page.locator('[data-testid=login-error]').innerText())
      .toContain('用户名或密码错误');
    await snap(page, '01-login-error.png');
    await page.fill('#login-password', 'Demo@2026');
    await page.click('[data-testid=login-submit]');
    await page.waitForSelector('text=问题台账');
    await page.click('text=单位管理');
    await page.waitForSelector('td:has-text("市委宣传部")');
    await snap(page, '02-units.png');
  });

  it('creates a unit', async () => {
    await page.click('[data-testid=unit-new]');
    await page.fill('#unit-code', 'E2E-JTZ');
    await page.fill('#unit-name', '示范市交通执法支队');
    await pickOption(page, page.locator('#unit-type'), '政府部门');
    await snap(page, '03-unit-form.png');
    // Saved, the dialog closes (and is gone before the next test clicks the menu).
    await confirmModal(page, page.locator('.ant-modal:has(#unit-type)'), /确\s?定|OK/);
    await page.waitForSelector('text=已保存');
    await page.locator('[data-testid=unit-search] input').fill('交通执法');
    await page.keyboard.press('Enter');
    await page.waitForSelector('td:has-text("E2E-JTZ")');
    await snap(page, '04-unit-created.png');
  });

  it('rejects a users file with a bad row and imports nothing, then imports the fixed file', async () => {
    await page.click('text=用户管理');
    await page.waitForSelector('td:has-text("office")');
    const before = await apiCount(page, '/api/users?limit=1');
    const bad = await usersWorkbook([
      ['e2e_zhang', '张执法', '13811110001', 'E2E-JTZ', '示范市', '责任单位', 'Start@2026', '启用'],
      ['e2e_li', '李网格', '1381111', '', '湖滨社区', '网格员', '', '启用'],
      ['e2e_wang', '王测评', '13811110003', '市文明办', '', '市长', '', '启用'],
    ]);
    await page.locator('input[type=file]').setInputFiles(bad);
    await page.waitForSelector('[data-testid=import-errors]');
    const errorsText = await page.locator('.ant-modal-body').last().innerText();
    expect(errorsText).toContain('未导入任何数据');
    expect(errorsText).toContain('手机号');
    expect(errorsText).toContain('市长');
    await snap(page, '05-import-rejected.png');
    expect(await apiCount(page, '/api/users?limit=1')).toBe(before);
    expect(await apiCount(page, '/api/users?limit=1&q=e2e_')).toBe(0);
    await confirmModal(
      page,
      page.locator('.ant-modal:has([data-testid=import-errors])'),
      /关\s?闭/,
    );

    const good = await usersWorkbook([
      ['e2e_zhang', '张执法', '13811110001', 'E2E-JTZ', '示范市', '责任单位', 'Start@2026', '启用'],
      ['e2e_li', '李网格', '13811110002', '', '湖滨社区', '网格员', '', '启用'],
      ['e2e_wang', '王测评', '13811110003', '市文明办', '', '测评员', '', '启用'],
    ]);
    await page.locator('input[type=file]').setInputFiles(good);
    await page.waitForSelector('[data-testid=import-success]');
    const okText = await page.locator('[data-testid=import-success]').innerText();
    expect(okText).toContain('新增 3');
    await snap(page, '06-import-done.png');
    await confirmModal(page, page.locator('.ant-modal:has([data-testid=import-success])'));
    expect(await apiCount(page, '/api/users?limit=1')).toBe(before + 3);
    await page.waitForSelector('td:has-text("e2e_zhang")');
    await snap(page, '07-users-after-import.png');
  });

  it('the imported unit user signs in and must choose a password', async () => {
    const ctx = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
    });
    const phone = await ctx.newPage();
    // By phone number and the initial password from the sheet; the login page itself is the
    // first test's.
    await ctx.addCookies((await apiSession(server.url, '13811110001', 'Start@2026')).cookies);
    await phone.goto(server.url);
    await phone.waitForSelector('text=请设置您自己的密码');
    await settled(phone); // the modal has finished opening
    await snap(phone, '08-forced-password-change-phone.png');
    await ctx.close();
  });
  // Switching to English: web/admin/AdminApp.isolated.test.tsx.
});
