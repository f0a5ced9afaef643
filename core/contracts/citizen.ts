import { RATINGS } from '../citizen/replies.js';
import { ringProblem } from '../geo/polygon.js';
import { ZIdParamSchema } from './common.js';
import { z } from './zod-setup.js';

// The citizen channel: 随手拍 reports, tracking by code, the exposure board, the jurisdiction.

const ZLat = z.coerce.number().min(-90).max(90);
const ZLng = z.coerce.number().min(-180).max(180);

/** Mainland mobile numbers and landlines with area code; spaces and dashes are allowed. */
const PHONE = /^(?:1\d{10}|0\d{2,3}-?\d{7,8})$/;

/** The form fields of a report (multipart: these fields plus up to three `photo` files). */
export const ZCitizenReportSchema = z.object({
  categoryId: z.coerce.number().int().positive(),
  description: z.string().trim().min(5).max(500),
  lat: ZLat,
  lng: ZLng,
  address: z.string().trim().max(200).optional(),
  phone: z
    .string()
    .transform((s) => s.replace(/[\s-]/g, ''))
    .refine((s) => s === '' || PHONE.test(s), {
      message:
        '请填写正确的手机号或带区号的固定电话 / enter a mobile number or a landline with area code',
    })
    .optional(),
  /** 接收办理进度短信: text me as the problem moves (kept only with a phone). */
  smsOptIn: z.stringbool().optional(),
  /** A random id the page keeps in the browser: the per-device limit counts by it. */
  deviceId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/, '设备标识无效 / invalid device id')
    .optional(),
  /** Honeypot: hidden from people; a bot that fills it is refused. */
  website: z.string().max(200).optional(),
});
export type TCitizenReport = z.infer<typeof ZCitizenReportSchema>;

export const ZCitizenReportResponseSchema = z.object({
  trackingCode: z.string(),
  submittedAt: z.string(),
});

export const ZTrackingCodeParamSchema = z.object({
  code: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^SJ[2-9A-HJ-NP-Z]{10}$/, '查询码格式不正确 / not a tracking code'),
});

/** The photo in a public photo path (`…/photos/:fileId`). */
const ZPhotoFileIdParamSchema = z.object({ fileId: z.uuid() });
/** `/api/public/track/:code/photos/:fileId`: a photo of a tracked report. */
export const ZTrackedPhotoParamsSchema = ZTrackingCodeParamSchema.extend(
  ZPhotoFileIdParamSchema.shape,
);
/** `/api/public/exposure/:id/photos/:fileId`: a photo of a published problem. */
export const ZExposurePhotoParamsSchema = ZIdParamSchema.extend(ZPhotoFileIdParamSchema.shape);

export const ZPublicPhotoSchema = z.object({
  url: z.string(),
  thumbUrl: z.string(),
  stage: z.enum(['before', 'after', 'verify']),
});

/** What anyone holding the code may see: no staff names, no phone numbers, no internal notes. */
export const ZTrackResponseSchema = z.object({
  trackingCode: z.string(),
  categoryName: z.string(),
  description: z.string().nullable(),
  address: z.string().nullable(),
  status: z.string(),
  statusLabel: z.object({ zh: z.string(), en: z.string() }),
  unitName: z.string().nullable(),
  submittedAt: z.string(),
  timeline: z.array(
    z.object({
      at: z.string(),
      label: z.object({ zh: z.string(), en: z.string() }),
      /** Only what the office wrote for the public: a rejection's reason. */
      publicNote: z.string().nullable(),
    }),
  ),
  photos: z.array(ZPublicPhotoSchema),
  /** The reporter asked for texts as the problem moves (the phone itself is never shown). */
  smsUpdates: z.boolean(),
  /** The reporter's part once the problem is closed: rate it once, reopen it once in a window. */
  feedback: z.object({
    canRate: z.boolean(),
    rating: z
      .object({ value: z.enum(RATINGS), comment: z.string().nullable(), at: z.string() })
      .nullable(),
    canReopen: z.boolean(),
    /** Until when the closed problem may be reopened (null when it cannot be). */
    reopenUntil: z.string().nullable(),
    reopenWindowDays: z.number().int(),
    reopened: z.object({ at: z.string(), reason: z.string() }).nullable(),
  }),
});
export type TTrackResponse = z.infer<typeof ZTrackResponseSchema>;

/** 评价: the reporter rates the result once the problem is closed (once). */
export const ZRateReportSchema = z.object({
  rating: z.enum(RATINGS),
  comment: z.string().trim().max(200).optional(),
});
export type TRateReport = z.infer<typeof ZRateReportSchema>;

/** 申请重新办理: the reporter says a closed problem is not fixed (once, within the window). */
export const ZReopenReportSchema = z.object({
  /** Required: checked by the service, so a missing one is refused in plain words. */
  reason: z.string().trim().max(500).optional(),
});
export type TReopenReport = z.infer<typeof ZReopenReportSchema>;

export const ZExposureItemSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  note: z.string().nullable(),
  categoryName: z.string(),
  address: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  unitName: z.string().nullable(),
  status: z.string(),
  statusLabel: z.object({ zh: z.string(), en: z.string() }),
  escalation: z.enum(['none', 'blue', 'yellow', 'red']),
  recurrence: z.boolean(),
  reportedAt: z.string(),
  publishedAt: z.string(),
  closedAt: z.string().nullable(),
  photos: z.array(ZPublicPhotoSchema),
});
export type TExposureItem = z.infer<typeof ZExposureItemSchema>;

export const ZExposurePageSchema = z.object({
  items: z.array(ZExposureItemSchema),
  nextCursor: z.string().nullable(),
});

export const ZExposureQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(50).default(20),
  cursor: z.string().max(200).optional(),
});

export const ZExposureStateSchema = z
  .object({ title: z.string(), note: z.string().nullable(), publishedAt: z.string() })
  .nullable();
export type TExposureState = z.infer<typeof ZExposureStateSchema>;

export const ZPublishExposureSchema = z.object({
  title: z.string().trim().min(2).max(60),
  note: z.string().trim().max(500).nullable().optional(),
});

const ZRing = z
  .array(z.tuple([z.number(), z.number()]))
  .min(4)
  .superRefine((ring, ctx) => {
    const problem = ringProblem(ring);
    if (problem)
      ctx.addIssue({ code: 'custom', message: `多边形无效 / invalid polygon: ${problem}` });
  });

/** A GeoJSON Polygon or MultiPolygon (WGS-84, [lng, lat]). */
export const ZAreaGeometrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Polygon'), coordinates: z.array(ZRing).min(1) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ZRing).min(1)).min(1) }),
]);

export const ZJurisdictionSchema = z.object({
  name: z.string().trim().min(1).max(50),
  geometry: ZAreaGeometrySchema,
});
export type TJurisdiction = z.infer<typeof ZJurisdictionSchema>;

/** The jurisdiction setting: null until the office sets one. */
export const ZJurisdictionSettingSchema = ZJurisdictionSchema.nullable();

/** What the public pages need before a report: the categories and the jurisdiction. */
export const ZCitizenSetupSchema = z.object({
  categories: z.array(
    z.object({ id: z.number().int(), name: z.string(), group: z.string().nullable() }),
  ),
  jurisdiction: ZJurisdictionSchema.nullable(),
  maxPhotos: z.number().int(),
});
