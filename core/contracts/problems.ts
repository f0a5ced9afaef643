import { PROBLEM_ACTIONS, PROBLEM_STATES } from '../problems/lifecycle.js';
import { ZPageQuerySchema, ZVersionSchema, zItems, zPage } from './common.js';
import { z } from './zod-setup.js';

export const PROBLEM_CHANNELS = [
  'inspection',
  'patrol',
  'citizen',
  'hotline',
  'media',
  'supervision',
  'office',
  'unit',
] as const;
export type TProblemChannel = (typeof PROBLEM_CHANNELS)[number];
export const PROBLEM_CHANNEL_LABELS: Record<TProblemChannel, { zh: string; en: string }> = {
  inspection: { zh: '测评督查', en: 'Inspection' },
  patrol: { zh: '网格巡查', en: 'Grid patrol' },
  citizen: { zh: '市民随手拍', en: 'Citizen report' },
  hotline: { zh: '12345热线', en: '12345 hotline' },
  media: { zh: '媒体曝光', en: 'Media exposure' },
  supervision: { zh: '领导督办', en: 'Supervision' },
  office: { zh: '创建办录入', en: 'Office entry' },
  unit: { zh: '单位自查', en: 'Unit self-report' },
};

export const SEVERITIES = ['normal', 'urgent', 'critical'] as const;
export type TSeverity = (typeof SEVERITIES)[number];
export const SEVERITY_LABELS: Record<TSeverity, { zh: string; en: string }> = {
  normal: { zh: '一般', en: 'Normal' },
  urgent: { zh: '紧急', en: 'Urgent' },
  critical: { zh: '特急', en: 'Critical' },
};

export const ESCALATION_LEVELS = ['none', 'blue', 'yellow', 'red'] as const;

export const ZCategorySchema = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  parentId: z.number().int().nullable(),
  deadlineDays: z
    .object({ normal: z.number(), urgent: z.number(), critical: z.number() })
    .nullable(),
  active: z.boolean(),
});
export type TCategory = z.infer<typeof ZCategorySchema>;
export const ZCategoryListSchema = zItems(ZCategorySchema);

export const ZProblemSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  categoryId: z.number().int(),
  categoryName: z.string(),
  severity: z.enum(SEVERITIES),
  channel: z.enum(PROBLEM_CHANNELS),
  state: z.enum(PROBLEM_STATES),
  escalation: z.enum(ESCALATION_LEVELS),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  address: z.string().nullable(),
  regionId: z.number().int().nullable(),
  regionName: z.string().nullable(),
  reporterName: z.string().nullable(),
  externalRef: z.string().nullable(),
  unitId: z.number().int().nullable(),
  unitName: z.string().nullable(),
  deadline: z.string().nullable(),
  reworkCount: z.number().int(),
  /** 反弹: the closed problem this one repeats. */
  recurrenceOfId: z.number().int().nullable(),
  /** A merged duplicate: the problem it was folded into. */
  mergedIntoId: z.number().int().nullable(),
  extensionPending: z.boolean(),
  extensionRequestedDeadline: z.string().nullable(),
  registeredAt: z.string().nullable(),
  dispatchedAt: z.string().nullable(),
  submittedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  /**
   * 交办: handed down by the office above to the 创建办 of this district or street, which dispatches
   * it to one of its own units; the office above keeps watching it.
   */
  handedTo: z
    .object({
      regionId: z.number().int(),
      name: z.string(),
      at: z.string(),
      /** 交办时限: to be dispatched by then. */
      dueAt: z.string().nullable(),
      /** Still waiting for the office below to dispatch it, past its 时限. */
      overdue: z.boolean(),
    })
    .nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TProblem = z.infer<typeof ZProblemSchema>;

export const ZProblemEventSchema = z.object({
  id: z.number().int(),
  action: z.string(),
  fromState: z.string().nullable(),
  toState: z.string(),
  actorName: z.string(),
  at: z.string(),
  note: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).nullable(),
});
export type TProblemEvent = z.infer<typeof ZProblemEventSchema>;

export const ZProblemPhotoSchema = z.object({
  id: z.string(),
  url: z.string(),
  thumbUrl: z.string(),
  stage: z.enum(['before', 'after', 'verify']),
  eventId: z.number().int().nullable(),
  takenAt: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
});
export type TProblemPhoto = z.infer<typeof ZProblemPhotoSchema>;

export const ZProblemDetailSchema = z.object({
  problem: ZProblemSchema,
  /** The reporter's phone: in full for the office, masked (138****8000) for everyone else. */
  reporterPhone: z.string().nullable().optional(),
  /** Open problems of the same category close by: candidates for a duplicate (intake only). */
  similar: z
    .array(
      z.object({
        id: z.number().int(),
        code: z.string(),
        title: z.string(),
        state: z.enum(PROBLEM_STATES),
        distanceM: z.number(),
      }),
    )
    .optional(),
  timeline: z.array(ZProblemEventSchema),
  /** What the signed-in user may do now. */
  actions: z.array(z.enum(PROBLEM_ACTIONS)),
  photos: z.array(ZProblemPhotoSchema),
});
export type TProblemDetail = z.infer<typeof ZProblemDetailSchema>;

const ZLatSchema = z.number().min(-90).max(90);
const ZLngSchema = z.number().min(-180).max(180);

export const ZCreateProblemRequestSchema = z
  .object({
    title: z.string().trim().min(2).max(100),
    description: z.string().trim().max(2000).nullable().optional(),
    categoryId: z.number().int().positive(),
    severity: z.enum(SEVERITIES).default('normal'),
    /** The office may record where a problem came from; units report as `unit`. */
    channel: z.enum(PROBLEM_CHANNELS).optional(),
    lat: ZLatSchema.nullable().optional(),
    lng: ZLngSchema.nullable().optional(),
    address: z.string().trim().max(200).nullable().optional(),
    regionId: z.number().int().positive().nullable().optional(),
    reporterName: z.string().trim().max(50).nullable().optional(),
    reporterPhone: z.string().trim().max(30).nullable().optional(),
    externalRef: z.string().trim().min(1).max(64).nullable().optional(),
    /** Office entry only: accept it at once (立案) instead of leaving it reported. */
    register: z.boolean().optional(),
    /** Photos uploaded with POST /api/files (before the fix). */
    photoIds: z.array(z.uuid()).max(9).optional(),
  })
  .refine((v) => (v.lat == null) === (v.lng == null), {
    message: '经纬度需同时填写 / give both latitude and longitude',
    path: ['lat'],
  });
export type TCreateProblemRequest = z.infer<typeof ZCreateProblemRequestSchema>;

/** 交办: hand a registered problem down to the 创建办 of a district or street that holds it. */
export const ZHandDownRequestSchema = z.object({
  version: ZVersionSchema,
  /** The district or street whose office is to dispatch it. */
  regionId: z.number().int().positive(),
  note: z.string().trim().max(500).nullish(),
  /**
   * 交办时限: working days the office below has to dispatch it (default
   * HAND_DOWN_DISPATCH_DAYS); past it, that office and the offices above are told.
   */
  dispatchDays: z.number().int().min(1).max(10).optional(),
});
/** The default 交办时限: the office below dispatches within one working day. */
export const HAND_DOWN_DISPATCH_DAYS = 1;
export type THandDownRequest = z.infer<typeof ZHandDownRequestSchema>;

/**
 * 确定区域: places a problem that has no region (未定位) — by a position (its grid and region are
 * found as at intake) or by naming the region — with the address if known.
 */
export const ZPlaceProblemRequestSchema = z
  .object({
    version: ZVersionSchema,
    regionId: z.number().int().positive().nullish(),
    lat: z.number().min(-90).max(90).nullish(),
    lng: z.number().min(-180).max(180).nullish(),
    address: z.string().trim().max(200).nullish(),
  })
  .refine((v) => (v.lat == null) === (v.lng == null), {
    message: '经纬度需同时填写 / give both latitude and longitude',
    path: ['lat'],
  })
  .refine((v) => v.regionId != null || v.lat != null, {
    message: '请给出位置或所属区域 / give a position or the region',
    path: ['regionId'],
  });
export type TPlaceProblemRequest = z.infer<typeof ZPlaceProblemRequestSchema>;

export const ZProblemActionRequestSchema = z
  .object({
    /** Merging has its own request (POST /api/problems/:id/merge): it names the other problem. */
    action: z.enum(PROBLEM_ACTIONS).exclude(['merge']),
    version: ZVersionSchema,
    note: z.string().trim().max(2000).nullable().optional(),
    /** dispatch: the responsible unit. */
    unitId: z.number().int().positive().optional(),
    /** dispatch: a deadline other than the category rule's; approve_extension: the new deadline. */
    deadline: z.iso.datetime({ offset: true }).optional(),
    /** request_extension: the deadline asked for. */
    extensionDeadline: z.iso.datetime({ offset: true }).optional(),
    /** submit: after-photos of the fix; approve/rework: photos of the on-site check. */
    photoIds: z.array(z.uuid()).max(9).optional(),
    /**
     * Generated on the phone: the same step sent again (a retry from the offline queue whose first
     * answer was lost) answers with the problem as it is, never takes the step twice or fails as
     * stale. Optional: the desktop pages send none.
     */
    clientId: z.uuid().optional(),
    /**
     * submit, approve, rework: where the phone was when the step was taken on site (WGS-84; a
     * phone's browser strips the GPS from the photos it uploads). Both or neither.
     */
    lat: ZLatSchema.nullish(),
    lng: ZLngSchema.nullish(),
  })
  .refine((v) => (v.lat == null) === (v.lng == null), {
    message: '经纬度需同时填写 / give both latitude and longitude',
    path: ['lat'],
  });
export type TProblemActionRequest = z.infer<typeof ZProblemActionRequestSchema>;

const ZCsv = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(z.enum(values)).max(values.length));

export const PROBLEM_SORTS = ['createdAt', 'deadline', 'updatedAt'] as const;
export const ZListProblemsQuerySchema = ZPageQuerySchema.extend({
  order: z.enum(['asc', 'desc']).default('desc'),
  sort: z.enum(PROBLEM_SORTS).default('createdAt'),
  q: z.string().trim().max(100).optional(),
  state: ZCsv(PROBLEM_STATES).optional(),
  escalation: ZCsv(ESCALATION_LEVELS).optional(),
  channel: ZCsv(PROBLEM_CHANNELS).optional(),
  severity: ZCsv(SEVERITIES).optional(),
  unitId: z.coerce.number().int().positive().optional(),
  regionId: z.coerce.number().int().positive().optional(),
  /**
   * `none`: 未定位 — problems without a region (no position, or one outside every grid and
   * region boundary), the city office's queue to place.
   */
  located: z.enum(['none']).optional(),
  /**
   * 交办: `waiting` — handed down and not yet dispatched by the office below; `overdue` — of
   * those, past the 交办时限.
   */
  handDown: z.enum(['waiting', 'overdue']).optional(),
  categoryId: z.coerce.number().int().positive().optional(),
  overdue: z.enum(['true', 'false']).optional(),
  createdFrom: z.iso.datetime({ offset: true }).optional(),
  createdTo: z.iso.datetime({ offset: true }).optional(),
  deadlineFrom: z.iso.datetime({ offset: true }).optional(),
  deadlineTo: z.iso.datetime({ offset: true }).optional(),
});
export type TListProblemsQuery = z.infer<typeof ZListProblemsQuerySchema>;
/** The ledger export's filters: the list's, without paging and order. */
export const ZProblemExportQuerySchema = ZListProblemsQuerySchema.omit({
  limit: true,
  cursor: true,
  order: true,
  sort: true,
});
export const ZProblemPageSchema = zPage(ZProblemSchema).extend({
  /** `total` stopped counting at its cap (10,000): there are at least that many. */
  totalCapped: z.boolean(),
});

export const ZCalendarDaySchema = z.object({
  day: z.iso.date(),
  kind: z.enum(['holiday', 'workday']),
  name: z.string().max(50).default(''),
});
export const ZCalendarYearSchema = z.object({
  year: z.number().int(),
  days: z.array(ZCalendarDaySchema),
});
export const ZPutCalendarRequestSchema = z.object({ days: z.array(ZCalendarDaySchema).max(400) });

export const KPI_GROUPS = ['unit', 'category', 'district', 'street'] as const;
export const ZKpiQuerySchema = z.object({
  groupBy: z.enum(KPI_GROUPS).default('unit'),
  /** The cohort: problems dispatched from (inclusive) … to (exclusive). */
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
});
export type TKpiQuery = z.infer<typeof ZKpiQuerySchema>;

const ZKpiFields = {
  due: z.number().int(),
  deferred: z.number().int(),
  closed: z.number().int(),
  closedOnTime: z.number().int(),
  reworked: z.number().int(),
  extended: z.number().int(),
  handlingHoursSum: z.number(),
  closeRate: z.number().nullable(),
  onTimeCloseRate: z.number().nullable(),
  reworkRate: z.number().nullable(),
  extensionRate: z.number().nullable(),
  avgHandlingHours: z.number().nullable(),
  /** Reporters' ratings of the cohort's problems (随手拍): the n of the 满意率. */
  rated: z.number().int(),
  /** 满意 */
  satisfied: z.number().int(),
  /** 基本满意 */
  basic: z.number().int(),
  /** 满意率 = (满意 + 基本满意) ÷ rated; null when none was rated. */
  satisfactionRate: z.number().nullable(),
};
export const ZKpiResponseSchema = z.object({
  groupBy: z.enum(KPI_GROUPS),
  from: z.string(),
  to: z.string(),
  rows: z.array(z.object({ key: z.number().int().nullable(), name: z.string(), ...ZKpiFields })),
  total: z.object(ZKpiFields),
});
export type TKpiResponse = z.infer<typeof ZKpiResponseSchema>;

export const ZSimilarProblemSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  title: z.string(),
  state: z.enum(PROBLEM_STATES),
  distanceM: z.number(),
});

export const ZSimilarListSchema = z.object({ items: z.array(ZSimilarProblemSchema) });

/** Merge a duplicate into another open problem (the office). */
export const ZMergeRequestSchema = z.object({
  intoId: z.number().int().positive(),
  note: z.string().trim().max(2000).nullable().optional(),
  version: ZVersionSchema,
});
export type TMergeRequest = z.infer<typeof ZMergeRequestSchema>;

const ZProblemRefSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  title: z.string(),
  state: z.enum(PROBLEM_STATES),
});

/** Where a merged problem went, and which duplicates a problem absorbed. */
export const ZProblemMergesSchema = z.object({
  mergedInto: ZProblemRefSchema.nullable(),
  absorbed: z.array(ZProblemRefSchema.extend({ mergedAt: z.string().nullable() })),
});
export type TProblemMerges = z.infer<typeof ZProblemMergesSchema>;

/** 核查队列: submitted rectifications, oldest first. */
export const ZVerificationQueueQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(500).optional(),
  unitId: z.coerce.number().int().positive().optional(),
  regionId: z.coerce.number().int().positive().optional(),
});
export type TVerificationQueueQuery = z.infer<typeof ZVerificationQueueQuerySchema>;

export const ZVerificationItemSchema = z.object({
  problem: ZProblemSchema,
  /** The 三色督办 colour the problem had when the unit submitted (the clock stops at submission). */
  submittedEscalation: z.enum(ESCALATION_LEVELS),
  /** Submitted after the deadline. */
  submittedLate: z.boolean(),
  /** The unit's latest submission: its note, who and when. */
  submission: z
    .object({ note: z.string().nullable(), actorName: z.string(), at: z.string() })
    .nullable(),
  before: z.array(ZProblemPhotoSchema),
  /** The after-photos of the latest submission. */
  after: z.array(ZProblemPhotoSchema),
});
export type TVerificationItem = z.infer<typeof ZVerificationItemSchema>;
export const ZVerificationPageSchema = zPage(ZVerificationItemSchema);

export const ZBulkDispatchRequestSchema = z.object({
  items: z
    .array(z.object({ id: z.number().int().positive(), version: ZVersionSchema }))
    .min(1)
    .max(500),
  unitId: z.number().int().positive(),
  deadline: z.iso.datetime({ offset: true }).optional(),
  note: z.string().trim().max(2000).optional(),
});
export const ZBulkResultSchema = z.object({
  results: z.array(
    z.object({
      id: z.number().int(),
      ok: z.boolean(),
      code: z.string().optional(),
      message: z.string().optional(),
    }),
  ),
});

/** 12345 work-order fields and the default column headers a hotline export uses. */
export const HOTLINE_FIELDS = [
  'orderNo',
  'title',
  'content',
  'category',
  'region',
  'address',
  'lat',
  'lng',
  'reporterName',
  'reporterPhone',
] as const;
export type THotlineField = (typeof HOTLINE_FIELDS)[number];
export const HOTLINE_DEFAULT_HEADERS: Record<THotlineField, string> = {
  orderNo: '工单编号',
  title: '诉求标题',
  content: '诉求内容',
  category: '问题类别',
  region: '所属区域',
  address: '事发地址',
  lat: '纬度',
  lng: '经度',
  reporterName: '来电人',
  reporterPhone: '联系电话',
};

/** Which column of the file holds which field (headers as written in the file). */
export const ZHotlineMappingSchema = z.partialRecord(
  z.enum(HOTLINE_FIELDS),
  z.string().trim().min(1).max(50),
);
export type THotlineMapping = z.infer<typeof ZHotlineMappingSchema>;

export const ZHotlineImportResultSchema = z.object({
  imported: z.number().int(),
  created: z.number().int(),
  /** Order numbers already in the ledger (sent before): not created again. */
  skipped: z.number().int(),
});

/** A 12345 order pushed by the hotline system (signed with HMAC-SHA256). */
export const ZHotlineOrderSchema = z
  .object({
    orderNo: z.string().trim().min(1).max(64),
    title: z.string().trim().max(100).optional(),
    content: z.string().trim().min(1).max(2000),
    category: z.string().trim().max(50).optional(),
    region: z.string().trim().max(50).optional(),
    address: z.string().trim().max(200).optional(),
    lat: z.number().min(-90).max(90).optional(),
    lng: z.number().min(-180).max(180).optional(),
    reporterName: z.string().trim().max(50).optional(),
    reporterPhone: z.string().trim().max(30).optional(),
  })
  .refine((v) => (v.lat === undefined) === (v.lng === undefined), {
    message: '经纬度需同时填写 / give both latitude and longitude',
    path: ['lat'],
  });
export type THotlineOrder = z.infer<typeof ZHotlineOrderSchema>;

/** The webhook's answer: the problem the order became (created, or found from an earlier push). */
export const ZHotlineReceiptSchema = z.object({
  id: z.number(),
  code: z.string(),
  created: z.boolean(),
});
