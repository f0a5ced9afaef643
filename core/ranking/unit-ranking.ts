/**
 * Monthly unit ranking (单位排名) and its flags: a weighted formula over a period's figures, ranked
 * within each class of units (districts, departments, streets), a minimum sample so that a unit
 * with one problem does not top the list, 流动红旗 to the best and 黑牌 to the worst of each class,
 * and the consequences of consecutive flags (e.g. a third black flag in a row → 约谈). Pure.
 */

export interface TRankingMetric {
  /** e.g. onTimeCloseRate, reworkRate, evidenceCompleteness, pointPassRate. */
  key: string;
  label: { zh: string; en: string };
  /** Rates 0..1; `lower` metrics (rework) count as 1 − value. */
  direction: 'higher' | 'lower';
  weight: number;
}

export interface TRankingRules {
  metrics: TRankingMetric[];
  /** A unit with fewer cases (problems, tasks) than this is listed but not ranked. */
  minSample: number;
  /** How many red and black flags each class gives (usually 1 each). */
  redPerClass: number;
  blackPerClass: number;
  /** Consequences of consecutive flags, e.g. black × 3 → 约谈. */
  consequences: { flag: 'red' | 'black'; streak: number; action: { zh: string; en: string } }[];
}

export const DEFAULT_RANKING_RULES: TRankingRules = {
  metrics: [
    {
      key: 'onTimeCloseRate',
      label: { zh: '按期结案率', en: 'On-time close rate' },
      direction: 'higher',
      weight: 40,
    },
    {
      key: 'reworkRate',
      label: { zh: '返工率', en: 'Rework rate' },
      direction: 'lower',
      weight: 20,
    },
    {
      key: 'evidenceCompleteness',
      label: { zh: '档案资料完成度', en: 'Evidence completeness' },
      direction: 'higher',
      weight: 20,
    },
    {
      key: 'pointPassRate',
      label: { zh: '点位合格率', en: 'Point pass rate' },
      direction: 'higher',
      weight: 20,
    },
  ],
  minSample: 5,
  redPerClass: 1,
  blackPerClass: 1,
  consequences: [
    { flag: 'black', streak: 2, action: { zh: '书面督办', en: 'Written notice' } },
    { flag: 'black', streak: 3, action: { zh: '约谈主要负责人', en: 'Interview with the head' } },
    { flag: 'red', streak: 3, action: { zh: '通报表扬', en: 'Public commendation' } },
  ],
};

export interface TUnitFigures {
  unitId: number;
  unitClass: string;
  /** Cases behind the figures (problems handled, tasks due…). */
  sample: number;
  values: Record<string, number | null>;
}

export interface TRankedUnit {
  unitId: number;
  unitClass: string;
  sample: number;
  /** 0..100; null when not ranked. */
  score: number | null;
  /** Competition rank within the class (1, 2, 2, 4); null when not ranked. */
  rank: number | null;
  flag: 'red' | 'black' | null;
  /** Why a unit is not ranked. */
  excluded: 'small_sample' | 'no_figures' | null;
  /** Metrics the unit had no figure for (their weight was spread over the others). */
  missing: string[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** A unit's score from its figures: the weighted mean of its metrics' favourable shares, × 100. */
export function unitScore(
  metrics: readonly TRankingMetric[],
  values: Record<string, number | null>,
): { score: number | null; missing: string[] } {
  let w = 0;
  let sum = 0;
  const missing: string[] = [];
  for (const m of metrics) {
    const v = values[m.key];
    if (v === null || v === undefined || !Number.isFinite(v)) {
      missing.push(m.key);
      continue;
    }
    const c = Math.min(1, Math.max(0, v));
    w += m.weight;
    sum += m.weight * (m.direction === 'higher' ? c : 1 - c);
  }
  return { score: w > 0 ? round2((sum / w) * 100) : null, missing };
}

/** Ranks each class; flags the best (red) and the worst (black); ties share a rank and a flag. */
export function rankUnits(rules: TRankingRules, units: readonly TUnitFigures[]): TRankedUnit[] {
  const out: TRankedUnit[] = [];
  const classes = [...new Set(units.map((u) => u.unitClass))].sort();
  for (const cls of classes) {
    const rows = units
      .filter((u) => u.unitClass === cls)
      .map((u): TRankedUnit => {
        const { score, missing } = unitScore(rules.metrics, u.values);
        const excluded =
          u.sample < rules.minSample ? 'small_sample' : score === null ? 'no_figures' : null;
        return {
          unitId: u.unitId,
          unitClass: cls,
          sample: u.sample,
          score: excluded ? null : score,
          rank: null,
          flag: null,
          excluded,
          missing,
        };
      });
    const ranked = rows
      .filter((r) => r.excluded === null)
      .sort((a, b) => b.score! - a.score! || a.unitId - b.unitId);
    ranked.forEach((r, i) => {
      r.rank = i > 0 && ranked[i - 1]!.score === r.score ? ranked[i - 1]!.rank : i + 1;
    });
    // Flags need someone to compare with: at least two ranked units with different scores.
    if (ranked.length >= 2 && ranked[0]!.score !== ranked[ranked.length - 1]!.score) {
      const redScore = ranked[Math.min(rules.redPerClass, ranked.length) - 1]?.score ?? undefined;
      const blackScore =
        ranked[Math.max(0, ranked.length - rules.blackPerClass)]?.score ?? undefined;
      for (const r of ranked) {
        if (rules.redPerClass > 0 && redScore !== undefined && r.score! >= redScore) r.flag = 'red';
        else if (rules.blackPerClass > 0 && blackScore !== undefined && r.score! <= blackScore)
          r.flag = 'black';
      }
    }
    out.push(...ranked, ...rows.filter((r) => r.excluded !== null));
  }
  return out;
}

/**
 * Consecutive flags up to the latest period and what they trigger. `history` holds each period's
 * flags (oldest first); a period without a flag for the unit breaks its streak.
 */
export function flagStreaks(
  rules: TRankingRules,
  history: readonly { period: string; flags: ReadonlyMap<number, 'red' | 'black' | null> }[],
  unitId: number,
): { flag: 'red' | 'black' | null; streak: number; actions: { zh: string; en: string }[] } {
  const latest = history[history.length - 1]?.flags.get(unitId) ?? null;
  if (latest === null) return { flag: null, streak: 0, actions: [] };
  let streak = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    if (history[i]!.flags.get(unitId) === latest) streak++;
    else break;
  }
  const actions = rules.consequences
    .filter((c) => c.flag === latest && streak >= c.streak)
    .sort((a, b) => b.streak - a.streak)
    .slice(0, 1)
    .map((c) => c.action);
  return { flag: latest, streak, actions };
}
