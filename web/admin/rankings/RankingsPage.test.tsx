import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RANKING_CONFIG, type TSnapshot } from '../../../core/contracts/rankings.js';
import { permissionsOf } from '../../../core/permissions.js';
import { pickOption } from '../../test/antd.js';
import { rankingRow, region, snapshot } from '../../test/fixtures.js';
import type { MockRequest } from '../../test/mock-api.js';
import { asUser, renderPage } from '../../test/render.js';
import { RankingsPage } from './RankingsPage.js';

/** 东湖区创建办: an office held at a district. */
const districtOffice = asUser('office', {
  regionId: 5,
  regionName: '东湖区',
  regionLevel: 'district',
  permissions: [...permissionsOf(['office'], true)],
});

/** 东湖区's own ranking of October: its streets (no district class, no departments ranked). */
const districtSnapshot = (): TSnapshot => {
  const s = snapshot({ id: 9, ownerRegionId: 5, ownerName: '东湖区', period: '2026-10' });
  return {
    ...s,
    classes: s.classes.map((c) => ({
      ...c,
      rows:
        c.key === 'street'
          ? [
              rankingRow({ unitId: 31, unitName: '湖滨街道办事处', rank: 1, flag: 'red' }),
              rankingRow({ unitId: 32, unitName: '东湖街道办事处', rank: 2, flag: 'black' }),
            ]
          : [],
    })),
  };
};

const render = (s: TSnapshot) =>
  renderPage(<RankingsPage />, {
    api: {
      'GET /api/rankings/snapshots': { items: [s] },
      'GET /api/rankings/snapshots/:id': s,
      'GET /api/rankings/rules': { rules: DEFAULT_RANKING_CONFIG, version: 0, updatedAt: null },
      'GET /api/rankings/consequences': { items: [] },
    },
  });

describe('RankingsPage', () => {
  it('dates the snapshot by the Shanghai day (07:00 on the 6th is the 5th in UTC)', async () => {
    await render(
      snapshot({
        createdAt: '2026-12-05T23:00:00.000Z',
        state: 'published',
        publishedAt: '2026-12-06T16:30:00.000Z',
      }),
    );
    const line = await screen.findByText(/^计算：/);
    expect(line).toHaveTextContent('计算：王创建，2026-12-06；发布：2026-12-07；');
    expect(line.textContent).not.toContain('2026-12-05');
  });

  it('shows the flags of the ranked units and the small samples', async () => {
    const s = snapshot();
    await render({
      ...s,
      classes: s.classes.map((c) =>
        c.key === 'department'
          ? {
              ...c,
              rows: [
                rankingRow({ unitId: 7, unitName: '市城市管理综合执法局', flag: 'red' }),
                rankingRow({ unitId: 8, unitName: '市住房和城乡建设局', rank: 2, flag: 'black' }),
                rankingRow({
                  unitId: 9,
                  unitName: '市市场监督管理局',
                  rank: null,
                  score: null,
                  sample: 2,
                  excluded: 'small_sample',
                }),
              ],
            }
          : c,
      ),
    });
    expect(await screen.findByTestId('flag-red')).toHaveTextContent('流动红旗');
    expect(screen.getByTestId('flag-black')).toHaveTextContent('黑牌');
    expect(screen.getByText('样本不足，不参与排名')).toBeInTheDocument();
  });
});

describe('RankingsPage by level (#20)', () => {
  it("shows a district office its own level's ranking, its streets, and no rules to edit", async () => {
    const s = districtSnapshot();
    const page = await renderPage(<RankingsPage />, {
      user: districtOffice,
      api: {
        'GET /api/rankings/snapshots': { items: [s] },
        'GET /api/rankings/snapshots/:id': s,
        'GET /api/rankings/rules': { rules: DEFAULT_RANKING_CONFIG, version: 0, updatedAt: null },
        'GET /api/rankings/consequences': { items: [] },
      },
    });
    expect(await screen.findByTestId('ranking-table-street')).toHaveTextContent('湖滨街道办事处');
    expect(screen.getByTestId('rankings-title')).toHaveTextContent('单位排名 · 东湖区');
    // Only the classes its ranking has: no 区县排名, no empty departments tab.
    const tabs = screen.getAllByRole('tab').map((x) => x.textContent);
    expect(tabs).toEqual(['街道/乡镇 (2)']);
    expect(screen.getByTestId('snapshot-select')).toHaveTextContent('东湖区 · 2026-10 · v1');
    // It computes its own; the rules are the city's; there is no level to pick.
    expect(screen.getByTestId('snapshot-compute')).toBeInTheDocument();
    expect(screen.queryByTestId('rules-edit')).toBeNull();
    expect(screen.queryByTestId('level-filter')).toBeNull();
    const lists = page.api.callsTo('GET /api/rankings/snapshots');
    expect(lists.map((c: MockRequest) => c.query)).toEqual([{}]);
  });

  it('lets the city office look at a district’s ranking, and names its 区县排名', async () => {
    const cityOwn = snapshot({ id: 1 });
    const withDistricts: TSnapshot = {
      ...cityOwn,
      classes: cityOwn.classes.map((c) =>
        c.key === 'district'
          ? {
              ...c,
              rows: [
                rankingRow({ unitId: 21, unitName: '东湖区人民政府', rank: 1, flag: 'red' }),
                rankingRow({ unitId: 22, unitName: '西城区人民政府', rank: 2, flag: 'black' }),
              ],
            }
          : c,
      ),
    };
    const district = districtSnapshot();
    const page = await renderPage(<RankingsPage />, {
      api: {
        'GET /api/regions': {
          items: [region({ id: 5, name: '东湖区', level: 'district', parentId: 1 })],
        },
        'GET /api/rankings/snapshots': (req: MockRequest) => ({
          items: req.query.ownerRegionId === '5' ? [district] : [withDistricts],
        }),
        'GET /api/rankings/snapshots/:id': (req: MockRequest) =>
          req.path.endsWith('/9') ? district : withDistricts,
        'GET /api/rankings/rules': { rules: DEFAULT_RANKING_CONFIG, version: 0, updatedAt: null },
        'GET /api/rankings/consequences': { items: [] },
      },
    });
    // 区县 (district governments, a class of their own) is the city's 区县排名.
    expect(await screen.findByRole('tab', { name: '区县排名 (2)' })).toBeInTheDocument();
    expect(screen.getByTestId('ranking-table-district')).toHaveTextContent('西城区人民政府');
    expect(screen.getByTestId('rules-edit')).toBeInTheDocument();
    expect(page.api.callsTo('GET /api/rankings/snapshots')[0]!.query).toEqual({
      ownerRegionId: 'city',
    });
    await pickOption(page.user, screen.getByTestId('level-filter'), '东湖区');
    await waitFor(() =>
      expect(screen.getByTestId('snapshot-select')).toHaveTextContent('东湖区 · 2026-10'),
    );
    expect(page.api.callsTo('GET /api/rankings/snapshots').at(-1)!.query).toEqual({
      ownerRegionId: '5',
    });
    expect(
      within(await screen.findByTestId('ranking-table-street')).getByText('湖滨街道办事处'),
    ).toBeInTheDocument();
    // A district's ranking is its own to compute: the city office reads it.
    expect(screen.queryByTestId('snapshot-compute')).toBeNull();
  });
});
