import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZIdParamSchema,
  ZImportQuerySchema,
  ZImportResultSchema,
} from '../../../core/contracts/common.js';
import {
  ZFrontageDutyInputSchema,
  ZFrontageDutyPatchSchema,
  ZFrontageDutySchema,
  ZFrontagePageSchema,
  ZListFrontageQuerySchema,
  ZProblemDutyHoldersSchema,
  ZZoneProblemSchema,
} from '../../../core/contracts/frontage.js';
import type { Database } from '../../db/client.js';
import { Permission } from '../../../core/permissions.js';
import { actor } from '../../platform/http.js';
import { isDryRun, receiveUpload } from '../../platform/xlsx-import.js';
import { xlsxHeaders } from '../../platform/xlsx.js';
import { exportDuties, importDuties } from './frontage-xlsx.js';
import * as service from './frontage.service.js';
import { z } from 'zod';

/** 门前三包: duty holders, their zones, the agreements and plaques; XLSX in and out. */
export const frontageRoutes: FastifyPluginAsyncZod<{ database: Database }> = async (
  app,
  { database },
) => {
  const tags = ['frontage'];
  app.get(
    '/api/frontage-duties',
    {
      schema: {
        tags,
        summary: 'Duty holders (门前三包), filtered',
        querystring: ZListFrontageQuerySchema,
        response: { 200: ZFrontagePageSchema },
      },
    },
    async (req) => service.listDuties(database, actor(req), req.query),
  );
  app.get(
    '/api/frontage-duties/export.xlsx',
    {
      schema: {
        tags,
        summary: 'The filtered duty holders as XLSX (streamed; the import reads it back)',
        querystring: ZListFrontageQuerySchema.omit({ limit: true, cursor: true }),
      },
    },
    async (req, reply) =>
      reply
        .headers(xlsxHeaders(`门前三包-${new Date().toISOString().slice(0, 10)}.xlsx`))
        .send(exportDuties(database, actor(req), req.query)),
  );
  app.post(
    '/api/frontage-duties/import',
    {
      schema: {
        tags,
        summary: 'Import duty holders from XLSX (all or nothing; known codes are updated)',
        consumes: ['multipart/form-data'],
        querystring: ZImportQuerySchema,
        response: { 200: ZImportResultSchema },
      },
    },
    async (req) => {
      const file = await receiveUpload(req, Permission.UnitWrite);
      return importDuties(database, actor(req), file, { dryRun: isDryRun(req.query) });
    },
  );
  app.get(
    '/api/frontage-duties/:id',
    { schema: { tags, params: ZIdParamSchema, response: { 200: ZFrontageDutySchema } } },
    async (req) => service.getDuty(database, actor(req), req.params.id),
  );
  app.get(
    '/api/frontage-duties/:id/problems',
    {
      schema: {
        tags,
        summary: "The holder's record: problems in its zone in the last 90 days",
        params: ZIdParamSchema,
        response: { 200: z.array(ZZoneProblemSchema) },
      },
    },
    async (req) => service.zoneProblems(database, actor(req), req.params.id),
  );
  app.post(
    '/api/frontage-duties',
    {
      schema: {
        tags,
        body: ZFrontageDutyInputSchema,
        response: { 201: ZFrontageDutySchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await service.createDuty(database, actor(req), req.body)),
  );
  app.patch(
    '/api/frontage-duties/:id',
    {
      schema: {
        tags,
        params: ZIdParamSchema,
        body: ZFrontageDutyPatchSchema,
        response: { 200: ZFrontageDutySchema },
      },
    },
    async (req) => service.updateDuty(database, actor(req), req.params.id, req.body),
  );
  app.get(
    '/api/problems/:id/frontage-duties',
    {
      schema: {
        tags,
        summary: 'The duty holders whose zone a problem lies in, nearest first',
        params: ZIdParamSchema,
        response: { 200: ZProblemDutyHoldersSchema },
      },
    },
    async (req) => service.holdersForProblem(database, actor(req), req.params.id),
  );
};
