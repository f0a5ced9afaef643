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

/** A code as written ("Ｉ１．１．１", "I1.1.1 ", "3）"): half-width, no spaces or trailing marks. */
export function parseCode(raw: string): string {
  return normKey(raw)
    .replace(/^[(]/, '')
    .replace(/[)、.:]+$/, '')
    .toUpperCase();
}

const CODE_PREFIX =
  /^\s*([A-Za-zＡ-Ｚａ-ｚⅠ-Ⅻ]{0,3}[-－]?[0-9０-９]+(?:[.．\-－][0-9０-９]+)*|[A-Za-zＡ-Ｚａ-ｚⅠ-Ⅻ]{1,3})(?:[\s\u3000]+|[、.．:：)）]\s*)(\S[\s\S]*)$/;
const CHINESE_ORDINAL = /^\s*[(（]?[一二三四五六七八九十百]+[)）]?[、.．\s\u3000]*/;

/**
 * Splits an item or content cell into its code and name: "I1 思想引领", "I1.2、宣传",
 * "Ⅰ-1 重点工作" have a code; "一、思想引领" and "（二）宣传" have only an ordinal, which is dropped.
 */
export function splitLabel(raw: string): { code: string | null; name: string } {
  const m = CODE_PREFIX.exec(raw);
  if (m && /[0-9０-９]/.test(m[1]!)) return { code: parseCode(m[1]!), name: cleanText(m[2]!) };
  const ord = CHINESE_ORDINAL.exec(raw);
  if (ord && ord[0].trim() !== '' && /[一二三四五六七八九十百]/.test(ord[0])) {
    return { code: null, name: cleanText(raw.slice(ord[0].length)) };
  }
  return { code: null, name: cleanText(raw) };
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
 * A 时限 cell: a date in any common form becomes `{date}`; "6月底" needs a year and stays text like
 * "长期坚持" or "每月"; an impossible date ("2026-02-30") is an error; empty → null.
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
  m = /^(\d{4})[-/.年](\d{1,2})月?(?:底|末)(?:前|之前)?$/.exec(t);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
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
  return raw
    .split(/[、，,；;/|\n\r\t \u3000]+/)
    .map((s) => cleanText(s))
    .filter(Boolean);
}

/** Evidence requirements in one cell: one per line (or separated by ；). */
export function splitLines(raw: string): string[] {
  return raw
    .split(/[\n\r；;]+/)
    .map((s) => cleanText(s))
    .filter(Boolean);
}
