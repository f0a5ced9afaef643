import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { MockRequest } from '../../test/mock-api.js';
import { renderPage } from '../../test/render.js';
import { CalendarPage } from './CalendarPage.js';

describe('CalendarPage', () => {
  it('edits the year’s table and saves it whole', async () => {
    const page = await renderPage(<CalendarPage />, {
      user: 'admin',
      api: {
        'GET /api/calendar/:year': (req: MockRequest) => ({
          year: Number(req.params.year),
          days: [
            { day: `${req.params.year}-10-01`, kind: 'holiday', name: '国庆节' },
            { day: `${req.params.year}-10-02`, kind: 'holiday', name: '国庆节' },
          ],
        }),
        'PUT /api/calendar/:year': (req: MockRequest) => ({ year: 2026, ...(req.body as object) }),
      },
    });
    const year = String(new Date().getFullYear());
    expect(await screen.findByDisplayValue(year)).toBeInTheDocument();
    await waitFor(() => expect(screen.getAllByText('删除')).toHaveLength(2));
    const save = screen.getByRole('button', { name: /保\s?存/ });
    expect(save).toBeDisabled();
    await page.user.click(screen.getAllByText('删除')[1]!);
    expect(screen.getAllByText('删除')).toHaveLength(1);
    await page.user.click(save);
    await waitFor(() => expect(save).toBeDisabled());
    expect(page.api.lastBody('PUT /api/calendar/:year')).toEqual({
      days: [{ day: `${year}-10-01`, kind: 'holiday', name: '国庆节' }],
    });
  });
});
