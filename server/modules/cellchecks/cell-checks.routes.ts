import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZCellTypeQuerySchema,
  ZCheckInputSchema,
  ZCheckListInputSchema,
  ZCheckListPatchSchema,
  ZCheckListSchema,
  ZCheckListsSchema,
  ZCheckSchema,
  ZChecksSchema,
  ZFilingInputSchema,
  ZHitInputSchema,
  ZHitResultSchema,
  ZHolderRecordQuerySchema,
  ZHolderRecordSchema,
  ZListChecksQuerySchema,
  ZListReviewsQuerySchema,
  ZNegativeListInputSchema,
  ZNegativeListPatchSchema,
  ZNegativeListSchema,
  ZNegativeListsSchema,
  ZOutcomeInputSchema,
  ZReviewBulletinSchema,
  ZReviewCloseSchema,
  ZReviewDetailSchema,
  ZReviewHolderParamSchema,
  ZReviewHolderSchema,
  ZReviewInputSchema,
  ZReviewPatchSchema,
  ZReviewsSchema,
} from '../../../core/contracts/cell-checks.js';
import { ZIdParamSchema } from '../../../core/contracts/common.js';
import type { Database } from '../../db/client.js';
import { actor } from '../../platform/http.js';
import { xlsxHeaders } from '../../platform/xlsx.js';
import * as checks from './cell-checks.service.js';
import * as reviews from './cell-reviews.service.js';
import { reviewBulletinWorkbook } from './review-bulletin-xlsx.js';

/** 文明细胞 dynamic management: check lists, checks, the negative list, holders' records, 复审. */
export const cellChecksRoutes: FastifyPluginAsyncZod<{ database: Database }> = async (
  app,
  { database },
) => {
  const tags = ['cell-checks'];
  app.get(
    '/api/cell-check-lists',
    {
      schema: {
        tags,
        summary: 'Check lists per cell type (每季一考核 standards)',
        querystring: ZCellTypeQuerySchema,
        response: { 200: ZCheckListsSchema },
      },
    },
    async (req) => checks.listCheckLists(database, actor(req), req.query.cellType),
  );
  app.post(
    '/api/cell-check-lists',
    { schema: { tags, body: ZCheckListInputSchema, response: { 201: ZCheckListSchema } } },
    async (req, reply) =>
      reply.status(201).send(await checks.createCheckList(database, actor(req), req.body)),
  );
  app.patch(
    '/api/cell-check-lists/:id',
    {
      schema: {
        tags,
        params: ZIdParamSchema,
        body: ZCheckListPatchSchema,
        response: { 200: ZCheckListSchema },
      },
    },
    async (req) => checks.updateCheckList(database, actor(req), req.params.id, req.body),
  );
  app.get(
    '/api/cell-negative-lists',
    {
      schema: {
        tags,
        summary: 'Negative lists (负面清单) per cell type, with their severe rule',
        querystring: ZCellTypeQuerySchema,
        response: { 200: ZNegativeListsSchema },
      },
    },
    async (req) => checks.listNegativeLists(database, actor(req), req.query.cellType),
  );
  app.post(
    '/api/cell-negative-lists',
    { schema: { tags, body: ZNegativeListInputSchema, response: { 201: ZNegativeListSchema } } },
    async (req, reply) =>
      reply.status(201).send(await checks.createNegativeList(database, actor(req), req.body)),
  );
  app.patch(
    '/api/cell-negative-lists/:id',
    {
      schema: {
        tags,
        params: ZIdParamSchema,
        body: ZNegativeListPatchSchema,
        response: { 200: ZNegativeListSchema },
      },
    },
    async (req) => checks.updateNegativeList(database, actor(req), req.params.id, req.body),
  );
  app.get(
    '/api/cell-checks',
    {
      schema: {
        tags,
        summary: 'Checks by list, period or holder (the holders the reader sees)',
        querystring: ZListChecksQuerySchema,
        response: { 200: ZChecksSchema },
      },
    },
    async (req) => checks.listChecks(database, actor(req), req.query),
  );
  app.post(
    '/api/cell-checks',
    {
      schema: {
        tags,
        summary: 'Record a holder’s check for a period (once per period and list)',
        body: ZCheckInputSchema,
        response: { 201: ZCheckSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await checks.recordCheck(database, actor(req), req.body)),
  );
  app.post(
    '/api/cell-hits',
    {
      schema: {
        tags,
        summary: 'Record a negative-list hit (the severe rule may change the holder’s status)',
        body: ZHitInputSchema,
        response: { 201: ZHitResultSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await checks.recordHit(database, actor(req), req.body)),
  );
  app.get(
    '/api/honours/:id/management',
    {
      schema: {
        tags,
        summary:
          'A holder’s dynamic-management record: checks, hits, the year’s deductions, problems at its premises, reviews',
        params: ZIdParamSchema,
        querystring: ZHolderRecordQuerySchema,
        response: { 200: ZHolderRecordSchema },
      },
    },
    async (req) => checks.holderRecord(database, actor(req), req.params.id, req.query.year),
  );
  app.get(
    '/api/cell-reviews',
    {
      schema: {
        tags,
        querystring: ZListReviewsQuerySchema,
        response: { 200: ZReviewsSchema },
      },
    },
    async (req) => reviews.listReviews(database, actor(req), req.query),
  );
  app.post(
    '/api/cell-reviews',
    {
      schema: {
        tags,
        summary: 'Open a year’s 复审 for the holders the office manages',
        body: ZReviewInputSchema,
        response: { 201: ZReviewDetailSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await reviews.openReview(database, actor(req), req.body)),
  );
  app.get(
    '/api/cell-reviews/:id',
    { schema: { tags, params: ZIdParamSchema, response: { 200: ZReviewDetailSchema } } },
    async (req) => reviews.getReview(database, actor(req), req.params.id),
  );
  app.patch(
    '/api/cell-reviews/:id',
    {
      schema: {
        tags,
        summary: 'Edit an open review (name, filing deadline, renewal cap) at its version',
        params: ZIdParamSchema,
        body: ZReviewPatchSchema,
        response: { 200: ZReviewDetailSchema },
      },
    },
    async (req) => reviews.updateReview(database, actor(req), req.params.id, req.body),
  );
  app.put(
    '/api/cell-reviews/:id/holders/:honourId/report',
    {
      schema: {
        tags,
        summary: 'File a holder’s 复审 report by the deadline (the office, or the holder’s unit)',
        params: ZReviewHolderParamSchema,
        body: ZFilingInputSchema,
        response: { 200: ZReviewHolderSchema },
      },
    },
    async (req) =>
      reviews.fileReport(database, actor(req), req.params.id, req.params.honourId, req.body.report),
  );
  app.put(
    '/api/cell-reviews/:id/holders/:honourId/outcome',
    {
      schema: {
        tags,
        summary: 'Record 保留 / 限期整改 / 撤销 for a holder that filed',
        params: ZReviewHolderParamSchema,
        body: ZOutcomeInputSchema,
        response: { 200: ZReviewDetailSchema },
      },
    },
    async (req) =>
      reviews.recordOutcome(database, actor(req), req.params.id, req.params.honourId, req.body),
  );
  app.post(
    '/api/cell-reviews/:id/close',
    {
      schema: {
        tags,
        summary:
          'Close after the deadline: non-filers relinquish, the renewal cap drops the lowest, statuses change, the 通报 is frozen',
        params: ZIdParamSchema,
        body: ZReviewCloseSchema,
        response: { 200: ZReviewDetailSchema },
      },
    },
    async (req) => reviews.closeReview(database, actor(req), req.params.id, req.body.version),
  );
  app.get(
    '/api/cell-reviews/:id/bulletin',
    {
      schema: {
        tags,
        summary: 'The closed review’s 通报 (for the printable page)',
        params: ZIdParamSchema,
        response: { 200: ZReviewBulletinSchema },
      },
    },
    async (req) => reviews.reviewBulletin(database, actor(req), req.params.id),
  );
  app.get(
    '/api/cell-reviews/:id/bulletin.xlsx',
    { schema: { tags, summary: 'The 通报 as XLSX', params: ZIdParamSchema } },
    async (req, reply) => {
      const b = await reviews.reviewBulletin(database, actor(req), req.params.id);
      return reply.headers(xlsxHeaders(`${b.title}.xlsx`)).send(await reviewBulletinWorkbook(b));
    },
  );
};
