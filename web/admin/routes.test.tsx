import { waitFor } from '@testing-library/react';
import { Suspense } from 'react';
import { matchRoutes } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import type { TSessionUser } from '../../core/contracts/auth.js';
import { Permission, permissionsOf } from '../../core/permissions.js';
import { FIELD_ROLES } from '../shared/field-roles.js';
import { asUser, renderPage } from '../test/render.js';
import { accessOf, allows, landingFor, menuFor, ROUTES, routesFor, type Access } from './routes.js';

// The route table (routes.tsx) decides both what a user may open and what their menu shows.
// These tests read the table directly; AdminApp.isolated.test.tsx checks the app renders it.

/** An office held at a district or street (区/街道创建办), tied to its government's unit. */
const placedOffice = (level: 'district' | 'street', regionId: number, unitId: number) =>
  asUser('office', {
    name: '吴区创',
    regionId,
    regionName: level === 'district' ? '东湖区' : '湖滨街道',
    regionLevel: level,
    unitId,
    unitName: level === 'district' ? '东湖区人民政府' : '湖滨街道办事处',
    permissions: [...permissionsOf(['office'], true)],
  });

/** The demo's users, as the seed has them (server/db/seed/demo-city.data.ts). */
const USERS: Record<string, TSessionUser> = {
  admin: asUser('admin'),
  // The city office and the leader are tied to their departments (市文明办, 市委宣传部) as in the
  // demo, without the unit role.
  office: asUser('office', { unitId: 2, unitName: '市文明办' }),
  leader: asUser('leader', { unitId: 3, unitName: '市委宣传部' }),
  district: placedOffice('district', 2, 20),
  street: placedOffice('street', 3, 21),
  unit: asUser('unit'),
  inspector: asUser('inspector'),
  grid_worker: asUser('grid_worker', { regionId: 4, regionLevel: 'community' }),
  surveyor: asUser('surveyor', { regionId: 2, regionLevel: 'district' }),
  volunteer: asUser('volunteer', { regionId: null, regionName: null, regionLevel: null }),
};
const ACCESS: [string, Access][] = Object.entries(USERS).map(([k, u]) => [k, accessOf(u)]);

/** The menu as { heading: [labels] } ('' for the items above the groups). */
const menuOf = (a: Access) =>
  Object.fromEntries(menuFor(a).map((g) => [g.label?.zh ?? '', g.items.map((i) => i.label.zh)]));

/**
 * The field flows that live in the phone app (/m/): kept as routes that open it (old links, the
 * menu), in field roles' menus only.
 */
const FIELD_PAGES = ['/patrol', '/inspect', '/survey-app', '/volunteer-checkin/:id'];
const isFieldRole = (a: Access) => a.user.roles.some((r) => FIELD_ROLES.includes(r));

const ORGANISATION = ['单位管理', '集体责任方', '用户管理', '行政区划', '网格管理', '巡查记录'];
/** 文明细胞 dynamic management: the office's, admins' and leaders' (their subtree's below the city). */
const CELLS = ['申报评选', '动态管理', '年度复审', '十星级文明户'];

describe('the menu of each role', () => {
  it('an administrator: everything but the phone pages, the audit log included', () => {
    const m = menuOf(accessOf(USERS.admin!));
    expect(m['']).toEqual(['工作看板']);
    expect(m['组织机构']).toEqual([...ORGANISATION, '门前三包', '入户包联', '审计日志']);
    expect(m['文明细胞']).toEqual(['称号名册', ...CELLS, '身边好人']);
    expect(m['测评体系']).not.toContain('实地检查');
    expect(m['问卷调查']).toEqual(['调查结果', '配额看板', '问卷设计']);
  });

  it('the city office', () => {
    expect(menuOf(accessOf(USERS.office!))).toEqual({
      '': ['工作看板'],
      问题管理: [
        '问题台账',
        '核查队列',
        '督办单',
        '节假日',
        '办理统计',
        'Open311 接入',
        '短信发送记录',
        '结果回传',
      ],
      测评体系: [
        '体系编辑',
        '任务分解',
        '工作组',
        '档案资料',
        '网上申报',
        '硬性指标',
        '创建周期',
        '测评轮次',
        '模拟验证',
        '点位管理',
        '点位类型',
        '公益广告阵地',
      ],
      问卷调查: ['调查结果', '配额看板', '问卷设计'],
      测评结果: ['单位排名', '通报', '测评得分预估', '模拟测评推演'],
      志愿服务: [
        '志愿活动',
        '志愿者与阵地',
        '志愿服务统计',
        '文明积分',
        '点单派单',
        '服务菜单',
        '站点点单记录',
      ],
      文明细胞: ['称号名册', ...CELLS, '身边好人'],
      组织机构: [...ORGANISATION, '门前三包', '入户包联'],
    });
  });

  it('a leader reads the campaign: no queue, no Open311, no design, no point management', () => {
    expect(menuOf(accessOf(USERS.leader!))).toEqual({
      '': ['工作看板'],
      问题管理: ['问题台账', '督办单', '节假日', '办理统计'],
      测评体系: [
        '体系编辑',
        '任务分解',
        '工作组',
        '档案资料',
        '网上申报',
        '硬性指标',
        '创建周期',
        '测评轮次',
        '模拟验证',
        '公益广告阵地',
      ],
      问卷调查: ['调查结果', '配额看板'],
      测评结果: ['单位排名', '通报', '测评得分预估', '模拟测评推演'],
      志愿服务: [
        '志愿活动',
        '志愿者与阵地',
        '志愿服务统计',
        '文明积分',
        '点单派单',
        '服务菜单',
        '站点点单记录',
      ],
      文明细胞: ['称号名册', ...CELLS],
      组织机构: [...ORGANISATION, '门前三包', '入户包联'],
    });
  });

  it('a district and a street office: their subtree, without the city’s pages', () => {
    for (const who of ['district', 'street']) {
      expect(menuOf(accessOf(USERS[who]!)), who).toEqual({
        '': ['工作看板'],
        问题管理: ['问题台账', '核查队列', '督办单', '节假日', '办理统计'],
        测评体系: [
          '体系编辑',
          '任务分解',
          '工作组',
          '档案资料',
          '硬性指标',
          '创建周期',
          '测评轮次',
          '模拟验证',
          '点位管理',
          '公益广告阵地',
        ],
        问卷调查: ['调查结果', '配额看板'],
        测评结果: ['单位排名', '通报'],
        志愿服务: [
          '志愿活动',
          '志愿者与阵地',
          '志愿服务统计',
          '点单派单',
          '服务菜单',
          '站点点单记录',
        ],
        文明细胞: ['称号名册', ...CELLS, '身边好人'],
        组织机构: [...ORGANISATION, '门前三包', '入户包联'],
      });
    }
  });

  it('a unit: its own dashboard, 我的任务 and 目标责任书, its standing without the score pages', () => {
    expect(menuOf(accessOf(USERS.unit!))).toEqual({
      '': ['本单位看板'],
      问题管理: ['问题台账', '督办单', '节假日', '办理统计'],
      测评体系: [
        '体系编辑',
        '任务分解',
        '工作组',
        '我的任务',
        '档案资料',
        '硬性指标',
        '目标责任书',
        '创建周期',
        '测评轮次',
        '模拟验证',
      ],
      测评结果: ['单位排名', '通报'],
      志愿服务: ['志愿活动', '志愿者与阵地'],
      文明细胞: ['称号名册', '身边好人'],
      组织机构: ['单位管理', '集体责任方', '用户管理', '行政区划', '门前三包', '入户包联'],
    });
  });

  it('the field roles: their phone pages are in their menus', () => {
    expect(menuOf(accessOf(USERS.inspector!))).toEqual({
      问题管理: ['问题台账', '核查队列', '督办单', '节假日', '办理统计'],
      测评体系: ['体系编辑', '创建周期', '测评轮次', '实地检查', '模拟验证', '公益广告阵地'],
      文明细胞: ['称号名册'],
      组织机构: ['单位管理', '集体责任方', '行政区划', '门前三包', '入户包联'],
    });
    expect(menuOf(accessOf(USERS.grid_worker!))).toEqual({
      问题管理: ['问题台账', '督办单', '节假日', '办理统计'],
      测评体系: ['体系编辑', '创建周期', '测评轮次', '实地检查', '公益广告阵地'],
      文明细胞: ['称号名册', '身边好人'],
      组织机构: [
        '单位管理',
        '集体责任方',
        '行政区划',
        '网格管理',
        '巡查记录',
        '网格巡查',
        '门前三包',
        '入户包联',
      ],
    });
    expect(menuOf(accessOf(USERS.surveyor!))).toEqual({
      测评体系: ['体系编辑', '创建周期'],
      问卷调查: ['入户调查'],
      文明细胞: ['称号名册'],
      组织机构: ['单位管理', '集体责任方', '行政区划', '门前三包', '入户包联'],
    });
    expect(menuOf(accessOf(USERS.volunteer!))).toEqual({ 志愿服务: ['志愿活动'] });
  });

  it('a field worker who also answers for a unit keeps both', () => {
    const m = menuOf(accessOf(asUser(['unit', 'grid_worker'])));
    expect(m['组织机构']).toContain('网格巡查');
    expect(m['测评体系']).toEqual(expect.arrayContaining(['我的任务', '实地检查']));
    expect(m['']).toEqual(['本单位看板']);
  });

  it('where each role lands', () => {
    expect(Object.fromEntries(ACCESS.map(([k, a]) => [k, landingFor(a)]))).toEqual({
      admin: '/dashboard',
      office: '/dashboard',
      leader: '/dashboard',
      district: '/dashboard',
      street: '/dashboard',
      unit: '/dashboard',
      inspector: '/problems',
      grid_worker: '/problems',
      // The survey guide's flow, in the phone app.
      surveyor: '/survey-app',
      volunteer: '/volunteer-activities',
    });
    // A unit role not yet tied to a unit has no dashboard of its own: the ledger.
    expect(landingFor(accessOf(asUser('unit', { unitId: null, unitName: null })))).toBe(
      '/problems',
    );
  });
});

describe('我的任务 and 目标责任书 are the unit role’s', () => {
  it('a leader, the city office and a district office tied to a unit do not have them in the menu', () => {
    for (const who of ['office', 'leader', 'district', 'street']) {
      const a = accessOf(USERS[who]!);
      expect(a.user.unitId, who).not.toBeNull();
      const items = menuFor(a).flatMap((g) => g.items.map((i) => i.path));
      expect(items, who).not.toContain('/my-assignments');
      expect(items, who).not.toContain('/pledge');
      // …but the pages stay open to them (a unit's 目标责任书 is opened with ?unitId=).
      expect(
        routesFor(a).map((r) => r.path),
        who,
      ).toEqual(expect.arrayContaining(['/my-assignments', '/pledge']));
    }
  });

  it('a unit role without its unit has neither', () => {
    const items = menuFor(accessOf(asUser('unit', { unitId: null, unitName: null }))).flatMap((g) =>
      g.items.map((i) => i.path),
    );
    expect(items).not.toContain('/my-assignments');
    expect(items).not.toContain('/pledge');
  });
});

describe('the table (for every role)', () => {
  it('every menu item opens a route of the table that admits the same user, by the same rule', () => {
    for (const [who, a] of ACCESS) {
      const open = routesFor(a);
      for (const group of menuFor(a)) {
        for (const item of group.items) {
          // The route the router picks for the item's path among the user's routes…
          const matched = matchRoutes(
            open.map((r) => ({ path: r.path })),
            item.path,
          );
          expect(matched, `${who} ${item.path}`).not.toBeNull();
          const route = open[open.findIndex((r) => r.path === matched!.at(-1)!.route.path)]!;
          // …is the table's entry that carries this menu item, and its guard admits the user.
          expect(route.menu?.label, `${who} ${item.path}`).toEqual(item.label);
          expect(allows(route, a), `${who} ${item.path}`).toBe(true);
        }
      }
    }
  });

  it('a menu item never shows to a user its route refuses', () => {
    for (const route of ROUTES.filter((r) => r.menu)) {
      for (const [who, a] of ACCESS) {
        const inMenu = menuFor(a).some((g) => g.items.some((i) => i.path === route.path));
        if (!allows(route, a)) {
          const other = routesFor(a).find((r) => r.path === route.path);
          // (The dashboard has two entries; the user's may be the other one.)
          if (!other) expect(inMenu, `${who} ${route.path}`).toBe(false);
        }
      }
    }
  });

  it('a route guarded by a permission is refused to those without it', () => {
    for (const route of ROUTES) {
      if (typeof route.allow !== 'string') continue;
      for (const [who, a] of ACCESS) {
        expect(allows(route, a), `${who} ${route.path}`).toBe(a.can(route.allow));
      }
    }
  });

  it('each route keeps the guard it had before the table (AdminApp.tsx of 2026-12-06)', () => {
    const P = Permission;
    const guards = Object.fromEntries(
      ROUTES.filter((r) => typeof r.allow === 'string').map((r) => [r.path, r.allow]),
    );
    expect(guards).toEqual({
      '/problems': P.ProblemRead,
      '/problems/:id': P.ProblemRead,
      '/verification': P.ProblemVerify,
      '/escalation-orders': P.ProblemRead,
      '/calendar': P.ProblemRead,
      '/problem-kpis': P.ProblemRead,
      '/open311': P.IntegrationManage,
      '/sms-log': P.IntegrationManage,
      '/pushback': P.IntegrationManage,
      '/frameworks': P.FrameworkRead,
      '/assignments': P.AssignmentRead,
      '/working-groups': P.AssignmentRead,
      '/my-assignments': P.AssignmentRead,
      '/evidence': P.AssignmentRead,
      '/indicators': P.AssignmentRead,
      '/pledge': P.AssignmentRead,
      '/campaigns': P.FrameworkRead,
      '/rounds': P.ProblemRead,
      '/rounds/:id/report': P.InspectionManage,
      '/inspect': P.ProblemReport,
      '/simulations': P.SimulationRead,
      '/points': P.InspectionManage,
      '/ad-carriers': P.AdCarrierRead,
      '/survey-app': P.SurveyCollect,
      '/survey-results': P.SurveyRead,
      '/survey-quotas': P.SurveyRead,
      '/surveys': P.SurveyWrite,
      '/rankings': P.RankingRead,
      '/bulletins': P.RankingRead,
      '/bulletins/:id/print': P.RankingRead,
      '/score': P.ScoreRead,
      '/mock-evaluation': P.ScoreRead,
      '/volunteer-checkin/:id': P.VolunteerServe,
      '/volunteers': P.VolunteerRead,
      '/credit-accounts': P.CreditRead,
      '/service-orders': P.ServiceOrderRead,
      '/service-menu': P.ServiceOrderRead,
      '/service-records': P.ServiceOrderRead,
      '/units': P.UnitRead,
      '/parties': P.UnitRead,
      '/users': P.UserRead,
      '/regions': P.RegionRead,
      '/grids': P.GridRead,
      '/patrols': P.GridRead,
      '/patrols/:id': P.GridRead,
      '/patrol': P.PatrolWalk,
      '/frontage-duties': P.UnitRead,
      '/cell-checks': P.UnitRead,
      '/cell-reviews': P.UnitRead,
      '/cell-reviews/:id': P.UnitRead,
      '/cell-reviews/:id/bulletin': P.UnitRead,
      '/outreach': P.UnitRead,
      '/honours': P.UnitRead,
      '/star-households': P.StarRead,
      '/audit': P.AuditRead,
    });
    // The rules: who may open them, role by role.
    const openTo = (path: string) =>
      ACCESS.filter(([, a]) => routesFor(a).some((r) => r.path === path)).map(([k]) => k);
    expect(openTo('/point-types')).toEqual(['admin', 'office']);
    expect(openTo('/volunteer-stats')).toEqual(['admin', 'office', 'leader', 'district', 'street']);
    const volunteering = ['admin', 'office', 'leader', 'district', 'street', 'unit', 'volunteer'];
    expect(openTo('/volunteer-activities')).toEqual(volunteering);
    expect(openTo('/volunteer-activities/:id')).toEqual(volunteering);
    expect(openTo('/dashboard')).toEqual([
      'admin',
      'office',
      'leader',
      'district',
      'street',
      'unit',
    ]);
  });

  it('a user is admitted to at most one entry per path', () => {
    for (const [who, a] of ACCESS) {
      const paths = routesFor(a).map((r) => r.path);
      expect(new Set(paths).size, who).toBe(paths.length);
    }
    // Only the dashboard has two entries (the campaign's and a unit's), for different users.
    const paths = ROUTES.map((r) => r.path);
    expect(paths.filter((p, i) => paths.indexOf(p) !== i)).toEqual(['/dashboard']);
  });

  it('the phone pages keep their routes but are in no office, leader, admin or unit menu', () => {
    for (const path of FIELD_PAGES) {
      expect(
        ROUTES.some((r) => r.path === path),
        path,
      ).toBe(true);
    }
    for (const [who, a] of ACCESS) {
      const items = menuFor(a).flatMap((g) => g.items.map((i) => i.path));
      if (!isFieldRole(a)) {
        for (const path of FIELD_PAGES) expect(items, `${who} ${path}`).not.toContain(path);
      }
    }
    // The administrator may still open them (by link), as before.
    const admin = accessOf(USERS.admin!);
    expect(routesFor(admin).map((r) => r.path)).toEqual(expect.arrayContaining(FIELD_PAGES));
    expect(ROUTES.find((r) => r.path === '/inspect')!.allow).toBe(Permission.ProblemReport);
  });

  it.each([
    ['/inspect?round=2', '/m/inspect?round=2'],
    ['/patrol', '/m/patrol'],
    ['/survey-app', '/m/survey'],
    ['/survey-app?quota=3', '/m/survey?quota=3'],
    ['/volunteer-checkin/7', '/m/checkin/7'],
    ['/volunteer-checkin/7?t=a.b%2Bc', '/m/checkin/7?t=a.b%2Bc'],
  ])('%s opens the phone app at %s', async (route, to) => {
    const path = route.split('?')[0]!.replace(/\/\d+$/, '/:id');
    const Page = ROUTES.find((r) => r.path === path)!.page;
    const replace = vi.spyOn(window.location, 'replace').mockImplementation(() => undefined);
    try {
      await renderPage(
        <Suspense>
          <Page />
        </Suspense>,
        { user: 'admin', path, route },
      );
      await waitFor(() => expect(replace).toHaveBeenCalledWith(to));
      expect(replace).toHaveBeenCalledTimes(1);
    } finally {
      replace.mockRestore();
    }
  });

  it('the printable notices and the certificate are the only pages outside the frame', () => {
    expect(ROUTES.filter((r) => r.bare).map((r) => r.path)).toEqual([
      '/bulletins/:id/print',
      '/cell-applications/:id/certificate',
      '/cell-reviews/:id/bulletin',
    ]);
  });
});
