/**
 * 整体评价/整体观察: what the inspectors' 1–5 ratings of a round (环境卫生, 市民素质, 公共设施,
 * 氛围营造) give a standard whose method is 整体观察. No source gives the official formula (BRIEF
 * §2.4 [unverified]), so ours is plain and documented (docs/scoring.md §2): the mean of every rating
 * of the round's visits, r̄ on 1..5, read as the share (r̄ − 1) ÷ 4 — 1 is nothing, 3 half, 5 all.
 * Pure.
 */

export const RATING_DIMENSIONS = ['environment', 'civility', 'facilities', 'atmosphere'] as const;
export type TRatingDimension = (typeof RATING_DIMENSIONS)[number];
export const RATING_DIMENSION_LABELS: Record<TRatingDimension, { zh: string; en: string }> = {
  environment: { zh: '环境卫生', en: 'Environment' },
  civility: { zh: '市民素质', en: 'Civility' },
  facilities: { zh: '公共设施', en: 'Facilities' },
  atmosphere: { zh: '氛围营造', en: 'Atmosphere' },
};

/** The share of a round's overall ratings, with the visits it rests on; null share without any. */
export function overallShare(ratings: readonly unknown[]): {
  share: number | null;
  visits: number;
  mean: number | null;
  byDimension: Record<TRatingDimension, number | null>;
} {
  const sums = Object.fromEntries(RATING_DIMENSIONS.map((d) => [d, { s: 0, n: 0 }])) as Record<
    TRatingDimension,
    { s: number; n: number }
  >;
  let visits = 0;
  for (const raw of ratings) {
    if (typeof raw !== 'object' || raw === null) continue;
    const r = raw as Record<string, unknown>;
    let any = false;
    for (const d of RATING_DIMENSIONS) {
      const v = r[d];
      if (typeof v === 'number' && Number.isFinite(v) && v >= 1 && v <= 5) {
        sums[d].s += v;
        sums[d].n++;
        any = true;
      }
    }
    if (any) visits++;
  }
  const total = RATING_DIMENSIONS.reduce((a, d) => a + sums[d].s, 0);
  const count = RATING_DIMENSIONS.reduce((a, d) => a + sums[d].n, 0);
  const byDimension = Object.fromEntries(
    RATING_DIMENSIONS.map((d) => [d, sums[d].n ? sums[d].s / sums[d].n : null]),
  ) as Record<TRatingDimension, number | null>;
  if (count === 0) return { share: null, visits: 0, mean: null, byDimension };
  const mean = total / count;
  return { share: (mean - 1) / 4, visits, mean, byDimension };
}
