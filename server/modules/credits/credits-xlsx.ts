import ExcelJS from 'exceljs';
import { CREDIT_BOARD_LABELS, type TCreditRanking } from '../../../core/contracts/credits.js';

/** The month's ranking as a workbook: one sheet per board, the office's view (names, masked phones). */
export async function rankingWorkbook(month: string, boards: TCreditRanking[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '创建文明城市管理平台';
  for (const b of boards) {
    const ws = wb.addWorksheet(CREDIT_BOARD_LABELS[b.board].zh);
    ws.columns = [
      { header: '名次', width: 8 },
      { header: '姓名', width: 16 },
      { header: '榜上显示', width: 14 },
      { header: '同意公开姓名', width: 14 },
      { header: '手机号', width: 16 },
      { header: `${month} 积分`, width: 12 },
    ];
    ws.getRow(1).font = { bold: true };
    ws.views = [{ state: 'frozen', ySplit: 1 }];
    ws.addRows(
      b.items.map((r) => [
        r.rank,
        r.name ?? '',
        r.publicName,
        r.showName ? '是' : '否',
        r.phoneMasked ?? '',
        r.points,
      ]),
    );
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
