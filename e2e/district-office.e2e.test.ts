import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiSession,
  artifact,
  chromiumPath,
  confirmModal,
  DEMO_PASSWORD,
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
  visit,
} from './harness.js';
import type { TMyRound, TVisit } from '../core/contracts/inspections.js';
import { testJpeg } from '../server/test/images.js';

const exe = chromiumPath();
/** The district's own 督导员, added by its office in the browser. */
const INSPECTOR = { username: 'dhdudao', name: '东湖督导员', firstPassword: 'Start#2026x' };
const sessionCookie = async (username: string) => {
  const s = await apiSession(url(), username);
  return `${s.cookies[0]!.name}=${s.cookies[0]!.value}`;
};
let url = () => '';
let photo = '';

// Issue #20: the demo's 东湖区创建办 (`district`) works its own district — its dashboard, its
// problems dispatched to its own units, its own supervision round drawn on its own points, its own
// ranking of its streets and its own 通报 — and the city-level pages are not in its menu.

describe.runIf(exe)("区创建办: the district office's day", () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  keepFailures('district-office', () => ({ pages: openPages(browser), server }));

  beforeAll(async () => {
    server = await startServer({ SEED: 'demo' });
    url = () => server.url;
    photo = artifact('district-photo.jpg');
    fs.writeFileSync(photo, await testJpeg({ color: '#a86', width: 640 }));
    browser = await sharedBrowser(exe!);
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    await signIn(page, `${server.url}/dashboard`, 'district');
  });
  afterAll(async () => {
    await releaseBrowser(browser);
    await server?.stop();
  });

  it('opens on its own district: the header names its office, the menu leaves the city out', async () => {
    expect(await page.locator('[data-testid=user-menu]').innerText()).toContain('东湖区创建办');
    const crumbs = page.locator('[data-testid=dashboard-breadcrumb]');
    await crumbs.waitFor();
    await page.waitForSelector('[data-testid=dashboard-breadcrumb] :text("东湖区")');
    // Its dashboard starts at its own district: there is no 全市 above it to open.
    expect(await crumbs.innerText()).not.toContain('全市');
    // Its breakdown is by its streets, not the city's districts.
    await page.waitForSelector('[data-testid=breakdown] :text("各街道（乡镇）情况")');
    expect(await page.locator('[data-testid=breakdown]').innerText()).not.toContain('西城区');
    const menu = (await page.locator('.ant-layout-sider .ant-menu').innerText()).split('\n');
    for (const item of ['问题台账', '测评轮次', '点位管理', '单位排名', '通报']) {
      expect(
        menu.some((m) => m.includes(item)),
        item,
      ).toBe(true);
    }
    for (const item of ['点位类型', 'Open311 接入', '审计日志']) {
      expect(
        menu.some((m) => m.includes(item)),
        item,
      ).toBe(false);
    }
    await settled(page);
    await snap(page, 'district-01-dashboard.png', { fullPage: true });
  });

  it("lists only its district's problems and dispatches to its own units only", async () => {
    await visit(page, `/problems`);
    await page.waitForSelector('.ant-table-row');
    const regions = await page.locator('.ant-table-row').allInnerTexts();
    expect(regions.length).toBeGreaterThan(0);
    for (const other of ['西城区', '南山区']) {
      expect(
        regions.some((r) => r.includes(other)),
        other,
      ).toBe(false);
    }
    await page.click('[data-testid=problem-new]');
    await page.fill('#problem-title', '湖滨路人行道破损');
    await pickOption(page, page.locator('#problem-category'), '井盖缺失破损', {
      search: '井盖缺失',
    });
    await confirmModal(page, page.locator('.ant-modal:has(#problem-title)'));
    await page.waitForSelector('[data-testid=action-dispatch]');
    await page.click('[data-testid=action-dispatch]');
    // A city department is not among its units: searching for it finds nothing.
    const unitSelect = page.locator('#dispatch-unit');
    await unitSelect.click();
    await unitSelect.fill('城市管理综合执法');
    await page
      .locator(
        '.ant-select-dropdown:visible .ant-empty, .ant-select-dropdown:visible .ant-select-item-empty',
      )
      .first()
      .waitFor();
    await unitSelect.fill('');
    await pickOption(page, unitSelect, '东湖区湖滨街道办事处', { search: '湖滨街道', sole: true });
    await confirmModal(page, page.locator('.ant-modal:has(#dispatch-unit)'));
    await page.waitForSelector('.ant-tag:has-text("整改中")');
    expect(await page.locator('main, .ant-layout-content').first().innerText()).toContain(
      '东湖区湖滨街道办事处',
    );
    await snap(page, 'district-02-dispatched.png', { fullPage: true });
  });

  it('adds its own 督导员 (an inspector held in its district) on the users page', async () => {
    await visit(page, `/users`);
    await page.click('[data-testid=user-new]');
    const dialog = page.locator('.ant-modal:has(#user-roles)');
    await dialog.waitFor();
    await dialog.locator('input#username').fill(INSPECTOR.username);
    await dialog.locator('input#name').fill(INSPECTOR.name);
    // A new user is offered as a unit's (责任单位) by default: this one is an inspector instead.
    await dialog.locator('.ant-select-selection-item:has-text("责任单位") .anticon-close').click();
    await pickOption(page, dialog.locator('#user-roles'), '测评员');
    // Its region picker offers its own district's subtree only.
    await pickOption(page, dialog.locator('#user-region'), '东湖区');
    expect(await page.locator('.ant-select-dropdown :text("西城区")').count()).toBe(0);
    await dialog.locator('input#password').fill(INSPECTOR.firstPassword);
    await confirmModal(page, dialog);
    await page.waitForSelector(`.ant-table-row:has-text("${INSPECTOR.username}")`);
  });

  it('plans its own supervision round, draws it on its own points and verifies the draw', async () => {
    await visit(page, `/rounds`);
    await page.click('[data-testid=round-new]');
    const dialog = page.locator('.ant-modal:has(#round-name)');
    await page.fill('#round-name', '东湖区背街小巷专项督查');
    // Neither the official replay nor the draw by district and day is the district's.
    expect(await dialog.locator('#round-by-district').count()).toBe(0);
    await pickOption(page, dialog.locator('.ant-select').first(), '督查');
    // Its own 督导员 visits (the city's inspectors are not its people: refused by the server).
    await pickOption(page, dialog.locator('[data-testid=round-inspectors]'), INSPECTOR.name);
    expect(await page.locator('.ant-select-item-option:has-text("正式测评复盘")').count()).toBe(0);
    await confirmModal(page, dialog);
    const row = page.locator('[data-testid=rounds] tr:has-text("东湖区背街小巷专项督查")');
    await row.waitFor();
    for (const [button, state] of [
      [/公布承诺值/, '已公布承诺值'],
      [/抽\s?签/, '已抽取'],
      [/公开种子/, '已公开种子'],
    ] as const) {
      await row.getByRole('button', { name: button }).click();
      if (state === '已抽取') {
        await confirmModal(
          page,
          page.locator('.ant-modal-confirm:has([data-testid=draw-confirm])'),
        );
      }
      await row.locator(`.ant-tag:has-text("${state}")`).waitFor();
    }
    await row.locator('[data-testid=verify-here]').click();
    await row.locator('[data-testid=verdict]:has-text("核验通过")').waitFor();
    await row.locator('.ant-table-row-expand-icon').click();
    const drawn = page.locator('[data-testid^=drawn-points-] tbody tr');
    await drawn.first().waitFor();
    const texts = await drawn.allInnerTexts();
    expect(texts.length).toBeGreaterThan(0);
    for (const t of texts) {
      expect(t.includes('西城区') || t.includes('南山区'), t).toBe(false);
    }
    // Only its own round is listed: the city's rounds are not announced to the district.
    const listed = await page.locator('[data-testid=rounds] tr.ant-table-row').allInnerTexts();
    expect(listed.every((r) => !r.includes('第二次模拟测评'))).toBe(true);
    await settled(page);
    await snap(page, 'district-03-round.png', { fullPage: true });
  });

  it('its 督导员 signs in on the phone, visits a drawn point, and the finding is the district’s', async () => {
    // The round's drawn points, as the inspector's phone will list them.
    const admin = await apiSession(server.url, 'district');
    const cookie = `${admin.cookies[0]!.name}=${admin.cookies[0]!.value}`;
    const rounds = (await (
      await fetch(`${server.url}/api/rounds`, { headers: { cookie } })
    ).json()) as { items: { id: number; name: string }[] };
    const round = rounds.items.find((r) => r.name === '东湖区背街小巷专项督查')!;
    const ctx = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
      isMobile: true,
      hasTouch: true,
      permissions: ['geolocation'],
    });
    const phone = await ctx.newPage();
    await phone.goto(`${server.url}/m/`);
    await phone.fill('#m-login-username', INSPECTOR.username);
    await phone.fill('#m-login-password', INSPECTOR.firstPassword);
    await phone.click('[data-testid=m-login-submit]');
    // A first sign-in sets a password of one's own before anything else.
    await phone.waitForSelector('[data-testid=m-change-password]');
    const fields = phone.locator('[data-testid=m-change-password] input[type=password]');
    await fields.nth(0).fill(INSPECTOR.firstPassword);
    await fields.nth(1).fill(DEMO_PASSWORD);
    await fields.nth(2).fill(DEMO_PASSWORD);
    await phone.click('[data-testid=m-change-password] button[type=submit]');
    await phone.waitForSelector('[data-testid=m-task-inspect]');
    const mineRes = await fetch(`${server.url}/api/inspections/mine`, {
      headers: { cookie: await sessionCookie(INSPECTOR.username) },
    });
    const mine = (await mineRes.json()) as { items: TMyRound[] };
    // Its one round is the district's; no city round is on its phone.
    expect(mine.items.map((r) => r.id)).toEqual([round.id]);
    const point = mine.items[0]!.points.find((p) => p.lat !== null)!;
    // Standing by it (about 20 m away).
    await ctx.setGeolocation({ latitude: point.lat! + 0.00015, longitude: point.lng! + 0.0001 });
    await phone.click('[data-testid=m-open-inspect]');
    await phone.click(`[data-testid=inspect-point-${point.id}]`);
    await phone.waitForSelector('[data-testid=visit-form]');
    for (const [i, item] of point.checklist.entries()) {
      const q = item.quantity;
      if (q)
        await phone.fill(
          `[data-testid=check-${i}-count] input`,
          String(q.kind === 'count' ? q.min + 1 : 20),
        );
      if (q?.kind === 'ratio') await phone.fill(`[data-testid=check-${i}-total] input`, '20');
      await phone.click(`[data-testid=check-${i}-${i === 0 ? 'fail' : 'pass'}]`);
    }
    await phone.fill('[data-testid=check-0-note] textarea', '东湖区督查：路面破损');
    await phone.locator('[data-testid=check-0-photo]').setInputFiles(photo);
    await phone.waitForSelector('[data-testid=check-item-0] img');
    await phone.click('[data-testid=visit-submit]');
    await phone.waitForSelector(`[data-testid=inspect-point-${point.id}]:has-text("不合格")`, {
      timeout: 30_000,
    });
    await settled(phone);
    await snap(phone, 'district-03b-phone-visit.png');
    await ctx.close();
    // The finding is a problem of the district, in its office's ledger.
    const visits = (await (
      await fetch(`${server.url}/api/visits?roundId=${round.id}&pointId=${point.id}`, {
        headers: { cookie },
      })
    ).json()) as { items: TVisit[] };
    expect(visits.items).toHaveLength(1);
    const problemId = visits.items[0]!.problemId;
    expect(problemId).not.toBeNull();
    await visit(page, `/problems/${problemId}`);
    await page.waitForSelector(`main :text("东湖区督查：路面破损")`);
  });

  it('ranks its own streets by the city’s rules and issues its own bulletin', async () => {
    await visit(page, `/rankings`);
    await page.waitForSelector('[data-testid=rankings-title]:has-text("单位排名 · 东湖区")');
    await page.waitForSelector('[data-testid=snapshot-compute]');
    expect(await page.locator('[data-testid=rules-edit]').count()).toBe(0);
    expect(await page.locator('[data-testid=level-filter]').count()).toBe(0);
    // Last month, as the period field proposes.
    await page.click('[data-testid=snapshot-compute]');
    await page.waitForSelector('.ant-message:has-text("已计算")');
    const table = page.locator('[data-testid=ranking-table-street]');
    await table.waitFor();
    const names = await table.locator('[data-testid^=ranking-unit-]').allInnerTexts();
    // Its five streets (four 街道 and 新港镇), nobody else's; no 区县 class in a district's ranking.
    expect(names).toHaveLength(5);
    for (const n of names) expect(n.startsWith('东湖区'), n).toBe(true);
    const tabs = await page.locator('.ant-tabs-tab').allInnerTexts();
    expect(tabs.some((x) => x.includes('区县'))).toBe(false);
    expect(await page.locator('[data-testid=snapshot-select]').innerText()).toContain('东湖区 · ');
    await settled(page);
    await snap(page, 'district-04-ranking.png', { fullPage: true });

    await visit(page, `/bulletins`);
    await page.waitForSelector('[data-testid=bulletin-generate]:not([disabled])');
    await page.click('[data-testid=bulletin-generate]');
    const sheet = page.locator('[data-testid=bulletin-sheet]');
    await sheet.waitFor();
    const text = await sheet.innerText();
    expect(text).toContain('东湖区创建全国文明城市工作指挥部办公室');
    expect(text).toContain('东湖区新增创城问题');
    expect(text).not.toContain('西城区');
    await settled(page);
    await snap(page, 'district-05-bulletin.png', { fullPage: true });
  });

  it('reads its own quota board, volunteers, dossiers and hotline checks, without the city’s tools', async () => {
    // The names of 东湖区 and every region under it, from the regions list everyone reads.
    const regions = (await (await page.request.get(`${server.url}/api/regions`)).json()) as {
      items: { id: number; name: string; parentId: number | null }[];
    };
    const own = new Set<number>(regions.items.filter((r) => r.name === '东湖区').map((r) => r.id));
    for (let grew = true; grew;) {
      grew = false;
      for (const r of regions.items) {
        if (r.parentId !== null && own.has(r.parentId) && !own.has(r.id)) {
          own.add(r.id);
          grew = true;
        }
      }
    }
    const ownNames = new Set(regions.items.filter((r) => own.has(r.id)).map((r) => r.name));
    const column = async (table: string, title: string) => {
      const rows = page.locator(`${table} .ant-table-row`);
      await rows.first().waitFor();
      const heads = await page.locator(`${table} thead th`).allInnerTexts();
      const at = heads.findIndex((h) => h.trim() === title);
      expect(at, title).toBeGreaterThanOrEqual(0);
      return rows.evaluateAll(
        (trs, i) => trs.map((tr) => (tr.children[i] as HTMLElement | undefined)?.innerText ?? ''),
        at,
      );
    };

    await visit(page, `/survey-quotas`);
    await page.locator('[data-testid=quota-board]').waitFor();
    const areas = await column('[data-testid=quota-board]', '区域');
    expect(areas.length).toBeGreaterThan(0);
    for (const a of areas) expect(ownNames.has(a.trim()), a).toBe(true);
    // Planning the round is the city's.
    expect(await page.locator('[data-testid=round-settings]').count()).toBe(0);
    await settled(page);
    await snap(page, 'district-06-quotas.png', { fullPage: true });

    await visit(page, `/volunteers`);
    const communities = await column('.ant-table', '社区');
    expect(communities.length).toBeGreaterThan(0);
    for (const c of communities) expect(ownNames.has(c.trim()), c).toBe(true);
    await settled(page);
    await snap(page, 'district-07-volunteers.png', { fullPage: true });

    const menu = (await page.locator('.ant-layout-sider .ant-menu').innerText()).split('\n');
    for (const item of ['档案资料', '调查结果', '模拟验证']) {
      expect(
        menu.some((m) => m.includes(item)),
        item,
      ).toBe(true);
    }
    expect(menu.some((m) => m.includes('问卷设计'))).toBe(false);
    await visit(page, `/evidence`);
    await page.locator('.ant-table').first().waitFor();
    // Reviewing materials is the city's: no approve or return buttons.
    expect(await page.locator('[data-testid=evidence-approve]').count()).toBe(0);
    await settled(page);
    await snap(page, 'district-08-evidence.png', { fullPage: true });
  });
});
