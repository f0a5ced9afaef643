import {
  SERVICE_CATEGORIES,
  SERVICE_EVENT_KINDS,
  SERVICE_ORDER_ACTIONS,
  SERVICE_ORDER_CHANNELS,
  SERVICE_ORDER_STATES,
  SERVICE_STEPS,
} from '../service-orders/lifecycle.js';
import { ZPageQuerySchema, zItems, zPage, zPatchOf } from './common.js';
import { z } from './zod-setup.js';

// 点单派单 (issue #24, item 4): a practice station's service menu, residents' orders (the public
// form, or a grid worker on their behalf), dispatch to a team, volunteers taking and serving
// them, the requester's confirmation, and the station's record.

const lat = z.number().min(3).max(54);
const lng = z.number().min(73).max(136);
const id = z.number().int().positive();

/** Mainland mobile numbers and landlines with area code; spaces and dashes are dropped. */
const PHONE = /^(?:1\d{10}|0\d{2,3}\d{7,8})$/;
const ZContactPhone = z
  .string()
  .transform((s) => s.replace(/[\s-]/g, ''))
  .refine((s) => PHONE.test(s), {
    message:
      '请填写正确的手机号或带区号的固定电话 / enter a mobile number or a landline with area code',
  });
const ZContactName = z
  .string()
  .trim()
  .min(1, { message: '请填写联系人 / the contact’s name is required' })
  .max(40, { message: '姓名最多 40 个字 / at most 40 characters' });
const ZNeed = z
  .string()
  .trim()
  .min(5, { message: '请描述需求，至少 5 个字 / describe the need in at least 5 characters' })
  .max(500, { message: '需求最多 500 个字 / at most 500 characters' });
const ZAddress = z
  .string()
  .trim()
  .min(2, { message: '请填写服务地址 / the address is required' })
  .max(200, { message: '地址最多 200 个字 / at most 200 characters' });
const ZPreferredTime = z
  .string()
  .trim()
  .max(100, { message: '期望时间最多 100 个字 / at most 100 characters' })
  .optional();
const ZReason = z
  .string()
  .trim()
  .min(1, { message: '请填写原因 / a reason is required' })
  .max(300, { message: '最多 300 个字 / at most 300 characters' });

// ---------------------------------------------------------------- the menu

export const ZServiceItemInputSchema = z.object({
  placeId: id,
  name: z.string().trim().min(1).max(40),
  category: z.enum(SERVICE_CATEGORIES),
  description: z.string().trim().max(500).nullable().optional(),
  /** The teams able to serve it (an order is dispatched to one of them). */
  teamIds: z.array(id).max(20).default([]),
  volunteersNeeded: z.number().int().min(1).max(10).default(1),
  active: z.boolean().default(true),
});
export type TServiceItemInput = z.infer<typeof ZServiceItemInputSchema>;
/** An edit at the version read; the station stays (another station's service is a new item). */
export const ZServiceItemPatchSchema = zPatchOf(
  ZServiceItemInputSchema.omit({ placeId: true }),
).extend({ version: z.number().int().positive() });
export type TServiceItemPatch = z.infer<typeof ZServiceItemPatchSchema>;

export const ZServiceItemSchema = z.object({
  id: z.number().int(),
  placeId: z.number().int(),
  placeName: z.string(),
  name: z.string(),
  category: z.enum(SERVICE_CATEGORIES),
  description: z.string().nullable(),
  teams: z.array(z.object({ id: z.number().int(), name: z.string() })),
  volunteersNeeded: z.number().int(),
  active: z.boolean(),
  version: z.number().int(),
});
export type TServiceItem = z.infer<typeof ZServiceItemSchema>;
export const ZServiceItemsSchema = zItems(ZServiceItemSchema);
export const ZServiceItemsQuerySchema = z.object({
  placeId: z.coerce.number().int().positive().optional(),
});

/** The public menu: stations with what they offer now (no staff, no teams). */
export const ZPublicServiceMenuSchema = z.object({
  stations: z.array(
    z.object({
      id: z.number().int(),
      kind: z.string(),
      name: z.string(),
      address: z.string().nullable(),
      lat: z.number().nullable(),
      lng: z.number().nullable(),
      regionName: z.string().nullable(),
      openingHours: z.string().nullable(),
      items: z.array(
        z.object({
          id: z.number().int(),
          name: z.string(),
          category: z.enum(SERVICE_CATEGORIES),
          description: z.string().nullable(),
        }),
      ),
    }),
  ),
});
export type TPublicServiceMenu = z.infer<typeof ZPublicServiceMenuSchema>;

// ---------------------------------------------------------------- ordering

const orderFields = {
  itemId: id,
  need: ZNeed,
  preferredTime: ZPreferredTime,
  address: ZAddress,
  lat: lat.optional(),
  lng: lng.optional(),
  contactName: ZContactName,
  contactPhone: ZContactPhone,
};
const bothOrNeither = (o: { lat?: number | undefined; lng?: number | undefined }) =>
  (o.lat === undefined) === (o.lng === undefined);
const positionPair = {
  message: '位置需同时包含纬度和经度 / a position needs both latitude and longitude',
  path: ['lat'],
};

/** A resident's order through the public page (JSON). */
export const ZPublicServiceOrderSchema = z
  .object({
    ...orderFields,
    /** A random id the page keeps in the browser: the per-device limit counts by it. */
    deviceId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{8,64}$/, '设备标识无效 / invalid device id')
      .optional(),
    /** Honeypot: hidden from people; a bot that fills it is refused. */
    website: z.string().max(200).optional(),
  })
  .refine(bothOrNeither, positionPair);
export type TPublicServiceOrder = z.infer<typeof ZPublicServiceOrderSchema>;

export const ZPublicServiceOrderResultSchema = z.object({
  trackingCode: z.string(),
  orderedAt: z.string(),
});

/** An order placed by a grid worker (or the office) for a resident, from the phone's queue. */
export const ZServiceOrderInputSchema = z
  .object({ ...orderFields, clientId: z.uuid() })
  .refine(bothOrNeither, positionPair);
export type TServiceOrderInput = z.infer<typeof ZServiceOrderInputSchema>;

// ---------------------------------------------------------------- the order

export const ZServiceOrderSchema = z.object({
  id: z.number().int(),
  trackingCode: z.string(),
  channel: z.enum(SERVICE_ORDER_CHANNELS),
  state: z.enum(SERVICE_ORDER_STATES),
  placeId: z.number().int(),
  placeName: z.string(),
  itemId: z.number().int(),
  itemName: z.string(),
  category: z.enum(SERVICE_CATEGORIES),
  need: z.string(),
  preferredTime: z.string().nullable(),
  address: z.string(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  /** Masked (张**, 139****5678): the full contact is asked for, and audited (…/contact). */
  contactName: z.string(),
  contactPhone: z.string(),
  /** The staff member who ordered for the resident (null: the public form). */
  orderedByName: z.string().nullable(),
  teamId: z.number().int().nullable(),
  teamName: z.string().nullable(),
  deadline: z.string().nullable(),
  volunteersNeeded: z.number().int(),
  takers: z.array(
    z.object({
      volunteerId: z.number().int(),
      name: z.string(),
      takenAt: z.string(),
      checkInAt: z.string().nullable(),
      creditedMinutes: z.number().int(),
    }),
  ),
  orderedAt: z.string(),
  dispatchedAt: z.string().nullable(),
  takenAt: z.string().nullable(),
  onSiteAt: z.string().nullable(),
  doneAt: z.string().nullable(),
  confirmedAt: z.string().nullable(),
  declinedAt: z.string().nullable(),
  declineReason: z.string().nullable(),
  doneNote: z.string().nullable(),
  photos: z.array(z.object({ id: z.string(), url: z.string(), thumbUrl: z.string() })),
  satisfied: z.boolean().nullable(),
  comment: z.string().nullable(),
  confirmedBy: z.enum(['requester', 'station']).nullable(),
  confirmReason: z.string().nullable(),
  overdue: z.boolean(),
  /** What the reader may do with it now (the screen's buttons). */
  actions: z.array(z.enum(SERVICE_ORDER_ACTIONS)),
  version: z.number().int(),
});
export type TServiceOrder = z.infer<typeof ZServiceOrderSchema>;

export const ZServiceOrderEventSchema = z.object({
  at: z.string(),
  action: z.enum(SERVICE_EVENT_KINDS),
  by: z.string().nullable(),
  note: z.string().nullable(),
});
export const ZServiceOrderDetailSchema = ZServiceOrderSchema.extend({
  events: z.array(ZServiceOrderEventSchema),
});
export type TServiceOrderDetail = z.infer<typeof ZServiceOrderDetailSchema>;

export const ZServiceOrdersQuerySchema = ZPageQuerySchema.omit({ order: true }).extend({
  /** One state, or several separated by commas. */
  state: z
    .string()
    .regex(/^[a-z_]+(,[a-z_]+)*$/)
    .refine(
      (s) => s.split(',').every((x) => (SERVICE_ORDER_STATES as readonly string[]).includes(x)),
      {
        message: '状态无效 / unknown state',
      },
    )
    .optional(),
  placeId: z.coerce.number().int().positive().optional(),
  overdue: z.enum(['true', 'false']).optional(),
});
export type TServiceOrdersQuery = z.infer<typeof ZServiceOrdersQuerySchema>;
export const ZServiceOrderPageSchema = zPage(ZServiceOrderSchema);

// ---------------------------------------------------------------- the steps

const version = z.number().int().positive();

/** 派单: to a team able to serve it, with a deadline (and the seats, and a position if missing). */
export const ZDispatchInputSchema = z
  .object({
    teamId: id,
    deadline: z.iso.datetime({ offset: true }),
    volunteersNeeded: z.number().int().min(1).max(10).optional(),
    lat: lat.optional(),
    lng: lng.optional(),
    version,
  })
  .refine(bothOrNeither, positionPair);
export type TDispatchInput = z.infer<typeof ZDispatchInputSchema>;

export const ZDeclineInputSchema = z.object({ reason: ZReason, version });
/** The station confirms for a requester who did not answer in time, saying why. */
export const ZConfirmForInputSchema = z.object({ reason: ZReason, version });

/** A volunteer's take or release, from the phone's queue. */
export const ZTakeInputSchema = z.object({ clientId: z.uuid() });

/** When the phone did it (a queued step is sent later): at most a day old, never ahead of now. */
const at = z.iso.datetime({ offset: true }).optional();

/** Checking in at the address by the phone's position. */
export const ZServiceCheckinInputSchema = z.object({ clientId: z.uuid(), lat, lng, at });
export type TServiceCheckinInput = z.infer<typeof ZServiceCheckinInputSchema>;

/** Marking it done: what was done, photos uploaded first through POST /api/files. */
export const ZFinishInputSchema = z.object({
  clientId: z.uuid(),
  note: z
    .string()
    .trim()
    .min(2, { message: '请填写服务情况 / say what was done' })
    .max(500, { message: '最多 500 个字 / at most 500 characters' }),
  photoIds: z.array(z.uuid()).max(3).optional(),
  at,
});
export type TFinishInput = z.infer<typeof ZFinishInputSchema>;

/** The requester's contact in full, for those who serve the order (each look is audited). */
export const ZServiceContactSchema = z.object({
  contactName: z.string(),
  contactPhone: z.string(),
});

/** The volunteer's own: open orders of their team, and those they took. */
export const ZServiceTasksSchema = z.object({
  teamName: z.string().nullable(),
  open: z.array(ZServiceOrderSchema),
  mine: z.array(ZServiceOrderSchema),
});
export type TServiceTasks = z.infer<typeof ZServiceTasksSchema>;

// ---------------------------------------------------------------- tracking (public)

export const ZServiceCodeParamSchema = z.object({
  code: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^FW[2-9A-HJ-NP-Z]{10}$/, '查询码格式不正确 / not a tracking code'),
});

export const ZPublicServiceTrackSchema = z.object({
  trackingCode: z.string(),
  state: z.enum(SERVICE_ORDER_STATES),
  stationName: z.string(),
  itemName: z.string(),
  need: z.string(),
  preferredTime: z.string().nullable(),
  address: z.string(),
  contactName: z.string(),
  contactPhone: z.string(),
  teamName: z.string().nullable(),
  deadline: z.string().nullable(),
  /**
   * Each step with its time; a note only where it is the requester's to read (a decline, or their
   * own reason for cancelling).
   */
  timeline: z.array(
    z.object({ at: z.string(), action: z.enum(SERVICE_EVENT_KINDS), note: z.string().nullable() }),
  ),
  doneNote: z.string().nullable(),
  canConfirm: z.boolean(),
  /** The requester may still withdraw it (nobody on site yet). */
  canCancel: z.boolean(),
  satisfied: z.boolean().nullable(),
  comment: z.string().nullable(),
  confirmedBy: z.enum(['requester', 'station']).nullable(),
});
export type TPublicServiceTrack = z.infer<typeof ZPublicServiceTrackSchema>;

export const ZPublicConfirmInputSchema = z.object({
  satisfied: z.boolean(),
  comment: z
    .string()
    .trim()
    .max(300, { message: '最多 300 个字 / at most 300 characters' })
    .optional(),
});

/** 撤销点单: the requester withdraws the order, saying why if they like. */
export const ZPublicCancelInputSchema = z.object({
  reason: z
    .string()
    .trim()
    .max(200, { message: '最多 200 个字 / at most 200 characters' })
    .optional(),
});

// ---------------------------------------------------------------- the stations' record

export const ZServiceRecordQuerySchema = z.object({
  /** Orders placed in this month (YYYY-MM, Asia/Shanghai); all when absent. */
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式为 2026-12 / month as 2026-12')
    .optional(),
  placeId: z.coerce.number().int().positive().optional(),
});

const ZRecordFigures = z.object({
  orders: z.number().int(),
  byState: z.record(z.enum(SERVICE_ORDER_STATES), z.number().int()),
  /** Median minutes of each step over the orders that took it (null: none did). */
  medianMinutes: z.record(z.enum(SERVICE_STEPS), z.number().nullable()),
  overdue: z.number().int(),
  /** Confirmed by the requester with a verdict, and of those satisfied. */
  rated: z.number().int(),
  satisfied: z.number().int(),
  satisfactionPct: z.number().nullable(),
  /** Volunteer time credited on these orders (minutes). */
  volunteerMinutes: z.number().int(),
});
export const ZServiceRecordSchema = z.object({
  month: z.string().nullable(),
  stations: z.array(
    ZRecordFigures.extend({
      placeId: z.number().int(),
      placeName: z.string(),
      kind: z.string(),
      regionName: z.string().nullable(),
    }),
  ),
  totals: ZRecordFigures,
});
export type TServiceRecord = z.infer<typeof ZServiceRecordSchema>;
