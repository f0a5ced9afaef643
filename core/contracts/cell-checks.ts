import { zPatchOf } from './common.js';
import { CELL_TYPES, HONOUR_LEVELS, HONOUR_STATUSES } from './honours.js';
import { z } from './zod-setup.js';

// 文明细胞 dynamic management (issue #22, item 3): check lists and periodic checks, the negative
// list and its hits, problems at a holder's premises, the yearly 复审 with its 通报.

const bi = (zh: string, en: string) => ({ message: `${zh} / ${en}` });
const text = (max: number, zh: string, en: string) =>
  z
    .string()
    .trim()
    .min(1, bi('请填写内容', 'this is required'))
    .max(max, bi(`${zh}最多 ${max} 个字`, `${en} has at most ${max} characters`));
const note = z
  .string()
  .trim()
  .max(500, bi('说明最多 500 个字', 'a note has at most 500 characters'))
  .nullable()
  .optional();
const day = z.iso.date({ message: '日期格式应为 YYYY-MM-DD / a date is YYYY-MM-DD' });

export const CHECK_FREQUENCIES = ['quarterly', 'monthly'] as const;
export type TCheckFrequency = (typeof CHECK_FREQUENCIES)[number];
export const CHECK_FREQUENCY_LABELS: Record<TCheckFrequency, { zh: string; en: string }> = {
  quarterly: { zh: '每季度', en: 'Quarterly' },
  monthly: { zh: '每月', en: 'Monthly' },
};

/** A period of a frequency: 2026-Q3 (quarterly) or 2026-09 (monthly). */
export function periodPattern(f: TCheckFrequency): RegExp {
  return f === 'quarterly' ? /^(\d{4})-Q[1-4]$/ : /^(\d{4})-(0[1-9]|1[0-2])$/;
}

const ZStandard = z.object({
  code: z
    .string()
    .trim()
    .min(1, bi('请填写编号', 'the code is required'))
    .max(20, bi('编号最多 20 个字', 'a code has at most 20 characters')),
  text: text(200, '标准', 'a standard'),
  points: z
    .number()
    .positive(bi('分值须大于 0', 'points are above 0'))
    .max(100, bi('分值最多 100', 'at most 100 points')),
});

const uniqueCodes = (items: { code: string }[], ctx: z.RefinementCtx) => {
  const seen = new Set<string>();
  items.forEach((s, i) => {
    if (seen.has(s.code))
      ctx.addIssue({
        code: 'custom',
        path: [i, 'code'],
        message: `编号“${s.code}”重复 / the code "${s.code}" is repeated`,
      });
    seen.add(s.code);
  });
};

const ZCheckListFields = z.object({
  cellType: z.enum(CELL_TYPES),
  name: text(60, '名称', 'the name'),
  frequency: z.enum(CHECK_FREQUENCIES),
  standards: z
    .array(ZStandard)
    .min(1, bi('至少一条标准', 'at least one standard'))
    .max(60, bi('最多 60 条标准', 'at most 60 standards'))
    .superRefine(uniqueCodes),
  active: z.boolean().default(true),
});
export const ZCheckListInputSchema = ZCheckListFields;
export type TCheckListInput = z.input<typeof ZCheckListInputSchema>;
export const ZCheckListPatchSchema = zPatchOf(ZCheckListFields)
  .omit({ cellType: true })
  .extend({ version: z.number().int().positive() });
export type TCheckListPatch = z.output<typeof ZCheckListPatchSchema>;

export const ZCheckListSchema = z.object({
  id: z.number().int(),
  cellType: z.enum(CELL_TYPES),
  name: z.string(),
  frequency: z.enum(CHECK_FREQUENCIES),
  standards: z.array(z.object({ code: z.string(), text: z.string(), points: z.number() })),
  totalPoints: z.number(),
  active: z.boolean(),
  version: z.number().int(),
});
export type TCheckList = z.infer<typeof ZCheckListSchema>;

export const SEVERE_ACTIONS = ['rectify', 'disqualify'] as const;
export type TSevereAction = (typeof SEVERE_ACTIONS)[number];
export const SEVERE_ACTION_LABELS: Record<TSevereAction, { zh: string; en: string }> = {
  rectify: { zh: '整改', en: 'Rectify' },
  disqualify: { zh: '取消资格（撤销）', en: 'Disqualify (revoke)' },
};

const ZNegativeListFields = z.object({
  cellType: z.enum(CELL_TYPES),
  name: text(60, '名称', 'the name'),
  items: z
    .array(ZStandard.extend({ severe: z.boolean().default(false) }))
    .min(1, bi('至少一项', 'at least one item'))
    .max(80, bi('最多 80 项', 'at most 80 items'))
    .superRefine(uniqueCodes),
  /** What `severeThreshold` severe hits within `severeWindowMonths` do to a holder. */
  severeAction: z.enum(SEVERE_ACTIONS).default('rectify'),
  severeWindowMonths: z.number().int().min(1).max(120).default(24),
  severeThreshold: z.number().int().min(1).max(20).default(1),
  rectifyMonths: z.number().int().min(1).max(60).default(12),
});
export const ZNegativeListInputSchema = ZNegativeListFields;
export type TNegativeListInput = z.input<typeof ZNegativeListInputSchema>;
export const ZNegativeListPatchSchema = zPatchOf(ZNegativeListFields)
  .omit({ cellType: true })
  .extend({ version: z.number().int().positive() });
export type TNegativeListPatch = z.output<typeof ZNegativeListPatchSchema>;

export const ZNegativeListSchema = z.object({
  id: z.number().int(),
  cellType: z.enum(CELL_TYPES),
  name: z.string(),
  items: z.array(
    z.object({ code: z.string(), text: z.string(), points: z.number(), severe: z.boolean() }),
  ),
  severeAction: z.enum(SEVERE_ACTIONS),
  severeWindowMonths: z.number().int(),
  severeThreshold: z.number().int(),
  rectifyMonths: z.number().int(),
  /** The rule in words, as the office reads it. */
  rule: z.object({ zh: z.string(), en: z.string() }),
  version: z.number().int(),
});
export type TNegativeList = z.infer<typeof ZNegativeListSchema>;

export const ZCellTypeQuerySchema = z.object({ cellType: z.enum(CELL_TYPES).optional() });

// — Checks —

export const ZCheckInputSchema = z.object({
  honourId: z.number().int().positive(),
  listId: z.number().int().positive(),
  period: z
    .string()
    .trim()
    .regex(
      /^\d{4}-(Q[1-4]|0[1-9]|1[0-2])$/,
      bi('周期应如 2026-Q3 或 2026-09', 'a period is like 2026-Q3 or 2026-09'),
    ),
  checkedOn: day,
  results: z
    .array(z.object({ code: z.string().trim().min(1).max(20), pass: z.boolean(), note }))
    .min(1, bi('请逐项填写结果', 'give a result per standard'))
    .max(60),
  note,
});
export type TCheckInput = z.output<typeof ZCheckInputSchema>;

export const ZCheckSchema = z.object({
  id: z.number().int(),
  honourId: z.number().int(),
  holderName: z.string(),
  listId: z.number().int(),
  listName: z.string(),
  period: z.string(),
  checkedOn: z.string(),
  results: z.array(
    z.object({
      code: z.string(),
      text: z.string(),
      points: z.number(),
      pass: z.boolean(),
      note: z.string().nullable(),
    }),
  ),
  passed: z.number().int(),
  score: z.number(),
  note: z.string().nullable(),
  createdAt: z.string(),
});
export type TCheck = z.infer<typeof ZCheckSchema>;

export const ZListChecksQuerySchema = z.object({
  listId: z.coerce.number().int().positive().optional(),
  period: z.string().trim().max(10).optional(),
  honourId: z.coerce.number().int().positive().optional(),
});

// — Negative-list hits —

export const ZHitInputSchema = z.object({
  honourId: z.number().int().positive(),
  itemCode: z.string().trim().min(1, bi('请选择负面清单项', 'choose an item')).max(20),
  hitOn: day,
  note,
  /** A problem at the holder's premises this hit comes from. */
  problemId: z.number().int().positive().nullable().optional(),
});
export type THitInput = z.output<typeof ZHitInputSchema>;

export const ZHitSchema = z.object({
  id: z.number().int(),
  honourId: z.number().int(),
  holderName: z.string(),
  itemCode: z.string(),
  itemText: z.string(),
  points: z.number(),
  severe: z.boolean(),
  hitOn: z.string(),
  note: z.string().nullable(),
  problemId: z.number().int().nullable(),
  action: z.enum(SEVERE_ACTIONS).nullable(),
  rectifyUntil: z.string().nullable(),
  createdAt: z.string(),
});
export type THit = z.infer<typeof ZHitSchema>;

/** A recorded hit and what it did to the holder's status (null: nothing). */
export const ZHitResultSchema = z.object({
  hit: ZHitSchema,
  statusChange: z
    .object({ from: z.enum(HONOUR_STATUSES), to: z.enum(HONOUR_STATUSES), reason: z.string() })
    .nullable(),
});

// — The holder's record —

export const ZHolderProblemSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  title: z.string(),
  state: z.string(),
  createdAt: z.string(),
  /** How it is linked: dispatched to the holder's unit, and/or this far from the holder (m). */
  byUnit: z.boolean(),
  distanceM: z.number().nullable(),
  /** The hit it became, if any. */
  hitId: z.number().int().nullable(),
});
export type THolderProblem = z.infer<typeof ZHolderProblemSchema>;

export const ZHolderRecordSchema = z.object({
  honour: z.object({
    id: z.number().int(),
    cellType: z.enum(CELL_TYPES),
    holderName: z.string(),
    title: z.string(),
    level: z.enum(HONOUR_LEVELS),
    status: z.enum(HONOUR_STATUSES),
    version: z.number().int(),
    /** The office may write (check, hit, outcome): it manages the holder. */
    managed: z.boolean(),
  }),
  year: z.number().int(),
  checks: z.array(ZCheckSchema),
  /** The year's average check score (null: not checked this year). */
  averageScore: z.number().nullable(),
  hits: z.array(ZHitSchema),
  deductionsThisYear: z.number(),
  /** The average check score (none: 0) minus the deductions: what the renewal cap orders by. */
  yearScore: z.number(),
  /** Problems in the last 12 months at the premises (unit's, or within the radius). */
  problems: z.array(ZHolderProblemSchema),
  problemRadiusM: z.number(),
  reviews: z.array(
    z.object({
      reviewId: z.number().int(),
      name: z.string(),
      year: z.number().int(),
      reviewStatus: z.enum(['open', 'closed']),
      filedAt: z.string().nullable(),
      outcome: z.enum(['keep', 'rectify', 'revoke']).nullable(),
      finalOutcome: z.enum(['keep', 'rectify', 'revoke', 'relinquished', 'capped']).nullable(),
    }),
  ),
});
export type THolderRecord = z.infer<typeof ZHolderRecordSchema>;
export const ZHolderRecordQuerySchema = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
});

// — 复审 —

export const REVIEW_OUTCOMES = ['keep', 'rectify', 'revoke'] as const;
export type TReviewOutcome = (typeof REVIEW_OUTCOMES)[number];
export const FINAL_OUTCOMES = ['keep', 'rectify', 'revoke', 'relinquished', 'capped'] as const;
export type TFinalOutcome = (typeof FINAL_OUTCOMES)[number];
export const FINAL_OUTCOME_LABELS: Record<TFinalOutcome, { zh: string; en: string }> = {
  keep: { zh: '保留', en: 'Kept' },
  rectify: { zh: '限期整改', en: 'Rectify by deadline' },
  revoke: { zh: '撤销', en: 'Revoked' },
  relinquished: { zh: '未报送，视为放弃', en: 'Not filed: relinquished' },
  capped: { zh: '超出保留比例，末位淘汰', en: 'Over the renewal cap: dropped' },
};
export const REVIEW_SCOPES = ['current', 'expiring'] as const;
export const REVIEW_SCOPE_LABELS: Record<
  (typeof REVIEW_SCOPES)[number],
  { zh: string; en: string }
> = {
  current: { zh: '有效期内的全部称号', en: 'All titles in their term' },
  expiring: { zh: '当年到期的称号', en: 'Titles whose term ends that year' },
};

const cap = z
  .number()
  .int()
  .min(1, bi('保留比例为 1–100%', 'the cap is 1–100 %'))
  .max(100, bi('保留比例为 1–100%', 'the cap is 1–100 %'))
  .nullable();

export const ZReviewInputSchema = z.object({
  cellType: z.enum(CELL_TYPES),
  year: z.number().int().min(2000).max(2100),
  name: text(80, '名称', 'the name').optional(),
  scope: z.enum(REVIEW_SCOPES).default('current'),
  filingDeadline: day,
  renewalCapPct: cap.optional(),
});
export type TReviewInput = z.output<typeof ZReviewInputSchema>;
export const ZReviewPatchSchema = z.object({
  version: z.number().int().positive(),
  name: text(80, '名称', 'the name').optional(),
  filingDeadline: day.optional(),
  renewalCapPct: cap.optional(),
});
export type TReviewPatch = z.output<typeof ZReviewPatchSchema>;

export const ZFilingInputSchema = z.object({
  report: text(5000, '复审报告', 'the report'),
});
export const ZOutcomeInputSchema = z.object({
  outcome: z.enum(REVIEW_OUTCOMES),
  rectifyDeadline: day.nullable().optional(),
  note,
});
export type TOutcomeInput = z.output<typeof ZOutcomeInputSchema>;
export const ZReviewHolderParamSchema = z.object({
  id: z.coerce.number().int().positive(),
  honourId: z.coerce.number().int().positive(),
});

export const ZReviewHolderSchema = z.object({
  honourId: z.number().int(),
  holderName: z.string(),
  title: z.string(),
  level: z.enum(HONOUR_LEVELS),
  regionName: z.string().nullable(),
  status: z.enum(HONOUR_STATUSES),
  report: z.string().nullable(),
  filedAt: z.string().nullable(),
  outcome: z.enum(REVIEW_OUTCOMES).nullable(),
  rectifyDeadline: z.string().nullable(),
  outcomeNote: z.string().nullable(),
  finalOutcome: z.enum(FINAL_OUTCOMES).nullable(),
  /** The year's average check score minus the year's deductions (live while open, frozen after). */
  score: z.number(),
  averageScore: z.number().nullable(),
  deductions: z.number(),
});
export type TReviewHolder = z.infer<typeof ZReviewHolderSchema>;

export const ZReviewBulletinSchema = z.object({
  title: z.string(),
  issuer: z.string(),
  cellType: z.enum(CELL_TYPES),
  year: z.number().int(),
  closedOn: z.string(),
  renewalCapPct: z.number().int().nullable(),
  underReview: z.number().int(),
  /** How many may be kept under the cap (null: no cap). */
  capCount: z.number().int().nullable(),
  counts: z.record(z.enum(FINAL_OUTCOMES), z.number().int()),
  /** The rule that ordered who fell out, in words. */
  capRule: z.object({ zh: z.string(), en: z.string() }),
  rows: z.array(
    z.object({
      holderName: z.string(),
      title: z.string(),
      level: z.enum(HONOUR_LEVELS),
      regionName: z.string().nullable(),
      filed: z.boolean(),
      score: z.number(),
      finalOutcome: z.enum(FINAL_OUTCOMES),
      rectifyDeadline: z.string().nullable(),
      note: z.string().nullable(),
    }),
  ),
});
export type TReviewBulletin = z.infer<typeof ZReviewBulletinSchema>;

export const ZReviewSchema = z.object({
  id: z.number().int(),
  cellType: z.enum(CELL_TYPES),
  year: z.number().int(),
  name: z.string(),
  scope: z.enum(REVIEW_SCOPES),
  filingDeadline: z.string(),
  renewalCapPct: z.number().int().nullable(),
  officeRegionId: z.number().int().nullable(),
  officeRegionName: z.string().nullable(),
  status: z.enum(['open', 'closed']),
  closedAt: z.string().nullable(),
  holderCount: z.number().int(),
  filedCount: z.number().int(),
  version: z.number().int(),
});
export type TReview = z.infer<typeof ZReviewSchema>;
export const ZReviewDetailSchema = ZReviewSchema.extend({
  holders: z.array(ZReviewHolderSchema),
  bulletin: ZReviewBulletinSchema.nullable(),
});
export type TReviewDetail = z.infer<typeof ZReviewDetailSchema>;
export const ZListReviewsQuerySchema = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  cellType: z.enum(CELL_TYPES).optional(),
});
export const ZReviewCloseSchema = z.object({ version: z.number().int().positive() });
export const ZCheckListsSchema = ZCheckListSchema.array();
export const ZNegativeListsSchema = ZNegativeListSchema.array();
export const ZChecksSchema = ZCheckSchema.array();
export const ZReviewsSchema = ZReviewSchema.array();
