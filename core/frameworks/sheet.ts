import type { TRowError } from '../contracts/common.js';
import {
  cleanText,
  codeKey,
  isNoteLabel,
  looseTextKey,
  parseCode,
  parseDue,
  parseHeadingLabel,
  parseScore,
  parseSummaryLabel,
  splitLabel,
  splitLines,
  splitNames,
  splitStatedScore,
  textKey,
  type THeadingLabel,
  type TSummaryLabel,
} from './cells.js';
import type { AssignmentData, FrameworkData, ItemData, StandardData } from './data.js';
import { EMPTY_SOURCE } from './data.js';
import { METHOD_LABELS, METHODS, normKey, parseMethod, type TMethod } from './methods.js';
import { unitNotFoundReason, type TUnitMatch } from './unit-match.js';

/**
 * The 测评体系 / 任务分解表 sheet: one row per standard (or per standard and lead unit), the parents
 * written on the first row of each group — merged over the group or left blank below it. Real
 * sheets also carry rows that are not standards: headings ("一、思想道德建设（11分）" alone on its
 * row), 小计 / 合计 rows and rows with only a number in 分值, and 注：… lines. Those are passed over
 * and listed in the report; the sums they state are checked against the standards they cover.
 */

export type SheetKey =
  | 'item'
  | 'content'
  | 'code'
  | 'text'
  | 'method'
  | 'score'
  | 'lead'
  | 'responsible'
  | 'leader'
  | 'due'
  | 'guidance'
  | 'evidence'
  | 'notes';

export interface SheetColumn {
  key: SheetKey;
  header: string;
  aliases: string[];
  /** Headers taken only when no other header of the row is this column (see xlsx ColumnSpec). */
  fallbackAliases?: string[];
  required?: boolean;
  width: number;
}

/**
 * The columns, in the order an export writes them; headers are matched with their aliases (the
 * reader folds full width, spaces, line breaks and notes such as "（必填）" or "（一级指标）").
 * No alias is listed under two columns: 测评说明 is guidance, 说明 alone a remark (and only when
 * there is no 备注 column), 测评说明/佐证材料 the evidence (only when there is no 佐证材料 column,
 * see there); 责任单位 are the units working with the lead, 责任领导单位 the lead
 * unit; 序号 is the code only when no code column exists (and not even then when it merely counts
 * rows, see `parseFrameworkSheet`).
 */
export const FRAMEWORK_SHEET_COLUMNS: SheetColumn[] = [
  {
    key: 'item',
    header: '项目',
    aliases: ['测评项目', '一级指标', '项目名称', '测评项目名称', 'item'],
    required: true,
    width: 22,
  },
  {
    key: 'content',
    header: '内容',
    aliases: ['测评内容', '二级指标', '内容名称', '测评内容名称', 'content'],
    required: true,
    width: 22,
  },
  {
    key: 'code',
    header: '标准编号',
    aliases: ['编号', '标准序号', '指标编号', '测评标准编号', '条目编号', '标准代码', 'code'],
    fallbackAliases: ['序号', 'no.', 'no'],
    width: 11,
  },
  {
    key: 'text',
    header: '标准',
    aliases: [
      '测评标准',
      '标准内容',
      '具体标准',
      '三级指标',
      '测评标准内容',
      '测评标准及要求',
      'standard',
    ],
    required: true,
    width: 50,
  },
  {
    key: 'method',
    header: '方法',
    aliases: ['测评方法', '测评方式', '考核方式', '考核方法', '评价方式', 'method'],
    required: true,
    width: 12,
  },
  {
    key: 'score',
    header: '分值',
    aliases: ['分数', '标准分', '标准分值', '权重分', '分值权重', 'score'],
    required: true,
    width: 8,
  },
  {
    key: 'lead',
    header: '牵头单位',
    aliases: ['牵头部门', '责任领导单位', '主责单位', '牵头责任单位', 'lead unit'],
    width: 20,
  },
  {
    key: 'responsible',
    header: '责任单位',
    aliases: [
      '配合单位',
      '责任部门',
      '协办单位',
      '参与单位',
      '配合部门',
      '协同单位',
      'responsible units',
    ],
    width: 30,
  },
  {
    key: 'leader',
    header: '包抓领导',
    aliases: ['分管领导', '责任领导', '包保领导', '包抓市领导', '分管市领导', 'leader'],
    width: 12,
  },
  {
    key: 'due',
    header: '时限',
    aliases: ['完成时限', '完成时间', '时间节点', '完成期限', '时间要求', 'deadline'],
    width: 13,
  },
  { key: 'guidance', header: '测评说明', aliases: ['指导说明', 'guidance'], width: 30 },
  {
    key: 'evidence',
    header: '佐证材料',
    aliases: ['佐证材料要求', '佐证材料清单', 'evidence'],
    // One column for both (测评说明/佐证材料) is read as the evidence when the sheet has no 佐证材料
    // column of its own: its lines are what a unit prepares and the 档案资料 check lists them, one
    // per line (a 测评说明 sentence among them reads as a requirement too, nothing is lost; as
    // guidance the 佐证材料 would be one block of text no checklist shows). Beside a 佐证材料
    // column it is not guessed at: it stays one of the sheet's other columns, kept as written.
    fallbackAliases: [
      '测评说明/佐证材料',
      '测评说明及佐证材料',
      '测评说明和佐证材料',
      '测评说明与佐证材料',
      '测评说明、佐证材料',
      '测评说明及佐证材料要求',
      '测评说明/佐证',
      '说明/佐证材料',
      '说明/佐证',
      '说明及佐证材料',
    ],
    width: 30,
  },
  { key: 'notes', header: '备注', aliases: ['notes'], fallbackAliases: ['说明'], width: 20 },
];

/** The assignment sheet is the same sheet; only the code (or the text) and the lead unit matter. */
export const ASSIGNMENT_SHEET_COLUMNS: SheetColumn[] = FRAMEWORK_SHEET_COLUMNS.map((c) => ({
  ...c,
  required: c.key === 'lead',
}));

export const header = (k: SheetKey) => FRAMEWORK_SHEET_COLUMNS.find((c) => c.key === k)!.header;

export interface SheetRowIn {
  /** Row number as Excel shows it. */
  row: number;
  values: Record<SheetKey, string>;
  /** The row's cells under headers the reader did not know (header → text). */
  extra?: Record<string, string>;
}

export type UnitResolver = (name: string) => TUnitMatch;

/** A row passed over: not a standard, and not an error. */
export interface SkippedRow {
  row: number;
  kind: 'subtotal' | 'total' | 'heading' | 'note' | 'blank' | 'no_assignment' | 'dropped';
  /** Why, in both languages. */
  reason: string;
}

/**
 * A sum a sheet states (小计, 合计, a number alone in 分值, "（11分）" after a group's name) and
 * the sum of the standards it covers. A mismatch is a warning: the standards are imported as
 * written, the office checks its sheet.
 */
export interface SumCheck {
  row: number;
  /** The label as written ("小计", "一、思想道德建设小计", "合计"); empty for a number alone. */
  label: string;
  stated: number;
  computed: number;
  ok: boolean;
  /** What it was checked against: a content's standards, an item's, or all of the sheet's. */
  scope: 'content' | 'item' | 'all';
}

export interface SheetReport {
  skippedRows: SkippedRow[];
  sumChecks: SumCheck[];
  /** Headers of columns that were not read (联系人, 完成情况…); their cells travel as `extra`. */
  unknownColumns: string[];
}

export interface SheetParseOptions {
  /** Headers of the columns the reader did not know (their cells are in each row's `extra`). */
  unknownColumns?: string[];
  /**
   * The code column was found only under a fallback header (序号), named here: its values are
   * codes only when they look like codes and do not just count the rows 1, 2, 3….
   */
  seqCodeHeader?: string;
  /**
   * Rows to leave out (the office chose to import the clean rows only): their item and content
   * cells still carry down to the rows below, their standard and task are not read.
   */
  dropRows?: ReadonlySet<number>;
}

const METHOD_HINT = METHODS.map((m) => METHOD_LABELS[m].zh).join('、');

const SKIP_REASONS: Record<SkippedRow['kind'], string> = {
  subtotal: '小计行，不是测评标准 / subtotal row, not a standard',
  total: '合计行，不是测评标准 / total row, not a standard',
  heading: '分组标题行，没有测评标准 / heading row, no standard on it',
  note: '说明行 / note row',
  blank: '只有合并过来的项目或内容，没有测评标准 / only merged item or content cells, no standard',
  no_assignment: '没有牵头单位，该行不分配任务 / no lead unit: the row assigns nothing',
  dropped: '有问题的行，未导入（见问题表） / a row with problems, left out (see the error sheet)',
};

/** A code as the platform accepts it (compared form, see `codeKey`). */
const CODE_SHAPE = /^[A-Z0-9][A-Z0-9.\-_]*$/;

type AssignmentCells = Omit<AssignmentData, 'standardCode'>;

/** True when the row fills any task column other than 备注 (a unit, a leader, a deadline). */
const hasTask = (v: Record<SheetKey, string>) =>
  [v.lead, v.responsible, v.leader, v.due].some((x) => x.trim());

/**
 * Reads the task columns of a row; null when the row names no unit, leader or deadline (a 备注
 * alone is a remark on the standard, not a task: see `parseFrameworkSheet`).
 */
export function parseAssignmentCells(
  r: SheetRowIn,
  resolve: UnitResolver,
  errs: TRowError[],
): AssignmentCells | null {
  const v = r.values;
  if (!hasTask(v)) return null;
  const err = (k: SheetKey, zh: string, en: string) =>
    errs.push({ row: r.row, column: header(k), reason: `${zh} / ${en}` });
  const before = errs.length;
  const unit = (k: SheetKey, name: string): number | null => {
    const m = resolve(name);
    if (m.ok) return m.unit.id;
    if (m.reason === 'ambiguous') {
      err(
        k,
        `单位“${name}”对应多个单位（${m.candidates.join('、')}），请写全称`,
        `unit "${name}" matches several units (${m.candidates.join(', ')}); write the full name`,
      );
    } else {
      const r = unitNotFoundReason(name, m.suggestions);
      err(k, r.zh, r.en);
    }
    return null;
  };
  const leads = splitNames(v.lead);
  let leadUnitId: number | null = null;
  if (leads.length === 0) {
    err(
      'lead',
      '填写了责任单位、领导或时限，但缺少牵头单位',
      'the row has units, a leader or a deadline but no lead unit',
    );
  } else if (leads.length > 1) {
    err(
      'lead',
      `牵头单位只能填一个（“${leads.join('、')}”），其余请填入责任单位`,
      `one lead unit per row ("${leads.join(', ')}"); put the others under 责任单位`,
    );
  } else {
    leadUnitId = unit('lead', leads[0]!);
  }
  const responsible: number[] = [];
  for (const name of splitNames(v.responsible)) {
    const id = unit('responsible', name);
    if (id !== null && id !== leadUnitId && !responsible.includes(id)) responsible.push(id);
  }
  const due = parseDue(v.due);
  if (due && 'error' in due) {
    err('due', `时限“${v.due}”不是有效日期`, `deadline "${v.due}" is not a valid date`);
  }
  if (errs.length > before || leadUnitId === null) return null;
  return {
    row: r.row,
    leadUnitId,
    responsibleUnitIds: responsible,
    leaderName: cleanText(v.leader) || null,
    dueDate: due && 'date' in due ? due.date : null,
    dueText: due && 'text' in due ? due.text : null,
    notes: cleanText(v.notes) || null,
    ...rowExtra(r),
  };
}

/** A row's cells under unknown headers, cleaned; nothing when it has none. */
function rowExtra(r: SheetRowIn): { extra?: Record<string, string> } {
  const extra: Record<string, string> = {};
  for (const [h, t] of Object.entries(r.extra ?? {})) {
    const c = cleanText(t);
    if (c) extra[h] = c;
  }
  return Object.keys(extra).length ? { extra } : {};
}

// ---------- rows that are not standards ----------

type RowClass =
  | { kind: 'note' }
  | { kind: 'summary'; label: TSummaryLabel; text: string; at: SheetKey | 'extra' }
  /**
   * A group heading where a standard would be (测评标准, 标准编号 or an unknown column such as
   * 序号, often merged across the row): see `parseHeadingLabel`. Headings in 项目 / 内容 are `bare`.
   */
  | { kind: 'heading'; heading: THeadingLabel; text: string; at: SheetKey | 'extra' }
  /** No text, method, code or task: a heading, a number alone in 分值, or merged cells only. */
  | { kind: 'bare' }
  | { kind: 'data' };

/** The cells a label may sit in, in the order a sheet usually lays them out. */
function labelCells(r: SheetRowIn): [SheetKey | 'extra', string][] {
  const v = r.values;
  return [
    ...Object.values(r.extra ?? {}).map((t): ['extra', string] => ['extra', t]),
    ['item', v.item],
    ['content', v.content],
    ['code', v.code],
    ['text', v.text],
    ['method', v.method],
  ];
}

/** Sorts a row into a standard (or a bad one: `data`) and the rows a sheet carries besides. */
function classifyRow(r: SheetRowIn): RowClass {
  const v = r.values;
  // A row with a method is a standard, whatever its text says ("合计划生育…").
  if (parseMethod(v.method).ok) return { kind: 'data' };
  const methodBlank = !v.method.trim();
  const cells = labelCells(r);
  // Notes and sums never name a unit, a leader or a deadline: a row that does is a standard.
  if (!hasTask(v)) {
    if (methodBlank && !v.score.trim() && cells.some(([, t]) => isNoteLabel(t))) {
      return { kind: 'note' };
    }
    for (const [at, t] of cells) {
      const label = parseSummaryLabel(t);
      // The method cell may only be blank or hold the label itself (a label merged across).
      if (label && (methodBlank || at === 'method' || parseSummaryLabel(v.method))) {
        return { kind: 'summary', label, text: cleanText(t), at };
      }
    }
  }
  // A heading: one label where a standard would be, with at most a number in 分值 and nothing in
  // the other columns of a standard or a task (a 备注 on it aside).
  if (
    methodBlank &&
    !hasTask(v) &&
    !v.guidance.trim() &&
    !v.evidence.trim() &&
    (!v.score.trim() || parseScore(v.score) !== null)
  ) {
    const written = cells.filter(
      ([at, t]) => at !== 'item' && at !== 'content' && at !== 'method' && t.trim(),
    );
    const heading = written.length === 1 ? parseHeadingLabel(written[0]![1]) : null;
    if (heading) {
      return { kind: 'heading', heading, text: cleanText(written[0]![1]), at: written[0]![0] };
    }
  }
  if (methodBlank && !v.text.trim() && !v.code.trim() && !hasTask(v)) return { kind: 'bare' };
  return { kind: 'data' };
}

/**
 * Plain running numbers 1, 2, 3… down the sheet; a number repeats only on the rows of one
 * standard (merged, or written again with the same text).
 */
function isRunningNumbers(values: { code: string; text: string }[]): boolean {
  if (!values.length || !values.every((x) => /^\d+$/.test(x.code))) return false;
  let prev = values[0]!;
  if (Number(prev.code) > 1) return false;
  for (const x of values.slice(1)) {
    const n = Number(x.code);
    const same = n === Number(prev.code) && textKey(x.text) === textKey(prev.text);
    if (!same && n !== Number(prev.code) + 1) return false;
    prev = x;
  }
  return true;
}

/**
 * A code column found only under 序号 (see `SheetParseOptions.seqCodeHeader`) stays the code when
 * its values look like codes and do not merely count rows; otherwise its values move to `extra`.
 */
function settleSeqCodes(
  rows: SheetRowIn[],
  opts: SheetParseOptions,
): { rows: SheetRowIn[]; unknownColumns: string[] } {
  const unknownColumns = [...(opts.unknownColumns ?? [])];
  const h = opts.seqCodeHeader;
  if (!h) return { rows, unknownColumns };
  const values = rows
    .filter((r) => r.values.code.trim() && classifyRow(r).kind === 'data')
    .map((r) => ({ code: parseCode(r.values.code), text: r.values.text }));
  const codes = values.length > 0 && values.every((x) => CODE_SHAPE.test(codeKey(x.code)));
  if (codes && !isRunningNumbers(values)) return { rows, unknownColumns };
  unknownColumns.unshift(h);
  return {
    unknownColumns,
    rows: rows.map((r) => {
      if (!r.values.code.trim()) return r;
      return {
        ...r,
        values: { ...r.values, code: '' },
        extra: { [h]: r.values.code, ...(r.extra ?? {}) },
      };
    }),
  };
}

/** The separator a code's children continue with: "A-1" → "A-1-2", "I1" → "I1.2". */
const childSep = (code: string) => (code.includes('-') && !code.includes('.') ? '-' : '.');

/** A code's parent as written: "I1.1.1" → "I1.1", "A-1-2" → "A-1"; none for "I1" or "1". */
function parentCode(code: string): string | null {
  const m = /^(.*[0-9A-Za-z])[.\-_][^.\-_]+$/.exec(code);
  return m ? m[1]! : null;
}

/** The next code `prefix + k` not yet taken, k counting from `from`. */
function nextCode(prefix: string, from: number, taken: Set<string>): string {
  for (let k = from; ; k++) {
    const c = `${prefix}${k}`;
    if (!taken.has(codeKey(c))) {
      taken.add(codeKey(c));
      return c;
    }
  }
}

const sameScore = (a: number, b: number) => Math.round(a * 100) === Math.round(b * 100);
const round2 = (n: number) => Math.round(n * 100) / 100;

// ---------- the framework sheet ----------

interface StdAcc {
  row: number;
  itemKey: string;
  contentKey: string;
  /** Explicit code, a local number to prefix with the content code, or none. */
  code: { kind: 'full'; value: string } | { kind: 'local'; value: string } | { kind: 'none' };
  data: Omit<StandardData, 'code'>;
  notes: string[];
  extra: Record<string, string>;
  assignments: AssignmentCells[];
}
interface ContentAcc {
  row: number;
  code: string | null;
  text: string;
  standards: StdAcc[];
}
interface ItemAcc {
  row: number;
  code: string | null;
  text: string;
  contents: Map<string, ContentAcc>;
}

/** A sum stated for a group: on its 项目 / 内容 label, or on a heading row. */
interface GroupSum {
  row: number;
  label: string;
  stated: number;
  scope: 'item' | 'content';
  /** The group as the sheet keys it (see `parseFrameworkSheet`). */
  key: string;
}

/** A parent cell: its label without a stated "（11分）", its key, and that score. */
function parentCell(raw: string): { label: string; key: string; stated: number | null } {
  const s = splitStatedScore(raw.trim());
  return { label: s.label, key: normKey(s.label), stated: s.score };
}

/** Adds the distinct lines of `more` to `into` (remarks and extra cells of a standard's rows). */
function addDistinct(into: string[], more: string): void {
  const t = cleanText(more);
  if (t && !into.includes(t)) into.push(t);
}

/**
 * Reads a framework sheet into the tree and its task rows. Blank 项目/内容 cells carry the value
 * from above; a standard repeated on several rows (one per lead unit) must say the same each time.
 * Headings, 小计/合计 rows and notes are passed over (listed in `report.skippedRows`) and the sums
 * they state are checked (`report.sumChecks`). A heading written where a standard would be (序号
 * merged across the row, 标准编号, 测评标准: "一、思想引领（18分）", "（一）理论学习") is the item
 * or content heading it reads as, carried down like one written in 项目 / 内容. Every row that
 * cannot be understood is reported; the result is only good when `errors` is empty.
 *
 * Codes (see `parseCode`): a standard's code is stored as written — letters, case and separators
 * kept, full width folded to half width; a bare number ("2", "（2）", "2）") is the standard's
 * number within its content and is prefixed with the content's code. An item or content without
 * a code takes the parent of its children's codes where they agree ("1.1.1", "1.1.2" → "1.1"),
 * else the next free "I<n>" / "<parent>.<n>". Duplicates are found on the compared form
 * (`codeKey`: upper-case, half-width, no spaces).
 */
export function parseFrameworkSheet(
  input: SheetRowIn[],
  resolve: UnitResolver,
  opts: SheetParseOptions = {},
): {
  data: FrameworkData;
  assignments: AssignmentData[];
  errors: TRowError[];
  report: SheetReport;
} {
  const { rows, unknownColumns } = settleSeqCodes(input, opts);
  const errs: TRowError[] = [];
  const skippedRows: SkippedRow[] = [];
  const sumChecks: SumCheck[] = [];
  const skip = (row: number, kind: SkippedRow['kind']) =>
    skippedRows.push({ row, kind, reason: SKIP_REASONS[kind] });
  const items = new Map<string, ItemAcc>();
  const standards = new Map<string, StdAcc>();
  /** Each standard once, at its first row, for the sums. */
  const counted: { row: number; itemKey: string; contentKey: string; score: number }[] = [];
  /** Sums stated on a group's label or heading, checked once the whole sheet is read. */
  const groupSums: GroupSum[] = [];
  /** The groups whose 项目 / 内容 label stated a sum (the rows of a merged label repeat it). */
  const labelSums = new Set<string>();
  /**
   * The groups opened by a heading outside 项目 / 内容 ("一、…（18分）" under 序号 or 测评标准)
   * and not yet given a standard: the first standard's rows name the group as the sheet keys it
   * ("I1 思想引领" after the heading "一、思想引领"), and the heading's sum follows.
   */
  const opened: { item?: GroupSum | null; content?: GroupSum | null } = {};
  const settleOpened = (itemKey: string, contentKey: string) => {
    if (opened.item) opened.item.key = itemKey;
    if (opened.content) opened.content.key = contentKey;
    delete opened.item;
    delete opened.content;
  };
  /** Per scope and group: the row of the last sum checked, so the next one starts after it. */
  const since = new Map<string, number>();
  let lastTotal = 0;
  let lastItem = '';
  let lastContent = '';

  const stateGroupSum = (
    scope: 'item' | 'content',
    key: string,
    row: number,
    label: string,
    stated: number | null,
  ) => {
    const k = `${scope}:${key}`;
    if (stated !== null && !labelSums.has(k)) {
      labelSums.add(k);
      groupSums.push({ row, label: cleanText(label), stated, scope, key });
    }
  };
  const sumOf = (scope: SumCheck['scope'], key: string, from: number, to: number) =>
    round2(
      counted
        .filter(
          (s) =>
            s.row > from &&
            s.row < to &&
            (scope === 'all' || (scope === 'item' ? s.itemKey : s.contentKey) === key),
        )
        .reduce((a, s) => a + s.score, 0),
    );

  /**
   * A stated sum on row `row`: checked against the first candidate that adds up (the groups the
   * row sits in, as the sheet lays them out), or reported against the first one when none does.
   */
  const checkSum = (
    row: number,
    label: string,
    stated: number,
    candidates: { scope: SumCheck['scope']; key: string; from?: number }[],
  ) => {
    if (!candidates.length) return;
    const tried = candidates.map((c) => {
      const from = c.from ?? since.get(`${c.scope}:${c.key}`) ?? 0;
      return { ...c, computed: sumOf(c.scope, c.key, from, row) };
    });
    const hit = tried.find((c) => sameScore(c.computed, stated)) ?? tried[0]!;
    since.set(`${hit.scope}:${hit.key}`, row);
    sumChecks.push({
      row,
      label,
      stated,
      computed: hit.computed,
      ok: sameScore(hit.computed, stated),
      scope: hit.scope,
    });
  };

  /** The item or content a summary label names ("一、思想道德建设小计"), by its name. */
  const namedGroup = (name: string): { scope: 'item' | 'content'; key: string } | null => {
    const n = normKey(splitLabel(parentCell(name).label).name);
    if (!n) return null;
    for (const [ik, it] of items) if (normKey(it.text) === n) return { scope: 'item', key: ik };
    for (const it of items.values()) {
      for (const [ck, c] of it.contents)
        if (normKey(c.text) === n) return { scope: 'content', key: ck };
    }
    return null;
  };

  for (const r of rows) {
    const v = r.values;
    const err = (k: SheetKey, zh: string, en: string) =>
      errs.push({ row: r.row, column: header(k), reason: `${zh} / ${en}` });
    const cls = classifyRow(r);
    if (cls.kind === 'note') {
      skip(r.row, 'note');
      continue;
    }

    // Parents: written, or carried down from the row above (merged cells read as written).
    const itemCell = parentCell(v.item);
    const contentCell = parentCell(v.content);
    const lastItemKey = normKey(lastItem);
    const itemKeyOf = (label: string) => normKey(label);

    if (cls.kind === 'summary') {
      const { label, text, at } = cls;
      const named = label.name ? namedGroup(label.name) : null;
      skip(r.row, named ? 'subtotal' : label.kind);
      const stated = parseScore(v.score) ?? label.stated;
      if (stated === null) continue;
      if (named) {
        checkSum(r.row, text, stated, [named]);
        continue;
      }
      if (label.kind === 'total') {
        checkSum(r.row, text, stated, [
          { scope: 'all', key: '', from: 0 },
          { scope: 'all', key: '', from: lastTotal },
        ]);
        lastTotal = r.row;
        continue;
      }
      // A bare 小计: the content and the item the row sits in, as the sheet lays them out.
      const rowItem = at !== 'item' && itemCell.label ? itemCell.key : lastItemKey;
      const rowContent =
        at !== 'content' && contentCell.label
          ? `${rowItem}|${contentCell.key}`
          : rowItem === lastItemKey && lastContent
            ? `${lastItemKey}|${normKey(lastContent)}`
            : null;
      const content = rowContent ? [{ scope: 'content' as const, key: rowContent }] : [];
      const item = rowItem ? [{ scope: 'item' as const, key: rowItem }] : [];
      checkSum(r.row, text, stated, at === 'item' ? [...item, ...content] : [...content, ...item]);
      continue;
    }

    if (cls.kind === 'heading') {
      // A heading outside 项目 / 内容: the group it names starts here, as if written there; the
      // row's own 项目 / 内容 cells (merged down onto it) come first.
      const h = cls.heading;
      skip(r.row, 'heading');
      if (itemCell.label && itemCell.key !== lastItemKey) {
        lastItem = itemCell.label;
        lastContent = '';
      }
      if (contentCell.label) lastContent = contentCell.label;
      const stated = h.stated ?? (v.score.trim() ? parseScore(v.score) : null);
      const sum = (scope: GroupSum['scope'], key: string) => {
        const g = stated === null ? null : { row: r.row, label: cls.text, stated, scope, key };
        if (g) groupSums.push(g);
        return g;
      };
      if (h.level === 'item') {
        if (!itemCell.label) {
          lastItem = h.label;
          lastContent = '';
          opened.item = sum('item', normKey(h.label));
          delete opened.content;
        } else sum('item', normKey(lastItem));
      } else if (!contentCell.label) {
        lastContent = h.label;
        opened.content = sum('content', `${normKey(lastItem)}|${normKey(h.label)}`);
      } else sum('content', `${normKey(lastItem)}|${normKey(lastContent)}`);
      continue;
    }

    if (cls.kind === 'bare') {
      const newItem = !!itemCell.label && itemCell.key !== lastItemKey;
      const newContent =
        !!contentCell.label && (newItem || contentCell.key !== normKey(lastContent));
      const score = v.score.trim() ? parseScore(v.score) : null;
      if (newItem || newContent) {
        // A heading: the group starts here; a number in 分值 is the group's sum.
        if (newItem) {
          lastItem = itemCell.label;
          lastContent = '';
          stateGroupSum(
            'item',
            itemCell.key,
            r.row,
            v.item,
            itemCell.stated ?? (newContent ? null : score),
          );
        }
        if (newContent) {
          lastContent = contentCell.label;
          const ik = normKey(lastItem);
          stateGroupSum(
            'content',
            `${ik}|${contentCell.key}`,
            r.row,
            v.content,
            contentCell.stated ?? score,
          );
        }
        skip(r.row, 'heading');
        continue;
      }
      if (score !== null) {
        // A number alone in 分值 under standards: the sum of those above it.
        skip(r.row, 'subtotal');
        const ck = lastContent ? `${lastItemKey}|${normKey(lastContent)}` : null;
        checkSum(r.row, '', score, [
          ...(ck ? [{ scope: 'content' as const, key: ck }] : []),
          ...(lastItemKey ? [{ scope: 'item' as const, key: lastItemKey }] : []),
        ]);
        continue;
      }
      if (!v.score.trim()) {
        skip(r.row, 'blank');
        continue;
      }
      // A word in 分值 and nothing else: reported below as a bad standard row.
    }

    let itemRaw = itemCell.label;
    let contentRaw = contentCell.label;
    const itemCarried = !itemRaw;
    if (itemCarried) itemRaw = lastItem;
    if (!contentRaw && (itemCarried || itemKeyOf(itemRaw) === lastItemKey)) {
      contentRaw = lastContent;
    }
    if (opts.dropRows?.has(r.row)) {
      if (itemRaw) lastItem = itemRaw;
      lastContent = contentRaw;
      if (itemRaw && contentRaw) {
        settleOpened(itemKeyOf(itemRaw), `${itemKeyOf(itemRaw)}|${normKey(contentRaw)}`);
      }
      skip(r.row, 'dropped');
      continue;
    }
    if (!itemRaw) {
      err('item', '缺少测评项目', 'the item is missing');
      continue;
    }
    if (!contentRaw) {
      err('content', '缺少测评内容', 'the content is missing');
      lastItem = itemRaw;
      lastContent = '';
      continue;
    }
    lastItem = itemRaw;
    lastContent = contentRaw;
    const itemKey = itemKeyOf(itemRaw);
    const contentKey = `${itemKey}|${normKey(contentRaw)}`;
    settleOpened(itemKey, contentKey);
    if (!itemCarried) stateGroupSum('item', itemKey, r.row, v.item, itemCell.stated);
    if (contentCell.label)
      stateGroupSum('content', contentKey, r.row, v.content, contentCell.stated);
    let item = items.get(itemKey);
    if (!item) {
      const l = splitLabel(itemRaw);
      item = { row: r.row, code: l.code, text: l.name, contents: new Map() };
      items.set(itemKey, item);
    }
    let content = item.contents.get(contentKey);
    if (!content) {
      const l = splitLabel(contentRaw);
      content = { row: r.row, code: l.code, text: l.name, standards: [] };
      item.contents.set(contentKey, content);
    }

    // The standard itself.
    const text = cleanText(v.text);
    const before = errs.length;
    if (!text) err('text', '缺少测评标准内容', 'the standard text is missing');
    let method: TMethod | null = null;
    const m = parseMethod(v.method);
    if (m.ok) method = m.method;
    else if (m.reason === 'empty') err('method', '缺少测评方法', 'the method is missing');
    else if (m.reason === 'several') {
      err(
        'method',
        `“${v.method}”含多种方法，一个标准只能有一种测评方法，请拆分为多条标准`,
        `"${v.method}" names several methods; a standard has one method, split it into several standards`,
      );
    } else {
      err(
        'method',
        `无法识别的测评方法“${v.method}”（可填：${METHOD_HINT}）`,
        `unknown method "${v.method}" (use one of: ${METHODS.join(', ')})`,
      );
    }
    const score = parseScore(v.score);
    if (!v.score.trim()) err('score', '缺少分值', 'the score is missing');
    else if (score === null) {
      err('score', `分值“${v.score}”不是数字`, `score "${v.score}" is not a number`);
    }
    const written = parseCode(v.code);
    const code: StdAcc['code'] = !written
      ? { kind: 'none' }
      : /^\d+$/.test(written)
        ? { kind: 'local', value: written }
        : { kind: 'full', value: written };
    if (written && !CODE_SHAPE.test(codeKey(written))) {
      err(
        'code',
        `标准编号“${v.code}”只能由字母、数字、点或短横线组成`,
        `standard code "${v.code}" may hold only letters, digits, dots and dashes`,
      );
    }
    const assignment = parseAssignmentCells(r, resolve, errs);
    if (errs.length > before || method === null || score === null) continue;

    const key =
      code.kind === 'full'
        ? `code:${codeKey(code.value)}`
        : code.kind === 'local'
          ? `${contentKey}#${code.value}`
          : `${contentKey}|text:${normKey(text)}`;
    const data = {
      text,
      guidance: cleanText(v.guidance) || null,
      method,
      maxScore: score,
      evidence: splitLines(v.evidence),
      unitHints: [],
    };
    let std = standards.get(key);
    if (!std) {
      std = { row: r.row, itemKey, contentKey, code, data, notes: [], extra: {}, assignments: [] };
      standards.set(key, std);
      content.standards.push(std);
      counted.push({ row: r.row, itemKey, contentKey, score });
    } else if (
      std.contentKey !== contentKey ||
      normKey(std.data.text) !== normKey(text) ||
      std.data.method !== method ||
      std.data.maxScore !== score
    ) {
      err(
        'code',
        `与第 ${std.row} 行的同一标准内容、方法、分值或所属内容不一致`,
        `this standard differs from row ${std.row} (text, method, score or content)`,
      );
      continue;
    } else if (
      (data.guidance && data.guidance !== std.data.guidance) ||
      (data.evidence.length && data.evidence.join('\n') !== std.data.evidence.join('\n'))
    ) {
      err(
        'guidance',
        `测评说明或佐证材料与第 ${std.row} 行的同一标准不一致`,
        `guidance or evidence differs from row ${std.row} for the same standard`,
      );
      continue;
    }
    // A remark, and cells under unknown headers, on a row without a task are the standard's;
    // with a task they are the task's (its assignment carries them, see parseAssignmentCells).
    if (!assignment) {
      if (v.notes.trim()) addDistinct(std.notes, v.notes);
      for (const [h, t] of Object.entries(r.extra ?? {})) {
        const lines = std.extra[h] ? std.extra[h].split('\n') : [];
        addDistinct(lines, t);
        if (lines.length) std.extra[h] = lines.join('\n');
      }
    }
    if (assignment) {
      const dup = std.assignments.find((a) => a.leadUnitId === assignment.leadUnitId);
      if (dup) {
        err(
          'lead',
          `同一标准的牵头单位与第 ${dup.row} 行重复`,
          `the same standard has this lead unit already on row ${dup.row}`,
        );
        continue;
      }
      std.assignments.push(assignment);
    }
  }

  // Sums stated on the groups' labels and headings, against all their standards.
  for (const g of groupSums) {
    const computed = sumOf(g.scope, g.key, 0, Number.MAX_SAFE_INTEGER);
    sumChecks.push({
      row: g.row,
      label: g.label,
      stated: g.stated,
      computed,
      ok: sameScore(computed, g.stated),
      scope: g.scope,
    });
  }
  sumChecks.sort((a, b) => a.row - b.row);

  // Codes: as written; then parents taken from their children's codes where those agree; then the
  // next free one under the parent. All must be distinct (compared by `codeKey`).
  const taken = new Set<string>();
  const firstRow = new Map<string, number>();
  const claim = (c: string, row: number, k: SheetKey) => {
    const u = codeKey(c);
    const first = firstRow.get(u);
    if (first !== undefined && first !== row) {
      errs.push({
        row,
        column: header(k),
        reason: `编号“${c}”与第 ${first} 行重复 / code "${c}" duplicates row ${first}`,
      });
    } else firstRow.set(u, row);
    taken.add(u);
  };
  for (const item of items.values()) {
    if (item.code) claim(item.code, item.row, 'item');
    for (const c of item.contents.values()) {
      if (c.code) claim(c.code, c.row, 'content');
      for (const s of c.standards) if (s.code.kind === 'full') claim(s.code.value, s.row, 'code');
    }
  }
  const agreed = (codes: (string | null)[], under: string | null): string | null => {
    // Children without a code of their own (numbered, or none) do not count against it.
    const parents = codes.filter((c) => c !== null).map(parentCode);
    const p = parents[0];
    if (!p || parents.some((x) => x === null || codeKey(x) !== codeKey(p))) return null;
    if (taken.has(codeKey(p))) return null;
    if (under !== null && codeKey(parentCode(p) ?? '') !== codeKey(under)) return null;
    taken.add(codeKey(p));
    return p;
  };
  const contentCodes = new Map<ContentAcc, string | null>();
  const itemCodes = new Map<ItemAcc, string | null>();
  for (const item of items.values()) {
    for (const c of item.contents.values()) {
      contentCodes.set(
        c,
        c.code ??
          agreed(
            c.standards.map((s) => (s.code.kind === 'full' ? s.code.value : null)),
            item.code,
          ),
      );
    }
    itemCodes.set(
      item,
      item.code ??
        agreed(
          [...item.contents.values()].map((c) => contentCodes.get(c) ?? null),
          null,
        ),
    );
  }
  const outItems: ItemData[] = [];
  const assignments: AssignmentData[] = [];
  let i = 0;
  for (const item of items.values()) {
    i++;
    const itemCode = itemCodes.get(item) ?? nextCode('I', i, taken);
    let ci = 0;
    outItems.push({
      code: itemCode,
      text: item.text,
      contents: [...item.contents.values()].map((c) => {
        ci++;
        const contentCode =
          contentCodes.get(c) ?? nextCode(`${itemCode}${childSep(itemCode)}`, ci, taken);
        let si = 0;
        return {
          code: contentCode,
          text: c.text,
          standards: c.standards.map((s): StandardData => {
            si++;
            let code: string;
            if (s.code.kind === 'full') code = s.code.value;
            else if (s.code.kind === 'local') {
              code = `${contentCode}${childSep(contentCode)}${s.code.value}`;
              claim(code, s.row, 'code');
            } else code = nextCode(`${contentCode}${childSep(contentCode)}`, si, taken);
            for (const a of s.assignments) assignments.push({ ...a, standardCode: code });
            return {
              code,
              ...s.data,
              ...(s.notes.length ? { notes: s.notes.join('\n') } : {}),
              ...(Object.keys(s.extra).length ? { extra: s.extra } : {}),
            };
          }),
        };
      }),
    });
  }
  if (input.length === 0) {
    errs.push({ row: 2, column: '-', reason: '文件没有数据行 / the file has no data rows' });
  } else if (standards.size === 0 && errs.length === 0) {
    errs.push({
      row: input[0]!.row,
      column: '-',
      reason: '文件中没有测评标准行 / the file has no standard rows',
    });
  }
  errs.sort((a, b) => a.row - b.row);
  return {
    data: {
      items: outItems,
      negativeItems: [],
      source: unknownColumns.length ? { ...EMPTY_SOURCE, columns: unknownColumns } : EMPTY_SOURCE,
    },
    assignments: assignments.sort((a, b) => a.row - b.row),
    errors: errs,
    report: { skippedRows, sumChecks, unknownColumns },
  };
}

// ---------- the task sheet ----------

/** A standard of the version a task sheet is read against. */
export interface StandardRef {
  code: string;
  text: string;
  /** The content it belongs to, to tell apart standards with the same text. */
  contentCode?: string;
  contentText?: string;
  /** The item it belongs to (else taken from the content's code: "I1.2" → "I1"). */
  itemCode?: string;
  itemText?: string;
  /**
   * Its score: with the scores of all the version's standards given, the sums a task sheet's
   * headings state ("一、思想引领与价值培育（18分）") are checked against them.
   */
  maxScore?: number | null;
}

type GroupScope = 'item' | 'content';

/** The item or content a standard of a version belongs to, compared by code (else by name). */
function refGroup(s: StandardRef, scope: GroupScope): string | null {
  const content = s.contentCode ? parseCode(s.contentCode) : parentCode(parseCode(s.code));
  if (scope === 'content') {
    return content ? codeKey(content) : s.contentText ? `text:${normKey(s.contentText)}` : null;
  }
  if (s.itemCode) return codeKey(s.itemCode);
  const item = content ? parentCode(content) : null;
  return item ? codeKey(item) : s.itemText ? `text:${normKey(s.itemText)}` : null;
}

/** A heading of a task sheet that states a sum, and the first standard found under it. */
interface HeadingSum {
  row: number;
  label: string;
  stated: number;
  scope: GroupScope;
  name: string;
  code: string | null;
  first: StandardRef | null;
}

/**
 * The group a task sheet's heading names among the version's standards: by the code written in it
 * ("I1 思想引领"), else the group of the first standard found under it, else by its name when one
 * group alone has it. Its sum is checked only when every standard of the group has its score.
 */
function checkHeadingSum(h: HeadingSum, standards: StandardRef[]): SumCheck | null {
  const members = (key: string | null) =>
    key === null ? [] : standards.filter((s) => refGroup(s, h.scope) === key);
  let group = h.code ? members(codeKey(h.code)) : [];
  if (!group.length && h.first) group = members(refGroup(h.first, h.scope));
  if (!group.length) {
    const named = standards.filter((s) => {
      const t = h.scope === 'item' ? s.itemText : s.contentText;
      return t !== undefined && normKey(splitLabel(t).name) === normKey(h.name);
    });
    const keys = new Set(named.map((s) => refGroup(s, h.scope)));
    if (keys.size === 1) group = members([...keys][0]!);
  }
  if (!group.length || group.some((s) => typeof s.maxScore !== 'number')) return null;
  const computed = round2(group.reduce((a, s) => a + s.maxScore!, 0));
  return {
    row: h.row,
    label: h.label,
    stated: h.stated,
    computed,
    ok: sameScore(computed, h.stated),
    scope: h.scope,
  };
}

/**
 * Reads a task sheet against an existing framework version. Each row names a standard by its
 * code — compared by `codeKey`; a bare number is the standard's number within the content the row
 * sits in — or, without a code, by its text: first as written (spaces, width and trailing
 * punctuation aside), then without trailing notes such as "（含佐证材料）"; when the text fits
 * several standards the row's content decides. Headings, 小计/合计 rows and notes are passed over,
 * as are rows of a full 任务分解表 that assign nothing (no lead unit, no units, no deadline). A
 * heading may stand in 项目 / 内容 or where a standard would be (序号, 标准编号, 测评标准: "一、…");
 * it sets the content the rows below sit in, and the sum it states ("（18分）") is checked against
 * the version's standards of its group when `standards` carry their scores (`maxScore`).
 */
export function parseAssignmentSheet(
  input: SheetRowIn[],
  resolve: UnitResolver,
  standards: StandardRef[],
  opts: SheetParseOptions = {},
): { assignments: AssignmentData[]; errors: TRowError[]; report: SheetReport } {
  const { rows, unknownColumns } = settleSeqCodes(input, opts);
  const errs: TRowError[] = [];
  const skippedRows: SkippedRow[] = [];
  const skip = (row: number, kind: SkippedRow['kind']) =>
    skippedRows.push({ row, kind, reason: SKIP_REASONS[kind] });
  const byCode = new Map(standards.map((s) => [codeKey(s.code), s]));
  const index = (key: (t: string) => string) => {
    const m = new Map<string, StandardRef[]>();
    for (const s of standards) {
      const k = key(s.text);
      m.set(k, [...(m.get(k) ?? []), s]);
    }
    return m;
  };
  const byText = index(textKey);
  const byLooseText = index(looseTextKey);
  const out: AssignmentData[] = [];
  const seen = new Map<string, number>();
  let lastItem = '';
  let lastContent = '';
  /** Headings that state a sum; `waiting`: those not yet followed by a standard. */
  const headingSums: HeadingSum[] = [];
  let waiting: HeadingSum[] = [];
  const stateSum = (
    row: number,
    label: string,
    stated: number | null,
    scope: GroupScope,
    heading: string,
  ) => {
    if (stated === null) return;
    const l = splitLabel(heading);
    const h = {
      row,
      label: cleanText(label),
      stated,
      scope,
      name: l.name,
      code: l.code,
      first: null,
    };
    headingSums.push(h);
    waiting.push(h);
  };
  for (const r of rows) {
    const v = r.values;
    const err = (k: SheetKey, zh: string, en: string) =>
      errs.push({ row: r.row, column: header(k), reason: `${zh} / ${en}` });
    const cls = classifyRow(r);
    if (cls.kind === 'note') {
      skip(r.row, 'note');
      continue;
    }
    if (cls.kind === 'summary') {
      skip(r.row, cls.label.kind);
      continue;
    }
    // The content the row sits in (written, merged or carried down), for bare numbers and texts.
    const itemCell = parentCell(v.item);
    const contentCell = parentCell(v.content);
    const item = itemCell.label;
    const newItem = !!item && normKey(item) !== normKey(lastItem);
    const newContent = !!contentCell.label && (newItem || contentCell.key !== normKey(lastContent));
    if (newItem) {
      lastItem = item;
      lastContent = '';
    }
    if (contentCell.label) lastContent = contentCell.label;
    const score = v.score.trim() ? parseScore(v.score) : null;
    if (cls.kind === 'bare') {
      if (v.notes.trim()) skip(r.row, 'no_assignment');
      else if (item || contentCell.label) {
        skip(r.row, 'heading');
        // A heading in 项目 / 内容 with a sum ("（18分）", or a number in 分值) states its group's.
        if (newItem) {
          stateSum(r.row, v.item, itemCell.stated ?? (newContent ? null : score), 'item', item);
        }
        if (newContent) {
          stateSum(r.row, v.content, contentCell.stated ?? score, 'content', contentCell.label);
        }
      } else skip(r.row, 'blank');
      continue;
    }
    // A heading where a standard would be (under 序号, 标准编号 or 测评标准) — unless its text is
    // a standard's: "一、…" written as a standard's text in the version is that standard.
    if (
      cls.kind === 'heading' &&
      !(cls.at === 'text' && (byText.has(textKey(v.text)) || byLooseText.has(looseTextKey(v.text))))
    ) {
      const h = cls.heading;
      skip(r.row, 'heading');
      if (h.level === 'item' && !item) {
        lastItem = h.label;
        lastContent = '';
      } else if (h.level === 'content' && !contentCell.label) lastContent = h.label;
      stateSum(r.row, cls.text, h.stated ?? score, h.level, h.label);
      continue;
    }
    const content = lastContent ? splitLabel(lastContent) : null;

    let std: StandardRef | null = null;
    const written = parseCode(v.code);
    if (written) {
      const local =
        /^\d+$/.test(written) && content?.code
          ? byCode.get(codeKey(`${content.code}${childSep(content.code)}${written}`))
          : undefined;
      std = local ?? byCode.get(codeKey(written)) ?? null;
      if (!std) {
        err(
          'code',
          `标准编号“${v.code}”不在该测评体系中`,
          `no standard "${v.code}" in this framework`,
        );
      }
    } else if (v.text.trim()) {
      let hits = byText.get(textKey(v.text)) ?? [];
      if (hits.length === 0) hits = byLooseText.get(looseTextKey(v.text)) ?? [];
      if (hits.length > 1 && content) {
        const inContent = hits.filter(
          (s) =>
            (content.code && s.contentCode && codeKey(s.contentCode) === codeKey(content.code)) ||
            (s.contentText !== undefined && normKey(s.contentText) === normKey(content.name)),
        );
        if (inContent.length) hits = inContent;
      }
      const shown = cleanText(v.text).slice(0, 30);
      if (hits.length === 1) std = hits[0]!;
      else if (hits.length === 0) {
        err(
          'text',
          `找不到内容为“${shown}”的标准，请填写标准编号或核对标准内容`,
          `no standard reads "${shown}"; give the standard code or check the text`,
        );
      } else {
        const codes = hits.map((s) => s.code);
        err(
          'text',
          `内容为“${shown}”的标准有多条（${codes.join('、')}），请填写标准编号`,
          `several standards read "${shown}" (${codes.join(', ')}); give the standard code`,
        );
      }
    } else if (hasTask(v)) {
      err('code', '缺少标准编号', 'the standard code is missing');
    } else {
      skip(r.row, v.notes.trim() ? 'no_assignment' : 'blank');
      continue;
    }
    const cells = parseAssignmentCells(r, resolve, errs);
    if (!std) continue;
    for (const h of waiting) h.first = std;
    waiting = [];
    if (!cells) {
      if (
        !hasTask(v) &&
        (v.notes.trim() || (v.text.trim() && (v.method.trim() || v.score.trim())))
      ) {
        // A row of a full 任务分解表 that assigns nothing to the standard, or only remarks on it.
        skip(r.row, 'no_assignment');
      } else if (!v.lead.trim() && !errs.some((e) => e.row === r.row)) {
        err('lead', '缺少牵头单位', 'the lead unit is missing');
      }
      continue;
    }
    const k = `${codeKey(std.code)}|${cells.leadUnitId}`;
    const first = seen.get(k);
    if (first !== undefined) {
      err(
        'lead',
        `同一标准的牵头单位与第 ${first} 行重复`,
        `the same standard has this lead unit already on row ${first}`,
      );
      continue;
    }
    seen.set(k, r.row);
    out.push({ ...cells, standardCode: std.code });
  }
  if (input.length === 0) {
    errs.push({ row: 2, column: '-', reason: '文件没有数据行 / the file has no data rows' });
  }
  errs.sort((a, b) => a.row - b.row);
  const sumChecks = headingSums.flatMap((h) => checkHeadingSum(h, standards) ?? []);
  return { assignments: out, errors: errs, report: { skippedRows, sumChecks, unknownColumns } };
}
