import ExcelJS from 'exceljs';
import { YEAR_STATUS_LABELS } from '../../../core/scoring/campaign-score.js';
import { formatShanghai, shanghaiDate } from '../../../core/calendar/working-days.js';
import { SEVERE_ACTION_LABELS } from '../../../core/contracts/cell-checks.js';
import { CELL_TYPE_LABELS, HONOUR_STATUS_LABELS } from '../../../core/contracts/honours.js';
import type { TBulletin } from '../../../core/contracts/rankings.js';
import { flagSentence, flaggedUnits, periodWord } from '../../../core/ranking/bulletin-text.js';

const pct = (v: number | null | undefined) =>
  v === null || v === undefined ? '' : `${(v * 100).toFixed(1)}%`;
const FLAG = { red: '流动红旗', black: '黑牌' } as const;
const EXCLUDED = { small_sample: '样本不足', no_figures: '无数据' } as const;
const local = (iso: string | null) => (iso ? formatShanghai(new Date(iso)) : '');

function sheet(wb: ExcelJS.Workbook, name: string, columns: { header: string; width: number }[]) {
  const ws = wb.addWorksheet(name);
  ws.columns = columns.map((c) => ({ header: c.header, width: c.width }));
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return ws;
}

/** The bulletin as a workbook: summary, one ranking sheet per class, flags, problems, trend. */
export async function bulletinWorkbook(b: TBulletin): Promise<Buffer> {
  const d = b.data;
  const wb = new ExcelJS.Workbook();
  wb.creator = '创建文明城市管理平台';

  const s = sheet(wb, '概况', [
    { header: '项目', width: 22 },
    { header: '数值', width: 18 },
  ]);
  const when = periodWord(d.period);
  const red = flaggedUnits(d.classes, 'red');
  const black = flaggedUnits(d.classes, 'black');
  s.addRows([
    ['通报', b.title],
    // The issuing level (a district's or street's bulletin is its own).
    ['发布层级', b.ownerName ?? '全市'],
    ['期号', b.issueNo ? `第 ${b.issueNo} 期` : '草稿'],
    // The day of the notice in Shanghai, as printed on it.
    ['日期', shanghaiDate(new Date(b.publishedAt ?? b.createdAt))],
    ['周期', d.period],
    ['排名版本', `v${d.snapshotVersion}`],
    ['新增问题', d.summary.reported],
    ['派遣', d.summary.dispatched],
    ['其中已结案', d.summary.closed],
    ['应结案', d.summary.due],
    ['结案率', pct(d.summary.closeRate)],
    ['按期结案率', pct(d.summary.onTimeCloseRate)],
    ['返工率', pct(d.summary.reworkRate)],
    ['超期未办结', d.summary.overdueOpen],
    ['反弹问题', d.summary.recurrences],
    ['实地检查点位', d.summary.visits],
    ['点位合格率', pct(d.summary.visitPassRate)],
    ['参与排名单位', d.summary.unitsRanked],
    ['流动红旗', red.length ? red.join('、') : `${when}无单位获流动红旗`],
    ['黑牌警示', black.length ? black.join('、') : `${when}无黑牌单位`],
    ['红旗与黑牌', flagSentence(d.period, d.classes)],
  ]);
  const o = d.outlook;
  if (o) {
    s.addRows([
      ['创建测评预估', o.text.zh],
      [`${o.framework.name}（${o.year} 年）`, o.yearScore],
      ...(o.combined?.total != null ? [['综合得分', o.combined.total]] : []),
      ['年度状态', YEAR_STATUS_LABELS[o.status].zh],
    ]);
  }

  // A district's or street's ranking has no 区县 class (and often no other but one): its classes.
  for (const c of d.classes.filter((x) => b.ownerRegionId === null || x.rows.length > 0)) {
    // Excel refuses / \ ? * [ ] : in sheet names (街道/乡镇).
    const ws = sheet(wb, `排名-${c.label.zh}`.replace(/[/\\?*[\]:]/g, '·').slice(0, 31), [
      { header: '名次', width: 8 },
      { header: '单位', width: 28 },
      { header: '得分', width: 10 },
      ...d.metrics.map((m) => ({ header: `${m.label.zh}（权重${m.weight}）`, width: 18 })),
      { header: '样本数', width: 10 },
      { header: '红旗/黑牌', width: 12 },
      { header: '连续次数', width: 10 },
      { header: '说明', width: 16 },
    ]);
    for (const r of c.rows) {
      ws.addRow([
        r.rank ?? '',
        r.unitName,
        r.score ?? '',
        ...d.metrics.map((m) => pct(r.values[m.key])),
        r.sample,
        r.flag ? FLAG[r.flag] : '',
        r.flag ? r.streak : '',
        r.excluded ? EXCLUDED[r.excluded] : (r.action?.zh ?? ''),
      ]);
    }
  }

  const f = sheet(wb, '红旗黑牌', [
    { header: '类别', width: 14 },
    { header: '单位', width: 28 },
    { header: '旗帜', width: 10 },
    { header: '连续次数', width: 10 },
    { header: '处理', width: 20 },
  ]);
  for (const c of d.classes)
    for (const r of c.rows.filter((x) => x.flag))
      f.addRow([c.label.zh, r.unitName, FLAG[r.flag!], r.streak, r.action?.zh ?? '']);
  if (!red.length && !black.length) f.addRow([flagSentence(d.period, d.classes)]);

  for (const [name, list] of [
    ['超期问题', d.topOverdue],
    ['反弹问题', d.topRecurring],
  ] as const) {
    const ws = sheet(wb, name, [
      { header: '问题编号', width: 16 },
      { header: '问题', width: 30 },
      { header: '类别', width: 14 },
      { header: '责任单位', width: 24 },
      { header: '地址', width: 28 },
      { header: '整改期限', width: 18 },
      { header: name === '超期问题' ? '超期天数' : '原问题', width: 14 },
    ]);
    for (const p of list)
      ws.addRow([
        p.code,
        p.title,
        p.categoryName,
        p.unitName ?? '',
        p.address ?? '',
        local(p.deadline),
        name === '超期问题' ? (p.overdueDays ?? '') : (p.recurrenceOfCode ?? ''),
      ]);
  }

  const t = sheet(wb, '趋势', [
    { header: '周期', width: 12 },
    { header: '新增问题', width: 12 },
    { header: '按期结案率', width: 14 },
    { header: '返工率', width: 12 },
  ]);
  for (const x of d.charts.trend)
    t.addRow([x.period, x.reported, pct(x.onTimeCloseRate), pct(x.reworkRate)]);
  const c = sheet(wb, '问题类别', [
    { header: '类别', width: 20 },
    { header: '新增问题', width: 12 },
  ]);
  for (const x of d.charts.byCategory) c.addRow([x.name, x.count]);

  const cells = d.cells;
  if (cells) {
    const ws = sheet(wb, '文明细胞', [
      { header: '项目', width: 24 },
      { header: '内容', width: 40 },
      { header: '负面清单事项', width: 30 },
      { header: '扣分', width: 8 },
      { header: '处理', width: 12 },
    ]);
    ws.addRow(['现有文明称号', cells.held]);
    for (const x of cells.byType) ws.addRow([CELL_TYPE_LABELS[x.cellType].zh, x.total]);
    ws.addRow([`${cells.year} 年到期待复审`, cells.reviewsDue.thisYear]);
    ws.addRow([`${cells.year + 1} 年到期`, cells.reviewsDue.nextYear]);
    for (const h of cells.atRisk)
      ws.addRow([HONOUR_STATUS_LABELS[h.status].zh, `${h.holderName}（${h.title}）`]);
    for (const h of cells.hits)
      ws.addRow([
        h.hitOn,
        `${h.holderName}（${h.title}）`,
        `${h.itemText}${h.severe ? '（严重）' : ''}`,
        h.points,
        h.action ? SEVERE_ACTION_LABELS[h.action].zh : '扣分',
      ]);
  }

  return Buffer.from(await wb.xlsx.writeBuffer());
}
