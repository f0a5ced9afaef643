import ExcelJS from 'exceljs';
import type { TRoundReport } from '../../../core/contracts/inspections.js';

const pct = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 10);
const two = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);

/**
 * The round report as a workbook: sheet 测评报告 (total and the roll-ups by type, day — drawn by
 * day — district, region, unit, point — a place added during the round marked 随机增加 — and
 * item) and sheet 按测评标准 (the by-standard roll-up with the previous round's share).
 * A report is bounded (≤ a few thousand rows), so it is built in memory.
 */
export async function roundReportWorkbook(r: TRoundReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('测评报告');
  ws.columns = [
    { key: 'dim', header: '维度', width: 10 },
    { key: 'label', header: '名称', width: 36 },
    { key: 'visits', header: '检查数', width: 8 },
    { key: 'passed', header: '合格项', width: 8 },
    { key: 'failed', header: '不合格项', width: 8 },
    { key: 'passRate', header: '得分率(%)', width: 10 },
    { key: 'meanScore', header: '平均点位得分(%)', width: 14 },
    { key: 'qualifiedRate', header: '合格率(%)', width: 10 },
    { key: 'serious', header: '严重不合格', width: 10 },
  ];
  ws.getRow(1).font = { bold: true };
  const sections = [
    ['合计', [r.total]],
    ['点位类型', r.byType],
    ['测评日', r.byDay],
    ['区县', r.byDistrict],
    ['区域', r.byRegion],
    ['包保单位', r.byUnit],
    ['点位', r.byPoint],
    ['检查项', r.byItem],
  ] as const;
  for (const [dim, rows] of sections) {
    for (const x of rows) {
      ws.addRow({
        dim,
        label: x.added ? `${x.label}（随机增加）` : x.label,
        visits: x.visits,
        passed: x.passed,
        failed: x.failed,
        passRate: pct(x.passRate),
        meanScore: pct(x.meanScore),
        qualifiedRate: pct(x.qualifiedRate),
        serious: x.seriousVisits,
      });
    }
  }
  const st = wb.addWorksheet('按测评标准');
  st.columns = [
    { key: 'code', header: '标准编号', width: 10 },
    { key: 'text', header: '测评标准', width: 48 },
    { key: 'maxScore', header: '分值', width: 8 },
    { key: 'visits', header: '检查数', width: 8 },
    { key: 'passed', header: '合格项', width: 8 },
    { key: 'failed', header: '不合格项', width: 8 },
    { key: 'share', header: '得分率(%)', width: 10 },
    { key: 'points', header: '得分', width: 8 },
    { key: 'previousShare', header: `上轮得分率(%)`, width: 14 },
  ];
  st.getRow(1).font = { bold: true };
  for (const x of r.byStandard) {
    st.addRow({
      code: x.code,
      text: x.text ?? '（体系中无此编号）',
      maxScore: x.maxScore,
      visits: x.visits,
      passed: x.passed,
      failed: x.failed,
      share: pct(x.share),
      points: two(x.points),
      previousShare: pct(x.previousShare),
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
