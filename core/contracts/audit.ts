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

/**
 * A checkpoint as one copyable token from the log: `v1.<seq>.<count>.<at ms>.<hash>.<mac>`
 * (written and read by server/platform/audit.ts).
 */
export const AUDIT_CHECKPOINT_TOKEN =
  /^v1\.(\d{1,15})\.(\d{1,15})\.(\d{1,15})\.([0-9a-f]{64})\.([0-9a-f]{64})$/;

export const ZVerifyAuditQuerySchema = z.object({
  /** A checkpoint the operator kept from the log (`checkpoint` field of an audit-anchor line). */
  checkpoint: z
    .string()
    .trim()
    .max(300)
    .refine(
      (v) => AUDIT_CHECKPOINT_TOKEN.test(v.trim()),
      '检查点格式应为 v1.<seq>.<count>.<时间>.<hash>.<mac>（取自日志） / ' +
        'a checkpoint is v1.<seq>.<count>.<at>.<hash>.<mac> (from the log)',
    )
    .optional(),
});
export type TVerifyAuditQuery = z.infer<typeof ZVerifyAuditQuerySchema>;

export const ZAuditPageSchema = z.object({
  items: z.array(ZAuditRecordSchema),
  nextCursor: z.string().nullable(),
});

export const AUDIT_BREAK_REASONS = [
  'hash_mismatch',
  'prev_hash_mismatch',
  'checkpoint_mac_invalid',
  'checkpoint_key_unknown',
  'checkpoint_mismatch',
  'truncated',
  'unsealed',
] as const;
export type TAuditBreakReason = (typeof AUDIT_BREAK_REASONS)[number];

/** What each way of failing verification means, for the audit page. */
export const AUDIT_BREAK_LABELS: Record<TAuditBreakReason, { zh: string; en: string }> = {
  hash_mismatch: { zh: '记录内容被改动', en: 'a record was changed' },
  prev_hash_mismatch: {
    zh: '记录链断开（有记录被删除或插入）',
    en: 'the chain is broken (a record was deleted or inserted)',
  },
  checkpoint_mac_invalid: { zh: '锚定检查点的签名无效', en: 'a checkpoint’s signature is invalid' },
  checkpoint_key_unknown: {
    zh: '检查点由未知密钥签名（AUDIT_ANCHOR_KEY 不符）',
    en: 'a checkpoint was signed with an unknown key (AUDIT_ANCHOR_KEY)',
  },
  checkpoint_mismatch: {
    zh: '记录与已签名的检查点不一致（被改动后重新封链）',
    en: 'records disagree with a signed checkpoint (changed and re-sealed)',
  },
  truncated: {
    zh: '记录少于检查点时的数量（末尾记录被删除）',
    en: 'fewer records than a checkpoint counted (the tail was deleted)',
  },
  unsealed: {
    zh: '有记录长时间未封链',
    en: 'records were left unsealed for too long',
  },
};

/** GET /api/audit/verify: the chain, its signed checkpoints and an operator's kept one. */
export const ZAuditVerifyReportSchema = z.object({
  ok: z.boolean(),
  /** Records found intact. */
  checked: z.number().int(),
  unsealed: z.number().int(),
  checkpoints: z.number().int(),
  lastCheckpoint: z
    .object({ seq: z.number().int(), count: z.number().int(), at: z.string() })
    .nullable(),
  firstBroken: z
    .object({
      id: z.number().int().nullable(),
      seq: z.number().int().nullable(),
      checkpointId: z.number().int().nullable(),
      reason: z.enum(AUDIT_BREAK_REASONS),
    })
    .nullable(),
});
export type TAuditVerifyReport = z.infer<typeof ZAuditVerifyReportSchema>;
