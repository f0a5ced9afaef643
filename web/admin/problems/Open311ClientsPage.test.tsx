import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TOpen311Client } from '../../../core/contracts/open311.js';
import { fill, modalButton } from '../../test/antd.js';
import type { MockRequest } from '../../test/mock-api.js';
import { renderPage } from '../../test/render.js';
import { Open311ClientsPage } from './Open311ClientsPage.js';

const client = (over: Partial<TOpen311Client> = {}): TOpen311Client => ({
  id: 4,
  name: '城市服务 App',
  channel: 'citizen',
  keyHint: 'x9Q2',
  active: true,
  createdAt: '2026-11-23T02:00:00.000Z',
  revokedAt: null,
  requests: 17,
  callbackUrl: null,
  ...over,
});

describe('Open311ClientsPage: 状态回传', () => {
  it('sets a client’s callback URL and shows the signing secret once', async () => {
    let saved: string | null = null;
    const page = await renderPage(<Open311ClientsPage />, {
      api: {
        'GET /api/open311/clients': () => [client({ callbackUrl: saved })],
        'PUT /api/open311/clients/:id/callback': (req: MockRequest) => {
          saved = (req.body as { callbackUrl: string | null }).callbackUrl;
          return { client: client({ callbackUrl: saved }), callbackSecret: 'whsec_abc123' };
        },
      },
    });
    expect(await screen.findByText('未设置')).toBeInTheDocument();
    await page.user.click(screen.getByTestId('callback-4'));
    await fill(
      page.user,
      await screen.findByTestId('callback-url'),
      'https://app.example.org/o311',
    );
    await page.user.click(modalButton('确定'));
    await waitFor(() =>
      expect(page.api.lastBody('PUT /api/open311/clients/:id/callback')).toEqual({
        callbackUrl: 'https://app.example.org/o311',
        newSecret: false,
      }),
    );
    expect(page.api.callsTo('PUT /api/open311/clients/:id/callback')[0]!.path).toBe(
      '/api/open311/clients/4/callback',
    );
    expect(await screen.findByTestId('callback-secret')).toHaveTextContent('whsec_abc123');
    expect(await screen.findByText('https://app.example.org/o311')).toBeInTheDocument();
  });
});
