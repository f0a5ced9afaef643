import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TGoodPersonMonth, TNomination } from '../../../core/contracts/good-people.js';
import type { TSessionUser } from '../../../core/contracts/auth.js';
import { permissionsOf, type TRole } from '../../../core/permissions.js';
import { fill, modalButton, pickOption, pickTreeNode } from '../../test/antd.js';
import { page as pageOf } from '../../test/fixtures.js';
import { apiError } from '../../test/mock-api.js';
import { asUser, byId, renderPage } from '../../test/render.js';
import { GoodPeoplePage, monthBack } from './GoodPeoplePage.js';

const MONTH = monthBack(0);

const nomination = (over: Partial<TNomination>): TNomination => ({
  id: 1,
  month: MONTH,
  category: 'helping',
  nomineeName: '赵大姐',
  deeds: '二十年如一日照顾邻居家的孤寡老人，买菜做饭、陪同看病，从不求回报。',
  regionId: 3,
  regionName: '湖滨社区',
  photoId: null,
  source: 'citizen',
  nominatorLabel: '群众推荐',
  citizenName: '钱推荐',
  citizenPhone: '13912345678',
  status: 'submitted',
  reason: null,
  rank: null,
  voteCount: 0,
  steps: [],
  version: 3,
  createdAt: '2026-12-01T02:00:00.000Z',
  reviewedAt: null,
  ...over,
});

const monthOf = (over: Partial<TGoodPersonMonth> = {}): TGoodPersonMonth => ({
  month: MONTH,
  state: 'collecting',
  version: 0,
  votingOpenedAt: null,
  votingClosedAt: null,
  publishedAt: null,
  ...over,
});

const districtOffice = asUser('office', {
  regionId: 2,
  regionName: '湖滨区',
  regionLevel: 'district',
  permissions: [...permissionsOf(['office'], true)],
});

function render(items: TNomination[], m = monthOf(), user: TRole | TSessionUser = 'office') {
  return renderPage(<GoodPeoplePage />, {
    user,
    api: {
      'GET /api/good-people': pageOf(items),
      'GET /api/good-people/months/:month': m,
      'GET /api/good-people/:id': items[0]!,
      'POST /api/good-people/:id/status': items[0]!,
      'POST /api/good-people/months/:month/state': m,
      'POST /api/good-people': items[0]!,
    },
  });
}

describe('GoodPeoplePage (身边好人, the office)', () => {
  it('the city office reviews a month: shortlists, rejects with a reason, opens the vote', async () => {
    const page = await render([
      nomination({}),
      nomination({
        id: 2,
        nomineeName: '张师傅',
        source: 'unit',
        nominatorLabel: '供电公司',
        citizenName: null,
        citizenPhone: null,
        version: 1,
      }),
    ]);
    const list = await screen.findByTestId('gp-list');
    expect(await within(list).findByText('赵大姐')).toBeInTheDocument();
    expect(list).toHaveTextContent('群众推荐');
    expect(screen.getByTestId('gp-month-state')).toHaveTextContent('推荐评议中');
    expect(page.api.callsTo('GET /api/good-people')[0]!.query).toMatchObject({ month: MONTH });

    await page.user.click(screen.getByTestId('gp-shortlist-1'));
    await waitFor(() =>
      expect(page.api.callsTo('POST /api/good-people/:id/status')).toHaveLength(1),
    );
    expect(page.api.lastBody('POST /api/good-people/:id/status')).toEqual({
      status: 'shortlisted',
      version: 3,
    });

    await page.user.click(screen.getByTestId('gp-reject-2'));
    await fill(page.user, byId('gp-reason'), '事迹材料不足');
    await page.user.click(modalButton('确定'));
    await waitFor(() =>
      expect(page.api.callsTo('POST /api/good-people/:id/status')).toHaveLength(2),
    );
    expect(page.api.callsTo('POST /api/good-people/:id/status')[1]!.params).toEqual({ id: '2' });
    expect(page.api.lastBody('POST /api/good-people/:id/status')).toEqual({
      status: 'rejected',
      version: 1,
      reason: '事迹材料不足',
    });

    await page.user.click(screen.getByTestId('gp-open-vote'));
    await waitFor(() =>
      expect(page.api.lastBody('POST /api/good-people/months/:month/state')).toEqual({
        state: 'voting',
        version: 0,
      }),
    );

    // The detail shows a citizen nominator's contact to the office.
    await page.user.click(screen.getByTestId('gp-open-1'));
    expect(await screen.findByTestId('gp-detail')).toHaveTextContent('钱推荐 13912345678');
  });

  it('after the vote the city office picks the list with ranks and publishes it', async () => {
    const page = await render(
      [nomination({ status: 'shortlisted', voteCount: 57 })],
      monthOf({ state: 'closed', version: 2 }),
    );
    const list = await screen.findByTestId('gp-list');
    expect(await within(list).findByText('57')).toBeInTheDocument();
    expect(screen.queryByTestId('gp-shortlist-1')).toBeNull();
    expect(screen.queryByTestId('gp-nominate')).toBeNull();
    await page.user.click(screen.getByTestId('gp-honour-1'));
    await page.user.type(byId('gp-rank'), '1');
    await page.user.click(modalButton('确定'));
    await waitFor(() =>
      expect(page.api.lastBody('POST /api/good-people/:id/status')).toEqual({
        status: 'honoured',
        version: 3,
        rank: 1,
      }),
    );
    await page.user.click(screen.getByTestId('gp-publish'));
    await waitFor(() =>
      expect(page.api.lastBody('POST /api/good-people/months/:month/state')).toEqual({
        state: 'published',
        version: 2,
      }),
    );
  });

  it('shows the server’s refusal when the vote cannot open', async () => {
    const page = await renderPage(<GoodPeoplePage />, {
      api: {
        'GET /api/good-people': pageOf([nomination({})]),
        'GET /api/good-people/months/:month': monthOf(),
        'POST /api/good-people/months/:month/state': apiError(409, 'empty_shortlist', {
          zh: `${MONTH} 还没有入围人选，不能开启投票`,
          en: 'nobody is shortlisted',
        }),
      },
    });
    await page.user.click(await screen.findByTestId('gp-open-vote'));
    expect(await screen.findByText(`${MONTH} 还没有入围人选，不能开启投票`)).toBeInTheDocument();
  });

  it('a district office reviews but leaves the vote and the list to the city', async () => {
    await render([nomination({})], monthOf(), districtOffice);
    await screen.findByText('赵大姐');
    expect(screen.getByTestId('gp-shortlist-1')).toBeInTheDocument();
    expect(screen.getByTestId('gp-reject-1')).toBeInTheDocument();
    expect(screen.queryByTestId('gp-open-vote')).toBeNull();
  });

  it('after the vote a district office has nothing to pick', async () => {
    await render(
      [nomination({ status: 'shortlisted' })],
      monthOf({ state: 'closed', version: 2 }),
      districtOffice,
    );
    await screen.findByText('赵大姐');
    expect(screen.queryByTestId('gp-honour-1')).toBeNull();
    expect(screen.queryByTestId('gp-publish')).toBeNull();
  });

  it('a unit nominates; it reviews nothing', async () => {
    const own = nomination({
      source: 'unit',
      nominatorLabel: '市城市管理综合执法局',
      citizenName: null,
      citizenPhone: null,
    });
    const page = await render([own], monthOf(), 'unit');
    await screen.findByText('赵大姐');
    expect(screen.queryByTestId('gp-shortlist-1')).toBeNull();
    expect(screen.queryByTestId('gp-reject-1')).toBeNull();
    await page.user.click(screen.getByTestId('gp-nominate'));
    await pickOption(page.user, byId('gp-form-category'), '孝老爱亲');
    await fill(page.user, byId('gp-form-name'), '陈阿婆');
    await pickTreeNode(page.user, byId('gp-form-region'), '湖滨社区');
    await fill(
      page.user,
      byId('gp-form-deeds'),
      '三十年照顾瘫痪在床的婆婆，无怨无悔，被邻里称为孝老模范。',
    );
    await page.user.click(modalButton('确定'));
    await waitFor(() => expect(page.api.callsTo('POST /api/good-people')).toHaveLength(1));
    expect(page.api.lastBody('POST /api/good-people')).toEqual({
      category: 'filial',
      nomineeName: '陈阿婆',
      regionId: 3,
      deeds: '三十年照顾瘫痪在床的婆婆，无怨无悔，被邻里称为孝老模范。',
      month: MONTH,
      photoId: null,
    });
  });
});
