import { z } from './zod-setup.js';

export const ZAuditRecordSchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actorId: z.number().int().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  ip: z.string().nullable(),
  /** Position in the hash chain; null for a record written in the last moment and not yet sealed. */
  seq: z.number().int().nullable(),
  prevHash: z.string().nullable(),
  hash: z.string().nullable(),
});
export type TAuditRecord = z.infer<typeof ZAuditRecordSchema>;

export const ZListAuditQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z
    .string()
    .regex(/^\d{1,18}$/, '分页游标无效 / invalid page cursor')
    .optional(),
  actorId: z.coerce.number().int().positive().optional(),
  action: z.string().trim().max(100).optional(),
  entityType: z.string().trim().max(50).optional(),
  entityId: z.string().trim().max(100).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
export type TListAuditQuery = z.infer<typeof ZListAuditQuerySchema>;

export const ZAuditPageSchema = z.object({
  items: z.array(ZAuditRecordSchema),
  nextCursor: z.string().nullable(),
});

export const ZAuditVerifyResponseSchema = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  firstBroken: z
    .object({ id: z.number().int(), reason: z.enum(['hash_mismatch', 'prev_hash_mismatch']) })
    .nullable(),
});
