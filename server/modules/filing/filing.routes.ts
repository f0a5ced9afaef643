import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZFilingCompletenessSchema,
  ZFilingQuerySchema,
  ZFilingYearParamSchema,
} from '../../../core/contracts/filing.js';
import type { Database } from '../../db/client.js';
import { actor } from '../../platform/http.js';
import type { FileStorage } from '../../platform/storage.js';
import { filingPackageStream } from './filing-package.js';
import * as service from './filing.service.js';

/** 网上申报: the completeness of a year's filing, and the package as a streamed ZIP. */
export const filingRoutes: FastifyPluginAsyncZod<{
  database: Database;
  storage: FileStorage;
}> = async (app, { database, storage }) => {
  const tags = ['filing'];
  app.get(
    '/api/filing/:year/completeness',
    {
      schema: {
        tags,
        summary:
          'Per material standard: files filed, outside the window, not approved; the statement; per item and lead unit',
        params: ZFilingYearParamSchema,
        querystring: ZFilingQuerySchema,
        response: { 200: ZFilingCompletenessSchema },
      },
    },
    async (req) => service.filingCompleteness(database, actor(req), req.params.year, req.query),
  );
  app.get(
    '/api/filing/:year/package.zip',
    {
      schema: {
        tags,
        summary:
          'The filing package (ZIP, streamed): index, per standard its 测评材料提交表, 情况说明 and files named by number, the completeness report',
        params: ZFilingYearParamSchema,
        querystring: ZFilingQuerySchema,
      },
    },
    async (req, reply) => {
      const plan = await service.planFiling(database, actor(req), req.params.year, req.query);
      const { stream, stop } = filingPackageStream(storage, plan, (err) =>
        req.log.error({ err }, 'filing package failed'),
      );
      // A client that goes away stops the package: the open file is closed, no other is read.
      reply.raw.on('close', () => {
        if (!reply.raw.writableFinished) stop();
      });
      const name = `${plan.completeness.year}年网上申报材料.zip`;
      return reply
        .headers({
          'content-type': 'application/zip',
          'content-disposition': `attachment; filename="filing.zip"; filename*=UTF-8''${encodeURIComponent(name)}`,
          'cache-control': 'no-store',
          // The files' bytes (the package is a little larger): the page's progress estimate.
          'x-filing-bytes': String(plan.completeness.total.bytes),
        })
        .send(stream);
    },
  );
};
