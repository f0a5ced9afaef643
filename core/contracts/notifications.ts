import { z } from './zod-setup.js';
import { ESCALATION_LEVELS } from './problems.js';

/** One notice in a user's inbox. */
export const ZNotificationSchema = z.object({
  id: z.number().int(),
  kind: z.string(),
  title: z.string(),
  body: z.string().nullable(),
  problemId: z.number().int().nullable(),
  read: z.boolean(),
  createdAt: z.string(),
});
export type TNotification = z.infer<typeof ZNotificationSchema>;

const ZCursorQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.coerce.number().int().positive().optional(),
});

export const ZListNotificationsQuerySchema = ZCursorQuerySchema.extend({
  unread: z.enum(['true', 'false']).optional(),
});

export const ZNotificationPageSchema = z.object({
  items: z.array(ZNotificationSchema),
  nextCursor: z.string().nullable(),
});

export const ZUnreadCountSchema = z.object({ count: z.number().int() });
export const ZMarkedSchema = z.object({ marked: z.number().int() });

/** 督办单: one step up of a problem's escalation colour. */
export const ZEscalationOrderSchema = z.object({
  id: z.number().int(),
  problemId: z.number().int(),
  code: z.string(),
  title: z.string(),
  level: z.string(),
  unitId: z.number().int().nullable(),
  unitName: z.string().nullable(),
  deadline: z.string().nullable(),
  issuedAt: z.string(),
  state: z.string(),
});
export type TEscalationOrder = z.infer<typeof ZEscalationOrderSchema>;

export const ZListEscalationOrdersQuerySchema = ZCursorQuerySchema.extend({
  level: z.enum(ESCALATION_LEVELS).optional(),
  unitId: z.coerce.number().int().positive().optional(),
});

export const ZEscalationOrderPageSchema = z.object({
  items: z.array(ZEscalationOrderSchema),
  nextCursor: z.string().nullable(),
});

/**
 * A text message as the outbox holds it (topic `sms`): every module that texts someone — replies
 * to reporters, one-time codes — writes this shape; the SMS gateway receives it as the `payload`
 * of the signed envelope `{ id, topic, payload, createdAt }`.
 */
export const ZSmsPayloadSchema = z.object({
  /** The phone number, in full (the outbox is the only place it is kept for sending). */
  to: z.string().min(1),
  text: z.string().min(1),
  /** What the message is, e.g. `reply.approve` (replies to reporters), for the log and the gateway. */
  kind: z.string().optional(),
  /** The sender's reference, e.g. a problem code. */
  ref: z.string().optional(),
});
export type TSmsPayload = z.infer<typeof ZSmsPayloadSchema>;

export const SMS_STATES = ['pending', 'delivered', 'failed'] as const;

/** 短信发送记录: one text message, the number masked and codes in its text starred. */
export const ZSmsLogItemSchema = z.object({
  id: z.number().int(),
  /** 138****8000 */
  to: z.string(),
  text: z.string(),
  kind: z.string().nullable(),
  ref: z.string().nullable(),
  state: z.enum(SMS_STATES),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
  failedAt: z.string().nullable(),
});
export type TSmsLogItem = z.infer<typeof ZSmsLogItemSchema>;

export const ZSmsLogQuerySchema = ZCursorQuerySchema.extend({
  state: z.enum(SMS_STATES).optional(),
});

export const ZSmsLogPageSchema = z.object({
  items: z.array(ZSmsLogItemSchema),
  nextCursor: z.string().nullable(),
  /** Where texts go now: an HTTP gateway, the demo's built-in fake one, or nowhere yet. */
  gateway: z.enum(['http', 'fake', 'none']),
});
export type TSmsLogPage = z.infer<typeof ZSmsLogPageSchema>;
