import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TActivity } from '../../../core/contracts/volunteers.js';
import { byId, renderPage } from '../../test/render.js';
import { VolunteerActivityDetailPage } from './VolunteerActivityDetailPage.js';

const activity = (over: Partial<TActivity> = {}): TActivity => ({
  id: 9,
  title: '湖滨社区垃圾分类宣传',
  description: null,
  startsAt: '2026-12-08T01:00:00.000Z',
  endsAt: '2026-12-08T03:00:00.000Z',
  placeId: null,
  placeName: null,
  address: null,
  lat: null,
  lng: null,
  regionId: null,
  capacity: 20,
  signedUp: 3,
  checkedIn: 0,
  organiserUnitId: null,
  organiserUnitName: null,
  organiserTeamId: null,
  organiserTeamName: null,
  status: 'published',
  version: 4,
  mine: null,
  photoIds: [],
  ...over,
});

describe('VolunteerActivityDetailPage', () => {
  it('shows the check-in code to the office, and cancelling sends the version it saw', async () => {
    let cancelled = false;
    const afterCancel = activity({ status: 'cancelled', version: 5 });
    const page = await renderPage(<VolunteerActivityDetailPage />, {
      path: '/volunteer-activities/:id',
      route: '/volunteer-activities/9',
      api: {
        'GET /api/volunteer-activities/:id': () => (cancelled ? afterCancel : activity()),
        'GET /api/volunteer-activities/:id/attendees': [],
        'GET /api/volunteer-activities/:id/checkin-token': {
          token: 't',
          shortCode: '123456',
          url: '/m/checkin?t=t',
          expiresAt: '2026-12-08T01:05:00.000Z',
          refreshInS: 60,
        },
        'POST /api/volunteer-activities/:id/cancel': () => {
          cancelled = true;
          return afterCancel;
        },
      },
    });
    expect(await screen.findByText('湖滨社区垃圾分类宣传')).toBeInTheDocument();
    expect(await screen.findByText('123456')).toBeInTheDocument();
    expect(page.api.callsTo('GET /api/volunteer-activities/:id/checkin-token')[0]!.path).toBe(
      '/api/volunteer-activities/9/checkin-token',
    );
    await page.user.click(screen.getByTestId('activity-cancel'));
    await page.user.click(await waitFor(() => byId('activity-cancel-ok')));
    expect(await screen.findByTestId('activity-cancelled')).toBeInTheDocument();
    expect(page.api.lastBody('POST /api/volunteer-activities/:id/cancel')).toEqual({ version: 4 });
  });
});
