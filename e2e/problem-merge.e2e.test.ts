import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIRequestContext, Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testJpeg } from '../server/test/images.js';
import {
  chromiumPath,
  confirmModal,
  keepFailures,
  openPages,
  pickOption,
  releaseBrowser,
  type RunningServer,
  settled,
  sharedBrowser,
  snap,
  startServer,
} from './harness.js';

// 合并: the office finds that a new report repeats an open problem nearby and merges it. The
// duplicate came from the 12345 hotline: when the problem it was merged into is deferred, the
// hotline gets that result for its order, signed; the first try fails, the office sends it again
// from 结果回传 and the hotline acknowledges it (issue #24).

const exe = chromiumPath();

interface Detail {
  problem: { id: number; version: number; code: string };
}

const HOTLINE_SECRET = 'e2e-hotline-result-secret-0123456789';

/** The 12345 system's result endpoint: answers 503 to the first post, then acknowledges. */
interface HotlinePost {
  body: string;
  signatureOk: boolean;
  key: string | undefined;
}
function fakeHotline() {
  const posts: HotlinePost[] = [];
  const srv = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const ts = String(req.headers['x-timestamp'] ?? '');
      const expected = createHmac('sha256', HOTLINE_SECRET)
        .update(`${ts}.`)
        .update(raw)
        .digest('hex');
      posts.push({
        body: raw.toString('utf8'),
        signatureOk: req.headers['x-signature'] === `sha256=${expected}`,
        key: req.headers['idempotency-key'] as string | undefined,
      });
      if (posts.length === 1) {
        res.writeHead(503, { 'content-type': 'text/plain' });
        res.end('热线系统维护中');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ack: true, receiptId: `HL-${posts.length}` }));
    });
  });
  const url = new Promise<string>((resolve) =>
    srv.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(srv.address() as AddressInfo).port}/hotline/results`),
    ),
  );
  return { posts, url, close: () => new Promise<void>((r) => srv.close(() => r())) };
}

describe.runIf(exe)('merging a duplicate problem', () => {
  const hotline = fakeHotline();
  let server: RunningServer;
  let browser: Browser;
  let office: Page;
  let api: APIRequestContext;
  let csrf = '';
  let primary: Detail['problem'];
  let dup: Detail['problem'];
  let other: Detail['problem'];
  keepFailures('problem-merge', () => ({ pages: openPages(browser), server }));

  const post = async <T>(url: string, data: unknown): Promise<T> => {
    const res = await api.post(`${server.url}${url}`, {
      data,
      headers: { 'x-csrf-token': csrf },
    });
    expect(res.status(), await res.text()).toBeLessThan(300);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    server = await startServer({
      SEED: 'demo',
      HOTLINE_RESULT_URL: await hotline.url,
      HOTLINE_RESULT_SECRET: HOTLINE_SECRET,
      // One try, then 失败: the office's 重新发送 is the next (the retry schedule is minutes).
      PUSHBACK_MAX_ATTEMPTS: '1',
    });
    browser = await sharedBrowser(exe!);
    const ctx = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
    });
    office = await ctx.newPage();
    api = ctx.request;
    const login = await api.post(`${server.url}/api/auth/login`, {
      data: { username: 'office', password: 'Demo@2026' },
    });
    csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
    const cats = (await (await api.get(`${server.url}/api/problem-categories`)).json()) as {
      items: { id: number; code: string }[];
    };
    const categoryId = cats.items.find((c) => c.code === 'HJ01')!.id;
    const upload = async (color: string) => {
      const res = await api.post(`${server.url}/api/files`, {
        headers: { 'x-csrf-token': csrf },
        multipart: {
          file: {
            name: 'p.jpg',
            mimeType: 'image/jpeg',
            buffer: await testJpeg({ color, width: 160 }),
          },
        },
      });
      return ((await res.json()) as { id: string }).id;
    };
    // two reports of the same heap of rubbish, 10 m apart, and one without a place
    primary = (
      await post<Detail>('/api/problems', {
        title: '人民路88号门口垃圾堆积',
        categoryId,
        lat: 30.2801,
        lng: 120.1612,
        address: '人民路88号',
        register: true,
        photoIds: [await upload('#a44')],
      })
    ).problem;
    dup = (
      await post<Detail>('/api/problems', {
        title: '人民路垃圾没人清',
        categoryId,
        channel: 'hotline',
        externalRef: 'E2E-12345-1',
        lat: 30.2801,
        lng: 120.1613,
        photoIds: [await upload('#4a4')],
      })
    ).problem;
    other = (await post<Detail>('/api/problems', { title: '人民路垃圾（电话反映）', categoryId }))
      .problem;
  });
  afterAll(async () => {
    await releaseBrowser(browser);
    await server?.stop();
    await hotline.close();
  });

  it('suggests the problem nearby and merges after a confirmation', async () => {
    await office.goto(`${server.url}/problems/${dup.id}`);
    await office.click('[data-testid=action-merge]');
    const candidate = office.locator(`[data-testid="merge-candidate-${primary.code}"]`);
    await candidate.waitFor();
    expect(await candidate.innerText()).toContain('相距');
    await candidate.click();
    await office.fill('#merge-note', '同一处垃圾，热线重复反映');
    await settled(office);
    await snap(office, 'merge-01-picker.png');
    await office.click('#merge-ok');
    await office.waitForSelector('#merge-confirm');
    await settled(office);
    await snap(office, 'merge-02-confirm.png');
    await confirmModal(office, office.locator('.ant-modal-confirm:has(#merge-confirm)'));
    await office.waitForSelector('[data-testid=merged-into]');
    expect(await office.locator('[data-testid=merged-into]').innerText()).toContain(
      `已合并至 ${primary.code}`,
    );
    // finished: no more buttons
    expect(await office.locator('[data-testid=problem-actions] button').count()).toBe(0);
    await snap(office, 'merge-03-duplicate.png', { fullPage: true });
  });

  it('shows the absorbed duplicate and its photo on the primary', async () => {
    await office.click(`[data-testid=merged-into] a:has-text("${primary.code}")`);
    await office.waitForSelector('[data-testid=absorbed]');
    expect(await office.locator('[data-testid=absorbed]').innerText()).toContain(dup.code);
    expect(await office.locator('[data-testid=photo-gallery] img').count()).toBe(2);
    expect(await office.locator('[data-testid=timeline]').innerText()).toContain('并入重复问题');
    await snap(office, 'merge-04-primary.png', { fullPage: true });
  });

  it('merges by code when there is no place to search around', async () => {
    await office.goto(`${server.url}/problems/${other.id}`);
    await office.click('[data-testid=action-merge]');
    await office.waitForSelector('text=本问题没有位置，无法推荐');
    await office.fill('#merge-code', primary.code);
    await office.click('[data-testid=merge-search]');
    await office
      .locator(`[data-testid="merge-candidate-${primary.code}"] .ant-radio-checked`)
      .waitFor();
    await office.click('#merge-ok');
    await confirmModal(office, office.locator('.ant-modal-confirm:has(#merge-confirm)'));
    await office.waitForSelector('[data-testid=merged-into]');
  });

  it('the ledger lists merged problems under their own state', async () => {
    await office.goto(`${server.url}/problems`);
    await pickOption(office, office.locator('[data-testid=filter-state]'), '已合并');
    // The unfiltered list shows both too: wait for the filtered answer, two rows, not for the codes.
    await expect.poll(() => office.locator('tbody tr.ant-table-row').count()).toBe(2);
    await office.waitForSelector(`tr:has-text("${dup.code}") >> .ant-tag:has-text("已合并")`);
    await office.waitForSelector(`tr:has-text("${other.code}")`);
    await snap(office, 'merge-05-ledger.png');
  });

  it('结果回传: the primary deferred, the hotline hears it for its merged order; sent again, acknowledged', async () => {
    const detail = await (await api.get(`${server.url}/api/problems/${primary.id}`)).json();
    await post(`/api/problems/${primary.id}/actions`, {
      action: 'defer',
      version: (detail as Detail).problem.version,
      note: '待道路施工结束后统一清运',
    });
    // The step sends what it owes at once (the pushback job, kicked); the hotline is down.
    await expect.poll(() => hotline.posts.length, { timeout: 30_000, interval: 500 }).toBe(1);
    const first = hotline.posts[0]!;
    expect(first.signatureOk).toBe(true);
    expect(JSON.parse(first.body)).toMatchObject({
      orderNo: 'E2E-12345-1',
      resultType: 'deferred',
      problemCode: dup.code,
      mergedInto: primary.code,
    });

    // The office's 结果回传 log: the order failed with the hotline's answer.
    await office.goto(`${server.url}/pushback`);
    const row = office.locator('tr.ant-table-row', { hasText: 'E2E-12345-1' });
    await row.locator('[data-testid=pushback-state]:has-text("失败")').waitFor();
    expect(await row.innerText()).toContain('HTTP 503');
    expect(await row.innerText()).toContain(dup.code);
    await row.locator('.ant-table-row-expand-icon').click();
    const payload = office.locator('[data-testid^=payload-]');
    await payload.waitFor();
    expect(await payload.innerText()).toContain(`"mergedInto": "${primary.code}"`);
    await settled(office);
    await snap(office, 'merge-06-pushback-failed.png');

    // Sent again: the same delivery (its idempotency key), acknowledged this time.
    await row.locator('[data-testid^=retry-]').click();
    await office.waitForSelector('text=已重新加入发送队列');
    await expect.poll(() => hotline.posts.length, { timeout: 30_000, interval: 500 }).toBe(2);
    expect(hotline.posts[1]!.signatureOk).toBe(true);
    expect(hotline.posts[1]!.key).toBe(first.key);
    await expect
      .poll(
        async () => {
          await office.goto(`${server.url}/pushback`);
          await row.waitFor();
          return row.locator('[data-testid=pushback-state]').innerText();
        },
        { timeout: 20_000, interval: 1000 },
      )
      .toBe('已确认');
    expect(await row.innerText()).toContain('确认于');
    await snap(office, 'merge-07-pushback-acked.png');
  });
});
