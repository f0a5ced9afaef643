import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { TBulletin } from '../../../core/contracts/rankings.js';
import { bulletin, rankingRow, snapshot } from '../../test/fixtures.js';
import { renderPage } from '../../test/render.js';
import { outlookOf } from '../../../core/scoring/outlook.js';
import { combinedFixture, projectionFixture } from '../../../core/scoring/projection.fixture.js';
import { BulletinPrintPage } from './BulletinPrintPage.js';

const render = (b: TBulletin) =>
  renderPage(<BulletinPrintPage />, {
    route: `/bulletins/${b.id}/print`,
    path: '/bulletins/:id/print',
    api: { 'GET /api/bulletins/:id': b },
  });

/** The bulletin with these department rows. */
const withRows = (rows: ReturnType<typeof rankingRow>[], over: Partial<TBulletin> = {}) => {
  const b = bulletin(over);
  const classes = snapshot().classes.map((c) => (c.key === 'department' ? { ...c, rows } : c));
  return { ...b, data: { ...b.data, classes } };
};

describe('BulletinPrintPage', () => {
  it('names the red flag and the black card units with their class', async () => {
    await render(
      withRows([
        rankingRow({ unitId: 7, unitName: '市城市管理综合执法局', flag: 'red' }),
        rankingRow({ unitId: 8, unitName: '市住房和城乡建设局', rank: 2, flag: 'black' }),
      ]),
    );
    expect(await screen.findByTestId('bulletin-flags')).toHaveTextContent(
      '授予市城市管理综合执法局（市直部门）流动红旗；对市住房和城乡建设局（市直部门）予以黑牌警示。',
    );
  });

  it('says in words that no unit got a flag, never with a dash', async () => {
    await render(
      withRows([
        rankingRow({ unitId: 7, unitName: '市城市管理综合执法局' }),
        rankingRow({ unitId: 8, unitName: '市住房和城乡建设局', rank: 2, flag: 'black' }),
      ]),
    );
    const flags = await screen.findByTestId('bulletin-flags');
    expect(flags).toHaveTextContent(
      '本月无单位获流动红旗；对市住房和城乡建设局（市直部门）予以黑牌警示。',
    );
    expect(flags.textContent).not.toContain('—');
  });

  it('with no unit ranked, says that none reached the minimum sample', async () => {
    await render(
      withRows([
        rankingRow({
          unitId: 7,
          unitName: '市城市管理综合执法局',
          rank: null,
          score: null,
          sample: 2,
          excluded: 'small_sample',
        }),
      ]),
    );
    expect(await screen.findByTestId('bulletin-flags')).toHaveTextContent(
      '本月无单位达到排名样本数，未评定流动红旗和黑牌。',
    );
  });

  it('gives the field visits and their 合格率, and dates the notice by the Shanghai day', async () => {
    // 07:00 on 6 December in Shanghai is 23:00 on the 5th in UTC.
    await render(bulletin({ createdAt: '2026-12-05T23:00:00.000Z' }));
    const sheet = await screen.findByTestId('bulletin-sheet');
    expect(sheet).toHaveTextContent('实地检查点位 2 个次，合格率 50.0%。');
    expect(sheet).toHaveTextContent('2026-12-06');
    expect(sheet.textContent).not.toContain('2026-12-05');
  });

  it('says there were no field visits rather than printing 0 and a dash', async () => {
    const b = bulletin();
    await render({
      ...b,
      data: { ...b.data, summary: { ...b.data.summary, visits: 0, visitPassRate: null } },
    });
    const sheet = await screen.findByTestId('bulletin-sheet');
    expect(sheet).toHaveTextContent('本月无实地检查记录。');
    expect(sheet.textContent).not.toContain('0 个次');
  });

  // Issue #19: the combination, the gate and the verdicts, as the projection has them.
  it('prints the campaign outlook: the combination, the minors’ gate and the year’s status', async () => {
    const p = projectionFixture();
    const outlook = outlookOf({ ...p, combined: combinedFixture(96) });
    const b = bulletin();
    await render({ ...b, data: { ...b.data, outlook } });
    expect(await screen.findByTestId('bulletin-outlook')).toHaveTextContent(
      '按当前数据预计 2026 年综合得分 81.2 分（全国文明城市测评体系 77.5 分 × 80% + 未成年人思想道德建设工作测评体系 96 分 × 20%）。未成年人思想道德建设工作测评体系 96 分，达到 85 分的申报门槛。',
    );
    const rows = screen.getByTestId('bulletin-outlook-table').querySelectorAll('tbody tr');
    expect([...rows].map((r) => r.textContent)).toEqual([
      '全国文明城市测评体系80%77.5—正常',
      '未成年人思想道德建设工作测评体系20%9685 分正常',
    ]);
  });

  it('has no outlook section in a bulletin made before there was one', async () => {
    await render(bulletin());
    await screen.findByTestId('bulletin-sheet');
    expect(screen.queryByTestId('bulletin-outlook')).toBeNull();
    expect(screen.queryByTestId('bulletin-cells')).toBeNull();
    expect(screen.getByTestId('bulletin-sheet')).not.toHaveTextContent('创建测评预估');
  });

  it('reports 文明细胞: titles by type, 复审 due, titles at risk and the period’s negative-list hits', async () => {
    const b = bulletin();
    await render({
      ...b,
      data: {
        ...b.data,
        cells: {
          year: 2026,
          held: 12,
          byType: [
            { cellType: 'unit', total: 9 },
            { cellType: 'village', total: 0 },
            { cellType: 'community', total: 3 },
          ],
          reviewsDue: { thisYear: 4, nextYear: 2 },
          atRisk: [{ holderName: '湖滨区税务局', title: '市级文明单位', status: 'rectifying' }],
          hits: [
            {
              holderName: '湖滨区税务局',
              title: '市级文明单位',
              itemText: '发生重大安全责任事故',
              points: 3,
              severe: true,
              hitOn: '2026-11-12',
              action: 'rectify',
            },
          ],
        },
      },
    });
    expect(await screen.findByTestId('bulletin-cells')).toHaveTextContent(
      '现有各级文明称号 12 个（文明单位 9 个，文明社区 3 个）；2026 年到期待复审 4 个，2027 年到期 2 个；处于整改或暂停的称号：湖滨区税务局（市级文明单位，整改）。',
    );
    const row = screen.getByTestId('bulletin-cell-hits').querySelector('tbody tr')!;
    expect(row).toHaveTextContent(
      '2026-11-12湖滨区税务局（市级文明单位）发生重大安全责任事故（严重）3整改',
    );
  });

  it('says when no 文明细胞 touched the negative list, and has no such section before #22', async () => {
    const b = bulletin();
    await render({
      ...b,
      data: {
        ...b.data,
        cells: {
          year: 2026,
          held: 0,
          byType: [],
          reviewsDue: { thisYear: 0, nextYear: 0 },
          atRisk: [],
          hits: [],
        },
      },
    });
    expect(await screen.findByTestId('bulletin-sheet')).toHaveTextContent(
      '本期无文明细胞触及负面清单。',
    );
    expect(screen.queryByTestId('bulletin-cell-hits')).toBeNull();
  });

  it("issues a district's bulletin in the district office's name, with only its classes", async () => {
    await render(
      withRows([rankingRow({ unitId: 7, unitName: '东湖区城管局' })], {
        ownerRegionId: 5,
        ownerName: '东湖区',
        title: '东湖区创建文明城市工作月度通报（2026年11月）',
      }),
    );
    const sheet = await screen.findByTestId('bulletin-sheet');
    expect(sheet).toHaveTextContent('东湖区创建全国文明城市工作指挥部办公室');
    expect(sheet).toHaveTextContent('东湖区新增创城问题');
    expect(sheet.textContent).not.toContain('示范市创建全国文明城市工作指挥部办公室');
    expect(screen.getByTestId('bulletin-class-department')).toHaveTextContent('东湖区城管局');
    expect(screen.queryByTestId('bulletin-class-district')).toBeNull();
    expect(screen.queryByTestId('bulletin-outlook')).toBeNull();
  });
});
