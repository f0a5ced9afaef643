import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TUser } from '../../../core/contracts/org.js';
import { permissionsOf, type TRole } from '../../../core/permissions.js';
import { openSelect, pickOption, fill, modalButton } from '../../test/antd.js';
import { asUser, byId, renderPage, type RenderPageOptions } from '../../test/render.js';
import { UsersPage } from './UsersPage.js';

// 分级管理: the users page offers a district office only the roles it may grant and only the
// regions of its own subtree (the server refuses the rest either way: org-levels.int.test.ts).

const AT = '2026-11-23T00:00:00.000Z';
function account(over: Partial<TUser> & Pick<TUser, 'id' | 'username' | 'roles'>): TUser {
  return {
    name: `用户${over.id}`,
    phone: null,
    unitId: null,
    unitName: null,
    regionId: 2,
    regionName: '湖滨区',
    active: true,
    mustChangePassword: false,
    lockedUntil: null,
    lastLoginAt: null,
    version: 1,
    createdAt: AT,
    updatedAt: AT,
    ...over,
  };
}

/** The office of 湖滨区 (region 2 of the fixtures: 示范市 → 湖滨区 → 湖滨社区). */
const districtOffice = asUser('office', {
  regionId: 2,
  regionName: '湖滨区',
  regionLevel: 'district',
  permissions: [...permissionsOf(['office'], true)],
});

const render = (user: RenderPageOptions['user'], items: TUser[] = []) =>
  renderPage(<UsersPage />, {
    user,
    api: {
      'GET /api/users': { items, nextCursor: null, total: items.length },
      'POST /api/users': account({ id: 50, username: 'xin', roles: ['inspector'] }),
    },
  });

/** The labels a drop-down offers, and which of them are disabled. */
async function offered(page: Awaited<ReturnType<typeof render>>, field: HTMLElement) {
  const dropdown = await openSelect(page.user, field);
  const options = await waitFor(() => {
    const found = [...dropdown.querySelectorAll<HTMLElement>('.ant-select-item-option')];
    if (found.length === 0) throw new Error('no options yet');
    return found;
  });
  return options.map((o) => ({
    label: o.textContent,
    disabled: o.className.includes('option-disabled'),
  }));
}

/** The region titles a TreeSelect offers (its branches opened). */
async function regionTitles(page: Awaited<ReturnType<typeof render>>, field: HTMLElement) {
  const dropdown = await openSelect(page.user, field);
  for (let i = 0; i < 10; i++) {
    const closed = dropdown.querySelector<HTMLElement>('.ant-select-tree-switcher_close');
    if (!closed) break;
    await page.user.click(closed);
  }
  return [...dropdown.querySelectorAll<HTMLElement>('.ant-select-tree-node-content-wrapper')].map(
    (n) => n.getAttribute('title'),
  );
}

const label = (roles: TRole[]) =>
  ({
    admin: '系统管理员',
    office: '创建办',
    leader: '领导',
    unit: '责任单位',
    inspector: '测评员',
    grid_worker: '网格员',
    surveyor: '调查员',
    volunteer: '志愿者',
    shop: '商户店员',
  })[roles[0]!];

describe('UsersPage: administration by level', () => {
  it('a district office is offered the roles of its own people only', async () => {
    const page = await render(districtOffice);
    await page.user.click(await screen.findByTestId('user-new'));
    const roles = await offered(page, byId('user-roles'));
    expect(roles.map((r) => r.label)).toEqual(
      (['office', 'leader', 'unit', 'inspector', 'grid_worker', 'surveyor'] as TRole[]).map((r) =>
        label([r]),
      ),
    );
    expect(roles.every((r) => !r.disabled)).toBe(true);
  });

  it('a district office picks regions of its subtree only, its own region by default', async () => {
    const page = await render(districtOffice);
    await page.user.click(await screen.findByTestId('user-new'));
    expect(await regionTitles(page, byId('user-region'))).toEqual(['湖滨区', '湖滨社区']);
    await fill(page.user, byId('username'), 'xin');
    await fill(page.user, byId('name'), '新测评员');
    await pickOption(page.user, byId('user-roles'), '测评员');
    await fill(page.user, byId('password'), 'Level@2026pw');
    await page.user.click(modalButton('确定'));
    await waitFor(() => expect(page.api.callsTo('POST /api/users')).toHaveLength(1));
    expect(page.api.lastBody('POST /api/users')).toMatchObject({
      username: 'xin',
      regionId: 2,
      roles: expect.arrayContaining(['inspector']) as unknown,
    });
  });

  it('the city office is offered every role but admin, and every region', async () => {
    const page = await render('office');
    await page.user.click(await screen.findByTestId('user-new'));
    const roles = (await offered(page, byId('user-roles'))).map((r) => r.label);
    expect(roles).toContain('志愿者');
    expect(roles).not.toContain('系统管理员');
    expect(await regionTitles(page, byId('user-region'))).toEqual(['示范市', '湖滨区', '湖滨社区']);
  });

  it('an administrator may grant admin', async () => {
    const page = await render('admin');
    await page.user.click(await screen.findByTestId('user-new'));
    const roles = await offered(page, byId('user-roles'));
    expect(roles.find((r) => r.label === '系统管理员')).toEqual({
      label: '系统管理员',
      disabled: false,
    });
  });

  it('a role the office may not grant shows on the user it edits, but cannot be changed', async () => {
    const vol = account({ id: 9, username: 'vol', roles: ['volunteer', 'inspector'] });
    const page = await render(districtOffice, [vol]);
    await page.user.click(await screen.findByText('编辑'));
    const roles = await offered(page, byId('user-roles'));
    expect(roles.find((r) => r.label === '志愿者')).toEqual({ label: '志愿者', disabled: true });
    expect(roles.some((r) => r.label === '系统管理员')).toBe(false);
  });
});
