import type { APIRequestContext, Browser, Page } from 'playwright-core';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testJpeg } from '../server/test/images.js';
import {
  artifact,
  chromiumPath,
  confirmModal,
  keepFailures,
  openPages,
  releaseBrowser,
  type RunningServer,
  settled,
  sharedBrowser,
  signIn,
  snap,
  startServer,
} from './harness.js';

// 核查队列 on a phone: the verifier sends a rectification back from the queue, the unit fixes it
// again, the verifier closes it from the queue, and the ledger shows it closed.

const exe = chromiumPath();
const PHONE = { width: 375, height: 812 };
const TITLE = '青年路公交站旁垃圾桶破损';

/** Signs in through the API (for setting the scene) and answers the CSRF token. */
async function apiSignIn(request: APIRequestContext, url: string, username: string) {
  const res = await request.post(`${url}/api/auth/login`, {
    data: { username, password: 'Demo@2026' },
  });
  expect(res.status()).toBe(200);
  return ((await res.json()) as { csrfToken: string }).csrfToken;
}

async function apiPost<T>(request: APIRequestContext, csrf: string, url: string, data: unknown) {
  const res = await request.post(url, { data, headers: { 'x-csrf-token': csrf } });
  expect(res.status(), await res.text()).toBeLessThan(300);
  return (await res.json()) as T;
}

async function uploadPhoto(request: APIRequestContext, csrf: string, url: string, color: string) {
  const res = await request.post(`${url}/api/files`, {
    headers: { 'x-csrf-token': csrf },
    multipart: {
      file: {
        name: 'photo.jpg',
        mimeType: 'image/jpeg',
        buffer: await testJpeg({ color, width: 320 }),
      },
    },
  });
  expect(res.status()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** The page scrolls only up and down: nothing is wider than the screen. */
async function expectNoHorizontalScroll(page: Page) {
  const widths = await page.evaluate(() => ({
    doc: document.documentElement.scrollWidth,
    body: document.body.scrollWidth,
    view: window.innerWidth,
    // the app uses the whole width of the screen (no frame around it)
    layout: document.querySelector('.ant-layout')!.getBoundingClientRect().width,
    cardsRight: Math.max(
      ...[...document.querySelectorAll('.ant-card')].map((c) => c.getBoundingClientRect().right),
    ),
  }));
  expect(widths.doc).toBeLessThanOrEqual(widths.view);
  expect(widths.body).toBeLessThanOrEqual(widths.view);
  expect(widths.layout).toBe(widths.view);
  expect(widths.cardsRight).toBeLessThanOrEqual(widths.view);
}

interface Detail {
  problem: { id: number; version: number; code: string };
}

describe.runIf(exe)('the verification queue on a phone', () => {
  let server: RunningServer;
  let browser: Browser;
  let verifier: Page;
  let unit: Page;
  let problemId = 0;
  let code = '';
  let photo = '';
  keepFailures('verification-queue', () => ({ pages: openPages(browser), server }));
  const card = () => verifier.locator(`[data-testid=queue-card][data-code="${code}"]`);

  beforeAll(async () => {
    server = await startServer({ SEED: 'demo' });
    browser = await sharedBrowser(exe!);
    const phone = () =>
      browser.newContext({ viewport: PHONE, locale: 'zh-CN', isMobile: true, hasTouch: true });
    verifier = await (await phone()).newPage();
    unit = await (await phone()).newPage();
    photo = artifact('queue-after-2.jpg');
    fs.writeFileSync(photo, await testJpeg({ color: '#2a7', width: 400 }));

    // The scene: the office registers and dispatches a problem with a photo; the unit submits
    // its rectification with an after-photo.
    const office = await browser.newContext();
    const oc = await apiSignIn(office.request, server.url, 'office');
    const cats = (await (
      await office.request.get(`${server.url}/api/problem-categories`)
    ).json()) as {
      items: { id: number; code: string }[];
    };
    const regions = (await (await office.request.get(`${server.url}/api/regions`)).json()) as {
      items: { id: number; level: string }[];
    };
    const units = (await (
      await office.request.get(`${server.url}/api/units?q=${encodeURIComponent('城市管理')}`)
    ).json()) as { items: { id: number; name: string }[] };
    const before = await uploadPhoto(office.request, oc, server.url, '#a55');
    const created = await apiPost<Detail>(office.request, oc, `${server.url}/api/problems`, {
      title: TITLE,
      description: '垃圾桶桶身开裂，垃圾外溢',
      categoryId: cats.items.find((c) => c.code === 'HJ04')!.id,
      regionId: regions.items.find((r) => r.level === 'community')!.id,
      address: '青年路公交站',
      register: true,
      photoIds: [before],
    });
    const dispatched = await apiPost<Detail>(
      office.request,
      oc,
      `${server.url}/api/problems/${created.problem.id}/actions`,
      {
        action: 'dispatch',
        version: created.problem.version,
        unitId: units.items.find((u) => u.name === '市城市管理综合执法局')!.id,
      },
    );
    const uc = await apiSignIn(unit.request, server.url, 'unit');
    const after = await uploadPhoto(unit.request, uc, server.url, '#5a5');
    await apiPost(unit.request, uc, `${server.url}/api/problems/${created.problem.id}/actions`, {
      action: 'submit',
      version: dispatched.problem.version,
      note: '已更换新垃圾桶',
      photoIds: [after],
    });
    problemId = created.problem.id;
    code = created.problem.code;
    await office.close();
  });
  afterAll(async () => {
    await releaseBrowser(browser);
    await server?.stop();
  });

  it('the submitted problem is in the queue, with photos side by side', async () => {
    await signIn(verifier, server.url, 'inspector');
    await verifier.click('[data-testid=menu-button]');
    // the menu counts what waits
    await verifier.waitForSelector('[data-testid=menu-verification] .ant-badge-count');
    await settled(verifier); // the drawer has slid in
    await snap(verifier, 'queue-01-menu-count.png');
    await verifier.click('[data-testid=menu-verification]');
    await card().waitFor();
    await expect.poll(() => card().locator('[data-testid=queue-before] img').count()).toBe(1);
    expect(await card().locator('[data-testid=queue-after] img').count()).toBe(1);
    expect(await card().locator('[data-testid=queue-note]').innerText()).toContain(
      '已更换新垃圾桶',
    );
    // the two photo columns sit side by side, the buttons span the card
    const beforeBox = (await card().locator('[data-testid=queue-before]').boundingBox())!;
    const afterBox = (await card().locator('[data-testid=queue-after]').boundingBox())!;
    expect(Math.abs(beforeBox.y - afterBox.y)).toBeLessThan(2);
    expect(afterBox.x).toBeGreaterThan(beforeBox.x + beforeBox.width - 1);
    const cardBox = (await card().boundingBox())!;
    const approveBox = (await card().locator('[data-testid=queue-approve]').boundingBox())!;
    expect(approveBox.width).toBeGreaterThan(cardBox.width - 40);
    await expectNoHorizontalScroll(verifier);
    await card().scrollIntoViewIfNeeded();
    await snap(verifier, 'queue-02-phone-queue.png');
    await snap(verifier, 'queue-02b-phone-queue-full.png', { fullPage: true });
    // tap to enlarge
    await card().locator('[data-testid=queue-after] img').first().click();
    await verifier.waitForSelector('.ant-image-preview-img');
    await settled(verifier);
    await snap(verifier, 'queue-03-photo-preview.png');
    await verifier.keyboard.press('Escape');
    await verifier.waitForSelector('.ant-image-preview-img', { state: 'detached' });
  });

  it('the verifier sends it back for rework with a reason', async () => {
    await card().locator('[data-testid=queue-rework]').click();
    await verifier.waitForSelector('#queue-rework-reason');
    // a reason is required
    expect(await verifier.locator('#queue-rework-ok').isDisabled()).toBe(true);
    await verifier.fill('#queue-rework-reason', '新桶未固定，仍有垃圾外溢，请返工');
    expect(await verifier.locator('#queue-rework-ok').isDisabled()).toBe(false);
    await settled(verifier); // the dialog has finished opening
    await snap(verifier, 'queue-04-rework-reason.png');
    await confirmModal(verifier, verifier.locator('.ant-modal:has(#queue-rework-ok)'));
    await card().waitFor({ state: 'detached' });
    await expectNoHorizontalScroll(verifier);
  });

  it('the unit resubmits on its phone', async () => {
    // (signed in as the unit when the scene was set)
    await unit.goto(`${server.url}/problems/${problemId}`);
    await unit.waitForSelector('[data-testid=action-submit]');
    expect(await unit.locator('[data-testid=timeline]').innerText()).toContain(
      '新桶未固定，仍有垃圾外溢，请返工',
    );
    await unit.click('[data-testid=action-submit]');
    await unit.locator('.ant-modal input[type=file]').setInputFiles(photo);
    await unit.waitForSelector(
      '.ant-modal .ant-upload-list-item-done, .ant-modal .ant-upload-list-item-container img',
    );
    await unit.fill('#action-note', '已用膨胀螺栓固定新桶，周边已清理');
    await confirmModal(unit, unit.locator('.ant-modal:has(#action-note)'));
    await unit.waitForSelector('.ant-tag:has-text("待核查")');
  });

  it('the verifier closes it from the queue', async () => {
    await verifier.reload();
    await card().waitFor();
    // the latest submission: its note and its photo, and the rework counted
    expect(await card().locator('[data-testid=queue-note]').innerText()).toContain(
      '已用膨胀螺栓固定新桶',
    );
    expect(await card().innerText()).toContain('返工 1 次');
    await card().scrollIntoViewIfNeeded();
    await snap(verifier, 'queue-05-resubmitted.png');
    await card().locator('[data-testid=queue-approve]').click();
    await settled(verifier); // the dialog has finished opening
    await snap(verifier, 'queue-06-approve-confirm.png');
    await confirmModal(
      verifier,
      verifier.locator('.ant-modal-confirm:has(#queue-approve-confirm)'),
    );
    await card().waitFor({ state: 'detached' });
    await snap(verifier, 'queue-06b-after-approve.png');
  });

  it('the ledger shows it closed', async () => {
    await verifier.click('[data-testid=menu-button]');
    await verifier.click('.ant-drawer .ant-menu-item:has-text("问题台账")');
    await verifier.locator('[data-testid=problem-search] input').fill(code);
    await verifier.keyboard.press('Enter');
    await verifier.waitForSelector(
      `[data-testid=problem-card]:has-text("${TITLE}") >> .ant-tag:has-text("已销号")`,
    );
    await expectNoHorizontalScroll(verifier);
    await snap(verifier, 'queue-07-ledger-closed.png');
  });
});
