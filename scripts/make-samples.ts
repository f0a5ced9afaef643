/**
 * Writes the two sample sheets in docs/samples/ (issue #18), the way a city's 创建办 circulates
 * them, for offices to start from:
 *
 * - 测评体系与任务分解表-样例.xlsx: a 填表说明 sheet, then the 测评体系 with its 任务分解 — title row,
 *   header row, 项目/内容 merged over their rows, 小计 per content, 合计, a 注： line. Imported with
 *   体系编辑 → 导入（JSON / Excel） as a new framework.
 * - 任务分解表-样例.xlsx: the 任务分解 alone against the demo framework's 标准编号, with a 序号
 *   column and heading rows. Imported on a version with 任务分解 → 导入任务分解表.
 *
 * The standards are those of server/db/seed/demo-framework.json; the units are written the way
 * offices write them (full names, short names, without 市) but always name a unit of the demo city
 * (server/db/seed/demo-city.data.ts). Output is byte for byte the same on every run (fixed workbook
 * dates, fixed zip entry times), so the committed files can be checked against this script
 * (server/modules/frameworks/samples.int.test.ts).
 *
 * Run: npx tsx scripts/make-samples.ts
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { METHOD_LABELS, type TMethod } from '../core/frameworks/methods.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SAMPLES_DIR = path.join(ROOT, 'docs', 'samples');
export const FRAMEWORK_SAMPLE = '测评体系与任务分解表-样例.xlsx';
export const TASK_SAMPLE = '任务分解表-样例.xlsx';
const DEMO_FRAMEWORK = path.join(ROOT, 'server', 'db', 'seed', 'demo-framework.json');

/** Every date the files carry: workbook properties and zip entries. */
const FIXED_DATE = new Date(Date.UTC(2026, 2, 1, 9, 0, 0));

// ---------- the demo framework ----------

interface DemoStandard {
  code: string;
  text: string;
  method: TMethod;
  score: number;
}
interface DemoContent {
  code: string;
  name: string;
  standards: DemoStandard[];
}
interface DemoItem {
  code: string;
  name: string;
  contents: DemoContent[];
}

function demoItems(): DemoItem[] {
  const doc = JSON.parse(readFileSync(DEMO_FRAMEWORK, 'utf8')) as { items: DemoItem[] };
  return doc.items;
}

// ---------- the 任务分解 ----------

/** One task row: a lead unit and what goes with it. */
interface Task {
  lead: string;
  responsible?: string;
  /** Text as written, or a Date written as a date cell. */
  due: string | Date;
  notes?: string;
}

/** What a standard carries besides its text: 测评说明, 佐证材料 (one per line), its tasks. */
interface StandardPlan {
  guidance?: string;
  evidence?: string[];
  tasks: Task[];
}

/** The three districts, as a 责任单位 cell lists them. */
const DISTRICTS = '东湖区人民政府、西城区人民政府、南山区人民政府';

/** 包抓领导 per item (invented names). */
const LEADERS: Record<string, string> = {
  I1: '李分管',
  I2: '李分管',
  I3: '陈立新',
  I4: '周海涛',
  I5: '吴建平',
  I6: '周海涛',
  I7: '李分管',
};

const date = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));

/**
 * The 任务分解 of every demo standard, by code. Unit names are written as offices write them:
 * 宣传部 (市委宣传部), 城管局 / 市城管局 / 示范市城管局, 公安交警 (简称), full names, and so on —
 * each resolves to exactly one unit of the demo city.
 */
const PLAN: Record<string, StandardPlan> = {
  'I1.1.1': {
    guidance: '查看年度学习计划及学习记录，计划须于当年3月底前印发',
    evidence: ['理论学习中心组年度学习计划', '学习记录、会议纪要及照片'],
    tasks: [
      {
        lead: '市委宣传部',
        responsible: '市委组织部',
        due: '2026年3月底',
        notes: '各单位学习计划报市委宣传部备案',
      },
    ],
  },
  'I1.1.2': {
    guidance: '查看专栏页面和基层宣讲活动记录',
    evidence: ['专栏链接及页面截图', '基层宣讲活动台账（每季度）'],
    tasks: [{ lead: '融媒体中心', responsible: '宣传部', due: '每季度' }],
  },
  'I1.2.1': {
    guidance: '随机抽查主次干道、窗口场所，公益广告无破损、无过期',
    tasks: [
      {
        lead: '宣传部',
        responsible: `城管局、住建局、${DISTRICTS}`,
        due: '2026年6月底',
        notes: '新增固定式公益广告6月底前全部到位',
      },
    ],
  },
  'I1.2.2': {
    guidance: '入户问卷调查',
    tasks: [{ lead: '文明办', responsible: `宣传部、融媒体中心、${DISTRICTS}`, due: '长期坚持' }],
  },
  'I1.3.1': {
    evidence: ['身边好人、道德模范评选表彰文件', '礼遇帮扶政策及落实记录'],
    tasks: [{ lead: '市文明办', responsible: '民政局、总工会、团委', due: '每季度' }],
  },
  'I2.1.1': {
    guidance: '抽查街道新时代文明实践所、社区实践站',
    tasks: [{ lead: '文明办', responsible: DISTRICTS, due: date(2026, 9, 30) }],
  },
  'I2.1.2': {
    evidence: ['主题活动记录（按月）', '线上平台登记截图'],
    tasks: [
      {
        lead: '文明办',
        responsible: DISTRICTS,
        due: '每月',
        notes: '每月5日前在线上平台登记上月活动',
      },
    ],
  },
  'I2.2.1': {
    guidance: '以全国志愿服务信息系统数据为准',
    evidence: ['注册志愿者统计表', '服务时长查询截图'],
    tasks: [
      {
        lead: '市文明办',
        responsible: '团委、民政局、市志愿服务联合会',
        due: '2026年12月31日前',
      },
    ],
  },
  'I2.2.2': {
    tasks: [
      {
        lead: '团市委',
        responsible: '公安交警、政务服务中心、示范市火车站、公交集团',
        due: '长期坚持',
      },
    ],
  },
  'I2.2.3': {
    guidance: '入户问卷调查',
    tasks: [{ lead: '文明办', responsible: `团委、${DISTRICTS}`, due: '长期坚持' }],
  },
  'I2.3.1': {
    tasks: [{ lead: '市场监管局', responsible: '商务局', due: '2026年6月底' }],
  },
  'I2.3.2': {
    evidence: ['各社区红白理事会名单', '村规民约、居民公约文本'],
    tasks: [{ lead: '民政局', responsible: `农业农村局、${DISTRICTS}`, due: '2026-09-30' }],
  },
  'I3.1.1': {
    evidence: ['信用信息平台运行情况说明', '失信联合惩戒案例'],
    tasks: [
      {
        lead: '市场监管局',
        responsible: '市政府办公室、司法局、财政局',
        due: '长期坚持',
      },
    ],
  },
  'I3.1.2': {
    tasks: [
      {
        lead: '市场监管局',
        responsible: '商务局、东湖农贸市场管理有限公司',
        due: '2026年6月底',
      },
    ],
  },
  'I3.2.1': {
    guidance: '拨打公共法律服务热线，记录接通时间和答复情况',
    tasks: [
      {
        lead: '司法局',
        responsible: '市12345政务服务便民热线中心',
        due: '长期坚持',
      },
    ],
  },
  'I3.2.2': {
    tasks: [{ lead: '司法局', responsible: `民政局、${DISTRICTS}`, due: '2026年6月底' }],
  },
  'I3.3.1': {
    tasks: [{ lead: '政务服务中心', responsible: '市政府办公室', due: '2026年6月底' }],
  },
  'I3.3.2': {
    guidance: '入户问卷调查',
    tasks: [
      {
        lead: '市政务服务管理局',
        responsible: '市政府办公室、市12345政务服务便民热线中心',
        due: '长期坚持',
      },
    ],
  },
  'I4.1.1': {
    tasks: [
      {
        lead: '城管局',
        responsible: `市场监管局、${DISTRICTS}`,
        due: '长期坚持',
        notes: '每月开展一次集中整治',
      },
    ],
  },
  'I4.1.2': {
    guidance: '抽查主次干道、商业大街、公交站点周边',
    tasks: [
      {
        lead: '公安交警',
        responsible: `城管局、${DISTRICTS}`,
        due: '长期坚持',
        notes: '机动车、非机动车停放秩序',
      },
      {
        lead: '示范市城管局',
        responsible: '交通运输局',
        due: '每月',
        notes: '共享单车停放及企业调度',
      },
    ],
  },
  'I4.1.3': {
    tasks: [{ lead: '城管局', responsible: `住建局、${DISTRICTS}`, due: '长期坚持' }],
  },
  'I4.2.1': {
    guidance: '交通路口定点观察5分钟',
    tasks: [
      {
        lead: '市公安局交通警察支队',
        responsible: '团市委、教育局',
        due: '长期坚持',
        notes: '高峰时段路口安排文明交通志愿者',
      },
    ],
  },
  'I4.2.2': {
    tasks: [{ lead: '公安交警', responsible: '交通运输局、公交集团', due: '长期坚持' }],
  },
  'I4.3.1': {
    tasks: [
      {
        lead: '住建局',
        responsible: `市城管局、${DISTRICTS}`,
        due: date(2026, 9, 30),
        notes: '路灯完好率不低于95%',
      },
    ],
  },
  'I4.3.2': {
    tasks: [{ lead: '住建局', responsible: `消防救援、${DISTRICTS}`, due: '长期坚持' }],
  },
  'I5.1.1': {
    tasks: [{ lead: '交通运输局', responsible: '示范市公交集团', due: '2026年6月底' }],
  },
  'I5.2.1': {
    tasks: [{ lead: '城管局', responsible: DISTRICTS, due: '长期坚持' }],
  },
  'I5.2.2': {
    tasks: [
      {
        lead: '住建局',
        responsible: '政务服务中心、卫健委、示范市火车站',
        due: '2026年12月31日前',
      },
    ],
  },
  'I5.3.1': {
    tasks: [
      {
        lead: '市卫生健康委员会',
        responsible: '示范市人民医院、示范市中医院、国网示范市供电公司、示范市水务集团',
        due: '长期坚持',
      },
    ],
  },
  'I5.3.2': {
    guidance: '拨打消费维权热线，记录接通和反馈时间',
    tasks: [
      {
        lead: '市场监管局',
        responsible: '市12345政务服务便民热线中心',
        due: '长期坚持',
      },
    ],
  },
  'I5.4.1': {
    guidance: '入户问卷调查',
    tasks: [{ lead: '民政局', responsible: `住建局、${DISTRICTS}`, due: '长期坚持' }],
  },
  'I5.4.2': {
    guidance: '入户问卷调查',
    tasks: [{ lead: '公安局', responsible: '政法委', due: '长期坚持' }],
  },
  'I6.1.1': {
    tasks: [
      {
        lead: '城管局',
        responsible: DISTRICTS,
        due: '长期坚持',
        notes: '主次干道每日两扫、全天保洁',
      },
    ],
  },
  'I6.1.2': {
    tasks: [{ lead: '城管局', responsible: `住建局、${DISTRICTS}`, due: '2026年6月底' }],
  },
  'I6.2.1': {
    guidance: '以生态环境部门年度公报数据为准',
    evidence: ['空气质量优良天数统计', '地表水水质监测数据'],
    tasks: [{ lead: '生态环境局', responsible: '水利局、住建局', due: '2026年12月31日前' }],
  },
  'I6.3.1': {
    tasks: [{ lead: '卫健委', responsible: '市场监管局、文旅局', due: '长期坚持' }],
  },
  'I7.1.1': {
    guidance: '抽查中小学校校门周边200米范围',
    tasks: [
      {
        lead: '教育局',
        responsible: '城管局、市场监管局',
        due: '长期坚持',
        notes: '校门周边流动摊点',
      },
      {
        lead: '公安局',
        responsible: '文旅局',
        due: '每月',
        notes: '网吧、娱乐场所违规经营',
      },
    ],
  },
  'I7.1.2': {
    tasks: [{ lead: '文旅局', responsible: '公安局', due: '每月' }],
  },
  'I7.2.1': {
    evidence: ['创建工作规划', '年度任务分解表', '督查通报、考核结果'],
    tasks: [
      {
        lead: '市文明办',
        responsible: '市政府办公室',
        due: '2026年3月底',
        notes: '任务分解表每年年初修订',
      },
    ],
  },
  'I7.2.2': {
    guidance: '入户问卷调查',
    tasks: [{ lead: '宣传部', responsible: `文明办、融媒体中心、${DISTRICTS}`, due: '长期坚持' }],
  },
};

/** In the task sheet this standard is found by its text alone (its 标准编号 cell left blank). */
const TEXT_ONLY_CODE = 'I7.2.1';
const TEXT_NOTE = '（含佐证材料）';

function planOf(code: string): StandardPlan {
  const p = PLAN[code];
  if (!p) throw new Error(`no 任务分解 for ${code} in scripts/make-samples.ts`);
  return p;
}

// ---------- workbook helpers ----------

const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};
const HEADER_FILL: ExcelJS.Fill = {
  type: 'pattern',
  pattern: 'solid',
  fgColor: { argb: 'FFD9E1F2' },
};
const SUBTOTAL_FILL: ExcelJS.Fill = {
  type: 'pattern',
  pattern: 'solid',
  fgColor: { argb: 'FFFFF2CC' },
};
const FONT = { name: '宋体', size: 10 };

function newWorkbook(): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = '示范市创建办';
  wb.lastModifiedBy = '示范市创建办';
  wb.created = FIXED_DATE;
  wb.modified = FIXED_DATE;
  wb.calcProperties.fullCalcOnLoad = true;
  return wb;
}

/** Borders, font and wrapping on every cell of rows `from`..`to`, columns 1..`cols`. */
function frame(ws: ExcelJS.Worksheet, from: number, to: number, cols: number): void {
  for (let r = from; r <= to; r++) {
    for (let c = 1; c <= cols; c++) {
      const cell = ws.getCell(r, c);
      cell.border = THIN;
      cell.font = { ...FONT, ...(cell.font?.bold ? { bold: true } : {}) };
      cell.alignment = { vertical: 'middle', wrapText: true, ...(cell.alignment ?? {}) };
    }
  }
}

function title(ws: ExcelJS.Worksheet, text: string, cols: number): void {
  ws.mergeCells(1, 1, 1, cols);
  const c = ws.getCell(1, 1);
  c.value = text;
  c.font = { name: '黑体', size: 16, bold: true };
  c.alignment = { horizontal: 'center', vertical: 'middle' };
  ws.getRow(1).height = 32;
}

function headerRow(ws: ExcelJS.Worksheet, row: number, headers: string[], widths: number[]): void {
  headers.forEach((h, i) => {
    const c = ws.getCell(row, i + 1);
    c.value = h;
    c.font = { ...FONT, bold: true };
    c.fill = HEADER_FILL;
    c.border = THIN;
    c.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    ws.getColumn(i + 1).width = widths[i]!;
  });
  ws.getRow(row).height = 30;
  ws.views = [{ state: 'frozen', ySplit: row, activeCell: `A${row + 1}` }];
}

function dueCell(cell: ExcelJS.Cell, due: string | Date): void {
  cell.value = due;
  if (due instanceof Date) cell.numFmt = 'yyyy-mm-dd';
}

/**
 * exceljs stamps every zip entry with the time of writing: the entries get one fixed time instead,
 * so the same workbook is the same bytes (local headers and central directory, MS-DOS format).
 */
export function fixZipTimes(zip: Buffer): Buffer {
  const out = Buffer.from(zip);
  const d = FIXED_DATE;
  const dosTime = (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1);
  const dosDate =
    ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate();
  let eocd = -1;
  for (let i = out.length - 22; i >= 0; i--) {
    if (out.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file: no end of central directory');
  const entries = out.readUInt16LE(eocd + 10);
  let p = out.readUInt32LE(eocd + 16);
  for (let n = 0; n < entries; n++) {
    if (out.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central directory entry at ${p}`);
    out.writeUInt16LE(dosTime, p + 12);
    out.writeUInt16LE(dosDate, p + 14);
    const local = out.readUInt32LE(p + 42);
    if (out.readUInt32LE(local) !== 0x04034b50) throw new Error(`bad local header at ${local}`);
    out.writeUInt16LE(dosTime, local + 10);
    out.writeUInt16LE(dosDate, local + 12);
    p += 46 + out.readUInt16LE(p + 28) + out.readUInt16LE(p + 30) + out.readUInt16LE(p + 32);
  }
  return out;
}

async function toBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  return fixZipTimes(Buffer.from(await wb.xlsx.writeBuffer()));
}

const sumOf = (ns: number[]) => Math.round(ns.reduce((a, b) => a + b, 0) * 100) / 100;
const itemScore = (it: DemoItem) =>
  sumOf(it.contents.flatMap((c) => c.standards.map((s) => s.score)));

// ---------- sample 1: 测评体系与任务分解表 ----------

/** The columns of the 测评体系 sheet: header as written, width. */
const FW_COLUMNS: [string, number][] = [
  ['项目（一级指标）', 16],
  ['内容（二级指标）', 16],
  ['标准编号', 10],
  ['测评标准', 40],
  ['测评方法', 10],
  ['分值（分）', 7],
  ['牵头单位', 14],
  ['责任单位', 28],
  ['包抓领导', 10],
  ['完成时限', 12],
  ['测评说明', 24],
  ['佐证材料', 24],
  ['备注', 18],
];
const COL = {
  item: 1,
  content: 2,
  code: 3,
  text: 4,
  method: 5,
  score: 6,
  lead: 7,
  responsible: 8,
  leader: 9,
  due: 10,
  guidance: 11,
  evidence: 12,
  notes: 13,
} as const;

function instructionsSheet(wb: ExcelJS.Workbook, items: DemoItem[]): void {
  const ws = wb.addWorksheet('填表说明');
  ws.getColumn(1).width = 18;
  ws.getColumn(2).width = 12;
  ws.getColumn(3).width = 70;
  ws.getColumn(4).width = 30;
  title(ws, '填表说明', 4);
  const total = sumOf(items.map(itemScore));
  const para = (text: string, bold = false) => {
    const r = ws.addRow([text]);
    ws.mergeCells(r.number, 1, r.number, 4);
    r.getCell(1).font = { ...FONT, size: 11, bold };
    r.getCell(1).alignment = { wrapText: true, vertical: 'top' };
    r.height = Math.max(18, Math.ceil(text.length / 60) * 16);
  };
  para(
    `一、本表为示范市创建全国文明城市测评体系任务分解表样例（${items.length} 个项目、` +
      `满分 ${total} 分），第二张工作表“测评体系任务分解表”为数据表。可在本表基础上修改，` +
      '在平台“测评体系 → 体系编辑”页点击“导入（JSON / Excel）”，选择“新的测评体系”并填写名称后导入。',
  );
  para('二、各列填写要求：', true);
  const table: [string, string, string, string][] = [
    ['列名', '是否必填', '填写要求', '示例'],
    [
      '项目（一级指标）',
      '必填',
      '测评项目名称，可带编号和分值；同一项目的各行可合并单元格，也可只在第一行填写',
      'I1 思想引领与价值培育（18分）',
    ],
    [
      '内容（二级指标）',
      '必填',
      '测评内容名称，可带编号；同一内容的各行可合并单元格',
      'I1.1 理论学习与宣传',
    ],
    [
      '标准编号',
      '选填',
      '字母、数字、点或短横线；不填时平台按顺序自动编号；只填 1、2、3 时视为该内容下的序号',
      'I1.1.1',
    ],
    [
      '测评标准',
      '必填',
      '一行一条标准；同一标准有多个牵头单位时可分多行填写（标准、方法、分值须一致，可合并单元格）',
      '党委（党组）中心组有年度学习计划并按计划落实',
    ],
    [
      '测评方法',
      '必填',
      '每条标准只填一种：材料审核、实地考察、实景模拟验证、问卷调查、网络调查、听取汇报、整体观察' +
        '（也可简写为材料、实地、模拟、问卷、网络、汇报、整体）；一条标准涉及多种方法的，请拆分为多条标准',
      '材料审核',
    ],
    ['分值', '必填', '数字，最多两位小数，可带“分”字', '5 或 2.5分'],
    [
      '牵头单位',
      '分配任务时必填',
      '只填一个单位。可写全称、简称，或省略“市”“市委”“示范市”，须能对应到平台“单位管理”中的一个单位',
      '市城市管理综合执法局 / 城管局 / 市城管局',
    ],
    ['责任单位', '选填', '配合单位，多个单位用顿号“、”隔开', '市民政局、东湖区人民政府'],
    ['包抓领导', '选填', '包抓该项任务的领导姓名', '李分管'],
    [
      '完成时限',
      '选填',
      '日期（如 2026年6月底、2026-09-30、2026年12月31日前，或 Excel 日期格式），' +
        '或文字（如 长期坚持、每月、每季度）',
      '2026年6月底 / 长期坚持',
    ],
    ['测评说明', '选填', '测评时怎样看、看什么', '查看年度学习计划及学习记录'],
    [
      '佐证材料',
      '选填',
      '需准备的佐证材料，每项一行（单元格内换行）或用“；”隔开',
      '学习计划；学习记录',
    ],
    ['备注', '选填', '其他说明；填在有牵头单位的行上时，作为该项任务的备注', ''],
  ];
  for (const [i, cells] of table.entries()) {
    const r = ws.addRow(cells);
    r.eachCell((c) => {
      c.border = THIN;
      c.font = { ...FONT, bold: i === 0 };
      c.alignment = { wrapText: true, vertical: 'middle' };
      if (i === 0) c.fill = HEADER_FILL;
    });
  }
  para(
    '三、“小计”“合计”行和以“注：”开头的说明行不会作为测评标准导入；平台会核对其中的分值' +
      '是否等于所含标准分值之和，并在导入结果中列出。项目名称后的“（18分）”也会核对。',
  );
  para(
    '四、单位名称须与平台单位目录一致。目录中没有的单位请先在“单位管理”中添加，' +
      '或把表中的写法设为该单位的简称或别名。',
  );
  para(
    '五、导入前平台会逐行检查，任一行有错误时整表不导入，并列出出错的行号、列名和原因，' +
      '修改后重新导入即可。',
  );
  para(
    '六、只更新任务分解（牵头单位、责任单位、包抓领导、完成时限）时，请使用“任务分解表-样例.xlsx”' +
      '的格式，在“任务分解”页点击“导入任务分解表”。',
  );
}

async function frameworkSample(items: DemoItem[]): Promise<Buffer> {
  const wb = newWorkbook();
  instructionsSheet(wb, items);
  const ws = wb.addWorksheet('测评体系任务分解表');
  const cols = FW_COLUMNS.length;
  title(ws, '示范市创建全国文明城市测评体系任务分解表', cols);
  ws.mergeCells(2, 1, 2, cols);
  ws.getCell(2, 1).value = '示范市创建全国文明城市工作指挥部办公室　　　　　　2026年3月';
  ws.getCell(2, 1).alignment = { horizontal: 'right' };
  ws.getCell(2, 1).font = FONT;
  headerRow(
    ws,
    3,
    FW_COLUMNS.map((c) => c[0]),
    FW_COLUMNS.map((c) => c[1]),
  );
  ws.pageSetup = {
    orientation: 'landscape',
    paperSize: 9, // A4
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    printTitlesRow: '3:3',
  };

  const firstData = 4;
  let r = firstData;
  const subtotalRows: number[] = [];
  for (const item of items) {
    const itemStart = r;
    for (const content of item.contents) {
      const contentStart = r;
      for (const s of content.standards) {
        const plan = planOf(s.code);
        const stdStart = r;
        for (const task of plan.tasks) {
          const row = ws.getRow(r);
          if (r === stdStart) {
            row.getCell(COL.code).value = s.code;
            row.getCell(COL.text).value = s.text;
            row.getCell(COL.method).value = METHOD_LABELS[s.method].zh;
            row.getCell(COL.score).value = s.score;
            if (plan.guidance) row.getCell(COL.guidance).value = plan.guidance;
            if (plan.evidence) row.getCell(COL.evidence).value = plan.evidence.join('\n');
          }
          row.getCell(COL.lead).value = task.lead;
          if (task.responsible) row.getCell(COL.responsible).value = task.responsible;
          row.getCell(COL.leader).value = LEADERS[item.code]!;
          dueCell(row.getCell(COL.due), task.due);
          if (task.notes) row.getCell(COL.notes).value = task.notes;
          r++;
        }
        // A standard with several lead units: its own cells merged over its rows.
        if (r - 1 > stdStart) {
          for (const c of [COL.code, COL.text, COL.method, COL.score, COL.guidance, COL.evidence]) {
            ws.mergeCells(stdStart, c, r - 1, c);
          }
        }
      }
      // 小计: the label across 标准编号..测评方法, the sum in 分值.
      ws.mergeCells(r, COL.code, r, COL.method);
      ws.getCell(r, COL.code).value = '小计';
      ws.getCell(r, COL.code).alignment = { horizontal: 'center' };
      ws.getCell(r, COL.score).value = {
        formula: `SUM(F${contentStart}:F${r - 1})`,
        result: sumOf(content.standards.map((s) => s.score)),
      };
      subtotalRows.push(r);
      for (let c = COL.code; c <= cols; c++) {
        ws.getCell(r, c).fill = SUBTOTAL_FILL;
        ws.getCell(r, c).font = { ...FONT, bold: true };
      }
      r++;
      ws.mergeCells(contentStart, COL.content, r - 1, COL.content);
      ws.getCell(contentStart, COL.content).value = `${content.code} ${content.name}`;
    }
    ws.mergeCells(itemStart, COL.item, r - 1, COL.item);
    ws.getCell(itemStart, COL.item).value = `${item.code} ${item.name}（${itemScore(item)}分）`;
  }
  // 合计
  ws.mergeCells(r, 1, r, COL.method);
  ws.getCell(r, 1).value = '合计';
  ws.getCell(r, 1).alignment = { horizontal: 'center' };
  ws.getCell(r, COL.score).value = {
    formula: `SUMIF(C${firstData}:C${r - 1},"小计",F${firstData}:F${r - 1})`,
    result: sumOf(items.map(itemScore)),
  };
  for (let c = 1; c <= cols; c++) ws.getCell(r, c).font = { ...FONT, bold: true };
  const totalRow = r;
  frame(ws, firstData, totalRow, cols);
  for (let c = 1; c <= cols; c++) {
    if (c !== COL.text && c !== COL.responsible && c !== COL.guidance && c !== COL.evidence) {
      for (let rr = firstData; rr <= totalRow; rr++) {
        ws.getCell(rr, c).alignment = { ...ws.getCell(rr, c).alignment, horizontal: 'center' };
      }
    }
  }
  r++;
  ws.mergeCells(r, 1, r, cols);
  ws.getCell(r, 1).value =
    '注：1. 牵头单位对所牵头任务负总责，责任单位按职责配合落实；2. 完成时限为“长期坚持”的任务，' +
    '按月报送工作进展；3. 各单位联络员名单另行报送。';
  ws.getCell(r, 1).font = FONT;
  ws.getCell(r, 1).alignment = { wrapText: true, vertical: 'middle' };
  ws.getRow(r).height = 30;
  return toBuffer(wb);
}

// ---------- sample 2: 任务分解表 ----------

const TASK_COLUMNS: [string, number][] = [
  ['序号', 6],
  ['标准编号', 10],
  ['测评标准', 46],
  ['牵头单位', 16],
  ['责任单位', 32],
  ['包抓领导', 10],
  ['完成时限', 14],
  ['备注', 24],
];
const CHINESE_NUMBERS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

async function taskSample(items: DemoItem[]): Promise<Buffer> {
  const wb = newWorkbook();
  const ws = wb.addWorksheet('任务分解');
  const cols = TASK_COLUMNS.length;
  title(ws, '示范市2026年度创建全国文明城市任务分解表', cols);
  ws.mergeCells(2, 1, 2, cols);
  ws.getCell(2, 1).value =
    '按《全国文明城市测评体系（演示）》标准编号分解　　　　示范市文明办　2026年3月';
  ws.getCell(2, 1).alignment = { horizontal: 'right' };
  ws.getCell(2, 1).font = FONT;
  headerRow(
    ws,
    3,
    TASK_COLUMNS.map((c) => c[0]),
    TASK_COLUMNS.map((c) => c[1]),
  );
  let r = 4;
  let seq = 0;
  for (const [i, item] of items.entries()) {
    // 一、思想引领与价值培育（18分）: a heading across the row.
    ws.mergeCells(r, 1, r, cols);
    const h = ws.getCell(r, 1);
    h.value = `${CHINESE_NUMBERS[i]}、${item.name}（${itemScore(item)}分）`;
    h.font = { ...FONT, bold: true };
    h.fill = SUBTOTAL_FILL;
    r++;
    for (const content of item.contents) {
      for (const s of content.standards) {
        const plan = planOf(s.code);
        const stdStart = r;
        seq++;
        for (const task of plan.tasks) {
          const row = ws.getRow(r);
          if (r === stdStart) {
            row.getCell(1).value = seq;
            if (s.code !== TEXT_ONLY_CODE) row.getCell(2).value = s.code;
            row.getCell(3).value = s.code === TEXT_ONLY_CODE ? `${s.text}${TEXT_NOTE}` : s.text;
          }
          row.getCell(4).value = task.lead;
          if (task.responsible) row.getCell(5).value = task.responsible;
          row.getCell(6).value = LEADERS[item.code]!;
          dueCell(row.getCell(7), task.due);
          if (task.notes) row.getCell(8).value = task.notes;
          r++;
        }
        if (r - 1 > stdStart) for (const c of [1, 2, 3]) ws.mergeCells(stdStart, c, r - 1, c);
      }
    }
  }
  frame(ws, 4, r - 1, cols);
  for (let rr = 4; rr < r; rr++) {
    for (const c of [1, 2, 4, 6, 7]) {
      ws.getCell(rr, c).alignment = { ...ws.getCell(rr, c).alignment, horizontal: 'center' };
    }
  }
  ws.pageSetup = {
    orientation: 'landscape',
    paperSize: 9, // A4
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    printTitlesRow: '3:3',
  };
  return toBuffer(wb);
}

/** Both samples: file name and bytes (the same on every run). */
export async function buildSamples(): Promise<{ name: string; body: Buffer }[]> {
  const items = demoItems();
  return [
    { name: FRAMEWORK_SAMPLE, body: await frameworkSample(items) },
    { name: TASK_SAMPLE, body: await taskSample(items) },
  ];
}

async function main(): Promise<void> {
  mkdirSync(SAMPLES_DIR, { recursive: true });
  for (const s of await buildSamples()) {
    const file = path.join(SAMPLES_DIR, s.name);
    writeFileSync(file, s.body);
    console.log(`wrote ${path.relative(ROOT, file)} (${s.body.length} bytes)`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
