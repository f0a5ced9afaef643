import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumPath,
  keepFailures,
  openPages,
  releaseBrowser,
  type RunningServer,
  sharedBrowser,
  signIn,
  snap,
  startServer,
} from './harness.js';
import { minimalPdf } from '../server/test/pdf.js';

const exe = chromiumPath();
const PDF = minimalPdf();

/** Signs in over the API (for the set-up the office does before the scenario). */
async function apiLogin(base: string, username: string) {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'Demo@2026' }),
  });
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const call = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${base}${url}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!r.ok) throw new Error(`${method} ${url}: ${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  };
  return call;
}

describe.runIf(exe)(
  '档案资料: a unit uploads, the office returns, the unit fixes, the office approves',
  () => {
    let server: RunningServer;
    let browser: Browser;
    let officePage: Page;
    let unitPage: Page;
    let code = '';
    let evidenceQuery = '';
    let unstartedBefore = 0;
    keepFailures('evidence', () => ({ pages: openPages(browser), server }));

    beforeAll(async () => {
      server = await startServer({ SEED: 'demo' });
      // Set-up (任务分解): the office makes the demo unit lead one material standard.
      const office = await apiLogin(server.url, 'office');
      const unit = await apiLogin(server.url, 'unit');
      const me = await unit<{ user: { unitId: number } }>('GET', '/api/auth/me');
      const { items } = await office<{
        items: { frameworks: { id: number; currentVersionId: number | null }[] }[];
      }>('GET', '/api/campaigns');
      const framework = items.flatMap((c) => c.frameworks).find((f) => f.currentVersionId)!;
      const versionId = framework.currentVersionId!;
      // A standard nobody has started this year (the demo's others are under way or reviewed).
      const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
      const unstarted = new Set(
        (
          await office<{ code: string; state: string }[]>(
            'GET',
            `/api/evidence?frameworkId=${framework.id}&year=${year}`,
          )
        )
          .filter((r) => r.state === 'none')
          .map((r) => r.code),
      );
      evidenceQuery = `frameworkId=${framework.id}&year=${year}`;
      unstartedBefore = unstarted.size;
      const tree = await office<{
        items: { children: { children: { id: number; code: string; method: string }[] }[] }[];
      }>('GET', `/api/framework-versions/${versionId}/tree`);
      const standard = tree.items
        .flatMap((i) => i.children.flatMap((c) => c.children))
        .find((s) => s.method === 'material' && unstarted.has(s.code))!;
      code = standard.code;
      await office('POST', `/api/framework-versions/${versionId}/assignments`, {
        standardId: standard.id,
        leadUnitId: me.user.unitId,
        responsibleUnitIds: [],
      });
      browser = await sharedBrowser(exe!);
      officePage = await browser.newPage({
        viewport: { width: 1440, height: 900 },
        locale: 'zh-CN',
      });
      unitPage = await browser.newPage({ viewport: { width: 1280, height: 860 }, locale: 'zh-CN' });
      await signIn(officePage, `${server.url}/calendar`, 'office');
      await signIn(unitPage, `${server.url}/calendar`, 'unit');
    });
    afterAll(async () => {
      await releaseBrowser(browser);
      await server?.stop();
    });

    async function openStandard(page: Page) {
      await page.click('text=档案资料');
      await page.click(`tr:has-text("${code}")`);
      await page.waitForSelector('.ant-drawer [data-testid=dossier-state]');
    }

    async function uploadPdf(page: Page, name: string) {
      const date = page.locator('.ant-drawer .ant-picker input');
      await date.click();
      await date.fill('2026-06-01');
      await date.press('Enter');
      await page
        .locator('.ant-drawer input[type=file]')
        .setInputFiles({ name, mimeType: 'application/pdf', buffer: PDF });
      await page.waitForSelector(`.ant-drawer a:has-text("${name}")`);
    }

    const state = (page: Page) =>
      page.locator('.ant-drawer [data-testid=dossier-state]').innerText();

    it('walks the dossier through return and approval; completeness follows', async () => {
      await openStandard(unitPage);
      await uploadPdf(unitPage, '创建工作方案.pdf');
      await unitPage.fill(
        '[data-testid=evidence-statement]',
        '我局按方案开展了创建工作，详见附件。',
      );
      await unitPage.click('button:has-text("保存说明")');
      await unitPage.waitForSelector('[data-testid=evidence-submit]:not([disabled])');
      await unitPage.click('[data-testid=evidence-submit]');
      await unitPage.waitForFunction(
        () => document.querySelector('[data-testid=dossier-state]')?.textContent === '待审核',
      );
      await snap(unitPage, 'evidence-unit-submitted.png');

      await officePage.click('text=档案资料');
      await officePage.click('.ant-segmented-item:has-text("审核队列")');
      await officePage.click(`tr:has-text("${code}")`);
      await officePage.fill('[data-testid=evidence-comment]', '缺少会议纪要');
      await officePage.click('[data-testid=evidence-return]');
      await officePage.waitForFunction(
        () => document.querySelector('[data-testid=dossier-state]')?.textContent === '已退回',
      );
      await snap(officePage, 'evidence-office-returned.png');

      await unitPage.reload();
      await openStandard(unitPage);
      expect(await unitPage.locator('.ant-drawer').innerText()).toContain('缺少会议纪要');
      await uploadPdf(unitPage, '会议纪要.pdf');
      await unitPage.click('[data-testid=evidence-submit]');
      await unitPage.waitForFunction(
        () => document.querySelector('[data-testid=dossier-state]')?.textContent === '待审核',
      );

      await officePage.reload();
      await officePage.click('.ant-segmented-item:has-text("审核队列")');
      await officePage.click(`tr:has-text("${code}")`);
      await officePage.waitForSelector('[data-testid=evidence-approve]');
      await officePage.click('.ant-drawer .ant-segmented-item:has-text("B")');
      await officePage.click('[data-testid=evidence-approve]');
      await officePage.waitForFunction(
        () => document.querySelector('[data-testid=dossier-state]')?.textContent === '已通过',
      );
      expect(await state(officePage)).toBe('已通过');
      await snap(officePage, 'evidence-office-approved.png');
      await officePage.click('.ant-drawer-close');
      await officePage.click('.ant-segmented-item:has-text("全部")');
      // One standard fewer is missing; the figures are the summary's.
      const summary = (await (
        await officePage.request.get(`${server.url}/api/evidence/summary?${evidenceQuery}`)
      ).json()) as { total: { submitted: number; missing: number } };
      expect(summary.total.missing).toBe(unstartedBefore - 1);
      const stats = await officePage.locator('.ant-statistic').allInnerTexts();
      expect(stats.join(' ')).toMatch(
        new RegExp(`已提交 / 未上传\\s*${summary.total.submitted} / ${summary.total.missing}`),
      );
      await officePage.waitForSelector('[data-testid=evidence-chart] canvas');
      await snap(officePage, 'evidence-dashboard.png', { fullPage: true });
    });
  },
);
