import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { apiError } from '../test/mock-api.js';
import { renderPage } from '../test/render.js';
import { ImportButton } from './ImportButton.js';

// The generic XLSX import: a refused sheet lists every bad row in the shared ImportErrorsModal
// (the region boundaries card shows its refused features in the same dialog).

describe('ImportButton', () => {
  it('lists every bad row of a refused sheet, under the sheet headings', async () => {
    let done = 0;
    const page = await renderPage(
      <ImportButton url="/api/units/import" testId="units-import" onDone={() => done++} />,
      {
        api: {
          'POST /api/units/import': apiError(
            422,
            'import_rejected',
            { zh: '导入文件有 1 处错误', en: 'the file has 1 error' },
            { rows: [{ row: 3, column: '单位名称', reason: '必填 / required' }] },
          ),
        },
      },
    );
    const input = screen
      .getByTestId('units-import')
      .closest('.ant-upload')!
      .querySelector('input')!;
    await page.user.upload(input, new File(['x'], '单位.xlsx'));
    expect(await screen.findByTestId('import-errors')).toHaveTextContent(
      '共 1 处错误，未导入任何数据。请修改后重新导入。',
    );
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getByText('行')).toBeInTheDocument();
    expect(within(dialog).getByText('单位名称')).toBeInTheDocument();
    expect(within(dialog).getByText('必填 / required')).toBeInTheDocument();
    expect(done).toBe(0);
  });
});
