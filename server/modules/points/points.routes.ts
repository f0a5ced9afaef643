import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZIdParamSchema, ZImportResultSchema } from '../../../core/contracts/common.js';
import {
  ZPointDetailSchema,
  ZPointTypeCreateSchema,
  ZPointTypeListSchema,
  ZPointTypePatchSchema,
  ZPointTypeSchema,
} from '../../../core/contracts/inspections.js';
import {
  ZPointAdoptSchema,
  ZPointInputSchema,
  ZPointListSchema,
  ZPointOverviewListSchema,
  ZPointPatchSchema,
  ZPointSchema,
  ZPointsOverviewQuerySchema,
  ZPointsQuerySchema,
} from '../../../core/contracts/points.js';
import { Permission } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { actor } from '../../platform/http.js';
import { receiveUpload } from '../../platform/xlsx-import.js';
import { xlsxHeaders } from '../../platform/xlsx.js';
import { exportDeclaration, importDeclaration, pointsOverview } from './declaration.service.js';
import { pointDetail } from './point-detail.service.js';
import * as pointTypesService from './point-types.service.js';
import * as pointsService from './points.service.js';

/** Point types, points, the points overview and the 申报表 (declared points). */
export const pointRoutes: FastifyPluginAsyncZod<{ database: Database }> = async (
  app,
  { database },
) => {
  const tags = ['points'];
  app.get(
    '/api/point-types',
    {
      schema: {
        tags,
        summary: 'Point types with checklists and how they are in use',
        response: { 200: ZPointTypeListSchema },
      },
    },
    async (req) => ({ items: await pointTypesService.listPointTypes(database, actor(req)) }),
  );
  app.get(
    '/api/point-types/:id',
    { schema: { tags, params: ZIdParamSchema, response: { 200: ZPointTypeSchema } } },
    async (req) => pointTypesService.getPointType(database, actor(req), req.params.id),
  );
  app.post(
    '/api/point-types',
    {
      schema: {
        tags,
        summary: 'Create a point type with its checklist',
        body: ZPointTypeCreateSchema,
        response: { 201: ZPointTypeSchema },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await pointTypesService.createPointType(database, actor(req), req.body)),
  );
  app.patch(
    '/api/point-types/:id',
    {
      schema: {
        tags,
        summary: 'Edit a point type (with the version read); in-use checklists only grow',
        params: ZIdParamSchema,
        body: ZPointTypePatchSchema,
        response: { 200: ZPointTypeSchema },
      },
    },
    async (req) => pointTypesService.updatePointType(database, actor(req), req.params.id, req.body),
  );
  app.get(
    '/api/points',
    {
      schema: {
        tags,
        summary: 'Points (点位), optionally of one type',
        querystring: ZPointsQuerySchema,
        response: { 200: ZPointListSchema },
      },
    },
    async (req) => pointsService.listPoints(database, actor(req), req.query),
  );
  app.get(
    '/api/points/:id',
    {
      schema: {
        tags,
        summary: 'A point with its grid (derived from the grid polygons) and change history',
        params: ZIdParamSchema,
        response: { 200: ZPointDetailSchema },
      },
    },
    async (req) => pointDetail(database, actor(req), req.params.id),
  );
  app.post(
    '/api/points',
    {
      schema: {
        tags,
        summary: 'Register a point',
        body: ZPointInputSchema,
        response: { 201: ZPointSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await pointsService.createPoint(database, actor(req), req.body)),
  );
  app.patch(
    '/api/points/:id',
    {
      schema: {
        tags,
        summary: 'Edit a point (with the version read)',
        params: ZIdParamSchema,
        body: ZPointPatchSchema,
        response: { 200: ZPointSchema },
      },
    },
    async (req) => pointsService.updatePoint(database, actor(req), req.params.id, req.body),
  );
  app.post(
    '/api/points/:id/adopt',
    {
      schema: {
        tags,
        summary: 'Take a place added during a round (随机查看) into the declared points',
        params: ZIdParamSchema,
        body: ZPointAdoptSchema,
        response: { 200: ZPointSchema },
      },
    },
    async (req) => pointsService.adoptPoint(database, actor(req), req.params.id, req.body),
  );

  // The points overview and the 申报表 (listed with the inspections in the API document).
  const inspectionTags = ['inspections'];
  app.get(
    '/api/points/overview',
    {
      schema: {
        tags: inspectionTags,
        summary: 'Points with their latest inspection result (map and list)',
        querystring: ZPointsOverviewQuerySchema,
        response: { 200: ZPointOverviewListSchema },
      },
    },
    async (req) => pointsOverview(database, actor(req), req.query),
  );
  app.get(
    '/api/points/declaration.xlsx',
    {
      schema: {
        tags: inspectionTags,
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
        tags: inspectionTags,
        summary: 'Import a 申报表 (XLSX): known points (name + type) updated, others created',
        consumes: ['multipart/form-data'],
        response: { 200: ZImportResultSchema },
      },
    },
    async (req) => {
      const file = await receiveUpload(req, Permission.InspectionManage);
      return importDeclaration(database, actor(req), file);
    },
  );
};
