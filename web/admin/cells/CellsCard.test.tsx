import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TCellsDashboard } from '../../../core/contracts/honours.js';
import { renderPage } from '../../test/render.js';
import { CellsCard } from './CellsCard.js';

const zero = { national: 0, provincial: 0, city: 0, county: 0 };
const CELLS: TCellsDashboard = {
  year: 2026,
  byType: [
    { cellType: 'unit', total: 5, byLevel: { ...zero, national: 1, provincial: 1, city: 3 } },
    { cellType: 'village', total: 0, byLevel: zero },
    { cellType: 'campus', total: 2, byLevel: { ...zero, national: 1, city: 1 } },
    { cellType: 'community', total: 3, byLevel: { ...zero, city: 2, county: 1 } },
    { cellType: 'family', total: 4, byLevel: { ...zero, county: 4 } },
  ],
  held: 14,
  reviewsDue: {
    thisYear: 2,
    nextYear: 1,
    items: [
      {
        id: 1,
        holderName: '湖滨社区',
        title: '全国文明社区',
        cellType: 'community',
        level: 'national',
        status: 'listed',
        termEndsYear: 2026,
        regionName: '湖滨社区',
      },
    ],
  },
  atRisk: {
    rectifying: 1,
    suspended: 1,
    items: [
      {
        id: 2,
        holderName: '示范市人民医院',
        title: '市级文明单位',
        cellType: 'unit',
        level: 'city',
        status: 'rectifying',
        termEndsYear: 2026,
        regionName: '胜利社区',
      },
    ],
  },
};

describe('CellsCard: 文明细胞 on the dashboard', () => {
  it('shows the titles held by type and level, the reviews due and the titles at risk', async () => {
    await renderPage(<CellsCard data={CELLS} />);
    expect(screen.getByTestId('cells-held')).toHaveTextContent('14');
    expect(screen.getByTestId('cells-reviews-due')).toHaveTextContent('3');
    expect(screen.getByTestId('cells-at-risk')).toHaveTextContent('2');
    const family = within(screen.getByTestId('cells-by-type')).getByText('文明家庭').closest('tr')!;
    // 全国, 省级, 市级, 县级, 合计
    expect([...family.querySelectorAll('td')].slice(1).map((td) => td.textContent)).toEqual([
      '·',
      '·',
      '·',
      '4',
      '4',
    ]);
    expect(screen.getByText(/2026 年到期 2，2027 年到期 1/)).toBeInTheDocument();
    const risky = screen.getByTestId('cells-at-risk-list');
    expect(within(risky).getByText(/示范市人民医院/)).toBeInTheDocument();
    expect(within(risky).getByText('整改')).toBeInTheDocument();
    expect(
      within(screen.getByTestId('cells-reviews-list')).getByText(/2026 年到期/),
    ).toBeInTheDocument();
  });
});
