import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RANKING_CONFIG, type TSnapshot } from '../../../../core/contracts/rankings.js';
import { rankingRow, snapshot } from '../../../test/fixtures.js';
import { renderPage } from '../../../test/render.js';
import { RankingsPage } from './RankingsPage.js';

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
