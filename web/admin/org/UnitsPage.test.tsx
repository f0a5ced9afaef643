import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TUnit } from '../../../core/contracts/org.js';
import { permissionsOf } from '../../../core/permissions.js';
import { chosen, fill, formItem, modalButton, openSelect, pickOption } from '../../test/antd.js';
import { unit } from '../../test/fixtures.js';
import { apiError, type MockRequest } from '../../test/mock-api.js';
import { asUser, byId, renderPage } from '../../test/render.js';
import { UnitsPage } from './UnitsPage.js';

const CG = unit({
  id: 7,
  name: '市城市管理综合执法局',
  shortName: '城管局',
  aliases: ['城管', '市城管局'],
});
const JT = unit({ id: 8, name: '市交通运输局' });

/** The page's own list (GET /api/units with paging) and the parent picker's (limit=30). */
const units = (items: TUnit[]) => (req: MockRequest) =>
  req.query.limit === '30' ? { items } : { items, nextCursor: null, total: items.length };

const render = (api: Record<string, unknown> = {}) =>
  renderPage(<UnitsPage />, {
    api: {
      'GET /api/units': units([CG, JT]),
      'POST /api/units': unit({ id: 9, name: '市发展和改革委员会' }),
      'PATCH /api/units/:id': CG,
      ...api,
    },
  });

const aliasesField = () => byId('unit-aliases');

describe('UnitsPage: short names and aliases', () => {
  it('lists each unit’s short name and aliases', async () => {
    await render();
    const names = await screen.findByTestId('unit-names-7');
    expect(
      within(names)
        .getAllByText(/./)
        .map((e) => e.textContent),
    ).toEqual(['城管局', '城管', '市城管局']);
    expect(screen.getByTestId('unit-names-8').textContent).toBe('');
  });

  it('a new unit is posted with its short name and the aliases typed or pasted', async () => {
    const page = await render();
    await screen.findByTestId('unit-names-7');
    await page.user.click(screen.getByTestId('unit-new'));
    await page.user.type(byId('unit-code'), 'FGW');
    await fill(page.user, byId('unit-name'), '市发展和改革委员会');
    await pickOption(page.user, byId('unit-type'), '政府部门');
    await fill(page.user, byId('unit-short-name'), '发改委');
    // One name and Enter; then a list pasted as a sheet writes it.
    await fill(page.user, aliasesField(), '发改');
    await page.user.keyboard('{Enter}');
    await page.user.click(aliasesField());
    await page.user.paste('市发改委、发展改革委，');
    await waitFor(() => expect(chosen(aliasesField())).toEqual(['发改', '市发改委', '发展改革委']));
    await page.user.click(modalButton('确定'));

    await waitFor(() => expect(page.api.callsTo('POST /api/units')).toHaveLength(1));
    expect(page.api.lastBody('POST /api/units')).toMatchObject({
      code: 'FGW',
      name: '市发展和改革委员会',
      type: 'government_department',
      shortName: '发改委',
      aliases: ['发改', '市发改委', '发展改革委'],
      active: true,
    });
  });

  it('a new unit without aliases sends an empty list, never null', async () => {
    const page = await render();
    await screen.findByTestId('unit-names-7');
    await page.user.click(screen.getByTestId('unit-new'));
    await page.user.type(byId('unit-code'), 'JY');
    await fill(page.user, byId('unit-name'), '市教育局');
    await pickOption(page.user, byId('unit-type'), '政府部门');
    await page.user.click(modalButton('确定'));
    await waitFor(() => expect(page.api.callsTo('POST /api/units')).toHaveLength(1));
    expect(page.api.lastBody('POST /api/units')).toMatchObject({ shortName: null, aliases: [] });
  });

  it('editing shows the aliases, removes one and sends the list with the version', async () => {
    const page = await render();
    const row = (await screen.findByTestId('unit-names-7')).closest('tr')!;
    await page.user.click(within(row).getByText('编辑'));
    expect(byId('unit-short-name')).toHaveValue('城管局');
    expect(chosen(aliasesField())).toEqual(['城管', '市城管局']);
    const tag = formItem('别名').querySelector<HTMLElement>(
      '.ant-select-selection-item[title="城管"]',
    )!;
    await page.user.click(tag.querySelector<HTMLElement>('.ant-select-selection-item-remove')!);
    expect(chosen(aliasesField())).toEqual(['市城管局']);
    await page.user.click(modalButton('确定'));
    await waitFor(() => expect(page.api.callsTo('PATCH /api/units/:id')).toHaveLength(1));
    const sent = page.api.callsTo('PATCH /api/units/:id')[0]!;
    expect(sent.path).toBe('/api/units/7');
    expect(sent.body).toMatchObject({ shortName: '城管局', aliases: ['市城管局'], version: 1 });
  });

  it('an alias another unit uses shows the server’s message on the 别名 field', async () => {
    const msg = {
      zh: '别名“交通局”已是单位“市交通运输局”的简称，不能再用作本单位的别名',
      en: 'alias "交通局" is already the short name of unit "市交通运输局"',
    };
    const page = await render({
      'PATCH /api/units/:id': apiError(409, 'alias_taken', msg, {
        fields: [{ path: 'aliases', message: `${msg.zh} / ${msg.en}` }],
      }),
    });
    const row = (await screen.findByTestId('unit-names-7')).closest('tr')!;
    await page.user.click(within(row).getByText('编辑'));
    await page.user.click(aliasesField());
    await page.user.keyboard('交通局{Enter}');
    await page.user.click(modalButton('确定'));
    expect(await within(formItem('别名')).findByText(/已是单位“市交通运输局”的简称/)).toBeVisible();
    // The dialog stays open with what was typed.
    expect(chosen(aliasesField())).toEqual(['城管', '市城管局', '交通局']);
  });

  it('a short name listing several names is refused before sending', async () => {
    const page = await render();
    await screen.findByTestId('unit-names-7');
    await page.user.click(screen.getByTestId('unit-new'));
    await page.user.type(byId('unit-code'), 'CG2');
    await fill(page.user, byId('unit-name'), '区城管局');
    await pickOption(page.user, byId('unit-type'), '政府部门');
    await fill(page.user, byId('unit-short-name'), '城管局/城管');
    await page.user.click(modalButton('确定'));
    expect(await within(formItem('简称')).findByText(/只能是一个名称/)).toBeInTheDocument();
    expect(page.api.callsTo('POST /api/units')).toHaveLength(0);
  });
});

describe('UnitsPage: administration by level', () => {
  /** The region titles the unit form's picker offers (branches opened). */
  async function regionTitles(page: Awaited<ReturnType<typeof renderPage>>) {
    const dropdown = await openSelect(page.user, byId('unit-region'));
    for (let i = 0; i < 10; i++) {
      const closed = dropdown.querySelector<HTMLElement>('.ant-select-tree-switcher_close');
      if (!closed) break;
      await page.user.click(closed);
    }
    return [...dropdown.querySelectorAll('.ant-select-tree-node-content-wrapper')].map((n) =>
      n.getAttribute('title'),
    );
  }

  it('a district office places a new unit in its own subtree: its region by default', async () => {
    const page = await renderPage(<UnitsPage />, {
      user: asUser('office', {
        regionId: 2,
        regionName: '湖滨区',
        regionLevel: 'district',
        permissions: [...permissionsOf(['office'], true)],
      }),
      api: { 'GET /api/units': units([CG]), 'POST /api/units': CG },
    });
    await page.user.click(await screen.findByTestId('unit-new'));
    expect(chosen(byId('unit-region'))).toEqual(['湖滨区']);
    expect(await regionTitles(page)).toEqual(['湖滨区', '湖滨社区']);
  });

  it('the city office is offered every region, and none by default', async () => {
    const page = await render();
    await page.user.click(await screen.findByTestId('unit-new'));
    expect(chosen(byId('unit-region'))).toEqual([]);
    expect(await regionTitles(page)).toEqual(['示范市', '湖滨区', '湖滨社区']);
  });
});
