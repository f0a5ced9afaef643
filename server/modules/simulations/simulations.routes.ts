import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZIdParamSchema } from '../../../core/contracts/common.js';
import {
  ZSimulationCheckCorrectionSchema,
  ZSimulationCheckInputSchema,
  ZSimulationCheckListQuerySchema,
  ZSimulationCheckListSchema,
  ZSimulationCheckSchema,
  ZSimulationTargetInputSchema,
  ZSimulationTargetListQuerySchema,
  ZSimulationTargetListSchema,
  ZSimulationTargetSchema,
  ZSimulationTargetUpdateSchema,
} from '../../../core/contracts/simulations.js';
import type { Database } from '../../db/client.js';
import { actor } from '../../platform/http.js';
import * as checks from './checks.service.js';
import * as service from './simulations.service.js';

/** 实景模拟验证: targets per simulation standard (the office), checks (the calls made), shares. */
export const simulationRoutes: FastifyPluginAsyncZod<{ database: Database }> = async (
  app,
  { database },
) => {
  const tags = ['simulations'];
  app.get(
    '/api/simulation-targets',
    {
      schema: {
        tags,
        summary: 'Simulation targets with their pass criteria (a unit: its own)',
        querystring: ZSimulationTargetListQuerySchema,
        response: { 200: ZSimulationTargetListSchema },
      },
    },
    async (req) => service.listTargets(database, actor(req), req.query),
  );
  app.post(
    '/api/simulation-targets',
    {
      schema: {
        tags,
        summary: 'Add what to call for a simulation standard (the office)',
        body: ZSimulationTargetInputSchema,
        response: { 201: ZSimulationTargetSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await service.createTarget(database, actor(req), req.body)),
  );
  app.patch(
    '/api/simulation-targets/:id',
    {
      schema: {
        tags,
        summary: 'Edit or retire a simulation target (stale version → 409)',
        params: ZIdParamSchema,
        body: ZSimulationTargetUpdateSchema,
        response: { 200: ZSimulationTargetSchema },
      },
    },
    async (req) => service.updateTarget(database, actor(req), req.params.id, req.body),
  );
  app.get(
    '/api/simulation-checks',
    {
      schema: {
        tags,
        summary: "A round's or a year's simulation checks, judged, with each standard's share",
        querystring: ZSimulationCheckListQuerySchema,
        response: { 200: ZSimulationCheckListSchema },
      },
    },
    async (req) => service.listChecks(database, actor(req), req.query),
  );
  app.post(
    '/api/simulation-checks',
    {
      schema: {
        tags,
        summary:
          'Record a call (office, inspectors); a retry with the same clientId returns it; a failed check may raise a problem',
        body: ZSimulationCheckInputSchema,
        response: { 200: ZSimulationCheckSchema, 201: ZSimulationCheckSchema },
      },
    },
    async (req, reply) => {
      const r = await checks.recordCheck(database, actor(req), req.body);
      return reply.status(r.created ? 201 : 200).send(r.check);
    },
  );
  app.patch(
    '/api/simulation-checks/:id',
    {
      schema: {
        tags,
        summary:
          'Correct a check with the reason (the recorder or the office; stale version → 409)',
        params: ZIdParamSchema,
        body: ZSimulationCheckCorrectionSchema,
        response: { 200: ZSimulationCheckSchema },
      },
    },
    async (req) => checks.correctCheck(database, actor(req), req.params.id, req.body),
  );
};
