import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { TAssignment, TStandardNode } from '../../../core/contracts/frameworks.js';
import { chosen, fill, formItem, pickOption } from '../../test/antd.js';
import { byId, renderPage } from '../../test/render.js';
import { AssignmentEditModal } from './AssignmentEditModal.js';

const standard = (id: number, code: string, text: string): TStandardNode => ({
  id,
  key: `k-${id}`,
  kind: 'standard',
  parentId: 2,
  code,
  text,
  guidance: null,
  method: 'field',
  maxScore: 2,
  evidence: [],
  unitHints: [],
  notes: null,
  extra: {},
  surveyCurve: null,
  position: 0,
  score: 2,
  version: 1,
  children: [],
});
const STANDARDS = [
  standard(41, 'I4.1.1', '主次干道整洁有序'),
  standard(42, 'I4.1.2', '无占道经营'),
];

const TASK: TAssignment = {
  id: 9,
  versionId: 3,
  standardId: 41,
  standardCode: 'I4.1.1',
  standardText: '主次干道整洁有序',
  method: 'field',
  maxScore: 2,
  itemId: 4,
  itemCode: 'I4',
  itemText: '城市管理与市容秩序',
  contentCode: 'I4.1',
  contentText: '市容市貌',
  // Not among the units the search returns: its name comes from the task itself.
  leadUnit: { id: 30, name: '东湖区人民政府' },
  responsibleUnits: [{ id: 31, name: '西城区人民政府' }],
  leaderName: '张副市长',
  dueDate: '2027-06-30',
  dueText: null,
  notes: null,
  extra: {},
  version: 5,
};

async function open(editing: TAssignment | 'new') {
  const onSaved = vi.fn();
  const onClose = vi.fn();
  const page = await renderPage(
    <AssignmentEditModal
      versionId={3}
      editing={editing}
      standards={STANDARDS}
      onClose={onClose}
      onSaved={onSaved}
    />,
    {
      api: {
        'POST /api/framework-versions/:id/assignments': { ...TASK, id: 10 },
        'PATCH /api/assignments/:id': TASK,
      },
    },
  );
  return { page, onSaved, onClose };
}

describe('AssignmentEditModal', () => {
  it('edits a task: fields as read (names of units not in the search too), the version sent', async () => {
    const { page, onSaved, onClose } = await open(TASK);
    expect(screen.getByText('编辑任务 · I4.1.1')).toBeInTheDocument();
    expect(chosen(byId('assignment-lead'))).toEqual(['东湖区人民政府']);
    expect(chosen(formItem('责任单位'))).toEqual(['西城区人民政府']);
    expect(screen.getByDisplayValue('2027-06-30')).toBeInTheDocument();

    await fill(page.user, byId('leaderName'), '刘副市长');
    await page.user.click(byId('assignment-save'));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(onClose).toHaveBeenCalled();
    const sent = page.api.callsTo('PATCH /api/assignments/:id')[0]!;
    expect(sent.path).toBe('/api/assignments/9');
    expect(sent.body).toEqual({
      leadUnitId: 30,
      responsibleUnitIds: [31],
      leaderName: '刘副市长',
      dueDate: '2027-06-30',
      dueText: null,
      notes: null,
      version: 5,
    });
  });

  it('a new task needs a standard and a lead unit; a deadline in words goes when there is no date', async () => {
    const { page, onSaved } = await open('new');
    expect(screen.getByText('新增任务')).toBeInTheDocument();
    await page.user.click(byId('assignment-save'));
    expect(await screen.findByText('请输入测评标准')).toBeInTheDocument();
    expect(screen.getByText('请输入牵头单位')).toBeInTheDocument();

    await pickOption(page.user, byId('assignment-standard'), 'I4.1.2 无占道经营');
    await pickOption(page.user, byId('assignment-lead'), '市城市管理综合执法局');
    await pickOption(page.user, formItem('责任单位'), '市交通运输局');
    await fill(page.user, screen.getByPlaceholderText('长期坚持'), '长期坚持');
    await page.user.click(byId('assignment-save'));

    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    const sent = page.api.callsTo('POST /api/framework-versions/:id/assignments')[0]!;
    expect(sent.path).toBe('/api/framework-versions/3/assignments');
    expect(sent.body).toEqual({
      standardId: 42,
      leadUnitId: 7,
      responsibleUnitIds: [8],
      leaderName: null,
      dueDate: null,
      dueText: '长期坚持',
      notes: null,
    });
  });

  it('a date wins over the deadline in words', async () => {
    const { page, onSaved } = await open({ ...TASK, dueDate: null, dueText: '长期坚持' });
    const date = screen.getByPlaceholderText('请选择日期');
    await page.user.click(date);
    await page.user.type(date, '2027-03-31{Enter}');
    await page.user.click(byId('assignment-save'));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(page.api.lastBody('PATCH /api/assignments/:id')).toMatchObject({
      dueDate: '2027-03-31',
      dueText: null,
    });
  });
});
