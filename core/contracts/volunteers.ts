import { checkIdNumber, normalizeIdNumber } from '../volunteers/id-number.js';
import { zPatchOf } from './common.js';
import { z } from './zod-setup.js';

type L = { zh: string; en: string };

export const VOLUNTEER_STATUSES = ['active', 'inactive'] as const;
export const VOLUNTEER_STATUS_LABELS: Record<(typeof VOLUNTEER_STATUSES)[number], L> = {
  active: { zh: '在册', en: 'Active' },
  inactive: { zh: '停用', en: 'Inactive' },
};

export const PLACE_KINDS = ['center', 'institute', 'station', 'lei_feng'] as const;
export type TPlaceKind = (typeof PLACE_KINDS)[number];
export const PLACE_KIND_LABELS: Record<TPlaceKind, L> = {
  center: { zh: '新时代文明实践中心', en: 'Civilization practice centre' },
  institute: { zh: '新时代文明实践所', en: 'Civilization practice institute' },
  station: { zh: '新时代文明实践站', en: 'Civilization practice station' },
  lei_feng: { zh: '学雷锋志愿服务站', en: 'Lei Feng volunteer station' },
};

const phone = z
  .string()
  .transform((s) => s.replace(/[\s-]/g, ''))
  .refine((s) => /^1\d{10}$/.test(s), {
    message: '请填写 11 位手机号 / an 11-digit mobile number',
  });

/**
 * 身份证号 (GB 11643: 18 characters, a real birth date, the check character), normalised: full-width
 * folded, spaces dropped, x upper-cased. Stored encrypted; never answered in full.
 */
export const zIdNumber = z
  .string()
  .max(40)
  .transform(normalizeIdNumber)
  .superRefine((s, ctx) => {
    const c = checkIdNumber(s);
    if (!c.ok) ctx.addIssue({ code: 'custom', message: `${c.message.zh} / ${c.message.en}` });
  });

export const ZVolunteerInputSchema = z.object({
  name: z.string().trim().min(1).max(50),
  phone,
  /** 实名: the ID number (null on an edit removes it). */
  idNumber: zIdNumber.nullable().optional(),
  organisation: z.string().trim().max(100).nullable().optional(),
  teamId: z.number().int().positive().nullable().optional(),
  skills: z.array(z.string().trim().min(1).max(20)).max(20).default([]),
  regionId: z.number().int().positive().nullable().optional(),
  status: z.enum(VOLUNTEER_STATUSES).default('active'),
  userId: z.number().int().positive().nullable().optional(),
});
export type TVolunteerInput = z.infer<typeof ZVolunteerInputSchema>;

export const ZVolunteerPatchSchema = zPatchOf(ZVolunteerInputSchema).extend({
  version: z.number().int().positive(),
});

export const ZVolunteerSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  /** In full for the office, masked (138****1234) for everyone else. */
  phone: z.string(),
  /** 身份证号, masked for everyone (110105********002X); null when not 实名 (未实名). */
  idNumberMasked: z.string().nullable(),
  /** 实名: an ID number is on file. */
  realName: z.boolean(),
  organisation: z.string().nullable(),
  teamId: z.number().int().nullable(),
  teamName: z.string().nullable(),
  skills: z.array(z.string()),
  regionId: z.number().int().nullable(),
  regionName: z.string().nullable(),
  status: z.enum(VOLUNTEER_STATUSES),
  userId: z.number().int().nullable(),
  version: z.number().int(),
  /** Credited minutes plus corrections. */
  totalMinutes: z.number().int(),
});
export type TVolunteer = z.infer<typeof ZVolunteerSchema>;

export const ZListVolunteersQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .regex(/^\d{1,10}$/)
    .optional(),
  q: z.string().trim().max(50).optional(),
  teamId: z.coerce.number().int().positive().optional(),
  regionId: z.coerce.number().int().positive().optional(),
  status: z.enum(VOLUNTEER_STATUSES).optional(),
  /** 实名 (`yes`: an ID number on file) or 未实名 (`no`). */
  realName: z.enum(['yes', 'no']).optional(),
});
export type TListVolunteersQuery = z.infer<typeof ZListVolunteersQuerySchema>;
/** The export's filters: the list's, without paging. */
export const ZVolunteerExportQuerySchema = ZListVolunteersQuerySchema.omit({
  limit: true,
  cursor: true,
});

export const ZVolunteerPageSchema = z.object({
  items: z.array(ZVolunteerSchema),
  nextCursor: z.string().nullable(),
  total: z.number().int(),
});

export const ZTeamInputSchema = z.object({
  name: z.string().trim().min(1).max(100),
  unitId: z.number().int().positive().nullable().optional(),
  regionId: z.number().int().positive().nullable().optional(),
});
export const ZTeamSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  unitId: z.number().int().nullable(),
  unitName: z.string().nullable(),
  regionId: z.number().int().nullable(),
  regionName: z.string().nullable(),
  members: z.number().int(),
  version: z.number().int(),
});
export type TTeam = z.infer<typeof ZTeamSchema>;
export const ZTeamsSchema = z.array(ZTeamSchema);

const lat = z.number().min(3).max(54);
const lng = z.number().min(73).max(136);

export const ZPlaceInputSchema = z.object({
  kind: z.enum(PLACE_KINDS),
  name: z.string().trim().min(1).max(100),
  regionId: z.number().int().positive().nullable().optional(),
  unitId: z.number().int().positive().nullable().optional(),
  address: z.string().trim().max(200).nullable().optional(),
  lat: lat.nullable().optional(),
  lng: lng.nullable().optional(),
  openingHours: z.string().trim().max(200).nullable().optional(),
  staff: z.array(z.string().trim().min(1).max(50)).max(30).default([]),
});
export type TPlaceInput = z.infer<typeof ZPlaceInputSchema>;
export const ZPlacePatchSchema = zPatchOf(ZPlaceInputSchema).extend({
  version: z.number().int().positive(),
});
export const ZPlaceSchema = z.object({
  id: z.number().int(),
  kind: z.enum(PLACE_KINDS),
  name: z.string(),
  regionId: z.number().int().nullable(),
  regionName: z.string().nullable(),
  unitId: z.number().int().nullable(),
  address: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  openingHours: z.string().nullable(),
  staff: z.array(z.string()),
  version: z.number().int(),
  /** Activities held here in the current month (Asia/Shanghai). */
  activitiesThisMonth: z.number().int(),
});
export type TPlace = z.infer<typeof ZPlaceSchema>;
export const ZPlacesSchema = z.array(ZPlaceSchema);

export const ZActivityInputSchema = z
  .object({
    title: z.string().trim().min(1).max(100),
    description: z.string().trim().max(2000).nullable().optional(),
    startsAt: z.iso.datetime({ offset: true }),
    endsAt: z.iso.datetime({ offset: true }),
    placeId: z.number().int().positive().nullable().optional(),
    address: z.string().trim().max(200).nullable().optional(),
    lat: lat.nullable().optional(),
    lng: lng.nullable().optional(),
    regionId: z.number().int().positive().nullable().optional(),
    capacity: z.number().int().min(1).max(10_000),
    organiserUnitId: z.number().int().positive().nullable().optional(),
    organiserTeamId: z.number().int().positive().nullable().optional(),
  })
  .refine((a) => new Date(a.endsAt) > new Date(a.startsAt), {
    path: ['endsAt'],
    message: '结束时间应晚于开始时间 / the end must be after the start',
  })
  .refine((a) => new Date(a.endsAt).getTime() - new Date(a.startsAt).getTime() <= 7 * 86_400_000, {
    path: ['endsAt'],
    message: '一次活动最长 7 天 / an activity lasts at most 7 days',
  });
export type TActivityInput = z.infer<typeof ZActivityInputSchema>;

export const ZActivitySchema = z.object({
  id: z.number().int(),
  title: z.string(),
  description: z.string().nullable(),
  startsAt: z.string(),
  endsAt: z.string(),
  placeId: z.number().int().nullable(),
  placeName: z.string().nullable(),
  address: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  regionId: z.number().int().nullable(),
  capacity: z.number().int(),
  signedUp: z.number().int(),
  checkedIn: z.number().int(),
  organiserUnitId: z.number().int().nullable(),
  organiserUnitName: z.string().nullable(),
  organiserTeamId: z.number().int().nullable(),
  organiserTeamName: z.string().nullable(),
  status: z.enum(['published', 'cancelled']),
  version: z.number().int(),
  /** The signed-in volunteer's own state for this activity. */
  mine: z
    .object({
      signedUp: z.boolean(),
      checkInAt: z.string().nullable(),
      checkOutAt: z.string().nullable(),
    })
    .nullable(),
  photoIds: z.array(z.string()),
});
export type TActivity = z.infer<typeof ZActivitySchema>;
export const ZActivitiesSchema = z.array(ZActivitySchema);

export const ZListActivitiesQuerySchema = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  placeId: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

/** Cancelling an activity names the version the office saw. */
export const ZActivityCancelSchema = z.object({ version: z.number().int().positive() });

/** Photos taken at the activity: ids of files uploaded with POST /api/files first. */
export const ZActivityPhotosInputSchema = z.object({ fileIds: z.array(z.uuid()).min(1).max(20) });

/** The office records an attendance from the paper roster (补录); the client id makes it idempotent. */
export const ZAttendanceRecordInputSchema = z.object({
  clientId: z.uuid(),
  volunteerId: z.number().int().positive(),
  checkInAt: z.iso.datetime({ offset: true }),
  checkOutAt: z.iso.datetime({ offset: true }).nullable().optional(),
  reason: z.string().trim().min(2).max(200),
});
export type TAttendanceRecordInput = z.infer<typeof ZAttendanceRecordInputSchema>;

export const ZAttendeeSchema = z.object({
  volunteerId: z.number().int(),
  name: z.string(),
  phone: z.string(),
  teamName: z.string().nullable(),
  signedUp: z.boolean(),
  checkInAt: z.string().nullable(),
  checkOutAt: z.string().nullable(),
  method: z.string().nullable(),
  creditedMinutes: z.number().int(),
  estimated: z.boolean(),
});
export type TAttendee = z.infer<typeof ZAttendeeSchema>;
export const ZAttendeesSchema = z.array(ZAttendeeSchema);

/** What the organiser shows: a QR link with a signed, time-limited token and a short code. */
export const ZCheckinTokenSchema = z.object({
  token: z.string(),
  shortCode: z.string(),
  url: z.string(),
  expiresAt: z.string(),
  refreshInS: z.number().int(),
});
export type TCheckinToken = z.infer<typeof ZCheckinTokenSchema>;

/**
 * When the phone recorded a check-in or check-out: one made offline waits in the phone's queue
 * and is sent later, so the server takes this time (never later than its own, at most a day old)
 * for the check-in window, the QR code's window and the attendance. Not given: the time received.
 */
const checkinAt = z.iso.datetime({ offset: true }).optional();

/** A check-in or check-out from the phone: by the QR token (or its short code) or by GPS. */
export const ZCheckinInputSchema = z.discriminatedUnion('method', [
  z.object({
    method: z.literal('qr'),
    clientId: z.uuid(),
    token: z.string().min(1).max(200).optional(),
    shortCode: z
      .string()
      .regex(/^\d{6}$/)
      .optional(),
    at: checkinAt,
  }),
  z.object({ method: z.literal('gps'), clientId: z.uuid(), lat, lng, at: checkinAt }),
]);
export type TCheckinInput = z.infer<typeof ZCheckinInputSchema>;

export const ZCheckinResultSchema = z.object({
  activityId: z.number().int(),
  checkInAt: z.string(),
  checkOutAt: z.string().nullable(),
  creditedMinutes: z.number().int(),
  /** True when this request repeated one already recorded (same client id or already done). */
  repeated: z.boolean(),
  /** GPS: metres from the activity's place. */
  distanceM: z.number().nullable(),
});
export type TCheckinResult = z.infer<typeof ZCheckinResultSchema>;

export const ZAdjustmentInputSchema = z.object({
  minutes: z
    .number()
    .int()
    .min(-24 * 60)
    .max(24 * 60)
    .refine((m) => m !== 0, { message: '调整不能为 0 / a correction cannot be 0' }),
  reason: z.string().trim().min(2).max(200),
  activityId: z.number().int().positive().nullable().optional(),
});

export const ZLedgerSchema = z.object({
  volunteer: ZVolunteerSchema,
  entries: z.array(
    z.object({
      /**
       * `service`: the time served on a service order (点单派单), counted as attendance is;
       * `national`: hours recorded in the 全国志愿服务信息系统 and imported (source 全国系统).
       */
      kind: z.enum(['attendance', 'service', 'adjustment', 'national']),
      at: z.string(),
      activityId: z.number().int().nullable(),
      serviceOrderId: z.number().int().nullable().optional(),
      activityTitle: z.string().nullable(),
      checkInAt: z.string().nullable(),
      checkOutAt: z.string().nullable(),
      minutes: z.number().int(),
      estimated: z.boolean(),
      /** A correction's reason; for `national`, the national system's record id (or null). */
      reason: z.string().nullable(),
      by: z.string().nullable(),
    }),
  ),
  totalMinutes: z.number().int(),
});
export type TLedger = z.infer<typeof ZLedgerSchema>;

export const ZMonthQuerySchema = z.object({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式为 2026-12 / month as 2026-12'),
});

export const ZMonthlyRecordSchema = z.object({
  place: ZPlaceSchema,
  month: z.string(),
  activities: z.array(
    z.object({
      id: z.number().int(),
      title: z.string(),
      startsAt: z.string(),
      endsAt: z.string(),
      signedUp: z.number().int(),
      attended: z.number().int(),
      minutes: z.number().int(),
    }),
  ),
  totals: z.object({
    activities: z.number().int(),
    attended: z.number().int(),
    minutes: z.number().int(),
  }),
});
export type TMonthlyRecord = z.infer<typeof ZMonthlyRecordSchema>;

/** Settings of the volunteer module (the office edits them). */
export const ZVolunteerSettingsSchema = z.object({
  /** Registered volunteers as a share of the resident population, in percent (decision: 13). */
  targetRatePct: z.number().min(0).max(100),
  /** "Active" = served within this many days. */
  activeDays: z.number().int().min(1).max(366),
  /** GPS check-in within this many metres of the activity's place. */
  checkinRadiusM: z.number().int().min(10).max(5000),
  /** Lifetime of a QR token: it is valid for between one and two of these periods. */
  qrTtlSeconds: z.number().int().min(30).max(3600),
  /** How early before the start and how late after the end check-in/out is accepted. */
  checkinGraceMinutes: z.number().int().min(0).max(240),
  maxMinutesPerActivity: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  maxMinutesPerDay: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  missingCheckout: z.enum(['scheduled_end', 'none']),
});
export type TVolunteerSettings = z.infer<typeof ZVolunteerSettingsSchema>;

export const ZPopulationInputSchema = z.object({
  regionId: z.number().int().positive(),
  population: z.number().int().min(1).max(100_000_000),
});

export const ZVolunteerStatsSchema = z.object({
  settings: ZVolunteerSettingsSchema,
  registration: z.array(
    z.object({
      regionId: z.number().int(),
      regionName: z.string(),
      population: z.number().int(),
      registered: z.number().int(),
      ratePct: z.number(),
      meetsTarget: z.boolean(),
    }),
  ),
  totalRegistered: z.number().int(),
  /** Registered volunteers without an ID number on file (未实名). */
  notRealName: z.number().int(),
  activeVolunteers: z.number().int(),
  hoursByTeam: z.array(
    z.object({ teamId: z.number().int().nullable(), name: z.string(), minutes: z.number().int() }),
  ),
  hoursByRegion: z.array(
    z.object({
      regionId: z.number().int().nullable(),
      name: z.string(),
      minutes: z.number().int(),
    }),
  ),
  idlePlaces: z.array(
    z.object({ id: z.number().int(), name: z.string(), kind: z.enum(PLACE_KINDS) }),
  ),
});
export type TVolunteerStats = z.infer<typeof ZVolunteerStatsSchema>;
