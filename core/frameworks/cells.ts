import { normKey, normText } from './methods.js';

/**
 * Reading the cells of real 测评体系 / 任务分解 sheets: codes and names run together, full-width
 * digits, stray spaces, scores written as "5分", deadlines as "2026年6月底" or "长期坚持".
 */

/** Stored wording: spaces and tabs collapsed, each line trimmed, punctuation left as written. */
export function cleanText(raw: string): string {
  return raw
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/[ \t\u3000\u00a0]+/g, ' ').trim())
    .filter((l, i, all) => l !== '' || (i > 0 && i < all.length - 1))
    .join('\n')
    .trim();
}

/**
 * Codes are kept as the sheet writes them: letters, their case and the separators stay
 * ("I1.1.1" stays "I1.1.1", "A-1-2" stays "A-1-2", "i1.2" stays "i1.2"). What is taken off is what
 * is not part of the code: surrounding spaces, a wrapping bracket ("（1）" → "1") and trailing
 * list marks ("1.2.3、" → "1.2.3", "3）" → "3"). Full-width characters are folded to half-width
 * for storage ("Ｉ１．１．１" → "I1.1.1"), so a code typed on a Chinese keyboard and the same code
 * typed in ASCII are one code. Codes are compared by `codeKey` (upper-case as well), so "i1.1.1"
 * and "I1.1.1" are the same standard when looking one up and a duplicate within a sheet.
 */
export function parseCode(raw: string): string {
  return normText(raw)
    .replace(/ /g, '')
    .replace(/^[(]/, '')
    .replace(/[)、.:;,]+$/, '');
}

/** A code as compared: `parseCode`, upper-case (half-width, no spaces, no trailing marks). */
export function codeKey(raw: string): string {
  return parseCode(raw).toUpperCase();
}

const CODE_PREFIX =
  /^\s*([A-Za-zＡ-Ｚａ-ｚⅠ-Ⅻ]{0,3}[-－]?[0-9０-９]+(?:[.．\-－][0-9０-９]+)*|[A-Za-zＡ-Ｚａ-ｚⅠ-Ⅻ]{1,3})(?:[\s\u3000]+|[、.．:：)）]\s*)(\S[\s\S]*)$/;
/** A letter-led code written straight against the name: "I1思想引领", "A-2宣传". */
const CODE_AGAINST_NAME =
  /^\s*([A-Za-zＡ-Ｚａ-ｚⅠ-Ⅻ]{1,3}[-－]?[0-9０-９]+(?:[.．\-－][0-9０-９]+)*)(?=[\u4e00-\u9fff])([\s\S]+)$/;
const CHINESE_ORDINAL = /^\s*[(（]?[一二三四五六七八九十百Ⅰ-Ⅻ]+[)）]?[、.．\s\u3000]*/;

/**
 * Splits an item or content cell into its code and name: "I1 思想引领", "I1.2、宣传",
 * "Ⅰ-1 重点工作", "I1思想引领" have a code (kept as written, see `parseCode`); "一、思想引领",
 * "（二）宣传" and "Ⅱ、城市管理" have only an ordinal, which is dropped.
 */
export function splitLabel(raw: string): { code: string | null; name: string } {
  const m = CODE_PREFIX.exec(raw) ?? CODE_AGAINST_NAME.exec(raw);
  if (m && /[0-9０-９]/.test(m[1]!)) return { code: parseCode(m[1]!), name: cleanText(m[2]!) };
  const ord = CHINESE_ORDINAL.exec(raw);
  if (
    ord &&
    ord[0].trim() !== '' &&
    /[一二三四五六七八九十百Ⅰ-Ⅻ]/.test(ord[0]) &&
    // An ordinal is followed by a mark or a space: "一流服务" and "十佳" are names.
    (/[、.．)）\s\u3000]/.test(ord[0]) || /^[\s\u3000]*[(（]/.test(ord[0]))
  ) {
    return { code: null, name: cleanText(raw.slice(ord[0].length)) };
  }
  return { code: null, name: cleanText(raw) };
}

/**
 * A score stated at the end of an item or content label: "一、思想道德建设（11分）",
 * "（二）公益宣传(共6分)", "市容环境（满分 5 分）" → the label without it and the score.
 */
export function splitStatedScore(raw: string): { label: string; score: number | null } {
  const m = /[(（]([^()（）]*)[)）][\s\u3000]*$/.exec(raw);
  if (m) {
    const inner = normText(m[1]!).replace(/\s/g, '');
    const s =
      /^(?:共|计|合计|满分|分值|总分)?:?(\d{1,4}(?:\.\d{1,2})?)分$/.exec(inner) ??
      /^(?:满分|分值|总分):?(\d{1,4}(?:\.\d{1,2})?)$/.exec(inner);
    if (s) return { label: raw.slice(0, m.index).trim(), score: Number(s[1]) };
  }
  return { label: raw, score: null };
}

export type THeadingLabel = {
  /** An item heading ("一、…", "第一部分 …", "Ⅰ、…", "I1 …") or a content heading ("（一）…", "I1.2 …"). */
  level: 'item' | 'content';
  /** The label without a stated score: "一、思想引领与价值培育". */
  label: string;
  /** The group's name: "思想引领与价值培育". */
  name: string;
  /** A code written in the label ("I1 思想引领" → "I1"), as `splitLabel` reads it. */
  code: string | null;
  /** A score stated after it: "（18分）". */
  stated: number | null;
};

const ITEM_ORDINAL =
  /^(?:第[一二三四五六七八九十百零〇0-9０-９]+(?:部分|篇|章|大项|类)[、.．:：\s\u3000]*|[一二三四五六七八九十百]+[、.．\s\u3000]+|[Ⅰ-Ⅻ]+[、.．\s\u3000]+)/;
const CONTENT_ORDINAL = /^[(（][一二三四五六七八九十百]+[)）][、.．\s\u3000]*/;

/**
 * A group heading written where a standard would be (the 测评标准 or 序号 column, often merged
 * across the row): a Chinese ordinal and a name — "一、思想引领与价值培育（18分）", "第一部分 …",
 * "Ⅱ、…" for an item, "（一）理论学习" for a content — or an item or content label with its code
 * ("I1 思想引领与价值培育", "I1.2 公益宣传"; a bare number such as "1.1 理论学习" only with a stated
 * score, "1.1 有计划" may be a standard). One short line, not a sentence; null for anything else,
 * a standard's code ("I1.1.1 …") included. Whether the row is a heading is for the sheet to say:
 * nothing else may be on it (see sheet.ts).
 */
export function parseHeadingLabel(raw: string): THeadingLabel | null {
  const t = cleanText(raw);
  if (!t || t.includes('\n') || t.length > 60) return null;
  if (parseSummaryLabel(t) || isNoteLabel(t)) return null;
  const { label, score } = splitStatedScore(t);
  const result = (level: THeadingLabel['level'], name: string, code: string | null) =>
    // A name is words ("I1.1.2" is a code, not "I1.1" and a name "2"), not a sentence.
    /\p{Script=Han}|[A-Za-z]{2}/u.test(name) && name.length <= 40 && !/[。；;！!？?，,]$/.test(name)
      ? { level, label, name, code, stated: score }
      : null;
  const item = ITEM_ORDINAL.exec(label);
  if (item) return result('item', cleanText(label.slice(item[0].length)), null);
  const content = CONTENT_ORDINAL.exec(label);
  if (content) return result('content', cleanText(label.slice(content[0].length)), null);
  const l = splitLabel(label);
  if (!l.code) return null;
  const parts = codeKey(l.code).split(/[.\-_]/).length;
  if (parts > 2 || (!/^[A-Z]/.test(codeKey(l.code)) && score === null)) return null;
  return result(parts === 1 ? 'item' : 'content', l.name, l.code);
}

/** Standard text as compared: `normKey` without trailing punctuation ("有计划。" = "有计划"). */
export function textKey(raw: string): string {
  return normKey(raw).replace(/[.,;:!?、。…·\-—]+$/, '');
}

/**
 * Standard text as compared when the exact text finds nothing: also without trailing bracketed
 * notes such as "（含佐证材料）", "(附佐证材料)" or "【必查】".
 */
export function looseTextKey(raw: string): string {
  let k = textKey(raw);
  for (;;) {
    const next = textKey(k.replace(/(?:\([^()]*\)|【[^【】]*】|\[[^[\]]*\])$/, ''));
    if (next === k || !next) return k;
    k = next;
  }
}

export type TSummaryLabel = {
  /** 小计 (a group's sum) or 合计/总计 (the whole sheet's). */
  kind: 'subtotal' | 'total';
  /**
   * The group a label names: "一、思想道德建设小计" → "一、思想道德建设"; null for a bare 小计.
   * A named 合计 ("思想道德建设合计") is that group's sum when the name is a group of the sheet.
   */
  name: string | null;
  /** A sum written in the label itself: "小计（11分）", "合计：21". */
  stated: number | null;
};

const SUMMARY_WORDS: [string, TSummaryLabel['kind']][] = [
  ['分值小计', 'subtotal'],
  ['小计', 'subtotal'],
  ['subtotal', 'subtotal'],
  ['分值合计', 'total'],
  ['合计分值', 'total'],
  ['得分合计', 'total'],
  ['总分值', 'total'],
  ['合计', 'total'],
  ['总计', 'total'],
  ['共计', 'total'],
  ['总分', 'total'],
  ['grandtotal', 'total'],
  ['total', 'total'],
];

/**
 * A subtotal or total label as offices write them: "小计", "小 计", "合计（21分）", "总计：21",
 * "分值合计", "一、思想道德建设小计", "思想道德建设 合计"; null for anything else ("合计划生育",
 * "统计台账" are words, not labels).
 */
export function parseSummaryLabel(raw: string): TSummaryLabel | null {
  const t = normText(raw).replace(/\s/g, '').toLowerCase();
  if (!t) return null;
  const number = (rest: string): number | null => {
    const m = /^[:(]?(?:共|计)?(\d{1,4}(?:\.\d{1,2})?)分?\)?$/.exec(rest);
    return m ? Number(m[1]) : null;
  };
  for (const [w, kind] of SUMMARY_WORDS) {
    if (!t.startsWith(w)) continue;
    const rest = t.slice(w.length);
    // The word alone, or followed by a sum or a bracketed note: "合计（3家）", "小计:11".
    if (rest === '' || number(rest) !== null || /^[:(]/.test(rest)) {
      return { kind, name: null, stated: number(rest) };
    }
  }
  // "一、思想道德建设小计（11分）": a group's name, then the word, then perhaps the sum.
  const m = /^(.+?)(分值小计|分值合计|小计|合计|总计)((?:[:(].*)?)$/.exec(t);
  if (m && (m[3] === '' || number(m[3]!) !== null || m[3]!.startsWith('('))) {
    const at = normText(raw).search(/(分值)?\s*(小\s*计|合\s*计|总\s*计)/);
    const name = at > 0 ? normText(raw).slice(0, at).trim() : m[1]!;
    return { kind: m[2]!.endsWith('小计') ? 'subtotal' : 'total', name, stated: number(m[3]!) };
  }
  return null;
}

/** A note line of a sheet: "注：…", "备注：…", "说明：…", "填表说明：…", "注1. …". */
export function isNoteLabel(raw: string): boolean {
  const t = normText(raw);
  return /^(?:备\s*注|附\s*注|注|说\s*明|填[表报]说明|注意)\s*:/.test(t) || /^注\s*\d/.test(t);
}

/** A score cell: "5", "５", "2.5分", " 3 " → number (two decimals at most); anything else → null. */
export function parseScore(raw: string): number | null {
  const t = normText(raw).replace(/\s/g, '').replace(/分$/, '');
  if (!/^\d{1,4}(\.\d{1,2})?$/.test(t)) return null;
  return Number(t);
}

export type TDueParse = { date: string } | { text: string } | { error: 'invalid_date' } | null;

const pad = (n: number) => String(n).padStart(2, '0');

function isoDate(y: number, m: number, d: number): string | null {
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** Excel's day numbers (1900 date system) as they arrive when a date cell has no date format. */
function fromSerial(n: number): string {
  const dt = new Date(Date.UTC(1899, 11, 30) + n * 86_400_000);
  return `${dt.getUTCFullYear()}-${pad(dt.getUTCMonth() + 1)}-${pad(dt.getUTCDate())}`;
}

/**
 * A 时限 cell: a date in any common form becomes `{date}`; a month ("2026年6月底", "2026年6月",
 * "2026-06", "2026.6") is its last day; "6月底" needs a year and stays text like "长期坚持" or
 * "每月"; an impossible date ("2026-02-30", "2026年13月") is an error; empty → null.
 *
 * "2026.6" may arrive as the number an Excel cell holds: "2026.10" typed into a General cell is
 * the number 2026.1 and reads (as Excel shows it) as January.
 */
export function parseDue(raw: string): TDueParse {
  const t = normText(raw).replace(/\s/g, '');
  if (!t) return null;
  // What exceljs gives for a date cell: an ISO timestamp at midnight UTC.
  let m = /^(\d{4})-(\d{2})-(\d{2})T00:00:00(?:\.000)?Z$/.exec(t);
  if (m) return { date: `${m[1]}-${m[2]}-${m[3]}` };
  m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:前|之前)?$/.exec(t);
  if (m) {
    const d = isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
    return d ? { date: d } : { error: 'invalid_date' };
  }
  // The end of a month: "2026年6月底", "2026-06末前"; a month alone ("2026年6月", "2026-06",
  // "2026.6", "2026/6") is due by its end too.
  m =
    /^(\d{4})[-/.年](\d{1,2})月?(?:底|末)(?:前|之前)?$/.exec(t) ??
    /^(\d{4})(?:年(\d{1,2})月|[-/.](\d{1,2}))$/.exec(t);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2] ?? m[3]);
    if (mo < 1 || mo > 12) return { error: 'invalid_date' };
    return { date: isoDate(y, mo, new Date(Date.UTC(y, mo, 0)).getUTCDate())! };
  }
  if (/^\d{5}(\.0+)?$/.test(t) && Number(t) > 36_000 && Number(t) < 73_000) {
    return { date: fromSerial(Math.floor(Number(t))) };
  }
  if (/^\d{4}[-/.年]\d/.test(t)) return { error: 'invalid_date' };
  return { text: cleanText(raw) };
}

/** Unit names in one cell: separated by 、，,；;/| line breaks or spaces. */
export function splitNames(raw: string): string[] {
  // Not inside brackets: "各县（市、区）" and "市教育局（含体育、语委）" are one name each.
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of raw) {
    if (ch === '（' || ch === '(') depth++;
    else if ((ch === '）' || ch === ')') && depth > 0) depth--;
    if (depth === 0 && /[、，,；;/|\n\r\t \u3000]/.test(ch)) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => cleanText(s)).filter(Boolean);
}

/** Evidence requirements in one cell: one per line (or separated by ；). */
export function splitLines(raw: string): string[] {
  return raw
    .split(/[\n\r；;]+/)
    .map((s) => cleanText(s))
    .filter(Boolean);
}
