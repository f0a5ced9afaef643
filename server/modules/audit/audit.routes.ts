import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZAuditPageSchema,
  ZAuditVerifyReportSchema,
  ZListAuditQuerySchema,
} from '../../../core/contracts/audit.js';
import { z } from '../../../core/contracts/zod-setup.js';
import type { Database } from '../../db/client.js';
import { parseCheckpoint } from '../../platform/audit.js';
import { actor } from '../../platform/http.js';
import { listAudit, verifyAudit } from './audit.service.js';

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
    async (req) => listAudit(database, actor(req), req.query),
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
    async (req) => verifyAudit(database, actor(req), req.query.checkpoint),
  );
};
