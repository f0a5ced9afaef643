import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TPointType, TRoundReport } from '../core/contracts/inspections.js';
import {
  apiSession,
  chromiumPath,
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

/** Signs a demo user in over the API and opens the phone app's page `url` (/m/…). */
async function openPhoneApp(page: Page, url: string, username: string): Promise<void> {
  const session = await apiSession(new URL(url).origin, username);
  await page.context().addCookies(session.cookies);
  await page.goto(url);
  await page.waitForSelector('[data-testid=m-app]');
}

describe.runIf(exe)(
  '点位类型: the office links a checklist item to a standard, sees the by-standard roll-up and corrects a visit',
  () => {
    let server: RunningServer;
    let browser: Browser;
    let office: Page;
    let phoneCtx: BrowserContext;
    let phone: Page;
    let headers: Record<string, string> = {};
    let roundId = 0;
    let points: { id: number; name: string }[] = [];
    keepFailures('point-types', () => ({ pages: openPages(browser), server }));

    const officeGet = async <T>(url: string) =>
      (await (await office.request.get(`${server.url}${url}`)).json()) as T;
    const p01 = async () =>
      (await officeGet<{ items: TPointType[] }>('/api/point-types')).items.find(
        (x) => x.code === 'P01',
      )!;

    beforeAll(async () => {
      server = await startServer({ SEED: 'demo' });
      browser = await sharedBrowser(exe!);
      office = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
      await signIn(office, `${server.url}/calendar`, 'office');
      const me = await office.request.get(`${server.url}/api/auth/me`);
      headers = { 'x-csrf-token': ((await me.json()) as { csrfToken: string }).csrfToken };
    });
    afterAll(async () => {
      await releaseBrowser(browser);
      await server?.stop();
    });

    it('edits P01: a judging note and a link from 果皮箱 to I6.1.2 picked in the framework tree', async () => {
      await visit(office, `/point-types`);
      await office.waitForSelector('[data-testid=pt-edit-P01]');
      await office.click('tr:has([data-testid=pt-edit-P01]) .ant-table-row-expand-icon');
      await office.waitForSelector('[data-testid=pt-P01-item-0]:has-text("I1.2.1")');
      await snap(office, 'point-types-01-list.png', { fullPage: true });

      await office.click('[data-testid=pt-edit-P01]');
      await office.waitForSelector('[data-testid=pt-item-5]');
      // The picker's framework tree loads with the drawer (campaigns, then the version's tree):
      // the picker is usable once it has its options (pickOption searches and waits for them).
      await office.waitForSelector(
        '[data-testid=pt-item-5] .ant-tree-select:not(.ant-select-disabled)',
      );
      await office
        .locator('[data-testid=pt-item-0] input[id$="_guidance"]')
        .fill('只计固定式公益广告，临时横幅不计');
      const picker = office.locator('[data-testid=pt-item-5] .ant-tree-select');
      await pickOption(office, picker, 'I6.1.2', { search: 'I6.1.2' });
      await office.locator('[data-testid=pt-item-5]').scrollIntoViewIfNeeded();
      await snap(office, 'point-types-02-edit.png');
      await office.click('[data-testid=pt-save]');
      await office.waitForSelector('[data-testid=pt-drawer]', { state: 'hidden' });
      const t = await p01();
      expect(t.version).toBe(2);
      expect(t.checklist[5]!.standards).toEqual(['I6.1.1', 'I6.1.2']);
      expect(t.checklist[0]!.guidance).toBe('只计固定式公益广告，临时横幅不计');
    });

    it('the inspector sees the guidance and the counting rule on the phone', async () => {
      const inspector = (
        await officeGet<{ items: { id: number }[] }>('/api/users?role=inspector&limit=1')
      ).items[0]!;
      const round = await office.request.post(`${server.url}/api/rounds`, {
        headers,
        data: {
          name: '12月模拟测评（主次干道）',
          kind: 'mock',
          plan: [{ type: 'P01', mode: 'all' }],
          inspectorIds: [inspector.id],
        },
      });
      roundId = ((await round.json()) as { id: number }).id;
      for (const step of ['commit', 'draw']) {
        const r = await office.request.post(`${server.url}/api/rounds/${roundId}/${step}`, {
          headers,
        });
        expect(r.status()).toBe(200);
      }
      points = (await officeGet<{ items: { id: number; name: string }[] }>('/api/points?type=P01'))
        .items;
      expect(points).toHaveLength(2);

      phoneCtx = await browser.newContext({
        viewport: { width: 390, height: 844 },
        locale: 'zh-CN',
        isMobile: true,
        hasTouch: true,
      });
      phone = await phoneCtx.newPage();
      await openPhoneApp(phone, `${server.url}/m/inspect`, 'inspector');
      await phone.click(`[data-testid=inspect-point-${points[0]!.id}]`);
      await phone.waitForSelector('[data-testid=visit-form]');
      expect(await phone.locator('[data-testid=check-0-count-rule]').textContent()).toContain(
        '步行300米，固定式公益广告不少于5处',
      );
      expect(await phone.locator('[data-testid=check-0-guidance]').textContent()).toContain(
        '临时横幅不计',
      );
      await snap(phone, 'point-types-03-phone-rules.png');
      // Item 0 is judged by the count (BRIEF §2.2: walk 300 m, at least 5 ads): 4 seen fails it
      // and 合格 cannot be chosen; 6 seen passes it.
      const count = phone.locator('[data-testid=check-0-numbers] input').first();
      await count.fill('4');
      await phone.waitForSelector('[data-testid=check-0-quantity]:has-text("未达到")');
      await phone.waitForSelector('[data-testid=check-0-pass]:disabled');
      await snap(phone, 'point-types-03b-phone-count.png');
      await count.fill('6');
      await phone.waitForSelector('[data-testid=check-0-pass][aria-pressed=true]');
      // Item 5 (果皮箱) fails; everything else passes.
      for (let i = 1; i < 6; i++)
        await phone.click(`[data-testid=check-${i}-${i === 5 ? 'fail' : 'pass'}]`);
      await phone.click('[data-testid=visit-submit]');
      await phone.waitForSelector(
        `[data-testid=inspect-point-${points[0]!.id}]:has-text("不合格")`,
      );
    });

    it('the round report rolls up by standard; the office corrects the visit with a reason', async () => {
      // The second point, all passed, through the API.
      const v2 = await office.request.post(`${server.url}/api/visits`, {
        headers,
        data: {
          clientId: crypto.randomUUID(),
          roundId,
          pointId: points[1]!.id,
          items: Array.from({ length: 6 }, (_, index) => ({
            index,
            result: 'pass',
            ...(index === 0 ? { count: 5 } : {}),
          })),
          visitedAt: new Date().toISOString(),
        },
      });
      expect(v2.status()).toBe(201);
      const report = await officeGet<TRoundReport>(`/api/rounds/${roundId}/report`);
      // I6.1.2 (max 2): visit 1 failed its only linked item (0), visit 2 passed (1) → 0.5, 1 point.
      expect(report.byStandard.find((s) => s.code === 'I6.1.2')).toMatchObject({
        visits: 2,
        share: 0.5,
        points: 1,
      });
      await visit(office, `/rounds/${roundId}/report`);
      await office.click('.ant-tabs-tab:has-text("按测评标准")');
      await office.waitForSelector(
        '[data-testid=rollup-standard] tr:has-text("I6.1.2"):has-text("50.0%")',
      );
      await snap(office, 'point-types-04-by-standard.png', { fullPage: true });

      await office.click('.ant-tabs-tab:has-text("检查记录")');
      await office.click(`[data-testid=visit-correct-${points[0]!.id}]`);
      await office.waitForSelector('[data-testid=visit-version-1]');
      // The count entered on the phone is kept with the visit and shown.
      await office.waitForSelector('[data-testid=visit-version-1]:has-text("第 1 项计数：6处")');
      await office.click('[data-testid=correct-5-pass]');
      await office.fill('[data-testid=correct-reason]', '复核照片：果皮箱已清运，改判合格');
      await office.click('[data-testid=correct-submit]');
      await office.waitForSelector('[data-testid=visit-version-2]:has-text("改判合格")');
      await office.waitForSelector('[data-testid=visit-version-2]:has-text("第 6 项")');
      await settled(office);
      await snap(office, 'point-types-05-correction.png');
      await office.keyboard.press('Escape');
      await office.click('.ant-tabs-tab:has-text("按测评标准")');
      await office.waitForSelector(
        '[data-testid=rollup-standard] tr:has-text("I6.1.2"):has-text("100.0%")',
      );
      const history = await officeGet<{ items: { version: number; reason: string | null }[] }>(
        `/api/visits?roundId=${roundId}&history=true`,
      );
      expect(history.items.map((v) => v.version).sort()).toEqual([1, 1, 2]);
    });

    it("a point's drawer shows its grid and who changed what", async () => {
      const p = points[0]!;
      const before = await officeGet<{ point: { version: number }; grid: { name: string } | null }>(
        `/api/points/${p.id}`,
      );
      const patched = await office.request.patch(`${server.url}/api/points/${p.id}`, {
        headers,
        data: { address: '湖滨路18号', version: before.point.version },
      });
      expect(patched.status()).toBe(200);
      await visit(office, `/points?type=P01`);
      await office.click(`[data-testid=point-open-${p.id}]`);
      await office.waitForSelector('[data-testid=point-history]:has-text("湖滨路18号")');
      expect(await office.locator('[data-testid=point-grid]').textContent()).toContain(
        before.grid?.name ?? '不在任何网格内',
      );
      await settled(office); // the drawer has slid in
      await snap(office, 'point-types-07-point-detail.png');
    });

    // Last: it stops the server, so only the service worker's cache can answer.
    it('实地检查, once opened, opens with the server gone (the phone app’s service worker)', async () => {
      await phone.goto(`${server.url}/m/inspect`);
      await phone.waitForSelector(`[data-testid=inspect-point-${points[1]!.id}]`);
      await phone.waitForFunction(() => navigator.serviceWorker.controller !== null, null, {
        timeout: 30_000,
      });
      // Once more under the worker, which keeps the answer the app starts with (who is signed in).
      await phone.reload();
      await phone.waitForSelector(`[data-testid=inspect-point-${points[1]!.id}]`);
      await server.stop();
      await phone.reload();
      await phone.waitForSelector('[data-testid=inspect-page]');
      // The round as last loaded, both points visited (the first one corrected to 合格).
      await phone.waitForSelector(`[data-testid=inspect-point-${points[0]!.id}]:has-text("合格")`);
      await phone.waitForSelector(`[data-testid=inspect-point-${points[1]!.id}]:has-text("合格")`);
      // This round's two points (the demo's own round is on the phone too).
      expect(
        await phone
          .locator(`[data-testid=inspect-round-${roundId}] [data-testid^=inspect-point-]`)
          .count(),
      ).toBe(2);
      await phone.waitForSelector('[data-testid=inspect-stale]:has-text("显示的是上次加载的点位")');
      await snap(phone, 'point-types-06-inspect-offline.png');
    });
  },
);
