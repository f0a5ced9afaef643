import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZIdParamSchema,
  ZNoContentSchema,
  ZVersionQuerySchema,
} from '../../../core/contracts/common.js';
import {
  ZMockEvaluationInputSchema,
  ZMockEvaluationSchema,
  ZNegativeHitInputSchema,
  ZNegativeHitListQuerySchema,
  ZNegativeHitOptionsQuerySchema,
  ZNegativeHitOptionsSchema,
  ZNegativeHitSchema,
  ZNegativeHitsSchema,
  ZProjectionQuerySchema,
  ZProjectionSchema,
} from '../../../core/contracts/scoring.js';
import type { Database } from '../../db/client.js';
import { actor } from '../../platform/http.js';
import { mockEvaluation } from './mock-evaluation.service.js';
import * as hits from './negative-hits.service.js';
import { projection } from './projection.service.js';

/** 测评得分预估, 模拟测评推演 and the 负面清单 hits they take into account. */
export const scoringRoutes: FastifyPluginAsyncZod<{ database: Database }> = async (
  app,
  { database },
) => {
  const tags = ['scoring'];
  app.get(
    '/api/scoring/projection',
    {
      schema: {
        tags,
        summary:
          'Projected score of a framework in a cycle year, with its breakdown and the cycle total',
        querystring: ZProjectionQuerySchema,
        response: { 200: ZProjectionSchema },
      },
    },
    async (req) => projection(database, actor(req), req.query),
  );
  app.post(
    '/api/scoring/mock-evaluation',
    {
      schema: {
        tags,
        summary: 'Monte-Carlo mock evaluation of the draw (a round plan or a given plan)',
        body: ZMockEvaluationInputSchema,
        response: { 200: ZMockEvaluationSchema },
      },
    },
    async (req) => mockEvaluation(database, actor(req), req.body),
  );
  app.get(
    '/api/negative-hits',
    {
      schema: {
        tags,
        summary: 'Recorded negative-list hits of a framework',
        querystring: ZNegativeHitListQuerySchema,
        response: { 200: ZNegativeHitsSchema },
      },
    },
    async (req) => hits.listHits(database, actor(req), req.query),
  );
  app.get(
    '/api/negative-hits/options',
    {
      schema: {
        tags,
        summary: 'Negative-list items in force and the cycle years a hit may name',
        querystring: ZNegativeHitOptionsQuerySchema,
        response: { 200: ZNegativeHitOptionsSchema },
      },
    },
    async (req) => hits.hitOptions(database, actor(req), req.query.frameworkId),
  );
  app.post(
    '/api/negative-hits',
    {
      schema: {
        tags,
        summary: 'Record a negative-list hit (the office)',
        body: ZNegativeHitInputSchema,
        response: { 201: ZNegativeHitSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await hits.createHit(database, actor(req), req.body)),
  );
  app.delete(
    '/api/negative-hits/:id',
    {
      schema: {
        tags,
        params: ZIdParamSchema,
        querystring: ZVersionQuerySchema,
        response: { 204: ZNoContentSchema },
      },
    },
    async (req, reply) => {
      await hits.deleteHit(database, actor(req), req.params.id, req.query.version);
      return reply.status(204).send(null);
    },
  );
};
