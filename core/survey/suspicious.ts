/**
 * Patterns that make a batch of responses worth a second look (数据核查): a guide filing many
 * identical answer sheets in a short time, or a response given far from its quota's community.
 * Pure; flags, never verdicts.
 */
import { distanceM } from '../geo/coords.js';
import type { TAnswerValue } from './questions.js';

export type TSuspicion = 'identical' | 'far';

export interface ResponseTrace {
  id: number;
  guideId: number | null;
  /** ms since epoch */
  submittedAt: number;
  /** Canonical text of the answers (see `answersKey`). */
  answersKey: string;
  lat: number | null;
  lng: number | null;
  /** The quota's community centre and radius, when known. */
  area: { lat: number; lng: number; radiusM: number } | null;
}

export interface SuspicionOptions {
  /** This many identical sheets from one guide … */
  identicalMin: number;
  /** … within this window flag them all. */
  windowMs: number;
}

export const DEFAULT_SUSPICION: SuspicionOptions = { identicalMin: 3, windowMs: 30 * 60_000 };

/** A canonical text of an answer sheet: keys sorted, multiple-choice answers sorted. */
export function answersKey(answers: Record<string, TAnswerValue>): string {
  return JSON.stringify(
    Object.keys(answers)
      .sort()
      .map((k) => {
        const v = answers[k]!;
        return [k, Array.isArray(v) ? [...v].sort() : v];
      }),
  );
}

/** Flags per response id: identical sheets in a burst from one guide, and answers far from the area. */
export function detectSuspicious(
  rows: readonly ResponseTrace[],
  opts: SuspicionOptions = DEFAULT_SUSPICION,
): Map<number, TSuspicion[]> {
  const out = new Map<number, TSuspicion[]>();
  const flag = (id: number, s: TSuspicion) => {
    const list = out.get(id) ?? [];
    if (!list.includes(s)) list.push(s);
    out.set(id, list);
  };
  const groups = new Map<string, ResponseTrace[]>();
  for (const r of rows) {
    if (r.area && r.lat !== null && r.lng !== null) {
      if (distanceM(r.lat, r.lng, r.area.lat, r.area.lng) > r.area.radiusM) flag(r.id, 'far');
    }
    if (r.guideId === null) continue;
    const key = `${r.guideId}\u0000${r.answersKey}`;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  const min = Math.max(2, opts.identicalMin);
  for (const g of groups.values()) {
    if (g.length < min) continue;
    g.sort((a, b) => a.submittedAt - b.submittedAt);
    // Sliding window: every sheet in a window holding `min` or more is flagged.
    let start = 0;
    for (let end = 0; end < g.length; end++) {
      while (g[end]!.submittedAt - g[start]!.submittedAt > opts.windowMs) start++;
      if (end - start + 1 >= min) for (let i = start; i <= end; i++) flag(g[i]!.id, 'identical');
    }
  }
  return out;
}
