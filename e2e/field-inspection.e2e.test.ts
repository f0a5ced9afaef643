import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testJpeg } from '../server/test/images.js';
import {
  apiSession,
  artifact,
  chromiumPath,
  keepFailures,
  openPages,
  releaseBrowser,
  type RunningServer,
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

interface Point {
  id: number;
  name: string;
  lat: number;
  lng: number;
  version: number;
}

describe.runIf(exe)(
  '实地检查: an inspector completes a visit offline on a phone; the office sees the result',
  () => {
    let server: RunningServer;
    let browser: Browser;
    let phoneCtx: BrowserContext;
    let phone: Page;
    let office: Page;
    let roundId = 0;
    let market: Point;
    let photo = '';
    let headers: Record<string, string> = {};
    keepFailures('field-inspection', () => ({ pages: openPages(browser), server }));

    const officeGet = async <T>(url: string) =>
      (await (await office.request.get(`${server.url}${url}`)).json()) as T;

    beforeAll(async () => {
      server = await startServer({ SEED: 'demo' });
      browser = await sharedBrowser(exe!);
      office = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
      photo = artifact('inspection-photo.jpg');
      fs.writeFileSync(photo, await testJpeg({ color: '#6a4', width: 640 }));

      // The office: a secret round over the markets (P03), drawn, with the demo inspector.
      await signIn(office, `${server.url}/calendar`, 'office');
      const me = await office.request.get(`${server.url}/api/auth/me`);
      headers = { 'x-csrf-token': ((await me.json()) as { csrfToken: string }).csrfToken };
      const inspector = (
        await officeGet<{ items: { id: number }[] }>('/api/users?role=inspector&limit=1')
      ).items[0]!;
      const unit = (await officeGet<{ items: { id: number }[] }>('/api/units?q=城市管理&limit=1'))
        .items[0]!;
      market = (await officeGet<{ items: Point[] }>('/api/points?type=P03')).items[0]!;
      // The market's 包保单位 is the city management bureau.
      const patched = await office.request.patch(`${server.url}/api/points/${market.id}`, {
        headers,
        data: { unitId: unit.id, version: market.version },
      });
      expect(patched.status()).toBe(200);
      const round = await office.request.post(`${server.url}/api/rounds`, {
        headers,
        data: {
          name: '12月暗访（农贸市场）',
          kind: 'secret',
          plan: [{ type: 'P03', mode: 'all' }],
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

      phoneCtx = await browser.newContext({
        viewport: { width: 390, height: 844 },
        locale: 'zh-CN',
        isMobile: true,
        hasTouch: true,
        // About 30 m from the market.
        geolocation: { latitude: market.lat + 0.0002, longitude: market.lng + 0.0002 },
        permissions: ['geolocation'],
      });
      phone = await phoneCtx.newPage();
    });
    afterAll(async () => {
      await releaseBrowser(browser);
      await server?.stop();
    });

    it('the inspector opens the round on the phone and sees the drawn points with distances', async () => {
      // 实地检查 in the phone app (/m/inspect; the desktop's /inspect sends phones there).
      await openPhoneApp(phone, `${server.url}/m/inspect`, 'inspector');
      await phone.waitForSelector(`[data-testid=inspect-point-${market.id}]`);
      await phone.waitForSelector(`[data-testid=inspect-point-${market.id}]:has-text(" m")`);
      // The demo's own round is on the phone too; this round has the two markets.
      const mine = phone.locator(
        `[data-testid=inspect-round-${roundId}] [data-testid^=inspect-point-]`,
      );
      expect(await mine.count()).toBe(2);
      await snap(phone, 'inspection-01-points.png', { fullPage: true });
    });

    it('goes offline, completes the visit with a photo; it waits in the queue', async () => {
      await phoneCtx.setOffline(true);
      await phone.click(`[data-testid=inspect-point-${market.id}]`);
      await phone.waitForSelector('[data-testid=visit-form]');
      await phone.waitForSelector('[data-testid=visit-distance]');
      await snap(phone, 'inspection-02a-form-top.png');
      const items = await phone.locator('[data-testid^=check-item-]').count();
      expect(items).toBe(7);
      // Item 3 (market 3: 无占道经营) fails with a note and a photo; item 5 does not apply.
      for (let i = 0; i < items; i++) {
        const r = i === 3 ? 'fail' : i === 5 ? 'na' : 'pass';
        await phone.click(`[data-testid=check-${i}-${r}]`);
      }
      await phone.fill('[data-testid=check-3-note] textarea', '东门外三个摊位占用人行道');
      await phone.locator('[data-testid=check-3-photo]').setInputFiles(photo);
      await phone.waitForSelector('[data-testid=check-item-3] img');
      for (const [key, stars] of [
        ['environment', 3],
        ['civility', 4],
        ['facilities', 4],
        ['atmosphere', 5],
      ] as const) {
        await phone.click(`[data-testid=visit-rating-${key}] [aria-label="${stars}"]`);
      }
      await phone.locator('[data-testid=check-item-3]').scrollIntoViewIfNeeded();
      await snap(phone, 'inspection-02-checklist-offline.png');
      await phone.click('[data-testid=visit-submit]');
      await phone.waitForSelector('[data-testid=offline-queue-count]:has-text("待同步 1 条")');
      await phone.waitForSelector(`[data-testid=inspect-point-${market.id}]:has-text("待同步")`);
      await snap(phone, 'inspection-03-queued.png', { fullPage: true });
      const visits = await officeGet<{ items: unknown[] }>(`/api/visits?roundId=${roundId}`);
      expect(visits.items).toHaveLength(0);
    });

    it('comes back online; the queue syncs once and the point shows its result', async () => {
      await phoneCtx.setOffline(false);
      await phone.waitForSelector('[data-testid=offline-queue]', { state: 'detached' });
      await phone.waitForSelector(`[data-testid=inspect-point-${market.id}]:has-text("不合格")`);
      await snap(phone, 'inspection-04-synced.png', { fullPage: true });
      const visits = await officeGet<{
        items: {
          pointId: number;
          result: string;
          score: number;
          far: boolean;
          distanceM: number;
          problemId: number;
          items: { index: number; photoIds: string[]; note: string | null }[];
        }[];
      }>(`/api/visits?roundId=${roundId}&history=true`);
      expect(visits.items).toHaveLength(1);
      const v = visits.items[0]!;
      expect(v).toMatchObject({ pointId: market.id, result: 'fail', far: false });
      expect(v.score).toBeCloseTo(5 / 6);
      expect(v.distanceM).toBeLessThan(60);
      expect(v.items[3]!.photoIds).toHaveLength(1);
      expect(v.items[3]!.note).toBe('东门外三个摊位占用人行道');
      const problem = await officeGet<{
        problem: { channel: string; state: string; unitName: string; title: string };
        photos: unknown[];
      }>(`/api/problems/${v.problemId}`);
      expect(problem.problem).toMatchObject({ channel: 'inspection', state: 'dispatched' });
      expect(problem.problem.unitName).toContain('城市管理');
      expect(problem.photos).toHaveLength(1);
    });

    it('the office sees the score in the round report and the problem raised from the failed item', async () => {
      await visit(office, `/rounds/${roundId}/report`);
      await office.waitForSelector('[data-testid=round-report]');
      await office.waitForSelector('[data-testid=report-pass-rate]');
      expect(await office.locator('[data-testid=report-pass-rate]').textContent()).toContain(
        '83.3%',
      );
      await snap(office, 'inspection-05-report.png', { fullPage: true });
      await office.click('.ant-tabs-tab:has-text("检查记录")');
      await office.waitForSelector(`[data-testid=visit-result-${market.id}]:has-text("不合格")`);
      await snap(office, 'inspection-06-report-visits.png', { fullPage: true });
      await office.click(`[data-testid=visit-problem-${market.id}]`);
      await office.waitForSelector('text=1 项检查不合格');
      await office.waitForSelector('text=东门外三个摊位占用人行道');
      await snap(office, 'inspection-07-problem.png', { fullPage: true });
    });

    it('the points map colours the market by its latest result', async () => {
      await visit(office, `/points`);
      await office.waitForSelector('[data-testid=points-map] .leaflet-interactive');
      await office.waitForSelector(`[data-testid=point-result-${market.id}]:has-text("不合格")`);
      // No tiles configured: the points stand on the city's own boundaries, not a grey box.
      await office.waitForSelector(
        '[data-testid=points-map] [data-base=boundaries] .leaflet-ccBase-pane path',
      );
      await snap(office, 'inspection-08-points.png', { fullPage: true });
      await snap(office.locator('[data-testid=points-map]'), 'inspection-08-points-map.png');
    });

    it('随机查看 offline: the inspector adds a 娱乐场所; its failed 消防 item needs a photo first', async () => {
      await phone.goto(`${server.url}/m/inspect`);
      await phone.waitForSelector(`[data-testid=inspect-add-${roundId}]`);
      await phoneCtx.setOffline(true);
      await phone.click(`[data-testid=inspect-add-${roundId}]`);
      const form = phone.locator('[data-testid=add-place-form]');
      await form.waitFor();
      // seed 001: 街巷、公厕、小型餐馆、娱乐场所、网吧、营业厅
      for (const kind of ['背街小巷', '公共厕所', '小餐馆', '娱乐场所', '网吧', '营业厅']) {
        await form.locator(`.adm-selector-item:has-text("${kind}")`).waitFor();
      }
      await form.locator('.adm-selector-item:has-text("娱乐场所")').click();
      await phone.fill('[data-testid=add-place-name] input', '星光KTV');
      await phone.fill('[data-testid=add-place-address] input', '湖滨路 66 号');
      await snap(phone, 'inspection-09-add-place.png');
      await phone.click('[data-testid=add-place-next]');
      await phone.waitForSelector('[data-testid=visit-form]:has-text("随机增加")');
      // 娱乐场所: item 3 (消防器材完好、通道畅通) is serious: failing it is 严重不合格.
      const items = await phone.locator('[data-testid^=check-item-]').count();
      expect(items).toBe(5);
      for (let i = 0; i < items; i++)
        await phone.click(`[data-testid=check-${i}-${i === 3 ? 'fail' : 'pass'}]`);
      await phone.fill('[data-testid=check-3-note] textarea', '安全出口被杂物堵塞');
      await phone.waitForSelector('[data-testid=check-3-photo-needed]');
      await phone.click('[data-testid=visit-submit]');
      await phone.waitForSelector('[data-testid=visit-error]:has-text("须附现场照片")');
      await phone.locator('[data-testid=check-item-3]').scrollIntoViewIfNeeded();
      await snap(phone, 'inspection-10-severe-needs-photo.png');
      await phone.locator('[data-testid=check-3-photo]').setInputFiles(photo);
      await phone.waitForSelector('[data-testid=check-item-3] img');
      await phone.waitForSelector('[data-testid=check-3-photo-needed]', { state: 'detached' });
      await phone.click('[data-testid=visit-submit]');
      await phone.waitForSelector('[data-testid=offline-queue-count]:has-text("待同步 1 条")');
      await phone.waitForSelector('[data-testid^=inspect-added-pending-]:has-text("星光KTV")');
      await snap(phone, 'inspection-11-added-queued.png', { fullPage: true });

      await phoneCtx.setOffline(false);
      await phone.waitForSelector('[data-testid=offline-queue]', { state: 'detached' });
      const visits = await officeGet<{
        items: { id: number; pointId: number; pointName: string; added: boolean; result: string }[];
      }>(`/api/visits?roundId=${roundId}`);
      const added = visits.items.find((v) => v.pointName === '星光KTV')!;
      expect(added).toMatchObject({ added: true, result: 'serious' });
      await phone.waitForSelector(
        `[data-testid=inspect-point-${added.pointId}]:has-text("严重不合格")`,
      );
      await phone.waitForSelector(
        `[data-testid=inspect-point-${added.pointId}]:has-text("随机增加")`,
      );
      await snap(phone, 'inspection-12-added-synced.png', { fullPage: true });

      await office.goto(`${server.url}/rounds/${roundId}/report`);
      await office.waitForSelector('[data-testid=report-added]:has-text("含随机增加 1")');
      await office.click('.ant-tabs-tab-btn:text-is("按点位")');
      await office.waitForSelector(`[data-testid=rollup-added-${added.pointId}]`);
      await office.click('.ant-tabs-tab:has-text("检查记录")');
      await office.waitForSelector(`[data-testid=visit-added-${added.pointId}]`);
      await office.waitForSelector(
        `[data-testid=visit-result-${added.pointId}]:has-text("严重不合格")`,
      );
      await snap(office, 'inspection-13-report-added.png', { fullPage: true });
    });
  },
);
