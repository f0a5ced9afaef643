// 身边好人's words, without zod: the citizen pages (a small bundle of their own) import them.

/** The five categories of 身边好人 / 道德模范. */
export const GOOD_PERSON_CATEGORIES = [
  'helping',
  'bravery',
  'honesty',
  'dedication',
  'filial',
] as const;
export type TGoodPersonCategory = (typeof GOOD_PERSON_CATEGORIES)[number];
export const GOOD_PERSON_CATEGORY_LABELS: Record<TGoodPersonCategory, { zh: string; en: string }> =
  {
    helping: { zh: '助人为乐', en: 'Helping others' },
    bravery: { zh: '见义勇为', en: 'Bravery' },
    honesty: { zh: '诚实守信', en: 'Honesty' },
    dedication: { zh: '敬业奉献', en: 'Dedication' },
    filial: { zh: '孝老爱亲', en: 'Filial piety' },
  };

/** Where a nomination stands: 推荐 → 入围 / 未入围 → 好人榜. */
export const NOMINATION_STATUSES = ['submitted', 'shortlisted', 'rejected', 'honoured'] as const;
export type TNominationStatus = (typeof NOMINATION_STATUSES)[number];
export const NOMINATION_STATUS_LABELS: Record<TNominationStatus, { zh: string; en: string }> = {
  submitted: { zh: '已推荐', en: 'Submitted' },
  shortlisted: { zh: '入围', en: 'Shortlisted' },
  rejected: { zh: '未入围', en: 'Not shortlisted' },
  honoured: { zh: '上榜', en: 'Honoured' },
};

/** Who put the name forward: a unit, a community (or another office), a citizen's public form. */
export const NOMINATION_SOURCES = ['unit', 'community', 'citizen'] as const;
export type TNominationSource = (typeof NOMINATION_SOURCES)[number];
export const NOMINATION_SOURCE_LABELS: Record<TNominationSource, { zh: string; en: string }> = {
  unit: { zh: '单位推荐', en: 'By a unit' },
  community: { zh: '社区推荐', en: 'By a community' },
  citizen: { zh: '群众推荐', en: 'By a citizen' },
};

/**
 * A month's course: nominations are collected and reviewed, then the shortlist is put to a public
 * vote, the vote is closed, and the office publishes the month's 好人榜.
 */
export const GOOD_PERSON_MONTH_STATES = ['collecting', 'voting', 'closed', 'published'] as const;
export type TGoodPersonMonthState = (typeof GOOD_PERSON_MONTH_STATES)[number];
export const GOOD_PERSON_MONTH_STATE_LABELS: Record<
  TGoodPersonMonthState,
  { zh: string; en: string }
> = {
  collecting: { zh: '推荐评议中', en: 'Collecting' },
  voting: { zh: '投票中', en: 'Voting open' },
  closed: { zh: '投票已截止', en: 'Voting closed' },
  published: { zh: '已发布', en: 'Published' },
};

/** The month's moves the office may make: open the vote, close it (or reopen it), publish. */
export const MONTH_TRANSITIONS: Record<TGoodPersonMonthState, readonly TGoodPersonMonthState[]> = {
  collecting: ['voting'],
  voting: ['closed'],
  closed: ['voting', 'published'],
  published: [],
};

/** The path upward: 省级 and 全国 (中国好人榜) lists. */
export const UPWARD_LEVELS = ['provincial', 'national'] as const;
export type TUpwardLevel = (typeof UPWARD_LEVELS)[number];
export const UPWARD_LEVEL_LABELS: Record<TUpwardLevel, { zh: string; en: string }> = {
  provincial: { zh: '省级好人榜', en: 'Provincial list' },
  national: { zh: '中国好人榜', en: 'China Good People list' },
};
export const UPWARD_STAGES = ['recommended', 'selected', 'not_selected'] as const;
export type TUpwardStage = (typeof UPWARD_STAGES)[number];
export const UPWARD_STAGE_LABELS: Record<TUpwardStage, { zh: string; en: string }> = {
  recommended: { zh: '推荐上报', en: 'Recommended' },
  selected: { zh: '入选', en: 'Selected' },
  not_selected: { zh: '未入选', en: 'Not selected' },
};

/** The longest account of the deeds (字). */
export const DEEDS_MAX = 1000;
