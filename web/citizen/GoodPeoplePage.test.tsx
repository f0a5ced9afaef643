import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type {
  TPublicBoard,
  TPublicGoodPerson,
  TPublicVoting,
} from '../../core/contracts/good-people.js';
import { apiError, reply, type Routes } from '../test/mock-api.js';
import { renderPage } from '../test/render.js';
import { GoodPeoplePage } from './GoodPeoplePage.js';

// 身边好人 for the public: the published 好人榜, the open vote (one vote a person a day, the
// server's refusal shown as it says), and the nomination form (the nominator's contact is sent
// to the office only).

const person = (over: Partial<TPublicGoodPerson>): TPublicGoodPerson => ({
  id: 1,
  month: '2026-11',
  category: 'bravery',
  nomineeName: '王勇',
  deeds: '在湖边看到落水儿童，毫不犹豫跳入冰冷的湖水，将孩子救上岸后悄然离开。',
  regionName: '湖滨社区',
  rank: 1,
  voteCount: 120,
  photoUrl: null,
  thumbUrl: null,
  steps: [],
  ...over,
});

const BOARD: TPublicBoard = {
  month: '2026-11',
  months: ['2026-11', '2026-10'],
  honoured: [
    person({ steps: [{ level: 'provincial', stage: 'recommended', on: '2026-12-01' }] }),
    person({
      id: 2,
      rank: 2,
      nomineeName: '赵大姐',
      category: 'filial',
      deeds: '照顾孤寡老人二十年',
    }),
  ],
};

const VOTING: TPublicVoting = {
  month: '2026-12',
  candidates: [
    person({ id: 7, rank: null, month: '2026-12', nomineeName: '张师傅', voteCount: 3 }),
  ],
};

async function render(api: Routes = {}) {
  const page = await renderPage(<GoodPeoplePage />, {
    user: null,
    route: '/good-people',
    width: 390,
    api: {
      'GET /api/public/good-people/board': BOARD,
      'GET /api/public/good-people/voting': VOTING,
      'GET /api/public/good-people/setup': {
        month: '2026-12',
        nominationsOpen: true,
        regions: [
          { id: 2, name: '湖滨区', level: 'district' },
          { id: 3, name: '湖滨社区', level: 'community' },
        ],
      },
      ...api,
    },
  });
  await screen.findByTestId('good-people');
  return page;
}

describe('GoodPeoplePage (public)', () => {
  it('shows the month’s 好人榜 by rank, with category, deeds and the path upward', async () => {
    const page = await render();
    const people = await screen.findAllByTestId('gp-person');
    expect(people).toHaveLength(2);
    expect(people[0]).toHaveTextContent('1王勇');
    expect(people[0]).toHaveTextContent('见义勇为');
    expect(people[0]).toHaveTextContent('落水儿童');
    expect(people[0]).toHaveTextContent('省级好人榜 · 推荐上报');
    expect(people[1]).toHaveTextContent('孝老爱亲');
    // An earlier month, on request.
    await page.user.selectOptions(screen.getByTestId('gp-board-month'), '2026-10');
    await waitFor(() =>
      expect(page.api.callsTo('GET /api/public/good-people/board').at(-1)!.query).toEqual({
        month: '2026-10',
      }),
    );
  });

  it('votes once for a candidate, and shows the server’s refusal of a second vote', async () => {
    let votes = 0;
    const page = await render({
      'POST /api/public/good-people/:id/votes': () =>
        ++votes === 1
          ? { voteCount: 4 }
          : apiError(409, 'already_voted', {
              zh: '今天已为“张师傅”投过票，请明天再来',
              en: 'you have already voted for 张师傅 today; come back tomorrow',
            }),
    });
    await page.user.click(screen.getByTestId('gp-tab-vote'));
    const card = (await screen.findAllByTestId('gp-person'))[0]!;
    expect(within(card).getByTestId('gp-votes')).toHaveTextContent('3 票');
    await page.user.click(screen.getByTestId('gp-vote-7'));
    await waitFor(() => expect(within(card).getByTestId('gp-votes')).toHaveTextContent('4 票'));
    const body = page.api.lastBody('POST /api/public/good-people/:id/votes') as {
      deviceId: string;
    };
    expect(body.deviceId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    await page.user.click(screen.getByTestId('gp-vote-7'));
    expect(await within(card).findByText('今天已为“张师傅”投过票，请明天再来')).toBeInTheDocument();
    // The same device id both times: the server counts one vote a device a day.
    const sent = page.api.callsTo('POST /api/public/good-people/:id/votes').map((c) => c.body);
    expect(sent).toEqual([body, body]);
  });

  it('says so when no vote is open', async () => {
    const page = await render({
      'GET /api/public/good-people/voting': { month: null, candidates: [] },
    });
    await page.user.click(screen.getByTestId('gp-tab-vote'));
    expect(await screen.findByTestId('gp-no-vote')).toHaveTextContent('目前没有进行中的投票');
  });

  it('sends a nomination with the nominator’s contact for the office', async () => {
    const page = await render({
      'POST /api/public/good-people/nominations': reply(201, {
        month: '2026-12',
        receivedAt: '2026-12-07T02:00:00.000Z',
      }),
    });
    await page.user.click(screen.getByTestId('gp-tab-nominate'));
    await page.user.selectOptions(await screen.findByTestId('gp-category'), 'helping');
    await page.user.type(screen.getByTestId('gp-name'), '陈阿婆');
    await page.user.selectOptions(screen.getByTestId('gp-region'), '3');
    await page.user.type(
      screen.getByTestId('gp-deeds'),
      '三十年照顾瘫痪在床的婆婆，无怨无悔，被邻里称为孝老模范。',
    );
    await page.user.type(screen.getByTestId('gp-nominator'), '钱推荐');
    await page.user.type(screen.getByTestId('gp-phone'), '13912345678');
    await page.user.click(screen.getByTestId('gp-submit'));
    expect(await screen.findByTestId('gp-nominated')).toBeInTheDocument();
    const form = page.api.lastBody('POST /api/public/good-people/nominations') as FormData;
    expect(Object.fromEntries([...form.entries()].filter(([k]) => k !== 'deviceId'))).toEqual({
      category: 'helping',
      nomineeName: '陈阿婆',
      regionId: '3',
      deeds: '三十年照顾瘫痪在床的婆婆，无怨无悔，被邻里称为孝老模范。',
      nominatorName: '钱推荐',
      nominatorPhone: '13912345678',
      website: '',
    });
  });

  it('tells people when this month’s nominations have closed', async () => {
    const page = await render({
      'GET /api/public/good-people/setup': {
        month: '2026-12',
        nominationsOpen: false,
        regions: [],
      },
    });
    await page.user.click(screen.getByTestId('gp-tab-nominate'));
    expect(await screen.findByTestId('gp-closed')).toHaveTextContent('2026-12 的推荐已截止');
  });
});
