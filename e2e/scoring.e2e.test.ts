import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  artifact,
  chromiumPath,
  launchBrowser,
  signIn,
  startServer,
  type RunningServer,
} from './harness.js';

// 测评得分预估 and 模拟测评推演 on the demo city: the office records a negative-list hit, reads the
// projected score and runs the mock evaluation of a round plan; the leader reads both.

const exe = chromiumPath();

describe.runIf(exe)('scoring', () => {
  let server: RunningServer;
  let browser: Browser;
  let office: Page;

  beforeAll(async () => {
    server = await startServer({ SEED: 'demo' });
    browser = await launchBrowser(exe!);
    office = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    await signIn(office, server.url, 'office');
    // A mock round whose plan the evaluation simulates: all markets, 3 of each of two other types.
    const me = await office.request.get(`${server.url}/api/auth/me`);
    const headers = { 'x-csrf-token': ((await me.json()) as { csrfToken: string }).csrfToken };
    const round = await office.request.post(`${server.url}/api/rounds`, {
      headers,
      data: {
        name: '模拟测评方案（年终）',
        kind: 'mock',
        plan: [
          { type: 'P03', mode: 'all' },
          { type: 'P01', mode: 'random', count: 3 },
          { type: 'P05', mode: 'random', count: 3 },
        ],
        inspectorIds: [],
      },
    });
    expect(round.status()).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the office records a negative-list hit on the framework page', async () => {
    await office.goto(`${server.url}/frameworks`);
    const card = office.locator('[data-testid=negative-hits]');
    await card.waitFor();
    await card.locator('button:has-text("登记")').click();
    const modal = office.locator('.ant-modal:has-text("登记负面清单事件")');
    await modal.waitFor();
    await modal.locator('#itemKey').click();
    await office.click('.ant-select-item-option:has-text("N1")');
    await modal.locator('#note').fill('某区施工现场安全事故（演示）');
    await office.screenshot({ path: artifact('scoring-01-hit-form.png') });
    await modal.locator('.ant-modal-footer .ant-btn-primary').click();
    await card.locator('tr:has-text("某区施工现场安全事故")').waitFor();
    expect(await card.innerText()).toContain('扣 3 分');
    await card.screenshot({ path: artifact('scoring-02-hits.png') });
  });

  it('the office opens the projected score: total, years, parts, breakdown, risks, the hit', async () => {
    await office.goto(`${server.url}/score`);
    await office.waitForSelector('[data-testid=cycle-total]');
    await office.waitForSelector('[data-testid^=year-] canvas');
    await office.waitForSelector('[data-testid=score-tree] tr.ant-table-row');
    const total = await office.locator('[data-testid=cycle-total]').innerText();
    expect(total).toMatch(/\d+\.\d\d/);
    for (const part of ['material', 'field', 'survey']) {
      expect(await office.locator(`[data-testid=part-${part}]`).innerText()).toMatch(/\d/);
    }
    const body = await office.locator('body').innerText();
    expect(body).toContain('负面清单扣分 3');
    expect(body).toContain('某区施工现场安全事故');
    expect(await office.locator('[data-testid=at-risk] tr.ant-table-row').count()).toBeGreaterThan(
      0,
    );
    await office.screenshot({ path: artifact('scoring-03-score.png'), fullPage: true });
  });

  it('the office runs the mock evaluation of the round plan and sees the distribution', async () => {
    await office.goto(`${server.url}/mock-evaluation`);
    // The round with a plan is chosen for you.
    await office.locator('.mock-round-select:has-text("模拟测评方案")').waitFor();
    await office.click('[data-testid=mock-run]');
    await office.waitForSelector('[data-testid=histogram] canvas');
    const p = await office.locator('[data-testid=p-target]').innerText();
    expect(p).toMatch(/\d+\.\d%/);
    expect(await office.locator('[data-testid=expected]').innerText()).toMatch(/\d+\.\d\d%/);
    expect(
      await office.locator('[data-testid=where-to-act] tr.ant-table-row').count(),
    ).toBeGreaterThan(0);
    await office.screenshot({ path: artifact('scoring-04-mock.png'), fullPage: true });
  });

  it('the leader reads both pages and cannot record hits', async () => {
    const ctx = await browser.newContext({
      viewport: { width: 1440, height: 1000 },
      locale: 'zh-CN',
    });
    const leader = await ctx.newPage();
    await signIn(leader, server.url, 'leader');
    await leader.goto(`${server.url}/score`);
    await leader.waitForSelector('[data-testid=cycle-total]');
    await leader.goto(`${server.url}/mock-evaluation`);
    await leader.locator('.mock-round-select:has-text("模拟测评方案")').waitFor();
    await leader.click('[data-testid=mock-run]');
    await leader.waitForSelector('[data-testid=histogram] canvas');
    await leader.goto(`${server.url}/frameworks`);
    const card = leader.locator('[data-testid=negative-hits]');
    await card.locator('tr:has-text("某区施工现场安全事故")').waitFor();
    expect(await card.locator('button:has-text("登记")').count()).toBe(0);
    await leader.screenshot({ path: artifact('scoring-05-leader.png') });
    await ctx.close();
  });
});
