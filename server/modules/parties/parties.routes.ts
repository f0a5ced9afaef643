import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZIdParamSchema,
  ZNoContentSchema,
  ZVersionQuerySchema,
} from '../../../core/contracts/common.js';
import {
  ZPartyInputSchema,
  ZPartyListSchema,
  ZPartySchema,
  ZPartyUpdateSchema,
} from '../../../core/contracts/org.js';
import type { Database } from '../../db/client.js';
import { actor } from '../../platform/http.js';
import * as service from './parties.service.js';

/** 集体责任方: groups of units and outside parties the 任务分解表 names. */
export const partyRoutes: FastifyPluginAsyncZod<{ database: Database }> = async (
  app,
  { database },
) => {
  const tags = ['org'];
  app.get(
    '/api/parties',
    {
      schema: {
        tags,
        summary: '集体责任方: groups of units (各区县…) and outside parties (各物业公司…)',
        response: { 200: ZPartyListSchema },
      },
    },
    async (req) => ({ items: await service.listParties(database, actor(req)) }),
  );
  app.post(
    '/api/parties',
    { schema: { tags, body: ZPartyInputSchema, response: { 201: ZPartySchema } } },
    async (req, reply) =>
      reply.status(201).send(await service.createParty(database, actor(req), req.body)),
  );
  app.patch(
    '/api/parties/:id',
    {
      schema: {
        tags,
        params: ZIdParamSchema,
        body: ZPartyUpdateSchema,
        response: { 200: ZPartySchema },
      },
    },
    async (req) => service.updateParty(database, actor(req), req.params.id, req.body),
  );
  app.delete(
    '/api/parties/:id',
    {
      schema: {
        tags,
        params: ZIdParamSchema,
        querystring: ZVersionQuerySchema,
        response: { 204: ZNoContentSchema },
      },
    },
    async (req, reply) => {
      await service.deleteParty(database, actor(req), req.params.id, req.query.version);
      return reply.status(204).send(null);
    },
  );
};
