import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZAuditPageSchema,
  ZAuditVerifyReportSchema,
  ZListAuditQuerySchema,
  ZVerifyAuditQuerySchema,
} from '../../../core/contracts/audit.js';
import type { Database } from '../../db/client.js';
import { actor } from '../../platform/http.js';
import { listAudit, verifyAudit } from './audit.service.js';

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
        querystring: ZVerifyAuditQuerySchema,
        response: { 200: ZAuditVerifyReportSchema },
      },
    },
    async (req) => verifyAudit(database, actor(req), req.query.checkpoint),
  );
};
