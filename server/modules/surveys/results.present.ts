import ExcelJS from 'exceljs';
import type { TResults } from '../../../core/contracts/surveys.js';
import { DIMENSION_LABELS } from '../../../core/survey/questions.js';
import type { DimensionResult } from '../../../core/survey/rates.js';

const pct = (x: number | null) => (x === null ? '' : Math.round(x * 1000) / 10);

function dimRow(label: string, d: DimensionResult) {
  return [
    label,
    DIMENSION_LABELS[d.dimension].zh,
    pct(d.rate),
    pct(d.lo),
    pct(d.hi),
    d.favourable,
    d.valid,
    d.belowFloor ? '低于底线' : d.atRisk ? '区间跨越底线' : '',
  ];
}

/** The label of a slice on the sheet: a community as is, a group or a mode named as such. */
function sliceLabel(s: TResults['slices'][number]): string {
  if (s.key.startsWith('group:')) return `人群 ${s.label}`;
  if (s.key.startsWith('mode:')) return `方式 ${s.label}`;
  return s.label;
}

/**
 * The results as a workbook: dimensions overall, by community, group and collection mode (入户 /
 * 街访), and questions.
 */
export async function presentResultsWorkbook(
  byRegion: TResults,
  byGroup: TResults,
  byMode: TResults,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const head = ['范围', '维度', '比率(%)', '95%下限(%)', '95%上限(%)', '有利', '有效', '标注'];
  const ws = wb.addWorksheet('维度');
  ws.addRow([
    `${byRegion.roundName}：底线 ${byRegion.floor * 100}%，有效答卷 ${byRegion.responses}`,
  ]);
  ws.addRow(head).font = { bold: true };
  for (const d of byRegion.dimensions) ws.addRow(dimRow('全市', d));
  for (const s of [...byRegion.slices, ...byGroup.slices, ...byMode.slices]) {
    for (const d of s.dimensions) ws.addRow(dimRow(sliceLabel(s), d));
  }
  ws.columns.forEach((c) => (c.width = 14));
  const qs = wb.addWorksheet('题目');
  qs.addRow([
    '人群',
    '题号',
    '题目',
    '维度',
    '比率(%)',
    '95%下限(%)',
    '95%上限(%)',
    '有利',
    '有效',
    '说不清',
  ]).font = {
    bold: true,
  };
  for (const q of byRegion.questions) {
    qs.addRow([
      q.group,
      q.questionId,
      q.text,
      q.dimension ? DIMENSION_LABELS[q.dimension].zh : '',
      pct(q.rate),
      pct(q.lo),
      pct(q.hi),
      q.favourable,
      q.valid,
      q.dontKnow,
    ]);
  }
  qs.getColumn(3).width = 50;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
