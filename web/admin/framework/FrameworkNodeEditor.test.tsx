import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type {
  TFrameworkWriteResult,
  TItemNode,
  TStandardNode,
  TTreeNode,
} from '../../../core/contracts/frameworks.js';
import { chosen, formItem, pickOption } from '../../test/antd.js';
import { reply } from '../../test/mock-api.js';
import { byId, renderPage } from '../../test/render.js';
import { AddNodeModal, FrameworkNodeEditor } from './FrameworkNodeEditor.js';

const STANDARD: TStandardNode = {
  id: 17,
  key: 'k-17',
  kind: 'standard',
  parentId: 12,
  code: 'I5.2.1',
  text: '公厕指示清晰、保洁及时、无明显异味',
  guidance: null,
  method: 'field',
  maxScore: 2,
  evidence: ['保洁台账'],
  unitHints: ['城管局'],
  notes: null,
  extra: {},
  surveyCurve: null,
  position: 0,
  score: 2,
  version: 4,
  children: [],
};

const ITEM: TItemNode = {
  ...STANDARD,
  id: 5,
  kind: 'item',
  parentId: null,
  code: 'I5',
  text: '城市管理与市容秩序',
  method: null,
  maxScore: null,
  evidence: [],
  unitHints: [],
  position: 4,
  score: 12,
  children: [],
};

const WRITTEN: TFrameworkWriteResult = { versionId: 3, forked: false, versionNumber: 1, id: 17 };
const BASE = 'PATCH /api/framework-versions/:v/nodes/:id';

async function edit(
  node: TTreeNode | null,
  opts: {
    siblings?: number;
    editable?: boolean;
    canWrite?: boolean;
    user?: 'office' | 'leader';
  } = {},
) {
  const onWrite = vi.fn();
  const onAddChild = vi.fn();
  const page = await renderPage(
    <FrameworkNodeEditor
      versionId={3}
      node={node}
      siblings={opts.siblings ?? 2}
      editable={opts.editable ?? true}
      canWrite={opts.canWrite ?? true}
      onWrite={onWrite}
      onAddChild={onAddChild}
    />,
    {
      user: opts.user ?? 'office',
      api: {
        [BASE]: WRITTEN,
        'POST /api/framework-versions/:v/nodes/:id/move': WRITTEN,
        'DELETE /api/framework-versions/:v/nodes/:id': { ...WRITTEN, id: null },
      },
    },
  );
  return { page, onWrite, onAddChild };
}

describe('FrameworkNodeEditor', () => {
  it('asks to pick a node when none is chosen', async () => {
    await edit(null);
    expect(screen.getByText('在左侧选择一个项目、内容或标准进行编辑')).toBeInTheDocument();
  });

  it('edits a standard: its fields as read, the body sent with the version', async () => {
    const { page, onWrite } = await edit(STANDARD);
    expect(screen.getByText('分值 2')).toBeInTheDocument();
    expect(byId('node-code')).toHaveValue('I5.2.1');
    expect(chosen(byId('node-method'))).toEqual(['实地考察']);
    await page.user.clear(byId('node-text'));
    await page.user.type(byId('node-text'), '公厕指示清晰、保洁及时、无明显异味，配备无障碍厕位');
    await page.user.clear(byId('node-score'));
    await page.user.type(byId('node-score'), '3');
    await page.user.click(screen.getByTestId('node-save'));

    await waitFor(() => expect(onWrite).toHaveBeenCalledWith(WRITTEN));
    const sent = page.api.callsTo(BASE)[0]!;
    expect(sent.path).toBe('/api/framework-versions/3/nodes/17');
    expect(sent.body).toEqual({
      code: 'I5.2.1',
      text: '公厕指示清晰、保洁及时、无明显异味，配备无障碍厕位',
      method: 'field',
      maxScore: 3,
      guidance: null,
      evidence: ['保洁台账'],
      unitHints: ['城管局'],
      notes: null,
      surveyCurve: null,
      version: 4,
    });
    expect(await screen.findByText('已保存')).toBeInTheDocument();
    // No columns of an imported sheet: no 其他列.
    expect(screen.queryByTestId('node-extra')).toBeNull();
  });

  it('a survey standard may score its rate its own way: linear 60–90 %, or back to the framework’s', async () => {
    const { page, onWrite } = await edit({ ...STANDARD, method: 'survey' });
    // The switch shows once the form holds the node's method (set in an effect after mounting).
    await page.user.click(await waitFor(() => byId('node-own-curve')));
    await pickOption(page.user, byId('rules-curve-kind'), '线性（底线至目标）');
    await page.user.click(screen.getByTestId('node-save'));
    await waitFor(() => expect(onWrite).toHaveBeenCalledWith(WRITTEN));
    expect(page.api.lastBody(BASE)).toMatchObject({
      method: 'survey',
      surveyCurve: { kind: 'linear', floor: 60, target: 90 },
    });
    await page.user.click(byId('node-own-curve'));
    await page.user.click(screen.getByTestId('node-save'));
    await waitFor(() => expect(page.api.callsTo(BASE)).toHaveLength(2));
    expect(page.api.lastBody(BASE)).toMatchObject({ surveyCurve: null });
  });

  it('a standard’s 备注 is edited; the imported sheet’s other columns are shown read-only', async () => {
    const { page, onWrite } = await edit({
      ...STANDARD,
      notes: '按季度报送',
      extra: { 联系人: '李明\n王芳', 序号: '3' },
    });
    expect(byId('node-notes')).toHaveValue('按季度报送');
    const extra = screen.getByTestId('node-extra');
    expect(within(extra).getByText('其他列')).toBeInTheDocument();
    expect(within(extra).getByText('联系人')).toBeInTheDocument();
    expect(within(extra).getByText(/李明\s+王芳/)).toBeInTheDocument();
    expect(within(extra).getByText('序号')).toBeInTheDocument();
    expect(within(extra).getByText('3')).toBeInTheDocument();
    // Shown, not edited: no inputs among them.
    expect(extra.querySelector('input, textarea')).toBeNull();

    await page.user.clear(byId('node-notes'));
    await page.user.type(byId('node-notes'), '按月报送，年底汇总');
    await page.user.click(screen.getByTestId('node-save'));
    await waitFor(() => expect(onWrite).toHaveBeenCalledWith(WRITTEN));
    expect(page.api.lastBody(BASE)).toMatchObject({ notes: '按月报送，年底汇总', version: 4 });
    expect(page.api.lastBody(BASE)).not.toHaveProperty('extra');

    // Emptied, the remark is cleared.
    await page.user.clear(byId('node-notes'));
    await page.user.click(screen.getByTestId('node-save'));
    await waitFor(() => expect(page.api.callsTo(BASE)).toHaveLength(2));
    expect(page.api.lastBody(BASE)).toMatchObject({ notes: null });
  });

  it('items have no 备注 and no other columns', async () => {
    await edit(ITEM);
    expect(byId('node-text')).toBeInTheDocument();
    expect(document.getElementById('node-notes')).toBeNull();
    expect(screen.queryByTestId('node-extra')).toBeNull();
  });

  it('a code the server would refuse is refused in the form', async () => {
    const { page } = await edit(STANDARD);
    await page.user.clear(byId('node-code'));
    await page.user.type(byId('node-code'), 'I5 2');
    await page.user.click(screen.getByTestId('node-save'));
    expect(await screen.findByText(/编号由字母、数字、点或短横线组成/)).toBeInTheDocument();
    expect(page.api.callsTo(BASE)).toHaveLength(0);
  });

  it('moves within its siblings: up is off for the first, down is off for the last', async () => {
    const first = await edit(STANDARD, { siblings: 2 });
    expect(screen.getByTestId('node-up')).toBeDisabled();
    expect(screen.getByTestId('node-down')).toBeEnabled();
    await first.page.user.click(screen.getByTestId('node-down'));
    await waitFor(() => expect(first.onWrite).toHaveBeenCalled());
    expect(first.page.api.lastBody('POST /api/framework-versions/:v/nodes/:id/move')).toEqual({
      parentId: 12,
      position: 1,
      version: 4,
    });
    first.page.unmount();

    await edit({ ...STANDARD, position: 1 }, { siblings: 2 });
    expect(screen.getByTestId('node-up')).toBeEnabled();
    expect(screen.getByTestId('node-down')).toBeDisabled();
  });

  it('deletes after a confirmation that says what goes with it', async () => {
    const { page, onWrite } = await edit({ ...ITEM, children: [] });
    await page.user.click(screen.getByTestId('node-delete'));
    expect(
      await screen.findByText('其下 0 个下级节点（含标准和任务分解）将一并删除'),
    ).toBeInTheDocument();
    await page.user.click(byId('node-delete-ok'));
    await waitFor(() => expect(onWrite).toHaveBeenCalled());
    expect(page.api.callsTo('DELETE /api/framework-versions/:v/nodes/:id')[0]!.url).toBe(
      '/api/framework-versions/3/nodes/5?version=4',
    );
  });

  it('an item adds a content under it; a standard has nothing to add', async () => {
    const { page, onAddChild } = await edit(ITEM);
    expect(screen.getByText('合计 12 分')).toBeInTheDocument();
    await page.user.click(screen.getByTestId('node-add-child'));
    expect(onAddChild).toHaveBeenCalledWith('content', ITEM);
    page.unmount();
    await edit(STANDARD);
    expect(screen.queryByTestId('node-add-child')).toBeNull();
  });

  it('a published version: saving forks a draft (said before saving)', async () => {
    await edit(STANDARD, { editable: false });
    expect(
      screen.getByText(/此版本已发布（在用），保存修改时将自动生成新的草稿版本/),
    ).toBeInTheDocument();
  });

  it('without the right to write: read-only fields, no buttons', async () => {
    await edit(STANDARD, { canWrite: false, user: 'leader' });
    expect(byId('node-text')).toBeDisabled();
    for (const id of ['node-save', 'node-up', 'node-down', 'node-delete']) {
      expect(screen.queryByTestId(id)).toBeNull();
    }
  });

  it('a server refusal is shown and nothing is handed on', async () => {
    const { page, onWrite } = await edit(STANDARD);
    page.api.on({
      [BASE]: reply(409, {
        error: {
          code: 'stale',
          message: '该记录已被他人修改，请刷新后重试',
          messageZh: '该记录已被他人修改，请刷新后重试',
          messageEn: 'changed by someone else',
        },
      }),
    });
    await page.user.click(screen.getByTestId('node-save'));
    expect(await screen.findByText('该记录已被他人修改，请刷新后重试')).toBeInTheDocument();
    expect(onWrite).not.toHaveBeenCalled();
  });
});

describe('AddNodeModal', () => {
  it('adds a standard under a content, with the default method and score', async () => {
    const onWrite = vi.fn();
    const onClose = vi.fn();
    const content = { ...ITEM, id: 12, kind: 'content' as const, code: 'I5.2', text: '公共厕所' };
    const page = await renderPage(
      <AddNodeModal
        versionId={3}
        add={{ kind: 'standard', parent: content }}
        onClose={onClose}
        onWrite={onWrite}
      />,
      { api: { 'POST /api/framework-versions/:v/nodes': WRITTEN } },
    );
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getByText('添加测评标准 · I5.2 公共厕所')).toBeInTheDocument();
    await page.user.type(byId('node-text'), '公厕免费开放');
    await pickOption(page.user, formItem('测评方法', dialog), '材料审核');
    await page.user.click(byId('node-add-ok'));
    await waitFor(() => expect(onWrite).toHaveBeenCalledWith(WRITTEN));
    expect(page.api.lastBody('POST /api/framework-versions/:v/nodes')).toEqual({
      kind: 'standard',
      parentId: 12,
      text: '公厕免费开放',
      method: 'material',
      maxScore: 1,
      guidance: null,
      evidence: [],
      unitHints: [],
      notes: null,
      surveyCurve: null,
    });
    expect(onClose).toHaveBeenCalled();
  });
});
