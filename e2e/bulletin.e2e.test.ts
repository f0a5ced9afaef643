import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { inflateSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rankingPeriodOf } from '../core/ranking/periods.js';
import { testJpeg } from '../server/test/images.js';
import {
  artifact,
  chromiumPath,
  confirmModal,
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

/** Pages of a PDF chromium printed: page objects and their MediaBox sizes (points). */
function pdfPages(pdf: Buffer): { count: number; boxes: number[][] } {
  const text = pdf.toString('latin1');
  const count = (text.match(/\/Type\s*\/Page(?![a-z])/g) ?? []).length;
  const boxes = [...text.matchAll(/\/MediaBox\s*\[([^\]]*)\]/g)].map((m) =>
    m[1]!.trim().split(/\s+/).map(Number),
  );
  return { count, boxes };
}

/**
 * What each page of a PDF chromium printed draws: its content stream, inflated (Skia writes one
 * FlateDecode stream per page), in page order.
 */
function pageStreams(pdf: Buffer): string[] {
  const text = pdf.toString('latin1');
  const out: string[] = [];
  for (const m of text.matchAll(/(\d+) 0 obj([\s\S]*?)endobj/g)) {
    if (!/\/Type\s*\/Page(?![a-z])/.test(m[2]!)) continue;
    const ref = /\/Contents\s+(\d+)\s+0\s+R/.exec(m[2]!)?.[1];
    const obj = new RegExp(`(?<![0-9])${ref} 0 obj\\s*<<([\\s\\S]*?)>>\\s*stream\\r?\\n`).exec(
      text,
    );
    const length = Number(/\/Length\s+(\d+)/.exec(obj?.[1] ?? '')?.[1]);
    if (!obj || !length) throw new Error(`page object ${m[1]}: no content stream`);
    const start = obj.index + obj[0].length;
    out.push(inflateSync(pdf.subarray(start, start + length)).toString('latin1'));
  }
  return out;
}

describe.runIf(exe)('通报 (bulletin)', () => {
  let server: RunningServer;
  let browser: Browser;
  let office: Page;
  let headers: Record<string, string>;
  const period = rankingPeriodOf(new Date(), 'month');
  let pdfPath = '';
  keepFailures('bulletin', () => ({ pages: openPages(browser), server }));

  const api = async <T>(method: 'get' | 'post', url: string, data?: unknown): Promise<T> => {
    const res =
      method === 'get'
        ? await office.request.get(`${server.url}${url}`)
        : await office.request.post(`${server.url}${url}`, { headers, data });
    expect(res.status(), `${url}: ${await res.text()}`).toBeLessThan(300);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    server = await startServer({ SEED: 'demo' });
    browser = await sharedBrowser(exe!);
    office = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    await signIn(office, `${server.url}/calendar`, 'office');
    const me = await office.request.get(`${server.url}/api/auth/me`);
    headers = { 'x-csrf-token': ((await me.json()) as { csrfToken: string }).csrfToken };

    // A problem that came back where a closed one was fixed (反弹), with a photo, dispatched with a
    // deadline a few seconds away: by the time the bulletin is generated it is overdue as well.
    const closed = (
      await api<{ items: { categoryId: number; lat: number | null; lng: number | null }[] }>(
        'get',
        '/api/problems?state=closed&limit=20',
      )
    ).items.find((p) => p.lat !== null)!;
    const upload = await office.request.post(`${server.url}/api/files`, {
      headers,
      multipart: {
        file: {
          name: 'before.jpg',
          mimeType: 'image/jpeg',
          buffer: await testJpeg({ color: '#3a7bd5', width: 480 }),
        },
      },
    });
    expect(upload.status()).toBe(201);
    const photoId = ((await upload.json()) as { id: string }).id;
    const { problem: p } = await api<{
      problem: { id: number; version: number; recurrenceOfId: number | null };
    }>('post', '/api/problems', {
      title: '人行道护栏再次损坏',
      severity: 'normal',
      channel: 'inspection',
      categoryId: closed.categoryId,
      lat: closed.lat,
      lng: closed.lng,
      address: '同一地点复查',
      register: true,
      photoIds: [photoId],
    });
    expect(p.recurrenceOfId).not.toBeNull();
    const unit = (await api<{ items: { id: number }[] }>('get', '/api/units?q=城市管理&limit=1'))
      .items[0]!;
    await api('post', `/api/problems/${p.id}/actions`, {
      action: 'dispatch',
      version: p.version,
      unitId: unit.id,
      deadline: new Date(Date.now() + 3000).toISOString(),
    });
  });
  afterAll(async () => {
    await releaseBrowser(browser);
    await server?.stop();
  });

  it('the office sets the rules, takes the snapshot of the month and publishes it', async () => {
    await visit(office, `/rankings`);
    await office.waitForSelector('[data-testid=rules-edit]:not([disabled])');
    await office.click('[data-testid=rules-edit]');
    await office.waitForSelector('.ant-modal-title:has-text("排名规则")');
    // The demo month is young: rank every unit with at least one case.
    await office.fill(
      '[data-testid=rules-min-sample] input, input[data-testid=rules-min-sample]',
      '1',
    );
    await snap(office, 'bulletin-01-rules.png');
    await confirmModal(office, office.locator('.ant-modal:has([data-testid=rules-save])'));
    await office.waitForSelector('.ant-message:has-text("排名规则已保存")');
    await office.fill('[data-testid=snapshot-period]', period);
    await office.click('[data-testid=snapshot-compute]');
    await office.waitForSelector(`.ant-message:has-text("已计算 ${period} 排名")`);
    // 区县排名: the city ranks its districts against each other, in a class of their own.
    await office.click('.ant-tabs-tab:has-text("区县")');
    const districts = office.locator('[data-testid=ranking-table-district]');
    await districts.locator('[data-testid^=ranking-unit-]').first().waitFor();
    const governments = await districts.locator('[data-testid^=ranking-unit-]').allInnerTexts();
    expect(governments).toEqual(expect.arrayContaining(['东湖区人民政府', '西城区人民政府']));
    for (const g of governments) expect(g.endsWith('人民政府'), g).toBe(true);
    await snap(office, 'bulletin-02-districts.png', { fullPage: true });
    await office.click('.ant-tabs-tab:has-text("市直部门")');
    const table = office.locator('[data-testid=ranking-table-department]');
    await table.locator('[data-testid=flag-red]').first().waitFor();
    expect(await table.locator('[data-testid=flag-black]').count()).toBeGreaterThan(0);
    await snap(office, 'bulletin-02-ranking.png', { fullPage: true });
    await office.click('[data-testid=snapshot-publish]');
    await office.waitForSelector('.ant-message:has-text("排名已发布")');
    await office.waitForSelector('.ant-tag:has-text("已发布")');
    // A unit's trend and flags open from its row.
    await table.locator('[data-testid^=ranking-unit-]').first().click();
    await office.waitForSelector('[data-testid=unit-history] canvas');
    await snap(office, 'bulletin-03-unit-history.png');
    await office.keyboard.press('Escape');
  });

  it('generates the bulletin, previews it and prints it to an A4 PDF', async () => {
    await visit(office, `/bulletins`);
    await office.waitForSelector('[data-testid=bulletin-generate]:not([disabled])');
    await office.click('[data-testid=bulletin-generate]');
    await office.waitForURL(/\/bulletins\/\d+\/print$/);
    const sheet = office.locator('[data-testid=bulletin-sheet]');
    await sheet.waitFor();
    await office.waitForSelector('.bulletin-doc svg');
    // The thumbnails of the 反弹 / overdue problem are loaded before printing.
    await expect
      .poll(() =>
        office.evaluate(() =>
          [...document.querySelectorAll<HTMLImageElement>('img.thumb')].map(
            (i) => i.complete && i.naturalWidth > 0,
          ),
        ),
      )
      .toEqual(expect.arrayContaining([true]));
    expect(
      await office.evaluate(() =>
        [...document.querySelectorAll<HTMLImageElement>('img.thumb')].every(
          (i) => i.complete && i.naturalWidth > 0,
        ),
      ),
    ).toBe(true);
    const text = await sheet.innerText();
    expect(text).toContain('创城工作通报');
    expect(text).toContain('流动红旗');
    expect(text).toContain('人行道护栏再次损坏');
    // The flag sentence names the units flagged in the ranking: no placeholder dash.
    expect(await office.locator('[data-testid=bulletin-flags]').innerText()).toMatch(
      /^授予.+（市直部门）.*流动红旗；对.+（市直部门）.*予以黑牌警示。$/,
    );
    await snap(office, 'bulletin-04-preview.png', { fullPage: true });

    await office.emulateMedia({ media: 'print' });
    // On paper there is no toolbar and no grey desk around the sheet.
    expect(await office.locator('[data-testid=bulletin-print]').isVisible()).toBe(false);
    pdfPath = artifact('bulletin.pdf');
    const pdf = await office.pdf({
      path: pdfPath,
      format: 'A4',
      printBackground: true,
      preferCSSPageSize: true,
    });
    await office.emulateMedia({ media: 'screen' });
    const { count, boxes } = pdfPages(pdf);
    expect(count).toBeGreaterThanOrEqual(3);
    expect(count).toBeLessThanOrEqual(8);
    expect(boxes).toHaveLength(count);
    for (const b of boxes) {
      // A4 = 595.3 × 841.9 pt (chromium rounds to 595.92 × 842.88).
      expect(Math.abs(b[2]! - b[0]! - 595.3)).toBeLessThan(2);
      expect(Math.abs(b[3]! - b[1]! - 841.9)).toBeLessThan(2);
    }
  });

  it('checks the printed PDF: every page draws text, and page 1 renders as an inked A4 sheet', async () => {
    const pdf = fs.readFileSync(pdfPath);
    const { count } = pdfPages(pdf);
    // Every page draws its own text (text-showing operators in its content stream), none blank,
    // no two the same. (Rendering each page in chromium's viewer took ~4 s a page.)
    const streams = pageStreams(pdf);
    expect(streams).toHaveLength(count);
    streams.forEach((s, i) => {
      expect((s.match(/\bT[jJ]\b/g) ?? []).length, `page ${i + 1}`).toBeGreaterThan(20);
    });
    expect(new Set(streams).size).toBe(count);

    // Page 1 as chromium renders it: a white sheet with ink on it, neither blank nor all ink.
    const viewer = await browser.newPage({ viewport: { width: 620, height: 877 } });
    await viewer.goto(`file://${pdfPath}#page=1&toolbar=0&view=Fit`);
    const file = artifact('bulletin-pdf-page-1.png');
    // The viewer paints in steps: wait until the sheet is white (not the grey desk) and the
    // picture has stopped changing.
    let mean = 0;
    let dark = 0;
    let hash = '';
    let stable = 0;
    await expect
      .poll(
        async () => {
          const png = await viewer.screenshot({ path: file });
          const st = await sharp(png).greyscale().stats();
          mean = st.channels[0]!.mean;
          // Ink on the page: share of the darker pixels inside the sheet.
          const raw = await sharp(png)
            .extract({ left: 40, top: 40, width: 540, height: 797 })
            .greyscale()
            .raw()
            .toBuffer();
          dark = raw.filter((v) => v < 128).length / raw.length;
          const h = createHash('sha256').update(raw).digest('hex');
          stable = h === hash && mean > 200 ? stable + 1 : 0;
          hash = h;
          return stable;
        },
        { timeout: 30_000, interval: 300 },
      )
      .toBeGreaterThanOrEqual(3);
    await viewer.close();
    expect(mean).toBeGreaterThan(200);
    expect(dark).toBeGreaterThan(0.002);
    expect(dark).toBeLessThan(0.3);
  });

  it('the bulletin is published and listed; the leader reads it without write buttons', async () => {
    await office.goto(`${server.url}/bulletins`);
    const row = office.locator('[data-testid=bulletin-list] tbody tr').first();
    await row.locator('[data-testid=bulletin-publish]').click();
    await office.waitForSelector('.ant-message:has-text("通报已发布")');
    await expect.poll(() => row.innerText()).toContain('第 1 期');
    await snap(office, 'bulletin-05-list.png');
    const xlsx = await office.request.get(
      `${server.url}${await row.locator('a:has-text("XLSX")').getAttribute('href')}`,
    );
    expect(xlsx.status()).toBe(200);
    expect(xlsx.headers()['content-type']).toContain('spreadsheetml');

    const leader = await browser.newPage({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
    });
    await signIn(leader, `${server.url}/rankings`, 'leader');
    await leader.waitForSelector(
      '[data-testid=ranking-table-district], [data-testid=ranking-table-department], [data-testid=ranking-table-street]',
    );
    expect(await leader.locator('[data-testid=snapshot-compute]').count()).toBe(0);
    await visit(leader, `/bulletins`);
    await leader.waitForSelector('[data-testid=bulletin-list] tbody tr:has-text("第 1 期")');
    expect(await leader.locator('[data-testid=bulletin-generate]').count()).toBe(0);
    await leader.close();
  });
});
