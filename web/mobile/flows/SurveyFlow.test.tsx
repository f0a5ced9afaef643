import { screen, waitFor, within } from '@testing-library/react';
import { Toast } from 'antd-mobile';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import type { TGuideAssignment, TQuestionnaire } from '../../../core/contracts/surveys.js';
import { preset } from '../../../core/survey/eligibility.js';
import { apiError, reply, type MockRequest } from '../../test/mock-api.js';
import { renderPhone } from '../../test/render-mobile.js';
import { MobileApp } from '../MobileApp.js';
import { SurveyFlow } from './SurveyFlow.js';
import { readKept } from '../phone-store.js';
import { stubGeolocation } from '../../test/geolocation.js';

// 入户调查 on the phone (the survey guide, 调查员): the quotas with their progress, the mode offered
// (入户 with a household code, 随机街访 with a spot or the position; BRIEF §3), what the group's rule
// asks (residents 18–65 and resident ≥ 6 months; pupils 6–18 with no residence question), every
// kind of question, the response sent at once or kept in the offline queue and sent once online,
// and the server's refusals where they belong.

const HERE = { latitude: 30.2622, longitude: 120.1501, accuracy: 12 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** What the flow said in a toast (watched, not replaced: a 2 s toast can be gone before a query). */
let toast: MockInstance<typeof Toast.show>;
const toldSo = (text: string) =>
  waitFor(() =>
    expect(toast.mock.calls.map(([p]) => (typeof p === 'string' ? p : p.content))).toContain(text),
  );

const questionnaire = (over: Partial<TQuestionnaire> = {}): TQuestionnaire => ({
  id: 1,
  surveyId: 1,
  group: 'A',
  groupLabel: '市民',
  number: 1,
  status: 'published',
  title: '市民卷',
  intro: '您好，我们正在开展文明城市创建满意度调查。',
  questions: [
    {
      id: 'Q1',
      kind: 'single',
      text: '您知道本市正在创建文明城市吗？',
      options: ['知道', '不知道'],
      dimension: 'awareness',
      favourable: ['知道'],
      dontKnow: [],
      standardKeys: [],
    },
  ],
  eligibility: preset('resident'),
  publishedAt: '2026-11-01T00:00:00.000Z',
  version: 2,
  ...over,
});
const RESIDENTS = questionnaire();
const PUPILS = questionnaire({
  id: 2,
  group: 'S',
  groupLabel: '中小学生',
  title: '学生卷',
  eligibility: preset('student'),
});
/** Every kind of question the designer offers. */
const ALL_KINDS = questionnaire({
  id: 3,
  questions: [
    RESIDENTS.questions[0]!,
    {
      id: 'Q2',
      kind: 'multiple',
      text: '您参加过哪些创建活动？',
      options: ['志愿服务', '文明劝导', '都没有'],
      dimension: 'participation',
      favourable: ['志愿服务', '文明劝导'],
      dontKnow: [],
      standardKeys: [],
    },
    {
      id: 'Q3',
      kind: 'rating',
      text: '您对小区环境卫生的满意程度',
      options: [],
      scale: 5,
      dimension: 'satisfaction',
      favourable: ['4', '5'],
      dontKnow: [],
      standardKeys: [],
    },
    {
      id: 'Q4',
      kind: 'text',
      text: '您还有什么意见建议？',
      options: [],
      dimension: null,
      favourable: [],
      dontKnow: [],
      standardKeys: [],
    },
  ],
});

const assignment = (over: Partial<TGuideAssignment> = {}): TGuideAssignment => ({
  quotaId: 11,
  roundId: 5,
  roundName: '第二次模拟测评',
  surveyName: '示范市入户问卷调查',
  regionName: '湖滨社区',
  group: 'A',
  mode: 'household',
  target: 20,
  done: 3,
  mine: 1,
  questionnaire: RESIDENTS,
  ...over,
});
const ASSIGNMENTS = [
  assignment(),
  assignment({ quotaId: 12, regionName: '示范市', mode: 'street', target: 40, done: 0 }),
  assignment({ quotaId: 13, group: 'S', questionnaire: PUPILS, target: 10, done: 10 }),
];

function api(assignments: TGuideAssignment[] = ASSIGNMENTS) {
  return {
    'GET /api/survey-app/assignments': assignments,
    'POST /api/survey-responses': (req: MockRequest) =>
      reply(201, { id: 1, ...(req.body as object) }),
  };
}

const byId = (id: string) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is not on the page`);
  return el;
};

async function render(assignments?: TGuideAssignment[]) {
  const p = await renderPhone(<SurveyFlow />, {
    user: 'surveyor',
    path: '/survey',
    api: api(assignments),
  });
  await screen.findByTestId('quota-11');
  return p;
}

type Phone = Awaited<ReturnType<typeof render>>;

async function respondent(p: Phone, o: { household?: string; age: string; months?: string }) {
  if (o.household) await p.user.type(byId('household-code'), o.household);
  await p.user.type(byId('respondent-age'), o.age);
  if (o.months) await p.user.type(byId('resident-months'), o.months);
}

const pick = (p: Phone, q: string, option: string) =>
  p.user.click(within(screen.getByTestId(`q-${q}`)).getByText(option));

describe('phone app: 入户调查', () => {
  beforeEach(() => {
    toast = vi.spyOn(Toast, 'show');
  });
  afterEach(() => {
    delete (navigator as { geolocation?: unknown }).geolocation;
    toast.mockRestore();
  });

  it('lists the quotas with their mode, group and progress; a met quota says so', async () => {
    await render();
    expect(screen.getByTestId('quota-11')).toHaveTextContent('入户湖滨社区 · 人群 A 市民');
    expect(screen.getByTestId('quota-11')).toHaveTextContent('示范市入户问卷调查 · 第二次模拟测评');
    expect(within(screen.getByTestId('quota-11')).getByTestId('quota-count')).toHaveTextContent(
      '3/20',
    );
    expect(within(screen.getByTestId('quota-11')).getByTestId('quota-mine')).toHaveTextContent(
      '本人完成 1 份',
    );
    expect(screen.getByTestId('quota-12')).toHaveTextContent('街访示范市 · 人群 A 市民');
    expect(screen.getByTestId('quota-13')).toHaveTextContent('入户湖滨社区 · 人群 S 中小学生');
    // The server takes responses beyond the target (they narrow the estimate): said, not blocked.
    expect(within(screen.getByTestId('quota-13')).getByTestId('quota-full')).toHaveTextContent(
      '配额已满',
    );
    expect(within(screen.getByTestId('quota-11')).queryByTestId('quota-full')).toBeNull();
  });

  it('answers every kind of question and sends the response with its GPS and times, once', async () => {
    stubGeolocation(HERE);
    const p = await render([assignment({ questionnaire: ALL_KINDS })]);
    await p.user.click(screen.getByTestId('quota-11'));
    expect(
      await screen.findByText('您好，我们正在开展文明城市创建满意度调查。'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByTestId('survey-gps')).toHaveTextContent('30.26220, 120.15010'),
    );
    expect(screen.getByTestId('survey-answered')).toHaveTextContent('已答 0/3 题');
    await respondent(p, { household: '3幢-101', age: '42', months: '36' });
    await pick(p, 'Q1', '知道');
    await pick(p, 'Q2', '志愿服务');
    await pick(p, 'Q2', '文明劝导');
    await pick(p, 'Q3', '4');
    await p.user.type(within(screen.getByTestId('q-Q4')).getByRole('textbox'), '多设垃圾分类点');
    expect(screen.getByTestId('survey-answered')).toHaveTextContent('已答 3/3 题');
    const before = p.api.callsTo('GET /api/survey-app/assignments').length;
    await p.user.click(screen.getByTestId('survey-submit'));
    await toldSo('答卷已提交');
    expect(p.api.callsTo('POST /api/survey-responses')).toHaveLength(1);
    const body = p.api.lastBody('POST /api/survey-responses') as Record<string, unknown>;
    expect(body).toMatchObject({
      quotaId: 11,
      mode: 'household',
      householdCode: '3幢-101',
      respondent: { age: 42, residentMonths: 36 },
      answers: { Q1: '知道', Q2: ['志愿服务', '文明劝导'], Q3: 4, Q4: '多设垃圾分类点' },
      lat: HERE.latitude,
      lng: HERE.longitude,
    });
    expect(body.clientId).toMatch(UUID);
    expect(Date.parse(body.startedAt as string)).toBeLessThanOrEqual(
      Date.parse(body.submittedAt as string),
    );
    // Ready for the next respondent: the form is empty, the progress fetched again.
    expect(await screen.findByTestId('survey-done')).toHaveTextContent('本次已完成 1 份');
    await waitFor(() => expect((byId('household-code') as HTMLInputElement).value).toBe(''));
    await waitFor(() =>
      expect(p.api.callsTo('GET /api/survey-app/assignments').length).toBeGreaterThan(before),
    );
    expect(screen.queryByTestId('offline-queue')).toBeNull();
  });

  it('a multiple choice with every option unticked again is unanswered', async () => {
    const p = await render([assignment({ questionnaire: ALL_KINDS })]);
    await p.user.click(screen.getByTestId('quota-11'));
    await respondent(p, { household: '3幢-102', age: '42', months: '36' });
    await pick(p, 'Q1', '知道');
    await pick(p, 'Q2', '都没有');
    await pick(p, 'Q2', '都没有');
    await pick(p, 'Q3', '5');
    expect(screen.getByTestId('survey-answered')).toHaveTextContent('已答 2/3 题');
    await p.user.click(screen.getByTestId('survey-submit'));
    expect(await within(screen.getByTestId('q-Q2')).findByText('请作答')).toBeInTheDocument();
    // Open text may stay empty.
    expect(within(screen.getByTestId('q-Q4')).queryByText('请作答')).toBeNull();
    expect(p.api.callsTo('POST /api/survey-responses')).toHaveLength(0);
  });

  it('asks in Chinese for what is missing, and sends nothing', async () => {
    const p = await render();
    await p.user.click(screen.getByTestId('quota-11'));
    await p.user.click(await screen.findByTestId('survey-submit'));
    expect(await screen.findByText('请填写户码')).toBeInTheDocument();
    expect(screen.getByText('请填写年龄')).toBeInTheDocument();
    expect(screen.getByText('请填写本地居住月数')).toBeInTheDocument();
    expect(within(screen.getByTestId('q-Q1')).getByText('请作答')).toBeInTheDocument();
    await p.user.type(byId('respondent-age'), '150');
    expect(await screen.findByText('请填写 0—120 的整数')).toBeInTheDocument();
    expect(p.api.callsTo('POST /api/survey-responses')).toHaveLength(0);
  });

  it('offers the mode: a street interview sends its spot and no household code', async () => {
    const p = await render();
    await p.user.click(screen.getByTestId('quota-11'));
    expect(byId('household-code')).toBeInTheDocument();
    await pick(p, 'Q1', '知道');
    await p.user.click(within(screen.getByTestId('survey-mode')).getByText('街访 · 示范市'));
    await waitFor(() => expect(document.getElementById('household-code')).toBeNull());
    // The same group's questionnaire: the answer given stays.
    expect(screen.getByTestId('survey-answered')).toHaveTextContent('已答 1/1 题');
    await p.user.type(byId('street-spot'), '人民广场东门');
    await respondent(p, { age: '33', months: '40' });
    await p.user.click(screen.getByTestId('survey-submit'));
    await waitFor(() => expect(p.api.callsTo('POST /api/survey-responses')).toHaveLength(1));
    const body = p.api.lastBody('POST /api/survey-responses') as Record<string, unknown>;
    expect(body).toMatchObject({
      quotaId: 12,
      mode: 'street',
      spot: '人民广场东门',
      respondent: { age: 33, residentMonths: 40 },
      answers: { Q1: '知道' },
    });
    expect(body).not.toHaveProperty('householdCode');
  });

  it('a street interview with neither spot nor position is stopped on the phone', async () => {
    const p = await render();
    await p.user.click(screen.getByTestId('quota-12'));
    await respondent(p, { age: '33', months: '40' });
    await pick(p, 'Q1', '知道');
    await p.user.click(screen.getByTestId('survey-submit'));
    expect(await screen.findByText('未取得定位，请填写访问地点')).toBeInTheDocument();
    expect(p.api.callsTo('POST /api/survey-responses')).toHaveLength(0);
  });

  it('pupils: residence is not asked, a 12-year-old counts, a 19-year-old is flagged', async () => {
    const p = await render();
    await p.user.click(screen.getByTestId('quota-13'));
    expect(document.getElementById('resident-months')).toBeNull();
    expect(screen.getByText(/6—18周岁，不限居住时间/)).toBeInTheDocument();
    await p.user.type(byId('respondent-age'), '19');
    expect(await screen.findByTestId('ineligible')).toHaveTextContent('年龄不在6—18周岁');
    await p.user.clear(byId('respondent-age'));
    await p.user.type(byId('respondent-age'), '12');
    await waitFor(() => expect(screen.queryByTestId('ineligible')).toBeNull());
    await p.user.type(byId('household-code'), '6幢-201');
    await pick(p, 'Q1', '知道');
    await p.user.click(screen.getByTestId('survey-submit'));
    await waitFor(() => expect(p.api.callsTo('POST /api/survey-responses')).toHaveLength(1));
    const body = p.api.lastBody('POST /api/survey-responses') as Record<string, unknown>;
    expect(body).toMatchObject({
      quotaId: 13,
      mode: 'household',
      householdCode: '6幢-201',
      respondent: { age: 12 },
    });
    expect(body.respondent).not.toHaveProperty('residentMonths');
  });

  it('residents: the same 12-year-old is flagged as not counting (BRIEF §3)', async () => {
    const p = await render();
    await p.user.click(screen.getByTestId('quota-11'));
    await respondent(p, { age: '12', months: '144' });
    expect(await screen.findByTestId('ineligible')).toHaveTextContent('年龄不在18—65周岁');
  });

  it('with the network cut: kept on the phone, shown in the queue, sent once back online', async () => {
    const onLine = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    try {
      const p = await render();
      await p.user.click(screen.getByTestId('quota-11'));
      await respondent(p, { household: '1幢-103', age: '57', months: '36' });
      await pick(p, 'Q1', '不知道');
      expect(screen.getByTestId('survey-submit')).toHaveTextContent('离线保存');
      await p.user.click(screen.getByTestId('survey-submit'));
      await toldSo('已离线保存，联网后自动同步');
      const bar = await screen.findByTestId('offline-queue');
      await within(bar).findByText('问卷：湖滨社区 1幢-103');
      expect(within(bar).getByTestId('offline-queue-count')).toHaveTextContent('待同步 1 条');
      expect(p.api.callsTo('POST /api/survey-responses')).toHaveLength(0);
      expect(screen.getByTestId('survey-done')).toHaveTextContent('1 份待同步');
      // Back to the list: the quota counts it as waiting.
      await p.user.click(document.querySelector('.adm-nav-bar-back')!);
      await waitFor(() =>
        expect(within(screen.getByTestId('quota-11')).getByTestId('quota-mine')).toHaveTextContent(
          '待同步 1 份',
        ),
      );
      expect(within(screen.getByTestId('quota-11')).getByTestId('quota-count')).toHaveTextContent(
        '4/20',
      );

      onLine.mockReturnValue(true);
      window.dispatchEvent(new Event('online'));
      await waitFor(() => expect(screen.queryByTestId('offline-queue')).toBeNull());
      expect(p.api.callsTo('POST /api/survey-responses')).toHaveLength(1);
      const sent = p.api.lastBody('POST /api/survey-responses') as { clientId: string };
      expect(sent).toMatchObject({
        quotaId: 11,
        householdCode: '1幢-103',
        answers: { Q1: '不知道' },
      });
      expect(sent.clientId).toMatch(UUID);
    } finally {
      onLine.mockRestore();
    }
  });

  it('opens offline with the quotas and questionnaires last loaded online', async () => {
    const first = await render();
    first.unmount();
    const onLine = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    try {
      const p = await renderPhone(<SurveyFlow />, {
        user: 'surveyor',
        path: '/survey',
        api: {
          'GET /api/survey-app/assignments': () => Promise.reject(new TypeError('offline')),
        },
      });
      expect(await screen.findByTestId('quota-12')).toBeInTheDocument();
      expect(screen.getByTestId('survey-cached')).toHaveTextContent('离线，显示的是');
      await p.user.click(screen.getByTestId('quota-11'));
      expect(await screen.findByText(/您知道本市正在创建文明城市吗/)).toBeInTheDocument();
    } finally {
      onLine.mockRestore();
    }
  });

  it('shows the server’s refusals: on the field they concern, or in a dialog', async () => {
    const p = await render();
    await p.user.click(screen.getByTestId('quota-11'));
    const fill = async (household: string) => {
      await p.user.clear(byId('household-code'));
      await p.user.type(byId('household-code'), household);
    };
    await respondent(p, { household: '2幢-202', age: '40', months: '24' });
    await pick(p, 'Q1', '知道');

    p.api.on({
      'POST /api/survey-responses': apiError(409, 'duplicate_household', {
        zh: '户码“2幢-202”本轮已有答卷',
        en: 'household "2幢-202" has already answered in this round',
      }),
    });
    await p.user.click(screen.getByTestId('survey-submit'));
    const field = await screen.findByText('户码“2幢-202”本轮已有答卷', {
      selector: '.adm-form-item-feedback-error',
    });
    expect(field).toBeInTheDocument();

    p.api.on({
      'POST /api/survey-responses': apiError(
        400,
        'invalid',
        { zh: '答卷内容不完整或有误', en: 'the answers are incomplete or wrong' },
        { fields: [{ path: 'answers.Q1', message: '不是该题的选项 / not an option' }] },
      ),
    });
    await fill('2幢-203');
    await p.user.click(screen.getByTestId('survey-submit'));
    expect(
      await within(screen.getByTestId('q-Q1')).findByText('不是该题的选项'),
    ).toBeInTheDocument();

    p.api.on({
      'POST /api/survey-responses': apiError(409, 'round_closed', {
        zh: '本轮调查已结束',
        en: 'this survey round is closed',
      }),
    });
    await pick(p, 'Q1', '不知道');
    await p.user.click(screen.getByTestId('survey-submit'));
    expect(await screen.findByTestId('survey-refused')).toHaveTextContent('本轮调查已结束');
    // Refused, not queued: nothing waits to be sent again.
    expect(screen.queryByTestId('offline-queue')).toBeNull();
    expect(p.api.callsTo('POST /api/survey-responses')).toHaveLength(3);
  });

  it('the task list opens the flow inside the phone app, not the desktop page', async () => {
    const p = await renderPhone(<MobileApp />, { user: 'surveyor', api: api() });
    await p.user.click(await screen.findByTestId('m-open-survey'));
    expect(await screen.findByTestId('quota-11')).toBeInTheDocument();
    expect(p.location()).toBe('/survey');
  });

  it('signing out forgets the quotas kept on the phone', async () => {
    const p = await renderPhone(<MobileApp />, {
      user: 'surveyor',
      route: '/survey',
      api: { ...api(), 'POST /api/auth/logout': reply(204) },
    });
    await screen.findByTestId('quota-11');
    expect(JSON.stringify(readKept(1, 'GET /api/survey-app/assignments', {}))).toContain(
      '湖滨社区',
    );
    await p.user.click(document.querySelector('.adm-nav-bar-back')!);
    await p.user.click(await screen.findByText('我的'));
    await p.user.click(await screen.findByTestId('m-sign-out'));
    await waitFor(() => expect(p.api.callsTo('POST /api/auth/logout')).toHaveLength(1));
    expect(readKept(1, 'GET /api/survey-app/assignments', {})).toBeNull();
  });
});
