import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZIdParamSchema } from '../../../core/contracts/common.js';
import {
  ZBulletinSchema,
  ZBulletinListSchema,
  ZBulletinListQuerySchema,
  ZConsequenceListSchema,
  ZConsequenceQuerySchema,
  ZCreateBulletinSchema,
  ZCreateSnapshotSchema,
  ZPutRankingRulesSchema,
  ZRankingRulesResponseSchema,
  ZSnapshotListQuerySchema,
  ZSnapshotSchema,
  ZSnapshotListSchema,
  ZUnitHistorySchema,
} from '../../../core/contracts/rankings.js';
import type { Database } from '../../db/client.js';
import { actor } from '../../platform/http.js';
import { xlsxHeaders } from '../../platform/xlsx.js';
import { bulletinWorkbook } from './bulletin-xlsx.js';
import * as bulletins from './bulletins.service.js';
import * as service from './rankings.service.js';

/** 单位排名 (rules, snapshots, flags, consequences) and 通报 (bulletins). */
export const rankingRoutes: FastifyPluginAsyncZod<{ database: Database }> = async (
  app,
  { database },
) => {
  const tags = ['rankings'];
  app.get(
    '/api/rankings/rules',
    {
      schema: {
        tags,
        summary: 'The ranking rules',
        response: { 200: ZRankingRulesResponseSchema },
      },
    },
    async (req) => service.getRules(database, actor(req)),
  );
  app.put(
    '/api/rankings/rules',
    {
      schema: {
        tags,
        summary:
          'Edit the ranking rules (the city office; every level ranks by them; stale version → 409)',
        body: ZPutRankingRulesSchema,
        response: { 200: ZRankingRulesResponseSchema },
      },
    },
    async (req) => service.putRules(database, actor(req), req.body),
  );
  app.get(
    '/api/rankings/snapshots',
    {
      schema: {
        tags,
        summary:
          "Snapshots of the levels the caller sees, newest period first (a district office: its own and its streets'; a unit: published ones); ownerRegionId: one level's ('city' or a region id)",
        querystring: ZSnapshotListQuerySchema,
        response: { 200: ZSnapshotListSchema },
      },
    },
    async (req) => service.listSnapshots(database, actor(req), req.query),
  );
  app.post(
    '/api/rankings/snapshots',
    {
      schema: {
        tags,
        summary:
          "Compute the caller's level's ranking of a period (YYYY-MM or YYYY-Www; a district office: the units of its subtree) as a new draft version; 409 once published",
        body: ZCreateSnapshotSchema,
        response: { 201: ZSnapshotSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await service.createSnapshot(database, actor(req), req.body)),
  );
  app.get(
    '/api/rankings/snapshots/:id',
    {
      schema: {
        tags,
        summary: 'A snapshot by class (a unit: its own row of a published one)',
        params: ZIdParamSchema,
        response: { 200: ZSnapshotSchema },
      },
    },
    async (req) => service.getSnapshot(database, actor(req), req.params.id),
  );
  app.post(
    '/api/rankings/snapshots/:id/publish',
    {
      schema: {
        tags,
        summary: 'Publish a draft snapshot: flags become official, consequences are recorded',
        params: ZIdParamSchema,
        response: { 200: ZSnapshotSchema },
      },
    },
    async (req) => service.publishSnapshot(database, actor(req), req.params.id),
  );
  app.get(
    '/api/rankings/units/:id/history',
    {
      schema: {
        tags,
        summary: "A unit's published standings, flags and consequences",
        params: ZIdParamSchema,
        response: { 200: ZUnitHistorySchema },
      },
    },
    async (req) => service.unitHistory(database, actor(req), req.params.id),
  );
  app.get(
    '/api/rankings/consequences',
    {
      schema: {
        tags,
        summary: 'Consequences of consecutive flags (e.g. 约谈), newest first',
        querystring: ZConsequenceQuerySchema,
        response: { 200: ZConsequenceListSchema },
      },
    },
    async (req) => service.listConsequences(database, actor(req), req.query),
  );

  const btags = ['bulletins'];
  app.get(
    '/api/bulletins',
    {
      schema: {
        tags: btags,
        summary:
          "Bulletins of the levels the caller sees (a district office: its own and its streets'; a unit: published ones); ownerRegionId: one level's ('city' or a region id)",
        querystring: ZBulletinListQuerySchema,
        response: { 200: ZBulletinListSchema },
      },
    },
    async (req) => bulletins.listBulletins(database, actor(req), req.query),
  );
  app.post(
    '/api/bulletins',
    {
      schema: {
        tags: btags,
        summary: 'Generate a bulletin (draft) from a ranking snapshot; its content is frozen',
        body: ZCreateBulletinSchema,
        response: { 201: ZBulletinSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await bulletins.createBulletin(database, actor(req), req.body)),
  );
  app.get(
    '/api/bulletins/:id',
    { schema: { tags: btags, params: ZIdParamSchema, response: { 200: ZBulletinSchema } } },
    async (req) => bulletins.getBulletin(database, actor(req), req.params.id),
  );
  app.post(
    '/api/bulletins/:id/publish',
    {
      schema: {
        tags: btags,
        summary: 'Publish a draft bulletin (its ranking must be published; one per period)',
        params: ZIdParamSchema,
        response: { 200: ZBulletinSchema },
      },
    },
    async (req) => bulletins.publishBulletin(database, actor(req), req.params.id),
  );
  app.get(
    '/api/bulletins/:id/xlsx',
    {
      schema: {
        tags: btags,
        summary: 'The bulletin as XLSX (summary, rankings per class, flags, problems, trend)',
        params: ZIdParamSchema,
      },
    },
    async (req, reply) => {
      const b = await bulletins.getBulletin(database, actor(req), req.params.id);
      return reply.headers(xlsxHeaders(`${b.title}.xlsx`)).send(await bulletinWorkbook(b));
    },
  );
};
