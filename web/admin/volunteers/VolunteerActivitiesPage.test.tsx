import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { TActivity } from '../../../core/contracts/volunteers.js';
import { reply } from '../../test/mock-api.js';
import { renderPage } from '../../test/render.js';
import { VolunteerActivitiesPage } from './VolunteerActivitiesPage.js';

// The calendar speaks the chosen language throughout: antd's words (月/年) and dayjs's month and
// weekday names, which stayed English under a Chinese antd until dayjs had its zh-cn locale.

const api = {
  'GET /api/volunteer-activities': [] as TActivity[],
  // The office's new-activity dialog names the teams.
  'GET /api/volunteer-teams': [],
};

const weekdays = () =>
  [...document.querySelectorAll('.ant-picker-calendar .ant-picker-content thead th')].map(
    (th) => th.textContent,
  );
const header = () => document.querySelector('.ant-picker-calendar-header')!.textContent ?? '';

describe('VolunteerActivitiesPage: the calendar', () => {
  it('in Chinese: Chinese weekdays from Monday, months and the mode switch; no English word', async () => {
    await renderPage(<VolunteerActivitiesPage />, { user: 'office', api });
    await waitFor(() => expect(weekdays()).toHaveLength(7));
    expect(weekdays()).toEqual(['一', '二', '三', '四', '五', '六', '日']);
    expect(header()).toMatch(/^\d{4}年\d{1,2}月月年$/);
    const card = screen.getByText('志愿活动').closest('.ant-card')!;
    expect(card.textContent).not.toMatch(/[A-Za-z]/);
  });

  it('in English: English weekdays and months', async () => {
    await renderPage(<VolunteerActivitiesPage />, { user: 'office', api, lang: 'en' });
    await waitFor(() => expect(weekdays()).toHaveLength(7));
    expect(weekdays()).toEqual(['Su', 'Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa']);
    expect(header()).toMatch(/(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)MonthYear$/);
  });
});

describe('VolunteerActivitiesPage: a volunteer', () => {
  it('checks in in the phone app (its position, QR code and offline queue)', async () => {
    const now = Date.now();
    const signedUp: TActivity = {
      id: 41,
      title: '河道清洁',
      description: null,
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + 2 * 3_600_000).toISOString(),
      placeId: null,
      placeName: null,
      address: null,
      lat: null,
      lng: null,
      regionId: null,
      capacity: 10,
      signedUp: 1,
      checkedIn: 0,
      organiserUnitId: null,
      organiserUnitName: null,
      organiserTeamId: null,
      organiserTeamName: null,
      status: 'published',
      version: 1,
      mine: { signedUp: true, checkInAt: null, checkOutAt: null },
      photoIds: [],
    };
    const assign = vi.spyOn(window.location, 'assign').mockImplementation(() => undefined);
    try {
      const page = await renderPage(<VolunteerActivitiesPage />, {
        user: 'volunteer',
        api: {
          'GET /api/volunteer-activities': [signedUp],
          'GET /api/volunteers/me/ledger': reply(404),
          'GET /api/volunteer-teams': [],
        },
      });
      await page.user.click(screen.getByText('列表'));
      const item = await screen.findByTestId('activity-41');
      await page.user.click(within(item).getByRole('button', { name: /^签\s?到$/ }));
      expect(assign).toHaveBeenCalledWith('/m/checkin/41');
      expect(page.location()).toBe('/');
    } finally {
      assign.mockRestore();
    }
  });
});
