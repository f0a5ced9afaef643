import type { TRowError } from '../contracts/common.js';
import {
  cleanText,
  parseCode,
  parseDue,
  parseScore,
  splitLabel,
  splitLines,
  splitNames,
} from './cells.js';
import type { AssignmentData, FrameworkData, ItemData, StandardData } from './data.js';
import { EMPTY_SOURCE } from './data.js';
import { METHOD_LABELS, METHODS, normKey, parseMethod, type TMethod } from './methods.js';
import type { TUnitMatch } from './unit-match.js';

/**
 * The 测评体系 / 任务分解表 sheet: one row per standard (or per standard and lead unit), the parents
 * written on the first row of each group — merged over the group or left blank below it.
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
  required?: boolean;
  width: number;
}

/** The columns, in the order an export writes them; headers are matched with their aliases. */
export const FRAMEWORK_SHEET_COLUMNS: SheetColumn[] = [
  {
    key: 'item',
    header: '项目',
    aliases: ['测评项目', '一级指标', 'item'],
    required: true,
    width: 22,
  },
  {
    key: 'content',
    header: '内容',
    aliases: ['测评内容', '二级指标', 'content'],
    required: true,
    width: 22,
  },
  { key: 'code', header: '标准编号', aliases: ['编号', '标准序号', 'code'], width: 11 },
  {
    key: 'text',
    header: '标准',
    aliases: ['测评标准', '标准内容', 'standard'],
    required: true,
    width: 50,
  },
  { key: 'method', header: '方法', aliases: ['测评方法', 'method'], required: true, width: 12 },
  {
    key: 'score',
    header: '分值',
    aliases: ['分数', '标准分值', 'score'],
    required: true,
    width: 8,
  },
  { key: 'lead', header: '牵头单位', aliases: ['牵头部门', 'lead unit'], width: 20 },
  {
    key: 'responsible',
    header: '责任单位',
    aliases: ['配合单位', '责任部门', 'responsible units'],
    width: 30,
  },
  { key: 'leader', header: '包抓领导', aliases: ['分管领导', '责任领导', 'leader'], width: 12 },
  { key: 'due', header: '时限', aliases: ['完成时限', '完成时间', 'deadline'], width: 13 },
  { key: 'guidance', header: '测评说明', aliases: ['指导说明', 'guidance'], width: 30 },
  { key: 'evidence', header: '佐证材料', aliases: ['佐证材料要求', 'evidence'], width: 30 },
  { key: 'notes', header: '备注', aliases: ['notes'], width: 20 },
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
}

export type UnitResolver = (name: string) => TUnitMatch;

const METHOD_HINT = METHODS.map((m) => METHOD_LABELS[m].zh).join('、');

type AssignmentCells = Omit<AssignmentData, 'standardCode'>;

/** Reads the task columns of a row; null when the row names no unit, leader, deadline or note. */
export function parseAssignmentCells(
  r: SheetRowIn,
  resolve: UnitResolver,
  errs: TRowError[],
): AssignmentCells | null {
  const v = r.values;
  if (![v.lead, v.responsible, v.leader, v.due, v.notes].some((x) => x.trim())) return null;
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
      err(
        k,
        `单位“${name}”不存在（可写全称，或在单位管理中设置简称）`,
        `unit "${name}" not found (write the full name, or set it as a unit's short name)`,
      );
    }
    return null;
  };
  const leads = splitNames(v.lead);
  let leadUnitId: number | null = null;
  if (leads.length === 0) {
    err(
      'lead',
      '填写了责任单位、领导、时限或备注，但缺少牵头单位',
      'the row has units, a leader, a deadline or notes but no lead unit',
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
  };
}

interface StdAcc {
  row: number;
  contentKey: string;
  /** Explicit code, a local number to prefix with the content code, or none. */
  code: { kind: 'full'; value: string } | { kind: 'local'; value: string } | { kind: 'none' };
  data: Omit<StandardData, 'code'>;
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

/** The next code `prefix + k` not yet taken, k counting from `from`. */
function nextCode(prefix: string, from: number, taken: Set<string>): string {
  for (let k = from; ; k++) {
    const c = `${prefix}${k}`;
    if (!taken.has(c.toUpperCase())) {
      taken.add(c.toUpperCase());
      return c;
    }
  }
}

/**
 * Reads a framework sheet into the tree and its task rows. Blank 项目/内容 cells carry the value
 * from above; a standard repeated on several rows (one per lead unit) must say the same each time.
 * Every row that cannot be understood is reported; the result is only good when `errors` is empty.
 */
export function parseFrameworkSheet(
  rows: SheetRowIn[],
  resolve: UnitResolver,
): { data: FrameworkData; assignments: AssignmentData[]; errors: TRowError[] } {
  const errs: TRowError[] = [];
  const items = new Map<string, ItemAcc>();
  const standards = new Map<string, StdAcc>();
  let lastItem = '';
  let lastContent = '';
  for (const r of rows) {
    const v = r.values;
    const err = (k: SheetKey, zh: string, en: string) =>
      errs.push({ row: r.row, column: header(k), reason: `${zh} / ${en}` });
    // Parents: written, or carried down from the row above (merged cells read as written).
    let itemRaw = v.item.trim();
    let contentRaw = v.content.trim();
    const itemCarried = !itemRaw;
    if (itemCarried) itemRaw = lastItem;
    if (!contentRaw && (itemCarried || normKey(itemRaw) === normKey(lastItem))) {
      contentRaw = lastContent;
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
    const itemKey = normKey(itemRaw);
    const contentKey = `${itemKey}|${normKey(contentRaw)}`;
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
    const rawCode = parseCode(v.code);
    const code: StdAcc['code'] = !rawCode
      ? { kind: 'none' }
      : /^\d+$/.test(rawCode)
        ? { kind: 'local', value: rawCode }
        : { kind: 'full', value: rawCode };
    if (rawCode && !/^[A-Z0-9][A-Z0-9.\-_]*$/.test(rawCode)) {
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
        ? `code:${code.value}`
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
      std = { row: r.row, contentKey, code, data, assignments: [] };
      standards.set(key, std);
      content.standards.push(std);
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

  // Codes: as written, or the next free one under the parent; then all must be distinct.
  const taken = new Set<string>();
  const firstRow = new Map<string, number>();
  const claim = (c: string, row: number, k: SheetKey) => {
    const u = c.toUpperCase();
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
  const outItems: ItemData[] = [];
  const assignments: AssignmentData[] = [];
  let i = 0;
  for (const item of items.values()) {
    i++;
    const itemCode = item.code ?? nextCode('I', i, taken);
    let ci = 0;
    outItems.push({
      code: itemCode,
      text: item.text,
      contents: [...item.contents.values()].map((c) => {
        ci++;
        const contentCode = c.code ?? nextCode(`${itemCode}.`, ci, taken);
        let si = 0;
        return {
          code: contentCode,
          text: c.text,
          standards: c.standards.map((s) => {
            si++;
            let code: string;
            if (s.code.kind === 'full') code = s.code.value;
            else if (s.code.kind === 'local') {
              code = `${contentCode}.${s.code.value}`;
              claim(code, s.row, 'code');
            } else code = nextCode(`${contentCode}.`, si, taken);
            for (const a of s.assignments) assignments.push({ ...a, standardCode: code });
            return { code, ...s.data };
          }),
        };
      }),
    });
  }
  if (rows.length === 0) {
    errs.push({ row: 2, column: '-', reason: '文件没有数据行 / the file has no data rows' });
  }
  errs.sort((a, b) => a.row - b.row);
  return {
    data: { items: outItems, negativeItems: [], source: EMPTY_SOURCE },
    assignments: assignments.sort((a, b) => a.row - b.row),
    errors: errs,
  };
}

/**
 * Reads a task sheet against an existing framework version: each row names a standard by its code
 * (or, without one, by its exact text) and carries the task columns.
 */
export function parseAssignmentSheet(
  rows: SheetRowIn[],
  resolve: UnitResolver,
  standards: { code: string; text: string }[],
): { assignments: AssignmentData[]; errors: TRowError[] } {
  const errs: TRowError[] = [];
  const byCode = new Map(standards.map((s) => [s.code.toUpperCase(), s.code]));
  const byText = new Map<string, string[]>();
  for (const s of standards) {
    const k = normKey(s.text);
    byText.set(k, [...(byText.get(k) ?? []), s.code]);
  }
  const out: AssignmentData[] = [];
  const seen = new Map<string, number>();
  for (const r of rows) {
    const err = (k: SheetKey, zh: string, en: string) =>
      errs.push({ row: r.row, column: header(k), reason: `${zh} / ${en}` });
    let code: string | null = null;
    const raw = parseCode(r.values.code);
    if (raw) {
      code = byCode.get(raw) ?? null;
      if (!code) {
        err(
          'code',
          `标准编号“${r.values.code}”不在该测评体系中`,
          `no standard "${r.values.code}" in this framework`,
        );
      }
    } else if (r.values.text.trim()) {
      const hits = byText.get(normKey(r.values.text)) ?? [];
      if (hits.length === 1) code = hits[0]!;
      else
        err(
          'text',
          '按标准内容找不到唯一的标准，请填写标准编号',
          'no single standard has this text; give the code',
        );
    } else {
      err('code', '缺少标准编号', 'the standard code is missing');
    }
    const cells = parseAssignmentCells(r, resolve, errs);
    if (!code) continue;
    if (!cells) {
      if (!r.values.lead.trim() && !errs.some((e) => e.row === r.row)) {
        err('lead', '缺少牵头单位', 'the lead unit is missing');
      }
      continue;
    }
    const k = `${code}|${cells.leadUnitId}`;
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
    out.push({ ...cells, standardCode: code });
  }
  if (rows.length === 0) {
    errs.push({ row: 2, column: '-', reason: '文件没有数据行 / the file has no data rows' });
  }
  errs.sort((a, b) => a.row - b.row);
  return { assignments: out, errors: errs };
}
