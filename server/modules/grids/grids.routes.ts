import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZIdParamSchema } from '../../../core/contracts/common.js';
import {
  ZActivePatrolSchema,
  ZClientIdParamSchema,
  ZEndPatrolSchema,
  ZGridDetailSchema,
  ZGridImportResultSchema,
  ZGridInputSchema,
  ZGridListSchema,
  ZGridMembersInputSchema,
  ZGridPatchSchema,
  ZGridPointsSchema,
  ZGridProblemPinsSchema,
  ZGridProblemsQuerySchema,
  ZGridQuerySchema,
  ZGridRegionQuerySchema,
  ZGridStatsListSchema,
  ZGridUpdateResultSchema,
  ZPatrolDetailSchema,
  ZPatrolListQuerySchema,
  ZPatrolListSchema,
  ZPatrolPointsResultSchema,
  ZPatrolPointsSchema,
  ZPatrolProblemSchema,
  ZPatrolSchema,
  ZPatrolSummaryQuerySchema,
  ZPatrolSummarySchema,
  ZReassignResultSchema,
  ZStartPatrolSchema,
} from '../../../core/contracts/grids.js';
import { ZProblemDetailSchema } from '../../../core/contracts/problems.js';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { Permission } from '../../../core/permissions.js';
import { requirePermission } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { actor } from '../../platform/http.js';
import * as geojson from './grids-geojson.service.js';
import * as grids from './grids.service.js';
import * as patrols from './patrols.service.js';

/** 网格: polygons, people, statistics, GeoJSON in and out; 巡查: patrols walked on the phone. */
export const gridRoutes: FastifyPluginAsyncZod<{ database: Database; config: Config }> = async (
  app,
  { database, config },
) => {
  const tags = ['grids'];
  const scheme = config.gridCodeScheme;
  app.get(
    '/api/grids',
    { schema: { tags, querystring: ZGridQuerySchema, response: { 200: ZGridListSchema } } },
    async (req) => grids.listGrids(database, actor(req), req.query),
  );
  app.get(
    '/api/grids/stats',
    {
      schema: {
        tags,
        summary: 'Problems (open/closed/overdue) and patrol coverage of every visible grid',
        response: { 200: ZGridStatsListSchema },
      },
    },
    async (req) => grids.listGridStats(database, actor(req)),
  );
  app.get(
    '/api/grids/export.geojson',
    {
      schema: {
        tags,
        summary: 'The visible grids as a GeoJSON FeatureCollection (the import reads it back)',
        querystring: ZGridRegionQuerySchema,
      },
    },
    async (req, reply) =>
      reply
        .header('content-type', 'application/geo+json; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename*=UTF-8''${encodeURIComponent(`网格-${new Date().toISOString().slice(0, 10)}.geojson`)}`,
        )
        .send(JSON.stringify(await geojson.exportGrids(database, actor(req), req.query))),
  );
  app.post(
    '/api/grids/import',
    {
      schema: {
        tags,
        summary:
          'Import grids from a GeoJSON FeatureCollection (all or nothing; known codes update)',
        consumes: ['multipart/form-data'],
        querystring: ZGridRegionQuerySchema,
        response: { 200: ZGridImportResultSchema },
      },
    },
    async (req) => {
      // Refused before the upload is read: no parsing for those who may not import.
      requirePermission(actor(req), Permission.GridWrite);
      const file = req.isMultipart() ? await req.file() : undefined;
      if (!file) {
        throw new AppError('no_file', 400, {
          zh: '请选择要导入的文件',
          en: 'choose a file to import',
        });
      }
      let doc: unknown;
      try {
        doc = JSON.parse((await file.toBuffer()).toString('utf8'));
      } catch {
        throw new AppError('invalid', 400, {
          zh: '文件不是有效的 GeoJSON（JSON 格式错误）',
          en: 'the file is not valid GeoJSON (malformed JSON)',
        });
      }
      return geojson.importGrids(database, actor(req), doc, scheme, req.query.regionId);
    },
  );
  app.post(
    '/api/grids/reassign',
    {
      schema: {
        tags,
        summary: 'Recompute the grid of every located problem (whole city)',
        response: { 200: ZReassignResultSchema },
      },
    },
    async (req) => grids.reassignCity(database, actor(req)),
  );
  app.post(
    '/api/grids',
    { schema: { tags, body: ZGridInputSchema, response: { 201: ZGridDetailSchema } } },
    async (req, reply) =>
      reply.status(201).send(await grids.createGrid(database, actor(req), req.body, scheme)),
  );
  app.get(
    '/api/grids/:id',
    { schema: { tags, params: ZIdParamSchema, response: { 200: ZGridDetailSchema } } },
    async (req) => grids.getGrid(database, actor(req), req.params.id),
  );
  app.patch(
    '/api/grids/:id',
    {
      schema: {
        tags,
        summary: 'Edit a grid; a new polygon reassigns the problems it gains and loses',
        params: ZIdParamSchema,
        body: ZGridPatchSchema,
        response: { 200: ZGridUpdateResultSchema },
      },
    },
    async (req) => grids.updateGrid(database, actor(req), req.params.id, req.body, scheme),
  );
  app.put(
    '/api/grids/:id/members',
    {
      schema: {
        tags,
        summary: "The grid's people: 网格长, 网格员, 楼栋长",
        params: ZIdParamSchema,
        body: ZGridMembersInputSchema,
        response: { 200: ZGridDetailSchema },
      },
    },
    async (req) => grids.setMembers(database, actor(req), req.params.id, req.body),
  );
  app.get(
    '/api/grids/:id/problems',
    {
      schema: {
        tags,
        params: ZIdParamSchema,
        querystring: ZGridProblemsQuerySchema,
        response: { 200: ZGridProblemPinsSchema },
      },
    },
    async (req) => grids.gridProblems(database, actor(req), req.params.id, req.query),
  );

  app.get(
    '/api/grids/:id/points',
    {
      schema: {
        tags,
        summary: 'The active points (点位) inside the grid',
        params: ZIdParamSchema,
        response: { 200: ZGridPointsSchema },
      },
    },
    async (req) => grids.gridPoints(database, actor(req), req.params.id),
  );

  const ptags = ['patrols'];
  app.get(
    '/api/patrols/summary',
    {
      schema: {
        tags: ptags,
        summary: 'Patrol log per worker and grid: patrols, distance, coverage, problems',
        querystring: ZPatrolSummaryQuerySchema,
        response: { 200: ZPatrolSummarySchema },
      },
    },
    async (req) => patrols.patrolSummary(database, actor(req), req.query.days),
  );
  app.get(
    '/api/patrols',
    {
      schema: {
        tags: ptags,
        querystring: ZPatrolListQuerySchema,
        response: { 200: ZPatrolListSchema },
      },
    },
    async (req) => patrols.listPatrols(database, actor(req), req.query),
  );
  app.get(
    '/api/patrols/active',
    {
      schema: {
        tags: ptags,
        summary: "The signed-in worker's patrol still under way, if any",
        response: { 200: ZActivePatrolSchema },
      },
    },
    async (req) => patrols.activePatrol(database, actor(req)),
  );
  app.get(
    '/api/patrols/:id',
    { schema: { tags: ptags, params: ZIdParamSchema, response: { 200: ZPatrolDetailSchema } } },
    async (req) => patrols.getPatrol(database, actor(req), req.params.id),
  );
  app.post(
    '/api/patrols',
    {
      schema: {
        tags: ptags,
        summary: 'Start a patrol (idempotent on clientId)',
        body: ZStartPatrolSchema,
        response: { 200: ZPatrolSchema, 201: ZPatrolSchema },
      },
    },
    async (req, reply) => {
      const { patrol, created } = await patrols.startPatrol(database, actor(req), req.body);
      return reply.status(created ? 201 : 200).send(patrol);
    },
  );
  app.post(
    '/api/patrols/:clientId/points',
    {
      schema: {
        tags: ptags,
        summary: 'Add GPS samples (numbered; a re-sent batch adds nothing)',
        params: ZClientIdParamSchema,
        body: ZPatrolPointsSchema,
        response: { 200: ZPatrolPointsResultSchema },
      },
    },
    async (req) => patrols.addPoints(database, actor(req), req.params.clientId, req.body),
  );
  app.post(
    '/api/patrols/:clientId/problems',
    {
      schema: {
        tags: ptags,
        summary: 'Report a problem found on the patrol (channel patrol; idempotent on clientId)',
        params: ZClientIdParamSchema,
        body: ZPatrolProblemSchema,
        response: { 200: ZProblemDetailSchema, 201: ZProblemDetailSchema },
      },
    },
    async (req, reply) => {
      const { detail, created } = await patrols.reportOnPatrol(
        database,
        actor(req),
        req.params.clientId,
        req.body,
      );
      return reply.status(created ? 201 : 200).send(detail);
    },
  );
  app.post(
    '/api/patrols/:clientId/end',
    {
      schema: {
        tags: ptags,
        summary: 'End the patrol: its length and coverage are fixed',
        params: ZClientIdParamSchema,
        body: ZEndPatrolSchema,
        response: { 200: ZPatrolSchema },
      },
    },
    async (req) => patrols.endPatrol(database, actor(req), req.params.clientId, req.body),
  );
};
