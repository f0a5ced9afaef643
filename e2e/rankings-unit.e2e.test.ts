import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TRankingRulesConfig, TSnapshot } from '../core/contracts/rankings.js';
import { rankingPeriodOf } from '../core/ranking/periods.js';
import {
  chromiumPath,
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

const exe = chromiumPath();

// A responsible unit (the demo `unit`, 市城市管理综合执法局) opens 单位排名 under 测评结果 and sees
// its own standing of the published month — rank, flag, the consequence recorded — and nothing of
// the other units: the API gives a unit only its own row of a published snapshot.

const UNIT_NAME = '市城市管理综合执法局';

describe.runIf(exe)('单位排名: the unit view', () => {
  let server: RunningServer;
  let browser: Browser;
  let office: Page;
  let headers: Record<string, string>;
  const period = rankingPeriodOf(new Date(), 'month');
  let published: TSnapshot;
  let draftId = 0;
  let own: TSnapshot['classes'][number]['rows'][number];
  keepFailures('rankings-unit', () => ({ pages: openPages(browser), server }));

  const api = async <T>(method: 'get' | 'post' | 'put', url: string, data?: unknown) => {
    const res = await office.request.fetch(`${server.url}${url}`, { method, headers, data });
    expect(res.status(), `${url}: ${await res.text()}`).toBeLessThan(300);
    return (await res.json()) as T;
  };
  const rowOf = (s: TSnapshot) =>
    s.classes.flatMap((c) => c.rows).find((r) => r.unitName === UNIT_NAME);

  beforeAll(async () => {
    server = await startServer({ SEED: 'demo' });
    browser = await sharedBrowser(exe!);
    office = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    await signIn(office, `${server.url}/calendar`, 'office');
    const me = await office.request.get(`${server.url}/api/auth/me`);
    headers = { 'x-csrf-token': ((await me.json()) as { csrfToken: string }).csrfToken };

    // The demo month is young: rank every unit with a case, and record a consequence on the first
    // flag of either colour, so that the unit's standing carries one.
    const { rules, version } = await api<{ rules: TRankingRulesConfig; version: number }>(
      'get',
      '/api/rankings/rules',
    );
    const consequences: TRankingRulesConfig['consequences'] = [
      { flag: 'red', streak: 1, action: { zh: '通报表扬', en: 'Public commendation' } },
      { flag: 'black', streak: 1, action: { zh: '书面督办', en: 'Written notice' } },
    ];
    const v = (
      await api<{ version: number }>('put', '/api/rankings/rules', {
        rules: { ...rules, minSample: 1, consequences },
        version,
      })
    ).version;
    const first = await api<TSnapshot>('post', '/api/rankings/snapshots', { period });
    const mine = rowOf(first);
    expect(mine?.rank, `${UNIT_NAME} is ranked in ${period}`).not.toBeNull();
    // Red down to the unit's rank: the unit is flagged red, whatever its place in the demo data.
    expect(mine!.rank!).toBeLessThanOrEqual(10);
    await api('put', '/api/rankings/rules', {
      rules: { ...rules, minSample: 1, consequences, redPerClass: mine!.rank!, blackPerClass: 1 },
      version: v,
    });
    const second = await api<TSnapshot>('post', '/api/rankings/snapshots', { period });
    expect(second.version).toBe(2);
    published = await api<TSnapshot>('post', `/api/rankings/snapshots/${second.id}/publish`);
    own = rowOf(published)!;
    expect(own).toMatchObject({ flag: 'red', streak: 1, action: { zh: '通报表扬' } });
    // A later draft (a week of this month) the unit must not see.
    const week = rankingPeriodOf(new Date(Date.now() - 7 * 86_400_000), 'week');
    draftId = (await api<TSnapshot>('post', '/api/rankings/snapshots', { period: week })).id;
  });
  afterAll(async () => {
    await releaseBrowser(browser);
    await server?.stop();
  });

  // Where the office finds rankings and bulletins (the 测评结果 menu group) is checked for every
  // role in web/admin/AdminApp.isolated.test.tsx.

  it('the unit opens 单位排名 and sees its own standing, flag and consequence only', async () => {
    const ctx = await browser.newContext({
      viewport: { width: 1440, height: 1000 },
      locale: 'zh-CN',
    });
    const unit = await ctx.newPage();
    await signIn(unit, server.url, 'unit');
    // The unit's menu: 测评结果 holds rankings and bulletins (no score pages: no ScoreRead).
    const results = unit.locator(
      '.ant-menu-item-group:has(.ant-menu-item-group-title:text-is("测评结果"))',
    );
    expect((await results.locator('.ant-menu-item').allInnerTexts()).map((l) => l.trim())).toEqual([
      '单位排名',
      '通报',
    ]);
    await results.locator('.ant-menu-item:has-text("单位排名")').click();
    await unit.waitForURL(/\/rankings$/);

    // Its history: flags counted, the trend, the consequence of the published month.
    const history = unit.locator('[data-testid=unit-history]');
    await history.locator('canvas').waitFor();
    const historyText = await history.innerText();
    expect(historyText).toContain(UNIT_NAME);
    expect(historyText).toContain('流动红旗 × 1');
    expect(historyText).toContain('黑牌 × 0');
    const consequence = history.locator('[data-testid=consequence]');
    expect(await consequence.count()).toBe(1);
    expect(await consequence.innerText()).toContain(`${period}：流动红旗 连续第 1 次 → 通报表扬`);
    expect(await history.locator('tbody tr').first().innerText()).toContain(
      `${own.rank} / ${own.classSize}`,
    );

    // The published snapshot only (not the week's draft), its own class alone, its own row alone.
    await unit.click('[data-testid=snapshot-select]');
    // Read once the list is open and drawn.
    await unit.locator('.ant-select-dropdown:visible .ant-select-item-option').first().waitFor();
    await settled(unit);
    const options = await unit.locator('.ant-select-item-option').allInnerTexts();
    expect(options).toEqual([`${period} · v2 · 已发布`]);
    await unit.keyboard.press('Escape');
    const tabs = await unit.locator('.ant-tabs-tab').allInnerTexts();
    expect(tabs).toEqual(['市直部门 (1)']);
    const table = unit.locator('[data-testid=ranking-table-department]');
    const rows = table.locator('tbody tr.ant-table-row');
    expect(await rows.count()).toBe(1);
    const cells = await rows.first().locator('td').allInnerTexts();
    expect(cells[0]).toBe(`${own.rank} / ${own.classSize}`);
    expect(cells[1]).toBe(UNIT_NAME);
    expect(await rows.first().locator('[data-testid=flag-red]').count()).toBe(1);
    expect(await rows.first().innerText()).toContain('通报表扬');

    // Nothing of the other units, and no office buttons.
    const page = await unit.locator('main, .ant-layout-content').first().innerText();
    const others = published.classes.flatMap((c) => c.rows).filter((r) => r.unitName !== UNIT_NAME);
    expect(others.length).toBeGreaterThan(0);
    for (const o of others) expect(page).not.toContain(o.unitName);
    for (const id of ['snapshot-compute', 'snapshot-publish', 'rules-edit', 'snapshot-period'])
      expect(await unit.locator(`[data-testid=${id}]`).count(), id).toBe(0);
    expect(await unit.locator('text=连续挂牌处理记录').count()).toBe(0);
    await snap(unit, 'rankings-unit-01-own-standing.png', { fullPage: true });

    // What the page shows is what the API allows: the draft is not found for the unit.
    const draft = await unit.request.get(`${server.url}/api/rankings/snapshots/${draftId}`);
    expect(draft.status()).toBe(404);
    await ctx.close();
  });
});
