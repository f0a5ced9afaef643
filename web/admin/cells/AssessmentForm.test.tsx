import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TApplicationDetail, TCallDetail } from '../../../core/contracts/cell-awards.js';
import { apiError, type MockRequest } from '../../test/mock-api.js';
import { renderPage } from '../../test/render.js';
import { AssessmentForm } from './AssessmentForm.js';

const CALL: TCallDetail = {
  id: 3,
  year: 2026,
  cellType: 'unit',
  level: 'city',
  title: '2026年度市级文明单位申报',
  honourTitle: '市级文明单位',
  frameworkId: 9,
  frameworkName: '文明单位测评体系（演示）',
  frameworkVersionId: 12,
  frameworkVersionNumber: 1,
  applicationDeadline: '2026-10-31',
  publicityDays: 7,
  publicityStart: null,
  publicityEnd: null,
  officeRegionId: null,
  officeRegionName: null,
  status: 'assessing',
  notes: null,
  applications: 2,
  version: 4,
  createdAt: '2026-09-01T00:00:00.000Z',
  updatedAt: '2026-09-01T00:00:00.000Z',
  maxTotal: 12,
  standards: [
    {
      key: 'k1',
      code: 'D1.1.1',
      text: '成立学雷锋志愿服务组织',
      itemText: '学雷锋',
      contentText: '学雷锋活动常态化',
      method: 'material',
      maxScore: 4,
    },
    {
      key: 'k2',
      code: 'D1.1.2',
      text: '设立学雷锋志愿服务岗',
      itemText: '学雷锋',
      contentText: '学雷锋活动常态化',
      method: 'field',
      maxScore: 5,
    },
    {
      key: 'k3',
      code: 'D2.1.2',
      text: '职工知晓并参与志愿服务',
      itemText: '志愿服务',
      contentText: '志愿服务制度化',
      method: 'survey',
      maxScore: 3,
    },
  ],
};

const APP: TApplicationDetail = {
  id: 21,
  callId: 3,
  applicantName: '市城市管理综合执法局',
  unitId: 7,
  unitName: '市城市管理综合执法局',
  regionId: 1,
  regionName: '示范市',
  contact: null,
  eligibility: 'unchecked',
  totalScore: 3,
  scored: 1,
  proposed: false,
  objections: 0,
  decision: null,
  decisionNote: null,
  decidedAt: null,
  honourId: null,
  version: 6,
  assessorNotes: null,
  assessedAt: null,
  vetoes: [],
  scores: [{ standardKey: 'k1', score: 3, note: '活动记录不全' }],
  materials: [],
  objectionList: [],
  honour: null,
};

/** The number input inside the cell with this test id. */
const numberIn = (id: string) => {
  const el = screen.getByTestId(id);
  return el.tagName === 'INPUT' ? el : within(el).getByRole('spinbutton');
};

const render = (call = CALL, app = APP) =>
  renderPage(<AssessmentForm call={call} application={app} />, {
    api: {
      'PUT /api/cell-award-applications/:id/assessment': (req: MockRequest) => ({
        ...app,
        version: app.version + 1,
        ...(req.body as object),
      }),
    },
  });

describe('AssessmentForm: vetoes and scores item by item', () => {
  it('shows the saved scores and the total as it is typed', async () => {
    await render();
    await waitFor(() => expect(numberIn('score-D1.1.1')).toHaveValue('3'));
    expect(screen.getByTestId('assessment-total')).toHaveTextContent('合计 3 / 12');
    expect(screen.getByText('实地考察')).toBeInTheDocument();
  });

  it('refuses a score above the standard’s points before sending', async () => {
    const page = await render();
    await page.user.type(numberIn('score-D1.1.2'), '6');
    expect(await screen.findByText('不超过 5 分')).toBeInTheDocument();
    expect(screen.getByTestId('assessment-save')).toBeDisabled();
    await page.user.clear(numberIn('score-D1.1.2'));
    await page.user.type(numberIn('score-D1.1.2'), '4.5');
    await waitFor(() => expect(screen.getByTestId('assessment-save')).toBeEnabled());
    expect(screen.queryByText('不超过 5 分')).not.toBeInTheDocument();
    expect(page.api.callsTo('PUT /api/cell-award-applications/:id/assessment')).toHaveLength(0);
  });

  it('sends the veto answers, the scores given and the notes at the version shown', async () => {
    const page = await render();
    await page.user.click(within(screen.getByTestId('veto-leadership_violation')).getByText('无'));
    await page.user.click(within(screen.getByTestId('veto-staff_criminal_case')).getByText('无'));
    await page.user.click(
      within(screen.getByTestId('veto-safety_or_food_accident')).getByText('有'),
    );
    expect(await screen.findByText('触及一票否决事项：不具备授予资格')).toBeInTheDocument();
    await page.user.type(screen.getByTestId('veto-note-safety_or_food_accident'), '食堂食物中毒');
    await page.user.type(numberIn('score-D1.1.2'), '5');
    await page.user.type(numberIn('score-D2.1.2'), '2.5');
    await page.user.type(screen.getByTestId('assessment-notes'), '实地查看良好');
    expect(screen.getByTestId('assessment-total')).toHaveTextContent('合计 10.5 / 12');
    await page.user.click(screen.getByTestId('assessment-save'));
    await waitFor(() =>
      expect(page.api.callsTo('PUT /api/cell-award-applications/:id/assessment')).toHaveLength(1),
    );
    const [req] = page.api.callsTo('PUT /api/cell-award-applications/:id/assessment');
    expect(req!.params).toEqual({ id: '21' });
    expect(req!.body).toEqual({
      version: 6,
      vetoes: [
        { key: 'leadership_violation', hit: false, note: null },
        { key: 'staff_criminal_case', hit: false, note: null },
        { key: 'safety_or_food_accident', hit: true, note: '食堂食物中毒' },
      ],
      scores: [
        { standardKey: 'k1', score: 3, note: '活动记录不全' },
        { standardKey: 'k2', score: 5, note: null },
        { standardKey: 'k3', score: 2.5, note: null },
      ],
      assessorNotes: '实地查看良好',
    });
    expect(await screen.findByText('测评结果已保存')).toBeInTheDocument();
  });

  it('during 公示 the scores are frozen; a veto can still be recorded, sent alone', async () => {
    const page = await render({ ...CALL, status: 'publicity' }, { ...APP, proposed: true });
    expect(numberIn('score-D1.1.1')).toBeDisabled();
    await page.user.click(within(screen.getByTestId('veto-staff_criminal_case')).getByText('有'));
    await page.user.click(screen.getByTestId('assessment-save'));
    await waitFor(() =>
      expect(page.api.callsTo('PUT /api/cell-award-applications/:id/assessment')).toHaveLength(1),
    );
    expect(page.api.lastBody('PUT /api/cell-award-applications/:id/assessment')).toEqual({
      version: 6,
      vetoes: [{ key: 'staff_criminal_case', hit: true, note: null }],
    });
  });

  it('a decided application is read only; the server’s refusal is shown in words', async () => {
    await render(CALL, { ...APP, decision: 'not_conferred' });
    expect(screen.queryByTestId('assessment-save')).not.toBeInTheDocument();
    expect(numberIn('score-D1.1.1')).toBeDisabled();

    const page = await render();
    page.api.on({
      'PUT /api/cell-award-applications/:id/assessment': apiError(409, 'wrong_stage', {
        zh: '申报通知处于“公示中”阶段，不能评分',
        en: 'the call is at the stage "Publicity": cannot score',
      }),
    });
    await page.user.click(screen.getAllByTestId('assessment-save').at(-1)!);
    expect(await screen.findByText('申报通知处于“公示中”阶段，不能评分')).toBeInTheDocument();
  });
});
