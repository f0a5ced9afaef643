import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TEvidenceRow } from '../core/contracts/evidence.js';
import type { TCampaign, TFrameworkTree, TMyAssignment } from '../core/contracts/frameworks.js';
import {
  chromiumPath,
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

/** The number on a KPI card. */
async function card(page: Page, key: string): Promise<number> {
  const text = await page.locator(`[data-testid=kpi-${key}] .ant-statistic-content`).innerText();
  return Number(text.replace(/[^\d.]/g, ''));
}

describe.runIf(exe)('dashboards', () => {
  let server: RunningServer;
  let browser: Browser;
  let leader: Page;
  keepFailures('dashboards', () => ({ pages: openPages(browser), server }));

  beforeAll(async () => {
    server = await startServer({ SEED: 'demo' });
    browser = await sharedBrowser(exe!);
    leader = await browser.newPage({ viewport: { width: 1440, height: 1100 }, locale: 'zh-CN' });
  }, 120_000);
  afterAll(async () => {
    await releaseBrowser(browser);
    await server?.stop();
  });

  it('the leader drills down city → district → unit → problem, and back', async () => {
    // The dashboard is the landing page.
    await signIn(leader, server.url, 'leader');
    await leader.waitForURL(/\/dashboard$/);
    await leader.waitForSelector('[data-testid=kpi-open] .ant-statistic-content');
    await leader.waitForSelector('[data-testid=trend-chart] canvas');
    // Heat cells and points are drawn on a canvas (thousands of markers in a real city).
    await leader.waitForSelector('[data-testid=dashboard-map] .leaflet-overlay-pane canvas');
    await leader.waitForSelector('[data-testid=dashboard-map]:has-text("未办结问题")');
    const mapNote = await leader.locator('[data-testid=dashboard-map]').innerText();
    expect(Number(/未办结问题 (\d+) 个/.exec(mapNote)?.[1])).toBeGreaterThan(0);
    await leader.waitForSelector('[data-testid=breakdown] tr:has-text("东湖区")');
    await leader.waitForSelector('[data-testid=unit-ranking] .ant-table-row');
    // The cohort figures (cached up to a minute) say when they were counted.
    for (const c of ['breakdown', 'unit-ranking']) {
      const asOf = await leader.locator(`[data-testid=${c}] [data-testid=as-of]`).innerText();
      expect(asOf).toMatch(/^数据截至 \d{2}:\d{2}:\d{2}$/);
    }
    await leader.waitForSelector('[data-testid=as-of]:has-text("点位状态截至")');
    const cityOpen = await card(leader, 'open');
    expect(cityOpen).toBeGreaterThan(0);
    expect(await leader.locator('text=领导驾驶舱（只读）').count()).toBe(1);
    await snap(leader, 'dash-01-city.png', { fullPage: true });

    // City → district: the district row's open count becomes the level's card.
    const row = leader.locator('[data-testid=breakdown] tr:has-text("东湖区")');
    const districtOpen = Number((await row.locator('td').nth(1).innerText()).trim());
    await row.click();
    await leader.waitForURL(/\/dashboard\?regionId=\d+$/);
    await leader.waitForSelector('[data-testid=dashboard-breadcrumb]:has-text("东湖区")');
    await leader.waitForSelector('text=各责任单位情况（点击下钻）');
    await leader.waitForSelector('[data-testid=breakdown] .ant-table-row');
    await expect.poll(() => card(leader, 'open')).toBe(districtOpen);
    expect(districtOpen).toBeLessThanOrEqual(cityOpen);
    await leader.waitForSelector('[data-testid=trend-chart] canvas');
    await snap(leader, 'dash-02-district.png', { fullPage: true });

    // District → unit: the unit with the most open problems there.
    const unitRow = leader.locator('[data-testid=breakdown] .ant-table-row:has(a)').first();
    const unitName = (await unitRow.locator('td').first().innerText()).trim();
    const unitOpen = Number((await unitRow.locator('td').nth(1).innerText()).trim());
    await unitRow.click();
    await leader.waitForURL(/\/dashboard\?regionId=\d+&unitId=\d+$/);
    await leader.waitForSelector(`[data-testid=dashboard-breadcrumb]:has-text("${unitName}")`);
    await expect.poll(() => card(leader, 'open')).toBe(unitOpen);
    await leader.waitForSelector('[data-testid=unit-problems] .ant-table-row');
    await snap(leader, 'dash-03-unit.png', { fullPage: true });

    // Unit → a problem's detail; the leader sees no action buttons (read-only).
    const problemRow = leader.locator('[data-testid=unit-problems] .ant-table-row').first();
    const code = (await problemRow.locator('td').first().innerText()).trim();
    await problemRow.click();
    await leader.waitForURL(/\/problems\/\d+$/);
    await leader.waitForSelector(`text=${code}`);
    expect(await leader.locator('button:has-text("派遣")').count()).toBe(0);
    expect(await leader.locator('button:has-text("核查通过销号")').count()).toBe(0);
    await snap(leader, 'dash-04-problem.png', { fullPage: true });

    // Back walks the drill-down up again.
    await leader.goBack();
    await leader.waitForURL(/unitId=\d+$/);
    await leader.waitForSelector(`[data-testid=dashboard-breadcrumb]:has-text("${unitName}")`);
    await leader.goBack();
    await leader.waitForURL(/\/dashboard\?regionId=\d+$/);
    await leader.waitForSelector('text=各责任单位情况（点击下钻）');
    await leader.click('[data-testid=dashboard-breadcrumb] a:has-text("全市")');
    await leader.waitForURL(/\/dashboard$/);
    await leader.waitForSelector('text=各区县情况（点击下钻）');
  }, 120_000);

  it('a unit lands on its own dashboard, with its materials due', async () => {
    const unit = await browser.newPage({
      viewport: { width: 1440, height: 1000 },
      locale: 'zh-CN',
    });
    await signIn(unit, server.url, 'unit');
    await unit.waitForURL(/\/dashboard$/);
    await unit.waitForSelector('[data-testid=unit-standing]:has-text("全部单位排名")');
    expect(
      await unit.locator('[data-testid=unit-standing] [data-testid=as-of]').innerText(),
    ).toMatch(/^数据截至 \d{2}:\d{2}:\d{2}$/);
    await unit.waitForSelector('[data-testid=unit-colours] .ant-statistic');
    await unit.waitForSelector('[data-testid=kpi-open] .ant-statistic-content');
    await unit.waitForSelector('[data-testid=unit-assignments] .ant-table');
    // The demo's 时限 are all 长期坚持: nothing is due yet.
    const dueCard = unit.locator('[data-testid=unit-due-materials]');
    await dueCard.locator('text=没有待办的档案资料').waitFor();

    // The office makes the unit the lead of two material standards with dates: one 3 days
    // overdue, one due in 5.
    const day = (n: number) =>
      new Date(Date.now() + 8 * 3_600_000 + n * 86_400_000).toISOString().slice(0, 10);
    const me = (await (await unit.request.get(`${server.url}/api/auth/me`)).json()) as {
      user: { unitId: number };
    };
    const led = new Set(
      (
        (await (await unit.request.get(`${server.url}/api/my-assignments`)).json()) as {
          items: TMyAssignment[];
        }
      ).items
        .filter((x) => x.role === 'lead')
        .map((x) => x.standardId),
    );
    const octx = await browser.newContext({ locale: 'zh-CN' });
    const office = await octx.newPage();
    await signIn(office, server.url, 'office');
    const ome = await office.request.get(`${server.url}/api/auth/me`);
    const headers = { 'x-csrf-token': ((await ome.json()) as { csrfToken: string }).csrfToken };
    const framework = (
      (await (await office.request.get(`${server.url}/api/campaigns`)).json()) as {
        items: TCampaign[];
      }
    ).items
      .flatMap((c) => c.frameworks)
      .find((f) => f.currentVersionId !== null)!;
    const versionId = framework.currentVersionId!;
    // Standards whose dossier nobody has started this year (the demo has two).
    const unstarted = new Set(
      (
        (await (
          await office.request.get(
            `${server.url}/api/evidence?frameworkId=${framework.id}&year=${day(0).slice(0, 4)}`,
          )
        ).json()) as TEvidenceRow[]
      )
        .filter((r) => r.state === 'none')
        .map((r) => r.code),
    );
    const tree = (await (
      await office.request.get(`${server.url}/api/framework-versions/${versionId}/tree`)
    ).json()) as TFrameworkTree;
    const free = tree.items
      .flatMap((i) => i.children.flatMap((c) => c.children))
      .filter((x) => x.method === 'material' && !led.has(x.id) && unstarted.has(x.code));
    const created: { id: number; standardCode: string }[] = [];
    for (const [standard, offset] of [
      [free[0]!, -3],
      [free[1]!, 5],
    ] as const) {
      const res = await office.request.post(
        `${server.url}/api/framework-versions/${versionId}/assignments`,
        {
          headers,
          data: {
            standardId: standard.id,
            leadUnitId: me.user.unitId,
            responsibleUnitIds: [],
            dueDate: day(offset),
          },
        },
      );
      expect(res.status(), await res.text()).toBe(201);
      created.push((await res.json()) as { id: number; standardCode: string });
    }
    const [late, soon] = created as [(typeof created)[0], (typeof created)[0]];
    await octx.close();

    await unit.reload();
    const rows = dueCard.locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(2);
    const counts = await dueCard.locator('[data-testid=due-materials-counts]').innerText();
    expect(counts).toContain('已逾期 1');
    expect(counts).toContain('即将到期 1');
    expect(counts).toContain('未上传 2');
    expect(await rows.nth(0).innerText()).toContain(late.standardCode);
    expect(await rows.nth(0).innerText()).toContain('逾期 3 天');
    expect(await rows.nth(1).innerText()).toContain(soon.standardCode);
    expect(await rows.nth(1).innerText()).toContain('5 天后');
    await snap(unit, 'dash-05-unit-own.png', { fullPage: true });

    // The link opens that standard's dossier on the evidence page.
    await rows.nth(0).locator('[data-testid=due-material-open]').click();
    await unit.waitForURL(/\/evidence\?frameworkId=\d+&year=\d+&standard=/);
    await unit.waitForSelector(`.ant-drawer-title:has-text("${late.standardCode} 档案资料")`);
    await snap(unit, 'dash-06-unit-dossier.png');
    await unit.close();
  }, 90_000);
});
