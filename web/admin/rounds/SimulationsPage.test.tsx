import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type {
  TSimulationCheck,
  TSimulationCheckList,
  TSimulationTarget,
} from '../../../core/contracts/simulations.js';
import { permissionsOf } from '../../../core/permissions.js';
import { chosen, fill, modalButton } from '../../test/antd.js';
import { campaign, campaignsOfKind, framework, inspectionRound } from '../../test/fixtures.js';
import { reply } from '../../test/mock-api.js';
import { asUser, renderPage, type RenderPageOptions } from '../../test/render.js';
import { SimulationCallModal } from './SimulationCallModal.js';
import { SimulationsPage } from './SimulationsPage.js';

const HOTLINE: TSimulationTarget = {
  id: 1,
  frameworkId: 1,
  standardKey: 'k-legal',
  standardCode: 'I3.2.1',
  standardText: '公共法律服务热线接通及时、答复准确',
  name: '12348 公共法律服务热线',
  contact: '12348',
  unitId: 31,
  unitName: '市司法局',
  maxRings: 5,
  requireCorrect: true,
  callbackDays: null,
  script: '咨询：公司拖欠工资三个月，如何申请法律援助？',
  active: true,
  criteria: { zh: '接通≤5声且答复准确', en: 'answered within 5 rings, answer correct' },
  version: 1,
};
const CONSUMER: TSimulationTarget = {
  ...HOTLINE,
  id: 2,
  standardKey: 'k-consumer',
  standardCode: 'I5.3.2',
  standardText: '消费维权热线可拨通并在时限内反馈',
  name: '12315 消费维权热线',
  contact: '12315',
  unitId: 32,
  unitName: '市市场监督管理局',
  callbackDays: 7,
  criteria: {
    zh: '接通≤5声且答复准确且承诺回复7个工作日内到达',
    en: 'answered within 5 rings, answer correct, promised call-back within 7 working days',
  },
};

function check(over: Partial<TSimulationCheck>): TSimulationCheck {
  return {
    id: 1,
    targetId: 1,
    targetName: HOTLINE.name,
    frameworkId: 1,
    standardKey: 'k-legal',
    standardCode: 'I3.2.1',
    unitId: 31,
    unitName: '市司法局',
    roundId: null,
    roundName: null,
    calledAt: '2026-11-20T02:00:00.000Z',
    callerName: '钱测评',
    recordedBy: '钱测评',
    recordedById: 5,
    answered: true,
    rings: 2,
    waitSeconds: null,
    answer: 'yes',
    callbackPromised: null,
    callbackOnTime: null,
    notes: '告知可到市法律援助中心申请',
    fileIds: [],
    verdict: 'pass',
    value: 1,
    reasons: [],
    callbackDue: null,
    problemId: null,
    problemCode: null,
    version: 1,
    updatedAt: '2026-11-20T02:05:00.000Z',
    ...over,
  };
}

const CHECKS: TSimulationCheckList = {
  items: [
    check({ id: 11 }),
    check({
      id: 12,
      rings: 7,
      verdict: 'fail',
      value: 0,
      reasons: ['too_slow'],
      problemId: 801,
      problemCode: 'WT2026-000801',
      recordedById: 1,
    }),
    check({
      id: 13,
      targetId: 2,
      targetName: CONSUMER.name,
      standardKey: 'k-consumer',
      standardCode: 'I5.3.2',
      callbackPromised: true,
      verdict: 'pending',
      value: null,
      reasons: ['callback_awaited'],
      callbackDue: '2026-11-30T15:59:59.999Z',
    }),
  ],
  standards: [
    {
      frameworkId: 1,
      standardKey: 'k-legal',
      standardCode: 'I3.2.1',
      standardText: HOTLINE.standardText,
      checks: 2,
      passed: 1,
      partial: 0,
      failed: 1,
      pending: 0,
      share: 0.5,
    },
    {
      frameworkId: 1,
      standardKey: 'k-consumer',
      standardCode: 'I5.3.2',
      standardText: CONSUMER.standardText,
      checks: 1,
      passed: 0,
      partial: 0,
      failed: 0,
      pending: 1,
      share: null,
    },
  ],
};

const TREE = {
  items: [
    {
      key: 'k-i3',
      code: 'I3',
      text: '法治环境',
      children: [
        {
          key: 'k-i3-2',
          code: 'I3.2',
          text: '公共法律服务',
          children: [
            { key: 'k-legal', code: 'I3.2.1', text: HOTLINE.standardText, method: 'simulation' },
            { key: 'k-field', code: 'I3.2.2', text: '社区法律顾问', method: 'field' },
          ],
        },
      ],
    },
  ],
};

const render = (opts: RenderPageOptions = {}, api: RenderPageOptions['api'] = {}) =>
  renderPage(<SimulationsPage />, {
    ...opts,
    api: {
      // A 文明细胞 campaign listed first: the page asks for the city's only, so never offers it.
      'GET /api/campaigns': campaignsOfKind([
        campaign({
          id: 9,
          name: '示范市文明细胞测评',
          kind: 'cells',
          frameworks: [framework({ id: 99, campaignId: 9, name: '文明单位测评体系' })],
        }),
        campaign(),
      ]),
      'GET /api/rounds': { items: [inspectionRound({ id: 4, name: '十一月模拟测评' })] },
      'GET /api/framework-versions/:id/tree': TREE,
      'GET /api/simulation-targets': { items: [HOTLINE, CONSUMER] },
      'GET /api/simulation-checks': CHECKS,
      ...api,
    },
  });

describe('SimulationsPage', () => {
  it('the office: targets with their criteria and rate, calls judged, failed ones linked to their problem', async () => {
    const page = await render();
    expect(await screen.findByTestId('sim-share-I3.2.1')).toHaveTextContent('50%');
    expect(screen.getByTestId('sim-share-I3.2.1')).toHaveTextContent('2 次 · 合格 1');
    expect(screen.getByTestId('sim-share-I5.3.2')).toHaveTextContent('—');
    expect(screen.getByTestId('sim-share-I5.3.2')).toHaveTextContent('待回复 1');
    const targets = screen.getByTestId('sim-targets');
    expect(within(targets).getByText('接通≤5声且答复准确')).toBeInTheDocument();
    expect(screen.getByTestId('sim-verdict-12')).toHaveTextContent('不合格');
    expect(within(screen.getByTestId('sim-checks')).getByText('接通超时')).toBeInTheDocument();
    expect(screen.getByText('WT2026-000801').closest('a')).toHaveAttribute('href', '/problems/801');
    expect(screen.getByTestId('sim-verdict-13')).toHaveTextContent('待回复');
    expect(screen.getByText('回复时限 2026-11-30')).toBeInTheDocument();
    // The office records, corrects any call and defines targets.
    expect(screen.getByTestId('sim-record-1')).toBeInTheDocument();
    expect(screen.getByTestId('sim-correct-11')).toBeInTheDocument();
    expect(screen.getByTestId('sim-new-target')).toBeInTheDocument();
    expect(page.api.callsTo('GET /api/campaigns')[0]!.query).toEqual({ kind: 'city' });
    expect(page.api.callsTo('GET /api/simulation-checks')[0]!.query).toMatchObject({
      frameworkId: '1',
      year: String(new Date(Date.now() + 8 * 3_600_000).getUTCFullYear()),
    });
  });

  it('a new target offers only the simulation standards and sends the criteria', async () => {
    const page = await render({}, { 'POST /api/simulation-targets': reply(201, HOTLINE) });
    await screen.findByTestId('sim-share-I3.2.1');
    await page.user.click(screen.getByTestId('sim-new-target'));
    const dialog = await screen.findByRole('dialog');
    await waitFor(() =>
      expect(chosen(within(dialog).getByTestId('target-standard'))).toEqual([
        'I3.2.1 公共法律服务热线接通及时、答复准确',
      ]),
    );
    await fill(page.user, within(dialog).getByTestId('target-name'), '12348 热线（区分中心）');
    await fill(page.user, within(dialog).getByTestId('target-contact'), '0571-12348');
    // The unit: the picker's first unit.
    await page.user.click(within(dialog).getAllByRole('combobox')[1]!);
    await page.user.click(
      await waitFor(() => {
        const o = document.querySelector<HTMLElement>('.ant-select-item-option');
        if (!o) throw new Error('no unit option');
        return o;
      }),
    );
    await page.user.click(modalButton('确定'));
    await waitFor(() => expect(page.api.callsTo('POST /api/simulation-targets')).toHaveLength(1));
    expect(page.api.lastBody('POST /api/simulation-targets')).toMatchObject({
      frameworkId: 1,
      standardKey: 'k-legal',
      name: '12348 热线（区分中心）',
      contact: '0571-12348',
      maxRings: 5,
      requireCorrect: true,
      callbackDays: null,
    });
  });

  it('an inspector records and corrects only their own calls; no targets to define', async () => {
    await render({ user: asUser('inspector', { id: 5 }) });
    expect(await screen.findByTestId('sim-record-2')).toBeInTheDocument();
    expect(screen.getByTestId('sim-correct-11')).toBeInTheDocument();
    expect(screen.queryByTestId('sim-correct-12')).toBeNull();
    expect(screen.queryByTestId('sim-new-target')).toBeNull();
  });

  it('a unit reads its results: no recording, no correcting, no defining', async () => {
    await render({ user: 'unit' }, { 'GET /api/simulation-targets': { items: [HOTLINE] } });
    expect(await screen.findByTestId('sim-share-I3.2.1')).toHaveTextContent('50%');
    expect(screen.queryByTestId('sim-record-1')).toBeNull();
    expect(screen.queryByTestId('sim-correct-11')).toBeNull();
    expect(screen.queryByTestId('sim-new-target')).toBeNull();
  });

  it('a district office and leader read their units’ results: no defining, recording or correcting (issue #20)', async () => {
    for (const role of ['office', 'leader'] as const) {
      const page = await render(
        {
          user: asUser(role, {
            regionId: 5,
            regionName: '湖滨区',
            regionLevel: 'district',
            permissions: [...permissionsOf([role], true)],
          }),
        },
        {
          'GET /api/simulation-targets': { items: [HOTLINE] },
          // A district leader runs no rounds: the round picker stays empty.
          ...(role === 'leader' ? { 'GET /api/rounds': reply(403, {}) } : {}),
        },
      );
      expect(await screen.findByTestId('sim-share-I3.2.1')).toHaveTextContent('50%');
      expect(screen.queryByTestId('sim-new-target')).toBeNull();
      expect(screen.queryByTestId('sim-record-1')).toBeNull();
      expect(screen.queryByTestId('sim-correct-11')).toBeNull();
      expect(within(screen.getByTestId('sim-targets')).queryByText('修改')).toBeNull();
      // No framework tree is fetched to offer standards for a new target.
      expect(page.api.callsTo('GET /api/framework-versions/:id/tree')).toHaveLength(0);
      page.unmount();
    }
  });

  it('speaks English', async () => {
    await render({ lang: 'en' });
    expect(await screen.findByText('Simulation checks')).toBeInTheDocument();
    expect(await screen.findByTestId('sim-verdict-12')).toHaveTextContent('Fail');
    expect(screen.getByText('answered within 5 rings, answer correct')).toBeInTheDocument();
  });
});

/** The seconds field's input (the test id sits on the input or around it). */
const seconds = () => {
  const el = screen.getByTestId('call-seconds');
  return el.tagName === 'INPUT' ? el : within(el).getByRole('spinbutton');
};

describe('SimulationCallModal', () => {
  const open = (props: Partial<Parameters<typeof SimulationCallModal>[0]> = {}) => {
    let now = Date.parse('2026-11-30T02:00:00Z');
    const closed: boolean[] = [];
    const clock = {
      advance: (ms: number) => (now += ms),
    };
    const page = renderPage(
      <SimulationCallModal
        target={HOTLINE}
        rounds={[inspectionRound({ id: 4, name: '十一月模拟测评' })]}
        onClose={(c) => closed.push(c)}
        clock={() => now}
        {...props}
      />,
      {
        user: asUser('inspector', { id: 5 }),
        api: { 'POST /api/simulation-checks': reply(201, check({ id: 20 })) },
      },
    );
    return { page, clock, closed };
  };

  it('times the wait from dialling to a person answering, and sends the call once', async () => {
    const { page: p, clock, closed } = open();
    const page = await p;
    expect(screen.getByTestId('call-criteria')).toHaveTextContent('接通≤5声且答复准确');
    await page.user.click(screen.getByTestId('timer-start'));
    clock.advance(18_400);
    await page.user.click(screen.getByTestId('timer-answered'));
    await waitFor(() => expect(seconds()).toHaveValue('18'));
    expect(screen.getByText('约 4 声')).toBeInTheDocument();
    await page.user.click(screen.getByText('部分准确'));
    await fill(page.user, screen.getByTestId('call-notes'), '申请条件讲对，未提及经济困难证明');
    await page.user.click(modalButton('记录'));
    await waitFor(() => expect(closed).toEqual([true]));
    const body = page.api.lastBody('POST /api/simulation-checks') as Record<string, unknown>;
    expect(body).toMatchObject({
      targetId: 1,
      calledAt: '2026-11-30T02:00:00.000Z',
      answered: true,
      rings: null,
      waitSeconds: 18,
      answer: 'partly',
      callbackPromised: null,
      callbackOnTime: null,
      notes: '申请条件讲对，未提及经济困难证明',
      fileIds: [],
      raiseProblem: true,
      roundId: null,
    });
    expect(body.clientId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('no answer: the answer fields go away and nothing about an answer is sent', async () => {
    const { page: p, clock, closed } = open();
    const page = await p;
    await page.user.click(screen.getByTestId('timer-start'));
    clock.advance(60_000);
    await page.user.click(screen.getByTestId('timer-unanswered'));
    await waitFor(() => expect(screen.queryByTestId('call-answer')).toBeNull());
    await page.user.click(modalButton('记录'));
    await waitFor(() => expect(closed).toEqual([true]));
    expect(page.api.lastBody('POST /api/simulation-checks')).toMatchObject({
      answered: false,
      rings: null,
      waitSeconds: null,
      answer: null,
      callbackPromised: null,
    });
  });

  it('the answer is required where the target judges it; a promised call-back asks whether it came', async () => {
    const { page: p } = open({ target: CONSUMER });
    const page = await p;
    await page.user.click(modalButton('记录'));
    expect(await screen.findByText('请选择')).toBeInTheDocument();
    expect(page.api.callsTo('POST /api/simulation-checks')).toHaveLength(0);
    await page.user.click(screen.getByTestId('call-callback'));
    expect(await screen.findByTestId('call-callback-state')).toHaveTextContent('等待中');
  });

  it('a correction sends the reason and the version', async () => {
    const { page: p, closed } = open({ check: check({ id: 11, version: 2 }) });
    const page = await p;
    page.api.on({ 'PATCH /api/simulation-checks/:id': check({ id: 11, version: 3 }) });
    await page.user.click(screen.getByText('不准确'));
    await fill(page.user, screen.getByTestId('call-reason'), '复听录音后更正');
    await page.user.click(modalButton('提交更正'));
    await waitFor(() => expect(closed).toEqual([true]));
    expect(page.api.lastBody('PATCH /api/simulation-checks/:id')).toMatchObject({
      answer: 'no',
      rings: 2,
      reason: '复听录音后更正',
      version: 2,
    });
  });
});
