import { normKey } from './methods.js';

/** Matching the unit names a sheet writes to the unit directory. */

export interface UnitRef {
  id: number;
  name: string;
  shortName: string | null;
  /** The other names offices write for the unit (units.aliases). */
  aliases?: readonly string[];
}

export type TUnitMatch =
  | { ok: true; unit: UnitRef }
  /** `suggestions`: the closest unit names, best first, for "did you mean" (`unitNotFoundReason`). */
  | { ok: false; reason: 'unknown'; suggestions: string[] }
  | { ok: false; reason: 'ambiguous'; candidates: string[] };

/** Resolves a name, and for a name it cannot resolve proposes the closest unit names. */
export type UnitMatcher = ((name: string) => TUnitMatch) & {
  /** Up to `n` full names of the units closest to `name`, best first (for "did you mean"). */
  suggest(name: string, n?: number): string[];
};

export interface UnitMatchOptions {
  /** The city's own name (示范市): "示范市城管局" and "示范城管局" are then read as "市城管局". */
  city?: string | null;
}

/** Prefixes a city-level unit's name carries that sheets leave out: 市委宣传部 → 宣传部. */
const CITY_PREFIXES = ['市委', '市'];

/** Long endings and the short ones they abbreviate to: 发展和改革委员会 is 发展和改革委. */
const LONG_SUFFIXES: [string, string][] = [
  ['委员会', '委'],
  ['办公室', '办'],
];
/** Generic endings offices add or leave out: 城管局 ↔ 城管 (after the long ones are shortened). */
const GENERIC_SUFFIXES = ['中心', '局', '委', '办'];

/** Below this similarity a name is not proposed as "did you mean". */
const SUGGEST_THRESHOLD = 0.4;

/** The prefixes to strip, longest first: the city's name, then 市委 and 市. */
function cityPrefixes(city: string | null | undefined): string[] {
  const out = [...CITY_PREFIXES];
  const c = city ? normKey(city) : '';
  if (c) {
    const bare = c.endsWith('市') && c.length > 2 ? c.slice(0, -1) : c;
    out.push(`中共${bare}市委`, `${bare}市委`, `${bare}市`, bare);
  }
  return [...new Set(out)].sort((a, b) => b.length - a.length);
}

/** A key without the city prefix, if at least two characters are left. */
export function stripCityPrefix(key: string, prefixes: readonly string[] = CITY_PREFIXES): string {
  for (const p of prefixes) {
    if (key.startsWith(p) && key.length - p.length >= 2) return key.slice(p.length);
  }
  return key;
}

/** A key with a long ending shortened: 委员会 → 委, 办公室 → 办. */
export function shortenSuffix(key: string): string {
  for (const [long, short] of LONG_SUFFIXES) {
    if (key.endsWith(long) && key.length - long.length >= 2)
      return key.slice(0, -long.length) + short;
  }
  return key;
}

/** A key without its generic ending (局/委/办/中心, after `shortenSuffix`), if two characters are left. */
export function stripGenericSuffix(key: string): string {
  const k = shortenSuffix(key);
  for (const s of GENERIC_SUFFIXES) {
    if (k.endsWith(s) && k.length - s.length >= 2) return k.slice(0, -s.length);
  }
  return k;
}

/** The character bigrams of a key (a one-character key is its own bigram). */
function bigrams(key: string): string[] {
  const chars = [...key];
  if (chars.length < 2) return chars;
  const out: string[] = [];
  for (let i = 0; i < chars.length - 1; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

/** Dice similarity of two keys over their character bigrams (multiset), from 0 to 1. */
export function diceSimilarity(a: string, b: string): number {
  const x = bigrams(a);
  const y = bigrams(b);
  if (x.length === 0 || y.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const g of x) counts.set(g, (counts.get(g) ?? 0) + 1);
  let common = 0;
  for (const g of y) {
    const c = counts.get(g) ?? 0;
    if (c > 0) {
      common++;
      counts.set(g, c - 1);
    }
  }
  return (2 * common) / (x.length + y.length);
}

type Index = Map<string, UnitRef[]>;
function put(map: Index, key: string, u: UnitRef): void {
  if (!key) return;
  const list = map.get(key) ?? [];
  if (!list.some((x) => x.id === u.id)) list.push(u);
  map.set(key, list);
}

/**
 * Finds units the way offices write them. Tiers, in order:
 * 1. the full name;
 * 2. a short name or alias;
 * 3. any of these without the city prefix, on both sides (市民政局 ↔ 民政局, 宣传部 ↔ 市委宣传部);
 * 4. a variant: one side with a generic ending the other leaves out (城管局 ↔ alias 城管, 卫健 ↔
 *    卫健委), or a long ending for its short form (改革委员会 ↔ 改革委). Endings are only added or
 *    dropped, never swapped: 文明委 does not find 文明办.
 * Compared after `normKey`, so full-width brackets and spaces do not matter. The first tier with a
 * hit decides; two units in that tier are ambiguous.
 */
export function unitMatcher(units: readonly UnitRef[], opts: UnitMatchOptions = {}): UnitMatcher {
  const prefixes = cityPrefixes(opts.city);
  // A key with and without the city prefix: "市场监管局" loses a 市 that is no prefix, so both
  // forms are kept on both sides, and "市市场监管局" still finds it.
  const forms = (k: string) => {
    const bare = stripCityPrefix(k, prefixes);
    return bare === k ? [k] : [k, bare];
  };
  const byName: Index = new Map();
  const byOther: Index = new Map();
  const byNoPrefix: Index = new Map();
  const byPlain: Index = new Map();
  /** Only names that do have a generic ending, under their stem. */
  const byStem: Index = new Map();
  /** Every unit's names as keys, for suggestions. */
  const keysOf: { unit: UnitRef; keys: string[] }[] = [];
  for (const u of units) {
    const name = normKey(u.name);
    const others = [u.shortName, ...(u.aliases ?? [])].map((o) => (o ? normKey(o) : ''));
    put(byName, name, u);
    for (const o of others) put(byOther, o, u);
    const keys = new Set<string>();
    for (const k of [name, ...others]) {
      if (!k) continue;
      keys.add(k);
      for (const f of forms(k)) {
        put(byNoPrefix, f, u);
        const p = shortenSuffix(f);
        const s = stripGenericSuffix(f);
        put(byPlain, p, u);
        if (s !== p) put(byStem, s, u);
        keys.add(s);
      }
    }
    keysOf.push({ unit: u, keys: [...keys] });
  }

  const unique = (hits: UnitRef[]) =>
    hits.filter((u, i) => hits.findIndex((x) => x.id === u.id) === i);
  const tiers: ((k: string) => UnitRef[])[] = [
    (k) => byName.get(k) ?? [],
    (k) => byOther.get(k) ?? [],
    (k) => unique(forms(k).flatMap((f) => byNoPrefix.get(f) ?? [])),
    (k) =>
      unique(
        forms(k).flatMap((f) => {
          const p = shortenSuffix(f);
          const s = stripGenericSuffix(f);
          const hits = [...(byPlain.get(p) ?? []), ...(byStem.get(p) ?? [])];
          if (s !== p) hits.push(...(byPlain.get(s) ?? []));
          return hits;
        }),
      ),
  ];

  const suggest = (raw: string, n = 3): string[] => {
    const k = normKey(raw);
    if (!k || n <= 0) return [];
    const probes = [...new Set([k, ...forms(k).map(stripGenericSuffix)])];
    const scored: { name: string; score: number }[] = [];
    for (const { unit, keys } of keysOf) {
      let best = 0;
      for (const p of probes) for (const key of keys) best = Math.max(best, diceSimilarity(p, key));
      if (best >= SUGGEST_THRESHOLD) scored.push({ name: unit.name, score: best });
    }
    scored.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name, 'zh-CN'));
    return scored.slice(0, n).map((s) => s.name);
  };

  const suggested = new Map<string, string[]>();
  const match = (raw: string): TUnitMatch => {
    const k = normKey(raw);
    if (!k) return { ok: false, reason: 'unknown', suggestions: [] };
    for (const tier of tiers) {
      const hit = tier(k);
      if (hit.length === 0) continue;
      if (hit.length === 1) return { ok: true, unit: hit[0]! };
      return { ok: false, reason: 'ambiguous', candidates: hit.map((u) => u.name) };
    }
    // A sheet repeats an unknown name on many rows: its suggestions are worked out once.
    let suggestions = suggested.get(k);
    if (!suggestions) {
      suggestions = suggest(k);
      suggested.set(k, suggestions);
    }
    return { ok: false, reason: 'unknown', suggestions: [...suggestions] };
  };

  return Object.assign(match, { suggest });
}

/** The reason a sheet's unit name was not found, with "did you mean" when there are suggestions. */
export function unitNotFoundReason(
  name: string,
  suggestions: readonly string[],
): { zh: string; en: string } {
  const zh = `单位“${name}”不存在（可写全称，或在单位管理中把它设为该单位的简称或别名）`;
  const en = `unit "${name}" not found (write the full name, or add it to the unit as a short name or alias)`;
  if (suggestions.length === 0) return { zh, en };
  return {
    zh: `${zh}；您是不是要找：${suggestions.join('、')}`,
    en: `${en}; did you mean: ${suggestions.join(', ')}?`,
  };
}
