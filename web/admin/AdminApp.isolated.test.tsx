import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { permissionsOf } from '../../core/permissions.js';
import { reply } from '../test/mock-api.js';
import { asUser, byId, renderPage } from '../test/render.js';
import { AdminApp } from './AdminApp.js';
import { accessOf, landingFor, menuFor } from './routes.js';

// The landing pages stand in for themselves: this file checks the shell (menu, landing, header).
vi.mock('./results/DashboardPage.js', () => ({ DashboardPage: () => <p>DashboardPage</p> }));
vi.mock('./results/UnitDashboardPage.js', () => ({
  UnitDashboardPage: () => <p>UnitDashboardPage</p>,
}));
vi.mock('./assignments/PartiesPage.js', () => ({ PartiesPage: () => <p>PartiesPage</p> }));
vi.mock('./problems/ProblemsPage.js', () => ({ ProblemsPage: () => <p>ProblemsPage</p> }));
vi.mock('./problems/VerificationQueuePage.js', () => ({
  VerificationQueuePage: () => <p>VerificationQueuePage</p>,
}));
vi.mock('./volunteers/VolunteerActivitiesPage.js', () => ({
  VolunteerActivitiesPage: () => <p>VolunteerActivitiesPage</p>,
}));
// Pages whose chunks arrive only when the test says so: what shows while a page loads.
const chunks = vi.hoisted(() => {
  const gate = () => {
    let open = () => {};
    const promise = new Promise<void>((r) => (open = r));
    return { promise, open: () => open() };
  };
  return { calendar: gate(), kpis: gate() };
});
vi.mock('./problems/CalendarPage.js', async () => {
  await chunks.calendar.promise;
  return { CalendarPage: () => <p>CalendarPage</p> };
});
vi.mock('./problems/ProblemKpisPage.js', async () => {
  await chunks.kpis.promise;
  return { ProblemKpisPage: () => <p>ProblemKpisPage</p> };
});

const shellApi = {
  'GET /api/notifications/unread-count': { count: 0 },
  'GET /api/problems/verification-queue': { items: [], nextCursor: null, total: 3 },
};

/** The menu's labels as rendered: 核查队列 carries the queue's count (3 in shellApi). */
const queueCounted = (m: Record<string, string[]>) =>
  Object.fromEntries(
    Object.entries(m).map(([g, items]) => [
      g,
      items.map((l) => (l === '核查队列' ? '核查队列3' : l)),
    ]),
  );

/** The menu as groups of labels: { 问题管理: ['问题台账', …], … }; '' holds the ungrouped items. */
function menu(): Record<string, string[]> {
  const root = document.querySelector('.ant-menu')!;
  const out: Record<string, string[]> = {};
  for (const li of root.querySelectorAll(':scope > li')) {
    if (li.classList.contains('ant-menu-item-group')) {
      const title = li.querySelector('.ant-menu-item-group-title')!.textContent ?? '';
      out[title] = [...li.querySelectorAll('.ant-menu-item')].map((i) => i.textContent ?? '');
    } else if (li.classList.contains('ant-menu-item')) {
      (out[''] ??= []).push(li.textContent ?? '');
    }
  }
  return out;
}

describe('AdminApp', () => {
  it('the office: every office module, results grouped as 测评结果, lands on the dashboard', async () => {
    const page = await renderPage(<AdminApp />, { user: 'office', api: shellApi });
    expect(await screen.findByText('DashboardPage')).toBeInTheDocument();
    expect(page.location()).toBe('/dashboard');
    const m = menu();
    expect(m['']).toEqual(['工作看板']);
    expect(m['测评结果']).toEqual(['单位排名', '通报', '测评得分预估', '模拟测评推演']);
    expect(m['问题管理']).not.toContain('单位排名');
    expect(m['问题管理']).not.toContain('通报');
    // 我的任务 and 目标责任书 are a unit's pages.
    expect(m['测评体系']).not.toContain('我的任务');
    expect(m['测评体系']).not.toContain('目标责任书');
    // 实景模拟验证 is the office's; 实地检查 is a phone page, the inspectors' (not the office's menu).
    expect(m['测评体系']).toContain('模拟验证');
    expect(m['测评体系']).not.toContain('实地检查');
    // The audit log is the administrators' alone; 网格巡查 is the grid workers' phone page.
    expect(m['组织机构']).toEqual([
      '单位管理',
      '集体责任方',
      '用户管理',
      '行政区划',
      '网格管理',
      '巡查记录',
      '门前三包',
      '入户包联',
    ]);
    // 文明细胞: the registry of title holders (unit.read); the calls and their assessment, dynamic
    // management and 复审.
    expect(m['文明细胞']).toEqual([
      '称号名册',
      '申报评选',
      '动态管理',
      '年度复审',
      '十星级文明户',
      '身边好人',
    ]);
  });

  it('the menu and the landing page are the route table’s, role by role', async () => {
    const roles = [
      'admin',
      'office',
      'leader',
      'unit',
      'inspector',
      'grid_worker',
      'surveyor',
      'volunteer',
    ] as const;
    const users = [
      ...roles.map((r) => asUser(r)),
      // A district office tied to its government's unit.
      asUser('office', {
        regionId: 2,
        regionName: '湖滨区',
        regionLevel: 'district',
        unitId: 20,
        permissions: [...permissionsOf(['office'], true)],
      }),
    ];
    // The surveyor lands on the survey app, which opens the phone app.
    const replace = vi.spyOn(window.location, 'replace').mockImplementation(() => undefined);
    onTestFinished(() => replace.mockRestore());
    for (const user of users) {
      const page = await renderPage(<AdminApp />, { user, api: shellApi });
      const access = accessOf(user);
      await waitFor(() => expect(page.location()).toBe(landingFor(access)));
      const expected = Object.fromEntries(
        menuFor(access).map((g) => [g.label?.zh ?? '', g.items.map((i) => i.label.zh)]),
      );
      // The queue's count shows beside its label.
      await waitFor(() => expect(menu()).toEqual(queueCounted(expected)));
      page.unmount();
    }
  });

  it('集体责任方 opens from the menu, next to 单位管理', async () => {
    const page = await renderPage(<AdminApp />, { user: 'office', api: shellApi });
    await screen.findByText('DashboardPage');
    await page.user.click(within(document.querySelector('.ant-menu')!).getByText('集体责任方'));
    expect(await screen.findByText('PartiesPage')).toBeInTheDocument();
    expect(page.location()).toBe('/parties');
  });

  it('a district office runs its own 志愿服务: the volunteer pages are in its menu', async () => {
    const districtOffice = asUser('office', {
      regionId: 5,
      regionName: '东湖区',
      regionLevel: 'district',
      permissions: [...permissionsOf(['office'], true)],
    });
    await renderPage(<AdminApp />, { user: districtOffice, api: shellApi });
    await screen.findByText('DashboardPage');
    expect(menu()['志愿服务']).toEqual([
      '志愿活动',
      '志愿者与阵地',
      '志愿服务统计',
      '点单派单',
      '服务菜单',
      '站点点单记录',
    ]);
  });

  it('an administrator also has the audit log', async () => {
    await renderPage(<AdminApp />, { user: 'admin', api: shellApi });
    await screen.findByText('DashboardPage');
    expect(menu()['组织机构']).toContain('审计日志');
  });

  it('a unit: its own dashboard, its tasks and pledge, rankings without the score pages', async () => {
    const page = await renderPage(<AdminApp />, { user: 'unit', api: shellApi });
    expect(await screen.findByText('UnitDashboardPage')).toBeInTheDocument();
    expect(page.location()).toBe('/dashboard');
    const m = menu();
    expect(m['']).toEqual(['本单位看板']);
    expect(m['测评结果']).toEqual(['单位排名', '通报']);
    expect(m['测评体系']).toContain('我的任务');
    expect(m['测评体系']).toContain('目标责任书');
    // Its own targets' simulation results.
    expect(m['测评体系']).toContain('模拟验证');
    expect(m['问题管理']).not.toContain('核查队列');
    expect(m['问题管理']).not.toContain('Open311 接入');
    expect(m['问卷调查']).toBeUndefined();
    // 集体责任方 is read with unit.read, which a unit has.
    expect(m['组织机构']).toContain('集体责任方');
  });

  it('a unit role without a unit has no 我的任务 and no dashboard of its own', async () => {
    await renderPage(<AdminApp />, {
      user: asUser('unit', { unitId: null, unitName: null }),
      api: shellApi,
    });
    expect(await screen.findByText('ProblemsPage')).toBeInTheDocument();
    const m = menu();
    expect(m['']).toBeUndefined();
    expect(m['测评体系']).not.toContain('我的任务');
  });

  it('an inspector lands on the ledger; the queue shows in the menu with its count', async () => {
    const page = await renderPage(<AdminApp />, { user: 'inspector', api: shellApi });
    expect(await screen.findByText('ProblemsPage')).toBeInTheDocument();
    expect(page.location()).toBe('/problems');
    const badge = await screen.findByTestId('menu-verification');
    expect(badge).toHaveTextContent('核查队列');
    expect(within(badge).getByText('3')).toBeInTheDocument();
    expect(page.api.callsTo('GET /api/problems/verification-queue')[0]?.query).toEqual({
      limit: '1',
    });
    const m = menu();
    expect(m['测评结果']).toBeUndefined();
    expect(m['组织机构']).not.toContain('用户管理');
    // Inspectors make the simulation calls.
    expect(m['测评体系']).toContain('模拟验证');
  });

  it('a surveyor lands on the survey app (the phone app’s); a volunteer sees only the activities', async () => {
    const replace = vi.spyOn(window.location, 'replace').mockImplementation(() => undefined);
    try {
      const page = await renderPage(<AdminApp />, { user: 'surveyor', api: shellApi });
      await waitFor(() => expect(replace).toHaveBeenCalledWith('/m/survey'));
      expect(page.location()).toBe('/survey-app');
      expect(menu()['问卷调查']).toEqual(['入户调查']);
      expect(menu()['测评体系'] ?? []).not.toContain('模拟验证');
      page.unmount();
    } finally {
      replace.mockRestore();
    }

    const vol = await renderPage(<AdminApp />, { user: 'volunteer', api: shellApi });
    expect(await screen.findByText('VolunteerActivitiesPage')).toBeInTheDocument();
    expect(vol.location()).toBe('/volunteer-activities');
    const m = menu();
    expect(m['志愿服务']).toEqual(['志愿活动']);
    // No unit.read: no 集体责任方 (nor 单位管理).
    expect(m['组织机构'] ?? []).not.toContain('集体责任方');
    expect(m['组织机构'] ?? []).not.toContain('单位管理');
    expect(Object.keys(m).filter((k) => k !== '组织机构' && k !== '志愿服务')).toEqual([]);
    // No queue to count without the permission to verify.
    expect(vol.api.callsTo('GET /api/problems/verification-queue')).toHaveLength(0);
  });

  it('a district office and leader read their units’ 任务分解, 档案资料 and 实景模拟验证 (issue #20)', async () => {
    for (const role of ['office', 'leader'] as const) {
      const page = await renderPage(<AdminApp />, {
        user: asUser(role, {
          regionId: 2,
          regionName: '湖滨区',
          regionLevel: 'district',
          permissions: [...permissionsOf([role], true)],
        }),
        api: shellApi,
      });
      await screen.findByText('DashboardPage');
      const m = menu();
      expect(m['测评体系']).toEqual(
        expect.arrayContaining(['任务分解', '工作组', '档案资料', '硬性指标']),
      );
      // A unit's own pages stay a unit's.
      expect(m['测评体系']).not.toContain('我的任务');
      expect(m['测评体系']).not.toContain('目标责任书');
      // 实景模拟验证 of its units (read-only: simulation.read without write or record).
      expect(m['测评体系']).toContain('模拟验证');
      page.unmount();
    }
  });

  it('a district office and leader: the survey results and quota board, not the design', async () => {
    for (const role of ['office', 'leader'] as const) {
      const page = await renderPage(<AdminApp />, {
        user: asUser(role, {
          regionId: 5,
          regionName: '湖滨区',
          regionLevel: 'district',
          permissions: [...permissionsOf([role], true)],
        }),
        api: shellApi,
      });
      await screen.findByText('DashboardPage');
      expect(menu()['问卷调查']).toEqual(['调查结果', '配额看板']);
      page.unmount();
    }
  });

  it('a leader gets the whole-registry 志愿服务统计', async () => {
    await renderPage(<AdminApp />, { user: 'leader', api: shellApi });
    await screen.findByText('DashboardPage');
    expect(menu()['志愿服务']).toEqual([
      '志愿活动',
      '志愿者与阵地',
      '志愿服务统计',
      '文明积分',
      '点单派单',
      '服务菜单',
      '站点点单记录',
    ]);
  });

  it('switches the language: the menu and header in English, and back; the choice is kept', async () => {
    const page = await renderPage(<AdminApp />, { user: 'office', api: shellApi });
    await screen.findByText('DashboardPage');
    await page.user.click(screen.getByTestId('lang-switch'));
    expect(await screen.findByText('Problem ledger')).toBeInTheDocument();
    expect(screen.getByText('Civilized-city campaign platform')).toBeInTheDocument();
    expect(menu()['Organisation']).toContain('Users');
    expect(menu()['Organisation']).toContain('Collective parties');
    expect(menu()['Framework']).toContain('Framework editor');
    expect(screen.queryByText('问题台账')).not.toBeInTheDocument();
    expect(screen.getByTestId('lang-switch')).toHaveTextContent('中文');
    expect(localStorage.getItem('cc.lang')).toBe('en');
    expect(document.documentElement.lang).toBe('en');

    await page.user.click(screen.getByTestId('lang-switch'));
    expect(await screen.findByText('问题台账')).toBeInTheDocument();
    expect(document.documentElement.lang).toBe('zh-CN');
  });

  it('opens in English when English was chosen before', async () => {
    await renderPage(<AdminApp />, { user: 'office', api: shellApi, lang: 'en' });
    expect(await screen.findByText('Problem ledger')).toBeInTheDocument();
    expect(screen.getByText('Dashboard')).toBeInTheDocument();
  });

  it('on a phone the menu waits behind the menu button, with the queue count', async () => {
    const page = await renderPage(<AdminApp />, { user: 'inspector', api: shellApi, width: 390 });
    await screen.findByText('ProblemsPage');
    expect(document.querySelector('.ant-layout-sider')).toBeNull();
    expect(screen.queryByTestId('menu-verification')).toBeNull();
    await page.user.click(screen.getByTestId('menu-button'));
    const drawer = await waitFor(() => document.querySelector<HTMLElement>('.ant-drawer')!);
    expect(within(drawer).getByTestId('menu-verification')).toHaveTextContent('核查队列3');
    await page.user.click(within(drawer).getByTestId('menu-verification'));
    expect(page.location()).toBe('/verification');
  });

  it('a page opened by its address: the frame shows at once, the spinner where the page will be', async () => {
    await renderPage(<AdminApp />, { user: 'office', api: shellApi, route: '/calendar' });
    expect(await screen.findByTestId('page-loading')).toBeInTheDocument();
    expect(document.querySelector('.ant-layout-sider .ant-menu')).not.toBeNull();
    expect(screen.getByTestId('user-menu')).toBeInTheDocument();
    expect(menu()['问题管理']).toContain('节假日');
    chunks.calendar.open();
    expect(await screen.findByText('CalendarPage')).toBeInTheDocument();
    expect(screen.queryByTestId('page-loading')).toBeNull();
  });

  it('a page opened from the menu: the last page stays in its frame until the next has loaded', async () => {
    const page = await renderPage(<AdminApp />, { user: 'office', api: shellApi });
    await screen.findByText('DashboardPage');
    await page.user.click(within(document.querySelector('.ant-menu')!).getByText('办理统计'));
    expect(await screen.findByTestId('page-navigating')).toBeInTheDocument();
    expect(screen.getByText('DashboardPage')).toBeInTheDocument();
    expect(document.querySelector('.ant-layout-sider .ant-menu')).not.toBeNull();
    chunks.kpis.open();
    expect(await screen.findByText('ProblemKpisPage')).toBeInTheDocument();
    expect(page.location()).toBe('/problem-kpis');
    expect(screen.queryByText('DashboardPage')).toBeNull();
    expect(screen.queryByTestId('page-navigating')).toBeNull();
  });

  it('the sidebar stays in view and scrolls on its own; a new page opens at its top', async () => {
    const scrollTo = vi.spyOn(window, 'scrollTo').mockImplementation(() => undefined);
    const page = await renderPage(<AdminApp />, { user: 'office', api: shellApi });
    await screen.findByText('DashboardPage');
    const sider = screen.getByTestId('admin-sider');
    expect(sider.style.position).toBe('sticky');
    expect(sider.style.top).toBe('0px');
    expect(sider.style.height).toBe('100vh');
    expect(sider.style.overflowY).toBe('auto');
    scrollTo.mockClear();
    await page.user.click(within(document.querySelector('.ant-menu')!).getByText('集体责任方'));
    await screen.findByText('PartiesPage');
    expect(scrollTo).toHaveBeenCalledWith(0, 0);
    scrollTo.mockRestore();
  });

  it('the phone flows open the phone app, and only field roles have them in the menu', async () => {
    const replace = vi.spyOn(window.location, 'replace').mockImplementation(() => undefined);
    try {
      const office = await renderPage(<AdminApp />, {
        user: 'office',
        api: shellApi,
        route: '/inspect?round=2',
      });
      await waitFor(() => expect(replace).toHaveBeenCalledWith('/m/inspect?round=2'));
      expect(Object.values(menu()).flat()).not.toContain('实地检查');
      office.unmount();

      replace.mockClear();
      const inspector = await renderPage(<AdminApp />, { user: 'inspector', api: shellApi });
      expect(menu()['测评体系']).toContain('实地检查');
      await inspector.user.click(
        within(document.querySelector('.ant-menu')!).getByText('实地检查'),
      );
      await waitFor(() => expect(replace).toHaveBeenCalledWith('/m/inspect'));
      inspector.unmount();

      // A check-in QR code made before the move: the phone app's check-in, its token kept.
      replace.mockClear();
      await renderPage(<AdminApp />, {
        user: 'volunteer',
        api: shellApi,
        route: '/volunteer-checkin/7?t=a.b%2Bc',
      });
      await waitFor(() => expect(replace).toHaveBeenCalledWith('/m/checkin/7?t=a.b%2Bc'));
    } finally {
      replace.mockRestore();
    }
  });

  it('a user who must change the password gets the forced dialog', async () => {
    await renderPage(<AdminApp />, {
      user: asUser('unit', { mustChangePassword: true }),
      api: shellApi,
    });
    expect(await screen.findByText(/请设置您自己的密码/)).toBeInTheDocument();
  });

  it('signed out: the login page; signing in opens the app, and writes carry its CSRF token', async () => {
    const page = await renderPage(<AdminApp />, {
      user: null,
      api: {
        ...shellApi,
        'POST /api/auth/login': {
          user: asUser('office'),
          csrfToken: 'token-from-login',
          expiresAt: '2099-01-01T00:00:00.000Z',
        },
        'POST /api/auth/logout': reply(204),
      },
    });
    expect(document.querySelector('.ant-menu')).toBeNull();
    await page.user.type(byId('login-username'), 'office');
    await page.user.type(byId('login-password'), 'Demo@2026');
    await page.user.click(screen.getByTestId('login-submit'));
    expect(await screen.findByText('DashboardPage')).toBeInTheDocument();
    expect(menu()['问题管理']).toContain('问题台账');

    await page.user.hover(screen.getByTestId('user-menu'));
    await page.user.click(await screen.findByText('退出登录'));
    expect(await screen.findByTestId('login-submit')).toBeInTheDocument();
    const logout = page.api.callsTo('POST /api/auth/logout');
    expect(logout).toHaveLength(1);
    expect(logout[0]!.headers['x-csrf-token']).toBe('token-from-login');
  });
});
