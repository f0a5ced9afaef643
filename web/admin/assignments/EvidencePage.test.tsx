import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TDossier, TEvidenceRow } from '../../../core/contracts/evidence.js';
import { fill } from '../../test/antd.js';
import { apiError } from '../../test/mock-api.js';
import { renderPage } from '../../test/render.js';
import { rigVideo } from '../../test/video.js';
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
  can: { upload: true, submit: true, review: false, poster: true },
  ...over,
});

describe('EvidencePage', () => {
  it('submitting a dossier sends its version, shows its new state and reads the list again', async () => {
    let submitted = false;
    const afterSubmit = dossier({
      state: 'submitted',
      version: 3,
      can: { upload: false, submit: false, review: false, poster: false },
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

type TFile = TDossier['files'][number];
const video = (over: Partial<TFile> = {}): TFile => ({
  id: 31,
  fileId: '0b6b1f9e-5a8c-4a57-9d38-1f0c2f9a8e11',
  url: '/api/files/0b6b1f9e-5a8c-4a57-9d38-1f0c2f9a8e11',
  mime: 'video/mp4',
  size: 2224,
  durationMs: 61_000,
  posterUrl: null,
  posterThumbUrl: null,
  title: '宣传视频',
  docDate: '2026-05-01',
  unitName: '市城市管理综合执法局',
  uploadedBy: '联络员',
  createdAt: '2026-05-02T02:00:00.000Z',
  ...over,
});
const POSTER = '5d0f7a54-3c1e-4d7b-8a0e-7b1d9c2e6f40';

describe('EvidencePage: video evidence', () => {
  afterEach(() => vi.restoreAllMocks());
  /** The page on a dossier with these files; a write's answer is what later reads return. */
  const open = async (files: TFile[], user: 'unit' | 'office' = 'unit') => {
    let now = dossier({ files });
    const page = await renderPage(<EvidencePage />, {
      user,
      route: '/evidence?frameworkId=3&year=2026&standard=S-1',
      api: {
        'GET /api/campaigns': { items: [] },
        'GET /api/working-groups': { items: [] },
        'GET /api/evidence': [row()],
        'GET /api/evidence/summary': apiError(403, 'forbidden', { zh: '无权限', en: 'forbidden' }),
        'GET /api/evidence/:frameworkId/:year/:standardKey': () => now,
      },
    });
    const answer = (d: TDossier) => () => {
      now = d;
      return d;
    };
    return { page, answer };
  };

  it('a picked video goes up with a poster frame drawn in the browser, before the file', async () => {
    const rig = rigVideo({ duration: 1, width: 64, height: 64 });
    const { page, answer } = await open([]);
    page.api.on({
      'POST /api/evidence/:frameworkId/:year/:standardKey/files': answer(
        dossier({
          files: [
            video({
              posterUrl: `/api/files/${POSTER}`,
              posterThumbUrl: `/api/files/${POSTER}/thumb`,
            }),
          ],
        }),
      ),
    });
    await fill(page.user, await screen.findByPlaceholderText('文件日期'), '2026-05-01');
    await page.user.keyboard('{Enter}');
    const input = document.querySelector('.ant-drawer input[type=file]')!;
    const mp4 = new File([new Uint8Array(2224)], '宣传片.mp4', { type: 'video/mp4' });
    fireEvent.change(input, { target: { files: [mp4] } });
    await waitFor(() =>
      expect(
        page.api.callsTo('POST /api/evidence/:frameworkId/:year/:standardKey/files'),
      ).toHaveLength(1),
    );
    const sent = page.api.callsTo('POST /api/evidence/:frameworkId/:year/:standardKey/files')[0]!
      .body as FormData;
    expect([...sent.keys()]).toEqual(['docDate', 'poster', 'file']);
    expect(sent.get('docDate')).toBe('2026-05-01');
    expect((sent.get('poster') as File).type).toBe('image/jpeg');
    expect((sent.get('file') as File).name).toBe('宣传片.mp4');
    expect(rig.seekedTo[0]).toBeCloseTo(0.1);
    // The answer shows the poster, with the length over it.
    const thumb = await screen.findByTestId('evidence-poster-31');
    expect(within(thumb).getByRole('img')).toHaveAttribute('src', `/api/files/${POSTER}/thumb`);
    expect(thumb).toHaveTextContent('1:01');
  });

  it('a video the browser cannot decode goes up without a poster; a PDF never gets one', async () => {
    rigVideo({ duration: 1, width: 64, height: 64, decodes: false });
    const { page } = await open([]);
    page.api.on({ 'POST /api/evidence/:frameworkId/:year/:standardKey/files': dossier() });
    await fill(page.user, await screen.findByPlaceholderText('文件日期'), '2026-05-01');
    await page.user.keyboard('{Enter}');
    const input = () => document.querySelector('.ant-drawer input[type=file]')!;
    fireEvent.change(input(), {
      target: { files: [new File([new Uint8Array(8)], 'a.mp4', { type: 'video/mp4' })] },
    });
    const key = 'POST /api/evidence/:frameworkId/:year/:standardKey/files';
    await waitFor(() => expect(page.api.callsTo(key)).toHaveLength(1));
    expect([...(page.api.callsTo(key)[0]!.body as FormData).keys()]).toEqual(['docDate', 'file']);
    await waitFor(() =>
      expect(screen.getByTestId('evidence-upload')).not.toHaveClass('ant-btn-loading'),
    );
    fireEvent.change(input(), {
      target: { files: [new File([new Uint8Array(8)], 'b.pdf', { type: 'application/pdf' })] },
    });
    await waitFor(() => expect(page.api.callsTo(key)).toHaveLength(2));
    expect([...(page.api.callsTo(key)[1]!.body as FormData).keys()]).toEqual(['docDate', 'file']);
  });

  it('shows a placeholder with the length for a video without a poster; the office sets one', async () => {
    const { page, answer } = await open(
      [video(), video({ id: 32, durationMs: null, title: '无时长' })],
      'office',
    );
    const placeholder = await screen.findByTestId('evidence-no-poster-31');
    expect(placeholder).toHaveTextContent('暂无封面');
    expect(placeholder).toHaveTextContent('1:01');
    expect(screen.getByTestId('evidence-no-poster-32')).toHaveTextContent('时长未知');
    page.api.on({
      'PUT /api/evidence/:frameworkId/:year/:standardKey/files/:fileId/poster': answer(
        dossier({
          files: [
            video({
              posterUrl: `/api/files/${POSTER}`,
              posterThumbUrl: `/api/files/${POSTER}/thumb`,
            }),
          ],
        }),
      ),
    });
    const pick = screen.getByTestId('evidence-set-poster-31');
    expect(pick).toHaveTextContent('设置封面');
    const input = pick.closest('.ant-upload')!.querySelector('input[type=file]')!;
    expect(input).toHaveAttribute('accept', 'image/jpeg,image/png');
    const png = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], '封面.png', {
      type: 'image/png',
    });
    fireEvent.change(input, { target: { files: [png] } });
    const key = 'PUT /api/evidence/:frameworkId/:year/:standardKey/files/:fileId/poster';
    await waitFor(() => expect(page.api.callsTo(key)).toHaveLength(1));
    expect(page.api.callsTo(key)[0]!.path).toBe('/api/evidence/3/2026/S-1/files/31/poster');
    expect(((page.api.callsTo(key)[0]!.body as FormData).get('file') as File).name).toBe(
      '封面.png',
    );
    await screen.findByTestId('evidence-poster-31');
    expect(screen.getByTestId('evidence-set-poster-31')).toHaveTextContent('更换封面');

    // The poster opens the player: the video with its poster, from the file's address.
    await page.user.click(screen.getByTestId('evidence-poster-31'));
    const player = await screen.findByTestId('evidence-player');
    expect(player).toHaveAttribute('src', video().url);
    expect(player).toHaveAttribute('poster', `/api/files/${POSTER}`);
  });

  it('offers no poster button where the dossier does not allow it', async () => {
    await renderPage(<EvidencePage />, {
      user: 'unit',
      route: '/evidence?frameworkId=3&year=2026&standard=S-1',
      api: {
        'GET /api/campaigns': { items: [] },
        'GET /api/working-groups': { items: [] },
        'GET /api/evidence': [row()],
        'GET /api/evidence/summary': apiError(403, 'forbidden', { zh: '无权限', en: 'forbidden' }),
        'GET /api/evidence/:frameworkId/:year/:standardKey': dossier({
          files: [video()],
          can: { upload: false, submit: false, review: false, poster: false },
        }),
      },
    });
    await screen.findByTestId('evidence-no-poster-31');
    expect(screen.queryByTestId('evidence-set-poster-31')).toBeNull();
  });
});
