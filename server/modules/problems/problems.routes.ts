import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZIdParamSchema } from '../../../core/contracts/common.js';
import {
  ZCalendarYearSchema,
  ZCategorySchema,
  ZCreateProblemRequestSchema,
  ZListProblemsQuerySchema,
  ZProblemActionRequestSchema,
  ZProblemDetailSchema,
  ZProblemPageSchema,
  ZPutCalendarRequestSchema,
} from '../../../core/contracts/problems.js';
import type { Database } from '../../db/client.js';
import { actor } from '../../platform/http.js';
import { actOnProblem } from './act-on-problem.js';
import * as service from './problems.service.js';

const ZYearParamSchema = z.object({ year: z.coerce.number().int().min(2000).max(2100) });

export const problemRoutes: FastifyPluginAsyncZod<{ database: Database }> = async (
  app,
  { database },
) => {
  app.get(
    '/api/problem-categories',
    {
      schema: {
        tags: ['problems'],
        summary: 'Problem categories (大类/小类)',
        response: { 200: z.object({ items: z.array(ZCategorySchema) }) },
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
          'The problem ledger (台账): filters, keyset pagination; comma-separated lists for state, escalation, channel, severity',
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
      const { detail, created } = await service.createProblem(database, actor(req), req.body);
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
    async (req) => actOnProblem(database, actor(req), req.params.id, req.body),
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
