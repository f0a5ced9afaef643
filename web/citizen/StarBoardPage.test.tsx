import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { currentStarYear, type TStarBoard } from '../../core/contracts/star-households.js';
import type { MockRequest } from '../test/mock-api.js';
import { renderPage } from '../test/render.js';
import { StarBoardPage } from './StarBoardPage.js';

// 星级文明户公示栏: a community's rated households of the year, from the public board routes.

const YEAR = currentStarYear();
const star = (code: string, name: string) => ({ code, name, nameEn: code });
const BOARDS: Record<string, TStarBoard> = {
  '3': {
    regionId: 3,
    regionName: '湖滨社区',
    year: YEAR,
    items: [
      {
        id: 11,
        household: '陈**户',
        building: '湖滨花园 3 幢 1 单元',
        gridName: '湖滨一网格',
        starCount: 10,
        stars: [star('patriotic', '爱国守法星'), star('filial', '孝老爱亲星')],
        tenStar: true,
      },
      {
        id: 12,
        household: '林**户',
        building: null,
        gridName: '湖滨一网格',
        starCount: 8,
        stars: [star('integrity', '诚实守信星')],
        tenStar: false,
      },
    ],
  },
  '4': { regionId: 4, regionName: '柳岸社区', year: YEAR, items: [] },
};

const render = () =>
  renderPage(<StarBoardPage />, {
    user: null,
    route: '/stars',
    width: 390,
    api: {
      'GET /api/public/star-board/communities': (req: MockRequest) => ({
        year: Number(req.query.year),
        items:
          Number(req.query.year) === YEAR
            ? [
                { regionId: 3, regionName: '湖滨社区', households: 2, tenStar: 1 },
                { regionId: 4, regionName: '柳岸社区', households: 0, tenStar: 0 },
              ]
            : [],
      }),
      'GET /api/public/star-board': (req: MockRequest) => BOARDS[req.query.regionId!]!,
    },
  });

describe('StarBoardPage', () => {
  it("shows the first community's households, most stars first, the ten-star one marked", async () => {
    const page = await render();
    const items = await screen.findAllByTestId('star-board-item');
    expect(items).toHaveLength(2);
    expect(within(items[0]!).getByText('陈**户')).toBeInTheDocument();
    expect(within(items[0]!).getByText(/十星级文明户/)).toBeInTheDocument();
    expect(within(items[0]!).getByText('孝老爱亲星')).toBeInTheDocument();
    // No building recorded for the public: the grid stands in for it.
    expect(within(items[1]!).getByText('湖滨一网格')).toBeInTheDocument();
    expect(screen.getByTestId('star-board-summary')).toHaveTextContent('2 户，其中十星级 1 户');
    expect(page.api.callsTo('GET /api/public/star-board')[0]!.query).toEqual({
      regionId: '3',
      year: String(YEAR),
    });
  });

  it('changes community and year', async () => {
    const page = await render();
    await screen.findAllByTestId('star-board-item');
    await page.user.selectOptions(screen.getByTestId('star-board-community'), '4');
    await waitFor(() => expect(screen.queryAllByTestId('star-board-item')).toHaveLength(0));
    expect(screen.getByTestId('star-board-summary')).toHaveTextContent('柳岸社区：0 户');
    await page.user.selectOptions(screen.getByTestId('star-board-year'), String(YEAR - 1));
    expect(await screen.findByText('本年度暂无公示')).toBeInTheDocument();
  });
});
