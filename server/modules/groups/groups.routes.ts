import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZCampaignIdQuerySchema,
  ZIdParamSchema,
  ZNoContentSchema,
  ZOptionalCampaignIdQuerySchema,
  ZVersionQuerySchema,
} from '../../../core/contracts/common.js';
import {
  ZPledgeScanQuerySchema,
  ZPledgeSchema,
  ZPledgeSignSchema,
  ZWorkingGroupInputSchema,
  ZWorkingGroupListSchema,
  ZWorkingGroupSchema,
  ZWorkingGroupUpdateSchema,
} from '../../../core/contracts/groups.js';
import type { Database } from '../../db/client.js';
import { AppError } from '../../platform/errors.js';
import { actor } from '../../platform/http.js';
import type { FileStorage } from '../../platform/storage.js';
import * as service from './groups.service.js';
import { uploadName } from '../../platform/form.js';

/** 攻坚组/工作组 and 目标责任书. */
export const groupRoutes: FastifyPluginAsyncZod<{
  database: Database;
  storage: FileStorage;
}> = async (app, { database, storage }) => {
  const tags = ['groups'];
  app.get(
    '/api/working-groups',
    {
      schema: {
        tags,
        summary: "A campaign's working groups: leader, member units, owned standards",
        querystring: ZOptionalCampaignIdQuerySchema,
        response: { 200: ZWorkingGroupListSchema },
      },
    },
    async (req) => ({
      items: await service.listGroups(database, actor(req), req.query.campaignId),
    }),
  );
  app.post(
    '/api/working-groups',
    {
      schema: { tags, body: ZWorkingGroupInputSchema, response: { 201: ZWorkingGroupSchema } },
    },
    async (req, reply) =>
      reply.status(201).send(await service.createGroup(database, actor(req), req.body)),
  );
  app.patch(
    '/api/working-groups/:id',
    {
      schema: {
        tags,
        params: ZIdParamSchema,
        body: ZWorkingGroupUpdateSchema,
        response: { 200: ZWorkingGroupSchema },
      },
    },
    async (req) => service.updateGroup(database, actor(req), req.params.id, req.body),
  );
  app.delete(
    '/api/working-groups/:id',
    {
      schema: {
        tags,
        summary: 'Delete a working group (stale version → 409)',
        params: ZIdParamSchema,
        querystring: ZVersionQuerySchema,
        response: { 204: ZNoContentSchema },
      },
    },
    async (req, reply) => {
      await service.deleteGroup(database, actor(req), req.params.id, req.query.version);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/api/units/:id/pledge',
    {
      schema: {
        tags,
        summary:
          "目标责任书: a unit's assignments and indicators on a campaign, and its signing status",
        params: ZIdParamSchema,
        querystring: ZCampaignIdQuerySchema,
        response: { 200: ZPledgeSchema },
      },
    },
    async (req) => service.getPledge(database, actor(req), req.query.campaignId, req.params.id),
  );
  app.post(
    '/api/units/:id/pledge/sign',
    {
      schema: {
        tags,
        summary: 'Record the signed scan of a unit’s 目标责任书 (stale version → 409)',
        params: ZIdParamSchema,
        body: ZPledgeSignSchema,
        response: { 200: ZPledgeSchema },
      },
    },
    async (req) => service.signPledge(database, actor(req), req.params.id, req.body),
  );
  app.post(
    '/api/units/:id/pledge/scan',
    {
      schema: {
        tags,
        summary:
          'Upload the signed scan of a unit’s 目标责任书 (multipart field `file`: PDF or image, checked by content) and record it (stale version → 409)',
        consumes: ['multipart/form-data'],
        params: ZIdParamSchema,
        querystring: ZPledgeScanQuerySchema,
        response: { 200: ZPledgeSchema },
      },
    },
    async (req) => {
      const file = req.isMultipart() ? await req.file() : undefined;
      if (!file) {
        throw new AppError('no_file', 400, {
          zh: '请选择签字扫描件',
          en: 'choose the signed scan to upload',
        });
      }
      const data = await file.toBuffer();
      return service.uploadSignedScan(database, storage, actor(req), req.params.id, req.query, {
        data,
        filename: uploadName(file.filename),
      });
    },
  );
};
