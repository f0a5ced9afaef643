import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZIdParamSchema } from '../../../core/contracts/common.js';
import {
  ZListVisitsQuerySchema,
  ZMyRoundSchema,
  ZRoundReportSchema,
  ZVisitCorrectionSchema,
  ZVisitSchema,
  ZVisitSubmitSchema,
} from '../../../core/contracts/inspections.js';
import type { Database } from '../../db/client.js';
import { Permission } from '../../../core/permissions.js';
import { requirePermission } from '../../platform/actor.js';
import { actor } from '../../platform/http.js';
import { xlsxHeaders } from '../../platform/xlsx.js';
import { ZImportResultSchema } from '../../../core/contracts/common.js';
import { AppError } from '../../platform/errors.js';
import {
  exportDeclaration,
  importDeclaration,
  pointsOverview,
  ZPointOverviewSchema,
  ZPointsOverviewQuerySchema,
} from './points-overview.js';
import { roundReport } from './round-report.js';
import { roundReportWorkbook } from './round-report-xlsx.js';
import * as service from './visits.service.js';

/** Field inspections (实地检查), their findings, the round report and the points overview. */
export const visitRoutes: FastifyPluginAsyncZod<{ database: Database }> = async (
  app,
  { database },
) => {
  const tags = ['inspections'];
  app.get(
    '/api/inspections/mine',
    {
      schema: {
        tags,
        summary: "The inspector's drawn rounds with points and checklists (kept offline)",
        response: { 200: z.object({ items: z.array(ZMyRoundSchema) }) },
      },
    },
    async (req) => service.myRounds(database, actor(req)),
  );
  app.post(
    '/api/visits',
    {
      schema: {
        tags,
        summary: 'Submit a visit (idempotent on clientId: a retry returns the stored visit)',
        body: ZVisitSubmitSchema,
        response: { 200: ZVisitSchema, 201: ZVisitSchema },
      },
    },
    async (req, reply) => {
      const { visit, created } = await service.submitVisit(database, actor(req), req.body);
      return reply.status(created ? 201 : 200).send(visit);
    },
  );
  app.post(
    '/api/visits/:id/corrections',
    {
      schema: {
        tags,
        summary: 'Correct a visit: appends a new version with a reason (idempotent on clientId)',
        params: ZIdParamSchema,
        body: ZVisitCorrectionSchema,
        response: { 200: ZVisitSchema, 201: ZVisitSchema },
      },
    },
    async (req, reply) => {
      const { visit, created } = await service.correctVisit(
        database,
        actor(req),
        req.params.id,
        req.body,
      );
      return reply.status(created ? 201 : 200).send(visit);
    },
  );
  app.get(
    '/api/visits',
    {
      schema: {
        tags,
        summary: 'Visits (latest versions unless history=true), scoped',
        querystring: ZListVisitsQuerySchema,
        response: { 200: z.object({ items: z.array(ZVisitSchema) }) },
      },
    },
    async (req) => service.listVisits(database, actor(req), req.query),
  );
  app.get(
    '/api/visits/:id',
    {
      schema: {
        tags,
        summary: 'A visit with all versions of it',
        params: ZIdParamSchema,
        response: { 200: z.object({ visit: ZVisitSchema, versions: z.array(ZVisitSchema) }) },
      },
    },
    async (req) => service.getVisit(database, actor(req), req.params.id),
  );
  app.get(
    '/api/rounds/:id/report',
    {
      schema: {
        tags,
        summary:
          'Round report: pass rates by type, region, unit, point, item and framework standard',
        params: ZIdParamSchema,
        response: { 200: ZRoundReportSchema },
      },
    },
    async (req) => roundReport(database, actor(req), req.params.id),
  );
  app.get(
    '/api/rounds/:id/report.xlsx',
    {
      schema: {
        tags,
        summary: 'Round report as XLSX (sheets 测评报告 and 按测评标准)',
        params: ZIdParamSchema,
      },
    },
    async (req, reply) => {
      const r = await roundReport(database, actor(req), req.params.id);
      return reply
        .headers(xlsxHeaders(`${r.roundName}-测评报告.xlsx`))
        .send(await roundReportWorkbook(r));
    },
  );
  app.get(
    '/api/points/overview',
    {
      schema: {
        tags,
        summary: 'Points with their latest inspection result (map and list)',
        querystring: ZPointsOverviewQuerySchema,
        response: { 200: z.object({ items: z.array(ZPointOverviewSchema) }) },
      },
    },
    async (req) => pointsOverview(database, actor(req), req.query),
  );
  app.get(
    '/api/points/declaration.xlsx',
    {
      schema: {
        tags,
        summary: '实地考察地点申报表 (the declared points) as XLSX',
        querystring: ZPointsOverviewQuerySchema,
      },
    },
    async (req, reply) =>
      reply
        .headers(xlsxHeaders(`实地考察地点申报表-${new Date().toISOString().slice(0, 10)}.xlsx`))
        .send(await exportDeclaration(database, actor(req), req.query)),
  );
  app.post(
    '/api/points/declaration/import',
    {
      schema: {
        tags,
        summary: 'Import a 申报表 (XLSX): known points (name + type) updated, others created',
        consumes: ['multipart/form-data'],
        response: { 200: ZImportResultSchema },
      },
    },
    async (req) => {
      // The permission before the upload is read: no one else makes the server buffer a file.
      requirePermission(actor(req), Permission.ProblemManage);
      const file = req.isMultipart() ? await req.file() : undefined;
      if (!file) {
        throw new AppError('no_file', 400, {
          zh: '请选择要导入的文件',
          en: 'choose a file to import',
        });
      }
      return importDeclaration(database, actor(req), await file.toBuffer());
    },
  );
};
