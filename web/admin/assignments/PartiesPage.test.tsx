import { screen, waitFor, within } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { TParty } from '../../../core/contracts/org.js';
import { chosen, fill, formItem, modalButton, openSelect, pickOption } from '../../test/antd.js';
import { unit } from '../../test/fixtures.js';
import { apiError, reply } from '../../test/mock-api.js';
import { byId, renderPage, type RenderPageOptions } from '../../test/render.js';
import { PartiesPage } from './PartiesPage.js';

const COUNTIES: TParty = {
  id: 1,
  name: '各县（市、区）',
  aliases: ['各区县', '县市区'],
  kind: 'group',
  memberTypes: ['district_government'],
  // An inactive unit: not among the units the form loads, still shown as chosen.
  members: [{ id: 20, name: '示范新区管委会' }],
  memberCount: 6,
  contactUnit: null,
  notes: null,
  version: 3,
};
const PROPERTY: TParty = {
  id: 2,
  name: '各物业公司',
  aliases: [],
  kind: 'outside',
  memberTypes: [],
  members: [],
  memberCount: 0,
  contactUnit: { id: 9, name: '市住房和城乡建设局' },
  notes: '住宅小区物业服务企业',
  version: 1,
};

const UNITS = [
  unit({ id: 7, name: '市城市管理综合执法局', shortName: '城管局' }),
  unit({ id: 8, name: '市交通运输局' }),
  unit({ id: 9, name: '市住房和城乡建设局', shortName: '住建局', aliases: ['市住建局'] }),
];

const render = (api: RenderPageOptions['api'] = {}, opts: RenderPageOptions = {}) =>
  renderPage(<PartiesPage />, {
    ...opts,
    api: {
      'GET /api/parties': { items: [COUNTIES, PROPERTY] },
      'GET /api/units': { items: UNITS },
      'POST /api/parties': reply(201, { ...COUNTIES, id: 3 }),
      'PATCH /api/parties/:id': COUNTIES,
      'DELETE /api/parties/:id': reply(204),
      ...api,
    },
  });

const form = () => screen.getByTestId('party-form');

/** Types into a searchable Select and picks the option with this label. */
async function searchAndPick(user: UserEvent, field: HTMLElement, text: string, label: string) {
  const dropdown = await openSelect(user, field);
  await user.keyboard(text);
  const option = await waitFor(() => {
    const found = [...dropdown.querySelectorAll<HTMLElement>('.ant-select-item-option')].find(
      (o) => o.textContent === label,
    );
    if (!found) throw new Error(`no option ${label}`);
    return found;
  });
  await user.click(option);
}

describe('PartiesPage', () => {
  it('lists the parties: names, aliases, kind and what each stands for, under an explanation', async () => {
    const page = await render();
    expect(await screen.findByTestId('party-name-1')).toHaveTextContent('各县（市、区）');
    expect(screen.getByTestId('party-explain')).toHaveTextContent(
      /每个成员单位都会收到这项任务.*负责联系的单位代为承担/,
    );
    expect(
      within(screen.getByTestId('party-aliases-1'))
        .getAllByText(/./)
        .map((e) => e.textContent),
    ).toEqual(['各区县', '县市区']);
    expect(screen.getByTestId('party-aliases-2').textContent).toBe('');
    const row1 = screen.getByTestId('party-name-1').closest('tr')!;
    expect(within(row1).getByText('单位集合')).toBeInTheDocument();
    expect(screen.getByTestId('party-resolves-1')).toHaveTextContent(
      '按类型：区县政府 + 列出的 1 个单位 · 共 6 个单位',
    );
    const row2 = screen.getByTestId('party-name-2').closest('tr')!;
    expect(within(row2).getByText('外部责任方')).toBeInTheDocument();
    expect(within(row2).getByText('住宅小区物业服务企业')).toBeInTheDocument();
    expect(screen.getByTestId('party-resolves-2')).toHaveTextContent(
      '由 市住房和城乡建设局 负责联系',
    );
    // The office may write.
    expect(screen.getByTestId('party-new')).toBeInTheDocument();
    expect(screen.getByTestId('party-edit-1')).toBeInTheDocument();
    expect(page.api.callsTo('GET /api/parties')).toHaveLength(1);
  });

  it('creates a group by unit type and sends the whole body', async () => {
    const page = await render();
    await screen.findByTestId('party-name-1');
    await page.user.click(screen.getByTestId('party-new'));
    await fill(page.user, byId('party-name'), '各街道（乡镇）');
    await fill(page.user, byId('party-aliases'), '各街道');
    await page.user.keyboard('{Enter}');
    await waitFor(() => expect(chosen(byId('party-aliases'))).toEqual(['各街道']));
    await pickOption(page.user, byId('party-member-types'), '街道办事处/乡镇');
    await page.user.click(modalButton('确定'));

    await waitFor(() => expect(page.api.callsTo('POST /api/parties')).toHaveLength(1));
    expect(page.api.lastBody('POST /api/parties')).toEqual({
      name: '各街道（乡镇）',
      aliases: ['各街道'],
      kind: 'group',
      memberTypes: ['street_office'],
      memberIds: [],
      contactUnitId: null,
      notes: null,
    });
    // The units to choose from: the active ones, in one request.
    expect(page.api.callsTo('GET /api/units')[0]?.query).toEqual({
      limit: '500',
      active: 'true',
    });
    await waitFor(() => expect(page.api.callsTo('GET /api/parties')).toHaveLength(2));
    expect(await screen.findByText('已保存')).toBeInTheDocument();
  });

  it('a group with neither unit types nor member units is refused before sending', async () => {
    const page = await render();
    await screen.findByTestId('party-name-1');
    await page.user.click(screen.getByTestId('party-new'));
    await fill(page.user, byId('party-name'), '市直各部门');
    await page.user.click(modalButton('确定'));
    expect(
      await within(formItem('成员单位')).findByText('请选择单位类型，或列出成员单位'),
    ).toBeVisible();
    expect(page.api.callsTo('POST /api/parties')).toHaveLength(0);
  });

  it('an outside party needs its contact unit; the unit is found by its short name', async () => {
    const page = await render();
    await screen.findByTestId('party-name-1');
    await page.user.click(screen.getByTestId('party-new'));
    await fill(page.user, byId('party-name'), '各银行网点');
    await page.user.click(within(form()).getByText('外部责任方'));
    // A group's fields give way to the contact unit.
    expect(document.getElementById('party-member-types')).toBeNull();
    await page.user.click(modalButton('确定'));
    expect(
      await within(formItem('负责联系的单位')).findByText('请选择负责联系的单位'),
    ).toBeVisible();
    expect(page.api.callsTo('POST /api/parties')).toHaveLength(0);

    await searchAndPick(page.user, byId('party-contact-unit'), '住建局', '市住房和城乡建设局');
    expect(chosen(byId('party-contact-unit'))).toEqual(['市住房和城乡建设局']);
    await fill(page.user, byId('party-notes'), '  由住建局统一联系  ');
    await page.user.click(modalButton('确定'));
    await waitFor(() => expect(page.api.callsTo('POST /api/parties')).toHaveLength(1));
    expect(page.api.lastBody('POST /api/parties')).toEqual({
      name: '各银行网点',
      aliases: [],
      kind: 'outside',
      memberTypes: [],
      memberIds: [],
      contactUnitId: 9,
      notes: '由住建局统一联系',
    });
  });

  it('shows the server’s errors: on the field they name, else above the form; the dialog stays', async () => {
    let answer = apiError(
      409,
      'name_taken',
      {
        zh: '名称“各区县”已被“各县（市、区）”使用',
        en: 'the name "各区县" is already used by "各县（市、区）"',
      },
      { fields: [{ path: 'name', message: '名称“各区县”已被“各县（市、区）”使用' }] },
    );
    const page = await render({ 'POST /api/parties': () => answer });
    await screen.findByTestId('party-name-1');
    await page.user.click(screen.getByTestId('party-new'));
    await fill(page.user, byId('party-name'), '各区县');
    await page.user.click(within(form()).getByText('外部责任方'));
    await pickOption(page.user, byId('party-contact-unit'), '市交通运输局');
    await page.user.click(modalButton('确定'));
    expect(
      await within(formItem('名称')).findByText('名称“各区县”已被“各县（市、区）”使用'),
    ).toBeVisible();

    answer = apiError(400, 'invalid', { zh: '单位不存在（8）', en: 'unit not found (8)' });
    await fill(page.user, byId('party-name'), '各银行网点');
    await page.user.click(modalButton('确定'));
    expect(await screen.findByTestId('party-error')).toHaveTextContent('单位不存在（8）');
    expect(byId('party-name')).toHaveValue('各银行网点');
    expect(page.api.callsTo('POST /api/parties')).toHaveLength(2);
  });

  it('editing shows the party as saved and sends the changes with its version', async () => {
    const page = await render();
    await screen.findByTestId('party-name-1');
    await page.user.click(screen.getByTestId('party-edit-1'));
    expect(byId('party-name')).toHaveValue('各县（市、区）');
    expect(chosen(byId('party-aliases'))).toEqual(['各区县', '县市区']);
    expect(chosen(byId('party-member-types'))).toEqual(['区县政府']);
    expect(chosen(byId('party-member-ids'))).toEqual(['示范新区管委会']);
    await pickOption(page.user, byId('party-member-ids'), '市交通运输局');
    await page.user.click(modalButton('确定'));

    await waitFor(() => expect(page.api.callsTo('PATCH /api/parties/:id')).toHaveLength(1));
    const sent = page.api.callsTo('PATCH /api/parties/:id')[0]!;
    expect(sent.path).toBe('/api/parties/1');
    expect(sent.body).toEqual({
      name: '各县（市、区）',
      aliases: ['各区县', '县市区'],
      kind: 'group',
      memberTypes: ['district_government'],
      memberIds: [20, 8],
      contactUnitId: null,
      notes: null,
      version: 3,
    });
  });

  it('editing an outside party keeps its contact unit; a new one after it starts blank', async () => {
    const page = await render();
    await screen.findByTestId('party-name-2');
    await page.user.click(screen.getByTestId('party-edit-2'));
    expect(chosen(byId('party-contact-unit'))).toEqual(['市住房和城乡建设局']);
    expect(byId('party-notes')).toHaveValue('住宅小区物业服务企业');
    await page.user.click(modalButton('确定'));
    await waitFor(() => expect(page.api.callsTo('PATCH /api/parties/:id')).toHaveLength(1));
    expect(page.api.lastBody('PATCH /api/parties/:id')).toMatchObject({
      kind: 'outside',
      contactUnitId: 9,
      notes: '住宅小区物业服务企业',
      version: 1,
    });
    await waitFor(() => expect(screen.queryByTestId('party-form')).toBeNull());

    await page.user.click(screen.getByTestId('party-new'));
    expect(byId('party-name')).toHaveValue('');
    expect(byId('party-member-types')).toBeInTheDocument();
    expect(chosen(byId('party-member-types'))).toEqual([]);
  });

  it('deletes after confirming, with the version', async () => {
    const page = await render();
    await screen.findByTestId('party-name-2');
    await page.user.click(screen.getByTestId('party-delete-2'));
    expect(await screen.findByText('确定删除该集体责任方？')).toBeInTheDocument();
    await page.user.click(modalButton('确定'));
    await waitFor(() => expect(page.api.callsTo('DELETE /api/parties/:id')).toHaveLength(1));
    const sent = page.api.callsTo('DELETE /api/parties/:id')[0]!;
    expect(sent.path).toBe('/api/parties/2');
    expect(sent.query).toEqual({ version: '1' });
    await waitFor(() => expect(page.api.callsTo('GET /api/parties')).toHaveLength(2));
  });

  it('a read-only role sees the list without write buttons', async () => {
    await render({}, { user: 'leader' });
    expect(await screen.findByTestId('party-resolves-1')).toHaveTextContent('共 6 个单位');
    expect(screen.queryByTestId('party-new')).toBeNull();
    expect(screen.queryByTestId('party-edit-1')).toBeNull();
    expect(screen.queryByTestId('party-delete-1')).toBeNull();
    expect(screen.queryByText('操作')).toBeNull();
  });

  it('in English: the explanation, kinds, what each stands for, and the form’s messages', async () => {
    const page = await render(
      {
        'PATCH /api/parties/:id': apiError(
          400,
          'invalid',
          {
            zh: '请求参数有误：body.contactUnitId: 外部责任方须指定负责联系的单位 / an outside party needs the unit that answers for it',
            en: 'invalid request: body.contactUnitId: 外部责任方须指定负责联系的单位 / an outside party needs the unit that answers for it',
          },
          {
            fields: [
              {
                path: 'body.contactUnitId',
                message:
                  '外部责任方须指定负责联系的单位 / an outside party needs the unit that answers for it',
              },
            ],
          },
        ),
      },
      { lang: 'en' },
    );
    await screen.findByTestId('party-name-1');
    expect(screen.getByText('Collective parties')).toBeInTheDocument();
    expect(screen.getByTestId('party-explain')).toHaveTextContent(
      /each member gets the task.*its contact unit answers for it/,
    );
    expect(screen.getByTestId('party-resolves-1')).toHaveTextContent(
      'By type: District government + 1 listed unit · 6 units in all',
    );
    expect(screen.getByTestId('party-resolves-2')).toHaveTextContent(
      'Answered for by 市住房和城乡建设局',
    );
    expect(screen.getByText('Group of units')).toBeInTheDocument();
    expect(screen.getByText('Outside party')).toBeInTheDocument();
    expect(screen.queryByText('单位集合')).toBeNull();

    await page.user.click(screen.getByTestId('party-new'));
    await fill(page.user, byId('party-name'), '各银行网点');
    await page.user.click(within(form()).getByText('Outside party'));
    await page.user.click(modalButton('OK'));
    expect(
      await within(formItem('Contact unit')).findByText('Choose the contact unit'),
    ).toBeVisible();
    await page.user.click(modalButton('Cancel'));
    await waitFor(() => expect(screen.queryByTestId('party-form')).toBeNull());

    // The server's field message, in the language shown.
    await page.user.click(screen.getByTestId('party-edit-2'));
    await page.user.click(modalButton('OK'));
    expect(
      await within(formItem('Contact unit')).findByText(
        'an outside party needs the unit that answers for it',
      ),
    ).toBeVisible();
  });
});
