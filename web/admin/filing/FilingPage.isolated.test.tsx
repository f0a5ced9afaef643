import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TFilingCompleteness, TFilingStandard } from '../../../core/contracts/filing.js';
import { campaign, framework } from '../../test/fixtures.js';
import { renderPage } from '../../test/render.js';
import { FilingPage, formatBytes } from './FilingPage.js';

// Changes global state: window.showSaveFilePicker (the in-page download path).

const std = (over: Partial<TFilingStandard>): TFilingStandard => ({
  key: 'S-1',
  code: '1.1.1',
  text: '公共场所禁烟标识规范',
  itemKey: 'I-1',
  itemCode: 'I1',
  itemText: '公共秩序',
  leadUnits: [{ id: 7, name: '市城管局' }],
  state: 'approved',
  folder: '1.1.1 公共场所禁烟标识规范',
  filed: 2,
  outsideWindow: 0,
  unapproved: 0,
  hasStatement: true,
  missingFiles: false,
  complete: true,
  bytes: 2048,
  ...over,
});

const counts = {
  standards: 2,
  complete: 1,
  missingFiles: 1,
  missingStatement: 1,
  filed: 2,
  outsideWindow: 1,
  unapproved: 0,
  bytes: 2048,
};

const completeness: TFilingCompleteness = {
  frameworkId: 3,
  year: 2026,
  edition: '2021',
  window: { testDate: '2026-10-01', from: '2025-09-01', to: '2026-08-31', assumed: false },
  total: counts,
  items: [{ ...counts, key: 'I-1', code: 'I1', text: '公共秩序' }],
  units: [
    { ...counts, unitId: 7, name: '市城管局', standards: 1, missingFiles: 0 },
    { ...counts, unitId: 8, name: '市卫健委', standards: 1, complete: 0 },
  ],
  standards: [
    std({}),
    std({
      key: 'S-2',
      code: '1.1.2',
      text: '控烟巡查台账',
      leadUnits: [{ id: 8, name: '市卫健委' }],
      state: 'draft',
      filed: 0,
      outsideWindow: 1,
      hasStatement: false,
      missingFiles: true,
      complete: false,
      bytes: 0,
    }),
  ],
  editions: [{ edition: '2021', zh: '2021 年版', en: '2021 edition' }],
};

const CAMPAIGNS = {
  items: [campaign({ frameworks: [framework({ id: 3, currentVersionId: 9 })] })],
};

afterEach(() => {
  delete (window as unknown as { showSaveFilePicker?: unknown }).showSaveFilePicker;
});

describe('FilingPage', () => {
  it('shows the window, the counts and filters the standards', async () => {
    const page = await renderPage(<FilingPage />, {
      user: 'office',
      api: {
        'GET /api/campaigns': CAMPAIGNS,
        'GET /api/filing/:year/completeness': completeness,
      },
    });
    const table = await screen.findByTestId('filing-standards');
    expect(within(table).getByText('公共场所禁烟标识规范')).toBeInTheDocument();
    expect(within(table).getByText('控烟巡查台账')).toBeInTheDocument();
    const call = page.api.callsTo('GET /api/filing/:year/completeness')[0]!;
    expect(call.query).toEqual({ frameworkId: '3' });
    expect(call.params.year).toBe(String(new Date().getFullYear()));
    expect(screen.getByTestId('filing-window')).toHaveTextContent('2025-09-01 至 2026-08-31');
    // Only the standards without their files.
    await page.user.click(within(screen.getByTestId('filing-show')).getByText('全部'));
    await page.user.click(await screen.findByTitle('缺材料'));
    await waitFor(() =>
      expect(within(table).queryByText('公共场所禁烟标识规范')).not.toBeInTheDocument(),
    );
    expect(within(table).getByText('控烟巡查台账')).toBeInTheDocument();
    // Per lead unit.
    await page.user.click(screen.getByText('按牵头单位'));
    const units = await screen.findByTestId('filing-units');
    expect(within(units).getByText('市卫健委')).toBeInTheDocument();
  });

  it('downloads the package into the file the user picks, counting the bytes', async () => {
    const written: Uint8Array[] = [];
    const picker = vi.fn(() =>
      Promise.resolve({
        createWritable: () =>
          Promise.resolve({
            write: (b: Uint8Array) => {
              written.push(b);
              return Promise.resolve();
            },
            close: () => Promise.resolve(),
          }),
      }),
    );
    (window as unknown as { showSaveFilePicker: unknown }).showSaveFilePicker = picker;
    const body = 'P'.repeat(5000);
    const page = await renderPage(<FilingPage />, {
      user: 'office',
      api: {
        'GET /api/campaigns': CAMPAIGNS,
        'GET /api/filing/:year/completeness': completeness,
        'GET /api/filing/:year/package.zip': body,
      },
    });
    await screen.findByTestId('filing-standards');
    await page.user.click(screen.getByTestId('filing-export'));
    // What was written, as people read it (5 002 bytes: the body as JSON).
    expect(await screen.findByText('申报材料包已保存（4.9 KB）')).toBeInTheDocument();
    const year = new Date().getFullYear();
    expect(picker).toHaveBeenCalledWith({ suggestedName: `${year}年网上申报材料.zip` });
    const zip = page.api.callsTo('GET /api/filing/:year/package.zip')[0]!;
    expect(zip.path).toBe(`/api/filing/${year}/package.zip`);
    expect(zip.query).toEqual({ frameworkId: '3' });
    expect(written.reduce((n, b) => n + b.length, 0)).toBe(JSON.stringify(body).length);
  });

  it('formats sizes as people read them', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(2048)).toBe('2.0 KB');
    expect(formatBytes(2 * 1024 ** 3)).toBe('2.0 GB');
  });
});
