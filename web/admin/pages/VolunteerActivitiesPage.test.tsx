import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TActivity } from '../../../core/contracts/volunteers.js';
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
