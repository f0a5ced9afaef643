import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSmsGateway, type FakeSmsGateway } from '../server/test/fake-sms-gateway.js';
import { testJpeg } from '../server/test/images.js';
import {
  apiSession,
  artifact,
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

const exe = chromiumPath();

describe.runIf(exe)(
  '随手拍 and Open311: a citizen and a 12345 gateway report, the office handles it, the citizen follows it',
  () => {
    let server: RunningServer;
    let browser: Browser;
    let citizen: Page;
    let office: Page;
    let code = '';
    let photo = '';
    let problemId = 0;
    // The SMS gateway the replies to the reporter go to: a local fake one that checks signatures.
    let gateway: FakeSmsGateway;
    keepFailures('citizen-report', () => ({ pages: openPages(browser), server }));

    beforeAll(async () => {
      gateway = await startFakeSmsGateway();
      server = await startServer({
        SEED: 'demo',
        SMS_GATEWAY_URL: gateway.url,
        SMS_GATEWAY_SECRET: gateway.secret,
      });
      browser = await sharedBrowser(exe!);
      const phone = await browser.newContext({
        viewport: { width: 375, height: 812 },
        locale: 'zh-CN',
        isMobile: true,
        hasTouch: true,
        geolocation: { latitude: 30.2745, longitude: 120.1562 },
        permissions: ['geolocation'],
      });
      citizen = await phone.newPage();
      office = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
      photo = artifact('citizen-photo.jpg');
      fs.writeFileSync(photo, await testJpeg({ color: '#a74', width: 600 }));
    });
    afterAll(async () => {
      await releaseBrowser(browser);
      await server?.stop();
      await gateway?.close();
    });

    it('files a report on the phone with a photo and the phone position, and gets a code', async () => {
      await citizen.goto(`${server.url}/report`);
      await citizen.waitForSelector('[data-testid=report-form]');
      // no admin UI kit on the public pages
      const scripts = await citizen
        .locator('script[src]')
        .evaluateAll((s) => s.map((e) => (e as HTMLScriptElement).src));
      expect(scripts.join(' ')).not.toContain('antd');
      await citizen.locator('[data-testid=photo-input]').setInputFiles(photo);
      await citizen.waitForSelector('.cz-photo img');
      // No tiles configured: the map is the city's own boundaries, and a tap there is a place.
      const map = citizen.locator('[data-testid=pick-map][data-base=boundaries]');
      await map.locator('.leaflet-ccBase-pane path').first().waitFor();
      await map.locator('.cc-base-label span', { hasText: '东湖区' }).waitFor();
      expect(await map.locator('[data-testid=map-fallback-note]').innerText()).toBe(
        '未配置地图底图，显示辖区边界',
      );
      await snap(map, 'citizen-00-map.png');
      await map.locator('.leaflet-container').tap();
      await expect
        .poll(() => citizen.locator('[data-testid=picked]').innerText())
        .toMatch(/^30\.2\d+, 120\.1\d+$/);
      expect(await citizen.locator('text=所选位置不在受理范围内').count()).toBe(0);
      await snap(map, 'citizen-00-map-tapped.png');
      // The phone's position, as most people will do it.
      await citizen.click('text=使用当前位置');
      await citizen.waitForSelector('[data-testid=picked]:has-text("30.27450")');
      await citizen.selectOption('[data-testid=category]', { label: '暴露垃圾' });
      await citizen.fill('[data-testid=description]', '小区门口垃圾堆了三天没人清运，气味很大');
      // The box for texts waits for a number.
      expect(await citizen.locator('[data-testid=sms-opt-in]').isDisabled()).toBe(true);
      await citizen.fill('#cz-phone', '13900001111');
      await citizen.check('[data-testid=sms-opt-in]');
      await snap(citizen, 'citizen-01-form.png', { fullPage: true });
      await citizen.click('[data-testid=submit]');
      await citizen.waitForSelector('[data-testid=tracking-code]');
      code = (await citizen.locator('[data-testid=tracking-code]').innerText()).trim();
      expect(code).toMatch(/^SJ[2-9A-HJ-NP-Z]{10}$/);
      await snap(citizen, 'citizen-02-code.png');
    });

    it('the office accepts and dispatches it', async () => {
      await signIn(office, `${server.url}/calendar`, 'office');
      const list = await office.evaluate(async () => {
        const res = await fetch('/api/problems?channel=citizen&limit=5&sort=createdAt&order=desc');
        return (await res.json()) as { items: { id: number; title: string }[] };
      });
      const id = list.items[0]!.id;
      problemId = id;
      await office.goto(`${server.url}/problems/${id}`);
      await office.click('[data-testid=action-register]');
      await confirmModal(office, office.locator('.ant-modal:has(#action-note)'));
      await office.click('[data-testid=action-dispatch]');
      await pickOption(office, office.locator('#dispatch-unit'), '市城市管理综合执法局', {
        search: '城市管理',
        sole: true,
      });
      await confirmModal(office, office.locator('.ant-modal:has(#dispatch-unit)'));
      await office.waitForSelector('.ant-tag:has-text("整改中")');
      // the office sees the citizen's photo
      expect(await office.locator('[data-testid=photo-gallery] img').count()).toBe(1);
      // and puts it on the exposure board with public wording
      await office.click('[data-testid=exposure-publish]');
      await office.fill('#exposure-title', '小区门口垃圾三天未清运');
      await confirmModal(office, office.locator('.ant-modal:has(#exposure-title)'));
      await office.waitForSelector('[data-testid=exposure-unpublish]');
      await settled(office);
      await snap(office, 'citizen-03-office-dispatched.png');
    });

    it('the citizen follows the progress with the code, and finds it again on this phone', async () => {
      await citizen.click('a:has-text("查看办理进度")');
      await citizen.waitForSelector('[data-testid=track-status]:has-text("整改中")');
      const timeline = await citizen.locator('[data-testid=track-timeline]').innerText();
      for (const step of ['已收到您的反映', '已立案', '已交责任单位办理'])
        expect(timeline).toContain(step);
      const page = await citizen.content();
      expect(page).toContain('市城市管理综合执法局');
      expect(page).not.toContain('13900001111');
      expect(page).not.toContain('创建办');
      await snap(citizen, 'citizen-04-track.png', { fullPage: true });
      await citizen.goto(`${server.url}/track`);
      await citizen.waitForSelector(`a:has-text("${code}")`);
      await citizen.goto(`${server.url}/exposure`);
      await citizen.waitForSelector(
        '[data-testid=exposure-item]:has-text("小区门口垃圾三天未清运")',
      );
      expect(await citizen.locator('[data-testid=exposure-item] img').count()).toBe(1);
      expect(await citizen.locator('[data-testid=exposure-item]').innerText()).toContain(
        '市城市管理综合执法局',
      );
      await snap(citizen, 'citizen-05-exposure.png');
    });

    it('the unit fixes it, the office closes it, the reporter got a text at each step and rates it', async () => {
      // The unit's part over the API (its own pages are another file's journey).
      const unit = await apiSession(server.url, 'unit');
      const cookie = unit.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      const get = async () =>
        (await (
          await fetch(`${server.url}/api/problems/${problemId}`, { headers: { cookie } })
        ).json()) as { problem: { version: number } };
      const submitted = await fetch(`${server.url}/api/problems/${problemId}/actions`, {
        method: 'POST',
        headers: { ...unit.headers, cookie, 'content-type': 'application/json' },
        body: JSON.stringify({
          action: 'submit',
          version: (await get()).problem.version,
          note: '已清运，并加设垃圾桶',
        }),
      });
      expect(submitted.status, await submitted.text()).toBe(200);
      // The office verifies and closes it on its page.
      await office.reload();
      await office.click('[data-testid=action-approve]');
      await confirmModal(office, office.locator('.ant-modal:has(#action-note)'));
      await office.waitForSelector('.ant-tag:has-text("已销号")');

      // One text per step, signed (the gateway checks), to the number the citizen gave.
      const kinds = () =>
        gateway.received.filter((m) => m.payload.text.includes(code)).map((m) => m.payload.kind);
      await expect
        .poll(kinds, { timeout: 45_000, interval: 1000 })
        .toEqual(['reply.register', 'reply.dispatch', 'reply.submit', 'reply.approve']);
      expect(gateway.badSignatures).toBe(0);
      const texts = gateway.received.filter((m) => m.payload.text.includes(code));
      expect(texts.every((m) => m.payload.to === '13900001111')).toBe(true);
      expect(texts[1]!.payload.text).toContain('市城市管理综合执法局');

      // The last text's link opens the tracking page, where the citizen rates the result.
      const link = /https?:\/\/\S+\/track\/SJ\w+/.exec(texts[3]!.payload.text)![0];
      await citizen.goto(link.replace(/^https?:\/\/[^/]+/, server.url));
      await citizen.waitForSelector('[data-testid=track-status]:has-text("已销号")');
      await citizen.waitForSelector('[data-testid=rate-form]');
      await citizen.click('[data-testid=rate-satisfied]');
      await citizen.fill('[data-testid=rate-comment]', '清理得很干净，谢谢');
      await citizen.click('[data-testid=rate-submit]');
      await citizen.waitForSelector('[data-testid=my-rating]:has-text("满意")');
      expect(await citizen.locator('[data-testid=reopen-open]').count()).toBe(1);
      await snap(citizen, 'citizen-04b-rated.png', { fullPage: true });

      // The office's SMS log: the four texts, the number masked, the code hidden.
      await office.click('text=短信发送记录');
      const log = office.locator('[data-testid=sms-log]');
      await log.locator('tr:has-text("139****1111")').first().waitFor();
      const rows = await log.locator('tr:has-text("139****1111")').allInnerTexts();
      expect(rows).toHaveLength(4);
      expect(rows.every((r) => r.includes('已发送'))).toBe(true);
      expect(await log.innerText()).not.toContain(code);
      await snap(office, 'citizen-04c-sms-log.png');
    });

    it('refuses a place outside the city', async () => {
      await citizen.context().setGeolocation({ latitude: 31.5, longitude: 121.4 });
      await citizen.goto(`${server.url}/report`);
      await citizen.waitForSelector('[data-testid=report-form]');
      await citizen.click('text=使用当前位置');
      await citizen.waitForSelector('text=所选位置不在受理范围内');
      expect(await citizen.locator('[data-testid=submit]').isDisabled()).toBe(true);
    });

    it('a grid worker reports a problem found on patrol from the phone', async () => {
      const phone = await browser.newContext({
        viewport: { width: 375, height: 812 },
        locale: 'zh-CN',
        isMobile: true,
        hasTouch: true,
      });
      const grid = await phone.newPage();
      await signIn(grid, server.url, 'grid');
      await grid.click('[data-testid=problem-new]');
      await grid.fill('#problem-title', '湖滨路果皮箱满溢');
      // Searched rather than unfolded (the category tree is long).
      await pickOption(grid, grid.locator('#problem-category'), '垃圾桶满溢', {
        search: '垃圾桶满溢',
      });
      await grid.locator('.ant-modal input[type=file]').setInputFiles(photo);
      await grid.waitForSelector(
        '.ant-modal .ant-upload-list-item-done, .ant-modal .ant-upload-list-item-container img',
      );
      await confirmModal(grid, grid.locator('.ant-modal:has(#problem-title)'));
      const found = await grid.evaluate(async () => {
        const res = await fetch('/api/problems?q=果皮箱满溢&limit=1');
        return ((await res.json()) as { items: { channel: string; state: string }[] }).items[0];
      });
      expect(found).toMatchObject({ channel: 'patrol', state: 'reported' });
      await snap(grid, 'citizen-06-grid-patrol-problem.png');
      await phone.close();
    });

    it('Open311: the office issues a key once, and a request a 12345 gateway files with it reaches the ledger', async () => {
      await office.click('text=Open311 接入');
      await office.click('text=新建客户端');
      await office.fill('input#name', '12345 热线网关');
      await confirmModal(office, office.locator('.ant-modal:has(input#name)'), /签发密钥/);
      const keyEl = office.locator('[data-testid=open311-key]');
      await keyEl.waitFor();
      const key = (await keyEl.innerText()).trim();
      expect(key).toMatch(/^o311_/);
      await snap(office, 'open311-key-issued.png');
      await confirmModal(office, office.locator('.ant-modal:has([data-testid=open311-key])'));

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

      await office.reload();
      await office.waitForSelector('tr:has-text("12345 热线网关")');
      expect(await office.locator('tr:has-text("12345 热线网关")').innerText()).toContain('1');
      await snap(office, 'open311-clients.png');

      await office.click('text=问题台账');
      await office.waitForSelector('tr:has-text("12345 热线网关：")');
      await snap(office, 'open311-ledger.png');
    });

    it('文明积分: the reporter signs in by a texted code, takes a code for an item, and a shop redeems it once', async () => {
      const mobile = '13900001111'; // the number of the report above, whose 立案 earned 5 points
      const officeSession = await apiSession(server.url, 'office');
      const officeCookie = officeSession.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      const officeApi = async <T>(path: string, body?: unknown): Promise<T> => {
        const res = await fetch(`${server.url}${path}`, {
          method: body === undefined ? 'GET' : 'POST',
          headers: {
            cookie: officeCookie,
            ...(body === undefined
              ? {}
              : { ...officeSession.headers, 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        expect(res.ok, `${path}: ${res.status}`).toBe(true);
        return (await res.json()) as T;
      };
      type Problem = { problem: { id: number; code: string; version: number } };
      const first = (await officeApi<Problem>(`/api/problems/${problemId}`)).problem;

      // The cheapest item costs 10 points: the same number's second report, accepted by the
      // office, brings the balance there (over the API; the report page is tested above).
      const setup = (await (await fetch(`${server.url}/api/public/setup`)).json()) as {
        categories: { id: number }[];
      };
      const form = new FormData();
      form.set('categoryId', String(setup.categories[0]!.id));
      form.set('description', '路口井盖松动，车辆经过响声很大');
      form.set('lat', '30.2745');
      form.set('lng', '120.1562');
      form.set('phone', mobile);
      const filed = await fetch(`${server.url}/api/public/reports`, { method: 'POST', body: form });
      expect(filed.status, await filed.clone().text()).toBe(201);
      const list = await officeApi<{ items: { id: number }[] }>(
        '/api/problems?channel=citizen&limit=1&sort=createdAt&order=desc',
      );
      const second = (await officeApi<Problem>(`/api/problems/${list.items[0]!.id}`)).problem;
      await officeApi(`/api/problems/${second.id}/actions`, {
        action: 'register',
        version: second.version,
      });

      // The citizen opens 我的积分 from the page they are on, and asks for a code by text: the
      // app runs the outbox at once for it (otherwise its next run, up to 10 s later, sends it).
      await citizen.click('[data-testid=nav-credits]');
      await citizen.fill('[data-testid=cr-phone]', mobile);
      await citizen.click('[data-testid=cr-send]');
      await citizen.waitForSelector('[data-testid=cr-sent]:has-text("139****1111")');
      const otpText = () =>
        gateway.received.find((m) => m.payload.kind === 'otp' && m.payload.to === mobile)?.payload
          .text;
      await expect.poll(otpText, { timeout: 45_000, interval: 200 }).toMatch(/验证码为 \d{6}/);
      expect(gateway.badSignatures).toBe(0);
      const otp = /验证码为 (\d{6})/.exec(otpText()!)![1]!;

      // Signed in: both accepted reports' points in the balance and in the ledger.
      await citizen.fill('[data-testid=cr-code]', otp);
      await citizen.click('[data-testid=cr-signin-submit]');
      const balance = citizen.locator('[data-testid=cr-balance]');
      await balance.waitFor();
      expect(await balance.innerText()).toMatch(/^10\s*分$/);
      const ledger = citizen.locator('[data-testid=cr-ledger-row]');
      await expect.poll(() => ledger.count()).toBe(2);
      const rows = await ledger.allInnerTexts();
      for (const p of [first, second])
        expect(rows.find((r) => r.includes(`随手拍 ${p.code}`))).toMatch(/\+5/);
      await snap(citizen, 'credits-01-account.png', { fullPage: true });

      // 积分兑换: 10 points take the shopping bag, not the towel (20); the code is shown once.
      await citizen.click('[data-testid=cr-tab-redeem]');
      const market = citizen
        .locator('[data-testid=cr-shop]')
        .filter({ hasText: '湖滨社区爱心超市' });
      const item = (name: string) =>
        market.locator('[data-testid=cr-item]').filter({ hasText: name }).locator('button');
      await item('环保购物袋').waitFor();
      expect(await item('毛巾').isDisabled()).toBe(true);
      await item('环保购物袋').click();
      const shown = (await citizen.locator('[data-testid=cr-code-text]').innerText()).trim();
      expect(shown).toMatch(/^[2-9A-HJ-NP-Z]{4} [2-9A-HJ-NP-Z]{4}$/);
      await snap(citizen, 'credits-02-code.png', { fullPage: true });

      // The shop's phone, signed in as its staff member 林店长 (湖滨社区爱心超市), on the redeem
      // screen: the staff type the code as shown, see what it is for, and confirm.
      const shopSession = await apiSession(server.url, 'shop');
      const shopPhone = await browser.newContext({
        viewport: { width: 375, height: 812 },
        locale: 'zh-CN',
        isMobile: true,
        hasTouch: true,
      });
      await shopPhone.addCookies(shopSession.cookies);
      const shop = await shopPhone.newPage();
      await shop.goto(`${server.url}/m/credits/redeem`);
      await shop.waitForSelector('[data-testid=redeem-shop]:has-text("湖滨社区爱心超市")');
      await shop.fill('[data-testid=redeem-code] input', shown);
      await shop.click('[data-testid=redeem-look]');
      const found = shop.locator('[data-testid=redeem-found]');
      await found.waitFor();
      const what = await found.innerText();
      for (const s of ['环保购物袋', '所需积分：10 分', '139****1111', '待核销'])
        expect(what).toContain(s);
      await shop.click('[data-testid=redeem-confirm]');
      await shop.waitForSelector('[data-testid=redeem-done]:has-text("环保购物袋 · 已扣 10 分")');
      await snap(shop, 'credits-03-shop-redeemed.png');

      // The citizen's balance drops by the item's points, and the ledger says where they went.
      await citizen.click('[data-testid=cr-code-done]');
      await citizen.waitForSelector('[data-testid=cr-redeem] >> text=当前余额 0 分');
      await citizen.click('[data-testid=cr-tab-account]');
      expect(await balance.innerText()).toMatch(/^0\s*分$/);
      await citizen.waitForSelector(
        '[data-testid=cr-ledger-row]:has-text("湖滨社区爱心超市 · 环保购物袋"):has-text("-10")',
      );
      // (the status is set to the right of the line)
      const redemptions = citizen.locator('[data-testid=cr-redemptions] li');
      await expect
        .poll(async () => (await redemptions.allInnerTexts()).map((r) => r.replace(/\s+/g, ' ')))
        .toEqual(['湖滨社区爱心超市 · 环保购物袋 · 10 分 · 已兑换']);
      await snap(citizen, 'credits-04-after.png', { fullPage: true });

      // A second use: looked up again, the code is refused in words, says when and by whom it was
      // used, and offers no confirm; confirmed all the same (another phone, a replayed request),
      // the server refuses it too.
      await shop.click('[data-testid=redeem-next]');
      await shop.fill('[data-testid=redeem-code] input', shown);
      await shop.click('[data-testid=redeem-look]');
      await shop.waitForSelector(
        '[data-testid=redeem-refused]:has-text("该兑换码已兑换过，不能重复使用")',
      );
      expect(await shop.locator('[data-testid=redeem-status]').innerText()).toMatch(
        /^已兑换，.* 由 林店长 核销$/,
      );
      expect(await shop.locator('[data-testid=redeem-confirm]').count()).toBe(0);
      const again = await fetch(`${server.url}/api/credits/redeem/confirm`, {
        method: 'POST',
        headers: {
          ...shopSession.headers,
          cookie: shopSession.cookies.map((c) => `${c.name}=${c.value}`).join('; '),
          'content-type': 'application/json',
        },
        body: JSON.stringify({ code: shown.replace(' ', '') }),
      });
      expect(again.status).toBe(409);
      expect(await again.text()).toContain('在“湖滨社区爱心超市”兑换过，不能重复使用');
      await snap(shop, 'credits-05-shop-used.png');
      await shopPhone.close();
    });
  },
);
