import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testJpeg } from '../server/test/images.js';
import {
  apiSession,
  artifact,
  chromiumPath,
  DEMO_PASSWORD,
  keepFailures,
  openPages,
  releaseBrowser,
  type RunningServer,
  SCREENSHOTS,
  settled,
  sharedBrowser,
  snap,
  startServer,
} from './harness.js';

const exe = chromiumPath();

// The phone app (/m/, issue #21): the demo grid worker signs in on the desktop login and lands on
// the phone app's task list; walks a patrol, loses the network, reports a problem with a photo
// (queued), gets the network back (synced: the problem is on the server); and the app opens with
// the network cut, from its service worker. Then the demo survey guide answers a questionnaire
// with the network cut (queued, then synced), and the demo volunteer signs up for today's activity
// and checks in offline (synced with the time it was made), then out.

/** Inside the demo grid 湖滨一网格 (120.155–120.165 × 30.262–30.277). */
const HERE = { latitude: 30.2655, longitude: 120.1589 };
const NOTE = '垃圾桶旁堆放装修垃圾（手机端）';

interface PatrolRow {
  id: number;
  state: string;
  gridName: string;
}

describe.runIf(exe)('the phone app: 巡查上报 offline, synced, and the shell offline', () => {
  let server: RunningServer;
  let browser: Browser;
  let phoneCtx: BrowserContext;
  let phone: Page;
  let photo: string;
  keepFailures('mobile', () => ({ pages: openPages(browser), server }));

  /** GET as the grid worker, over the API (not the phone's network). */
  let gridGet: <T>(url: string) => Promise<T>;

  beforeAll(async () => {
    server = await startServer({ SEED: 'demo' });
    browser = await sharedBrowser(exe!);
    phoneCtx = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
      isMobile: true,
      hasTouch: true,
      geolocation: HERE,
      permissions: ['geolocation'],
    });
    phone = await phoneCtx.newPage();
    photo = artifact('mobile-photo.jpg');
    fs.writeFileSync(photo, await testJpeg({ color: '#8a6', width: 640 }));
    const session = await apiSession(server.url, 'grid');
    const cookie = `${session.cookies[0]!.name}=${session.cookies[0]!.value}`;
    gridGet = async <T>(url: string) => {
      const res = await fetch(`${server.url}${url}`, { headers: { cookie } });
      expect(res.status, url).toBe(200);
      return (await res.json()) as T;
    };
  });
  afterAll(async () => {
    await releaseBrowser(browser);
    await server?.stop();
  });

  it('signing in on the desktop login, the grid worker lands on the phone app’s task list', async () => {
    await phone.goto(server.url);
    await phone.fill('#login-username', 'grid');
    await phone.fill('#login-password', DEMO_PASSWORD);
    await phone.click('[data-testid=login-submit]');
    await phone.waitForURL(`${server.url}/m/`);
    await phone.waitForSelector('[data-testid=m-task-patrol]:has-text("湖滨一网格")');
    await phone.waitForSelector('[data-testid=m-task-grid-problems] .adm-list-item, .m-empty');
    // A grid worker's work only: no survey quotas, no inspection round, no rectification.
    for (const other of ['survey', 'inspect', 'rectify', 'volunteer'])
      expect(await phone.locator(`[data-testid=m-task-${other}]`).count()).toBe(0);
    // The service worker has taken the page: the shell and the flows are precached.
    await phone.waitForFunction(() => navigator.serviceWorker.controller !== null, null, {
      timeout: 30_000,
    });
    await settled(phone);
    await snap(phone, 'mobile-01-home.png');
  });

  it('reports a problem with a photo while offline: it waits in the queue', async () => {
    await phone.click('[data-testid=m-open-patrol]');
    await phone.waitForSelector('[data-testid=m-patrol]');
    await phone.waitForSelector('[data-testid=patrol-start]:not([disabled])');
    await settled(phone);
    await snap(phone, 'mobile-02-patrol-start.png');
    await phone.click('[data-testid=patrol-start]');
    await phone.waitForSelector('[data-testid=patrol-report]');

    await phoneCtx.setOffline(true);
    await phone.waitForSelector('[data-testid=m-offline]');
    await phone.click('[data-testid=patrol-report]');
    const sheet = phone.locator('[data-testid=patrol-sheet]');
    await sheet.waitFor();
    await phone.locator('[data-testid=patrol-photo-input]').setInputFiles(photo);
    await sheet.locator('.m-photo img').waitFor();
    await sheet.locator('.adm-selector-item', { hasText: '暴露垃圾' }).click();
    await phone.fill('[data-testid=patrol-note] textarea', NOTE);
    await phone.waitForSelector('[data-testid=patrol-submit]:has-text("上报：暴露垃圾")');
    await sheet.locator('.m-sheet-body').evaluate((el) => el.scrollTo(0, 0));
    await settled(phone);
    await snap(phone, 'mobile-03-report-sheet.png');
    await phone.click('[data-testid=patrol-submit]');
    await phone.waitForSelector('text=已保存，联网后自动上报');
    await phone.waitForSelector('[data-testid=offline-queue]:has-text("巡查问题：暴露垃圾")');
    await phone.waitForSelector('[data-testid=patrol-reported]:text-is("1")');
    await settled(phone);
    await snap(phone, 'mobile-04-queued-offline.png');

    // Nothing has reached the server: the patrol there has no problem yet.
    const patrols = await gridGet<{ items: PatrolRow[] }>('/api/patrols?limit=5');
    const mine = patrols.items.filter((p) => p.state === 'active').sort((a, b) => b.id - a.id)[0]!;
    const detail = await gridGet<{ problems: unknown[] }>(`/api/patrols/${mine.id}`);
    expect(detail.problems).toHaveLength(0);
  });

  it('back online, the queue syncs: the problem is on the server with its photo and place', async () => {
    await phoneCtx.setOffline(false);
    await phone.waitForSelector('[data-testid=offline-queue]', {
      state: 'detached',
      timeout: 30_000,
    });
    await phone.waitForSelector('.adm-toast-mask', { state: 'detached' });
    await snap(phone, 'mobile-05-synced.png');
    const patrols = await gridGet<{ items: PatrolRow[] }>('/api/patrols?limit=5');
    const mine = patrols.items.filter((p) => p.state === 'active').sort((a, b) => b.id - a.id)[0]!;
    expect(mine.gridName).toBe('湖滨一网格');
    const detail = await gridGet<{ problems: { id: number; title: string }[] }>(
      `/api/patrols/${mine.id}`,
    );
    expect(detail.problems).toEqual([expect.objectContaining({ title: '暴露垃圾' })]);
    const problem = await gridGet<{
      problem: { channel: string; description: string; lat: number; lng: number };
      photos: unknown[];
    }>(`/api/problems/${detail.problems[0]!.id}`);
    expect(problem.problem).toMatchObject({ channel: 'patrol', description: NOTE });
    expect(problem.problem.lat).toBeCloseTo(HERE.latitude, 4);
    expect(problem.problem.lng).toBeCloseTo(HERE.longitude, 4);
    expect(problem.photos).toHaveLength(1);
  });

  it('with the network cut, /m/ opens from the service worker, the patrol flow too', async () => {
    await phoneCtx.setOffline(true);
    const res = await phone.goto(`${server.url}/m/`);
    expect(res?.fromServiceWorker()).toBe(true);
    await phone.waitForSelector('[data-testid=m-task-patrol]');
    await phone.waitForSelector('[data-testid=m-patrol-walking]');
    await settled(phone);
    await snap(phone, 'mobile-06-home-offline.png');
    await phone.click('[data-testid=m-open-patrol]');
    await phone.waitForSelector('[data-testid=patrol-report]');
    await snap(phone, 'mobile-07-patrol-offline.png');
    await phone.click('.adm-nav-bar-back');
    await phone.waitForSelector('[data-testid=m-home]');
    await phoneCtx.setOffline(false);
  });

  it('an office user opening /m on a desktop gets the phone app too', async () => {
    const session = await apiSession(server.url, 'office');
    const ctx = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'zh-CN',
    });
    await ctx.addCookies(session.cookies);
    const page = await ctx.newPage();
    await page.goto(`${server.url}/m`);
    await page.waitForURL(`${server.url}/m/`);
    await page.waitForSelector('[data-testid=m-home]');
    // What the office's permissions allow and holds something: it may walk any grid; it rectifies
    // nothing (no unit).
    await page.waitForSelector('[data-testid=m-task-patrol]');
    expect(await page.locator('[data-testid=m-task-rectify]').count()).toBe(0);
    await settled(page);
    await snap(page, 'mobile-08-office-desktop.png');
    await page.click('[data-testid=m-tab-me]');
    await page.waitForSelector('[data-testid=m-user-name]');
    await snap(page, 'mobile-09-office-account.png');
  });

  /** For a picture: the 2-second toast gone (not waited for without pictures). */
  const toastGone = (page: Page) =>
    SCREENSHOTS ? page.waitForSelector('.adm-toast-mask', { state: 'detached' }) : undefined;

  /** A phone of the demo user `username`, signed in (as the desktop login would), at `at`. */
  async function phoneOf(username: string, at: { latitude: number; longitude: number }) {
    const session = await apiSession(server.url, username);
    const ctx = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
      isMobile: true,
      hasTouch: true,
      geolocation: at,
      permissions: ['geolocation'],
    });
    await ctx.addCookies(session.cookies);
    const page = await ctx.newPage();
    const cookie = `${session.cookies[0]!.name}=${session.cookies[0]!.value}`;
    const get = async <T>(url: string) => {
      const res = await fetch(`${server.url}${url}`, { headers: { cookie } });
      expect(res.status, url).toBe(200);
      return (await res.json()) as T;
    };
    await page.goto(`${server.url}/m/`);
    await page.waitForSelector('[data-testid=m-home]');
    // Installed (the shell and the flows precached) before the network is cut.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, {
      timeout: 30_000,
    });
    return { ctx, page, get };
  }

  it('the survey guide answers a questionnaire with the network cut: queued, then synced', async () => {
    const HOUSEHOLD = '12幢-1201';
    const { ctx, page, get } = await phoneOf('surveyor', {
      latitude: 30.2622,
      longitude: 120.1501,
    });
    const mine = () =>
      get<{ householdCode: string | null }[]>('/api/survey-responses?limit=500').then((r) =>
        r.filter((x) => x.householdCode === HOUSEHOLD),
      );
    await page.click('[data-testid=m-open-survey]');
    const quota = page.locator('[data-testid^=quota-]').first();
    await quota.waitFor();
    await settled(page);
    await snap(page, 'mobile-10-survey-quotas.png');
    await quota.click();
    await page.waitForSelector('#household-code');

    await ctx.setOffline(true);
    await page.waitForSelector('[data-testid=m-offline]');
    await page.fill('#household-code', HOUSEHOLD);
    await page.fill('#respondent-age', '42');
    await page.fill('#resident-months', '36');
    const questions = page.locator('[data-testid^=q-]');
    const n = await questions.count();
    expect(n).toBeGreaterThan(0);
    for (let i = 0; i < n; i++) await questions.nth(i).locator('.adm-radio').first().click();
    await page.waitForSelector(`[data-testid=survey-answered]:has-text("已答 ${n}/${n} 题")`);
    await settled(page);
    await snap(page, 'mobile-11-survey-form.png', { fullPage: true });
    await page.click('[data-testid=survey-submit]:has-text("离线保存")');
    await page.waitForSelector('text=已离线保存，联网后自动同步');
    await page.waitForSelector(`[data-testid=offline-queue]:has-text("问卷：")`);
    await page.waitForSelector('[data-testid=offline-queue-count]:has-text("待同步 1 条")');
    await toastGone(page);
    await snap(page, 'mobile-12-survey-queued.png');
    expect(await mine()).toHaveLength(0);

    await ctx.setOffline(false);
    await page.waitForSelector('[data-testid=offline-queue]', {
      state: 'detached',
      timeout: 30_000,
    });
    expect(await mine()).toEqual([expect.objectContaining({ householdCode: HOUSEHOLD })]);
    await page.click('.adm-nav-bar-back');
    await page.waitForSelector('[data-testid=quota-mine]');
    await settled(page);
    await snap(page, 'mobile-13-survey-synced.png');

    // With the network cut, /m/survey opens from the service worker with the quotas kept.
    await ctx.setOffline(true);
    const res = await page.goto(`${server.url}/m/survey`);
    expect(res?.fromServiceWorker()).toBe(true);
    await page.waitForSelector('[data-testid=survey-cached]');
    await page.locator('[data-testid^=quota-]').first().click();
    await page.waitForSelector('#household-code');
    await ctx.close();
  });

  it('the volunteer signs up for today’s activity and checks in offline; synced, then out', async () => {
    // The demo's activity under way today, at 湖滨社区新时代文明实践站.
    const TODAY = '湖滨社区环境清洁日';
    const { ctx, page, get } = await phoneOf('volunteer', {
      latitude: 30.2622,
      longitude: 120.1502,
    });
    await page.waitForSelector('[data-testid=m-task-volunteer]');
    await page.click('[data-testid=m-open-activities]');
    const item = page.locator(`[data-testid^=activity-]:has-text("${TODAY}")`);
    await item.waitFor();
    await settled(page);
    await snap(page, 'mobile-14-activities.png');
    const id = Number((await item.getAttribute('data-testid'))!.replace('activity-', ''));
    await item.click();
    await page.waitForSelector(`[data-testid=checkin-title]:has-text("${TODAY}")`);
    await page.click('[data-testid=checkin-sign-up]');
    // Sent, not merely queued: signed up with nothing waiting.
    await page.waitForSelector('[data-testid=checkin-signed-up]:not(:has-text("待同步"))');
    await page.waitForSelector('[data-testid=offline-queue]', { state: 'detached' });
    await page.waitForSelector('[data-testid=checkin-distance]:has-text("您距活动地点约")');
    await toastGone(page);
    await snap(page, 'mobile-15-checkin.png');

    await ctx.setOffline(true);
    await page.waitForSelector('[data-testid=m-offline]');
    await page.click('[data-testid=checkin-gps]');
    await page.waitForSelector('[data-testid=checked-in]:has-text("待同步")');
    await page.waitForSelector(`[data-testid=offline-queue]:has-text("签到：${TODAY}")`);
    await toastGone(page);
    await snap(page, 'mobile-16-checkin-queued.png');
    const before = await get<{ mine: { checkInAt: string | null } }>(
      `/api/volunteer-activities/${id}`,
    );
    expect(before.mine.checkInAt).toBeNull();

    await ctx.setOffline(false);
    await page.waitForSelector('[data-testid=offline-queue]', {
      state: 'detached',
      timeout: 30_000,
    });
    await page.waitForSelector('[data-testid=checked-in]:not(:has-text("待同步"))');
    const after = await get<{ mine: { checkInAt: string | null } }>(
      `/api/volunteer-activities/${id}`,
    );
    expect(after.mine.checkInAt).not.toBeNull();
    await page.click('[data-testid=checkin-gps]');
    await page.waitForSelector('[data-testid=checkin-done]');
    await page.waitForSelector('[data-testid=offline-queue]', { state: 'detached' });
    // The server's hours, from the check-in made offline to this check-out.
    await page.waitForSelector('[data-testid=checkin-hours]:has-text("服务时长")');
    await page.waitForSelector('[data-testid=activity-hours]:not(:has-text("未签退"))');
    await toastGone(page);
    await settled(page);
    await snap(page, 'mobile-17-checked-out.png');

    // With the network cut, the activity opens from the service worker as last seen.
    await ctx.setOffline(true);
    const res = await page.goto(`${server.url}/m/checkin/${id}`);
    expect(res?.fromServiceWorker()).toBe(true);
    await page.waitForSelector('[data-testid=checkin-cached]');
    await page.waitForSelector('[data-testid=checkin-done]');
    await ctx.close();
  });
});
