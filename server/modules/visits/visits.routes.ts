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
import { actor } from '../../platform/http.js';
import { streamSheet, xlsxHeaders } from '../../platform/xlsx.js';
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
import * as service from './visits.service.js';

const pct = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 10);

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
        summary: 'Round report: pass rates by type, region, unit, point and item',
        params: ZIdParamSchema,
        response: { 200: ZRoundReportSchema },
      },
    },
    async (req) => roundReport(database, actor(req), req.params.id),
  );
  app.get(
    '/api/rounds/:id/report.xlsx',
    { schema: { tags, summary: 'Round report as XLSX', params: ZIdParamSchema } },
    async (req, reply) => {
      const r = await roundReport(database, actor(req), req.params.id);
      const sections = [
        ['合计', [r.total]],
        ['点位类型', r.byType],
        ['区域', r.byRegion],
        ['包保单位', r.byUnit],
        ['点位', r.byPoint],
        ['检查项', r.byItem],
      ] as const;
      async function* batches() {
        await Promise.resolve();
        yield sections.flatMap(([dim, rows]) =>
          rows.map((x) => ({
            dim,
            label: x.label,
            visits: x.visits,
            passed: x.passed,
            failed: x.failed,
            passRate: pct(x.passRate),
            meanScore: pct(x.meanScore),
            qualifiedRate: pct(x.qualifiedRate),
            serious: x.seriousVisits,
          })),
        );
      }
      const stream = streamSheet(
        '测评报告',
        [
          { key: 'dim', header: '维度', width: 10 },
          { key: 'label', header: '名称', width: 36 },
          { key: 'visits', header: '检查数', width: 8 },
          { key: 'passed', header: '合格项', width: 8 },
          { key: 'failed', header: '不合格项', width: 8 },
          { key: 'passRate', header: '得分率(%)', width: 10 },
          { key: 'meanScore', header: '平均点位得分(%)', width: 14 },
          { key: 'qualifiedRate', header: '合格率(%)', width: 10 },
          { key: 'serious', header: '严重不合格', width: 10 },
        ],
        batches(),
      );
      return reply.headers(xlsxHeaders(`${r.roundName}-测评报告.xlsx`)).send(stream);
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
