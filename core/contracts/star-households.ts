import { ZPhoneSchema, ZVersionSchema, zItems, zPage, zPatchOf } from './common.js';
import { STAR_RATING_STATUSES } from '../star-households/stars.js';
import { z } from './zod-setup.js';

// 文明家庭 / 十星级文明户 (issue #22, item 4): households of a grid rated by stars per criterion,
// proposed by grid workers or the community, reviewed by the office, published on the community's
// board (public: masked name, building-level place, stars — never the phone or full address).

export {
  STAR_RATING_STATUSES,
  STAR_RATING_STATUS_LABELS,
  TEN_STARS,
  currentStarYear,
  publicHouseholdName,
  type TStarRatingStatus,
} from '../star-households/stars.js';

const ZStarYear = z.coerce
  .number()
  .int()
  .min(2000, { message: '年度应在 2000 年以后 / the year is 2000 or later' })
  .max(2100, { message: '年度应在 2100 年以前 / the year is before 2100' });

// ---------------------------------------------------------------- criteria

export const ZStarCriterionInputSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_]{1,39}$/, {
      message:
        '代码为 2–40 位小写英文字母、数字或下划线 / the code is 2–40 lower-case letters, digits or _',
    }),
  name: z
    .string()
    .trim()
    .min(1, { message: '请填写星名 / the name is required' })
    .max(20, { message: '星名最多 20 个字 / at most 20 characters' }),
  nameEn: z
    .string()
    .trim()
    .min(1, { message: '请填写英文名 / the English name is required' })
    .max(60, { message: '英文名最多 60 个字符 / at most 60 characters' }),
  description: z
    .string()
    .trim()
    .max(300, { message: '说明最多 300 个字 / at most 300 characters' })
    .nullable()
    .optional(),
  sortOrder: z.number().int().min(0).max(999).default(0),
  active: z.boolean().default(true),
});
export type TStarCriterionInput = z.output<typeof ZStarCriterionInputSchema>;

/** An edit at a version; the code a rating stores does not change. */
export const ZStarCriterionPatchSchema = zPatchOf(
  ZStarCriterionInputSchema.omit({ code: true }),
).extend({ version: ZVersionSchema });
export type TStarCriterionPatch = z.output<typeof ZStarCriterionPatchSchema>;

export const ZStarCriterionSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  description: z.string().nullable(),
  sortOrder: z.number().int(),
  active: z.boolean(),
  version: z.number().int(),
});
export type TStarCriterion = z.infer<typeof ZStarCriterionSchema>;
export const ZStarCriteriaSchema = zItems(ZStarCriterionSchema);

// ---------------------------------------------------------------- households

const ZHouseholdFields = z.object({
  gridId: z.number().int().positive(),
  headName: z
    .string()
    .trim()
    .min(1, { message: '请填写户主姓名 / the head of household is required' })
    .max(30, { message: '户主姓名最多 30 个字 / at most 30 characters' }),
  /** The full address (private: the office and the grid's workers). */
  address: z
    .string()
    .trim()
    .min(1, { message: '请填写住址 / the address is required' })
    .max(200, { message: '住址最多 200 个字 / at most 200 characters' }),
  /** 楼栋/单元 (no room number): the place the public board shows. */
  building: z
    .string()
    .trim()
    .max(60, { message: '楼栋单元最多 60 个字 / at most 60 characters' })
    .nullable()
    .optional(),
  phone: ZPhoneSchema.nullable().optional(),
  lat: z.number().min(3).max(54).nullable().optional(),
  lng: z.number().min(73).max(136).nullable().optional(),
});
export const ZStarHouseholdInputSchema = ZHouseholdFields;
export type TStarHouseholdInput = z.output<typeof ZStarHouseholdInputSchema>;

export const ZStarHouseholdPatchSchema = zPatchOf(ZHouseholdFields)
  .extend({ active: z.boolean().optional() })
  .extend({ version: ZVersionSchema });
export type TStarHouseholdPatch = z.output<typeof ZStarHouseholdPatchSchema>;

export const ZStarRatingSchema = z.object({
  id: z.number().int(),
  householdId: z.number().int(),
  year: z.number().int(),
  status: z.enum(STAR_RATING_STATUSES),
  /** The criteria codes awarded. */
  stars: z.array(z.string()),
  starCount: z.number().int(),
  /** Approved with ten stars: a 十星级文明户. */
  tenStar: z.boolean(),
  note: z.string().nullable(),
  proposedById: z.number().int().nullable(),
  proposedByName: z.string().nullable(),
  proposedAt: z.string(),
  reviewedByName: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  returnReason: z.string().nullable(),
  /** The 文明家庭 title the household was registered as (the honours registry). */
  honourId: z.number().int().nullable(),
  version: z.number().int(),
});
export type TStarRating = z.infer<typeof ZStarRatingSchema>;

export const ZStarHouseholdSchema = z.object({
  id: z.number().int(),
  gridId: z.number().int(),
  gridName: z.string(),
  regionId: z.number().int(),
  regionName: z.string(),
  headName: z.string(),
  address: z.string(),
  building: z.string().nullable(),
  /** Masked (138****5678) in lists; in full on the household's own page. */
  phone: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  active: z.boolean(),
  version: z.number().int(),
  /** The rating of the year asked for (none yet: null). */
  rating: ZStarRatingSchema.nullable(),
});
export type TStarHousehold = z.infer<typeof ZStarHouseholdSchema>;
export const ZStarHouseholdsPageSchema = zPage(ZStarHouseholdSchema);

/** `unrated`: no rating of the year yet. */
export const STAR_LIST_STATUSES = ['unrated', ...STAR_RATING_STATUSES] as const;

export const ZListStarHouseholdsQuerySchema = z.object({
  year: ZStarYear.optional(),
  gridId: z.coerce.number().int().positive().optional(),
  /** Households of this region or below it. */
  regionId: z.coerce.number().int().positive().optional(),
  status: z.enum(STAR_LIST_STATUSES).optional(),
  q: z.string().trim().max(50).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type TListStarHouseholdsQuery = z.output<typeof ZListStarHouseholdsQuerySchema>;

export const ZStarYearQuerySchema = z.object({ year: ZStarYear.optional() });

// ---------------------------------------------------------------- ratings

export const ZProposeStarRatingSchema = z.object({
  year: ZStarYear,
  /** Criteria codes of the stars proposed (each once). */
  stars: z
    .array(z.string().trim().min(1).max(40))
    .max(30)
    .refine((s) => new Set(s).size === s.length, {
      message: '同一颗星只能评一次 / each star at most once',
    }),
  note: z
    .string()
    .trim()
    .max(500, { message: '说明最多 500 个字 / at most 500 characters' })
    .nullable()
    .optional(),
  /** The phone's id: a retried send returns the same proposal. */
  clientId: z.uuid().optional(),
  /** Proposing again over a returned (or still pending) rating: its version. */
  version: ZVersionSchema.optional(),
});
export type TProposeStarRating = z.output<typeof ZProposeStarRatingSchema>;

export const ZReviewStarRatingSchema = z.object({
  version: ZVersionSchema,
  decision: z.enum(['approve', 'return']),
  /** Why it is returned (required to return). */
  reason: z
    .string()
    .trim()
    .max(500, { message: '原因最多 500 个字 / at most 500 characters' })
    .optional(),
});
export type TReviewStarRating = z.output<typeof ZReviewStarRatingSchema>;

export const ZRegisterStarHonourSchema = z.object({
  version: ZVersionSchema,
  level: z.enum(['county', 'city']),
});
export type TRegisterStarHonour = z.output<typeof ZRegisterStarHonourSchema>;

// ---------------------------------------------------------------- coverage

export const ZStarCoverageQuerySchema = z.object({
  year: ZStarYear.optional(),
  regionId: z.coerce.number().int().positive().optional(),
});

export const ZStarCoverageRowSchema = z.object({
  regionId: z.number().int(),
  regionName: z.string(),
  /** Active households registered in the community's grids. */
  households: z.number().int(),
  /** Households with an approved rating of the year. */
  rated: z.number().int(),
  proposed: z.number().int(),
  returned: z.number().int(),
  tenStar: z.number().int(),
  /** rated / households (0 when none registered). */
  rate: z.number(),
  /** Approved ratings by number of stars: index 0…10 (more than ten counts as ten). */
  distribution: z.array(z.number().int()),
});
export type TStarCoverageRow = z.infer<typeof ZStarCoverageRowSchema>;
export const ZStarCoverageSchema = z.object({
  year: z.number().int(),
  items: z.array(ZStarCoverageRowSchema),
});
export type TStarCoverage = z.infer<typeof ZStarCoverageSchema>;

// ---------------------------------------------------------------- public board

export const ZStarBoardQuerySchema = z.object({
  regionId: z.coerce.number().int().positive(),
  year: ZStarYear.optional(),
});
export const ZStarBoardCommunitiesQuerySchema = z.object({ year: ZStarYear.optional() });

export const ZStarBoardEntrySchema = z.object({
  /** The rating's id (a key for the page; it leads to nothing else). */
  id: z.number().int(),
  /** 张**户 */
  household: z.string(),
  /** 楼栋/单元 as the office recorded it for the public, or null. */
  building: z.string().nullable(),
  gridName: z.string(),
  starCount: z.number().int(),
  stars: z.array(z.object({ code: z.string(), name: z.string(), nameEn: z.string() })),
  tenStar: z.boolean(),
});
export type TStarBoardEntry = z.infer<typeof ZStarBoardEntrySchema>;
export const ZStarBoardSchema = z.object({
  regionId: z.number().int(),
  regionName: z.string(),
  year: z.number().int(),
  items: z.array(ZStarBoardEntrySchema),
});
export type TStarBoard = z.infer<typeof ZStarBoardSchema>;
export const ZStarBoardCommunitiesSchema = z.object({
  year: z.number().int(),
  items: z.array(
    z.object({
      regionId: z.number().int(),
      regionName: z.string(),
      households: z.number().int(),
      tenStar: z.number().int(),
    }),
  ),
});
export type TStarBoardCommunities = z.infer<typeof ZStarBoardCommunitiesSchema>;
