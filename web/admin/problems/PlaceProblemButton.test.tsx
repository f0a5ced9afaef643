import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { problem } from '../../test/fixtures.js';
import { renderPage } from '../../test/render.js';
import { PlaceProblemButton } from './PlaceProblemButton.js';

// 确定区域: a problem without a region is placed by a position or by naming the region.

describe('PlaceProblemButton', () => {
  it('is not offered for a problem that has its region', async () => {
    await renderPage(
      <PlaceProblemButton problem={problem({ regionId: 2 })} onDone={() => undefined} />,
    );
    expect(screen.queryByTestId('action-place')).toBeNull();
  });

  it('sends the position given, with the version, and hands back the placed problem', async () => {
    const onDone = vi.fn();
    const unplaced = problem({ id: 7, version: 3, regionId: null, address: '来电未说明' });
    const placed = { problem: { ...unplaced, regionId: 2, version: 4 }, timeline: [] };
    const page = await renderPage(<PlaceProblemButton problem={unplaced} onDone={onDone} />, {
      api: { 'POST /api/problems/:id/place': placed },
    });
    await page.user.click(screen.getByTestId('action-place'));
    await page.user.type(await screen.findByLabelText('纬度'), '30.2745');
    await page.user.type(screen.getByLabelText('经度'), '120.1562');
    await page.user.clear(screen.getByLabelText('详细地址'));
    await page.user.type(screen.getByLabelText('详细地址'), '延安路 100 号');
    await page.user.click(screen.getByRole('button', { name: '确 定' }));
    await waitFor(() => expect(onDone).toHaveBeenCalledTimes(1));
    const [req] = page.api.callsTo('POST /api/problems/:id/place');
    expect(req!.params).toEqual({ id: '7' });
    expect(req!.body).toEqual({
      version: 3,
      regionId: null,
      lat: 30.2745,
      lng: 120.1562,
      address: '延安路 100 号',
    });
  });
});
