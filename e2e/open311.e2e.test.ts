import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
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
} from './harness.js';

const exe = chromiumPath();

describe.runIf(exe)(
  'Open311: the office issues a key, a gateway files, the ledger shows it',
  () => {
    let server: RunningServer;
    let browser: Browser;
    let page: Page;
    keepFailures('open311', () => ({ pages: openPages(browser), server }));

    beforeAll(async () => {
      server = await startServer({ SEED: 'demo' });
      browser = await sharedBrowser(exe!);
      page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
      await signIn(page, server.url, 'office');
    });
    afterAll(async () => {
      await releaseBrowser(browser);
      await server?.stop();
    });

    it('issues a key once, and a request filed with it reaches the ledger', async () => {
      await page.click('text=Open311 接入');
      await page.click('text=新建客户端');
      await page.fill('input#name', '12345 热线网关');
      await confirmModal(page, page.locator('.ant-modal:has(input#name)'), /签发密钥/);
      const keyEl = page.locator('[data-testid=open311-key]');
      await keyEl.waitFor();
      const key = (await keyEl.innerText()).trim();
      expect(key).toMatch(/^o311_/);
      await snap(page, 'open311-key-issued.png');
      await confirmModal(page, page.locator('.ant-modal:has([data-testid=open311-key])'));

      const res = await fetch(`${server.url}/open311/v2/requests.json`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          api_key: key,
          service_code: 'HJ01',
          lat: '30.2745',
          long: '120.1562',
          address_string: '延安路 100 号',
          description: '12345 来电：延安路人行道垃圾堆积',
          'attribute[order_no]': 'E2E-0001',
        }).toString(),
      });
      expect(res.status).toBe(201);
      const [created] = (await res.json()) as { service_request_id: string }[];

      // The client reads back what it filed with its key (anonymous reads see only published ones).
      const one = await fetch(
        `${server.url}/open311/v2/requests/${created!.service_request_id}.xml`,
        { headers: { 'x-api-key': key } },
      );
      expect(await one.text()).toContain('<status>open</status>');

      await page.reload();
      await page.waitForSelector('tr:has-text("12345 热线网关")');
      expect(await page.locator('tr:has-text("12345 热线网关")').innerText()).toContain('1');
      await snap(page, 'open311-clients.png');

      await page.click('text=问题台账');
      await page.waitForSelector('tr:has-text("12345 热线网关：")');
      await snap(page, 'open311-ledger.png');
    });
  },
);
