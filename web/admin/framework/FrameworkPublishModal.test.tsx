import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { TPublishPreview } from '../../../core/contracts/frameworks.js';
import { byId, renderPage } from '../../test/render.js';
import { FrameworkPublishModal } from './FrameworkPublishModal.js';

const CLEAN: TPublishPreview = {
  versionId: 12,
  versionNumber: 3,
  against: { versionId: 11, versionNumber: 2 },
  standards: {
    added: [{ code: 'I2.1.5', text: '新增的测评标准', method: 'field', maxScore: 2 }],
    removed: [],
    changed: [
      {
        code: 'I1.1.1',
        before: { code: 'I1.1.1', text: '中心组学习', method: 'material', maxScore: 5 },
        after: { code: 'I1.1.1', text: '中心组学习', method: 'material', maxScore: 6 },
        fields: ['maxScore'],
      },
    ],
    unchanged: 38,
  },
  maxScore: { before: 100, after: 103 },
  negativeItems: { added: 0, removed: [] },
  carried: [
    { kind: 'assignment', count: 40 },
    { kind: 'question', count: 7 },
  ],
  lost: [],
};

const LOSING: TPublishPreview = {
  ...CLEAN,
  standards: {
    ...CLEAN.standards,
    removed: [{ code: 'I3.2.1', text: '市民知晓率', method: 'survey', maxScore: 4 }],
  },
  lost: [
    {
      kind: 'question',
      count: 1,
      code: 'I3.2.1',
      text: '市民知晓率',
      where: { zh: '市民问卷 A卷 v1 第 Q3 题', en: 'residents survey A v1, question Q3' },
    },
    {
      kind: 'dossier',
      count: 2,
      code: 'I3.2.1',
      text: '市民知晓率',
      where: { zh: '2025、2026 年度档案', en: 'dossiers of 2025, 2026' },
    },
  ],
};

async function open(preview: TPublishPreview) {
  const onDone = vi.fn();
  const page = await renderPage(
    <FrameworkPublishModal
      versionId={12}
      versionNumber={3}
      version={4}
      onClose={() => {}}
      onDone={onDone}
    />,
    {
      api: {
        'GET /api/framework-versions/:id/publish-preview': preview,
        'POST /api/framework-versions/:id/publish': {},
      },
    },
  );
  return { page, onDone };
}

const okButton = () => byId<HTMLButtonElement>('publish-ok');

describe('FrameworkPublishModal', () => {
  it('shows what changes and what moves, then publishes', async () => {
    const { page, onDone } = await open(CLEAN);
    expect(
      await screen.findByText(
        '与现行 v2 相比：新增 1 条、删除 0 条、修改 1 条、未变 38 条；标准总分 100 → 103',
      ),
    ).toBeInTheDocument();
    const carried = screen.getByTestId('publish-carried');
    expect(within(carried).getByText('任务分解 40')).toBeInTheDocument();
    expect(within(carried).getByText('问卷题目 7')).toBeInTheDocument();
    await page.user.click(screen.getByText('修改标准 1 条'));
    expect(await screen.findByText('分值：5 → 6')).toBeInTheDocument();
    expect(okButton()).toBeEnabled();
    await page.user.click(okButton());
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(page.api.callsTo('POST /api/framework-versions/:id/publish')[0]!.body).toEqual({
      version: 4,
      confirmLosses: false,
    });
  });

  it('lists the links that would be lost and publishes only once the office acknowledges them', async () => {
    const { page, onDone } = await open(LOSING);
    expect(
      await screen.findByText('3 处关联在新版本中找不到对应的标准，发布后将不再计入'),
    ).toBeInTheDocument();
    const table = screen.getByTestId('publish-lost');
    expect(within(table).getByText('市民问卷 A卷 v1 第 Q3 题')).toBeInTheDocument();
    expect(within(table).getByText('2025、2026 年度档案')).toBeInTheDocument();
    expect(okButton()).toBeDisabled();
    await page.user.click(screen.getByRole('checkbox', { name: /仍要发布/ }));
    expect(okButton()).toBeEnabled();
    await page.user.click(okButton());
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(page.api.callsTo('POST /api/framework-versions/:id/publish')[0]!.body).toEqual({
      version: 4,
      confirmLosses: true,
    });
  });

  it('speaks English when switched', async () => {
    const onDone = vi.fn();
    await renderPage(
      <FrameworkPublishModal
        versionId={12}
        versionNumber={3}
        version={4}
        onClose={() => {}}
        onDone={onDone}
      />,
      { api: { 'GET /api/framework-versions/:id/publish-preview': LOSING }, lang: 'en' },
    );
    expect(await screen.findByText('residents survey A v1, question Q3')).toBeInTheDocument();
    expect(screen.getByText(/Against v2 in force: 1 added, 1 removed/)).toBeInTheDocument();
  });
});
