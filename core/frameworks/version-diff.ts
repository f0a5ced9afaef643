import { codeKey } from './cells.js';
import type { TMethod } from './methods.js';
import { normKey } from './methods.js';

/**
 * What changes when a draft version replaces the version in force: standards added, removed and
 * changed, matched by code. A new version carries every link that names a standard of the old
 * one (by key or by code) to the standard with the same code in the new one, so the code is what
 * identifies "the same standard" across versions.
 */

export interface DiffStandard {
  key: string;
  code: string;
  text: string;
  method: TMethod;
  maxScore: number;
}

export type TStandardField = 'code' | 'text' | 'method' | 'maxScore';

export interface StandardChange<T extends DiffStandard = DiffStandard> {
  code: string;
  before: T;
  after: T;
  fields: TStandardField[];
}

export interface VersionDiff<T extends DiffStandard = DiffStandard> {
  added: T[];
  removed: T[];
  changed: StandardChange<T>[];
  unchanged: number;
  /** Old standard → new standard, for every standard found again (by key, else by code). */
  pairs: [T, T][];
  maxBefore: number;
  maxAfter: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * Pairs the entries of two versions: first by key (a draft copied from the old version keeps its
 * keys, even where the office edited a code), then the rest by code (an imported version has new
 * keys but the same codes). Each entry is paired once.
 */
export function pairByKeyThenCode<T extends { key: string; code: string }>(
  before: readonly T[],
  after: readonly T[],
): { pairs: [T, T][]; added: T[]; removed: T[] } {
  const afterKeys = new Set(after.map((s) => s.key));
  const oldByKey = new Map(before.map((s) => [s.key, s]));
  const oldFree = new Map(
    before.filter((s) => !afterKeys.has(s.key)).map((s) => [codeKey(s.code), s]),
  );
  const pairs: [T, T][] = [];
  const added: T[] = [];
  const paired = new Set<string>();
  for (const s of after) {
    const o = oldByKey.get(s.key) ?? oldFree.get(codeKey(s.code));
    if (!o || paired.has(o.key)) {
      added.push(s);
      continue;
    }
    paired.add(o.key);
    pairs.push([o, s]);
  }
  return { pairs, added, removed: before.filter((s) => !paired.has(s.key)) };
}

export function diffStandards<T extends DiffStandard>(
  before: readonly T[],
  after: readonly T[],
): VersionDiff<T> {
  const { pairs, added, removed } = pairByKeyThenCode(before, after);
  const changed: StandardChange<T>[] = [];
  let unchanged = 0;
  for (const [o, s] of pairs) {
    const fields: TStandardField[] = [];
    if (codeKey(o.code) !== codeKey(s.code)) fields.push('code');
    if (normKey(o.text) !== normKey(s.text)) fields.push('text');
    if (o.method !== s.method) fields.push('method');
    if (round2(o.maxScore) !== round2(s.maxScore)) fields.push('maxScore');
    if (fields.length) changed.push({ code: s.code, before: o, after: s, fields });
    else unchanged++;
  }
  const sum = (xs: readonly DiffStandard[]) => round2(xs.reduce((a, s) => a + s.maxScore, 0));
  return {
    added,
    removed,
    changed,
    unchanged,
    pairs,
    maxBefore: sum(before),
    maxAfter: sum(after),
  };
}
