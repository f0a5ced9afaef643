import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TVolunteerStats } from '../../../core/contracts/volunteers.js';
import { permissionsOf } from '../../../core/permissions.js';
import { asUser, renderPage } from '../../test/render.js';
import { VolunteerStatsPage } from './VolunteerStatsPage.js';

/** 东湖区创建办: an office held at a district (issue #20: it keeps its own 志愿服务). */
const districtOffice = asUser('office', {
  regionId: 5,
  regionName: '东湖区',
  regionLevel: 'district',
  permissions: [...permissionsOf(['office'], true)],
});

const stats = (over: Partial<TVolunteerStats> = {}): TVolunteerStats => ({
  settings: {
    targetRatePct: 13,
    activeDays: 90,
    checkinRadiusM: 200,
    qrTtlSeconds: 120,
    checkinGraceMinutes: 60,
    maxMinutesPerActivity: 480,
    maxMinutesPerDay: 720,
    missingCheckout: 'scheduled_end',
  },
  registration: [
    {
      regionId: 5,
      regionName: '东湖区',
      population: 1000,
      registered: 150,
      ratePct: 15,
      meetsTarget: true,
    },
  ],
  totalRegistered: 150,
  notRealName: 12,
  activeVolunteers: 40,
  hoursByTeam: [{ teamId: 1, name: '东湖区青年服务队', minutes: 600 }],
  hoursByRegion: [{ regionId: 6, name: '湖滨街道', minutes: 600 }],
  idlePlaces: [{ id: 3, name: '湖滨学雷锋站', kind: 'lei_feng' }],
  ...over,
});

describe('VolunteerStatsPage', () => {
  it('shows the city office the settings and populations to keep', async () => {
    await renderPage(<VolunteerStatsPage />, {
      user: 'office',
      api: { 'GET /api/volunteer-stats': stats() },
    });
    expect(await screen.findByText('湖滨学雷锋站 · 学雷锋志愿服务站')).toBeInTheDocument();
    expect(screen.getByText('统计与签到设置')).toBeInTheDocument();
    expect(screen.getByText('保存人口数')).toBeInTheDocument();
  });

  it("shows a district office its own level's figures, and no city settings to edit", async () => {
    const page = await renderPage(<VolunteerStatsPage />, {
      user: districtOffice,
      api: { 'GET /api/volunteer-stats': stats() },
    });
    expect(await screen.findByText('湖滨学雷锋站 · 学雷锋志愿服务站')).toBeInTheDocument();
    expect(screen.getByText('东湖区')).toBeInTheDocument();
    expect(screen.queryByText('统计与签到设置')).not.toBeInTheDocument();
    expect(screen.queryByText('保存人口数')).not.toBeInTheDocument();
    expect(page.api.calls.filter((c) => c.method === 'PUT')).toEqual([]);
  });
});
