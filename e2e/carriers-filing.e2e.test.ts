import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  TAdCampaign,
  TAdCampaignDetail,
  TCarrier,
  TCarriersMap,
  TCoverage,
} from '../core/contracts/ad-carriers.js';
import type { TDossier, TEvidenceRow } from '../core/contracts/evidence.js';
import type { TFilingCompleteness } from '../core/contracts/filing.js';
import type { TProblemDetail } from '../core/contracts/problems.js';
import { testJpeg } from '../server/test/images.js';
import {
  artifact,
  type ApiSession,
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
} from './harness.js';

// Issue #23: the city office maps its 公益广告 carriers, sees where a point breaks its rule, turns
// a damaged board into a problem dispatched to its maintainer, takes a 换版 a carrier further with
// before/after photos, downloads the year's 网上申报 package, and files a video whose poster
// frame this browser draws.

const exe = chromiumPath();
const YEAR = Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4));
type TCarriersPage = { items: TCarrier[]; total: number };

describe.runIf(exe)('公益广告阵地 and 网上申报 in the city office', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let session: ApiSession;
  let before = '';
  let after = '';
  keepFailures('carriers-filing', () => ({ pages: openPages(browser), server }));

  const get = async <T>(path: string): Promise<T> => {
    const res = await page.request.get(`${server.url}${path}`);
    expect(res.status(), `${path}: ${await res.text()}`).toBe(200);
    return (await res.json()) as T;
  };
  const tab = async (name: string) => {
    await page.getByRole('tab', { name }).click();
    await settled(page);
  };

  beforeAll(async () => {
    server = await startServer({ SEED: 'demo' });
    browser = await sharedBrowser(exe!);
    before = artifact('carrier-before.jpg');
    after = artifact('carrier-after.jpg');
    fs.writeFileSync(before, await testJpeg({ color: '#b33', width: 320 }));
    fs.writeFileSync(after, await testJpeg({ color: '#d92', width: 320 }));
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    // Chromium saves the package through the File System Access API (a file the user picks): the
    // save dialog is answered with a file of the page's private file system, read back below.
    await page.addInitScript(() => {
      (window as unknown as { showSaveFilePicker: unknown }).showSaveFilePicker = async (o: {
        suggestedName: string;
      }) => {
        (window as unknown as { savedAs: string }).savedAs = o.suggestedName;
        const root = await navigator.storage.getDirectory();
        return root.getFileHandle(o.suggestedName, { create: true });
      };
    });
    session = await signIn(page, `${server.url}/ad-carriers`, 'office');
  });
  afterAll(async () => {
    await releaseBrowser(browser);
    await server?.stop();
  });

  it('registry, map, coverage, and a damaged carrier 转为问题 to its maintainer', async () => {
    // The registry lists the demo carriers.
    const all = await get<TCarriersPage>('/api/ad-carriers?limit=200');
    expect(all.total).toBeGreaterThanOrEqual(20);
    const rows = page.locator('[data-testid=carriers] tbody tr[data-testid^=carrier-row-]');
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThanOrEqual(Math.min(all.total, 20));
    const first = all.items[0]!;
    await page
      .locator(`[data-testid=carrier-row-${first.id}] td:text-is("${first.code}")`)
      .waitFor();

    // The map tab draws one marker per carrier; a marker's popup names it.
    await tab('地图');
    const markers = page.locator('[data-testid=carriers-map] path.leaflet-interactive');
    const map = await get<TCarriersMap>('/api/ad-carriers/map');
    await expect.poll(() => markers.count()).toBe(map.items.length);
    const mapTab = page.locator('[data-testid=carriers-map]');
    await mapTab.getByText(`公益广告阵地 ${map.items.length} 处`).waitFor();
    // Only the carriers' layer: no problem heat or point states offered that this map never loads.
    expect(await mapTab.getByText('问题热力（未办结）').count()).toBe(0);
    await markers.last().dispatchEvent('click');
    const popup = page.locator('[data-testid^=carrier-popup-]');
    await popup.waitFor();
    expect(map.items.map((m) => m.code)).toContain(
      (await popup.locator('strong').innerText()).trim(),
    );
    await snap(page, 'carriers-01-map.png');

    // Coverage: a point that breaks its rule, by name, with the check that fails.
    await tab('覆盖情况');
    const coverage = await get<TCoverage>('/api/ad-carriers/coverage');
    const unmet = coverage.points.find((p) => !p.met);
    expect(unmet, 'a demo point breaking its rule').toBeDefined();
    const row = page.locator(`[data-testid=coverage-${unmet!.pointId}]`);
    await row.locator(`td:text-is("${unmet!.pointName}")`).waitFor();
    const failing = unmet!.checks.find((c) => c.result === 'unmet')!;
    await row
      .locator(`div:has(.ant-tag:text-is("未达标")):has-text("${failing.messageZh}")`)
      .waitFor();
    await page.getByRole('checkbox', { name: '只看未达标点位' }).check();
    await expect
      .poll(() => page.locator('[data-testid=coverage-points] tbody tr.ant-table-row').count())
      .toBe(coverage.points.filter((p) => !p.met).length);
    await snap(page, 'carriers-02-coverage.png', { fullPage: true });

    // A damaged carrier with a maintainer, found by the state filter, becomes a problem.
    await tab('阵地台账');
    const damaged = (await get<TCarriersPage>('/api/ad-carriers?state=damaged&limit=200')).items;
    const carrier = damaged.find((c) => c.unitId !== null && c.problemId === null)!;
    expect(carrier, 'a damaged demo carrier with a maintainer').toBeDefined();
    await pickOption(page, page.locator('#carrier-filter-state'), '破损');
    await expect.poll(() => rows.count()).toBe(damaged.length);
    await page.locator(`[data-testid=carrier-row-${carrier.id}]`).click();
    const drawer = page.locator('.ant-drawer:has([data-testid=carrier-detail])');
    await drawer.locator(`.ant-drawer-title:has-text("${carrier.code}")`).waitFor();
    const raised = page.waitForResponse(
      (r) => r.url().endsWith(`/api/ad-carriers/${carrier.id}/problem`) && r.ok(),
    );
    await drawer.locator('[data-testid=carrier-to-problem]').click();
    const { problemId, problemCode, dispatched } = (await (await raised).json()) as {
      problemId: number;
      problemCode: string;
      dispatched: boolean;
    };
    expect(dispatched).toBe(true);
    await page
      .locator(`.ant-message :text-is("已生成问题 ${problemCode} 并派往维护单位")`)
      .waitFor();
    const linked = drawer.locator('[data-testid=carrier-problem]');
    await linked.getByText(problemCode).waitFor();
    await linked.locator('.ant-tag:text-is("整改中")').waitFor();
    // Once the problem is open, no second one is offered, and the server refuses one.
    expect(await drawer.locator('[data-testid=carrier-to-problem]').count()).toBe(0);
    await snap(page, 'carriers-03-problem.png');

    const { problem } = await get<TProblemDetail>(`/api/problems/${problemId}`);
    expect(problem).toMatchObject({ code: problemCode, state: 'dispatched' });
    expect(problem.unitId).toBe(carrier.unitId);
    expect(problem.unitName).toBe(carrier.unitName);
    const now = await get<TCarrier>(`/api/ad-carriers/${carrier.id}`);
    expect(now).toMatchObject({ problemId, problemCode, problemState: 'dispatched' });
    const again = await page.request.post(`${server.url}/api/ad-carriers/${carrier.id}/problem`, {
      headers: session.headers,
      data: { version: now.version },
    });
    expect(again.status()).toBe(409);
    expect(await again.text()).toContain(`该阵地已有未办结的问题 ${problemCode}`);
  });

  it('换版: a carrier of the 春节主题换版 marked done with before/after photos', async () => {
    await page.goto(`${server.url}/ad-carriers`);
    await tab('换版');
    const campaign = (await get<{ items: TAdCampaign[] }>('/api/ad-campaigns')).items.find(
      (c) => c.name === '春节主题换版',
    )!;
    expect(campaign, 'the demo campaign').toBeDefined();
    expect(campaign.done).toBeLessThan(campaign.total);
    const listed = page.locator(`[data-testid=campaign-progress-${campaign.id}]`);
    await listed.getByText(`${campaign.done}/${campaign.total}`).waitFor();
    await page.locator(`[data-testid=campaigns] tr:has-text("${campaign.name}")`).click();

    const detail = await get<TAdCampaignDetail>(`/api/ad-campaigns/${campaign.id}`);
    const item = detail.items.find((i) => i.doneAt === null)!;
    const drawer = page.locator('.ant-drawer:has([data-testid=campaign-items])');
    await drawer
      .locator('[data-testid=campaign-design]')
      .getByText(`${campaign.designTitle} · 截止日期 ${campaign.deadline}`)
      .waitFor();
    const itemRow = drawer.locator(`tr.ant-table-row:has(td:text-is("${item.code}"))`);
    await itemRow.getByRole('button', { name: '标记完成' }).click();
    const modal = page.locator('.ant-modal:has(.ant-modal-title:text-is("标记完成"))');
    await modal.waitFor();
    for (const [label, file] of [
      ['换版前照片', before],
      ['换版后照片', after],
    ] as const) {
      const field = modal.locator(`.ant-form-item:has(label:text-is("${label}"))`);
      await field.locator('input[type=file]').setInputFiles(file);
      await field
        .locator(
          '.ant-upload-list-item-done, .ant-upload-list-item:not(.ant-upload-list-item-uploading)',
        )
        .first()
        .waitFor();
    }
    await modal.locator('input#note').fill('春节画面已换上');
    const saved = page.waitForResponse(
      (r) => r.url().includes(`/carriers/${item.carrierId}/done`) && r.ok(),
    );
    await confirmModal(page, modal);
    await saved;
    await page.locator('.ant-message :text-is("已标记完成")').waitFor();

    // The progress goes up, in the drawer, the list and on the server; the row shows both photos.
    const next = `${campaign.done + 1}/${campaign.total}`;
    await drawer.locator('.ant-progress').first().getByText(next).waitFor();
    await itemRow.locator('.ant-tag:text-is("已完成")').waitFor();
    await expect.poll(() => itemRow.locator('img').count()).toBe(2);
    await listed.getByText(next).waitFor();
    const done = await get<TAdCampaignDetail>(`/api/ad-campaigns/${campaign.id}`);
    expect(done.campaign.done).toBe(campaign.done + 1);
    const marked = done.items.find((i) => i.carrierId === item.carrierId)!;
    expect(marked.beforePhotoId).toBeTruthy();
    expect(marked.afterPhotoId).toBeTruthy();
    expect(marked.beforePhotoId).not.toBe(marked.afterPhotoId);
    expect(marked.note).toBe('春节画面已换上');
    await snap(page, 'carriers-04-campaign.png');
  });

  it('网上申报: completeness for the year, and the package downloaded and read', async () => {
    await page.goto(`${server.url}/filing`);
    const completeness = page.waitForResponse(
      (r) => r.url().includes(`/api/filing/${YEAR}/completeness`) && r.status() === 200,
    );
    const c = (await (await completeness).json()) as TFilingCompleteness;
    expect(
      await page
        .locator('[data-testid=filing-year] input, input[data-testid=filing-year]')
        .inputValue(),
    ).toBe(String(YEAR));
    await page
      .locator('[data-testid=filing-window]')
      .getByText(`材料有效期 ${c.window.from} 至 ${c.window.to}`)
      .waitFor();
    expect(c.total.standards).toBeGreaterThan(0);
    await page
      .locator('[data-testid=filing-complete]')
      .getByText(`/ ${c.total.standards}`)
      .waitFor();
    await page
      .locator(`[data-testid=filing-standards] td:text-is("${c.standards[0]!.code}")`)
      .waitFor();

    await page.locator('[data-testid=filing-export]').click();
    const savedAlert = page.locator('.ant-alert-success:has-text("申报材料包已保存（")');
    await savedAlert.waitFor();
    await snap(page, 'filing-01-saved.png');
    const saved = await page.evaluate(async () => {
      const name = (window as unknown as { savedAs: string }).savedAs;
      const root = await navigator.storage.getDirectory();
      const file = await (await root.getFileHandle(name)).getFile();
      const bytes = new Uint8Array(await file.arrayBuffer());
      let bin = '';
      for (let i = 0; i < bytes.length; i += 0x8000)
        bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return { name, base64: btoa(bin) };
    });
    expect(saved.name).toBe(`${YEAR}年网上申报材料.zip`);
    const bytes = Buffer.from(saved.base64, 'base64');
    expect(bytes.length).toBeGreaterThan(1000);
    const zip = await JSZip.loadAsync(bytes);
    const names = Object.keys(zip.files);
    expect(names).toContain('材料索引.xlsx');
    expect(names).toContain('完整性报告.txt');
    const forms = names.filter((n) => /^[^/]+\/[^/]+-测评材料提交表\.xlsx$/.test(n));
    expect(forms.length).toBe(c.total.standards);
    const code = c.standards[0]!.code;
    expect(forms.some((n) => n.split('/')[1] === `${code}-测评材料提交表.xlsx`)).toBe(true);
    const report = await zip.file('完整性报告.txt')!.async('string');
    expect(report).toContain(`网上申报完整性报告 ${YEAR} 年度`);
  });

  it('音视频: a video filed from this browser gets a poster frame drawn here, shown and stored', async () => {
    // From the filing page to 档案资料 through the menu (no page load), to a standard not started.
    const listed = page.waitForResponse(
      (r) => new URL(r.url()).pathname === '/api/evidence' && r.status() === 200,
    );
    await page.locator('.ant-menu').getByText('档案资料', { exact: true }).click();
    const rows = (await (await listed).json()) as TEvidenceRow[];
    // The table shows 20 a page: one of those the office may still add to.
    const open = rows.slice(0, 20).find((r) => ['none', 'draft', 'returned'].includes(r.state))!;
    expect(open, 'an editable demo dossier on the first page').toBeDefined();
    const opened = page.waitForResponse(
      (r) => r.url().includes(`/${open.standardKey}`) && r.request().method() === 'GET' && r.ok(),
    );
    await page.locator(`tr[data-row-key="${open.standardKey}"]`).click();
    const dossier = (await (await opened).json()) as TDossier;
    const drawer = page.locator('.ant-drawer:has([data-testid=dossier-state])');
    const date = drawer.locator('.ant-picker input');
    await date.click();
    await date.fill(dossier.window.from);
    await date.press('Enter');

    // The committed fixture (1 s, 64 × 64, H.264): Chromium decodes it, draws a frame, and the
    // poster goes up with the video in one request (its order: EvidencePage.test.tsx).
    const uploaded = page.waitForResponse(
      (r) => r.url().endsWith(`/${open.standardKey}/files`) && r.request().method() === 'POST',
    );
    await drawer
      .locator('input[type=file]')
      .setInputFiles(
        fileURLToPath(new URL('../server/test/fixtures/evidence-1s.mp4', import.meta.url)),
      );
    const res = await uploaded;
    expect(res.status(), await res.text()).toBe(201);
    const video = ((await res.json()) as TDossier).files.find(
      (f) => f.title === 'evidence-1s.mp4',
    )!;
    expect(video).toMatchObject({ mime: 'video/mp4', durationMs: 1000 });
    expect(video.posterUrl).toBeTruthy();

    // Shown: the poster's thumbnail, loaded, with the length over it.
    const thumb = drawer.locator(`[data-testid=evidence-poster-${video.id}]`);
    await thumb.getByText('0:01').waitFor();
    await expect
      .poll(() => thumb.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth))
      .toBeGreaterThan(0);
    // Stored: a real frame of the video (the test pattern is colourful, not a black frame).
    const poster = await page.request.get(`${server.url}${video.posterUrl}`);
    expect(poster.headers()['content-type']).toBe('image/jpeg');
    const { width, height } = await sharp(await poster.body()).metadata();
    expect([width, height]).toEqual([64, 64]);
    const { channels } = await sharp(await poster.body()).stats();
    expect(Math.max(...channels.map((c) => c.mean))).toBeGreaterThan(40);

    // Played: the player asks for byte ranges and the server answers them.
    const ranged = page.waitForResponse((r) => r.url().endsWith(video.url) && r.status() === 206);
    await thumb.click();
    const player = page.locator('[data-testid=evidence-player]');
    expect(await player.getAttribute('poster')).toBe(video.posterUrl);
    expect((await ranged).headers()['content-range']).toMatch(/^bytes 0-\d+\/\d+$/);
    await expect.poll(() => player.evaluate((v: HTMLVideoElement) => v.duration)).toBeCloseTo(1, 1);
    await snap(page, 'filing-02-video-poster.png');
  });
});
