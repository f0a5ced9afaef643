import ExcelJS from 'exceljs';
import type { DbOrTx } from '../db/client.js';
import { insertUnit } from '../modules/org/units.repo.js';

/**
 * A 任务分解表 shaped like the ones city offices really send, built with exceljs for the import
 * tests: a 填表说明 sheet first and a 汇总 sheet last, a merged title and a 填报单位 line above
 * the header, headers with line breaks and notes ("测评项目\n（一级指标）", "牵头单位（必填）"),
 * 序号 counting rows beside the 指标编号 column, item and content cells merged down, a standard
 * over two rows (two lead units, its cells merged), 小计 rows per content (one a bare number in
 * 分值, one merged across), an item 小计 and a 合计 merged across, a note line at the end, a 备注
 * column, an unknown 联系人 column (hidden), Chinese dates, dates as date cells and 长期坚持.
 *
 * The lead and responsible units are names the frameworks import tests put in their unit
 * directory (市委宣传部, 市文明办, 城管局, 交警支队, 市民政局): pass `items` to vary them.
 */

export type SheetCell = string | number | Date | null;

/** One row of a standard: its lead unit and the task columns (a standard may have several). */
export interface RealTask {
  lead?: string;
  responsible?: string;
  leader?: string;
  due?: SheetCell;
  notes?: string;
  contact?: string;
}
export interface RealStandard {
  /** As written in 指标编号 (I1.1.1, A-1-2, 1.1.1, Ｉ１．１．１…); '' for none. */
  code: string;
  text: string;
  method: string;
  score: number;
  /** One row per task; a standard without tasks still takes one row. */
  tasks: RealTask[];
}
export interface RealContent {
  label: string;
  standards: RealStandard[];
  /**
   * The content's 小计 row: `label` — "小计" in the standard column, the content cell merged over
   * it; `across` — "小计" merged across the item…method columns; `number` — the sum alone in 分值;
   * `none` — no 小计 row.
   */
  subtotal?: 'label' | 'across' | 'number' | 'none';
}
export interface RealItem {
  label: string;
  contents: RealContent[];
  /** An item 小计 row ("一、…小计" merged across the item…method columns); default true. */
  subtotal?: boolean;
}

export const REAL_SHEET_ITEMS: RealItem[] = [
  {
    label: '一、思想道德建设',
    contents: [
      {
        label: '（一）理论武装',
        subtotal: 'label',
        standards: [
          {
            code: 'I1.1.1',
            text: '党委（党组）理论学习中心组有年度学习计划，并按计划开展集体学习',
            method: '材料审核',
            score: 3,
            tasks: [
              {
                lead: '宣传部',
                responsible: '市文明办',
                leader: '张副市长',
                due: '2026年6月30日',
                contact: '李明 13800000001',
              },
            ],
          },
          {
            code: 'I1.1.2',
            text: '基层理论宣讲每季度不少于1次（含佐证材料）',
            method: '材料审核',
            score: 2,
            tasks: [
              {
                lead: '市文明办',
                responsible: '宣传部、市民政局',
                leader: '张副市长',
                due: '长期坚持',
                notes: '按季度报送',
                contact: '王芳',
              },
            ],
          },
        ],
      },
      {
        label: '（二）公益广告宣传',
        subtotal: 'across',
        standards: [
          {
            code: 'I1.2.1',
            text: '主次干道公益广告规范设置、无破损',
            method: '实地考察',
            score: 4,
            tasks: [
              { lead: '城管局', leader: '李副市长', due: '2026年9月底' },
              { lead: '交警支队', responsible: '城管局', leader: '李副市长', due: '每月' },
            ],
          },
          {
            code: 'I1.2.2',
            text: '公交站台公益广告占比不低于30%',
            method: '实地考察',
            score: 2,
            tasks: [{ notes: '由市文明办统筹，牵头单位待定' }],
          },
        ],
      },
    ],
  },
  {
    label: '二、城市管理与公共秩序',
    contents: [
      {
        label: '（一）市容环境',
        subtotal: 'number',
        standards: [
          {
            code: 'I2.1.1',
            text: '主次干道无占道经营、无乱堆乱放',
            method: '实地考察',
            score: 3,
            tasks: [
              {
                lead: '城管局',
                responsible: '市民政局',
                leader: '王副市长',
                due: '每月',
                contact: '赵强',
              },
            ],
          },
          {
            code: 'I2.1.2',
            text: '背街小巷路面平整，无积存垃圾',
            method: '实地',
            score: 2,
            tasks: [{ lead: '城管局', leader: '王副市长', due: new Date(Date.UTC(2026, 11, 31)) }],
          },
        ],
      },
      {
        label: '（二）交通秩序',
        subtotal: 'label',
        standards: [
          {
            code: 'I2.2.1',
            text: '主要路口机动车礼让行人',
            method: '实地考察',
            score: 3,
            tasks: [
              {
                lead: '交警支队',
                responsible: '城管局',
                leader: '王副市长',
                due: new Date(Date.UTC(2026, 9, 31)),
              },
            ],
          },
          {
            code: 'I2.2.2',
            text: '市民对交通秩序的满意率',
            method: '问卷调查',
            score: 2,
            tasks: [{}],
          },
        ],
      },
    ],
  },
];

export interface RealSheetOptions {
  items?: RealItem[];
  title?: string;
  /** The code column's header; null leaves the column out (standards found by text then). */
  codeHeader?: string | null;
  /** The 序号 column counting standards 1, 2, 3… (default true). */
  seq?: boolean;
  /** The 合计 row's stated sum (default: the real sum); a wrong one is a warning, not an error. */
  total?: number;
  /** 填表说明 first and 汇总 last (default true). */
  extraSheets?: boolean;
}

/** Where things landed in the sheet built, for the assertions. */
export interface RealSheetLayout {
  dataSheet: string;
  headerRow: number;
  /** Row numbers of each standard's rows, by code (or text when the code is ''). */
  standardRows: Map<string, number[]>;
  /** The rows that are not standards, in order: subtotals, the total, the note line. */
  skipped: { row: number; kind: 'subtotal' | 'total' | 'note' }[];
  /** The stated sums (subtotals, item subtotals, total) as written. */
  sums: { row: number; stated: number }[];
}

const HEADERS = {
  seq: '序号',
  item: '测评项目\n（一级指标）',
  content: '测评内容\n（二级指标）',
  code: '指标\n编号',
  text: '测评标准',
  method: '测评方式',
  score: '分值\n（分）',
  lead: '牵头单位\n（必填）',
  responsible: '配合单位',
  leader: '包抓\n领导',
  due: '完成时限',
  notes: '备注',
  contact: '联系人',
};
type Col = keyof typeof HEADERS;

/** Builds the workbook; `layout` says which rows hold what. */
export async function realTaskSheet(
  opts: RealSheetOptions = {},
): Promise<{ file: Buffer; layout: RealSheetLayout }> {
  const items = opts.items ?? REAL_SHEET_ITEMS;
  const cols = (Object.keys(HEADERS) as Col[]).filter(
    (c) => (c !== 'seq' || opts.seq !== false) && (c !== 'code' || opts.codeHeader !== null),
  );
  const at = (c: Col) => cols.indexOf(c) + 1;
  const wb = new ExcelJS.Workbook();
  const extraSheets = opts.extraSheets !== false;
  if (extraSheets) {
    const help = wb.addWorksheet('填表说明');
    for (const line of [
      '填表说明',
      '1. 测评项目、测评内容按测评体系填写，可合并单元格；',
      '2. 牵头单位只填一个，其余单位填入配合单位；',
      '3. 完成时限填写具体日期，或“长期坚持”“每月”；',
      '4. 分值合计应与测评体系一致。',
    ]) {
      help.addRow([line]);
    }
    help.addRow(['列名', '填写要求']);
    help.addRow(['测评项目', '一级指标名称']);
    help.addRow(['牵头单位', '单位全称或简称']);
  }
  const ws = wb.addWorksheet('任务分解表');
  const width = cols.length;
  ws.addRow([opts.title ?? 'XX市创建全国文明城市任务分解表']);
  ws.mergeCells(1, 1, 1, width);
  ws.getRow(1).font = { bold: true, size: 16 };
  ws.addRow(['填报单位：XX市文明办（盖章）', null, null, null, null, null, '填报时间：2026年3月']);
  const headerRow = ws.addRow(cols.map((c) => HEADERS[c])).number;
  ws.getRow(headerRow).alignment = { wrapText: true, vertical: 'middle' };
  if (opts.codeHeader) ws.getCell(headerRow, at('code')).value = opts.codeHeader;

  const layout: RealSheetLayout = {
    dataSheet: ws.name,
    headerRow,
    standardRows: new Map(),
    skipped: [],
    sums: [],
  };
  const put = (row: number, c: Col, v: SheetCell | undefined) => {
    if (at(c) > 0 && v !== undefined && v !== '') ws.getCell(row, at(c)).value = v;
  };
  const mergeDown = (c: Col, from: number, to: number) => {
    if (at(c) > 0 && to > from) ws.mergeCells(from, at(c), to, at(c));
  };
  const spanLabel = (row: number, label: string) => {
    const first = at('seq') > 0 ? at('seq') : at('item');
    ws.getCell(row, first).value = label;
    ws.mergeCells(row, first, row, at('method'));
  };
  let r = headerRow + 1;
  let seq = 0;
  let total = 0;
  for (const item of items) {
    const itemStart = r;
    let itemSum = 0;
    for (const content of item.contents) {
      const contentStart = r;
      let contentSum = 0;
      for (const s of content.standards) {
        const first = r;
        seq++;
        for (const [i, t] of s.tasks.entries()) {
          if (i === 0) {
            put(r, 'seq', seq);
            put(r, 'code', s.code);
            put(r, 'text', s.text);
            put(r, 'method', s.method);
            put(r, 'score', s.score);
          }
          put(r, 'lead', t.lead);
          put(r, 'responsible', t.responsible);
          put(r, 'leader', t.leader);
          put(r, 'due', t.due ?? undefined);
          put(r, 'notes', t.notes);
          put(r, 'contact', t.contact);
          r++;
        }
        // One standard on several rows: its own cells merged down, as offices lay them out.
        for (const c of ['seq', 'code', 'text', 'method', 'score'] as Col[]) {
          mergeDown(c, first, r - 1);
        }
        layout.standardRows.set(
          s.code || s.text,
          Array.from({ length: r - first }, (_, k) => first + k),
        );
        contentSum += s.score;
      }
      const sub = content.subtotal ?? 'label';
      put(contentStart, 'content', content.label);
      if (sub === 'label' || sub === 'number') {
        // The content cell merged over its standards and its 小计 row.
        if (sub === 'label') put(r, 'text', '小计');
        put(r, 'score', contentSum);
        layout.skipped.push({ row: r, kind: 'subtotal' });
        layout.sums.push({ row: r, stated: contentSum });
        r++;
        mergeDown('content', contentStart, r - 1);
      } else {
        mergeDown('content', contentStart, r - 1);
        if (sub === 'across') {
          ws.getCell(r, at('content')).value = '小计';
          ws.mergeCells(r, at('content'), r, at('method'));
          put(r, 'score', contentSum);
          layout.skipped.push({ row: r, kind: 'subtotal' });
          layout.sums.push({ row: r, stated: contentSum });
          r++;
        }
      }
      itemSum += contentSum;
    }
    put(itemStart, 'item', item.label);
    mergeDown('item', itemStart, r - 1);
    if (item.subtotal !== false) {
      spanLabel(r, `${item.label}小计`);
      put(r, 'score', itemSum);
      layout.skipped.push({ row: r, kind: 'subtotal' });
      layout.sums.push({ row: r, stated: itemSum });
      r++;
    }
    total += itemSum;
  }
  spanLabel(r, '合计');
  put(r, 'score', opts.total ?? total);
  layout.skipped.push({ row: r, kind: 'total' });
  layout.sums.push({ row: r, stated: opts.total ?? total });
  r++;
  ws.getCell(r, 1).value =
    '注：1. 牵头单位对任务完成负总责；2. 完成时限为“长期坚持”的，每季度报送进展。';
  ws.mergeCells(r, 1, r, width);
  layout.skipped.push({ row: r, kind: 'note' });

  ws.columns.forEach((c, i) => {
    c.width = cols[i] === 'text' ? 40 : 14;
  });
  if (at('contact') > 0) ws.getColumn(at('contact')).hidden = true;
  ws.views = [{ state: 'frozen', ySplit: headerRow }];

  if (extraSheets) {
    const sum = wb.addWorksheet('汇总');
    sum.addRow(['序号', '牵头单位', '任务数', '分值合计']);
    sum.addRow([1, '城管局', 3, 9]);
    sum.addRow([2, '交警支队', 2, 7]);
  }
  return { file: Buffer.from(await wb.xlsx.writeBuffer()), layout };
}

/** The units `realTaskSheet` names (by these names and short names), as [code, name, 简称]. */
export const REAL_SHEET_UNITS: [string, string, string | null][] = [
  ['XC', '市委宣传部', null],
  ['WMB', '市文明办', null],
  ['CGJ', '市城市管理综合执法局', '城管局'],
  ['JJ', '市公安局交通警察支队', '交警支队'],
  ['MZ', '市民政局', null],
];

/** Puts the units `realTaskSheet` names into a test's directory; ids by code. */
export async function insertSheetUnits(
  db: DbOrTx,
  codePrefix: string,
): Promise<Record<string, number>> {
  const ids: Record<string, number> = {};
  for (const [code, name, shortName] of REAL_SHEET_UNITS) {
    ids[code] = await insertUnit(db, {
      code: `${codePrefix}-${code}`,
      name,
      shortName,
      type: 'other',
    });
  }
  return ids;
}
