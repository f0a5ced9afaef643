import { PUSHBACK_STATES, PUSHBACK_TARGETS } from '../pushback/labels.js';
import { z } from './zod-setup.js';

// 结果回传: results pushed back to where a problem came from — the 12345 hotline's orders and the
// Open311 clients' requests (server/modules/pushback, docs/api.md "Result push-back").

export {
  HOTLINE_RESULT_LABELS,
  HOTLINE_RESULT_TYPES,
  PUSHBACK_STATE_LABELS,
  PUSHBACK_STATES,
  PUSHBACK_TARGET_LABELS,
  PUSHBACK_TARGETS,
} from '../pushback/labels.js';
export type { THotlineResultType, TPushbackState, TPushbackTarget } from '../pushback/labels.js';

export const ZPushbackDeliverySchema = z.object({
  id: z.number().int(),
  target: z.enum(PUSHBACK_TARGETS),
  /** The Open311 client (target `open311`). */
  clientId: z.number().int().nullable(),
  clientName: z.string().nullable(),
  problemId: z.number().int(),
  problemCode: z.string(),
  /** The 12345 order number, or the Open311 service_request_id. */
  externalRef: z.string(),
  /** Hotline: a result type (HOTLINE_RESULT_TYPES); Open311: the problem action that changed it. */
  kind: z.string(),
  state: z.enum(PUSHBACK_STATES),
  attempts: z.number().int(),
  idempotencyKey: z.string(),
  nextAttemptAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  /** HTTP status of the last answer; null when none came (refused, timed out). */
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  ackedAt: z.string().nullable(),
  failedAt: z.string().nullable(),
  createdAt: z.string(),
  /** What is owed (the body is rendered from it at each attempt, photo links signed then). */
  payload: z.record(z.string(), z.unknown()),
});
export type TPushbackDelivery = z.infer<typeof ZPushbackDeliverySchema>;

export const ZListPushbackQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(30),
  cursor: z.coerce.number().int().positive().optional(),
  target: z.enum(PUSHBACK_TARGETS).optional(),
  state: z.enum(PUSHBACK_STATES).optional(),
  /** An order number / service_request_id, or a problem code (exact, case-insensitive). */
  q: z.string().trim().min(1).max(64).optional(),
});
export type TListPushbackQuery = z.infer<typeof ZListPushbackQuerySchema>;

/** The log's filters for its XLSX export (every matching delivery, oldest first). */
export const ZPushbackExportQuerySchema = ZListPushbackQuerySchema.omit({
  limit: true,
  cursor: true,
});
export type TPushbackExportQuery = z.infer<typeof ZPushbackExportQuerySchema>;

export const ZPushbackPageSchema = z.object({
  items: z.array(ZPushbackDeliverySchema),
  nextCursor: z.string().nullable(),
  /** HOTLINE_RESULT_URL is set: hotline results are enqueued and sent. */
  hotlineConfigured: z.boolean(),
  /** Attempts before a delivery is marked failed (PUSHBACK_MAX_ATTEMPTS). */
  maxAttempts: z.number().int(),
});

export const ZPushbackListSchema = z.array(ZPushbackDeliverySchema);
