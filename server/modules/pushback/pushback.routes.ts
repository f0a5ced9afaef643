import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZIdParamSchema } from '../../../core/contracts/common.js';
import {
  ZListPushbackQuerySchema,
  ZPushbackExportQuerySchema,
  ZPushbackDeliverySchema,
  ZPushbackListSchema,
  ZPushbackPageSchema,
} from '../../../core/contracts/pushback.js';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { actor } from '../../platform/http.js';
import { xlsxHeaders } from '../../platform/xlsx.js';
import {
  exportPushback,
  listPushback,
  problemPushback,
  retryPushback,
} from './pushback.service.js';

/** 结果回传: the delivery log of results pushed to the 12345 hotline and the Open311 clients. */
export const pushbackRoutes: FastifyPluginAsyncZod<{
  database: Database;
  config: Config;
  kickJob?: ((name: 'pushback') => void) | undefined;
}> = async (app, { database, config, kickJob }) => {
  const tags = ['pushback'];
  app.get(
    '/api/pushback',
    {
      schema: {
        tags,
        summary:
          '结果回传 log: deliveries to the 12345 hotline and Open311 callbacks, newest first (target, state, q = order number or problem code)',
        querystring: ZListPushbackQuerySchema,
        response: { 200: ZPushbackPageSchema },
      },
    },
    async (req) =>
      listPushback(database, actor(req), req.query, {
        hotlineConfigured: Boolean(config.hotlineResultUrl),
        maxAttempts: config.pushbackMaxAttempts,
      }),
  );
  app.get(
    '/api/pushback/export.xlsx',
    {
      schema: {
        tags,
        summary: '结果回传 log as XLSX, oldest first, with the list’s filters (streamed)',
        querystring: ZPushbackExportQuerySchema,
      },
    },
    async (req, reply) =>
      reply
        .headers(xlsxHeaders(`结果回传-${new Date().toISOString().slice(0, 10)}.xlsx`))
        .send(exportPushback(database, actor(req), req.query)),
  );
  app.post(
    '/api/pushback/:id/retry',
    {
      schema: {
        tags,
        summary: 'Send a failed delivery again (attempts afresh, same idempotency key)',
        params: ZIdParamSchema,
        response: { 200: ZPushbackDeliverySchema },
      },
    },
    async (req) => {
      const d = await retryPushback(database, actor(req), req.params.id);
      // The office is waiting to see it go: the next try now, not at the job's next run.
      kickJob?.('pushback');
      return d;
    },
  );
  app.get(
    '/api/problems/:id/pushback',
    {
      schema: {
        tags,
        summary: 'The deliveries of a problem’s result to where it came from (12345, Open311)',
        params: ZIdParamSchema,
        response: { 200: ZPushbackListSchema },
      },
    },
    async (req) => problemPushback(database, actor(req), req.params.id),
  );
};
