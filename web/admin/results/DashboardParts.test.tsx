import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TDashboardKpis } from '../../../core/contracts/dashboards.js';
import { renderPage } from '../../test/render.js';
import { KpiCards } from './DashboardParts.js';

const KPIS: TDashboardKpis = {
  scope: {
    level: 'city',
    regionId: 1,
    regionName: '示范市',
    unitId: null,
    unitName: null,
    path: [{ id: 1, name: '示范市', level: 'city' }],
  },
  open: 12,
  overdue: 2,
  red: 1,
  yellow: 1,
  blue: 1,
  handDownOverdue: 3,
  monthStart: '2026-11-30T16:00:00.000Z',
  registeredThisMonth: 4,
  closedThisMonth: 1,
  recurrenceThisMonth: 0,
  recurrenceRate: 0,
  cohort: {
    from: '2026-11-06T00:00:00.000Z',
    to: '2026-12-06T00:00:00.000Z',
    due: 10,
    deferred: 0,
    closed: 8,
    closedOnTime: 7,
    reworked: 1,
    extended: 0,
    closeRate: 0.8,
    onTimeCloseRate: 0.7,
    reworkRate: 0.1,
    extensionRate: 0,
    avgHandlingHours: 20,
  },
};

describe('KpiCards', () => {
  it('shows 交办逾期 on a level’s dashboard, in red when any', async () => {
    await renderPage(<KpiCards k={KPIS} handDown />);
    const card = screen.getByTestId('kpi-hand-overdue');
    expect(card).toHaveTextContent('交办逾期');
    expect(card).toHaveTextContent('3');
  });

  it('leaves it off a unit’s dashboard', async () => {
    await renderPage(<KpiCards k={KPIS} />);
    expect(screen.getByTestId('kpi-open')).toHaveTextContent('12');
    expect(screen.queryByTestId('kpi-hand-overdue')).toBeNull();
  });
});
