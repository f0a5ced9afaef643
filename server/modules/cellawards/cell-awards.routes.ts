import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZApplicationDetailSchema,
  ZApplicationParamsSchema,
  ZApplicationsListSchema,
  ZAssessmentInputSchema,
  ZCallDetailSchema,
  ZCallPatchSchema,
  ZCallsListSchema,
  ZCallStatusInputSchema,
  ZCreateApplicationSchema,
  ZCreateCallSchema,
  ZDecisionInputSchema,
  ZListCallsQuerySchema,
  ZMaterialFileFieldsSchema,
  ZMaterialInputSchema,
  ZMaterialParamsSchema,
  ZObjectionInputSchema,
  ZObjectionParamsSchema,
  ZObjectionPatchSchema,
  ZPublicityInputSchema,
} from '../../../core/contracts/cell-awards.js';
import { ZIdParamSchema } from '../../../core/contracts/common.js';
import type { Database } from '../../db/client.js';
import { AppError } from '../../platform/errors.js';
import { readForm } from '../../platform/form.js';
import { actor } from '../../platform/http.js';
import type { FileStorage } from '../../platform/storage.js';
import * as applications from './cell-award-applications.service.js';
import * as calls from './cell-award-calls.service.js';
import { decideApplication } from './decide-application.js';

/**
 * 文明细胞申报与测评: calls (申报通知), applications with their materials, the assessment (vetoes and
 * scores), 公示 with objections, the decision (conferring registers the holder).
 */
export const cellAwardRoutes: FastifyPluginAsyncZod<{
  database: Database;
  storage: FileStorage;
}> = async (app, { database, storage }) => {
  const tags = ['cell-awards'];
  app.get(
    '/api/cell-award-calls',
    {
      schema: {
        tags,
        summary: 'Calls for civilized-cell applications (申报通知), newest year first',
        querystring: ZListCallsQuerySchema,
        response: { 200: ZCallsListSchema },
      },
    },
    async (req) => calls.listCalls(database, actor(req), req.query),
  );
  app.post(
    '/api/cell-award-calls',
    {
      schema: {
        tags,
        summary: 'A new call (draft), assessed against the framework’s published version',
        body: ZCreateCallSchema,
        response: { 201: ZCallDetailSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await calls.createCall(database, actor(req), req.body)),
  );
  app.get(
    '/api/cell-award-calls/:id',
    {
      schema: {
        tags,
        summary: 'A call with the standards of its framework version',
        params: ZIdParamSchema,
        response: { 200: ZCallDetailSchema },
      },
    },
    async (req) => calls.getCall(database, actor(req), req.params.id),
  );
  app.patch(
    '/api/cell-award-calls/:id',
    {
      schema: {
        tags,
        summary: 'Edit a draft call (an open one: its title, deadline and notes)',
        params: ZIdParamSchema,
        body: ZCallPatchSchema,
        response: { 200: ZCallDetailSchema },
      },
    },
    async (req) => calls.updateCall(database, actor(req), req.params.id, req.body),
  );
  app.post(
    '/api/cell-award-calls/:id/status',
    {
      schema: {
        tags,
        summary: 'Move the call on: draft → open → assessing; publicity → decided (all decided)',
        params: ZIdParamSchema,
        body: ZCallStatusInputSchema,
        response: { 200: ZCallDetailSchema },
      },
    },
    async (req) => calls.moveCall(database, actor(req), req.params.id, req.body),
  );
  app.post(
    '/api/cell-award-calls/:id/publicity',
    {
      schema: {
        tags,
        summary: '公示: publish the proposed list from a start date (eligible, fully scored)',
        params: ZIdParamSchema,
        body: ZPublicityInputSchema,
        response: { 200: ZCallDetailSchema },
      },
    },
    async (req) => calls.publishCall(database, actor(req), req.params.id, req.body),
  );
  app.get(
    '/api/cell-award-calls/:id/applications',
    {
      schema: {
        tags,
        summary: 'The applications to a call with their totals, eligibility and decision',
        params: ZIdParamSchema,
        response: { 200: ZApplicationsListSchema },
      },
    },
    async (req) => applications.listApplications(database, actor(req), req.params.id),
  );
  app.post(
    '/api/cell-award-calls/:id/applications',
    {
      schema: {
        tags,
        summary: 'Register an application while the call is open (a unit, or a named place)',
        params: ZIdParamSchema,
        body: ZCreateApplicationSchema,
        response: { 201: ZApplicationDetailSchema },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await applications.createApplication(database, actor(req), req.params.id, req.body)),
  );
  app.get(
    '/api/cell-award-applications/:id',
    {
      schema: {
        tags,
        summary: 'An application: materials, vetoes, scores, objections, decision, certificate',
        params: ZApplicationParamsSchema,
        response: { 200: ZApplicationDetailSchema },
      },
    },
    async (req) => applications.getApplication(database, actor(req), req.params.id),
  );
  app.put(
    '/api/cell-award-applications/:id/materials/:standardKey',
    {
      schema: {
        tags,
        summary: 'The applicant’s report on a standard (≤ 500 characters)',
        params: ZMaterialParamsSchema,
        body: ZMaterialInputSchema,
        response: { 200: ZApplicationDetailSchema },
      },
    },
    async (req) =>
      applications.saveMaterial(
        database,
        actor(req),
        req.params.id,
        req.params.standardKey,
        req.body.report,
      ),
  );
  app.post(
    '/api/cell-award-applications/:id/materials/:standardKey/files',
    {
      schema: {
        tags,
        summary: 'Attach a document to the report on a standard (multipart: `title?`, then `file`)',
        params: ZMaterialParamsSchema,
        consumes: ['multipart/form-data'],
        response: { 201: ZApplicationDetailSchema },
      },
    },
    async (req, reply) => {
      const out = await applications.addMaterialFile(
        database,
        storage,
        actor(req),
        req.params.id,
        req.params.standardKey,
        async () => {
          if (!req.isMultipart()) {
            throw new AppError('invalid', 400, {
              zh: '请以表单方式上传（multipart/form-data）',
              en: 'upload as multipart/form-data',
            });
          }
          const { fields, files } = await readForm(req);
          const upload = files.at(-1);
          if (!upload) {
            throw new AppError('no_file', 400, { zh: '请选择要上传的文件', en: 'choose a file' });
          }
          return { upload, title: ZMaterialFileFieldsSchema.parse(fields).title };
        },
      );
      return reply.status(201).send(out);
    },
  );
  app.put(
    '/api/cell-award-applications/:id/assessment',
    {
      schema: {
        tags,
        summary: 'The assessment: veto answers, scores by standard (≤ its points), notes',
        params: ZApplicationParamsSchema,
        body: ZAssessmentInputSchema,
        response: { 200: ZApplicationDetailSchema },
      },
    },
    async (req) => applications.saveAssessment(database, actor(req), req.params.id, req.body),
  );
  app.post(
    '/api/cell-award-applications/:id/objections',
    {
      schema: {
        tags,
        summary: '异议 received during 公示: who, what, how it is handled',
        params: ZApplicationParamsSchema,
        body: ZObjectionInputSchema,
        response: { 201: ZApplicationDetailSchema },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await applications.addObjection(database, actor(req), req.params.id, req.body)),
  );
  app.patch(
    '/api/cell-award-applications/:id/objections/:objectionId',
    {
      schema: {
        tags,
        summary: 'How an objection was handled, and its outcome',
        params: ZObjectionParamsSchema,
        body: ZObjectionPatchSchema,
        response: { 200: ZApplicationDetailSchema },
      },
    },
    async (req) =>
      applications.updateObjection(
        database,
        actor(req),
        req.params.id,
        req.params.objectionId,
        req.body,
      ),
  );
  app.post(
    '/api/cell-award-applications/:id/decision',
    {
      schema: {
        tags,
        summary: 'Confer or not after 公示 ends; conferring registers the holder (honours)',
        params: ZApplicationParamsSchema,
        body: ZDecisionInputSchema,
        response: { 200: ZApplicationDetailSchema },
      },
    },
    async (req) => decideApplication(database, actor(req), req.params.id, req.body),
  );
};
