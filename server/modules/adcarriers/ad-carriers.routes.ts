import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZAdCampaignDetailSchema,
  ZAdCampaignDoneSchema,
  ZAdCampaignInputSchema,
  ZAdCampaignsSchema,
  ZCampaignCarrierParamSchema,
  ZCarrierInputSchema,
  ZCarrierPatchSchema,
  ZCarrierProblemResultSchema,
  ZCarrierRuleInputSchema,
  ZCarrierRulesSchema,
  ZCarrierSchema,
  ZCarriersDashboardQuerySchema,
  ZCarriersDashboardSchema,
  ZCarriersExportQuerySchema,
  ZCarriersMapQuerySchema,
  ZCarriersMapSchema,
  ZCarriersPageSchema,
  ZCarrierToProblemSchema,
  ZCoverageQuerySchema,
  ZCoverageSchema,
  ZListCarriersQuerySchema,
  ZPointIdParamSchema,
  ZPointMeasureInputSchema,
} from '../../../core/contracts/ad-carriers.js';
import {
  ZIdParamSchema,
  ZImportQuerySchema,
  ZImportResultSchema,
  ZNoContentSchema,
} from '../../../core/contracts/common.js';
import { Permission } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { actor } from '../../platform/http.js';
import { isDryRun, receiveUpload } from '../../platform/xlsx-import.js';
import { xlsxHeaders } from '../../platform/xlsx.js';
import * as campaigns from './ad-campaigns.service.js';
import { exportCarriers, importCarriers } from './ad-carriers-xlsx.js';
import * as service from './ad-carriers.service.js';

/** 公益广告阵地: carriers, rules per point type, coverage, 转为问题, 换版 campaigns, dashboard. */
export const adCarriersRoutes: FastifyPluginAsyncZod<{ database: Database }> = async (
  app,
  { database },
) => {
  const tags = ['ad-carriers'];
  app.get(
    '/api/ad-carriers',
    {
      schema: {
        tags,
        summary: '公益广告阵地, filtered, newest first',
        querystring: ZListCarriersQuerySchema,
        response: { 200: ZCarriersPageSchema },
      },
    },
    async (req) => service.listCarriers(database, actor(req), req.query),
  );
  app.get(
    '/api/ad-carriers/export.xlsx',
    {
      schema: {
        tags,
        summary: 'The filtered carriers as XLSX (streamed; the import reads it back)',
        querystring: ZCarriersExportQuerySchema,
      },
    },
    async (req, reply) =>
      reply
        .headers(xlsxHeaders(`公益广告阵地-${new Date().toISOString().slice(0, 10)}.xlsx`))
        .send(exportCarriers(database, actor(req), req.query)),
  );
  app.post(
    '/api/ad-carriers/import',
    {
      schema: {
        tags,
        summary: 'Import carriers from XLSX (all or nothing; a known code is updated)',
        consumes: ['multipart/form-data'],
        querystring: ZImportQuerySchema,
        response: { 200: ZImportResultSchema },
      },
    },
    async (req) => {
      const file = await receiveUpload(req, Permission.AdCarrierWrite);
      return importCarriers(database, actor(req), file, { dryRun: isDryRun(req.query) });
    },
  );
  app.get(
    '/api/ad-carriers/map',
    {
      schema: {
        tags,
        summary: 'The carriers for a map layer (code, kind, theme, state, position)',
        querystring: ZCarriersMapQuerySchema,
        response: { 200: ZCarriersMapSchema },
      },
    },
    async (req) => service.carriersMap(database, actor(req), req.query),
  );
  app.get(
    '/api/ad-carriers/coverage',
    {
      schema: {
        tags,
        summary: 'Coverage per point against its type’s rule, and per street',
        querystring: ZCoverageQuerySchema,
        response: { 200: ZCoverageSchema },
      },
    },
    async (req) => service.coverage(database, actor(req), req.query),
  );
  app.get(
    '/api/ad-carriers/dashboard',
    {
      schema: {
        tags,
        summary: 'Carriers by state and theme',
        querystring: ZCarriersDashboardQuerySchema,
        response: { 200: ZCarriersDashboardSchema },
      },
    },
    async (req) => service.carriersDashboard(database, actor(req), req.query),
  );
  app.get(
    '/api/ad-carrier-rules',
    {
      schema: { tags, summary: 'The rules per point type', response: { 200: ZCarrierRulesSchema } },
    },
    async (req) => service.listRules(database, actor(req)),
  );
  app.put(
    '/api/ad-carrier-rules',
    {
      schema: {
        tags,
        summary: 'Set a point type’s rule (the city office)',
        body: ZCarrierRuleInputSchema,
        response: { 200: ZCarrierRulesSchema },
      },
    },
    async (req) => service.putRule(database, actor(req), req.body),
  );
  app.delete(
    '/api/ad-carrier-rules/:id',
    {
      schema: {
        tags,
        summary: 'Remove a point type’s rule (id: the point type)',
        params: ZIdParamSchema,
        response: { 204: ZNoContentSchema },
      },
    },
    async (req, reply) => {
      await service.deleteRule(database, actor(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
  app.put(
    '/api/ad-carriers/point-measures/:pointId',
    {
      schema: {
        tags,
        summary: 'A point’s road length and measured hoarding share (for the coverage check)',
        params: ZPointIdParamSchema,
        body: ZPointMeasureInputSchema,
        response: { 204: ZNoContentSchema },
      },
    },
    async (req, reply) => {
      await service.putPointMeasure(database, actor(req), req.params.pointId, req.body);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/api/ad-campaigns',
    {
      schema: {
        tags,
        summary: '换版 campaigns with progress',
        response: { 200: ZAdCampaignsSchema },
      },
    },
    async (req) => campaigns.listCampaigns(database, actor(req)),
  );
  app.post(
    '/api/ad-campaigns',
    {
      schema: {
        tags,
        summary: 'Start a 换版 campaign over chosen carriers',
        body: ZAdCampaignInputSchema,
        response: { 201: ZAdCampaignDetailSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await campaigns.createCampaign(database, actor(req), req.body)),
  );
  app.get(
    '/api/ad-campaigns/:id',
    {
      schema: {
        tags,
        summary: 'A 换版 campaign, carrier by carrier',
        params: ZIdParamSchema,
        response: { 200: ZAdCampaignDetailSchema },
      },
    },
    async (req) => campaigns.getCampaign(database, actor(req), req.params.id),
  );
  app.post(
    '/api/ad-campaigns/:id/carriers/:carrierId/done',
    {
      schema: {
        tags,
        summary: 'Mark a carrier’s 换版 done with before and after photos',
        params: ZCampaignCarrierParamSchema,
        body: ZAdCampaignDoneSchema,
        response: { 200: ZAdCampaignDetailSchema },
      },
    },
    async (req) =>
      campaigns.markDone(database, actor(req), req.params.id, req.params.carrierId, req.body),
  );
  app.get(
    '/api/ad-carriers/:id',
    { schema: { tags, params: ZIdParamSchema, response: { 200: ZCarrierSchema } } },
    async (req) => service.getCarrier(database, actor(req), req.params.id),
  );
  app.post(
    '/api/ad-carriers',
    {
      schema: {
        tags,
        summary: 'Register a carrier (a repeated clientId answers the one registered: 200)',
        body: ZCarrierInputSchema,
        response: { 200: ZCarrierSchema, 201: ZCarrierSchema },
      },
    },
    async (req, reply) => {
      const { carrier, created } = await service.createCarrier(database, actor(req), req.body);
      return reply.status(created ? 201 : 200).send(carrier);
    },
  );
  app.patch(
    '/api/ad-carriers/:id',
    {
      schema: {
        tags,
        summary: 'Edit a carrier at its version; a change of state is audited with its reason',
        params: ZIdParamSchema,
        body: ZCarrierPatchSchema,
        response: { 200: ZCarrierSchema },
      },
    },
    async (req) => service.updateCarrier(database, actor(req), req.params.id, req.body),
  );
  app.post(
    '/api/ad-carriers/:id/problem',
    {
      schema: {
        tags,
        summary:
          '转为问题: a damaged or missing carrier becomes a problem dispatched to its maintainer',
        params: ZIdParamSchema,
        body: ZCarrierToProblemSchema,
        response: { 201: ZCarrierProblemResultSchema },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await service.carrierToProblem(database, actor(req), req.params.id, req.body)),
  );
};
