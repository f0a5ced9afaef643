import { and, desc, eq, gte, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZAuditPageSchema,
  ZAuditVerifyReportSchema,
  ZListAuditQuerySchema,
  type TAuditRecord,
  type TListAuditQuery,
} from '../../../core/contracts/audit.js';
import { z } from '../../../core/contracts/zod-setup.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { auditLog } from '../../db/schema/index.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { parseCheckpoint, verifyAuditChain } from '../../platform/audit.js';
import { actor } from '../../platform/http.js';
import { likePattern } from '../../platform/pagination.js';

// The audit module is read-only and small: repo, service and presenter live together here.
// Neither route writes: sealing is the sealing job's (server/main.ts), never a reader's.

const CHECKPOINT_MESSAGE =
  '检查点格式应为 v1.<seq>.<count>.<时间>.<hash>.<mac>（取自日志） / ' +
  'a checkpoint is v1.<seq>.<count>.<at>.<hash>.<mac> (from the log)';

const ZVerifyQuerySchema = z.object({
  /** A checkpoint the operator kept from the log (`checkpoint` field of an audit-anchor line). */
  checkpoint: z
    .string()
    .trim()
    .max(300)
    .refine((v) => parseCheckpoint(v) !== null, CHECKPOINT_MESSAGE)
    .optional(),
});

async function listAudit(db: DbOrTx, q: TListAuditQuery) {
  const conds: SQL[] = [];
  if (q.actorId) conds.push(eq(auditLog.actorId, q.actorId));
  if (q.action) conds.push(sql`${auditLog.action} like ${likePattern(q.action).slice(1)}`);
  if (q.entityType) conds.push(eq(auditLog.entityType, q.entityType));
  if (q.entityId) conds.push(eq(auditLog.entityId, q.entityId));
  if (q.from) conds.push(gte(auditLog.at, new Date(q.from)));
  if (q.to) conds.push(lte(auditLog.at, new Date(q.to)));
  if (q.cursor) conds.push(lt(auditLog.id, Number(q.cursor)));
  const rows = await db
    .select()
    .from(auditLog)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(q.limit + 1);
  const items = rows.slice(0, q.limit);
  return {
    items: items.map((r): TAuditRecord => ({
      ...r,
      at: r.at.toISOString(),
      before: r.before ?? null,
      after: r.after ?? null,
    })),
    nextCursor: rows.length > q.limit ? String(items[items.length - 1]!.id) : null,
  };
}

function readAudit(a: Actor) {
  requirePermission(a, Permission.AuditRead);
}

export const auditRoutes: FastifyPluginAsyncZod<{ database: Database }> = async (
  app,
  { database },
) => {
  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'The audit log, newest first (administrators)',
        querystring: ZListAuditQuerySchema,
        response: { 200: ZAuditPageSchema },
      },
    },
    async (req) => {
      readAudit(actor(req));
      // Records of the last second may show no chain position yet (the sealing job gives it).
      return listAudit(database.db, req.query);
    },
  );

  app.get(
    '/api/audit/verify',
    {
      schema: {
        tags: ['audit'],
        summary:
          'Checks the hash chain against its signed checkpoints (and one kept from the log) and ' +
          'reports the first break; never writes',
        querystring: ZVerifyQuerySchema,
        response: { 200: ZAuditVerifyReportSchema },
      },
    },
    async (req) => {
      readAudit(actor(req));
      const kept = req.query.checkpoint ? parseCheckpoint(req.query.checkpoint) : null;
      return verifyAuditChain(database, { kept: kept ? [kept] : [] });
    },
  );
};
