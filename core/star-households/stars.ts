// 十星级文明户: the plain rules the server and every web app share (no zod: the citizens' pages and
// the phone import them without the contracts).

/** A household with this many approved stars is a 十星级文明户. */
export const TEN_STARS = 10;

/** The campaign year as people in the city count it (Asia/Shanghai). */
export function currentStarYear(now = new Date()): number {
  return new Date(now.getTime() + 8 * 3_600_000).getUTCFullYear();
}

/** 张三 → 张**户: the public board's name of a household (the surname only, never its length). */
export function publicHouseholdName(headName: string): string {
  const first = [...headName.trim()][0] ?? '';
  return `${first}**户`;
}

export const STAR_RATING_STATUSES = ['proposed', 'approved', 'returned'] as const;
export type TStarRatingStatus = (typeof STAR_RATING_STATUSES)[number];
/** Where a rating stands, in both languages. */
export const STAR_RATING_STATUS_LABELS: Record<TStarRatingStatus, { zh: string; en: string }> = {
  proposed: { zh: '待审核', en: 'Proposed' },
  approved: { zh: '已通过', en: 'Approved' },
  returned: { zh: '已退回', en: 'Returned' },
};
