import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TNationalHoursPreview } from '../../../core/contracts/volunteers-national.js';
import type { TVolunteer } from '../../../core/contracts/volunteers.js';
import { withCheckChar } from '../../../core/volunteers/id-number.js';
import { DEFAULT_NATIONAL_LAYOUT } from '../../../core/volunteers/national-layout.js';
import { formItem, modalButton, pickOption } from '../../test/antd.js';
import type { MockRequest } from '../../test/mock-api.js';
import { renderPage } from '../../test/render.js';
import { VolunteersPage } from './VolunteersPage.js';

// 实名 on the registry page (issue #24 item 3): the ID number on the form (checked as typed,
// sent only when given), the 实名 column and filter, the reveal for volunteer.realname only, and
// the national system's hours import through its preview.

const ID = withCheckChar('99010219900307002');
const MASKED = `${ID.slice(0, 6)}********${ID.slice(-4)}`;

const volunteer = (over: Partial<TVolunteer> & Pick<TVolunteer, 'id' | 'name'>): TVolunteer => ({
  phone: '13800001234',
  idNumberMasked: null,
  realName: false,
  organisation: null,
  teamId: null,
  teamName: null,
  skills: [],
  regionId: null,
  regionName: null,
  status: 'active',
  userId: null,
  version: 1,
  totalMinutes: 0,
  ...over,
});

const wang = volunteer({ id: 1, name: '王芳', realName: true, idNumberMasked: MASKED });
const chen = volunteer({ id: 2, name: '陈静' });
const registry = { 'GET /api/volunteer-teams': [] };

describe('实名 on the registry', () => {
  it('checks an ID number as it is typed and sends it with the registration', async () => {
    const page = await renderPage(<VolunteersPage />, {
      api: {
        ...registry,
        'GET /api/volunteers': { items: [wang, chen], nextCursor: null, total: 2 },
        'POST /api/volunteers': () => volunteer({ id: 3, name: '赵磊' }),
      },
    });
    // The column: masked for the one on file, 未实名 for the other.
    expect(await screen.findByText(MASKED)).toBeInTheDocument();
    const chenRow = screen.getByText('陈静').closest('tr')!;
    expect(within(chenRow).getByText('未实名')).toBeInTheDocument();

    await page.user.click(screen.getByTestId('volunteer-add'));
    const dialog = await screen.findByRole('dialog');
    await page.user.type(within(formItem('姓名', dialog)).getByRole('textbox'), '赵磊');
    await page.user.type(within(formItem('手机号', dialog)).getByRole('textbox'), '13900002222');
    const idField = within(dialog).getByTestId('volunteer-id-number');
    await page.user.type(idField, ID.slice(0, 17) + (ID[17] === '0' ? '1' : '0'));
    await page.user.click(modalButton('保存'));
    expect(await within(dialog).findByText(/校验码不符/)).toBeInTheDocument();
    expect(page.api.callsTo('POST /api/volunteers')).toHaveLength(0);

    await page.user.clear(idField);
    await page.user.type(idField, ID.toLowerCase());
    await page.user.click(modalButton('保存'));
    await waitFor(() => expect(page.api.callsTo('POST /api/volunteers')).toHaveLength(1));
    expect(page.api.lastBody('POST /api/volunteers')).toMatchObject({
      name: '赵磊',
      idNumber: ID.toLowerCase(),
    });
  });

  it('filters the registry to 未实名 and says how many there are', async () => {
    const page = await renderPage(<VolunteersPage />, {
      api: {
        ...registry,
        'GET /api/volunteers': (req: MockRequest) =>
          req.query.realName === 'no'
            ? { items: [chen], nextCursor: null, total: 1 }
            : { items: [wang, chen], nextCursor: null, total: 2 },
      },
    });
    await screen.findByText('王芳');
    await pickOption(page.user, screen.getByTestId('volunteer-realname-filter'), '未实名');
    expect(await screen.findByTestId('not-real-name-count')).toHaveTextContent('未实名志愿者 1 人');
    await waitFor(() => expect(screen.queryByText('王芳')).not.toBeInTheDocument());
  });

  it('shows the full number only to volunteer.realname, on request', async () => {
    const api = {
      ...registry,
      'GET /api/volunteers': { items: [wang], nextCursor: null, total: 1 },
      'GET /api/volunteers/:id/ledger': { volunteer: wang, entries: [], totalMinutes: 0 },
      'POST /api/volunteers/:id/id-number/reveal': { idNumber: ID },
    };
    const leader = await renderPage(<VolunteersPage />, { user: 'leader', api });
    await leader.user.click(await screen.findByText('王芳'));
    expect(await screen.findByTestId('id-number')).toHaveTextContent(MASKED);
    expect(screen.queryByTestId('reveal-id-number')).not.toBeInTheDocument();
    expect(screen.queryByTestId('volunteer-national')).not.toBeInTheDocument();
    leader.unmount();

    const office = await renderPage(<VolunteersPage />, { user: 'office', api });
    await office.user.click(await screen.findByText('王芳'));
    await office.user.click(await screen.findByTestId('reveal-id-number'));
    await waitFor(() => expect(screen.getByTestId('id-number')).toHaveTextContent(ID));
    expect(office.api.callsTo('POST /api/volunteers/:id/id-number/reveal')[0]!.path).toBe(
      '/api/volunteers/1/id-number/reveal',
    );
  });

  it('imports national hours through a preview: counts, bad rows, then the clean rows', async () => {
    const preview: TNationalHoursPreview = {
      sheetName: '时长记录',
      headerRow: 3,
      counts: { new: 2, duplicate: 1, platform: 1, error: 1 },
      newMinutes: 240,
      errors: [
        {
          row: 8,
          column: '证件号码',
          reason: '身份证号校验码不符，请核对是否输错 / the check digit does not match',
        },
      ],
      rows: [
        {
          row: 4,
          status: 'new',
          name: '王芳',
          idNumberMasked: MASKED,
          activity: '社区敬老',
          date: '2026-11-20',
          minutes: 150,
          recordId: 'N-1',
          volunteerId: 1,
          volunteerName: '王芳',
        },
        {
          row: 8,
          status: 'error',
          name: '赵磊',
          idNumberMasked: null,
          activity: '社区敬老',
          date: null,
          minutes: null,
          recordId: null,
          volunteerId: null,
          volunteerName: null,
        },
      ],
      truncated: false,
    };
    const page = await renderPage(<VolunteersPage />, {
      user: 'office',
      api: {
        ...registry,
        'GET /api/volunteers': { items: [wang], nextCursor: null, total: 1 },
        'GET /api/volunteers/national/layout': {
          layout: DEFAULT_NATIONAL_LAYOUT,
          isDefault: true,
        },
        'POST /api/volunteers/national/hours/preview': preview,
        'POST /api/volunteers/national/hours/import': {
          imported: 2,
          duplicates: 1,
          platform: 1,
          skipped: 1,
          minutes: 240,
        },
      },
    });
    await page.user.click(await screen.findByTestId('volunteer-national'));
    const dialog = await screen.findByRole('dialog');
    // The export names the sheet; the registry's filters go with the volunteers sheet.
    expect(within(dialog).getByTestId('national-export')).toHaveAttribute(
      'href',
      '/api/volunteers/national/export.xlsx?kind=volunteers',
    );
    await page.user.click(within(dialog).getByRole('tab', { name: '导入服务时长' }));
    const input = within(dialog)
      .getByTestId('national-import-file')
      .closest('.ant-upload')!
      .querySelector('input')!;
    await page.user.upload(input, new File(['x'], '时长.xlsx'));
    const summary = await within(dialog).findByTestId('national-preview-summary');
    expect(summary).toHaveTextContent('新增 2 条共 4 小时');
    expect(summary).toHaveTextContent('有错误 1 行');
    expect(within(dialog).getByTestId('national-errors')).toHaveTextContent('校验码不符');
    expect(within(dialog).getByTestId('national-errors')).not.toHaveTextContent('check digit');
    // Nothing is imported until asked; with bad rows, only the clean ones.
    expect(page.api.callsTo('POST /api/volunteers/national/hours/import')).toHaveLength(0);
    const go = within(dialog).getByTestId('national-import');
    expect(go).toHaveTextContent('仅导入无误的 2 条');
    await page.user.click(go);
    expect(await within(dialog).findByTestId('national-import-result')).toHaveTextContent(
      '已导入 2 条（4 小时）',
    );
    expect(page.api.callsTo('POST /api/volunteers/national/hours/import')[0]!.query).toEqual({
      skipBadRows: 'true',
    });
  });
});
