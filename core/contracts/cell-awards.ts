import { zPatchOf } from './common.js';
import { ZDateSchema } from './frameworks.js';
import { CELL_TYPES, HONOUR_LEVELS } from './honours.js';
import { z } from './zod-setup.js';

// 文明细胞申报与测评 (issue #22, item 2): a year's call per cell type and level, applications with
// the applicant's report per standard, the eligibility vetoes, the item-by-item assessment against
// the call's framework, 公示 with objections, the decision and the certificate.

/** A call's stages, in order. */
export const CALL_STATUSES = ['draft', 'open', 'assessing', 'publicity', 'decided'] as const;
export type TCallStatus = (typeof CALL_STATUSES)[number];
export const CALL_STATUS_LABELS: Record<TCallStatus, { zh: string; en: string }> = {
  draft: { zh: '草稿', en: 'Draft' },
  open: { zh: '申报中', en: 'Open for applications' },
  assessing: { zh: '测评中', en: 'Assessing' },
  publicity: { zh: '公示中', en: 'Publicity' },
  decided: { zh: '已决定', en: 'Decided' },
};

/** 一票否决 within 2 years (全国文明单位测评体系, BRIEF §4). */
export const VETO_KEYS = [
  'leadership_violation',
  'staff_criminal_case',
  'safety_or_food_accident',
] as const;
export type TVetoKey = (typeof VETO_KEYS)[number];
export const VETO_LABELS: Record<TVetoKey, { zh: string; en: string }> = {
  leadership_violation: {
    zh: '近两年领导班子成员有严重违纪违法行为',
    en: 'Serious violation by the leadership within 2 years',
  },
  staff_criminal_case: {
    zh: '近两年职工发生刑事案件',
    en: 'Criminal case among staff within 2 years',
  },
  safety_or_food_accident: {
    zh: '近两年发生重大安全事故或食品安全事故',
    en: 'Major safety or food accident within 2 years',
  },
};

export const DECISIONS = ['conferred', 'not_conferred'] as const;
export type TDecision = (typeof DECISIONS)[number];
export const DECISION_LABELS: Record<TDecision, { zh: string; en: string }> = {
  conferred: { zh: '授予', en: 'Conferred' },
  not_conferred: { zh: '不予授予', en: 'Not conferred' },
};

export const OBJECTION_OUTCOMES = ['pending', 'upheld', 'dismissed'] as const;
export type TObjectionOutcome = (typeof OBJECTION_OUTCOMES)[number];
export const OBJECTION_OUTCOME_LABELS: Record<TObjectionOutcome, { zh: string; en: string }> = {
  pending: { zh: '核查中', en: 'Being checked' },
  upheld: { zh: '异议成立', en: 'Upheld' },
  dismissed: { zh: '异议不成立', en: 'Dismissed' },
};

/** An application's eligibility: every veto answered and none hit; `unchecked` until then. */
export type TEligibility = 'eligible' | 'ineligible' | 'unchecked';

/** Eligibility from the assessor's veto answers (one hit is enough to make it ineligible). */
export function eligibilityOf(vetoes: readonly { key: TVetoKey; hit: boolean }[]): TEligibility {
  if (vetoes.some((v) => v.hit)) return 'ineligible';
  return VETO_KEYS.every((k) => vetoes.some((v) => v.key === k)) ? 'eligible' : 'unchecked';
}

/** The call's next stage, the one `POST …/status` may move it to (publicity has its own route). */
export function nextCallStatus(s: TCallStatus): TCallStatus | null {
  const i = CALL_STATUSES.indexOf(s);
  return CALL_STATUSES[i + 1] ?? null;
}

const ZYear = z
  .number()
  .int()
  .min(2000, { message: '年度应在 2000 年以后 / the year is 2000 or later' })
  .max(2100, { message: '年度应在 2100 年以前 / the year is before 2100' });
const text = (max: number, zh: string, en: string) =>
  z
    .string()
    .trim()
    .max(max, { message: `${zh}最多 ${max} 个字 / ${en} has at most ${max} characters` });

const ZCallFields = z.object({
  year: ZYear,
  cellType: z.enum(CELL_TYPES),
  level: z.enum(HONOUR_LEVELS),
  title: text(100, '通知标题', 'the title').min(1, {
    message: '请填写申报通知标题 / the title is required',
  }),
  /** The title conferred; blank: the usual one of the type and level (市级文明单位). */
  honourTitle: text(60, '称号', 'the honour title').optional(),
  frameworkId: z.number().int().positive(),
  applicationDeadline: ZDateSchema,
  publicityDays: z
    .number()
    .int()
    .min(1, { message: '公示期为 1 至 30 天 / publicity lasts 1 to 30 days' })
    .max(30, { message: '公示期为 1 至 30 天 / publicity lasts 1 to 30 days' })
    .default(7),
  /** The managing 文明办's region; null: the city's (a district office's own by default). */
  officeRegionId: z.number().int().positive().nullable().optional(),
  notes: text(1000, '说明', 'the notes').nullable().optional(),
});
export const ZCreateCallSchema = ZCallFields;
export type TCreateCall = z.input<typeof ZCreateCallSchema>;
export type TCreateCallParsed = z.output<typeof ZCreateCallSchema>;

/** A draft's edit (a call that is open keeps its framework: applications are scored against it). */
export const ZCallPatchSchema = zPatchOf(
  ZCallFields.omit({ cellType: true, officeRegionId: true }),
).extend({ version: z.number().int().positive() });
export type TCallPatch = z.output<typeof ZCallPatchSchema>;

export const ZCallStatusInputSchema = z.object({
  version: z.number().int().positive(),
  status: z.enum(['open', 'assessing', 'decided']),
});
export type TCallStatusInput = z.infer<typeof ZCallStatusInputSchema>;

export const ZPublicityInputSchema = z.object({
  version: z.number().int().positive(),
  startDate: ZDateSchema,
  /** The 拟授予名单: the applications put to the public. */
  applicationIds: z
    .array(z.number().int().positive())
    .min(1, { message: '公示名单不能为空 / the list to publish is empty' })
    .max(500),
});
export type TPublicityInput = z.infer<typeof ZPublicityInputSchema>;

/** A standard of the call's framework version, with its project and content. */
export const ZCallStandardSchema = z.object({
  key: z.string(),
  code: z.string(),
  text: z.string(),
  itemText: z.string(),
  contentText: z.string(),
  method: z.string(),
  maxScore: z.number(),
});
export type TCallStandard = z.infer<typeof ZCallStandardSchema>;

export const ZCallSchema = z.object({
  id: z.number().int(),
  year: z.number().int(),
  cellType: z.enum(CELL_TYPES),
  level: z.enum(HONOUR_LEVELS),
  title: z.string(),
  honourTitle: z.string(),
  frameworkId: z.number().int(),
  frameworkName: z.string(),
  frameworkVersionId: z.number().int(),
  frameworkVersionNumber: z.number().int(),
  applicationDeadline: z.string(),
  publicityDays: z.number().int(),
  publicityStart: z.string().nullable(),
  publicityEnd: z.string().nullable(),
  officeRegionId: z.number().int().nullable(),
  officeRegionName: z.string().nullable(),
  status: z.enum(CALL_STATUSES),
  notes: z.string().nullable(),
  applications: z.number().int(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TCall = z.infer<typeof ZCallSchema>;

export const ZCallDetailSchema = ZCallSchema.extend({
  standards: z.array(ZCallStandardSchema),
  maxTotal: z.number(),
});
export type TCallDetail = z.infer<typeof ZCallDetailSchema>;

export const ZListCallsQuerySchema = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  cellType: z.enum(CELL_TYPES).optional(),
  status: z.enum(CALL_STATUSES).optional(),
});
export type TListCallsQuery = z.infer<typeof ZListCallsQuerySchema>;
export const ZCallsListSchema = z.object({ items: z.array(ZCallSchema) });

export const ZCreateApplicationSchema = z.object({
  /** Blank for a unit: the unit's name. */
  applicantName: text(100, '申报对象名称', 'the applicant name').optional(),
  unitId: z.number().int().positive().nullable().optional(),
  regionId: z.number().int().positive().nullable().optional(),
  contact: text(100, '联系人', 'the contact').nullable().optional(),
});
export type TCreateApplication = z.infer<typeof ZCreateApplicationSchema>;

export const ZVetoSchema = z.object({
  key: z.enum(VETO_KEYS),
  hit: z.boolean(),
  note: z.string().nullable(),
  checkedAt: z.string(),
});
export const ZScoreSchema = z.object({
  standardKey: z.string(),
  score: z.number(),
  note: z.string().nullable(),
});
export const ZMaterialSchema = z.object({
  standardKey: z.string(),
  report: z.string(),
  files: z.array(
    z.object({
      id: z.number().int(),
      fileId: z.string(),
      title: z.string(),
      mime: z.string(),
      size: z.number().int(),
    }),
  ),
});
export const ZObjectionSchema = z.object({
  id: z.number().int(),
  receivedOn: z.string(),
  raisedBy: z.string(),
  content: z.string(),
  handling: z.string().nullable(),
  outcome: z.enum(OBJECTION_OUTCOMES),
  version: z.number().int(),
  createdAt: z.string(),
});
export type TObjection = z.infer<typeof ZObjectionSchema>;

/** An application as its call's list shows it. */
export const ZApplicationSchema = z.object({
  id: z.number().int(),
  callId: z.number().int(),
  applicantName: z.string(),
  unitId: z.number().int().nullable(),
  unitName: z.string().nullable(),
  regionId: z.number().int().nullable(),
  regionName: z.string().nullable(),
  contact: z.string().nullable(),
  eligibility: z.enum(['eligible', 'ineligible', 'unchecked']),
  /** Sum of the standards scored so far. */
  totalScore: z.number(),
  scored: z.number().int(),
  proposed: z.boolean(),
  objections: z.number().int(),
  decision: z.enum(DECISIONS).nullable(),
  decisionNote: z.string().nullable(),
  decidedAt: z.string().nullable(),
  honourId: z.number().int().nullable(),
  version: z.number().int(),
});
export type TApplication = z.infer<typeof ZApplicationSchema>;
export const ZApplicationsListSchema = z.object({ items: z.array(ZApplicationSchema) });

export const ZApplicationDetailSchema = ZApplicationSchema.extend({
  assessorNotes: z.string().nullable(),
  assessedAt: z.string().nullable(),
  vetoes: z.array(ZVetoSchema),
  scores: z.array(ZScoreSchema),
  materials: z.array(ZMaterialSchema),
  objectionList: z.array(ZObjectionSchema),
  /** The conferred title, for the certificate. */
  honour: z
    .object({
      id: z.number().int(),
      title: z.string(),
      yearConferred: z.number().int(),
      termYears: z.number().int(),
      certificateNo: z.string(),
    })
    .nullable(),
});
export type TApplicationDetail = z.infer<typeof ZApplicationDetailSchema>;

export const ZApplicationParamsSchema = z.object({ id: z.coerce.number().int().positive() });
export const ZMaterialParamsSchema = z.object({
  id: z.coerce.number().int().positive(),
  standardKey: z.string().min(1).max(100),
});

/** The applicant's report on a standard (≤ 500 characters per indicator, BRIEF §4). */
export const ZMaterialInputSchema = z.object({
  report: z
    .string()
    .trim()
    .max(500, { message: '每项指标的申报材料最多 500 字 / at most 500 characters per indicator' }),
});

/** The assessment form: veto answers, scores by standard and the notes; what it leaves out stays. */
export const ZAssessmentInputSchema = z.object({
  version: z.number().int().positive(),
  vetoes: z
    .array(
      z.object({
        key: z.enum(VETO_KEYS),
        hit: z.boolean(),
        note: text(500, '说明', 'the note').nullable().optional(),
      }),
    )
    .max(VETO_KEYS.length)
    .optional(),
  scores: z
    .array(
      z.object({
        standardKey: z.string().min(1).max(100),
        score: z
          .number()
          .min(0, { message: '得分不能为负 / a score is not negative' })
          .multipleOf(0.01, { message: '得分最多两位小数 / at most two decimals' }),
        note: text(500, '说明', 'the note').nullable().optional(),
      }),
    )
    .max(500)
    .optional(),
  assessorNotes: text(2000, '测评意见', 'the assessor notes').nullable().optional(),
});
export type TAssessmentInput = z.infer<typeof ZAssessmentInputSchema>;

export const ZObjectionInputSchema = z.object({
  receivedOn: ZDateSchema,
  raisedBy: text(100, '异议人', 'who raised it').min(1, {
    message: '请填写异议人（可填“匿名”）/ say who raised it (or 匿名)',
  }),
  content: text(1000, '异议内容', 'the objection').min(1, {
    message: '请填写异议内容 / the objection is required',
  }),
  handling: text(1000, '处理情况', 'the handling').nullable().optional(),
  outcome: z.enum(OBJECTION_OUTCOMES).default('pending'),
});
export type TObjectionInput = z.output<typeof ZObjectionInputSchema>;
export const ZObjectionPatchSchema = z.object({
  version: z.number().int().positive(),
  handling: text(1000, '处理情况', 'the handling').nullable().optional(),
  outcome: z.enum(OBJECTION_OUTCOMES).optional(),
});
export type TObjectionPatch = z.infer<typeof ZObjectionPatchSchema>;
export const ZObjectionParamsSchema = z.object({
  id: z.coerce.number().int().positive(),
  objectionId: z.coerce.number().int().positive(),
});

export const ZDecisionInputSchema = z.object({
  version: z.number().int().positive(),
  decision: z.enum(DECISIONS),
  note: text(500, '说明', 'the note').nullable().optional(),
});
export type TDecisionInput = z.infer<typeof ZDecisionInputSchema>;

/** The form fields of a material file upload (before the file). */
export const ZMaterialFileFieldsSchema = z.object({
  title: z.string().trim().min(1).max(200).optional(),
});
