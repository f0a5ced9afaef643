import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type {
  TAssignment,
  TFrameworkImportPreview,
  TFrameworkTree,
  TStandardNode,
} from '../../../core/contracts/frameworks.js';
import { permissionsOf } from '../../../core/permissions.js';
import { campaign } from '../../test/fixtures.js';
import { asUser, byId, renderPage } from '../../test/render.js';
import { AssignmentsPage } from './AssignmentsPage.js';

const STANDARD: TStandardNode = {
  id: 41,
  key: 'k-41',
  kind: 'standard',
  parentId: 2,
  code: 'I1.1.1',
  text: '有年度学习计划',
  guidance: null,
  method: 'material',
  maxScore: 3,
  evidence: [],
  unitHints: [],
  notes: null,
  extra: {},
  surveyCurve: null,
  position: 0,
  score: 3,
  version: 1,
  children: [],
};

const task = (id: number, extra: Record<string, string>): TAssignment => ({
  id,
  versionId: 1,
  standardId: 41,
  standardCode: 'I1.1.1',
  standardText: '有年度学习计划',
  method: 'material',
  maxScore: 3,
  itemId: 1,
  itemCode: 'I1',
  itemText: '思想道德建设',
  contentCode: 'I1.1',
  contentText: '理论武装',
  leadUnit: { id: 30 + id, name: id === 1 ? '市委宣传部' : '市文明办' },
  responsibleUnits: [],
  leaderName: null,
  dueDate: null,
  dueText: '长期坚持',
  notes: null,
  extra,
  version: 1,
});

const TREE = {
  items: [
    {
      ...STANDARD,
      id: 1,
      kind: 'item',
      parentId: null,
      code: 'I1',
      text: '思想道德建设',
      children: [
        {
          ...STANDARD,
          id: 2,
          kind: 'content',
          code: 'I1.1',
          text: '理论武装',
          children: [STANDARD],
        },
      ],
    },
  ],
  negativeItems: [],
} as unknown as TFrameworkTree;

describe('AssignmentsPage', () => {
  it('the task list shows the imported sheet’s other columns in an expanded row', async () => {
    const page = await renderPage(<AssignmentsPage />, {
      api: {
        'GET /api/campaigns': { items: [campaign()] },
        'GET /api/framework-versions/:v/tree': TREE,
        'GET /api/framework-versions/:v/assignments': {
          items: [task(1, { 联系人: '李明 13800000001', 序号: '1' }), task(2, {})],
        },
        'GET /api/working-groups': { items: [] },
      },
    });
    await page.user.click(await screen.findByText('列表'));
    const list = screen.getByTestId('assignment-list');
    await within(list).findByText('市委宣传部');
    // Only the task with other columns can be expanded.
    // (antd keeps a hidden, spaced placeholder on rows that cannot expand.)
    const expanders = [
      ...list.querySelectorAll<HTMLButtonElement>(
        'button.ant-table-row-expand-icon:not(.ant-table-row-expand-icon-spaced)',
      ),
    ];
    expect(expanders).toHaveLength(1);
    expect(within(list).queryByText('联系人')).toBeNull();
    await page.user.click(expanders[0]!);
    expect(await within(list).findByText('其他列')).toBeInTheDocument();
    expect(within(list).getByText('联系人')).toBeInTheDocument();
    expect(within(list).getByText('李明 13800000001')).toBeInTheDocument();
    expect(within(list).getByText('序号')).toBeInTheDocument();
  });

  it('a district office reads the tasks of its units: no import, no new task, no edit', async () => {
    await renderPage(<AssignmentsPage />, {
      user: asUser('office', {
        regionId: 2,
        regionName: '湖滨区',
        regionLevel: 'district',
        permissions: [...permissionsOf(['office'], true)],
      }),
      api: {
        'GET /api/campaigns': { items: [campaign()] },
        'GET /api/framework-versions/:v/tree': TREE,
        'GET /api/framework-versions/:v/assignments': { items: [task(1, {})] },
        'GET /api/working-groups': { items: [] },
      },
    });
    await screen.findByTestId('assignment-summary');
    expect(screen.getByText('导出 Excel')).toBeInTheDocument();
    expect(screen.queryByTestId('assignment-import')).toBeNull();
    expect(screen.queryByTestId('assignment-new')).toBeNull();
    fireEvent.click(screen.getByText('列表'));
    const list = screen.getByTestId('assignment-list');
    await within(list).findByText('市委宣传部');
    expect(within(list).queryByTestId('assignment-edit-1')).toBeNull();
    expect(within(list).queryByText('操作')).toBeNull();
  });

  it('a task sheet is read first; rows to settle leave the clean-rows import', async () => {
    const preview: TFrameworkImportPreview = {
      kind: 'xlsx',
      sheetName: '任务分解',
      sheets: ['任务分解'],
      columns: [],
      missingColumns: [],
      counts: { items: 0, contents: 0, standards: 38, negativeItems: 0, assignments: 41 },
      issues: [
        {
          row: 9,
          column: '标准编号',
          reason: { zh: '标准编号“I9.9.9”不在该测评体系中', en: 'no standard "I9.9.9"' },
        },
      ],
      badRows: [9],
      units: [],
      parties: [],
    };
    const page = await renderPage(<AssignmentsPage />, {
      api: {
        'GET /api/campaigns': { items: [campaign()] },
        'GET /api/framework-versions/:v/tree': TREE,
        'GET /api/framework-versions/:v/assignments': { items: [task(1, {})] },
        'GET /api/working-groups': { items: [] },
        'POST /api/framework-versions/:v/assignments/import/preview': preview,
        'POST /api/framework-versions/:v/assignments/import': {
          versionId: 1,
          assignments: 41,
          standards: 38,
          replaced: 1,
        },
      },
    });
    const input = (await screen.findByTestId('assignment-import'))
      .closest('.ant-upload')!
      .querySelector<HTMLInputElement>('input[type=file]')!;
    fireEvent.change(input, { target: { files: [new File(['x'], '任务分解.xlsx')] } });
    expect(await screen.findByTestId('import-preview-counts')).toHaveTextContent(
      '41 条任务（涉及 38 条标准），替换该版本现有的任务分解',
    );
    expect(screen.getByText('标准编号“I9.9.9”不在该测评体系中')).toBeInTheDocument();
    const ok = byId<HTMLButtonElement>('assignment-import-ok');
    expect(ok).toHaveTextContent('仅导入无误的行（1 行除外）');
    await page.user.click(ok);
    expect(
      await screen.findByText('已导入 41 条任务（38 条标准），替换原有 1 条'),
    ).toBeInTheDocument();
    expect(
      page.api.callsTo('POST /api/framework-versions/:v/assignments/import')[0]!.query,
    ).toEqual({ skipBadRows: 'true' });
  });
});
