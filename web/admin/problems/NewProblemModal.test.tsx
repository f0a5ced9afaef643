import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { TProblemDetail } from '../../../core/contracts/problems.js';
import { formItem, pickOption, pickTreeNode } from '../../test/antd.js';
import { problem } from '../../test/fixtures.js';
import { apiError, type Reply } from '../../test/mock-api.js';
import { byId, renderPage, type RenderedPage } from '../../test/render.js';
import { NewProblemModal } from './NewProblemModal.js';

const created = (over: Partial<TProblemDetail> = {}): TProblemDetail => ({
  problem: problem({ id: 42, code: 'WT2026000042' }),
  timeline: [],
  actions: [],
  photos: [],
  ...over,
});

async function open(user: 'office' | 'unit', answer: TProblemDetail | Reply = created()) {
  const onCreated = vi.fn();
  const page = await renderPage(
    <NewProblemModal open onClose={() => undefined} onCreated={onCreated} />,
    { user, api: { 'POST /api/problems': answer } },
  );
  return { page, onCreated };
}

const PHOTO = '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b';

const ok = () => screen.getByRole('button', { name: /确\s?定/ });

async function fillRequired(page: RenderedPage) {
  await page.user.type(byId('problem-title'), '解放路菜市场门口垃圾堆积');
  await pickTreeNode(page.user, byId('problem-category'), '垃圾堆积');
}

describe('NewProblemModal', () => {
  it('title and category are required; nothing is posted without them', async () => {
    const { page } = await open('office');
    await page.user.click(ok());
    expect(await screen.findByText('请输入问题标题')).toBeInTheDocument();
    expect(screen.getByText('请输入问题类别')).toBeInTheDocument();
    await page.user.type(byId('problem-title'), '脏');
    expect(await screen.findByText('问题标题须在2-100字符之间')).toBeInTheDocument();
    expect(page.api.callsTo('POST /api/problems')).toHaveLength(0);
  });

  it('the office posts the form with its channel and 直接立案, then hands over the new id', async () => {
    const { page, onCreated } = await open('office');
    await fillRequired(page);
    await pickOption(page.user, formItem('紧急程度'), '紧急');
    await pickOption(page.user, formItem('问题来源'), '12345热线');
    await page.user.type(screen.getByPlaceholderText('12345 …'), 'GD-2026-0001');
    await page.user.click(ok());

    await waitFor(() => expect(onCreated).toHaveBeenCalledWith(42));
    expect(page.api.lastBody('POST /api/problems')).toEqual({
      title: '解放路菜市场门口垃圾堆积',
      categoryId: 11,
      severity: 'urgent',
      channel: 'hotline',
      externalRef: 'GD-2026-0001',
      register: true,
    });
    expect(await screen.findByText('已登记 WT2026000042')).toBeInTheDocument();
  });

  it('a unit reports without channel or 直接立案', async () => {
    const { page, onCreated } = await open('unit');
    expect(screen.queryByText('问题来源')).toBeNull();
    expect(screen.queryByText('直接立案')).toBeNull();
    await fillRequired(page);
    await page.user.click(ok());
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    expect(page.api.lastBody('POST /api/problems')).toEqual({
      title: '解放路菜市场门口垃圾堆积',
      categoryId: 11,
      severity: 'normal',
    });
  });

  it('warns of open problems of the category nearby, and of a recurrence', async () => {
    const { page } = await open(
      'office',
      created({
        problem: problem({ id: 42, code: 'WT2026000042', recurrenceOfId: 7 }),
        similar: [
          { id: 5, code: 'WT2026000005', title: '同类', state: 'dispatched', distanceM: 12 },
          { id: 6, code: 'WT2026000006', title: '同类', state: 'registered', distanceM: 40 },
        ],
      }),
    );
    await fillRequired(page);
    await page.user.click(ok());
    expect(
      await screen.findByText(
        '附近 50 米内有 2 个同类未结问题：WT2026000005、WT2026000006，请核实是否重复',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('该位置同类问题近期已销号，已标记为反弹')).toBeInTheDocument();
  });

  it("puts the server's field errors on the fields, and keeps the dialog", async () => {
    const { page, onCreated } = await open(
      'office',
      apiError(
        400,
        'validation',
        { zh: '请求参数有误', en: 'invalid request' },
        { fields: [{ path: 'body.title', message: '标题含有不允许的字符' }] },
      ),
    );
    await fillRequired(page);
    await page.user.click(ok());
    const item = (await screen.findByText('标题含有不允许的字符')).closest('.ant-form-item')!;
    expect(within(item as HTMLElement).getByRole('textbox')).toHaveAttribute('id', 'problem-title');
    expect(onCreated).not.toHaveBeenCalled();
  });

  it('a photo is uploaded at once; its id goes with the problem', async () => {
    const { page, onCreated } = await open('office');
    page.api.on({
      'POST /api/files': {
        id: PHOTO,
        thumbUrl: `/api/files/${PHOTO}/thumb`,
        url: `/api/files/${PHOTO}`,
      },
    });
    const input = screen.getByRole('dialog').querySelector('input[type=file]')!;
    fireEvent.change(input, {
      target: {
        files: [
          new File([new Uint8Array([0xff, 0xd8, 0xff])], 'scene.jpg', { type: 'image/jpeg' }),
        ],
      },
    });
    await waitFor(() => expect(page.api.callsTo('POST /api/files')).toHaveLength(1));
    const sent = page.api.callsTo('POST /api/files')[0]!.body as FormData;
    expect((sent.get('file') as File).name).toBe('scene.jpg');
    await fillRequired(page);
    await page.user.click(ok());
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    expect(page.api.lastBody('POST /api/problems')).toMatchObject({ photoIds: [PHOTO] });
  });
});
