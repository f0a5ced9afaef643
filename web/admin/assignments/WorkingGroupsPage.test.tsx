import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TWorkingGroup } from '../../../core/contracts/groups.js';
import { campaign } from '../../test/fixtures.js';
import { reply } from '../../test/mock-api.js';
import { renderPage } from '../../test/render.js';
import { WorkingGroupsPage } from './WorkingGroupsPage.js';

const group = (id: number, name: string): TWorkingGroup => ({
  id,
  campaignId: 1,
  name,
  leaderUserId: null,
  leaderName: null,
  units: [{ id: 7, name: '市城市管理综合执法局' }],
  standards: [],
  version: 3,
});

describe('WorkingGroupsPage', () => {
  it('lists the first campaign’s groups; deleting one sends its version and lists them again', async () => {
    let deleted = false;
    const page = await renderPage(<WorkingGroupsPage />, {
      api: {
        'GET /api/campaigns': { items: [campaign()] },
        'GET /api/framework-versions/:id/tree': {
          framework: { id: 1, name: '全国文明城市测评体系（地级市）' },
          items: [],
          negativeItems: [],
        },
        'GET /api/working-groups': () => ({
          items: deleted
            ? [group(2, '市容秩序组')]
            : [group(1, '窗口服务组'), group(2, '市容秩序组')],
        }),
        'DELETE /api/working-groups/:id': () => {
          deleted = true;
          return reply(204);
        },
      },
    });
    const table = await screen.findByTestId('group-table');
    expect(await within(table).findByText('窗口服务组')).toBeInTheDocument();
    expect(page.api.callsTo('GET /api/working-groups')[0]!.query).toEqual({ campaignId: '1' });
    expect(page.api.callsTo('GET /api/framework-versions/:id/tree')[0]!.path).toBe(
      '/api/framework-versions/1/tree',
    );
    const row = within(table).getByText('窗口服务组').closest('tr')!;
    await page.user.click(within(row).getByRole('button', { name: /删\s?除/ }));
    await page.user.click(await screen.findByRole('button', { name: /确\s?定/ }));
    await waitFor(() => expect(within(table).queryByText('窗口服务组')).not.toBeInTheDocument());
    const sent = page.api.callsTo('DELETE /api/working-groups/:id')[0]!;
    expect(sent.path).toBe('/api/working-groups/1');
    expect(sent.query).toEqual({ version: '3' });
  });
});
