import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testJpeg } from '../server/test/images.js';
import {
  artifact,
  chromiumPath,
  keepFailures,
  openPages,
  apiSession,
  releaseBrowser,
  type RunningServer,
  settled,
  sharedBrowser,
  signIn,
  snap,
  startServer,
} from './harness.js';

const exe = chromiumPath();

// A grid worker patrols 湖滨一网格 on a phone, loses the network halfway, reports a problem and
// ends the patrol offline; back online the queue syncs; the office sees the track and the problem.

/** A walk north through the demo grid 湖滨一网格 (120.155–120.165 × 30.262–30.277), ~80 m a step. */
const WALK = Array.from({ length: 14 }, (_, i) => ({
  latitude: 30.264 + i * 0.0007,
  longitude: 120.1585 + (i % 2) * 0.0004,
}));

describe.runIf(exe)('grids and patrols', () => {
  let server: RunningServer;
  let browser: Browser;
  let phoneCtx: BrowserContext;
  let phone: Page;
  let office: Page;
  let photo: string;
  keepFailures('grids', () => ({ pages: openPages(browser), server }));

  beforeAll(async () => {
    server = await startServer({ SEED: 'demo' });
    browser = await sharedBrowser(exe!);
    phoneCtx = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
      isMobile: true,
      hasTouch: true,
      geolocation: WALK[0]!,
      permissions: ['geolocation'],
    });
    phone = await phoneCtx.newPage();
    office = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    photo = artifact('patrol-photo.jpg');
    fs.writeFileSync(photo, await testJpeg({ color: '#6a4', width: 600 }));
  });
  afterAll(async () => {
    await releaseBrowser(browser);
    await server?.stop();
  });

  const samples = async () =>
    Number(await phone.locator('[data-testid=patrol-samples]').innerText());
  /** Moves the phone and waits until the screen has recorded the new position. */
  async function step(i: number) {
    const before = await samples();
    await phoneCtx.setGeolocation(WALK[i]!);
    await phone.waitForFunction(
      (n) => Number(document.querySelector('[data-testid=patrol-samples]')?.textContent) > n,
      before,
      { timeout: 10_000 },
    );
  }

  it('walks a patrol on the phone, offline halfway, and the queue syncs when back online', async () => {
    // The phone app's patrol flow (/m/patrol; the desktop's old /patrol address redirects there).
    await phoneCtx.addCookies((await apiSession(server.url, 'grid')).cookies);
    const opened = await phone.goto(`${server.url}/patrol`);
    expect(new URL(opened!.url()).pathname).toBe('/m/patrol');
    await phone.waitForSelector('[data-testid=patrol-start]:not([disabled])');
    expect(await phone.locator('[data-testid=m-patrol-grids]').innerText()).toContain('湖滨一网格');
    await snap(phone, 'grids-01-phone-start.png');
    await phone.click('[data-testid=patrol-start]');
    await phone.waitForSelector('text=巡查中');
    for (let i = 1; i <= 6; i++) await step(i);

    // The network goes; the walk goes on.
    await phoneCtx.setOffline(true);
    await phone.waitForSelector('[data-testid=m-offline]');
    for (let i = 7; i <= 10; i++) await step(i);
    await phone.click('[data-testid=patrol-report]');
    await phone.waitForSelector('[data-testid=patrol-sheet]');
    await phone.locator('[data-testid=patrol-photo-input]').setInputFiles(photo);
    await phone
      .locator('[data-testid=patrol-sheet] .adm-selector-item', { hasText: '暴露垃圾' })
      .click();
    await phone.click('[data-testid=patrol-submit]');
    await phone.waitForSelector('text=已保存，联网后自动上报');
    for (let i = 11; i <= 13; i++) await step(i);
    await snap(phone, 'grids-02-phone-offline.png');
    await phone.click('[data-testid=patrol-end]');
    await phone.waitForSelector('[data-testid=patrol-ended]');
    const waiting = await phone.locator('[data-testid=offline-queue-count]').innerText();
    expect(Number(/\d+/.exec(waiting)![0])).toBeGreaterThanOrEqual(3);
    await snap(phone, 'grids-03-phone-ended-offline.png');

    // Back online: the queue empties itself, in order.
    await phoneCtx.setOffline(false);
    await phone.waitForSelector('[data-testid=offline-queue]', {
      state: 'detached',
      timeout: 30_000,
    });
    await snap(phone, 'grids-04-phone-synced.png');
  });

  it('shows the office the track and the problem in the grid', async () => {
    await signIn(office, `${server.url}/patrols`, 'office');
    await office.click('[data-testid=patrol-list] tr:has-text("孙网格")');
    await office.waitForSelector('[data-testid=patrol-problems]:has-text("暴露垃圾")');
    const patrol = await office.evaluate(async () => {
      const list = (await (await fetch('/api/patrols')).json()) as { items: { id: number }[] };
      return (await (await fetch(`/api/patrols/${list.items[0]!.id}`)).json()) as {
        patrol: { state: string; coverage: number; pointCount: number; problemCount: number };
        track: unknown[];
        problems: { id: number }[];
      };
    });
    expect(patrol.patrol.state).toBe('ended');
    expect(patrol.track.length).toBe(patrol.patrol.pointCount);
    expect(patrol.patrol.pointCount).toBeGreaterThanOrEqual(WALK.length);
    expect(patrol.patrol.coverage).toBeGreaterThan(0);
    expect(patrol.problems).toHaveLength(1);
    // The track is drawn on the map.
    expect(
      await office.locator('[data-testid=patrol-review] path.leaflet-interactive').count(),
    ).toBeGreaterThanOrEqual(2);
    await settled(office);
    await snap(office, 'grids-05-office-patrol.png');

    await office.goto(`${server.url}/grids`);
    await office.waitForSelector('tr:has-text("湖滨一网格")');
    await settled(office);
    await snap(office, 'grids-00-office-grids.png');
    await office.click('tr:has-text("湖滨一网格")');
    await office.waitForSelector('[data-testid=grid-members]:has-text("孙网格")');
    const pins = await office.evaluate(async (problemId) => {
      const grids = (await (await fetch('/api/grids?q=湖滨一')).json()) as {
        items: { id: number }[];
      };
      const res = await fetch(`/api/grids/${grids.items[0]!.id}/problems`);
      return ((await res.json()) as { items: { id: number; channel: string }[] }).items.filter(
        (p) => p.id === problemId,
      );
    }, patrol.problems[0]!.id);
    expect(pins).toEqual([expect.objectContaining({ channel: 'patrol' })]);
    await settled(office);
    await snap(office, 'grids-06-office-grid.png');
    await office.click('[data-testid=grid-edit-members]');
    await office.waitForSelector('.ant-modal-title:has-text("配置人员")');
    await settled(office);
    await snap(office, 'grids-07-office-members.png');
    await office.keyboard.press('Escape');
  });
});
