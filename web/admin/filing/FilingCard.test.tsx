import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TFilingCompleteness } from '../../../core/contracts/filing.js';
import { campaign, framework } from '../../test/fixtures.js';
import { renderPage } from '../../test/render.js';
import { FilingCard } from './FilingCard.js';

const counts = (complete: number, standards: number) => ({
  standards,
  complete,
  missingFiles: standards - complete,
  missingStatement: 1,
  filed: complete * 2,
  outsideWindow: 2,
  unapproved: 1,
  bytes: 4096,
});

const completeness: TFilingCompleteness = {
  frameworkId: 3,
  year: 2026,
  edition: '2021',
  window: { testDate: '2026-10-01', from: '2025-09-01', to: '2026-08-31', assumed: false },
  total: counts(3, 5),
  items: [
    { ...counts(2, 2), key: 'I-1', code: 'I1', text: '公共秩序' },
    { ...counts(1, 3), key: 'I-2', code: 'I2', text: '公共环境' },
  ],
  units: [
    { ...counts(0, 2), unitId: 8, name: '市卫健委' },
    { ...counts(3, 3), unitId: 7, name: '市城管局' },
  ],
  standards: [],
  editions: [{ edition: '2021', zh: '2021 年版', en: '2021 edition' }],
};

describe('FilingCard (the dashboard’s 网上申报)', () => {
  it("counts the city framework's material standards, per item and the least complete units first", async () => {
    const page = await renderPage(<FilingCard />, {
      user: 'office',
      api: {
        'GET /api/campaigns': {
          items: [campaign({ frameworks: [framework({ id: 3, currentVersionId: 9 })] })],
        },
        'GET /api/filing/:year/completeness': completeness,
      },
    });
    expect(await screen.findByTestId('filing-complete')).toHaveTextContent('3 / 5');
    // The city's campaigns only: a 文明细胞 framework is not filed.
    expect(page.api.callsTo('GET /api/campaigns')[0]!.query).toEqual({ kind: 'city' });
    const call = page.api.callsTo('GET /api/filing/:year/completeness')[0]!;
    expect(call.query.frameworkId).toBe('3');
    const items = within(screen.getByTestId('filing-by-item')).getAllByRole('row');
    expect(items.map((r) => r.textContent)).toEqual([
      '测评项目齐全',
      'I1 公共秩序2 / 2',
      'I2 公共环境1 / 3',
    ]);
    const units = within(screen.getByTestId('filing-by-unit')).getAllByRole('row');
    expect(units[1]).toHaveTextContent('市卫健委0 / 2');
  });

  it('shows nothing when the city has no framework in force', async () => {
    const page = await renderPage(<FilingCard />, {
      user: 'office',
      api: { 'GET /api/campaigns': { items: [campaign({ frameworks: [] })] } },
    });
    // Shown while the campaigns load; gone once they say no framework is in force.
    await waitFor(() => expect(screen.queryByTestId('filing-card')).toBeNull());
    expect(page.api.callsTo('GET /api/campaigns')).toHaveLength(1);
    expect(page.api.callsTo('GET /api/filing/:year/completeness')).toHaveLength(0);
  });
});
