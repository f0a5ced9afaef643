import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZCreatedIdSchema, ZIdParamSchema } from '../../../core/contracts/common.js';
import {
  ZPairingInputSchema,
  ZCoverageQuerySchema,
  ZCoverageRowsSchema,
  ZOutreachPairingSchema,
  ZOutreachPairingsSchema,
  ZPairingPatchSchema,
  ZOutreachVisitsQuerySchema,
  ZOutreachVisitsSchema,
  ZVisitInputSchema,
  ZVisitSchema,
} from '../../../core/contracts/outreach.js';
import type { Database } from '../../db/client.js';
import { actor } from '../../platform/http.js';
import * as service from './outreach.service.js';

/** 包联 and 入户宣传: pairings of units with communities, household visits, coverage. */
export const outreachRoutes: FastifyPluginAsyncZod<{ database: Database }> = async (
  app,
  { database },
) => {
  const tags = ['outreach'];
  app.get(
    '/api/outreach/pairings',
    {
      schema: {
        tags,
        summary: '包联 pairings with their coverage (units see their own)',
        response: { 200: ZOutreachPairingsSchema },
      },
    },
    async (req) => service.listPairings(database, actor(req)),
  );
  app.post(
    '/api/outreach/pairings',
    {
      schema: {
        tags,
        summary: 'Pair a unit with a community or a building',
        body: ZPairingInputSchema,
        response: { 201: ZCreatedIdSchema },
      },
    },
    async (req, reply) => {
      const row = await service.createPairing(database, actor(req), req.body);
      return reply.status(201).send({ id: row.id });
    },
  );
  app.patch(
    '/api/outreach/pairings/:id',
    {
      schema: {
        tags,
        summary: 'Edit a pairing at its version: target households, leader, ended or resumed',
        params: ZIdParamSchema,
        body: ZPairingPatchSchema,
        response: { 200: ZOutreachPairingSchema },
      },
    },
    async (req) => service.updatePairing(database, actor(req), req.params.id, req.body),
  );
  app.post(
    '/api/outreach/visits',
    {
      schema: {
        tags,
        summary: 'Log a household visit (idempotent on clientId); a concern may become a problem',
        body: ZVisitInputSchema,
        response: { 200: ZVisitSchema, 201: ZVisitSchema },
      },
    },
    async (req, reply) => {
      const { visit, created } = await service.submitVisit(database, actor(req), req.body);
      return reply.status(created ? 201 : 200).send(visit);
    },
  );
  app.get(
    '/api/outreach/visits',
    {
      schema: {
        tags,
        summary: "Visits: one's own, a unit's, or all for the office",
        querystring: ZOutreachVisitsQuerySchema,
        response: { 200: ZOutreachVisitsSchema },
      },
    },
    async (req) => service.listVisits(database, actor(req), req.query),
  );
  app.get(
    '/api/outreach/coverage',
    {
      schema: {
        tags,
        summary: 'Household coverage per pairing, unit or community; laggards first',
        querystring: ZCoverageQuerySchema,
        response: { 200: ZCoverageRowsSchema },
      },
    },
    async (req) => service.coverage(database, actor(req), req.query),
  );
};
