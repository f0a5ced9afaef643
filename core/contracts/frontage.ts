import { zPatchOf } from './common.js';
import { parseZoneText } from '../geo/zones.js';
import { z } from './zod-setup.js';

export const HOLDER_TYPES = ['shop', 'unit', 'institution', 'other'] as const;
export const HOLDER_TYPE_LABELS: Record<(typeof HOLDER_TYPES)[number], { zh: string; en: string }> =
  {
    shop: { zh: '沿街商户', en: 'Shop' },
    unit: { zh: '机关单位', en: 'Government unit' },
    institution: { zh: '企事业单位', en: 'Organisation' },
    other: { zh: '其他', en: 'Other' },
  };

export const PLAQUE_STATUSES = ['none', 'installed', 'damaged', 'missing'] as const;
export const PLAQUE_LABELS: Record<(typeof PLAQUE_STATUSES)[number], { zh: string; en: string }> = {
  none: { zh: '未设置', en: 'Not set up' },
  installed: { zh: '已公示', en: 'Displayed' },
  damaged: { zh: '破损', en: 'Damaged' },
  missing: { zh: '缺失', en: 'Missing' },
};

/** The usual duties; agreements list 三包 (three) or 五包 (five). */
export const DUTY_WORDS = ['市容', '环境卫生', '秩序', '绿化', '设施'] as const;

const ZPosition = z.tuple([z.number().min(73).max(136), z.number().min(3).max(54)]);
export const ZZoneSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('LineString'), coordinates: z.array(ZPosition).min(2).max(500) }),
  z.object({
    type: z.literal('Polygon'),
    coordinates: z.array(z.array(ZPosition).min(4).max(500)).length(1),
  }),
]);

/** A zone as GeoJSON, or as the "lng,lat;lng,lat" text spreadsheets use. */
export const ZZoneInputSchema = z
  .unknown()
  .transform((v, ctx) => {
    if (typeof v !== 'string') return v;
    const zone = parseZoneText(v);
    if (typeof zone === 'string') {
      ctx.addIssue({ code: 'custom', message: zone });
      return z.NEVER;
    }
    return zone;
  })
  .pipe(ZZoneSchema);

const PHONE = /^(?:1\d{10}|0\d{2,3}-?\d{7,8})$/;

export const ZFrontageDutyInputSchema = z.object({
  code: z.string().trim().min(1).max(40),
  holderName: z.string().trim().min(1).max(100),
  holderType: z.enum(HOLDER_TYPES),
  unitId: z.number().int().positive().nullable().optional(),
  regionId: z.number().int().positive().nullable().optional(),
  address: z.string().trim().max(200).nullable().optional(),
  contactName: z.string().trim().max(50).nullable().optional(),
  contactPhone: z
    .string()
    .transform((s) => s.replace(/[\s-]/g, ''))
    .refine((s) => s === '' || PHONE.test(s), {
      message: '请填写手机号或带区号的固定电话 / a mobile number or a landline with area code',
    })
    .nullable()
    .optional(),
  duties: z.array(z.string().trim().min(1).max(10)).max(8).default(['市容', '环境卫生', '秩序']),
  zone: ZZoneInputSchema,
  bufferM: z.number().min(0).max(100).default(10),
  agreementFileId: z.uuid().nullable().optional(),
  agreementSignedOn: z.iso.date().nullable().optional(),
  plaqueStatus: z.enum(PLAQUE_STATUSES).default('none'),
  active: z.boolean().default(true),
});
export type TFrontageDutyInput = z.infer<typeof ZFrontageDutyInputSchema>;

export const ZFrontageDutyPatchSchema = zPatchOf(ZFrontageDutyInputSchema).extend({
  version: z.number().int().positive(),
});

export const ZFrontageDutySchema = z.object({
  id: z.number().int(),
  code: z.string(),
  holderName: z.string(),
  holderType: z.enum(HOLDER_TYPES),
  unitId: z.number().int().nullable(),
  regionId: z.number().int().nullable(),
  regionName: z.string().nullable(),
  address: z.string().nullable(),
  contactName: z.string().nullable(),
  /** In full for the office, masked for others. */
  contactPhone: z.string().nullable(),
  duties: z.array(z.string()),
  zone: ZZoneSchema,
  bufferM: z.number(),
  agreementFileId: z.string().nullable(),
  agreementSignedOn: z.string().nullable(),
  plaqueStatus: z.enum(PLAQUE_STATUSES),
  active: z.boolean(),
  version: z.number().int(),
  /** Problems located in the zone in the last 90 days (all states). */
  recentProblems: z.number().int(),
});
export type TFrontageDuty = z.infer<typeof ZFrontageDutySchema>;

export const ZListFrontageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .regex(/^\d{1,10}$/)
    .optional(),
  q: z.string().trim().max(50).optional(),
  regionId: z.coerce.number().int().positive().optional(),
  plaqueStatus: z.enum(PLAQUE_STATUSES).optional(),
  signed: z.enum(['yes', 'no']).optional(),
});
export type TListFrontageQuery = z.infer<typeof ZListFrontageQuerySchema>;
/** The export's filters: the list's, without paging. */
export const ZFrontageExportQuerySchema = ZListFrontageQuerySchema.omit({
  limit: true,
  cursor: true,
});

export const ZFrontagePageSchema = z.object({
  items: z.array(ZFrontageDutySchema),
  nextCursor: z.string().nullable(),
  total: z.number().int(),
});

/** A problem located in a holder's zone (the holder's record). */
export const ZZoneProblemSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  title: z.string(),
  state: z.string(),
  createdAt: z.string(),
  distanceM: z.number(),
});
export const ZZoneProblemsSchema = z.array(ZZoneProblemSchema);

/** The holders whose zone a problem lies in, nearest first. */
export const ZProblemDutyHoldersSchema = z.array(
  z.object({
    id: z.number().int(),
    code: z.string(),
    holderName: z.string(),
    contactPhone: z.string().nullable(),
    distanceM: z.number(),
    recentProblems: z.number().int(),
  }),
);
