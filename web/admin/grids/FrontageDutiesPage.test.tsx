import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TFrontageDuty } from '../../../core/contracts/frontage.js';
import { permissionsOf } from '../../../core/permissions.js';
import { pickOption } from '../../test/antd.js';
import { page as pageOf } from '../../test/fixtures.js';
import { asUser, byId, renderPage } from '../../test/render.js';
import { FrontageDutiesPage } from './FrontageDutiesPage.js';

const DUTY: TFrontageDuty = {
  id: 5,
  code: 'MQ-0005',
  holderName: '湖滨面馆',
  holderType: 'shop',
  unitId: null,
  regionId: 3,
  regionName: '湖滨社区',
  address: '湖滨路 5 号',
  contactName: '王老板',
  contactPhone: '13900000005',
  duties: ['市容', '环境卫生', '秩序'],
  zone: {
    type: 'LineString',
    coordinates: [
      [120.15, 30.27],
      [120.151, 30.27],
    ],
  },
  bufferM: 10,
  agreementFileId: null,
  agreementSignedOn: '2026-03-01',
  plaqueStatus: 'none',
  active: true,
  version: 2,
  recentProblems: 0,
};

const placed = (role: 'office' | 'leader') =>
  asUser(role, {
    regionId: 2,
    regionName: '湖滨区',
    regionLevel: 'district',
    permissions: [...permissionsOf([role], true)],
  });

const render = (user = placed('office')) =>
  renderPage(<FrontageDutiesPage />, {
    user,
    api: {
      'GET /api/frontage-duties': pageOf([DUTY]),
      'GET /api/frontage-duties/:id/problems': [],
      'PATCH /api/frontage-duties/:id': { ...DUTY, plaqueStatus: 'installed', version: 3 },
    },
  });

describe('FrontageDutiesPage: 门前三包 by level', () => {
  it('a district office imports and edits the holders of its district', async () => {
    const page = await render();
    expect(await screen.findByTestId('frontage-import')).toBeInTheDocument();
    await page.user.click(await screen.findByText('湖滨面馆'));
    await pickOption(page.user, byId('frontage-plaque'), '已公示');
    await waitFor(() => expect(page.api.callsTo('PATCH /api/frontage-duties/:id')).toHaveLength(1));
    expect(page.api.lastBody('PATCH /api/frontage-duties/:id')).toEqual({
      plaqueStatus: 'installed',
      version: 2,
    });
  });

  it('a district leader reads them only', async () => {
    await render(placed('leader'));
    expect(await screen.findByText('湖滨面馆')).toBeInTheDocument();
    expect(screen.queryByTestId('frontage-import')).toBeNull();
  });
});
