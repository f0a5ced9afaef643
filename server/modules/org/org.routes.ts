import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZIdParamSchema,
  ZImportQuerySchema,
  ZImportResultSchema,
  ZNoContentSchema,
  ZVersionQuerySchema,
} from '../../../core/contracts/common.js';
import {
  ZBoundaryExportQuerySchema,
  ZBoundaryImportResultSchema,
  ZCreateRegionRequestSchema,
  ZCreateUnitRequestSchema,
  ZCreateUserRequestSchema,
  ZListRegionsQuerySchema,
  ZListUnitsQuerySchema,
  ZListUsersQuerySchema,
  ZRegionBoundaryInputSchema,
  ZRegionBoundaryResultSchema,
  ZRegionListSchema,
  ZRegionSchema,
  ZResetPasswordRequestSchema,
  ZUnitPageSchema,
  ZUnitExportQuerySchema,
  ZUnitSchema,
  ZUpdateRegionRequestSchema,
  ZUpdateUnitRequestSchema,
  ZUpdateUserRequestSchema,
  ZUserExportQuerySchema,
  ZUserPageSchema,
  ZUserSchema,
} from '../../../core/contracts/org.js';
import { Permission } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { actor } from '../../platform/http.js';
import { isDryRun, receiveUpload } from '../../platform/xlsx-import.js';
import { xlsxHeaders } from '../../platform/xlsx.js';
import { AppError } from '../../platform/errors.js';
import * as boundaries from './region-boundaries.service.js';
import * as regions from './regions.service.js';
import * as units from './units.service.js';
import { exportUnits, importUnits } from './units-xlsx.js';
import * as users from './users.service.js';
import { exportUsers, importUsers } from './users-xlsx.js';

const stamp = () => new Date().toISOString().slice(0, 10);

export const orgRoutes: FastifyPluginAsyncZod<{ database: Database }> = async (
  app,
  { database },
) => {
  // ----- regions 行政区划 -----
  app.get(
    '/api/regions',
    {
      schema: {
        tags: ['org'],
        summary: 'List regions',
        querystring: ZListRegionsQuerySchema,
        response: { 200: ZRegionListSchema },
      },
    },
    async (req) => ({ items: await regions.listRegions(database, actor(req), req.query) }),
  );
  app.get(
    '/api/regions/:id',
    { schema: { tags: ['org'], params: ZIdParamSchema, response: { 200: ZRegionSchema } } },
    async (req) => regions.getRegion(database, actor(req), req.params.id),
  );
  app.post(
    '/api/regions',
    {
      schema: {
        tags: ['org'],
        summary: 'Create a region',
        body: ZCreateRegionRequestSchema,
        response: { 201: ZRegionSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await regions.createRegion(database, actor(req), req.body)),
  );
  app.patch(
    '/api/regions/:id',
    {
      schema: {
        tags: ['org'],
        params: ZIdParamSchema,
        body: ZUpdateRegionRequestSchema,
        response: { 200: ZRegionSchema },
      },
    },
    async (req) => regions.updateRegion(database, actor(req), req.params.id, req.body),
  );
  app.delete(
    '/api/regions/:id',
    {
      schema: {
        tags: ['org'],
        params: ZIdParamSchema,
        querystring: ZVersionQuerySchema,
        response: { 204: ZNoContentSchema },
      },
    },
    async (req, reply) => {
      await regions.deleteRegion(database, actor(req), req.params.id, req.query.version);
      return reply.status(204).send(null);
    },
  );

  // ----- 区划边界 region boundaries -----
  app.get(
    '/api/regions/boundaries.geojson',
    {
      schema: {
        tags: ['org'],
        summary: "The boundaries of a region's subtree as GeoJSON (the import reads it back)",
        querystring: ZBoundaryExportQuerySchema,
      },
    },
    async (req, reply) =>
      reply
        .header('content-type', 'application/geo+json; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename*=UTF-8''${encodeURIComponent(`区划边界-${stamp()}.geojson`)}`,
        )
        .send(JSON.stringify(await boundaries.exportBoundaries(database, actor(req), req.query))),
  );
  app.post(
    '/api/regions/boundaries/import',
    {
      schema: {
        tags: ['org'],
        summary:
          'Import region boundaries from a GeoJSON FeatureCollection (by code or name; all or nothing)',
        consumes: ['multipart/form-data'],
        querystring: ZImportQuerySchema,
        response: { 200: ZBoundaryImportResultSchema },
      },
    },
    async (req) => {
      const file = await receiveUpload(req, Permission.RegionWrite);
      let doc: unknown;
      try {
        doc = JSON.parse(file.data.toString('utf8'));
      } catch {
        throw new AppError('invalid', 400, {
          zh: '文件不是有效的 GeoJSON（JSON 格式错误）',
          en: 'the file is not valid GeoJSON (malformed JSON)',
        });
      }
      return boundaries.importBoundaries(database, actor(req), doc, {
        filename: file.filename,
        dryRun: isDryRun(req.query),
      });
    },
  );
  app.put(
    '/api/regions/:id/boundary',
    {
      schema: {
        tags: ['org'],
        summary: "Set a region's boundary (problems it places are re-derived)",
        params: ZIdParamSchema,
        body: ZRegionBoundaryInputSchema,
        response: { 200: ZRegionBoundaryResultSchema },
      },
    },
    async (req) => boundaries.putBoundary(database, actor(req), req.params.id, req.body),
  );
  app.delete(
    '/api/regions/:id/boundary',
    {
      schema: {
        tags: ['org'],
        summary: "Remove a region's boundary (problems it placed are re-derived)",
        params: ZIdParamSchema,
        querystring: ZVersionQuerySchema,
        response: { 200: ZRegionBoundaryResultSchema },
      },
    },
    async (req) =>
      boundaries.deleteBoundary(database, actor(req), req.params.id, req.query.version),
  );

  // ----- units 单位 -----
  app.get(
    '/api/units',
    {
      schema: {
        tags: ['org'],
        summary: 'List units (keyset-paginated)',
        querystring: ZListUnitsQuerySchema,
        response: { 200: ZUnitPageSchema },
      },
    },
    async (req) => units.listUnits(database, actor(req), req.query),
  );
  app.get(
    '/api/units/export.xlsx',
    {
      schema: {
        tags: ['org'],
        summary: 'Export the filtered units as XLSX',
        querystring: ZUnitExportQuerySchema,
      },
    },
    async (req, reply) => {
      const stream = exportUnits(database, actor(req), req.query);
      return reply.headers(xlsxHeaders(`单位-${stamp()}.xlsx`)).send(stream);
    },
  );
  app.post(
    '/api/units/import',
    {
      schema: {
        tags: ['org'],
        summary: 'Import units from XLSX (all or nothing; 422 lists every bad row)',
        consumes: ['multipart/form-data'],
        querystring: ZImportQuerySchema,
        response: { 200: ZImportResultSchema },
      },
    },
    async (req) => {
      const file = await receiveUpload(req, Permission.UnitImport);
      return importUnits(database, actor(req), file, { dryRun: isDryRun(req.query) });
    },
  );
  app.get(
    '/api/units/:id',
    { schema: { tags: ['org'], params: ZIdParamSchema, response: { 200: ZUnitSchema } } },
    async (req) => units.getUnit(database, actor(req), req.params.id),
  );
  app.post(
    '/api/units',
    {
      schema: {
        tags: ['org'],
        summary: 'Create a unit',
        body: ZCreateUnitRequestSchema,
        response: { 201: ZUnitSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await units.createUnit(database, actor(req), req.body)),
  );
  app.patch(
    '/api/units/:id',
    {
      schema: {
        tags: ['org'],
        params: ZIdParamSchema,
        body: ZUpdateUnitRequestSchema,
        response: { 200: ZUnitSchema },
      },
    },
    async (req) => units.updateUnit(database, actor(req), req.params.id, req.body),
  );
  app.delete(
    '/api/units/:id',
    {
      schema: {
        tags: ['org'],
        params: ZIdParamSchema,
        querystring: ZVersionQuerySchema,
        response: { 204: ZNoContentSchema },
      },
    },
    async (req, reply) => {
      await units.deleteUnit(database, actor(req), req.params.id, req.query.version);
      return reply.status(204).send(null);
    },
  );

  // ----- users 用户 -----
  app.get(
    '/api/users',
    {
      schema: {
        tags: ['org'],
        summary: 'List users in my scope',
        querystring: ZListUsersQuerySchema,
        response: { 200: ZUserPageSchema },
      },
    },
    async (req) => users.listUsers(database, actor(req), req.query),
  );
  app.get(
    '/api/users/export.xlsx',
    {
      schema: {
        tags: ['org'],
        summary: 'Export the filtered users as XLSX',
        querystring: ZUserExportQuerySchema,
      },
    },
    async (req, reply) => {
      const stream = exportUsers(database, actor(req), req.query);
      return reply.headers(xlsxHeaders(`用户-${stamp()}.xlsx`)).send(stream);
    },
  );
  app.post(
    '/api/users/import',
    {
      schema: {
        tags: ['org'],
        summary: 'Import users from XLSX (all or nothing; 422 lists every bad row)',
        consumes: ['multipart/form-data'],
        querystring: ZImportQuerySchema,
        response: { 200: ZImportResultSchema },
      },
    },
    async (req) => {
      const file = await receiveUpload(req, Permission.UserImport);
      return importUsers(database, actor(req), file, { dryRun: isDryRun(req.query) });
    },
  );
  app.get(
    '/api/users/:id',
    { schema: { tags: ['org'], params: ZIdParamSchema, response: { 200: ZUserSchema } } },
    async (req) => users.getUser(database, actor(req), req.params.id),
  );
  app.post(
    '/api/users',
    {
      schema: {
        tags: ['org'],
        summary: 'Create a user',
        body: ZCreateUserRequestSchema,
        response: { 201: ZUserSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await users.createUser(database, actor(req), req.body)),
  );
  app.patch(
    '/api/users/:id',
    {
      schema: {
        tags: ['org'],
        params: ZIdParamSchema,
        body: ZUpdateUserRequestSchema,
        response: { 200: ZUserSchema },
      },
    },
    async (req) => users.updateUser(database, actor(req), req.params.id, req.body),
  );
  app.post(
    '/api/users/:id/reset-password',
    {
      schema: {
        tags: ['org'],
        params: ZIdParamSchema,
        body: ZResetPasswordRequestSchema,
        response: { 200: ZUserSchema },
      },
    },
    async (req) => users.resetPassword(database, actor(req), req.params.id, req.body),
  );
};
