import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TMyRound, TVisit } from '../core/contracts/inspections.js';
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
// the network cut, from its service worker. Then the demo inspector's 实地检查 in the phone app:
// one visit of the demo round's points made with the network cut (queued), synced once back.
// The demo unit (登录 unit) opens a problem dispatched to it, loses the network, reports the
// rectification with a photo (queued), gets the network back (synced: the problem waits for
// verification, with the photo and the phone's position), and logs a household visit for its 包联.
// The demo survey guide answers a questionnaire with the network cut (queued, then synced), and the
// demo volunteer signs up for today's activity and checks in offline (synced with the time it was
// made), then out.

/** Inside the demo grid 湖滨一网格 (120.155–120.165 × 30.262–30.277). */
const HERE = { latitude: 30.2655, longitude: 120.1589 };
const NOTE = '垃圾桶旁堆放装修垃圾（手机端）';

/**
 * Until an antd-mobile sheet has slid all the way up (its spring is not a CSS animation, which
 * settled() would see): its foot, the last thing in it, is inside the window.
 */
async function sheetUp(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const foot = document.querySelector('.adm-popup-body .m-sheet-foot');
    const r = foot?.getBoundingClientRect();
    return !!r && r.height > 0 && Math.abs(r.bottom - window.innerHeight) < 1;
  });
  await settled(page);
}

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
    // The page's inline early script ran (the policy allows it by its hash, web-csp.ts).
    expect(await phone.evaluate<string>('typeof globalThis.__ccEarly')).toBe('object');
    // …and asked for the task list's reads, which the task list took: each asked once (asked
    // twice, the early answer was not the one the list wanted; bench phone-load shows when).
    // A resource entry is written when its answer has arrived: on a loaded machine /api/patrols
    // may still be on its way when the grid's card shows, so wait for all three, then count.
    const asked = () =>
      phone.evaluate<string[]>(
        `performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname)
          .filter((p) => ['/api/grids', '/api/patrols', '/api/auth/me'].includes(p)).sort()`,
      );
    await expect.poll(async () => new Set(await asked()).size).toBe(3);
    expect(await asked()).toEqual(['/api/auth/me', '/api/grids', '/api/patrols']);
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

  it('the queue is its person’s: the next account on the phone neither sends nor sees it', async () => {
    /** Signs in on the phone app's own sign-in page. */
    const signIn = async (username: string) => {
      await phone.waitForSelector('[data-testid=m-signin]');
      await phone.fill('#m-login-username', username);
      await phone.fill('#m-login-password', DEMO_PASSWORD);
      await phone.click('[data-testid=m-login-submit]');
      // Signed out on 我的, signed in there again: the task list is the other tab.
      await phone.click('[data-testid=m-tab-home]');
      await phone.waitForSelector('[data-testid=m-home]');
    };
    const signOut = async () => {
      await phone.click('[data-testid=m-tab-me]');
      await phone.click('[data-testid=m-sign-out]');
    };
    // The grid worker's walk under way, fixed now: the office's own walk below is newer, and until
    // its end reaches the server it is active too (picking "the newest active" raced with it).
    const patrols = await gridGet<{ items: PatrolRow[] }>('/api/patrols?limit=5');
    const walkId = patrols.items
      .filter((p) => p.state === 'active')
      .sort((a, b) => b.id - a.id)[0]!.id;
    const problemsOf = async () =>
      (await gridGet<{ problems: { title: string }[] }>(`/api/patrols/${walkId}`)).problems;
    const before = (await problemsOf()).length;
    // The grid worker reports another problem on the walk; its request fails as with no network
    // (the rest of the app is online), so it waits in the queue.
    const report = '**/api/patrols/*/problems';
    await phoneCtx.route(report, (route) => route.abort('internetdisconnected'));
    await phone.click('[data-testid=m-open-patrol]');
    await phone.click('[data-testid=patrol-report]');
    const sheet = phone.locator('[data-testid=patrol-sheet]');
    await sheet.waitFor();
    await sheet.locator('.adm-selector-item', { hasText: '暴露垃圾' }).click();
    await phone.click('[data-testid=patrol-submit]');
    await phone.waitForSelector('[data-testid=offline-queue-count]:has-text("待同步 1 条")');
    await phone.click('.adm-nav-bar-back');
    await signOut();

    // The office signs in on the same phone, the network whole again: the grid worker's item is
    // only counted, never sent under this session; their walk is not shown.
    await phoneCtx.unroute(report);
    const sent: string[] = [];
    const listen = (r: { url(): string; method(): string }) => {
      if (r.method() === 'POST' && /\/api\/patrols\/[^/]+\/problems$/.test(r.url()))
        sent.push(r.url());
    };
    phoneCtx.on('request', listen);
    await signIn('office');
    await phone.waitForSelector(
      '[data-testid=m-queue-others]:has-text("其他账号的待发送记录 1 条")',
    );
    await phone.waitForSelector('[data-testid=m-task-patrol]');
    expect(await phone.locator('[data-testid=m-patrol-walking]').count()).toBe(0);
    await settled(phone);
    await snap(phone, 'mobile-08a-other-account-queue.png');
    // The office walks a patrol of its own: each of its writes flushes the queue, which sends the
    // office's items only (the grid worker's, older, would go first otherwise).
    await phone.click('[data-testid=m-open-patrol]');
    await phone.click('[data-testid=patrol-start]:not([disabled])');
    await phone.click('[data-testid=patrol-end]');
    await phone.waitForSelector('[data-testid=patrol-ended]');
    await phone.waitForSelector('[data-testid=m-queue-others]');
    expect(sent).toEqual([]);
    expect(await problemsOf()).toHaveLength(before);
    await phone.click('.adm-nav-bar-back');

    // The grid worker signs in again: their walk is there, and their item goes at once.
    await signOut();
    await signIn('grid');
    await phone.waitForSelector('[data-testid=m-patrol-walking]');
    await phone.waitForSelector('[data-testid=offline-queue]', {
      state: 'detached',
      timeout: 30_000,
    });
    phoneCtx.off('request', listen);
    expect(sent).toHaveLength(1);
    expect(await problemsOf()).toHaveLength(before + 1);
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

  it('实地检查: the demo inspector visits a point with the network cut; it syncs once back', async () => {
    const session = await apiSession(server.url, 'inspector');
    const cookie = `${session.cookies[0]!.name}=${session.cookies[0]!.value}`;
    const inspectorGet = async <T>(url: string) => {
      const res = await fetch(`${server.url}${url}`, { headers: { cookie } });
      expect(res.status, url).toBe(200);
      return (await res.json()) as T;
    };
    // A point of the demo round (第二次模拟测评) left for later, with a position to stand by.
    const mine = await inspectorGet<{ items: TMyRound[] }>('/api/inspections/mine');
    const round = mine.items.find((r) =>
      r.points.some((p) => p.visitId === null && p.lat !== null),
    )!;
    const point = round.points.find((p) => p.visitId === null && p.lat !== null)!;
    const ctx = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
      isMobile: true,
      hasTouch: true,
      // About 20 m from the point.
      geolocation: { latitude: point.lat! + 0.00015, longitude: point.lng! + 0.0001 },
      permissions: ['geolocation'],
    });
    await ctx.addCookies(session.cookies);
    const page = await ctx.newPage();
    await page.goto(`${server.url}/m/`);
    await page.waitForSelector('[data-testid=m-task-inspect]');
    await page.click('[data-testid=m-open-inspect]');
    await page.waitForSelector(`[data-testid=inspect-point-${point.id}]:has-text(" m")`);
    await settled(page);
    await snap(page, 'mobile-10-inspect-points.png');

    await ctx.setOffline(true);
    await page.click(`[data-testid=inspect-point-${point.id}]`);
    await page.waitForSelector('[data-testid=visit-form]');
    await page.waitForSelector('[data-testid=visit-distance]');
    await snap(page, 'mobile-11-visit-top.png');
    // The first item fails with a note and a photo; the rest pass, counted where a rule asks.
    for (const [i, item] of point.checklist.entries()) {
      const q = item.quantity;
      if (q)
        await page.fill(
          `[data-testid=check-${i}-count] input`,
          String(q.kind === 'count' ? q.min + 1 : 20),
        );
      if (q?.kind === 'ratio') await page.fill(`[data-testid=check-${i}-total] input`, '20');
      await page.click(`[data-testid=check-${i}-${i === 0 ? 'fail' : 'pass'}]`);
    }
    await page.fill('[data-testid=check-0-note] textarea', '入口处堆放杂物（手机端）');
    await page.locator('[data-testid=check-0-photo]').setInputFiles(photo);
    await page.waitForSelector('[data-testid=check-item-0] img');
    await page.locator('[data-testid=check-item-0]').scrollIntoViewIfNeeded();
    await settled(page);
    await snap(page, 'mobile-12-visit-offline.png');
    await page.click('[data-testid=visit-submit]');
    await page.waitForSelector('[data-testid=inspect-done]:has-text("已保存在本机")');
    await page.waitForSelector(`[data-testid=offline-queue]:has-text("点位检查：${point.name}")`);
    await page.waitForSelector(`[data-testid=inspect-point-${point.id}]:has-text("待同步")`);
    await settled(page);
    await snap(page, 'mobile-13-visit-queued.png');
    const before = await inspectorGet<{ items: TVisit[] }>(
      `/api/visits?roundId=${round.id}&pointId=${point.id}`,
    );
    expect(before.items).toHaveLength(0);

    await ctx.setOffline(false);
    await page.waitForSelector('[data-testid=offline-queue]', {
      state: 'detached',
      timeout: 30_000,
    });
    await page.waitForSelector(`[data-testid=inspect-point-${point.id}]:has-text("不合格")`);
    await snap(page, 'mobile-14-visit-synced.png');
    const after = await inspectorGet<{ items: TVisit[] }>(
      `/api/visits?roundId=${round.id}&pointId=${point.id}`,
    );
    expect(after.items).toHaveLength(1);
    const v = after.items[0]!;
    expect(['fail', 'serious']).toContain(v.result);
    expect(v.far).toBe(false);
    expect(v.items[0]).toMatchObject({ result: 'fail', note: '入口处堆放杂物（手机端）' });
    expect(v.items[0]!.photoIds).toHaveLength(1);
    expect(v.problemId).not.toBeNull();
    // The list says it synced; the point opens its record, naming the problem its failure raised.
    await page.waitForSelector('[data-testid=inspect-done]:has-text("已同步")');
    await page.click(`[data-testid=inspect-point-${point.id}]`);
    await page.waitForSelector(`[data-testid=visit-problem]:has-text("${v.problemCode!}")`);
    await settled(page);
    await snap(page, 'mobile-15-visit-record.png');
    await ctx.close();
  });

  it('the demo unit reports a rectification with the network cut: queued, synced, the problem moves on', async () => {
    const session = await apiSession(server.url, 'unit');
    const cookie = `${session.cookies[0]!.name}=${session.cookies[0]!.value}`;
    const unitGet = async <T>(url: string) => {
      const res = await fetch(`${server.url}${url}`, { headers: { cookie } });
      expect(res.status, url).toBe(200);
      return (await res.json()) as T;
    };
    const me = await unitGet<{ user: { unitId: number } }>('/api/auth/me');
    const open = await unitGet<{ items: { id: number; title: string }[] }>(
      `/api/problems?state=dispatched&unitId=${me.user.unitId}&sort=deadline&order=asc&limit=1`,
    );
    const target = open.items[0]!;
    const ctx = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
      isMobile: true,
      hasTouch: true,
      geolocation: HERE,
      permissions: ['geolocation'],
    });
    await ctx.addCookies(session.cookies);
    const unit = await ctx.newPage();
    await unit.goto(`${server.url}/m/`);
    const card = unit.locator('[data-testid=m-task-rectify]');
    await card.locator(`.adm-list-item:has-text("${target.title}")`).waitFor();
    await unit.waitForSelector('[data-testid=m-task-visits]:has-text("湖滨社区3幢")');
    await settled(unit);
    await snap(unit, 'mobile-20-unit-home.png');
    await card.locator(`.adm-list-item:has-text("${target.title}")`).click();
    await unit.waitForSelector(`[data-testid=m-problem-title]:has-text("${target.title}")`);
    await unit.waitForSelector('[data-testid=m-timeline]');
    await settled(unit);
    await snap(unit, 'mobile-21-unit-problem.png', { fullPage: true });

    await ctx.setOffline(true);
    await unit.waitForSelector('[data-testid=m-offline]');
    await unit.click('[data-testid=m-step-submit]');
    const sheet = unit.locator('[data-testid=m-step-sheet]');
    await sheet.waitFor();
    await unit.locator('[data-testid=m-step-photos-input]').setInputFiles(photo);
    await sheet.locator('.m-thumb img').waitFor();
    await unit.fill('[data-testid=m-step-note] textarea', '已组织清理，恢复原状（手机端离线上报）');
    await sheetUp(unit);
    await snap(unit, 'mobile-22-unit-rectify-sheet.png');
    await unit.click('[data-testid=m-step-send]');
    await unit.waitForSelector('text=已保存，联网后自动提交');
    await unit.waitForSelector(`[data-testid=offline-queue]:has-text("整改上报：${target.title}")`);
    await unit.waitForSelector('[data-testid=m-step-waiting]');
    // The picture without the toast over it (it goes after 2 s; nothing to wait for otherwise).
    if (SCREENSHOTS) await unit.waitForSelector('.adm-toast-mask', { state: 'detached' });
    await snap(unit, 'mobile-23-unit-rectify-queued.png');
    // Nothing has reached the server yet.
    const before = await unitGet<{ problem: { state: string } }>(`/api/problems/${target.id}`);
    expect(before.problem.state).toBe('dispatched');

    await ctx.setOffline(false);
    await unit.waitForSelector('[data-testid=offline-queue]', {
      state: 'detached',
      timeout: 30_000,
    });
    await unit.waitForSelector('[data-testid=m-problem-state]:has-text("待核查")');
    await unit.waitForSelector('[data-testid=m-photos-after] img');
    await settled(unit);
    await snap(unit, 'mobile-24-unit-rectify-synced.png', { fullPage: true });
    const after = await unitGet<{
      problem: { state: string };
      photos: { stage: string }[];
      timeline: { action: string; note: string | null; data: Record<string, unknown> | null }[];
    }>(`/api/problems/${target.id}`);
    expect(after.problem.state).toBe('submitted');
    expect(after.photos.filter((x) => x.stage === 'after')).toHaveLength(1);
    const submitted = after.timeline.filter((e) => e.action === 'submit');
    expect(submitted).toHaveLength(1);
    expect(submitted[0]!.note).toBe('已组织清理，恢复原状（手机端离线上报）');
    expect(submitted[0]!.data).toMatchObject({ lat: HERE.latitude, lng: HERE.longitude });

    // 入户走访: the unit's pairings, and a visit logged in 湖滨社区 3幢.
    await unit.goto(`${server.url}/m/visits`);
    await unit.waitForSelector('[data-testid=m-pairings]:has-text("湖滨社区 3幢")');
    await unit.click('[data-testid=m-pairings] .adm-list-item:has-text("湖滨社区 3幢")');
    await unit.locator('[data-testid=m-visit-sheet]').waitFor();
    await unit.fill('[data-testid=m-visit-household] input', '2单元502');
    await sheetUp(unit);
    await snap(unit, 'mobile-25-unit-visit-sheet.png');
    await unit.click('[data-testid=m-visit-send]');
    // Sent, and read back from the server (not the queue's entry of a moment ago).
    await unit.waitForSelector(
      '[data-testid=m-my-visits] .adm-list-item:not([data-testid=m-visit-queued]):has-text("3幢2单元502")',
    );
    // The picture without the toast over it (it goes after 2 s; nothing to wait for otherwise).
    if (SCREENSHOTS) await unit.waitForSelector('.adm-toast-mask', { state: 'detached' });
    await snap(unit, 'mobile-26-unit-visits.png', { fullPage: true });

    // With the network cut, both flows open: the app from its service worker, the problem and the
    // pairings as the phone kept them.
    await unit.waitForFunction(() => navigator.serviceWorker.controller !== null, null, {
      timeout: 30_000,
    });
    await ctx.setOffline(true);
    const res = await unit.goto(`${server.url}/m/rectify/${target.id}`);
    expect(res?.fromServiceWorker()).toBe(true);
    await unit.waitForSelector('[data-testid=m-problem-state]:has-text("待核查")');
    await unit.waitForSelector('[data-testid=m-kept]');
    await unit.goto(`${server.url}/m/visits`);
    await unit.waitForSelector('[data-testid=m-pairings]:has-text("湖滨社区 3幢")');
    await unit.waitForSelector('[data-testid=m-my-visits]:has-text("3幢2单元502")');
    await settled(unit);
    await snap(unit, 'mobile-27-unit-visits-offline.png');
    await ctx.setOffline(false);
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
    await snap(page, 'mobile-30-survey-quotas.png');
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
    await snap(page, 'mobile-31-survey-form.png', { fullPage: true });
    await page.click('[data-testid=survey-submit]:has-text("离线保存")');
    await page.waitForSelector('text=已离线保存，联网后自动同步');
    await page.waitForSelector(`[data-testid=offline-queue]:has-text("问卷：")`);
    await page.waitForSelector('[data-testid=offline-queue-count]:has-text("待同步 1 条")');
    await toastGone(page);
    await snap(page, 'mobile-32-survey-queued.png');
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
    await snap(page, 'mobile-33-survey-synced.png');

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
    await snap(page, 'mobile-34-activities.png');
    const id = Number((await item.getAttribute('data-testid'))!.replace('activity-', ''));
    await item.click();
    await page.waitForSelector(`[data-testid=checkin-title]:has-text("${TODAY}")`);
    await page.click('[data-testid=checkin-sign-up]');
    // Sent, not merely queued: signed up with nothing waiting.
    await page.waitForSelector('[data-testid=checkin-signed-up]:not(:has-text("待同步"))');
    await page.waitForSelector('[data-testid=offline-queue]', { state: 'detached' });
    await page.waitForSelector('[data-testid=checkin-distance]:has-text("您距活动地点约")');
    await toastGone(page);
    await snap(page, 'mobile-35-checkin.png');

    await ctx.setOffline(true);
    await page.waitForSelector('[data-testid=m-offline]');
    await page.click('[data-testid=checkin-gps]');
    await page.waitForSelector('[data-testid=checked-in]:has-text("待同步")');
    await page.waitForSelector(`[data-testid=offline-queue]:has-text("签到：${TODAY}")`);
    await toastGone(page);
    await snap(page, 'mobile-36-checkin-queued.png');
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
    await snap(page, 'mobile-37-checked-out.png');

    // With the network cut, the activity opens from the service worker as last seen.
    await ctx.setOffline(true);
    const res = await page.goto(`${server.url}/m/checkin/${id}`);
    expect(res?.fromServiceWorker()).toBe(true);
    await page.waitForSelector('[data-testid=checkin-cached]');
    await page.waitForSelector('[data-testid=checkin-done]');
    await ctx.close();
  });
});
