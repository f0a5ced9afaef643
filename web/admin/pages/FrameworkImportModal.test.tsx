import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { TFrameworkImportResult } from '../../../core/contracts/frameworks.js';
import { chosen, formItem, pickOption } from '../../test/antd.js';
import { apiError, type Reply } from '../../test/mock-api.js';
import { byId, renderPage } from '../../test/render.js';
import { FrameworkImportModal } from './FrameworkImportModal.js';

const RESULT: TFrameworkImportResult = {
  frameworkId: 9,
  versionId: 31,
  versionNumber: 1,
  items: 8,
  contents: 20,
  standards: 40,
  negativeItems: 6,
  assignments: 40,
};

const CAMPAIGNS = [
  { id: 1, name: '示范市创建全国文明城市（2026—2028年）' },
  { id: 2, name: 'E2E 创建周期（2027—2029年）' },
];

async function open(
  opts: { frameworkId?: number | null; answer?: TFrameworkImportResult | Reply } = {},
) {
  const onDone = vi.fn();
  const onClose = vi.fn();
  const page = await renderPage(
    <FrameworkImportModal
      open
      campaigns={CAMPAIGNS}
      campaignId={1}
      frameworkId={opts.frameworkId ?? null}
      onClose={onClose}
      onDone={onDone}
    />,
    {
      api: {
        'POST /api/campaigns/:id/frameworks/import': opts.answer ?? RESULT,
        'POST /api/frameworks/:id/import': opts.answer ?? RESULT,
      },
    },
  );
  return { page, onDone, onClose };
}

/** Chooses a file in the drop zone (antd's Upload keeps it; nothing is sent until 导入). */
function chooseFile(name: string) {
  const input = screen.getByRole('dialog').querySelector<HTMLInputElement>('input[type=file]')!;
  fireEvent.change(input, { target: { files: [new File(['{}'], name)] } });
}

const importButton = () => byId<HTMLButtonElement>('framework-import-ok');

describe('FrameworkImportModal', () => {
  it('imports a JSON file into the campaign picked, as a new framework', async () => {
    const { page, onDone, onClose } = await open();
    // The current campaign is chosen to begin with.
    expect(chosen(byId('framework-import-campaign'))).toEqual([CAMPAIGNS[0]!.name]);
    await pickOption(page.user, byId('framework-import-campaign'), CAMPAIGNS[1]!.name);
    expect(chosen(byId('framework-import-campaign'))).toEqual([CAMPAIGNS[1]!.name]);
    chooseFile('demo-framework.json');
    await page.user.click(importButton());

    await waitFor(() => expect(onDone).toHaveBeenCalledWith(RESULT));
    const sent = page.api.callsTo('POST /api/campaigns/:id/frameworks/import')[0]!;
    expect(sent.url).toBe('/api/campaigns/2/frameworks/import?level=prefecture');
    expect(((sent.body as FormData).get('file') as File).name).toBe('demo-framework.json');
    expect(
      await screen.findByText(
        '已导入 v1：8 个项目、20 项内容、40 条标准、40 条任务（草稿，发布后生效）',
      ),
    ).toBeInTheDocument();
    expect(onClose).toHaveBeenCalled();
  });

  it('without a file nothing is sent', async () => {
    const { page } = await open();
    await page.user.click(importButton());
    expect(await screen.findByText('请选择文件')).toBeInTheDocument();
    expect(page.api.calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });

  it('an Excel file needs a name (a JSON file names itself); the name and level go in the query', async () => {
    const { page, onDone } = await open();
    chooseFile('任务分解.xlsx');
    await page.user.click(importButton());
    expect(await screen.findByText('请填写名称')).toBeInTheDocument();
    expect(page.api.calls.filter((c) => c.method === 'POST')).toHaveLength(0);

    await page.user.type(byId('framework-import-name'), '示范市测评体系');
    await pickOption(page.user, formItem('层级'), '省级');
    await page.user.click(importButton());
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    const sent = page.api.callsTo('POST /api/campaigns/:id/frameworks/import')[0]!;
    expect(sent.query).toEqual({ name: '示范市测评体系', level: 'provincial' });
  });

  it('a rejected file shows every bad row and imports nothing; the dialog stays', async () => {
    const { page, onDone } = await open({
      answer: apiError(
        422,
        'bad_import',
        { zh: '导入文件有误', en: 'bad import' },
        {
          rows: [
            { row: 3, column: '方法', reason: '无法识别的测评方法“抽查”' },
            { row: 4, column: '牵头单位', reason: '找不到单位“不存在的局”' },
            { row: 0, column: 'meta.name', reason: '缺少名称' },
          ],
        },
      ),
    });
    chooseFile('fw-bad.xlsx');
    await page.user.type(byId('framework-import-name'), '错误的任务分解表');
    await page.user.click(importButton());

    expect(await screen.findByTestId('import-errors')).toHaveTextContent(
      '共 3 处错误，未导入任何数据。请修改后重新导入。',
    );
    const rows = within(screen.getByRole('dialog'))
      .getAllByRole('row')
      .slice(1)
      .map((r) =>
        within(r)
          .getAllByRole('cell')
          .map((c) => c.textContent),
      );
    expect(rows).toEqual([
      ['3', '方法', '无法识别的测评方法“抽查”'],
      ['4', '牵头单位', '找不到单位“不存在的局”'],
      ['-', 'meta.name', '缺少名称'],
    ]);
    expect(onDone).not.toHaveBeenCalled();
  });

  it('as a new version of the framework shown, when there is one', async () => {
    const none = await open();
    expect(screen.getByRole('radio', { name: '当前测评体系的新版本' })).toBeDisabled();
    none.page.unmount();

    const { page, onDone } = await open({ frameworkId: 5 });
    await page.user.click(screen.getByRole('radio', { name: '当前测评体系的新版本' }));
    // A version needs neither campaign nor name.
    expect(screen.queryByText('创建周期')).toBeNull();
    chooseFile('v2.xlsx');
    await page.user.click(importButton());
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(page.api.callsTo('POST /api/frameworks/:id/import')[0]!.url).toBe(
      '/api/frameworks/5/import',
    );
  });
});
