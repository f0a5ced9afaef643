import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TDossier, TEvidenceRow } from '../../../core/contracts/evidence.js';
import { apiError } from '../../test/mock-api.js';
import { renderPage } from '../../test/render.js';
import { EvidencePage } from './EvidencePage.js';

const row = (over: Partial<TEvidenceRow> = {}): TEvidenceRow => ({
  standardKey: 'S-1',
  code: '1.1.1',
  text: '公共场所禁烟标识规范',
  itemKey: 'I-1',
  itemText: '公共秩序',
  maxScore: 2,
  evidence: ['制度文件'],
  units: [{ id: 7, name: '市城市管理综合执法局' }],
  dossierId: 11,
  state: 'draft',
  grade: null,
  files: 1,
  submittedAt: null,
  earned: 0,
  compliance: null,
  ...over,
});

const dossier = (over: Partial<TDossier> = {}): TDossier => ({
  frameworkId: 3,
  year: 2026,
  standard: row(),
  id: 11,
  state: 'draft',
  statement: '已建立禁烟巡查制度',
  grade: null,
  reviewComment: null,
  returnCount: 0,
  version: 2,
  files: [],
  timeline: [],
  window: { testDate: '2026-10-01', from: '2025-10-01', to: '2026-09-30', assumed: false },
  can: { upload: true, submit: true, review: false },
  ...over,
});

describe('EvidencePage', () => {
  it('submitting a dossier sends its version, shows its new state and reads the list again', async () => {
    let submitted = false;
    const afterSubmit = dossier({
      state: 'submitted',
      version: 3,
      can: { upload: false, submit: false, review: false },
    });
    const page = await renderPage(<EvidencePage />, {
      user: 'unit',
      route: '/evidence?frameworkId=3&year=2026&standard=S-1',
      api: {
        'GET /api/campaigns': { items: [] },
        'GET /api/working-groups': { items: [] },
        'GET /api/evidence': () => [row({ state: submitted ? 'submitted' : 'draft' })],
        'GET /api/evidence/summary': apiError(403, 'forbidden', { zh: '无权限', en: 'forbidden' }),
        'GET /api/evidence/:frameworkId/:year/:standardKey': () =>
          submitted ? afterSubmit : dossier(),
        'POST /api/evidence/:frameworkId/:year/:standardKey/submit': () => {
          submitted = true;
          return afterSubmit;
        },
      },
    });
    expect(page.api.callsTo('GET /api/evidence')[0]!.query).toEqual({
      frameworkId: '3',
      year: '2026',
    });
    const state = await screen.findByTestId('dossier-state');
    expect(page.api.callsTo('GET /api/evidence/:frameworkId/:year/:standardKey')[0]!.path).toBe(
      '/api/evidence/3/2026/S-1',
    );
    await page.user.click(screen.getByTestId('evidence-submit'));
    await waitFor(() => expect(within(state).getByText('待审核')).toBeInTheDocument());
    expect(page.api.lastBody('POST /api/evidence/:frameworkId/:year/:standardKey/submit')).toEqual({
      version: 2,
    });
    await waitFor(() => expect(page.api.callsTo('GET /api/evidence')).toHaveLength(2));
  });
});
