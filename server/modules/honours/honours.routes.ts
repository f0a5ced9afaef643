import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZIdParamSchema,
  ZImportQuerySchema,
  ZImportResultSchema,
} from '../../../core/contracts/common.js';
import {
  ZHonourHistorySchema,
  ZHonourInputSchema,
  ZHonourPatchSchema,
  ZHonourSchema,
  ZHonoursExportQuerySchema,
  ZHonoursMapQuerySchema,
  ZHonoursMapSchema,
  ZHonoursPageSchema,
  ZListHonoursQuerySchema,
} from '../../../core/contracts/honours.js';
import { Permission } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { actor } from '../../platform/http.js';
import { isDryRun, receiveUpload } from '../../platform/xlsx-import.js';
import { xlsxHeaders } from '../../platform/xlsx.js';
import { exportHonours, importHonours } from './honours-xlsx.js';
import * as service from './honours.service.js';

/** 文明细胞: the registry of civilized-title holders (文明单位, 村镇, 校园, 社区, 家庭); XLSX in and out. */
export const honoursRoutes: FastifyPluginAsyncZod<{ database: Database }> = async (
  app,
  { database },
) => {
  const tags = ['honours'];
  app.get(
    '/api/honours',
    {
      schema: {
        tags,
        summary: 'Holders of civilized titles (文明细胞), filtered, newest year first',
        querystring: ZListHonoursQuerySchema,
        response: { 200: ZHonoursPageSchema },
      },
    },
    async (req) => service.listHonours(database, actor(req), req.query),
  );
  app.get(
    '/api/honours/export.xlsx',
    {
      schema: {
        tags,
        summary: 'The filtered holders as XLSX (streamed; the import reads it back)',
        querystring: ZHonoursExportQuerySchema,
      },
    },
    async (req, reply) =>
      reply
        .headers(xlsxHeaders(`文明细胞-${new Date().toISOString().slice(0, 10)}.xlsx`))
        .send(exportHonours(database, actor(req), req.query)),
  );
  app.post(
    '/api/honours/import',
    {
      schema: {
        tags,
        summary: 'Import holders from XLSX (all or nothing; a known title of a year is updated)',
        consumes: ['multipart/form-data'],
        querystring: ZImportQuerySchema,
        response: { 200: ZImportResultSchema },
      },
    },
    async (req) => {
      const file = await receiveUpload(req, Permission.UnitWrite);
      return importHonours(database, actor(req), file, { dryRun: isDryRun(req.query) });
    },
  );
  app.get(
    '/api/honours/map',
    {
      schema: {
        tags,
        summary:
          'The holders with a position, for a map layer (id, name, title, type, level, status)',
        querystring: ZHonoursMapQuerySchema,
        response: { 200: ZHonoursMapSchema },
      },
    },
    async (req) => service.honoursMap(database, actor(req), req.query),
  );
  app.get(
    '/api/honours/:id',
    { schema: { tags, params: ZIdParamSchema, response: { 200: ZHonourSchema } } },
    async (req) => service.getHonour(database, actor(req), req.params.id),
  );
  app.get(
    '/api/honours/:id/history',
    {
      schema: {
        tags,
        summary:
          "A holder's history from the audit log: registration, edits, status changes with their reasons, imports",
        params: ZIdParamSchema,
        response: { 200: ZHonourHistorySchema },
      },
    },
    async (req) => service.honourHistory(database, actor(req), req.params.id),
  );
  app.post(
    '/api/honours',
    { schema: { tags, body: ZHonourInputSchema, response: { 201: ZHonourSchema } } },
    async (req, reply) =>
      reply.status(201).send(await service.createHonour(database, actor(req), req.body)),
  );
  app.patch(
    '/api/honours/:id',
    {
      schema: {
        tags,
        summary: 'Edit a holder at its version; a change of status carries its reason (audited)',
        params: ZIdParamSchema,
        body: ZHonourPatchSchema,
        response: { 200: ZHonourSchema },
      },
    },
    async (req) => service.updateHonour(database, actor(req), req.params.id, req.body),
  );
};
