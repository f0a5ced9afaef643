import fs from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  artifact,
  chromiumPath,
  confirmModal,
  keepFailures,
  releaseBrowser,
  type RunningServer,
  settled,
  sharedBrowser,
  signIn,
  snap,
  startServer,
} from './harness.js';

const exe = chromiumPath();

describe.runIf(exe)('门前三包 and 入户包联 pages', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  keepFailures('frontage', () => ({ pages: [page], server }));

  beforeAll(async () => {
    server = await startServer({ SEED: 'demo' });
    browser = await sharedBrowser(exe!);
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await signIn(page, server.url, 'office');
  });
  afterAll(async () => {
    await releaseBrowser(browser);
    await server?.stop();
  });

  it('lists the demo holders and imports a sheet', async () => {
    await page.click('text=门前三包');
    await page.waitForSelector('tr:has-text("湖滨便利店")');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('门前三包');
    ws.addRow([
      '编号',
      '责任户名称',
      '类型',
      '地址',
      '负责人',
      '联系电话',
      '责任区坐标',
      '签订日期',
    ]);
    ws.addRow([
      'MQ-E2E-1',
      '解放路水果店',
      '沿街商户',
      '解放路 9 号',
      '王',
      '13911112222',
      '120.16,30.27;120.1605,30.27',
      '2026/5/1',
    ]);
    const file = artifact('frontage-import.xlsx');
    fs.writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
    await page.locator('input[type=file]').setInputFiles(file);
    await page.waitForSelector('[data-testid=import-success]');
    await page.keyboard.press('Escape');
    await page.waitForSelector('tr:has-text("解放路水果店")');
    await page.click('tr:has-text("老街面馆")');
    await page.waitForSelector('.ant-drawer-title:has-text("老街面馆")');
    await settled(page);
    await snap(page, 'frontage-01-register.png');
  });

  it('names the holder on a problem in its zone', async () => {
    // The demo's first problem of this week, in 湖滨便利店's zone (last month's lie elsewhere).
    const first = await page.evaluate(async () => {
      const res = await fetch(`/api/problems?q=${encodeURIComponent('解放路菜市场门口')}&limit=1`);
      return ((await res.json()) as { items: { id: number }[] }).items[0]!.id;
    });
    await page.goto(`${server.url}/problems/${first}`);
    await page.waitForSelector('[data-testid=duty-holders]:has-text("湖滨便利店")');
    expect(await page.locator('[data-testid=duty-holders]').innerText()).toContain('13800009999');
    await snap(page, 'frontage-02-problem.png');
  });

  it('shows household coverage with the laggards', async () => {
    const me = await page.request.get(`${server.url}/api/auth/me`);
    const csrf = ((await me.json()) as { csrfToken: string }).csrfToken;
    const headers = { 'x-csrf-token': csrf };
    const api = async (url: string) =>
      (await (await page.request.get(`${server.url}${url}`)).json()) as {
        items: { id: number; name: string; level?: string }[];
      };
    const community = (await api('/api/regions?level=community&limit=1')).items[0]!;
    const unit = (await api('/api/units?q=城市管理&limit=1')).items[0]!;
    const pairing = await page.request.post(`${server.url}/api/outreach/pairings`, {
      headers,
      data: { unitId: unit.id, regionId: community.id, building: '1幢', targetHouseholds: 4 },
    });
    expect(pairing.status()).toBe(201);
    await page.goto(`${server.url}/outreach`);
    await page.waitForSelector('[data-testid=coverage] tr:has-text("1幢")');
    expect(await page.locator('[data-testid=coverage]').innerText()).toContain('0 / 4');
    await snap(page, 'outreach-01-coverage.png');
  });

  it('plans a round, commits, draws, reveals and verifies the draw in the browser', async () => {
    await page.goto(`${server.url}/rounds`);
    await page.click('[data-testid=round-new]');
    await page.fill('#round-name', '十一月模拟测评');
    await confirmModal(page, page.locator('.ant-modal:has(#round-name)'));
    const row = page.locator('[data-testid=rounds] tr:has-text("十一月模拟测评")');
    // (antd spaces out two-character button labels: 抽 签)
    for (const [button, state] of [
      [/公布承诺值/, '已公布承诺值'],
      [/抽\s?签/, '已抽取'],
      [/公开种子/, '已公开种子'],
    ] as const) {
      await row.getByRole('button', { name: button }).click();
      if (state === '已抽取') {
        // The draw cannot be undone: the office confirms it, seeing what it draws per type.
        const confirm = page.locator('.ant-modal-confirm:has([data-testid=draw-confirm])');
        await confirm.waitFor();
        expect(await confirm.innerText()).toContain('不能撤销');
        expect(
          await confirm.locator('[data-testid=draw-confirm-counts] li').count(),
        ).toBeGreaterThan(0);
        await settled(page);
        await snap(page, 'rounds-00-confirm-draw.png');
        await confirmModal(page, confirm);
      }
      await row.locator(`.ant-tag:has-text("${state}")`).waitFor();
    }
    await row.locator('[data-testid=verify-here]').click();
    await row.locator('[data-testid=verdict]:has-text("核验通过")').waitFor();
    await row.locator('.ant-table-row-expand-icon').click();
    // The drawn points by name, with their type and district.
    const drawn = page.locator('[data-testid^=drawn-points-] tbody tr');
    await drawn.first().waitFor();
    expect(await drawn.first().innerText()).toMatch(/（P\d\d）/);
    await settled(page);
    await snap(page, 'rounds-01-verified.png');
  });

  it('a unit reports progress on one of its tasks', async () => {
    const unit = await browser.newPage({ viewport: { width: 1280, height: 860 }, locale: 'zh-CN' });
    await signIn(unit, `${server.url}/my-assignments`, 'unit');
    await unit.locator('[data-testid=report-progress]').first().click();
    await unit.fill('#report-text', '已制定整治方案，完成沿街店招排查');
    await confirmModal(unit, unit.locator('.ant-modal:has(#report-text)'));
    await unit
      .locator('[data-testid=my-assignments] .ant-tag:has-text("推进中")')
      .first()
      .waitFor();
    await snap(unit, 'tasks-01-reported.png');
    await unit.close();
  });

  it('the office uploads the jurisdiction for citizen reports as GeoJSON', async () => {
    await page.goto(`${server.url}/regions`);
    await page.waitForSelector('[data-testid=jurisdiction-name]:has-text("示范市")');
    const file = artifact('jurisdiction.geojson');
    fs.writeFileSync(
      file,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { name: '东湖区' },
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [120.1, 30.2],
                  [120.3, 30.2],
                  [120.3, 30.35],
                  [120.1, 30.35],
                  [120.1, 30.2],
                ],
              ],
            },
          },
        ],
      }),
    );
    // (The regions page also has the boundaries import: this is the jurisdiction card's.)
    const card = page.locator('[data-testid=jurisdiction-card]');
    await card.locator('input[placeholder^="名称"]').fill('示范市（新）');
    await card.locator('input[type=file]').setInputFiles(file);
    await page.waitForSelector('[data-testid=jurisdiction-name]:has-text("示范市（新）")');
    await snap(page, 'jurisdiction-01.png', { fullPage: true });
  });
});
