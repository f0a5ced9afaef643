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
