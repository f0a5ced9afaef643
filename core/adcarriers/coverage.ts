import {
  CARRIER_THEME_LABELS,
  type TCarrierState,
  type TCarrierTheme,
  type TCoverageCheck,
  type TThemeMin,
} from '../contracts/ad-carriers.js';

/** The parts of a carrier the coverage check reads. */
export interface CoverageCarrier {
  widthCm: number;
  heightCm: number;
  state: TCarrierState;
  fixed: boolean;
  theme: TCarrierTheme;
  cluster: string | null;
}

/** The parts of a point type's rule the check reads (null: not checked). */
export interface CoverageRule {
  minCount: number | null;
  themeMins: readonly TThemeMin[];
  minWidthCm: number | null;
  minHeightCm: number | null;
  fixedOnly: boolean;
  perLengthCount: number | null;
  perLengthM: number | null;
  minHoardingPct: number | null;
}

/** A board counts when its long side and short side reach the rule's (70×40 hung either way). */
export function bigEnough(
  c: Pick<CoverageCarrier, 'widthCm' | 'heightCm'>,
  rule: CoverageRule,
): boolean {
  const long = Math.max(rule.minWidthCm ?? 0, rule.minHeightCm ?? 0);
  const short = Math.min(rule.minWidthCm ?? 0, rule.minHeightCm ?? 0);
  return Math.max(c.widthCm, c.heightCm) >= long && Math.min(c.widthCm, c.heightCm) >= short;
}

/** Whether a carrier counts towards its point's rule: 完好, big enough, fixed where required. */
export function carrierCounts(c: CoverageCarrier, rule: CoverageRule): boolean {
  return c.state === 'intact' && bigEnough(c, rule) && (!rule.fixedOnly || c.fixed);
}

/**
 * The counting units of the counted carriers: a carrier alone is one, carriers sharing a cluster
 * label are one together (集中设置的算一处), carrying every theme its members show.
 */
export function countingUnits(counted: readonly CoverageCarrier[]): Set<TCarrierTheme>[] {
  const clusters = new Map<string, Set<TCarrierTheme>>();
  const units: Set<TCarrierTheme>[] = [];
  for (const c of counted) {
    const key = c.cluster?.trim();
    if (!key) {
      units.push(new Set([c.theme]));
      continue;
    }
    let themes = clusters.get(key);
    if (!themes) {
      themes = new Set();
      clusters.set(key, themes);
      units.push(themes);
    }
    themes.add(c.theme);
  }
  return units;
}

/** Evaluates a point's carriers against its type's rule: each part met, unmet or skipped. */
export function evaluateCoverage(
  carriers: readonly CoverageCarrier[],
  rule: CoverageRule,
  measure: { lengthM: number | null; hoardingPct: number | null },
): { counted: number; countedUnits: number; checks: TCoverageCheck[] } {
  const counted = carriers.filter((c) => carrierCounts(c, rule));
  const units = countingUnits(counted);
  const n = units.length;
  const checks: TCoverageCheck[] = [];
  const size =
    rule.minWidthCm || rule.minHeightCm
      ? `（${rule.minWidthCm ?? 0}×${rule.minHeightCm ?? 0}cm 以上${rule.fixedOnly ? '、固定式' : ''}）`
      : rule.fixedOnly
        ? '（固定式）'
        : '';
  if (rule.minCount !== null) {
    checks.push({
      kind: 'count',
      theme: null,
      required: rule.minCount,
      actual: n,
      result: n >= rule.minCount ? 'met' : 'unmet',
      messageZh: `公益广告不少于 ${rule.minCount} 处${size}，现有 ${n} 处`,
      messageEn: `at least ${rule.minCount} carriers, ${n} counted`,
    });
  }
  for (const t of rule.themeMins) {
    const have = units.filter((u) => u.has(t.theme)).length;
    const label = CARRIER_THEME_LABELS[t.theme];
    checks.push({
      kind: 'theme',
      theme: t.theme,
      required: t.min,
      actual: have,
      result: have >= t.min ? 'met' : 'unmet',
      messageZh: `“${label.zh}”主题不少于 ${t.min} 处，现有 ${have} 处`,
      messageEn: `at least ${t.min} on "${label.en}", ${have} counted`,
    });
  }
  if (rule.perLengthCount !== null && rule.perLengthM !== null) {
    if (measure.lengthM === null) {
      checks.push({
        kind: 'per_length',
        theme: null,
        required: rule.perLengthCount,
        actual: null,
        result: 'skipped',
        messageZh: `每 ${rule.perLengthM} 米不少于 ${rule.perLengthCount} 处：未登记点位长度，未检查`,
        messageEn: `${rule.perLengthCount} per ${rule.perLengthM} m: no road length recorded, not checked`,
      });
    } else {
      const required = Math.ceil((measure.lengthM / rule.perLengthM) * rule.perLengthCount);
      checks.push({
        kind: 'per_length',
        theme: null,
        required,
        actual: n,
        result: n >= required ? 'met' : 'unmet',
        messageZh: `每 ${rule.perLengthM} 米不少于 ${rule.perLengthCount} 处（${measure.lengthM} 米应有 ${required} 处），现有 ${n} 处`,
        messageEn: `${rule.perLengthCount} per ${rule.perLengthM} m (${required} over ${measure.lengthM} m), ${n} counted`,
      });
    }
  }
  if (rule.minHoardingPct !== null) {
    const pct = measure.hoardingPct;
    checks.push({
      kind: 'hoarding',
      theme: null,
      required: rule.minHoardingPct,
      actual: pct,
      result: pct === null ? 'skipped' : pct >= rule.minHoardingPct ? 'met' : 'unmet',
      messageZh:
        pct === null
          ? `围挡公益广告面积不少于 ${rule.minHoardingPct}%：未登记实测比例，未检查`
          : `围挡公益广告面积不少于 ${rule.minHoardingPct}%，实测 ${pct}%`,
      messageEn:
        pct === null
          ? `hoarding share ≥ ${rule.minHoardingPct}%: not measured, not checked`
          : `hoarding share ≥ ${rule.minHoardingPct}%, measured ${pct}%`,
    });
  }
  return { counted: counted.length, countedUnits: n, checks };
}
