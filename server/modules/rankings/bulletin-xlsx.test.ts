import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { TBulletin, TRankingRow } from '../../../core/contracts/rankings.js';
import { bulletinWorkbook } from './bulletin-xlsx.js';

const row = (unitId: number, unitName: string, rank: number | null, flag: TRankingRow['flag']) =>
  ({
    unitId,
    unitName,
    unitClass: 'department',
    sample: rank === null ? 2 : 8,
    values: { onTimeCloseRate: 0.8 },
    score: rank === null ? null : 90 - rank,
    rank,
    classSize: 2,
    flag,
    excluded: rank === null ? 'small_sample' : null,
    missing: [],
    streak: flag ? 1 : 0,
    action: null,
  }) satisfies TRankingRow;

function bulletin(rows: TRankingRow[], over: Partial<TBulletin> = {}): TBulletin {
  return {
    id: 1,
    snapshotId: 1,
    ownerRegionId: null,
    ownerName: null,
    period: '2026-11',
    title: '创建文明城市工作月度通报（2026年11月）',
    issueNo: null,
    state: 'draft',
    // 07:00 on 6 December in Shanghai is still the 5th in UTC.
    createdAt: '2026-12-05T23:00:00.000Z',
    createdByName: '王创建',
    publishedAt: null,
    data: {
      period: '2026-11',
      from: '2026-10-31T16:00:00.000Z',
      to: '2026-11-30T16:00:00.000Z',
      generatedAt: '2026-12-05T23:00:00.000Z',
      snapshotId: 1,
      snapshotVersion: 1,
      metrics: [
        { key: 'onTimeCloseRate', label: { zh: '按期结案率', en: 'On time' }, weight: 100 },
      ],
      summary: {
        reported: 3,
        dispatched: 3,
        closed: 3,
        due: 3,
        closeRate: 1,
        onTimeCloseRate: 1,
        reworkRate: 0,
        overdueOpen: 0,
        recurrences: 0,
        visits: 2,
        visitPassRate: 0.5,
        unitsRanked: rows.filter((r) => r.rank !== null).length,
      },
      classes: [{ key: 'department', label: { zh: '市直部门', en: 'Departments' }, rows }],
      consequences: [],
      topOverdue: [],
      topRecurring: [],
      charts: { byCategory: [], trend: [] },
    },
    ...over,
  };
}

async function sheets(b: TBulletin) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await bulletinWorkbook(b)) as unknown as ArrayBuffer);
  const summary = new Map<string, unknown>();
  wb.getWorksheet('概况')!.eachRow((r) => summary.set(r.getCell(1).text, r.getCell(2).value));
  const flags: unknown[][] = [];
  wb.getWorksheet('红旗黑牌')!.eachRow((r, n) => {
    if (n > 1) flags.push((r.values as unknown[]).slice(1));
  });
  return { summary, flags };
}

describe('the bulletin workbook', () => {
  it('dates the notice by the Shanghai day, not the UTC one', async () => {
    const { summary } = await sheets(bulletin([]));
    expect(summary.get('日期')).toBe('2026-12-06');
    expect(summary.get('期号')).toBe('草稿');
    const published = await sheets(
      bulletin([], { issueNo: 3, state: 'published', publishedAt: '2026-12-31T16:30:00.000Z' }),
    );
    expect(published.summary.get('日期')).toBe('2027-01-01');
    expect(published.summary.get('期号')).toBe('第 3 期');
  });

  it('names the flagged units, and says so in words when a colour has none', async () => {
    const both = await sheets(bulletin([row(1, '城管局', 1, 'red'), row(2, '住建局', 2, 'black')]));
    expect(both.summary.get('流动红旗')).toBe('城管局（市直部门）');
    expect(both.summary.get('黑牌警示')).toBe('住建局（市直部门）');
    expect(both.summary.get('红旗与黑牌')).toBe(
      '授予城管局（市直部门）流动红旗；对住建局（市直部门）予以黑牌警示。',
    );
    expect(both.flags).toHaveLength(2);

    const none = await sheets(bulletin([row(1, '城管局', 1, null), row(2, '住建局', 1, null)]));
    expect(none.summary.get('流动红旗')).toBe('本月无单位获流动红旗');
    expect(none.summary.get('黑牌警示')).toBe('本月无黑牌单位');
    expect(none.flags).toEqual([['本月无单位获流动红旗，无黑牌单位。']]);

    const small = await sheets(bulletin([row(1, '城管局', null, null)]));
    expect(small.summary.get('红旗与黑牌')).toBe(
      '本月无单位达到排名样本数，未评定流动红旗和黑牌。',
    );
    for (const s of [both, none, small])
      expect([...s.summary.values()].some((v) => String(v).includes('—'))).toBe(false);
  });
});
