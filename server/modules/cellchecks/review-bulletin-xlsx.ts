import ExcelJS from 'exceljs';
import {
  FINAL_OUTCOME_LABELS,
  FINAL_OUTCOMES,
  type TReviewBulletin,
} from '../../../core/contracts/cell-checks.js';
import { CELL_TYPE_LABELS, HONOUR_LEVEL_LABELS } from '../../../core/contracts/honours.js';

/** The 复审 通报 as a workbook: a summary sheet and the outcome of every holder. */
export async function reviewBulletinWorkbook(b: TReviewBulletin): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '创建文明城市管理平台';
  const s = wb.addWorksheet('概况');
  s.columns = [
    { header: '项目', width: 22 },
    { header: '内容', width: 60 },
  ];
  s.getRow(1).font = { bold: true };
  s.addRows([
    ['通报', b.title],
    ['发布', b.issuer],
    ['日期', b.closedOn],
    ['类型', CELL_TYPE_LABELS[b.cellType].zh],
    ['年度', b.year],
    ['复审对象', b.underReview],
    [
      '保留比例上限',
      b.renewalCapPct === null ? '不设上限' : `${b.renewalCapPct}%（至多 ${b.capCount} 个）`,
    ],
    ...FINAL_OUTCOMES.map((o) => [FINAL_OUTCOME_LABELS[o].zh, b.counts[o] ?? 0]),
    ['末位淘汰规则', b.capRule.zh],
  ]);
  const ws = wb.addWorksheet('复审结果');
  ws.columns = [
    { header: '序号', width: 6 },
    { header: '名称', width: 30 },
    { header: '称号', width: 16 },
    { header: '级别', width: 8 },
    { header: '所在地', width: 16 },
    { header: '已报送', width: 8 },
    { header: '年度得分', width: 10 },
    { header: '复审结果', width: 22 },
    { header: '整改期限', width: 12 },
    { header: '说明', width: 30 },
  ];
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  b.rows.forEach((r, i) =>
    ws.addRow([
      i + 1,
      r.holderName,
      r.title,
      HONOUR_LEVEL_LABELS[r.level].zh,
      r.regionName ?? '',
      r.filed ? '是' : '否',
      r.score,
      FINAL_OUTCOME_LABELS[r.finalOutcome].zh,
      r.rectifyDeadline ?? '',
      r.note ?? '',
    ]),
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}
