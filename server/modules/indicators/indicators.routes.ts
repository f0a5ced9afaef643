import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZIdParamSchema,
  ZNoContentSchema,
  ZVersionQuerySchema,
} from '../../../core/contracts/common.js';
import {
  ZIndicatorInputSchema,
  ZIndicatorListQuerySchema,
  ZIndicatorListSchema,
  ZIndicatorSchema,
  ZIndicatorUpdateSchema,
  ZIndicatorValueCorrectionSchema,
  ZIndicatorValueInputSchema,
  ZIndicatorValueSchema,
  ZIndicatorValuesSchema,
} from '../../../core/contracts/indicators.js';
import type { Database } from '../../db/client.js';
import { actor } from '../../platform/http.js';
import * as service from './indicators.service.js';

/** 硬性指标: definitions (the office), values per period (the responsible unit), compliance. */
export const indicatorRoutes: FastifyPluginAsyncZod<{ database: Database }> = async (
  app,
  { database },
) => {
  const tags = ['indicators'];
  app.get(
    '/api/indicators',
    {
      schema: {
        tags,
        summary: 'Indicators with compliance, trend and missing periods (a unit: its own)',
        querystring: ZIndicatorListQuerySchema,
        response: { 200: ZIndicatorListSchema },
      },
    },
    async (req) => service.listIndicators(database, actor(req), req.query),
  );
  app.post(
    '/api/indicators',
    {
      schema: {
        tags,
        summary: 'Add an indicator to a standard (the office)',
        body: ZIndicatorInputSchema,
        response: { 201: ZIndicatorSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await service.createIndicator(database, actor(req), req.body)),
  );
  app.get(
    '/api/indicators/:id',
    { schema: { tags, params: ZIdParamSchema, response: { 200: ZIndicatorSchema } } },
    async (req) => service.getIndicator(database, actor(req), req.params.id),
  );
  app.patch(
    '/api/indicators/:id',
    {
      schema: {
        tags,
        summary: "Edit an indicator's definition (stale version → 409)",
        params: ZIdParamSchema,
        body: ZIndicatorUpdateSchema,
        response: { 200: ZIndicatorSchema },
      },
    },
    async (req) => service.updateIndicator(database, actor(req), req.params.id, req.body),
  );
  app.delete(
    '/api/indicators/:id',
    {
      schema: {
        tags,
        params: ZIdParamSchema,
        querystring: ZVersionQuerySchema,
        response: { 204: ZNoContentSchema },
      },
    },
    async (req, reply) => {
      await service.deleteIndicator(database, actor(req), req.params.id, req.query.version);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/api/indicators/:id/values',
    {
      schema: {
        tags,
        summary: "An indicator's reported values, newest period first",
        params: ZIdParamSchema,
        response: { 200: ZIndicatorValuesSchema },
      },
    },
    async (req) => service.listValues(database, actor(req), req.params.id),
  );
  app.post(
    '/api/indicators/:id/values',
    {
      schema: {
        tags,
        summary: 'Report the value of a period (the responsible unit; one per period)',
        params: ZIdParamSchema,
        body: ZIndicatorValueInputSchema,
        response: { 200: ZIndicatorValueSchema, 201: ZIndicatorValueSchema },
      },
    },
    async (req, reply) => {
      const r = await service.reportValue(database, actor(req), req.params.id, req.body);
      return reply.status(r.created ? 201 : 200).send(r.value);
    },
  );
  app.patch(
    '/api/indicator-values/:id',
    {
      schema: {
        tags,
        summary: 'Correct a reported value, with the reason (audited; stale version → 409)',
        params: ZIdParamSchema,
        body: ZIndicatorValueCorrectionSchema,
        response: { 200: ZIndicatorValueSchema },
      },
    },
    async (req) => service.correctValue(database, actor(req), req.params.id, req.body),
  );
};
