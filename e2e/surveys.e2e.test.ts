import fs from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiSession,
  artifact,
  chromiumPath,
  confirmModal,
  keepFailures,
  openPages,
  pickOption,
  releaseBrowser,
  type RunningServer,
  SCREENSHOTS,
  settled,
  sharedBrowser,
  signIn,
  snap,
  startServer,
  visit,
} from './harness.js';

const exe = chromiumPath();

/**
 * Fills one questionnaire in the phone app's survey flow (web/mobile/flows/SurveyFlow.tsx): the
 * first option, or the last, of every question (the demo's questions are single choices).
 */
async function fillResponse(
  page: Page,
  household: string,
  age: number,
  pick: 'first' | 'last' = 'first',
): Promise<void> {
  await page.fill('#household-code', household);
  await page.fill('#respondent-age', String(age));
  await page.fill('#resident-months', '36');
  const questions = page.locator('[data-testid^=q-]');
  const n = await questions.count();
  expect(n).toBeGreaterThan(0);
  for (let i = 0; i < n; i++) {
    const options = questions.nth(i).locator('.adm-radio');
    await (pick === 'first' ? options.first() : options.last()).click();
  }
  await page.waitForSelector(`[data-testid=survey-answered]:has-text("已答 ${n}/${n} 题")`);
}

describe.runIf(exe)('问卷调查: a guide on the phone, the office on the dashboard', () => {
  let server: RunningServer;
  let browser: Browser;
  let phone: BrowserContext;
  let page: Page;
  keepFailures('surveys', () => ({ pages: openPages(browser), server }));

  beforeAll(async () => {
    server = await startServer({ SEED: 'demo' });
    browser = await sharedBrowser(exe!);
    phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      geolocation: { latitude: 30.2622, longitude: 120.1501 },
      permissions: ['geolocation'],
    });
    // The guide's phone: signed in (as the desktop login would), in the phone app.
    await phone.addCookies((await apiSession(server.url, 'surveyor')).cookies);
    page = await phone.newPage();
  });
  afterAll(async () => {
    await releaseBrowser(browser);
    await server?.stop();
  });

  it('a guide completes three responses, one of them offline, and the queue syncs', async () => {
    await page.goto(`${server.url}/m/survey`);
    await page.waitForSelector('[data-testid=m-survey] [data-testid^=quota-]');
    await settled(page);
    await snap(page, 'surveys-01-guide-quotas.png');
    await page.locator('[data-testid^=quota-]').first().click();
    await page.waitForSelector('#household-code');

    await fillResponse(page, '1幢-101', 42);
    await settled(page);
    await snap(page, 'surveys-02-guide-form.png', { fullPage: true });
    await page.click('[data-testid=survey-submit]');
    await page.waitForSelector('[data-testid=survey-done]:has-text("本次已完成 1 份，")');

    await fillResponse(page, '1幢-102', 29);
    await page.click('[data-testid=survey-submit]');
    await page.waitForSelector('[data-testid=survey-done]:has-text("本次已完成 2 份，")');
    // The form is blank again for the next respondent.
    expect(await page.inputValue('#household-code')).toBe('');

    // The third one with no network: kept on the phone, shown in the queue.
    await phone.setOffline(true);
    await page.waitForSelector('[data-testid=m-offline]');
    await fillResponse(page, '1幢-103', 57, 'last');
    await page.click('[data-testid=survey-submit]:has-text("离线保存")');
    await page.waitForSelector(
      '[data-testid=survey-done]:has-text("本次已完成 3 份（1 份待同步）")',
    );
    await page.waitForSelector('[data-testid=offline-queue-count]:has-text("待同步 1 条")');
    // For the picture, the toast gone (not waited for without pictures).
    if (SCREENSHOTS) await page.waitForSelector('.adm-toast-mask', { state: 'detached' });
    await snap(page, 'surveys-03-guide-offline-queue.png');

    // Back online: the queue sends it (once) and empties.
    await phone.setOffline(false);
    await page.waitForSelector('[data-testid=offline-queue]', {
      state: 'detached',
      timeout: 30_000,
    });
    const mine = await page.evaluate(async () => {
      const res = await fetch('/api/survey-responses');
      return (await res.json()) as { householdCode: string | null; lat: number | null }[];
    });
    // (The demo's closed mock round also has this guide's answers, street interviews among them,
    // which have no household code.)
    const today = mine.filter((r) => r.householdCode?.startsWith('1幢'));
    expect(today.map((r) => r.householdCode).sort()).toEqual(['1幢-101', '1幢-102', '1幢-103']);
    expect(today.every((r) => r.lat !== null)).toBe(true);
    await page.click('.adm-nav-bar-back');
    await page.waitForSelector('[data-testid=quota-mine]:has-text("本人完成 3 份")');
    await settled(page);
    await snap(page, 'surveys-04-guide-synced.png');
  });

  it('the office sees the rates with their intervals against the floor', async () => {
    const office = await browser.newPage({
      viewport: { width: 1440, height: 1000 },
      locale: 'zh-CN',
    });
    await signIn(office, `${server.url}/survey-results`, 'office');
    // The guide's three beside the 60 households of the round under way.
    await office.waitForSelector('[data-testid=results-responses]:has-text("63")');
    const table = await office.locator('[data-testid=dimension-table]').innerText();
    expect(table).toContain('知晓率');
    // Each rate with a 95% interval, e.g. 100.0% and 43.9–100.0%.
    expect(table).toMatch(/\d+\.\d–\d+\.\d%/);
    await settled(office);
    await snap(office, 'surveys-05-results-open-round.png', { fullPage: true });

    // The closed mock round of the demo: 120 households and 35 counting street interviews, the
    // trend over both rounds.
    await pickOption(office, office.locator('[data-testid=round-select]'), '第一次模拟测评');
    await office.waitForSelector('[data-testid=results-responses]:has-text("155")');
    await settled(office);
    await snap(office, 'surveys-06-results-mock-round.png', { fullPage: true });

    await visit(office, `/survey-quotas`);
    await office.waitForSelector('[data-testid=roster-short]');
    expect(await office.locator('[data-testid=quota-board]').innerText()).toContain('3/20');
    await snap(office, 'surveys-07-quota-board.png', { fullPage: true });

    await visit(office, `/surveys`);
    await office.waitForSelector('[data-testid=survey-designer] td:has-text("市民")');
    await office.locator('[data-testid=questionnaire-open]').first().click();
    await office.waitForSelector('.ant-drawer-title:has-text("只读")');
    await settled(office);
    await snap(office, 'surveys-08-designer.png');

    // A resident answers by the community's link (QR code); the same household cannot answer twice.
    const token = await office.evaluate(async () => {
      const rounds = (await (await fetch('/api/surveys/1/rounds')).json()) as {
        id: number;
        status: string;
      }[];
      const open = rounds.find((r) => r.status === 'open')!;
      const board = (await (await fetch(`/api/survey-rounds/${open.id}/board`)).json()) as {
        quotas: { publicToken: string }[];
      };
      return board.quotas[1]!.publicToken;
    });
    await office.close();
    const resident = await browser.newPage({
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
    });
    const answer = async () => {
      await resident.goto(`${server.url}/s/${token}`);
      await resident.waitForSelector('[data-testid=public-survey]');
      await resident.fill('input[maxlength="40"]', '8幢-801');
      await resident.locator('input[type=number]').nth(0).fill('45');
      await resident.locator('input[type=number]').nth(1).fill('120');
      const sets = resident.locator('fieldset');
      for (let i = 0; i < (await sets.count()); i++) {
        await sets.nth(i).locator('input').first().check();
      }
      await resident.click('[data-testid=public-survey-submit]');
    };
    await answer();
    await resident.waitForSelector('[data-testid=survey-done]');
    await answer();
    await resident.waitForSelector('.cz-error:has-text("8幢-801")');
    await snap(resident, 'surveys-09-self-completion-duplicate.png');
    await resident.close();
  });

  it('the office edits a quota and the round settings; an XLSX with a bad row is refused by row', async () => {
    const office = await browser.newPage({
      viewport: { width: 1440, height: 1000 },
      locale: 'zh-CN',
    });
    await signIn(office, `${server.url}/survey-quotas`, 'office');
    const row = office.locator('[data-testid=quota-board] tr:has-text("3/20")').first();
    await row.waitFor();
    await row.locator('[data-testid^=quota-edit-]').click();
    await office.fill('input[data-testid=quota-target], [data-testid=quota-target] input', '25');
    await settled(office);
    await snap(office, 'surveys-10-quota-edit.png');
    await confirmModal(office, office.locator('.ant-modal:has(#quota-save)'));
    await office.waitForSelector('[data-testid=quota-board] tr:has-text("3/25")');

    await office.click('[data-testid=round-settings]');
    await office.fill('input[data-testid=round-floor], [data-testid=round-floor] input', '85');
    await office.fill(
      'input[data-testid=round-min-guides], [data-testid=round-min-guides] input',
      '3',
    );
    await office.click('[data-testid=round-dont-know]');
    await confirmModal(office, office.locator('.ant-modal:has(#round-save)'));
    await office.waitForSelector('.ant-statistic:has-text("达标线"):has-text("85")');
    const stats = await office.locator('[data-testid=quota-board]').innerText();
    expect(stats).toContain('3/25');
    await settled(office);
    await snap(office, 'surveys-11-quota-board-edited.png', { fullPage: true });

    // The designer's XLSX export, spoiled in one cell, comes back refused with its row.
    await visit(office, `/surveys`);
    const exportLink = office.locator('[data-testid=questionnaire-export-xlsx]').first();
    await exportLink.waitFor();
    const res = await office.request.get(`${server.url}${await exportLink.getAttribute('href')}`);
    expect(res.status()).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await res.body()) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('题目')!;
    expect(sheet.rowCount).toBeGreaterThan(1);
    sheet.getRow(3).getCell(2).value = '乱填';
    const file = artifact('surveys-questionnaire-bad.xlsx');
    fs.writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
    await office
      .locator('.ant-upload:has([data-testid=questionnaire-import-xlsx]) input[type=file]')
      .setInputFiles(file);
    await office.waitForSelector('[data-testid=import-errors]');
    const errorsText = await office
      .locator('.ant-modal:has([data-testid=import-errors])')
      .innerText();
    expect(errorsText).toContain('题型');
    expect(errorsText).toContain('乱填');
    await settled(office);
    await snap(office, 'surveys-12-designer-xlsx-errors.png');
    await office.close();
  });

  it('a guide switches to a street interview: a spot, no household code; the board counts it apart', async () => {
    await page.goto(`${server.url}/m/survey`);
    await page.waitForSelector('[data-testid=m-survey] [data-testid^=quota-]');
    await page.locator('[data-testid^=quota-]').first().click();
    await page.waitForSelector('#household-code');
    // The form offers the mode: the same group's street-interview quota (city-wide in the demo).
    await page.click('[data-testid=survey-mode] >> text=街访');
    await page.waitForSelector('#street-spot');
    expect(await page.locator('#household-code').count()).toBe(0);
    await page.fill('#street-spot', '人民广场东门');
    await page.fill('#respondent-age', '34');
    await page.fill('#resident-months', '48');
    const questions = page.locator('[data-testid^=q-]');
    const n = await questions.count();
    for (let i = 0; i < n; i++) {
      await questions.nth(i).locator('.adm-radio').first().click();
    }
    await page.waitForSelector(`[data-testid=survey-answered]:has-text("已答 ${n}/${n} 题")`);
    await settled(page);
    await snap(page, 'surveys-13-guide-street.png', { fullPage: true });
    await page.click('[data-testid=survey-submit]');
    await page.waitForSelector('[data-testid=survey-done]:has-text("本次已完成 1 份，")');
    const street = await page.evaluate(async () => {
      const res = await fetch('/api/survey-responses?limit=500');
      return (
        (await res.json()) as { mode: string; householdCode: string | null; spot: string }[]
      ).filter((r) => r.spot === '人民广场东门');
    });
    expect(street).toEqual([
      expect.objectContaining({ mode: 'street', householdCode: null, spot: '人民广场东门' }),
    ]);

    const office = await browser.newPage({
      viewport: { width: 1440, height: 1000 },
      locale: 'zh-CN',
    });
    await signIn(office, `${server.url}/survey-quotas`, 'office');
    await office.waitForSelector('[data-testid=mode-progress-street]:has-text("1 / 40")');
    expect(await office.locator('[data-testid=quota-board] tr:has-text("街访")').count()).toBe(1);
    await settled(office);
    await snap(office, 'surveys-14-quota-board-modes.png', { fullPage: true });
    await office.close();
  });
});
