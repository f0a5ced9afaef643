import {
  DEEDS_MAX,
  GOOD_PERSON_CATEGORIES,
  GOOD_PERSON_MONTH_STATES,
  NOMINATION_SOURCES,
  NOMINATION_STATUSES,
  UPWARD_LEVELS,
  UPWARD_STAGES,
} from '../good-people/labels.js';
import { z } from './zod-setup.js';

export * from '../good-people/labels.js';

// 身边好人 (issue #22, item 5): monthly nominations by units, communities and citizens, the
// office's review (评议), public voting, the month's 好人榜 and the path upward (省, 中国好人榜).

/** A month as YYYY-MM (2026-11). */
export const ZMonthSchema = z
  .string()
  .trim()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM / a month is written YYYY-MM');

const ZNomineeName = z
  .string()
  .trim()
  .min(1, { message: '请填写被推荐人姓名 / the nominee’s name is required' })
  .max(40, { message: '姓名最多 40 个字 / at most 40 characters' });
const ZDeeds = z
  .string()
  .trim()
  .min(20, { message: '事迹至少 20 个字 / describe the deeds in at least 20 characters' })
  .max(DEEDS_MAX, {
    message: `事迹最多 ${DEEDS_MAX} 个字 / the deeds have at most ${DEEDS_MAX} characters`,
  });

/** A nomination by staff (a unit, a community, an office), JSON. */
export const ZNominationInputSchema = z.object({
  month: ZMonthSchema,
  category: z.enum(GOOD_PERSON_CATEGORIES),
  nomineeName: ZNomineeName,
  deeds: ZDeeds,
  /** The nominee's place (a community, a street, a district). */
  regionId: z.number().int().positive(),
  /** A photo uploaded first through POST /api/files by the same user. */
  photoId: z.uuid().nullable().optional(),
});
export type TNominationInput = z.infer<typeof ZNominationInputSchema>;

const PHONE = /^(?:1\d{10}|0\d{2,3}-?\d{7,8})$/;

/** The public form's fields (multipart: these and an optional `photo` file). */
export const ZPublicNominationSchema = z.object({
  category: z.enum(GOOD_PERSON_CATEGORIES),
  nomineeName: ZNomineeName,
  deeds: ZDeeds,
  regionId: z.coerce.number().int().positive(),
  /** The nominator, kept for the office only (never shown on a public page). */
  nominatorName: z
    .string()
    .trim()
    .min(1, { message: '请填写推荐人姓名 / your name is required' })
    .max(40, { message: '姓名最多 40 个字 / at most 40 characters' }),
  nominatorPhone: z
    .string()
    .transform((s) => s.replace(/[\s-]/g, ''))
    .refine((s) => PHONE.test(s), {
      message:
        '请填写正确的手机号或带区号的固定电话 / enter a mobile number or a landline with area code',
    }),
  deviceId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/, '设备标识无效 / invalid device id')
    .optional(),
  /** Honeypot: hidden from people; a bot that fills it is refused. */
  website: z.string().max(200).optional(),
});
export type TPublicNomination = z.infer<typeof ZPublicNominationSchema>;

export const ZPublicNominationResultSchema = z.object({
  month: z.string(),
  receivedAt: z.string(),
});

/** A change of a nomination's status at its version. */
export const ZNominationStatusInputSchema = z.object({
  status: z.enum(['shortlisted', 'rejected', 'honoured']),
  version: z.number().int().positive(),
  /** Required when rejecting. */
  reason: z
    .string()
    .trim()
    .max(500, { message: '原因最多 500 个字 / the reason has at most 500 characters' })
    .optional(),
  /** The place on the month's 好人榜 (required when honouring). */
  rank: z.number().int().min(1).max(100).optional(),
});
export type TNominationStatusInput = z.infer<typeof ZNominationStatusInputSchema>;

/** One step of the path upward. */
export const ZUpwardStepInputSchema = z.object({
  level: z.enum(UPWARD_LEVELS),
  stage: z.enum(UPWARD_STAGES),
  /** YYYY-MM-DD */
  on: z.iso.date({ message: '日期格式应为 YYYY-MM-DD / a date is written YYYY-MM-DD' }),
  note: z
    .string()
    .trim()
    .max(300, { message: '备注最多 300 个字 / the note has at most 300 characters' })
    .optional(),
});
export type TUpwardStepInput = z.infer<typeof ZUpwardStepInputSchema>;

export const ZUpwardStepSchema = z.object({
  id: z.number().int(),
  level: z.enum(UPWARD_LEVELS),
  stage: z.enum(UPWARD_STAGES),
  on: z.string(),
  note: z.string().nullable(),
});
export type TUpwardStep = z.infer<typeof ZUpwardStepSchema>;

export const ZNominationSchema = z.object({
  id: z.number().int(),
  month: z.string(),
  category: z.enum(GOOD_PERSON_CATEGORIES),
  nomineeName: z.string(),
  deeds: z.string(),
  regionId: z.number().int(),
  regionName: z.string(),
  photoId: z.string().nullable(),
  source: z.enum(NOMINATION_SOURCES),
  /** The nominating unit's or community's name; 群众 for a citizen. */
  nominatorLabel: z.string(),
  /** A citizen nominator's name and phone: only for reviewers (null otherwise). */
  citizenName: z.string().nullable(),
  citizenPhone: z.string().nullable(),
  status: z.enum(NOMINATION_STATUSES),
  reason: z.string().nullable(),
  rank: z.number().int().nullable(),
  voteCount: z.number().int(),
  steps: z.array(ZUpwardStepSchema),
  version: z.number().int(),
  createdAt: z.string(),
  reviewedAt: z.string().nullable(),
});
export type TNomination = z.infer<typeof ZNominationSchema>;

export const ZNominationsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
  month: ZMonthSchema.optional(),
  status: z.enum(NOMINATION_STATUSES).optional(),
  category: z.enum(GOOD_PERSON_CATEGORIES).optional(),
  /** Nominees placed in this region or below it. */
  regionId: z.coerce.number().int().positive().optional(),
});
export type TNominationsQuery = z.infer<typeof ZNominationsQuerySchema>;

export const ZNominationsPageSchema = z.object({
  items: z.array(ZNominationSchema),
  nextCursor: z.string().nullable(),
  total: z.number().int(),
});

export const ZMonthParamSchema = z.object({ month: ZMonthSchema });

export const ZGoodPersonMonthSchema = z.object({
  month: z.string(),
  state: z.enum(GOOD_PERSON_MONTH_STATES),
  /** 0 while the month has never moved (no record yet). */
  version: z.number().int(),
  votingOpenedAt: z.string().nullable(),
  votingClosedAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
});
export type TGoodPersonMonth = z.infer<typeof ZGoodPersonMonthSchema>;

export const ZMonthStateInputSchema = z.object({
  state: z.enum(['voting', 'closed', 'published']),
  /** The month's version as read (0 for a month that has not moved yet). */
  version: z.number().int().min(0),
});
export type TMonthStateInput = z.infer<typeof ZMonthStateInputSchema>;

// ----- public -----

/** A nominee as the public pages show them: no nominator, no contact, no reviewer notes. */
export const ZPublicGoodPersonSchema = z.object({
  id: z.number().int(),
  month: z.string(),
  category: z.enum(GOOD_PERSON_CATEGORIES),
  nomineeName: z.string(),
  deeds: z.string(),
  regionName: z.string(),
  rank: z.number().int().nullable(),
  voteCount: z.number().int(),
  photoUrl: z.string().nullable(),
  thumbUrl: z.string().nullable(),
  steps: z.array(ZUpwardStepSchema.omit({ id: true, note: true })),
});
export type TPublicGoodPerson = z.infer<typeof ZPublicGoodPersonSchema>;

export const ZPublicBoardQuerySchema = z.object({ month: ZMonthSchema.optional() });

/** The 好人榜 of a published month (the latest unless asked), and the months published. */
export const ZPublicBoardSchema = z.object({
  month: z.string().nullable(),
  months: z.array(z.string()),
  honoured: z.array(ZPublicGoodPersonSchema),
});
export type TPublicBoard = z.infer<typeof ZPublicBoardSchema>;

/** The shortlist of the month whose vote is open (null when none is). */
export const ZPublicVotingSchema = z.object({
  month: z.string().nullable(),
  candidates: z.array(ZPublicGoodPersonSchema),
});
export type TPublicVoting = z.infer<typeof ZPublicVotingSchema>;

export const ZPublicVoteInputSchema = z.object({
  /** A random id the page keeps in the browser: one vote per nominee per day counts by it. */
  deviceId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '设备标识无效 / invalid device id'),
});
export const ZPublicVoteResultSchema = z.object({ voteCount: z.number().int() });

/** The regions a public nominee may be placed in (the city's districts, streets, communities). */
export const ZPublicGoodPeopleSetupSchema = z.object({
  month: z.string(),
  nominationsOpen: z.boolean(),
  regions: z.array(z.object({ id: z.number().int(), name: z.string(), level: z.string() })),
});
export type TPublicGoodPeopleSetup = z.infer<typeof ZPublicGoodPeopleSetupSchema>;
