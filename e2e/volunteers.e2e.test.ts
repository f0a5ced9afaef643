import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumPath,
  confirmModal,
  keepFailures,
  openPages,
  pickOption,
  popconfirm,
  releaseBrowser,
  type RunningServer,
  SCREENSHOTS,
  settled,
  sharedBrowser,
  signIn,
  snap,
  startServer,
} from './harness.js';

const exe = chromiumPath();

/** For a picture: the phone app's 2-second toast gone (not waited for without pictures). */
const toastGone = (page: Page) =>
  SCREENSHOTS ? page.waitForSelector('.adm-toast-mask', { state: 'detached' }) : undefined;
const TODAY = '湖滨社区环境清洁日';
// The demo 湖滨社区新时代文明实践站, where today's activity is.
const STATION = { latitude: 30.2622, longitude: 120.1502 };

describe.runIf(exe)('志愿服务: a volunteer signs up and checks in on the phone', () => {
  let server: RunningServer;
  let browser: Browser;
  let office: Page;
  let phoneCtx: BrowserContext;
  let phone: Page;
  let checkinLink = '';
  keepFailures('volunteers', () => ({ pages: openPages(browser), server }));

  beforeAll(async () => {
    server = await startServer({ SEED: 'demo' });
    browser = await sharedBrowser(exe!);
    office = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await signIn(office, `${server.url}/calendar`, 'office');
    phoneCtx = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      geolocation: STATION,
      permissions: ['geolocation'],
    });
    phone = await phoneCtx.newPage();
    await signIn(phone, server.url, 'volunteer');
  }, 120_000);
  afterAll(async () => {
    await releaseBrowser(browser);
    await server?.stop();
  });

  it('shows the office the registry, the stations and the activity calendar', async () => {
    await office.click('.ant-menu-item:has-text("志愿者与阵地")');
    await office.waitForSelector('tr:has-text("陈晓燕")');
    // The office sees phones in full.
    expect(await office.locator('tr:has-text("陈晓燕")').innerText()).toContain('13700000001');
    // 实名: ID numbers masked even for the office; the demo leaves one in four 未实名.
    expect(await office.locator('tr:has-text("陈晓燕")').innerText()).toContain('990102********');
    expect(await office.locator('tr:has-text("郭静")').innerText()).toContain('未实名');
    await snap(office, 'volunteers-01-registry.png');
    await office.click('.ant-tabs-tab:has-text("文明实践阵地")');
    await office.waitForSelector('tr:has-text("柳岸社区新时代文明实践站")');
    await office.click('tr:has-text("湖滨社区新时代文明实践站")');
    await office.waitForSelector('.ant-drawer .ant-table-row');
    await settled(office);
    await snap(office, 'volunteers-02-station-month.png');
    await office.keyboard.press('Escape');

    await office.click('.ant-menu-item:has-text("志愿活动")');
    await office.waitForSelector(`.ant-picker-calendar :text("${TODAY}")`);
    await snap(office, 'volunteers-03-calendar.png');
    await office.click(`.ant-picker-calendar :text("${TODAY}")`);
    await office.waitForSelector('[data-testid=checkin-qr] svg');
    checkinLink = (await office.locator('[data-testid=checkin-link]').getAttribute('href')) ?? '';
    // The QR code opens the phone app's check-in, with the token.
    expect(checkinLink).toMatch(new RegExp(`^${server.url}/m/checkin/\\d+\\?t=`));
    expect(await office.locator('[data-testid=short-code]').innerText()).toMatch(/^\d{6}$/);
    await snap(office, 'volunteers-04-activity-qr.png');
  });

  it('lets the volunteer sign up and check in by scanning (in the phone app), then check out by location', async () => {
    await phone.goto(`${server.url}/volunteer-activities`);
    const item = phone.locator(`.ant-list-item:has-text("${TODAY}")`);
    await item.waitFor();
    await item.locator('[data-testid=sign-up]').click();
    await item.locator('.ant-tag:has-text("已报名")').waitFor();
    await snap(phone, 'volunteers-05-phone-signed-up.png');
    // The list's 签到 opens the phone app's check-in for the activity.
    const id = /\/m\/checkin\/(\d+)\?/.exec(checkinLink)![1]!;
    await item.locator('[data-testid=check-in]').click();
    await phone.waitForURL(`${server.url}/m/checkin/${id}`);
    await phone.waitForSelector(`[data-testid=checkin-title]:has-text("${TODAY}")`);
    await phone.waitForSelector('[data-testid=checkin-signed-up]');
    // No token without the QR code: no scan button.
    expect(await phone.locator('[data-testid=checkin-qr-submit]').count()).toBe(0);

    // Scanning the QR code opens the link on the phone: the phone app's check-in, by token.
    await phone.goto(checkinLink);
    await phone.waitForSelector('[data-testid=checkin-title]');
    await phone.waitForSelector('[data-testid=checkin-qr-submit]');
    await settled(phone);
    await snap(phone, 'volunteers-06-phone-checkin.png');
    await phone.click('[data-testid=checkin-qr-submit]');
    // Sent, not kept on the phone: the server has the check-in.
    await phone.waitForSelector('[data-testid=checked-in]:not(:has-text("待同步"))');
    await phone.waitForSelector('[data-testid=offline-queue]', { state: 'detached' });
    // The token proved presence once: it leaves the address.
    expect(phone.url()).toBe(`${server.url}/m/checkin/${id}`);
    await toastGone(phone);
    await snap(phone, 'volunteers-07-phone-checked-in.png');
    // A second tap (a retry) is still one check-in.
    const again = await phone.evaluate(async (link) => {
      const [, id, token] = /\/m\/checkin\/(\d+)\?t=(.+)$/.exec(link)!;
      const me = await (await fetch('/api/auth/me')).json();
      const res = await fetch(`/api/volunteer-activities/${id}/check-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: JSON.stringify({
          method: 'qr',
          clientId: crypto.randomUUID(),
          token: decodeURIComponent(token!),
        }),
      });
      return (await res.json()).repeated as boolean;
    }, checkinLink);
    expect(again).toBe(true);
  });

  it('shows the office the attendance and the hours', async () => {
    await office.reload();
    await office.waitForSelector('[data-testid=attendees] tr:has-text("刘志愿")');
    const row = await office.locator('[data-testid=attendees] tr:has-text("刘志愿")').innerText();
    expect(row).toContain('扫码');
    expect(row).toContain('未签退');
    await snap(office, 'volunteers-08-office-attendance.png');

    await phone.click('[data-testid=checkin-gps]');
    await phone.waitForSelector('[data-testid=checkin-done]');
    await phone.waitForSelector('[data-testid=offline-queue]', { state: 'detached' });
    // The server's hours, from the scanned check-in to this check-out.
    await phone.waitForSelector('[data-testid=checkin-hours]:has-text("服务时长")');
    await toastGone(phone);
    await settled(phone);
    await snap(phone, 'volunteers-09-phone-checked-out.png');

    await office.click('.ant-menu-item:has-text("志愿者与阵地")');
    await office.fill('[data-testid=volunteer-search] input', '刘志愿');
    await office.press('[data-testid=volunteer-search] input', 'Enter');
    await office.waitForSelector('tr:has-text("13700000000")');
    await office.click('tr:has-text("13700000000")');
    await office.waitForSelector(`[data-testid=ledger] tr:has-text("${TODAY}")`);
    const total = Number(await office.locator('[data-testid=ledger-total]').innerText());
    expect(total).toBeGreaterThan(0);
    const entry = await office.locator(`[data-testid=ledger] tr:has-text("${TODAY}")`).innerText();
    expect(entry).not.toContain('未签退');
    await settled(office);
    await snap(office, 'volunteers-10-office-ledger.png');

    await office.keyboard.press('Escape');
    await office.click('.ant-menu-item:has-text("志愿服务统计")');
    await office.waitForSelector('[data-testid=chart-team] canvas');
    await settled(office);
    await snap(office, 'volunteers-11-stats.png', { fullPage: true });
    const text = await office.locator('main, .ant-layout-content').first().innerText();
    expect(text).toContain('柳岸社区新时代文明实践站');
    expect(text).toContain('未达标');
  });

  it('lets the office create and edit a practice station', async () => {
    const NAME = '西湖街道学雷锋志愿服务站';
    await office.click('.ant-menu-item:has-text("志愿者与阵地")');
    await office.click('.ant-tabs-tab:has-text("文明实践阵地")');
    await office.click('[data-testid=place-add]');
    await pickOption(
      office,
      office.locator('.ant-modal [data-testid=place-kind]'),
      '学雷锋志愿服务站',
    );
    await office.fill('[data-testid=place-name]', NAME);
    await office.fill('[data-testid=place-address]', '湖滨路 18 号');
    await office.fill('[data-testid=place-hours]', '周一至周五 9:00-17:00');
    await office.fill('[data-testid=place-staff]', '王站长、李干事');
    await settled(office);
    await snap(office, 'volunteers-12-station-form.png');
    await confirmModal(office, office.locator('.ant-modal:has(#place-save)'));
    const row = office.locator(`tr:has-text("${NAME}")`);
    await row.waitFor();
    const text = await row.innerText();
    expect(text).toContain('学雷锋志愿服务站');
    expect(text).toContain('王站长、李干事');
    expect(text).toContain('无活动');

    await row.click();
    await office.click('[data-testid=place-edit]');
    await office.fill('[data-testid=place-hours]', '每天 8:30-20:00');
    await confirmModal(office, office.locator('.ant-modal:has(#place-save)'));
    await office.waitForSelector(`tr:has-text("${NAME}"):has-text("每天 8:30-20:00")`);
    await settled(office);
    await snap(office, 'volunteers-13-station-drawer.png');
    await office.click('.ant-drawer-close');
    await office.waitForSelector('.ant-drawer-content-wrapper', { state: 'hidden' });
    await snap(office, 'volunteers-14-station-saved.png');
  });

  it('lets the office edit a volunteer and cancel an activity', async () => {
    await office.click('.ant-tabs-tab:has-text("志愿者登记")');
    await office.fill('[data-testid=volunteer-search] input', '刘志愿');
    await office.press('[data-testid=volunteer-search] input', 'Enter');
    await office.click('tr:has-text("13700000000")');
    await office.click('[data-testid=volunteer-edit]');
    const modal = office.locator('.ant-modal:has(#volunteer-save)');
    await modal.locator('#organisation').fill('湖滨街道办事处');
    await confirmModal(office, modal);
    await office.waitForSelector('tr:has-text("13700000000"):has-text("湖滨街道办事处")');
    await office.locator('.ant-drawer-close:visible').click();

    await office.click('.ant-menu-item:has-text("志愿活动")');
    await office.click('.ant-picker-calendar :text("文明餐桌宣传")');
    await office.click('[data-testid=activity-cancel]');
    await confirmModal(office, popconfirm(office));
    await office.waitForSelector('[data-testid=activity-cancelled]');
    expect(await office.locator('[data-testid=activity-cancel]').count()).toBe(0);
    await settled(office);
    await snap(office, 'volunteers-15-activity-cancelled.png');
  });

  it('点单派单: a resident orders on the public page, the office dispatches, the volunteer serves, the resident confirms', async () => {
    const NEED = '母亲行动不便，下周需陪同去社区医院复查（e2e）';
    // The resident, on the public page, at the station's door (the phone context's position).
    const citizen = await phoneCtx.newPage();
    await citizen.goto(`${server.url}/services`);
    await citizen.click('[data-testid=svc-nearby]');
    await citizen.waitForSelector(
      '[data-testid=svc-stations] li:first-child:has-text("湖滨社区新时代文明实践站")',
    );
    await citizen.click('label:has-text("湖滨社区新时代文明实践站") input');
    await citizen.click('[data-testid=svc-items] label:has-text("助老陪诊") input');
    await citizen.fill('[data-testid=svc-need]', NEED);
    await citizen.fill('[data-testid=svc-time]', '周三上午');
    await citizen.fill('[data-testid=svc-address]', '湖滨路 18 号 2 幢 302');
    await citizen.waitForSelector('[data-testid=svc-position]:has-text("已附上")');
    await citizen.fill('[data-testid=svc-name]', '王秀英');
    await citizen.fill('[data-testid=svc-phone]', '13905719999');
    await settled(citizen);
    await snap(citizen, 'volunteers-16-service-order-form.png', { fullPage: true });
    await citizen.click('[data-testid=svc-submit]');
    const code = (await citizen.locator('[data-testid=svc-code]').innerText()).trim();
    expect(code).toMatch(/^FW[2-9A-HJ-NP-Z]{10}$/);

    // The office (in the app it has open): the order, its phone masked; dispatched to the team.
    await office.click('.ant-menu-item:has-text("点单派单")');
    const row = office.locator(`tr:has-text("${NEED}")`);
    await row.waitFor();
    expect(await row.innerText()).toContain('139****9999');
    const id = Number(
      (await row.locator('[data-testid^=so-open-]').getAttribute('data-testid'))!.split('-').pop(),
    );
    await row.locator(`[data-testid=so-dispatch-${id}]`).click();
    const modal = office.locator('.ant-modal:has(#so-team)');
    await pickOption(office, modal.locator('#so-team'), '湖滨街道文明实践志愿服务队');
    await settled(office);
    await snap(office, 'volunteers-17-service-dispatch.png');
    await confirmModal(office, modal);
    await row.locator(`[data-testid=so-state-${id}]:has-text("待接单")`).waitFor();

    // The volunteer: the order on the task list; taken, checked in at the address, done.
    // The phone page in front again (the resident's page opened over it): a page behind gets few
    // animation frames, and the sheet's slide-in would take seconds.
    await phone.bringToFront();
    await phone.goto(`${server.url}/m/`);
    await phone.click(`[data-testid=m-service-order-${id}]`);
    await phone.waitForSelector('[data-testid=svc-order-state]:has-text("待接单")');
    await phone.click('[data-testid=svc-take]');
    await phone.waitForSelector('[data-testid=svc-order-state]:has-text("已接单")');
    await phone.click('[data-testid=svc-check-in]');
    await phone.waitForSelector('[data-testid=svc-order-state]:has-text("服务中")');
    await phone.click('[data-testid=svc-finish]');
    await phone.fill('[data-testid=svc-note] textarea', '已陪同老人复查并送回家中');
    await phone.click('[data-testid=svc-finish-submit]');
    await phone.waitForSelector('[data-testid=svc-order-state]:has-text("待评价")');
    await phone.waitForSelector('[data-testid=offline-queue]', { state: 'detached' });
    await toastGone(phone);
    await settled(phone);
    await snap(phone, 'volunteers-18-service-done.png', { fullPage: true });

    // The resident follows the code and confirms, satisfied.
    await citizen.bringToFront();
    await citizen.click('[data-testid=svc-track-link]');
    await citizen.waitForSelector('[data-testid=svc-state]:has-text("待评价")');
    expect(await citizen.locator('[data-testid=svc-timeline]').innerText()).toMatch(
      /点单[\s\S]*派单[\s\S]*接单[\s\S]*到场签到[\s\S]*服务完成/,
    );
    await citizen.click('[data-testid=svc-satisfied]');
    await citizen.fill('[data-testid=svc-comment]', '志愿者很耐心，谢谢！');
    await citizen.click('[data-testid=svc-confirm-submit]');
    await citizen.waitForSelector('[data-testid=svc-verdict]:has-text("满意")');
    await snap(citizen, 'volunteers-19-service-confirmed.png', { fullPage: true });
    await citizen.close();

    // The station's record counts it.
    await office.click('.ant-menu-item:has-text("站点点单记录")');
    const station = office.locator(
      '[data-testid=rec-table] tr:has-text("湖滨社区新时代文明实践站")',
    );
    await station.waitFor();
    expect(await station.innerText()).toContain('已办结');
    await settled(office);
    await snap(office, 'volunteers-20-service-record.png');
  });

  it('全国系统: the office downloads the projects sheet; the order just served is there under its menu item', async () => {
    await office.click('.ant-menu-item:has-text("志愿者与阵地")');
    await office.click('[data-testid=volunteer-national]');
    const modal = office.locator('.ant-modal:has([data-testid=national-kind])');
    await modal.locator('[data-testid=national-kind] label:has-text("志愿服务项目")').click();
    await modal.locator('.ant-picker-range').waitFor();
    await settled(office);
    await snap(office, 'volunteers-21-national-export.png');
    const [file] = await Promise.all([
      office.waitForEvent('download'),
      modal.locator('[data-testid=national-export]').click(),
    ]);
    expect(file.suggestedFilename()).toMatch(
      /^全国志愿服务信息系统-志愿服务项目-\d{4}-\d{2}-\d{2}\.xlsx$/,
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(await file.path());
    const rows: string[][] = [];
    wb.worksheets[0]!.eachRow((r) => {
      const cells: string[] = [];
      r.eachCell({ includeEmpty: true }, (c) => cells.push(c.text));
      rows.push(cells);
    });
    const col = (h: string) => rows[0]!.indexOf(h);
    // The demo's activities, then the menu items served on orders, each a project of its own.
    const project = rows.find((r) => r[col('项目名称')] === '助老陪诊（点单服务）');
    expect(project, JSON.stringify(rows.slice(0, 3))).toBeDefined();
    expect(project![col('发布组织')]).toBe('湖滨社区新时代文明实践站');
    expect(Number(project![col('参与人数')])).toBeGreaterThanOrEqual(1);
    expect(project![col('项目编号')]).toMatch(/^S\d+$/);
    // Never the resident's address or phone.
    expect(JSON.stringify(rows)).not.toMatch(/湖滨路 18 号|13905719999|王秀英/);
    await modal.locator('.ant-modal-close').click();
  });
});
