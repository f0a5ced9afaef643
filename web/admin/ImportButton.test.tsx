import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TRowError } from '../../core/contracts/common.js';
import { inLanguage, type Lang } from '../shared/i18n.js';
import { apiError } from '../test/mock-api.js';
import { renderPage } from '../test/render.js';
import { ImportButton } from './ImportButton.js';

// The generic XLSX import: a refused sheet lists every bad row in the shared ImportErrorsModal
// (the region boundaries card shows its refused features in the same dialog). The server words
// each reason in both languages ("中文 / English", server/platform/import-check.ts); the dialog
// shows the one the user reads.

const ROWS: TRowError[] = [
  { row: 3, column: '单位名称', reason: '必须填写单位名称 / the unit name is required' },
  {
    row: 4,
    column: '所属区划',
    reason: '区划“火星 / Mars”不存在 / region not found',
  },
];

async function refuse(lang: Lang) {
  let done = 0;
  const page = await renderPage(
    <ImportButton endpoint="POST /api/units/import" testId="units-import" onDone={() => done++} />,
    {
      lang,
      api: {
        'POST /api/units/import': apiError(
          422,
          'import_rejected',
          { zh: '导入文件有 2 处错误', en: 'the file has 2 errors' },
          { rows: ROWS },
        ),
      },
    },
  );
  const input = screen.getByTestId('units-import').closest('.ant-upload')!.querySelector('input')!;
  await page.user.upload(input, new File(['x'], '单位.xlsx'));
  await screen.findByTestId('import-errors');
  return { dialog: screen.getByRole('dialog'), done: () => done };
}

describe('ImportButton', () => {
  it('lists every bad row of a refused sheet, under the sheet headings, in Chinese only', async () => {
    const { dialog, done } = await refuse('zh');
    expect(screen.getByTestId('import-errors')).toHaveTextContent(
      '共 2 处错误，未导入任何数据。请修改后重新导入。',
    );
    expect(within(dialog).getByText('行')).toBeInTheDocument();
    expect(within(dialog).getByText('单位名称')).toBeInTheDocument();
    expect(within(dialog).getByText('必须填写单位名称')).toBeInTheDocument();
    // The cell's own " / " stays: the message is split at its languages' separator only.
    expect(within(dialog).getByText('区划“火星 / Mars”不存在')).toBeInTheDocument();
    const body = dialog.querySelector('.ant-table-tbody')!.textContent ?? '';
    expect(body).not.toContain('required');
    expect(body).not.toContain('not found');
    expect(done()).toBe(0);
  });

  it('in English: the English half of every reason', async () => {
    const { dialog } = await refuse('en');
    expect(screen.getByTestId('import-errors')).toHaveTextContent(
      '2 error(s); nothing was imported',
    );
    expect(within(dialog).getByText('the unit name is required')).toBeInTheDocument();
    expect(within(dialog).getByText('region not found')).toBeInTheDocument();
    expect(dialog.querySelector('.ant-table-tbody')!.textContent).not.toMatch(/必须|不存在/);
  });
});

describe('inLanguage', () => {
  it('splits the server’s "中文 / English" at the languages’ separator', () => {
    const cases: [string, string, string][] = [
      [
        '必须填写单位名称 / the unit name is required',
        '必须填写单位名称',
        'the unit name is required',
      ],
      // zod's messages (core/contracts/zod-setup.ts) have Latin words in the Chinese half.
      [
        '无效输入：期望 string，实际接收 number / Invalid input: expected string, received number',
        '无效输入：期望 string，实际接收 number',
        'Invalid input: expected string, received number',
      ],
      // A cell value with " / " inside quotes, in both halves.
      [
        '未知的类型“a / b”，可填：甲、乙 / unknown type "a / b"; use one of: x, y',
        '未知的类型“a / b”，可填：甲、乙',
        'unknown type "a / b"; use one of: x, y',
      ],
      ['状态应为“启用”或“停用” / use 启用 or 停用', '状态应为“启用”或“停用”', 'use 启用 or 停用'],
      [
        '缺少列“单位名称” / missing column "单位名称"',
        '缺少列“单位名称”',
        'missing column "单位名称"',
      ],
    ];
    for (const [both, zh, en] of cases) {
      expect(inLanguage(both, 'zh'), both).toBe(zh);
      expect(inLanguage(both, 'en'), both).toBe(en);
    }
  });

  it('leaves a message in one language as it is', () => {
    for (const one of ['bad', '文件不是 xlsx', '15% / 25% / 60%', '单位 A / 单位 B']) {
      expect(inLanguage(one, 'zh')).toBe(one);
      expect(inLanguage(one, 'en')).toBe(one);
    }
  });
});
