import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, shanghaiDate } from '../core/calendar/working-days.js';
import type { TApplicationDetail, TCallDetail } from '../core/contracts/cell-awards.js';
import type { THonour } from '../core/contracts/honours.js';
import {
  chromiumPath,
  confirmModal,
  keepFailures,
  openPages,
  pickOption,
  popconfirm,
  releaseBrowser,
  type RunningServer,
  settled,
  sharedBrowser,
  signIn,
  snap,
  startServer,
  visit,
} from './harness.js';

// Issue #22 (文明细胞): the city office runs a year of 文明单位 work in the browser — this year's call,
// an application assessed item by item, 公示 with an objection dismissed, the decision and its
// certificate; a quarterly check and a severe negative-list hit (整改); the yearly 复审 with one
// title kept, one revoked and the non-filers giving theirs up, and its 通报.

const exe = chromiumPath();
const TODAY = shanghaiDate(new Date());
const YEAR = Number(TODAY.slice(0, 4));
/** A unit of the demo city that holds no 文明单位 title: it applies this year. */
const APPLICANT = '市体育局';
/** A demo holder (市级文明单位 2025) whose 复审 report is filed and kept. */
const KEPT = '市图书馆';
/** A demo holder that files no report: it gives its title up (放弃) when the review closes. */
const NON_FILER = '国网示范市供电公司';
const CALL_TITLE = `${YEAR}年度市级文明单位申报（第二批）`;

describe.runIf(exe)('文明细胞: a year of 文明单位 work in the city office', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let applicationId = 0;
  let honourId = 0;
  keepFailures('cells', () => ({ pages: openPages(browser), server }));

  const get = async <T>(path: string): Promise<T> => {
    const res = await page.request.get(`${server.url}${path}`);
    expect(res.status(), `${path}: ${await res.text()}`).toBe(200);
    return (await res.json()) as T;
  };
  /** A message saying exactly this (not an earlier one still fading that contains it). */
  const message = (text: string) => page.waitForSelector(`.ant-message :text-is("${text}")`);
  /** An antd DatePicker's input: the day typed and taken with Enter. */
  const pickDay = async (input: Locator, day: string) => {
    await input.click();
    await input.fill(day);
    await input.press('Enter');
  };
  /** The registry (称号名册) searched for one holder: its row, as the search answered. */
  const registryRow = async (name: string) => {
    await page.goto(`${server.url}/honours`);
    const search = page.locator('[data-testid=honour-search] input');
    const answered = page.waitForResponse(
      (r) => r.url().includes('/api/honours?') && r.url().includes(encodeURIComponent(name)),
    );
    await search.fill(name);
    await search.press('Enter');
    await answered;
    const row = page.locator('[data-testid=honours] tbody tr', {
      has: page.locator(`td:text-is("${name}")`),
    });
    await row.waitFor();
    return row;
  };

  beforeAll(async () => {
    server = await startServer({ SEED: 'demo' });
    browser = await sharedBrowser(exe!);
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    await signIn(page, `${server.url}/cell-calls`, 'office');
  });
  afterAll(async () => {
    await releaseBrowser(browser);
    await server?.stop();
  });

  it('申报评选: call, application, assessment, 公示 with an objection, 授予 and the certificate', async () => {
    // The year's call against the demo 文明单位 framework.
    await page.click('[data-testid=call-new]');
    const dialog = page.locator('.ant-modal:has(#frameworkId)');
    await dialog.waitFor();
    await dialog.locator('#title').fill(CALL_TITLE);
    await pickOption(page, dialog.locator('#frameworkId'), '文明单位测评体系（演示）');
    await pickDay(dialog.locator('#applicationDeadline'), addDays(TODAY, 14));
    await confirmModal(page, dialog);
    await page.waitForURL(/\/cell-calls\/\d+$/);
    const callId = Number(new URL(page.url()).pathname.split('/').pop());
    await page.waitForSelector(`.ant-card-head:has-text("${CALL_TITLE}") .ant-tag:text("草稿")`);
    await page.click('[data-testid=call-next]');
    await message('已转入“申报中”');

    // A demo unit's application, then the call closes for applications and is assessed.
    await page.click('[data-testid=app-new]');
    const adding = page.locator('.ant-modal:has(#app-unit)');
    await pickOption(page, adding.locator('#app-unit'), APPLICANT, {
      search: '体育局',
      sole: true,
    });
    await confirmModal(page, adding);
    await message('已登记');
    await page.click('[data-testid=call-assess]');
    await message('已转入“测评中”');
    await page.click(`a:text-is("${APPLICANT}")`);
    await page.waitForURL(/\/cell-applications\/\d+$/);
    applicationId = Number(new URL(page.url()).pathname.split('/').pop());

    // Vetoes: none hit. Scores item by item; one above its maximum is refused by the form.
    for (const key of ['leadership_violation', 'staff_criminal_case', 'safety_or_food_accident']) {
      await page.locator(`[data-testid=veto-${key}] label:has-text("无")`).click();
      await page.fill(`[data-testid=veto-note-${key}]`, '经核查无此情况');
    }
    const call = await get<TCallDetail>(`/api/cell-award-calls/${callId}`);
    expect(call.standards.length).toBeGreaterThan(1);
    const score = (code: string) =>
      page.locator(`[data-testid="score-${code}"] input, input[data-testid="score-${code}"]`);
    const [first, ...rest] = call.standards;
    await score(first!.code).fill(String(first!.maxScore + 1));
    await page.waitForSelector(`small:text("不超过 ${first!.maxScore} 分")`);
    await expect.poll(() => page.locator('[data-testid=assessment-save]').isDisabled()).toBe(true);
    await score(first!.code).fill(String(first!.maxScore));
    // The last standard loses half a point.
    for (const [i, s] of rest.entries())
      await score(s.code).fill(String(i === rest.length - 1 ? s.maxScore - 0.5 : s.maxScore));
    const total = call.maxTotal - 0.5;
    await expect
      .poll(() => page.locator('[data-testid=assessment-total]').innerText())
      .toContain(`${total} / ${call.maxTotal}`);
    await page.fill('[data-testid=assessment-notes]', '材料齐全，实地查看符合要求。');
    await snap(page, 'cells-01-assessment.png', { fullPage: true });
    await page.click('[data-testid=assessment-save]:not([disabled])');
    await message('测评结果已保存');
    const assessed = await get<TApplicationDetail>(`/api/cell-award-applications/${applicationId}`);
    expect(assessed.eligibility).toBe('eligible');
    expect(assessed.totalScore).toBe(total);

    // 公示 from a start in the past, so that its period is over.
    await page.click(`a:text-is("${CALL_TITLE}")`);
    await page.click('[data-testid=call-publish]');
    const publishing = page.locator('.ant-modal:has-text("发布公示（拟授予名单）")');
    const start = addDays(TODAY, -10);
    await pickDay(publishing.locator('.ant-picker input'), start);
    await publishing.getByText(`至 ${addDays(start, call.publicityDays - 1)}`).waitFor();
    // Ticked once the modal has the applicants (it asks for them as it opens).
    await expect
      .poll(() => publishing.getByRole('checkbox', { name: APPLICANT }).isChecked())
      .toBe(true);
    await confirmModal(page, publishing);
    await message('已发布公示');
    await page.waitForSelector('.ant-card-head .ant-tag:text("公示中")');

    // An objection recorded and found groundless (异议不成立).
    await page.click(`a:text-is("${APPLICANT}")`);
    await page.click('.ant-tabs-tab:has-text("公示异议")');
    await page.click('[data-testid=objection-new]');
    const objecting = page.locator('.ant-modal:has-text("登记异议")');
    await pickDay(objecting.locator('.ant-picker input'), addDays(start, 2));
    await objecting.getByPlaceholder('异议人').fill('市民来信');
    await objecting.getByPlaceholder('异议内容').fill('反映该单位健身场馆周末不对外开放。');
    await confirmModal(page, objecting);
    await message('异议已登记');
    const objection = page.locator('.ant-table-row', { hasText: '市民来信' });
    await objection.locator('.ant-tag:text("核查中")').waitFor();
    await objection.getByRole('button', { name: /处\s*理/ }).click();
    const handling = page.locator('.ant-modal:has-text("异议处理")');
    await pickOption(page, handling.locator('.ant-select'), '异议不成立');
    await handling.getByPlaceholder('处理情况').fill('经核实，场馆按规定错时开放，异议不成立。');
    await confirmModal(page, handling);
    await message('已保存');
    await objection.locator('.ant-tag:text("异议不成立")').waitFor();

    // 授予, and the call is closed.
    await page.click(`a:text-is("${CALL_TITLE}")`);
    await page.click(`[data-testid=decide-${applicationId}]`);
    const deciding = page.locator(`.ant-modal:has(.ant-modal-title:text-is("${APPLICANT}"))`);
    await expect
      .poll(() => deciding.getByRole('radio', { name: '授予', exact: true }).isChecked())
      .toBe(true);
    await deciding
      .getByPlaceholder('决定说明')
      .fill('公示期满，异议不成立，授予市级文明单位称号。');
    await confirmModal(page, deciding);
    await message('已作出决定');
    const decidedRow = page.locator(`tr:has(a:text-is("${APPLICANT}"))`);
    await decidedRow.locator('.ant-tag:text("授予")').waitFor();
    await page.click('[data-testid=call-next]');
    await message('已转入“已决定”');
    await snap(page, 'cells-02-call-decided.png', { fullPage: true });

    // The certificate names the holder and carries its number.
    const decided = await get<TApplicationDetail>(`/api/cell-award-applications/${applicationId}`);
    expect(decided.decision).toBe('conferred');
    honourId = decided.honour!.id;
    await decidedRow.locator('a:text("证书")').click();
    const sheet = page.locator('[data-testid=certificate-sheet]');
    await sheet.waitFor();
    const text = await sheet.innerText();
    expect(text).toContain(`${APPLICANT}：`);
    expect(text).toContain(`${YEAR} 年度“市级文明单位”称号`);
    expect(text).toContain(`证书编号：WM${YEAR}-${String(honourId).padStart(5, '0')}`);
    expect(decided.honour!.certificateNo).toBe(`WM${YEAR}-${String(honourId).padStart(5, '0')}`);

    // The registry lists the new holder.
    const row = await registryRow(APPLICANT);
    const cells = await row.locator('td').allInnerTexts();
    expect(cells).toEqual(
      expect.arrayContaining([APPLICANT, '文明单位', '市级文明单位', String(YEAR), '在册']),
    );
  });

  it('动态管理: a quarterly check, then a severe negative-list hit puts the holder in 整改', async () => {
    expect(honourId, 'the holder conferred above').toBeGreaterThan(0);
    await visit(page, `/cell-checks`);
    const search = page.getByPlaceholder('名称');
    await search.fill(APPLICANT);
    await search.press('Enter');
    await page.locator(`.ant-table-row:has(td:text-is("${APPLICANT}"))`).click();
    const drawer = page.locator('.ant-drawer:has([data-testid=holder-record])');
    await drawer.locator('#record-check:not([disabled])').click();

    // This quarter's check: one standard not met.
    const checking = page.locator('.ant-modal:has(#check-period)');
    const quarter = `${YEAR}-Q${Math.ceil(Number(TODAY.slice(5, 7)) / 3)}`;
    expect(await checking.locator('#check-period').inputValue()).toBe(quarter);
    await checking.locator('[aria-label=pass-3]').click();
    await checking
      .locator('tr:has([aria-label=pass-3]) input.ant-input')
      .fill('道德讲堂本季度未开展');
    await confirmModal(page, checking, checking.locator('#check-submit'));
    await message('已记录，得分 95');
    await drawer.locator(`tr:has-text("${quarter}"):has-text("道德讲堂本季度未开展")`).waitFor();

    // A severe item of the negative list: 整改 at once.
    await drawer.locator('#record-hit').click();
    const hitting = page.locator('.ant-modal:has(#hit-item)');
    await pickOption(page, hitting.locator('#hit-item'), '领导班子成员发生严重违纪违法');
    await hitting.locator('textarea').fill('纪委通报：班子成员违规收受礼金');
    await confirmModal(page, hitting, hitting.locator('#hit-submit'));
    const warning = page.locator('.ant-modal-confirm:has-text("称号状态已改为“整改”")');
    await warning.waitFor();
    expect(await warning.innerText()).toContain('负面清单严重情形');
    await snap(page, 'cells-03-hit.png');
    await confirmModal(page, warning);
    await drawer.locator('[data-testid=holder-record] .ant-tag:text-is("整改")').waitFor();
    await drawer.locator('.ant-tag:has-text("整改至")').waitFor();
    expect((await get<THonour>(`/api/honours/${honourId}`)).status).toBe('rectifying');

    // The registry shows 整改, the hit the reason in the holder's history.
    const row = await registryRow(APPLICANT);
    await row.locator('.ant-tag:text-is("整改")').waitFor();
    await row.click();
    const history = page.locator('[data-testid=honour-history]');
    await history.getByText('在册 → 整改').waitFor();
    expect(await history.innerText()).toContain(
      '负面清单严重情形：F8 领导班子成员发生严重违纪违法',
    );
  });

  it('年度复审: reports and outcomes, the deadline moved past, closed; the 通报 and the registry', async () => {
    expect(honourId, 'the holder conferred above').toBeGreaterThan(0);
    await visit(page, `/cell-reviews`);
    await page.click('#review-open');
    const opening = page.locator('.ant-modal:has(#review-deadline)');
    await opening.locator('#review-deadline').fill(addDays(TODAY, 14));
    await confirmModal(page, opening, opening.locator('#review-open-submit'));
    await page.waitForURL(/\/cell-reviews\/\d+$/);
    const detail = page.locator('[data-testid=review-detail]');
    await detail.getByText(`报送截止 ${addDays(TODAY, 14)}`).waitFor();
    const holder = (name: string) =>
      detail.locator('.ant-table-row', { has: page.locator(`td:text-is("${name}")`) });

    // Two reports filed; the new holder revoked, the library kept.
    for (const name of [APPLICANT, KEPT]) {
      await holder(name).getByRole('button', { name: '登记报告' }).click();
      const filing = page.locator('.ant-modal:has(#report-text)');
      await filing.locator('#report-text').fill(`${name}${YEAR}年度创建工作总结：……`);
      await confirmModal(page, filing, filing.locator('#report-submit'));
      await holder(name).locator('.ant-tag:text("已报送")').waitFor();
    }
    await pickOption(page, holder(APPLICANT).locator('.ant-select'), '撤销');
    await pickOption(page, holder(KEPT).locator('.ant-select'), '保留');
    expect(await detail.locator('#review-close').isDisabled()).toBe(true);
    await snap(page, 'cells-04-review.png', { fullPage: true });

    // The review closes after its deadline: the office moves it to yesterday on the page.
    const yesterday = addDays(TODAY, -1);
    const deadline = detail.locator('input[aria-label=deadline]');
    await deadline.fill(yesterday);
    await deadline.blur();
    await detail.getByText(`报送截止 ${yesterday}`).waitFor();
    await detail.locator('#review-close:not([disabled])').click();
    await confirmModal(page, popconfirm(page));
    await detail.locator('#review-bulletin').waitFor();
    await holder(APPLICANT).locator('td:text-is("撤销")').waitFor();
    await holder(NON_FILER).getByText('未报送，视为放弃').waitFor();

    // The 通报 lists every outcome.
    await detail.locator('#review-bulletin').click();
    const bulletin = page.locator('[data-testid=review-bulletin]');
    await bulletin.waitFor();
    const row = (name: string) =>
      bulletin.locator('tbody tr', { has: page.locator(`td:text-is("${name}")`) }).innerText();
    expect(await row(APPLICANT)).toContain('撤销');
    expect(await row(KEPT)).toContain('保留');
    expect(await row(NON_FILER)).toContain('未报送，视为放弃');
    const text = await bulletin.innerText();
    expect(text).toContain(`关于${YEAR} 年度文明单位复审结果的通报`);
    expect(text).toMatch(/其中保留 1 个，撤销 1 个，未报送，视为放弃 \d+ 个/);
    await settled(page);
    await snap(page, 'cells-05-bulletin.png', { fullPage: true });

    // The registry: the revoked holder 撤销, with the review as the reason; the non-filer 放弃.
    const revoked = await registryRow(APPLICANT);
    await revoked.locator('.ant-tag:text-is("撤销")').waitFor();
    await revoked.click();
    await page.locator('[data-testid=honour-history]').getByText('整改 → 撤销').waitFor();
    await (await registryRow(NON_FILER)).locator('.ant-tag:text-is("放弃")').waitFor();
    await (await registryRow(KEPT)).locator('.ant-tag:text-is("在册")').waitFor();
    expect((await get<THonour>(`/api/honours/${honourId}`)).status).toBe('revoked');
  });

  it('身边好人: a citizen nominates, the office shortlists and opens the vote, votes, 上榜 and the published 好人榜', async () => {
    const NOMINEE = '赵春梅';
    const month = TODAY.slice(0, 7);
    // A resident nominates on the public page (a phone, no account).
    const citizenCtx = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
    });
    const citizen = await citizenCtx.newPage();
    await citizen.goto(`${server.url}/good-people`);
    await citizen.click('[data-testid=gp-tab-nominate]');
    await citizen.selectOption('[data-testid=gp-category]', 'helping');
    await citizen.fill('[data-testid=gp-name]', NOMINEE);
    await citizen.selectOption('[data-testid=gp-region]', { index: 1 });
    await citizen.fill(
      '[data-testid=gp-deeds]',
      '退休后十年如一日照顾楼里三位独居老人，每天买菜送饭、陪同就医，邻居们都叫她“赵妈妈”。',
    );
    await citizen.fill('[data-testid=gp-nominator]', '李邻居');
    await citizen.fill('[data-testid=gp-phone]', '13912345678');
    await citizen.click('[data-testid=gp-submit]');
    await citizen.waitForSelector('[data-testid=gp-nominated]');

    // The office shortlists it (入围) and opens the month's vote.
    await visit(page, `/cell-good-people`);
    const row = page.locator('[data-testid=gp-list] tbody tr', { hasText: NOMINEE });
    await row.waitFor();
    // Only reviewers see the citizen's contact: in the nomination's detail.
    await row.locator('[data-testid^=gp-open-]').click();
    await page.locator('[data-testid=gp-detail]').getByText('13912345678').waitFor();
    await page.keyboard.press('Escape');
    await row.locator('[data-testid^=gp-shortlist-]').click();
    await row.locator('.ant-tag:text-is("入围")').waitFor();
    await page.click('[data-testid=gp-open-vote]');
    await page.locator('[data-testid=gp-month-state]:text-is("投票中")').waitFor();

    // The resident votes once; a second vote the same day is refused, in words.
    await citizen.click('[data-testid=gp-tab-vote]');
    const card = citizen.locator('[data-testid=gp-person]', { hasText: NOMINEE });
    await card.waitFor();
    await card.locator('[data-testid^=gp-vote-]').click();
    await card.getByText('投票成功，谢谢！').waitFor();
    await card.locator('[data-testid=gp-votes]:text-is("1 票")').waitFor();
    await card.locator('[data-testid^=gp-vote-]').click();
    await card.getByText(`今天已为“${NOMINEE}”投过票，请明天再来`).waitFor();
    await settled(citizen);
    await snap(citizen, 'cells-06-good-people-vote.png');

    // The vote closes; the office puts the nominee on the list (上榜, rank 1) and publishes it.
    await page.click('[data-testid=gp-close-vote]');
    await page.locator('[data-testid=gp-month-state]:text-is("投票已截止")').waitFor();
    await row.locator('[data-testid^=gp-honour-]').click();
    const dialog = page.locator('.ant-modal:has(#gp-rank)');
    await dialog.locator('#gp-rank').fill('1');
    await confirmModal(page, dialog);
    await row.locator('.ant-tag:text-is("上榜 · 第 1 名")').waitFor();
    await page.click('[data-testid=gp-publish]');
    await page.locator('[data-testid=gp-month-state]:text-is("已发布")').waitFor();

    // The public 好人榜 of the month names them, with no contact of the nominator.
    await citizen.click('[data-testid=gp-tab-board]');
    const board = citizen.locator('[data-testid=gp-board]');
    await board.getByText(`${month} 身边好人榜`).waitFor();
    await board.locator('[data-testid=gp-person]', { hasText: NOMINEE }).waitFor();
    const text = await board.innerText();
    expect(text).not.toContain('13912345678');
    expect(text).not.toContain('李邻居');
    await settled(citizen);
    await snap(citizen, 'cells-07-good-people-board.png', { fullPage: true });
    await citizenCtx.close();
  });
});
