import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TBulletinSummary } from '../../../core/contracts/rankings.js';
import { permissionsOf } from '../../../core/permissions.js';
import { snapshot } from '../../test/fixtures.js';
import { asUser, renderPage } from '../../test/render.js';
import { BulletinsPage } from './BulletinsPage.js';

const districtOffice = asUser('office', {
  regionId: 5,
  regionName: '东湖区',
  regionLevel: 'district',
  permissions: [...permissionsOf(['office'], true)],
});

const summary = (over: Partial<TBulletinSummary>): TBulletinSummary => ({
  id: 1,
  snapshotId: 9,
  ownerRegionId: 5,
  ownerName: '东湖区',
  period: '2026-10',
  title: '东湖区创建文明城市工作月度通报（2026年10月）',
  issueNo: 1,
  state: 'published',
  createdAt: '2026-11-02T02:00:00.000Z',
  createdByName: '赵主任',
  publishedAt: '2026-11-03T02:00:00.000Z',
  ...over,
});

describe('BulletinsPage by level (#20)', () => {
  it('lets a district office issue its own bulletins from its own rankings', async () => {
    const page = await renderPage(<BulletinsPage />, {
      user: districtOffice,
      api: {
        'GET /api/bulletins': { items: [summary({})] },
        'GET /api/rankings/snapshots': {
          items: [snapshot({ id: 9, ownerRegionId: 5, ownerName: '东湖区', period: '2026-10' })],
        },
      },
    });
    const list = await screen.findByTestId('bulletin-list');
    expect(list).toHaveTextContent('第 1 期');
    expect(list).toHaveTextContent('东湖区创建文明城市工作月度通报（2026年10月）');
    expect(screen.getByTestId('bulletins-title')).toHaveTextContent('通报 · 东湖区');
    expect(await screen.findByTestId('bulletin-snapshot')).toHaveTextContent('东湖区 · 2026-10');
    expect(screen.getByTestId('bulletin-generate')).toBeEnabled();
    expect(screen.queryByTestId('level-filter')).toBeNull();
    // Its own level's, unfiltered: the server answers with what the level sees.
    expect(page.api.callsTo('GET /api/bulletins').map((c) => c.query)).toEqual([{}]);
  });

  it('shows the city office its own bulletins first, with a level to pick', async () => {
    const page = await renderPage(<BulletinsPage />, {
      api: {
        'GET /api/bulletins': {
          items: [summary({ ownerRegionId: null, ownerName: null, title: '市通报' })],
        },
        'GET /api/rankings/snapshots': { items: [snapshot()] },
      },
    });
    expect(await screen.findByTestId('bulletin-list')).toHaveTextContent('全市');
    expect(screen.getByTestId('level-filter')).toBeInTheDocument();
    expect(page.api.callsTo('GET /api/bulletins')[0]!.query).toEqual({ ownerRegionId: 'city' });
  });
});
