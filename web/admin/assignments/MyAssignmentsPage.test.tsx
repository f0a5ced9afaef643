import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TMyAssignment } from '../../../core/contracts/frameworks.js';
import { fill, modalButton } from '../../test/antd.js';
import { byId, renderPage } from '../../test/render.js';
import { MyAssignmentsPage } from './MyAssignmentsPage.js';

const mine = (id: number): TMyAssignment => ({
  id,
  versionId: 1,
  standardId: 41,
  standardCode: `I1.1.${id}`,
  standardText: '有年度学习计划',
  method: 'material',
  maxScore: 3,
  itemId: 1,
  itemCode: 'I1',
  itemText: '思想道德建设',
  contentCode: 'I1.1',
  contentText: '理论武装',
  leadUnit: { id: 7, name: '市城市管理综合执法局' },
  responsibleUnits: [],
  leaderName: null,
  dueDate: null,
  dueText: '长期坚持',
  notes: null,
  extra: {},
  version: 1,
  frameworkId: 1,
  frameworkName: '全国文明城市测评体系',
  campaignName: '2026 创建周期',
  role: 'lead',
});

describe('MyAssignmentsPage', () => {
  it('flags an overdue report, and a report sent clears it (the reporting state is read again)', async () => {
    let reported = false;
    const page = await renderPage(<MyAssignmentsPage />, {
      user: 'unit',
      api: {
        'GET /api/my-assignments': { items: [mine(5)] },
        'GET /api/assignment-reporting': () => ({
          items: [
            {
              frameworkId: 1,
              standardKey: 'k',
              code: 'I1.1.5',
              unitId: 7,
              assignmentId: 5,
              lastReportAt: null,
              lastStatus: reported ? 'in_progress' : null,
              overdue: !reported,
              everyDays: 30,
            },
          ],
        }),
        'POST /api/assignments/:id/reports': () => {
          reported = true;
          return {};
        },
      },
    });
    expect(await screen.findByTestId('report-overdue')).toHaveTextContent('超30天未报');
    await page.user.click(screen.getByTestId('report-progress'));
    await fill(page.user, byId('report-text'), '已制定学习计划');
    await page.user.click(modalButton('确定'));
    await waitFor(() => expect(screen.queryByTestId('report-overdue')).not.toBeInTheDocument());
    expect(within(screen.getByTestId('my-assignments')).getByText('推进中')).toBeInTheDocument();
    expect(page.api.lastBody('POST /api/assignments/:id/reports')).toEqual({
      status: 'in_progress',
      text: '已制定学习计划',
    });
    expect(page.api.callsTo('POST /api/assignments/:id/reports')[0]!.path).toBe(
      '/api/assignments/5/reports',
    );
  });
});
