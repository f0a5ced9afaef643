import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZIdParamSchema, ZYearParamSchema } from '../../../core/contracts/common.js';
import {
  ZBulkDispatchRequestSchema,
  ZBulkResultSchema,
  ZCalendarYearSchema,
  ZKpiQuerySchema,
  ZKpiResponseSchema,
  ZCategoryListSchema,
  ZCreateProblemRequestSchema,
  ZListProblemsQuerySchema,
  ZMergeRequestSchema,
  ZHandDownRequestSchema,
  ZPlaceProblemRequestSchema,
  ZProblemActionRequestSchema,
  ZProblemDetailSchema,
  ZProblemExportQuerySchema,
  ZProblemMergesSchema,
  ZProblemPageSchema,
  ZPutCalendarRequestSchema,
  ZSimilarListSchema,
  ZVerificationPageSchema,
  ZVerificationQueueQuerySchema,
} from '../../../core/contracts/problems.js';
import type { Database } from '../../db/client.js';
import { actor } from '../../platform/http.js';
import type { Config } from '../../config.js';
import { pickLanguage } from '../../platform/errors.js';
import { xlsxHeaders } from '../../platform/xlsx.js';
import { actOnProblem, bulkDispatch } from './act-on-problem.js';
import { mergeProblem, problemMerges, similarProblems } from './merge.js';
import { exportLedger, problemKpis } from './problems-reports.js';
import * as service from './problems.service.js';
import { verificationQueue } from './verification-queue.js';
import { handDown } from './hand-down.js';
import { placeProblem } from './place.js';

export const problemRoutes: FastifyPluginAsyncZod<{
  database: Database;
  config: Config;
  kickJob?: ((name: 'outbox' | 'pushback') => void) | undefined;
}> = async (app, { database, config, kickJob }) => {
  /**
   * A step may have queued texts to the reporter and results owed to the hotline or an Open311
   * client: they go at once, not at the jobs' next run (a run that finds nothing costs a query).
   */
  const sendOwed = <T>(result: T): T => {
    kickJob?.('outbox');
    kickJob?.('pushback');
    return result;
  };
  // 结果回传: a 12345 order's result is owed only while there is somewhere to send it.
  const step = {
    publicUrl: config.publicUrl,
    pushback: { hotline: Boolean(config.hotlineResultUrl) },
  };
  const intake = {
    duplicateRadiusM: config.duplicateRadiusM,
    recurrenceDays: config.recurrenceDays,
  };
  app.get(
    '/api/problems/export.xlsx',
    {
      schema: {
        tags: ['problems'],
        summary: 'The filtered ledger as XLSX (streamed)',
        querystring: ZProblemExportQuerySchema,
      },
    },
    async (req, reply) => {
      const stream = await exportLedger(database, actor(req), req.query);
      return reply
        .headers(xlsxHeaders(`问题台账-${new Date().toISOString().slice(0, 10)}.xlsx`))
        .send(stream);
    },
  );
  app.get(
    '/api/problems/kpis',
    {
      schema: {
        tags: ['problems'],
        summary:
          '结案率, 按期结案率, 返工率, 延期率, average handling time, by unit / category / district / street',
        querystring: ZKpiQuerySchema,
        response: { 200: ZKpiResponseSchema },
      },
    },
    async (req) => problemKpis(database, actor(req), req.query),
  );
  app.post(
    '/api/problems/bulk-dispatch',
    {
      schema: {
        tags: ['problems'],
        summary: 'Dispatch many problems to one unit; each succeeds or fails on its own',
        body: ZBulkDispatchRequestSchema,
        response: { 200: ZBulkResultSchema },
      },
    },
    async (req) =>
      sendOwed(
        await bulkDispatch(
          database,
          actor(req),
          req.body,
          pickLanguage(req.headers['accept-language']),
          step,
        ),
      ),
  );
  app.get(
    '/api/problem-categories',
    {
      schema: {
        tags: ['problems'],
        summary: 'Problem categories (大类/小类)',
        response: { 200: ZCategoryListSchema },
      },
    },
    async (req) => ({ items: await service.listCategories(database, actor(req)) }),
  );
  app.get(
    '/api/problems',
    {
      schema: {
        tags: ['problems'],
        summary:
          'The problem ledger (台账): filters (q: title, code, address, external order no.), keyset pagination; comma-separated lists for state, escalation, channel, severity',
        querystring: ZListProblemsQuerySchema,
        response: { 200: ZProblemPageSchema },
      },
    },
    async (req) => service.listProblems(database, actor(req), req.query),
  );
  app.post(
    '/api/problems',
    {
      schema: {
        tags: ['problems'],
        summary:
          'Report a problem (office entry, unit self-report…); a repeated externalRef returns the existing one with 200',
        body: ZCreateProblemRequestSchema,
        response: { 200: ZProblemDetailSchema, 201: ZProblemDetailSchema },
      },
    },
    async (req, reply) => {
      const { detail, created } = await service.createProblem(
        database,
        actor(req),
        req.body,
        intake,
      );
      return reply.status(created ? 201 : 200).send(detail);
    },
  );
  app.get(
    '/api/problems/:id',
    {
      schema: {
        tags: ['problems'],
        params: ZIdParamSchema,
        response: { 200: ZProblemDetailSchema },
      },
    },
    async (req) => service.getProblem(database, actor(req), req.params.id),
  );
  app.post(
    '/api/problems/:id/actions',
    {
      schema: {
        tags: ['problems'],
        summary: 'Take a step of the closed loop (register, dispatch, submit, approve, rework, …)',
        params: ZIdParamSchema,
        body: ZProblemActionRequestSchema,
        response: { 200: ZProblemDetailSchema },
      },
    },
    async (req) =>
      sendOwed(await actOnProblem(database, actor(req), req.params.id, req.body, step)),
  );
  app.post(
    '/api/problems/:id/place',
    {
      schema: {
        tags: ['problems'],
        summary: '确定区域: place a problem without a region (未定位) by a position or its region',
        params: ZIdParamSchema,
        body: ZPlaceProblemRequestSchema,
        response: { 200: ZProblemDetailSchema },
      },
    },
    async (req) => placeProblem(database, actor(req), req.params.id, req.body),
  );
  app.post(
    '/api/problems/:id/hand-down',
    {
      schema: {
        tags: ['problems'],
        summary:
          '交办: hand a registered problem to the office of a district or street under this level',
        params: ZIdParamSchema,
        body: ZHandDownRequestSchema,
        response: { 200: ZProblemDetailSchema },
      },
    },
    async (req) => handDown(database, actor(req), req.params.id, req.body),
  );
  app.post(
    '/api/problems/:id/merge',
    {
      schema: {
        tags: ['problems'],
        summary:
          'Merge a duplicate into another open problem (合并): the duplicate becomes merged, the primary carries on',
        params: ZIdParamSchema,
        body: ZMergeRequestSchema,
        response: { 200: ZProblemDetailSchema },
      },
    },
    async (req) => mergeProblem(database, actor(req), req.params.id, req.body),
  );
  app.get(
    '/api/problems/:id/merges',
    {
      schema: {
        tags: ['problems'],
        summary: 'Where a merged problem went, and the duplicates a problem absorbed',
        params: ZIdParamSchema,
        response: { 200: ZProblemMergesSchema },
      },
    },
    async (req) => problemMerges(database, actor(req), req.params.id),
  );
  app.get(
    '/api/problems/:id/similar',
    {
      schema: {
        tags: ['problems'],
        summary: 'Open problems of the same category nearby: what this one may be a duplicate of',
        params: ZIdParamSchema,
        response: { 200: ZSimilarListSchema },
      },
    },
    async (req) => similarProblems(database, actor(req), req.params.id, config.duplicateRadiusM),
  );
  app.get(
    '/api/problems/verification-queue',
    {
      schema: {
        tags: ['problems'],
        summary:
          '核查队列: submitted rectifications, oldest first, with the note and before/after photos',
        querystring: ZVerificationQueueQuerySchema,
        response: { 200: ZVerificationPageSchema },
      },
    },
    async (req) => verificationQueue(database, actor(req), req.query),
  );
  app.get(
    '/api/calendar/:year',
    {
      schema: {
        tags: ['problems'],
        summary: 'Holidays and adjusted workdays of a year',
        params: ZYearParamSchema,
        response: { 200: ZCalendarYearSchema },
      },
    },
    async (req) => service.getCalendarYear(database, actor(req), req.params.year),
  );
  app.put(
    '/api/calendar/:year',
    {
      schema: {
        tags: ['problems'],
        summary: "Replace a year's holidays and adjusted workdays",
        params: ZYearParamSchema,
        body: ZPutCalendarRequestSchema,
        response: { 200: ZCalendarYearSchema },
      },
    },
    async (req) => service.putCalendarYear(database, actor(req), req.params.year, req.body.days),
  );
};
