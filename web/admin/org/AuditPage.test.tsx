import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TAuditRecord } from '../../../core/contracts/audit.js';
import { apiError, type MockRequest } from '../../test/mock-api.js';
import { renderPage } from '../../test/render.js';
import { AuditPage } from './AuditPage.js';

const record = (id: number, action: string): TAuditRecord => ({
  id,
  at: '2026-11-23T02:00:00.000Z',
  actorId: 1,
  actorName: '李主任',
  action,
  entityType: 'unit',
  entityId: '7',
  before: null,
  after: null,
  ip: null,
  seq: id,
  prevHash: null,
  hash: null,
});

describe('AuditPage', () => {
  it('lists 30 records a page, filters by action, and verifies the chain from a kept checkpoint', async () => {
    const page = await renderPage(<AuditPage />, {
      user: 'admin',
      api: {
        'GET /api/audit': (req: MockRequest) => ({
          items: [record(2, req.query.action ?? 'unit.update')],
          nextCursor: null,
          total: 1,
        }),
        'GET /api/audit/verify': {
          ok: true,
          checked: 2,
          unsealed: 0,
          checkpoints: 1,
          lastCheckpoint: null,
          firstBroken: null,
        },
      },
    });
    expect(await screen.findByText('unit.update')).toBeInTheDocument();
    expect(page.api.callsTo('GET /api/audit')[0]!.query).toEqual({ limit: '30' });
    await page.user.type(screen.getByPlaceholderText('操作（前缀）'), 'user.{Enter}');
    expect(await screen.findByText('user.')).toBeInTheDocument();
    expect(page.api.callsTo('GET /api/audit').at(-1)!.query).toEqual({
      action: 'user.',
      limit: '30',
    });
    await page.user.type(screen.getByPlaceholderText(/留存的检查点/), ' cp-1 ');
    await page.user.click(screen.getByRole('button', { name: /校验防篡改链/ }));
    expect(await screen.findByText(/校验通过：2 条记录完整/)).toBeInTheDocument();
    expect(page.api.callsTo('GET /api/audit/verify')[0]!.query).toEqual({ checkpoint: 'cp-1' });
  });
});

describe('AuditPage: a refused verification', () => {
  it('says why in the language shown', async () => {
    const page = await renderPage(<AuditPage />, {
      user: 'admin',
      lang: 'en',
      api: {
        'GET /api/audit': { items: [], nextCursor: null, total: 0 },
        'GET /api/audit/verify': apiError(400, 'invalid', {
          zh: '检查点格式不正确',
          en: 'the checkpoint is malformed',
        }),
      },
    });
    await page.user.type(screen.getByPlaceholderText(/checkpoint/i), 'x');
    await page.user.click(screen.getByRole('button', { name: /verify/i }));
    expect(await screen.findByText('the checkpoint is malformed')).toBeInTheDocument();
    expect(screen.queryByText('检查点格式不正确')).toBeNull();
  });
});
