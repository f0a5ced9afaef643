import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { ZIdParamSchema } from '../../../core/contracts/common.js';
import {
  ZPointDetailSchema,
  ZPointTypeCreateSchema,
  ZPointTypePatchSchema,
  ZPointTypeSchema,
} from '../../../core/contracts/inspections.js';
import { Permission } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { points, pointTypes } from '../../db/schema/index.js';
import { requirePermission } from '../../platform/actor.js';
import { actor } from '../../platform/http.js';
import { pointDetail } from './point-detail.js';
import * as pointTypesService from './point-types.service.js';
import * as pointsService from './points.service.js';
import * as rounds from './rounds.service.js';

const ZRule = z.discriminatedUnion('mode', [
  z.object({ type: z.string().min(1).max(10), mode: z.literal('all') }),
  z.object({
    type: z.string().min(1).max(10),
    mode: z.literal('random'),
    count: z.number().int().min(0).max(10_000),
  }),
]);

const ZRoundInput = z.object({
  name: z.string().trim().min(2).max(60),
  kind: z.enum(['official', 'mock', 'supervision', 'secret']),
  startsOn: z.iso.date().nullable().optional(),
  endsOn: z.iso.date().nullable().optional(),
  plan: z
    .array(ZRule)
    .min(1)
    .max(50)
    .refine((p) => new Set(p.map((r) => r.type)).size === p.length, {
      message: '同一类型在方案中出现两次 / a point type appears twice in the plan',
    }),
  regionIds: z.array(z.number().int().positive()).max(100).default([]),
  inspectorIds: z.array(z.number().int().positive()).max(200).default([]),
});

/** Point types, points and inspection rounds with their verifiable draw. */
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
        response: { 200: z.object({ items: z.array(ZPointTypeSchema) }) },
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
        querystring: z.object({ type: z.string().max(10).optional() }),
      },
    },
    async (req) => {
      requirePermission(actor(req), Permission.ProblemRead);
      const rows = await database.db
        .select({ p: points, type: pointTypes.code, typeName: pointTypes.name })
        .from(points)
        .innerJoin(pointTypes, eq(pointTypes.id, points.typeId))
        .where(req.query.type ? eq(pointTypes.code, req.query.type) : undefined)
        .orderBy(asc(points.id));
      return { items: rows.map((r) => ({ ...r.p, type: r.type, typeName: r.typeName })) };
    },
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
    { schema: { tags, summary: 'Register a point', body: pointsService.ZPointInputSchema } },
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
        body: pointsService.ZPointPatchSchema,
      },
    },
    async (req) => pointsService.updatePoint(database, actor(req), req.params.id, req.body),
  );
  app.post(
    '/api/rounds',
    { schema: { tags, summary: 'Plan an inspection round', body: ZRoundInput } },
    async (req, reply) =>
      reply.status(201).send(await rounds.createRound(database, actor(req), req.body)),
  );
  app.get(
    '/api/rounds',
    { schema: { tags, summary: 'Inspection rounds, newest first' } },
    async (req) => rounds.listRounds(database, actor(req)),
  );
  app.get('/api/rounds/:id', { schema: { tags, params: ZIdParamSchema } }, async (req) =>
    rounds.getRound(database, actor(req), req.params.id),
  );
  app.post(
    '/api/rounds/:id/commit',
    {
      schema: {
        tags,
        summary: 'Freeze the eligible points and publish SHA-256(seed)',
        params: ZIdParamSchema,
      },
    },
    async (req) => rounds.commitRound(database, actor(req), req.params.id),
  );
  app.post(
    '/api/rounds/:id/draw',
    {
      schema: { tags, summary: 'Draw the points from the committed seed', params: ZIdParamSchema },
    },
    async (req) => rounds.drawRound(database, actor(req), req.params.id),
  );
  app.post(
    '/api/rounds/:id/reveal',
    {
      schema: {
        tags,
        summary: 'Publish the seed so anyone can re-run the draw',
        params: ZIdParamSchema,
      },
    },
    async (req) => rounds.revealRound(database, actor(req), req.params.id),
  );
  app.post(
    '/api/rounds/:id/verify-draw',
    { schema: { tags, summary: 'Re-run a revealed draw and check it', params: ZIdParamSchema } },
    async (req) => rounds.verifyRound(database, actor(req), req.params.id),
  );
};
