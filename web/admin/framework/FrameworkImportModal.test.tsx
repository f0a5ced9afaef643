import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type {
  TFrameworkImportPreview,
  TFrameworkImportResult,
} from '../../../core/contracts/frameworks.js';
import { chosen, formItem, pickOption } from '../../test/antd.js';
import { apiError, type MockRequest, type Reply } from '../../test/mock-api.js';
import { unit } from '../../test/fixtures.js';
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

/** A sheet read cleanly: the preview has nothing to settle. */
const CLEAN_PREVIEW: TFrameworkImportPreview = {
  kind: 'xlsx',
  sheetName: '任务分解表',
  sheets: ['填表说明', '任务分解表'],
  columns: [
    { header: '测评项目', key: 'item' },
    { header: '联系人', key: null },
  ],
  missingColumns: [],
  counts: { items: 3, contents: 8, standards: 25, negativeItems: 0, assignments: 27 },
  issues: [],
  badRows: [],
  units: [],
  parties: [],
  report: { sheetName: '任务分解表', skippedRows: [], sumChecks: [] },
};

/** Two rows to settle: a 发改委 nobody answers to, and a method nobody knows. */
const BAD_PREVIEW: TFrameworkImportPreview = {
  ...CLEAN_PREVIEW,
  counts: { ...CLEAN_PREVIEW.counts, standards: 23, assignments: 25 },
  issues: [
    {
      row: 6,
      column: '牵头单位',
      reason: {
        zh: '单位“发改委”不存在；您是不是要找：市发展和改革委员会',
        en: 'unit "发改委" not found; did you mean: 市发展和改革委员会?',
      },
    },
    {
      row: 9,
      column: '方法',
      reason: { zh: '无法识别的测评方法“随机抽查”', en: 'unknown method "随机抽查"' },
    },
  ],
  badRows: [6, 9],
  units: [
    {
      name: '发改委',
      status: 'unknown',
      rows: [6],
      suggestions: [{ id: 42, name: '市发展和改革委员会' }],
    },
  ],
  report: {
    sheetName: '任务分解表',
    skippedRows: [{ row: 12, kind: 'subtotal', reason: '小计行' }],
    sumChecks: [{ row: 12, label: '小计', stated: 12, computed: 10, ok: false }],
  },
};

const CAMPAIGNS = [
  { id: 1, name: '示范市创建全国文明城市（2026—2028年）', kind: 'city' as const },
  { id: 2, name: '示范市文明细胞测评', kind: 'cells' as const },
];

async function open(
  opts: {
    frameworkId?: number | null;
    answer?: TFrameworkImportResult | Reply;
    preview?: TFrameworkImportPreview | ((req: MockRequest) => TFrameworkImportPreview);
  } = {},
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
        'POST /api/framework-imports/preview': opts.preview ?? CLEAN_PREVIEW,
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
    expect(chosen(byId('framework-import-campaign'))).toEqual([`${CAMPAIGNS[0]!.name} · 城市测评`]);
    // A 文明细胞 campaign takes frameworks too (the ones cells are assessed against).
    await pickOption(
      page.user,
      byId('framework-import-campaign'),
      `${CAMPAIGNS[1]!.name} · 文明细胞`,
    );
    expect(chosen(byId('framework-import-campaign'))).toEqual([`${CAMPAIGNS[1]!.name} · 文明细胞`]);
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
    // The workbook is read first (导入 waits for it).
    await screen.findByTestId('import-preview-counts');
    await page.user.click(importButton());
    expect(await screen.findByText('请填写名称')).toBeInTheDocument();
    // Only the preview has been asked for; nothing imported.
    expect(page.api.callsTo('POST /api/campaigns/:id/frameworks/import')).toHaveLength(0);

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
    await screen.findByTestId('import-preview-counts');
    await page.user.click(importButton());
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(page.api.callsTo('POST /api/frameworks/:id/import')[0]!.url).toBe(
      '/api/frameworks/5/import',
    );
  });

  it('an Excel file is read first: what it creates, and the clean import when nothing needs a decision', async () => {
    const { page, onDone } = await open();
    chooseFile('任务分解.xlsx');
    expect(await screen.findByTestId('import-preview-counts')).toHaveTextContent(
      '3 个项目、8 项内容、25 条标准、27 条任务',
    );
    expect(page.api.callsTo('POST /api/framework-imports/preview')[0]!.url).toBe(
      '/api/framework-imports/preview',
    );
    expect(importButton()).toHaveTextContent(/^导\s?入$/);
    await page.user.type(byId('framework-import-name'), '示范市测评体系');
    await page.user.click(importButton());
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(page.api.callsTo('POST /api/campaigns/:id/frameworks/import')[0]!.query).toEqual({
      name: '示范市测评体系',
      level: 'prefecture',
    });
  });

  it('rows that need a decision: the office settles a unit in place, then imports the clean rows', async () => {
    let reads = 0;
    const { page, onDone } = await open({
      preview: () => (++reads === 1 ? BAD_PREVIEW : { ...BAD_PREVIEW, units: [], badRows: [9] }),
    });
    page.api.on({
      'GET /api/units/:id': {
        id: 42,
        name: '市发展和改革委员会',
        aliases: ['发展改革委'],
        version: 3,
      },
      'PATCH /api/units/:id': {},
    });
    chooseFile('任务分解.xlsx');
    const issues = await screen.findByTestId('import-preview-issues');
    expect(within(issues).getByText('无法识别的测评方法“随机抽查”')).toBeInTheDocument();
    expect(screen.getByTestId('import-preview-sums')).toHaveTextContent(
      '第 12 行 小计：写 12，标准分值之和 10',
    );
    expect(importButton()).toHaveTextContent('仅导入无误的行（2 行除外）');

    await page.user.click(screen.getByRole('button', { name: '是“市发展和改革委员会”' }));
    await waitFor(() => expect(page.api.callsTo('PATCH /api/units/:id')).toHaveLength(1));
    expect(page.api.lastBody('PATCH /api/units/:id')).toEqual({
      version: 3,
      aliases: ['发展改革委', '发改委'],
    });
    // The sheet is read again: one row left to leave out.
    await waitFor(() => expect(importButton()).toHaveTextContent('仅导入无误的行（1 行除外）'));
    expect(screen.queryByTestId('import-preview-units')).toBeNull();
    await page.user.type(byId('framework-import-name'), '示范市测评体系');
    await page.user.click(importButton());
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(page.api.callsTo('POST /api/campaigns/:id/frameworks/import')[0]!.query).toMatchObject({
      skipBadRows: 'true',
    });
  });

  it('a header it does not know is mapped in the preview and sent with the import', async () => {
    const missing: TFrameworkImportPreview = {
      ...CLEAN_PREVIEW,
      columns: [{ header: '考评办法', key: null }],
      missingColumns: ['method'],
      counts: { items: 0, contents: 0, standards: 0, negativeItems: 0, assignments: 0 },
    };
    const { page, onDone } = await open({
      preview: (req) => (req.query.columns ? CLEAN_PREVIEW : missing),
      frameworkId: 5,
    });
    await page.user.click(screen.getByRole('radio', { name: '当前测评体系的新版本' }));
    chooseFile('v2.xlsx');
    expect(await screen.findByText(/缺少必需的列：测评方法/)).toBeInTheDocument();
    expect(importButton()).toBeDisabled();
    await pickOption(page.user, screen.getByTestId('map-考评办法'), '测评方法');
    await waitFor(() => expect(importButton()).toBeEnabled());
    const second = page.api.callsTo('POST /api/framework-imports/preview')[1]!;
    expect(JSON.parse(second.query.columns!)).toEqual({ 考评办法: 'method' });
    await page.user.click(importButton());
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(
      JSON.parse(page.api.callsTo('POST /api/frameworks/:id/import')[0]!.query.columns!),
    ).toEqual({ 考评办法: 'method' });
  });

  it('speaks English: reasons in one language', async () => {
    const onDone = vi.fn();
    await renderPage(
      <FrameworkImportModal
        open
        campaigns={CAMPAIGNS}
        campaignId={1}
        frameworkId={null}
        onClose={() => {}}
        onDone={onDone}
      />,
      { api: { 'POST /api/framework-imports/preview': BAD_PREVIEW }, lang: 'en' },
    );
    chooseFile('sheet.xlsx');
    const issues = await screen.findByTestId('import-preview-issues');
    expect(within(issues).getByText('unknown method "随机抽查"')).toBeInTheDocument();
    expect(within(issues).queryByText(/无法识别/)).toBeNull();
  });

  it('a collective name is made a 集体责任方 from the preview: a group by type, or an outside party with its contact unit', async () => {
    const withProposals: TFrameworkImportPreview = {
      ...CLEAN_PREVIEW,
      badRows: [4, 7],
      units: [
        {
          name: '各街道（乡镇）',
          status: 'unknown',
          rows: [4],
          suggestions: [],
          proposal: { kind: 'group', memberTypes: ['street_office'] },
        },
        {
          name: '各物业公司',
          status: 'unknown',
          rows: [7],
          suggestions: [],
          proposal: { kind: 'outside', memberTypes: [] },
        },
      ],
    };
    const { page } = await open({ preview: withProposals });
    page.api.on({
      'GET /api/units': { items: [unit({ id: 31, name: '市住房和城乡建设局' })] },
      'POST /api/parties': {},
    });
    chooseFile('任务分解.xlsx');
    await page.user.click(await screen.findByTestId('propose-各街道（乡镇）'));
    expect(await screen.findByText('设为集体责任方：各街道（乡镇）')).toBeInTheDocument();
    expect(chosen(byId('party-member-types'))).toEqual(['街道办事处/乡镇']);
    await page.user.click(byId('party-proposal-ok'));
    await waitFor(() => expect(page.api.callsTo('POST /api/parties')).toHaveLength(1));
    expect(page.api.lastBody('POST /api/parties')).toEqual({
      name: '各街道（乡镇）',
      kind: 'group',
      memberTypes: ['street_office'],
      contactUnitId: null,
    });
    // The sheet is read again after each definition.
    await waitFor(() =>
      expect(page.api.callsTo('POST /api/framework-imports/preview')).toHaveLength(2),
    );

    await waitFor(() => expect(screen.queryByText('设为集体责任方：各街道（乡镇）')).toBeNull());
    await page.user.click(screen.getByTestId('propose-各物业公司'));
    await screen.findByText('设为集体责任方：各物业公司');
    await page.user.click(byId('party-proposal-ok'));
    expect(await screen.findByText('请选择负责联系的单位')).toBeInTheDocument();
    await pickOption(page.user, formItem('负责联系的单位'), '市住房和城乡建设局');
    await page.user.click(byId('party-proposal-ok'));
    await waitFor(() => expect(page.api.callsTo('POST /api/parties')).toHaveLength(2));
    expect(page.api.lastBody('POST /api/parties')).toEqual({
      name: '各物业公司',
      kind: 'outside',
      memberTypes: [],
      contactUnitId: 31,
    });
  });
});
