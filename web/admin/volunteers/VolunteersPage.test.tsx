import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TPlace, TVolunteer } from '../../../core/contracts/volunteers.js';
import { formItem, modalButton } from '../../test/antd.js';
import type { MockRequest } from '../../test/mock-api.js';
import { renderPage } from '../../test/render.js';
import { VolunteersPage } from './VolunteersPage.js';

const volunteer = (over: Partial<TVolunteer> & Pick<TVolunteer, 'id' | 'name'>): TVolunteer => ({
  phone: '13800001234',
  idNumberMasked: null,
  realName: false,
  organisation: null,
  teamId: null,
  teamName: null,
  skills: [],
  regionId: null,
  regionName: null,
  status: 'active',
  userId: null,
  version: 1,
  totalMinutes: 0,
  ...over,
});

describe('VolunteersPage', () => {
  it('registers a volunteer (skills split at 、) and lists the registry again', async () => {
    let registered = false;
    const page = await renderPage(<VolunteersPage />, {
      api: {
        'GET /api/volunteer-teams': [],
        'GET /api/volunteers': () => ({
          items: [
            volunteer({ id: 1, name: '王芳' }),
            ...(registered ? [volunteer({ id: 2, name: '赵磊' })] : []),
          ],
          nextCursor: null,
          total: registered ? 2 : 1,
        }),
        'POST /api/volunteers': () => {
          registered = true;
          return volunteer({ id: 2, name: '赵磊' });
        },
      },
    });
    expect(await screen.findByText('王芳')).toBeInTheDocument();
    await page.user.click(screen.getByTestId('volunteer-add'));
    const dialog = await screen.findByRole('dialog');
    await page.user.type(within(formItem('姓名', dialog)).getByRole('textbox'), '赵磊');
    await page.user.type(within(formItem('手机号', dialog)).getByRole('textbox'), '13900002222');
    await page.user.type(within(formItem(/特长/, dialog)).getByRole('textbox'), '急救、摄影');
    await page.user.click(modalButton('保存'));
    expect(await screen.findByText('赵磊')).toBeInTheDocument();
    expect(page.api.lastBody('POST /api/volunteers')).toEqual({
      name: '赵磊',
      phone: '13900002222',
      skills: ['急救', '摄影'],
    });
    await waitFor(() => expect(page.api.callsTo('GET /api/volunteers')).toHaveLength(2));
  });

  it('opens a volunteer’s hour ledger', async () => {
    const wang = volunteer({ id: 1, name: '王芳', totalMinutes: 90 });
    const page = await renderPage(<VolunteersPage />, {
      api: {
        'GET /api/volunteer-teams': [],
        'GET /api/volunteers': { items: [wang], nextCursor: null, total: 1 },
        'GET /api/volunteers/:id/ledger': { volunteer: wang, entries: [], totalMinutes: 90 },
      },
    });
    await page.user.click(await screen.findByText('王芳'));
    expect(await screen.findByTestId('ledger-total')).toHaveTextContent('1.5');
    expect(page.api.callsTo('GET /api/volunteers/:id/ledger')[0]!.path).toBe(
      '/api/volunteers/1/ledger',
    );
  });

  it('文明实践阵地: a station opens on its month’s record', async () => {
    const station: TPlace = {
      id: 3,
      kind: 'station',
      name: '湖滨社区新时代文明实践站',
      regionId: null,
      regionName: null,
      unitId: null,
      address: null,
      lat: null,
      lng: null,
      openingHours: null,
      staff: ['陈红'],
      version: 1,
      activitiesThisMonth: 0,
    };
    const page = await renderPage(<VolunteersPage />, {
      api: {
        'GET /api/volunteer-teams': [],
        'GET /api/volunteers': { items: [], nextCursor: null, total: 0 },
        'GET /api/practice-places': [station],
        'GET /api/practice-places/:id/monthly': (req: MockRequest) => ({
          place: station,
          month: req.query.month,
          activities: [],
          totals: { activities: 0, attended: 0, minutes: 0 },
        }),
      },
    });
    await page.user.click(await screen.findByRole('tab', { name: '文明实践阵地' }));
    await page.user.click(await screen.findByText('湖滨社区新时代文明实践站'));
    await waitFor(() =>
      expect(page.api.callsTo('GET /api/practice-places/:id/monthly')).toHaveLength(1),
    );
    const asked = page.api.callsTo('GET /api/practice-places/:id/monthly')[0]!;
    expect(asked.path).toBe('/api/practice-places/3/monthly');
    expect(asked.query.month).toMatch(/^\d{4}-\d{2}$/);
  });
});
