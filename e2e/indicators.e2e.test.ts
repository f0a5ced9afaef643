import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodFromOrdinal, periodOf, periodOrdinal } from '../core/frameworks/indicators.js';
import {
  artifact,
  chromiumPath,
  confirmModal,
  keepFailures,
  openPages,
  pickOption,
  releaseBrowser,
  type RunningServer,
  settled,
  sharedBrowser,
  signIn,
  snap,
  startServer,
  visit,
} from './harness.js';

const exe = chromiumPath();
const month = (delta: number) =>
  periodFromOrdinal(periodOrdinal(periodOf(new Date(), 'month'), 'month')! + delta, 'month');

describe.runIf(exe)('硬性指标', () => {
  let server: RunningServer;
  let browser: Browser;
  let office: Page;
  let unit: Page;
  keepFailures('indicators', () => ({ pages: openPages(browser), server }));

  beforeAll(async () => {
    server = await startServer({ SEED: 'demo' });
    browser = await sharedBrowser(exe!);
    office = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    const ctx = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
    });
    unit = await ctx.newPage();
    await signIn(office, `${server.url}/calendar`, 'office');
    await signIn(unit, `${server.url}/calendar`, 'unit');
  });
  afterAll(async () => {
    await releaseBrowser(browser);
    await server?.stop();
  });

  it('the office defines an indicator on a standard', async () => {
    await visit(office, `/indicators`);
    await office.waitForSelector('tr:has-text("路灯亮灯率")');
    await office.waitForSelector('[data-testid^=trend-] canvas');
    await snap(office, 'ind-01-list.png', { fullPage: true });
    await office.click('[data-testid=define-indicator]');
    // The standards arrive after the dialog opens (pickOption tries again if the list re-renders
    // under the click).
    await pickOption(office, office.locator('#standardKey'), 'I4.3.1', { search: 'I4.3.1' });
    await office.fill('#name', '城市道路完好率');
    await office.fill('#target', '98');
    await office.fill('#startPeriod', month(-2));
    await pickOption(office, office.locator('#responsibleUnitId'), '市城市管理综合执法局', {
      search: '城市管理',
      sole: true,
    });
    await snap(office, 'ind-02-define.png');
    await confirmModal(office, office.locator('.ant-modal:has(#standardKey)'));
    const row = office.locator('tr:has-text("城市道路完好率")');
    await row.waitFor();
    expect(await row.innerText()).toContain('未报送');
    expect(await row.innerText()).toContain(month(-2));
  });

  it('the unit reports a value for a missing month', async () => {
    await visit(unit, `/indicators`);
    const row = unit.locator('tr:has-text("城市道路完好率")');
    await row.waitFor();
    // A unit sees only its own indicators.
    expect(await unit.locator('tr:has-text("头盔佩戴率")').count()).toBe(0);
    await row.locator('[data-testid=report-indicator]').click();
    await unit.waitForSelector('.ant-modal-title:has-text("城市道路完好率")');
    await unit.fill('#value', '97.2');
    await unit.fill('#note', '全市主干道抽查 320 公里');
    await snap(unit, 'ind-03-report.png');
    await confirmModal(unit, unit.locator('.ant-modal:has(#value)'));
    await unit.waitForSelector('.ant-message:has-text("已报送")');
    await expect.poll(() => row.innerText()).toContain('97.2%');
  });

  it('the office sees compliance and the trend', async () => {
    await office.reload();
    const row = office.locator('tr:has-text("城市道路完好率")');
    await row.waitFor();
    const text = await row.innerText();
    expect(text).toContain('未达标');
    expect(text).toContain('97.2%');
    expect(await office.locator('tr:has-text("路灯亮灯率") .ant-tag-success').count()).toBe(1);
    const id = await office.evaluate(async () => {
      const r = await fetch('/api/indicators');
      const body = (await r.json()) as { items: { id: number; name: string }[] };
      return body.items.find((i) => i.name === '城市道路完好率')!.id;
    });
    await office.waitForSelector(`[data-testid=trend-${id}] canvas`);
    await office.locator(`[data-testid=trend-${id}]`).scrollIntoViewIfNeeded();
    await settled(office);
    await snap(office, 'ind-04-compliance.png', { fullPage: true });
  });

  it('the unit corrects its value with a reason; the office lowers the target; compliance follows', async () => {
    await unit.goto(`${server.url}/indicators`);
    const row = unit.locator('tr:has-text("城市道路完好率")');
    await row.locator('[data-testid=indicator-history]').click();
    // Click only once the dialog has stopped zooming in: under load, a click on a moving button can
    // press on it and release elsewhere, and no click happens.
    await unit.waitForSelector('.ant-modal-wrap .ant-modal:not([class*=ant-zoom])');
    await unit.click(`[data-testid=correct-${month(-2)}]`);
    await unit.locator('.ant-modal .ant-card #value').fill('98.4');
    await unit.click('[data-testid=correct-save]');
    // a correction without a reason is refused in the form
    await unit.waitForSelector('.ant-form-item-explain-error:has-text("更正原因")');
    await unit.fill('[data-testid=correct-note]', '复核后修正抽查口径');
    await unit.click('[data-testid=correct-save]');
    await unit.waitForSelector('.ant-message:has-text("已更正")');
    const values = unit.locator('[data-testid=indicator-values]');
    await expect.poll(() => values.innerText()).toContain('98.4');
    expect(await values.innerText()).toContain('达标');
    await snap(unit, 'ind-04b-correct.png');
    await unit.locator('.ant-modal-close').click();
    await expect.poll(() => row.innerText()).toContain('98.4%');

    await office.reload();
    const officeRow = office.locator('tr:has-text("城市道路完好率")');
    await expect.poll(() => officeRow.innerText()).toContain('达标');
    await officeRow.locator('[data-testid=indicator-edit]').click();
    // As for the unit above: fill and click only once the dialog has stopped zooming in and its
    // form holds the indicator (a fill before that is overwritten, a click on a moving button lost).
    await office.waitForSelector('.ant-modal-wrap .ant-modal:not([class*=ant-zoom])');
    const target = office.locator('.ant-modal #target');
    await expect.poll(() => target.inputValue()).not.toBe('');
    await target.fill('99');
    await expect.poll(() => target.inputValue()).toBe('99');
    await confirmModal(
      office,
      office.locator('.ant-modal:has([data-testid=indicator-save])'),
      office.locator('[data-testid=indicator-save]'),
    );
    await office.waitForSelector('.ant-message:has-text("已保存")');
    await expect.poll(() => officeRow.innerText()).toContain('≥ 99%');
    expect(await officeRow.innerText()).toContain('未达标');
    await snap(office, 'ind-04c-edited.png');
  });

  it("prints a unit's 目标责任书 on A4", async () => {
    await visit(unit, `/pledge`);
    const doc = unit.locator('[data-testid=pledge-doc]');
    await doc.waitFor();
    const text = await doc.innerText();
    expect(text).toContain('市城市管理综合执法局');
    expect(text).toContain('路灯亮灯率');
    expect(await unit.locator('[data-testid=pledge-status]').innerText()).toContain('未签订');
    await snap(unit, 'ind-05-agreement.png', { fullPage: true });
    await unit.emulateMedia({ media: 'print' });
    await snap(unit, 'ind-06-agreement-print.png', { fullPage: true });
    const pdf = await unit.pdf({ format: 'A4', path: artifact('ind-agreement.pdf') });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await unit.emulateMedia({ media: 'screen' });
    // The signed scan may be a PDF: upload the printed agreement as the scan.
    await unit.setInputFiles('input[type=file]', artifact('ind-agreement.pdf'));
    await expect
      .poll(() => unit.locator('[data-testid=pledge-status]').innerText())
      .toContain('已签订');
    await snap(unit, 'ind-06b-agreement-signed.png');
  });

  it('the demo working groups filter the task matrix', async () => {
    const codes = await office.evaluate(async () => {
      const groups = (await (await fetch('/api/working-groups')).json()) as {
        items: { id: number; name: string }[];
      };
      const g = groups.items.find((x) => x.name === '城市管理组')!;
      const campaigns = (await (await fetch('/api/campaigns')).json()) as {
        items: { frameworks: { currentVersionId: number }[] }[];
      };
      const v = campaigns.items[0]!.frameworks[0]!.currentVersionId;
      const r = (await (
        await fetch(`/api/framework-versions/${v}/assignments?groupId=${g.id}`)
      ).json()) as { items: { standardCode: string }[] };
      return r.items.map((a) => a.standardCode);
    });
    expect(codes.length).toBeGreaterThan(0);
    expect(codes.every((c) => c.startsWith('I4.') || c.startsWith('I6.1.'))).toBe(true);
    await visit(office, `/assignments`);
    await office.waitForSelector('[data-testid=assignment-matrix] tbody tr.ant-table-row');
    await pickOption(office, office.locator('[data-testid=assignment-group]'), '城市管理组');
    // The matrix has refetched the group's tasks (was a fixed 800 ms).
    await expect
      .poll(() => office.locator('[data-testid=assignment-summary]').innerText())
      .toContain(`、${codes.length} 条任务`);
    await settled(office);
    await snap(office, 'ind-07-matrix-group.png');
  });
  it('the office creates a working group owning two standards; the matrix filter shows exactly them', async () => {
    await visit(office, `/working-groups`);
    await office.waitForSelector('[data-testid=group-table] tr:has-text("城市管理组")');
    await office.click('[data-testid=group-new]');
    await office.fill('[data-testid=group-name]', '背街小巷攻坚组');
    // The list reloads from the server as the name is typed: picked once it holds only the match.
    await pickOption(office, office.locator('[data-testid=group-leader]'), '李分管', {
      search: '李分管',
      sole: true,
    });
    for (const code of ['I4.3.1', 'I6.1.1'])
      await pickOption(office, office.locator('[data-testid=group-standards]'), code, {
        search: code,
      });
    await snap(office, 'ind-08-group-edit.png');
    await confirmModal(office, office.locator('.ant-modal:has(#group-save)'));
    const row = office.locator('[data-testid=group-table] tr:has-text("背街小巷攻坚组")');
    await row.waitFor();
    expect(await row.innerText()).toContain('李分管');
    expect(await row.innerText()).toContain('I4.3.1');
    expect(await row.innerText()).toContain('I6.1.1');
    await snap(office, 'ind-09-groups.png', { fullPage: true });

    await office.goto(`${server.url}/assignments`);
    await office.waitForSelector('[data-testid=assignment-matrix] tbody tr.ant-table-row');
    await pickOption(office, office.locator('[data-testid=assignment-group]'), '背街小巷攻坚组');
    const rows = office.locator('[data-testid=assignment-matrix] tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(2);
    const codes = await rows.locator('td:first-child').allInnerTexts();
    expect(codes.map((c) => c.trim()).sort()).toEqual(['I4.3.1', 'I6.1.1']);
    await snap(office, 'ind-10-matrix-new-group.png');

    // The indicators list filters by the group too: only indicators on its standards.
    await office.goto(`${server.url}/indicators`);
    await office.waitForSelector('tr:has-text("路灯亮灯率")');
    await pickOption(office, office.locator('[data-testid=indicator-group]'), '背街小巷攻坚组');
    const expected = await office.evaluate(async () => {
      const gs = (await (await fetch('/api/working-groups')).json()) as {
        items: { id: number; name: string }[];
      };
      const g = gs.items.find((x) => x.name === '背街小巷攻坚组')!;
      const r = (await (await fetch(`/api/indicators?groupId=${g.id}`)).json()) as {
        items: { standardCode: string | null }[];
      };
      return r.items.map((i) => i.standardCode);
    });
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.every((c) => c === 'I4.3.1' || c === 'I6.1.1')).toBe(true);
    const indRows = office.locator('[data-testid=indicators] tbody tr.ant-table-row');
    await expect.poll(() => indRows.count()).toBe(expected.length);
    await snap(office, 'ind-11-indicators-group.png');
  });
});
