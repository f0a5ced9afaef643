import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZIdParamSchema,
  ZNoContentSchema,
  ZVersionQuerySchema,
} from '../../../core/contracts/common.js';
import {
  ZAssignmentImportResultSchema,
  ZAssignmentListSchema,
  ZCampaignListSchema,
  ZListCampaignsQuerySchema,
  ZCampaignSchema,
  ZAssignmentSchema,
  ZCreateAssignmentRequestSchema,
  ZCreateCampaignRequestSchema,
  ZCreateFrameworkRequestSchema,
  ZCreateNodeRequestSchema,
  ZFrameworkImportResultSchema,
  ZFrameworkListSchema,
  ZFrameworkSchema,
  ZFrameworkTreeSchema,
  ZFrameworkWriteResultSchema,
  ZFrameworkImportPreviewSchema,
  ZImportErrorSheetQuerySchema,
  ZImportIntoCampaignQuerySchema,
  ZImportSheetQuerySchema,
  ZListAssignmentsQuerySchema,
  ZListFrameworksQuerySchema,
  ZMoveNodeRequestSchema,
  ZMyAssignmentListSchema,
  ZNegativeItemRequestSchema,
  ZNodeParamSchema,
  ZPublishPreviewSchema,
  ZPublishRequestSchema,
  ZUpdateAssignmentRequestSchema,
  ZUpdateCampaignRequestSchema,
  ZUpdateFrameworkRequestSchema,
  ZUpdateNegativeItemRequestSchema,
  ZUpdateNodeRequestSchema,
} from '../../../core/contracts/frameworks.js';
import type { Database } from '../../db/client.js';
import { AppError } from '../../platform/errors.js';
import { actor } from '../../platform/http.js';
import { xlsxHeaders } from '../../platform/xlsx.js';
import * as assignmentsService from './assignments.service.js';
import * as content from './framework-content.js';
import * as files from './framework-files.js';
import * as parse from './framework-parse.js';
import * as publish from './framework-publish.js';
import * as service from './frameworks.service.js';

const TAGS = ['frameworks'];

async function uploadedFile(req: FastifyRequest): Promise<Buffer> {
  const none = () =>
    new AppError('no_file', 400, { zh: '请选择要上传的文件', en: 'choose a file to upload' });
  if (!req.isMultipart()) throw none();
  const file = await req.file();
  if (!file) throw none();
  return file.toBuffer();
}

const attachment = (filename: string, type: string) => ({
  'content-type': type,
  'content-disposition': `attachment; filename="export"; filename*=UTF-8''${encodeURIComponent(filename)}`,
});

export const frameworkRoutes: FastifyPluginAsyncZod<{ database: Database }> = async (
  app,
  { database },
) => {
  // ----- campaigns 创建周期 -----
  app.get(
    '/api/campaigns',
    {
      schema: {
        tags: TAGS,
        summary: 'List campaigns with their frameworks (optionally of one kind: city / cells)',
        querystring: ZListCampaignsQuerySchema,
        response: { 200: ZCampaignListSchema },
      },
    },
    async (req) => ({ items: await service.listCampaigns(database, actor(req), req.query) }),
  );
  app.get(
    '/api/campaigns/:id',
    { schema: { tags: TAGS, params: ZIdParamSchema, response: { 200: ZCampaignSchema } } },
    async (req) => service.getCampaign(database, actor(req), req.params.id),
  );
  app.post(
    '/api/campaigns',
    {
      schema: {
        tags: TAGS,
        summary: 'Create a campaign (weights must add up to 100%)',
        body: ZCreateCampaignRequestSchema,
        response: { 201: ZCampaignSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await service.createCampaign(database, actor(req), req.body)),
  );
  app.patch(
    '/api/campaigns/:id',
    {
      schema: {
        tags: TAGS,
        params: ZIdParamSchema,
        body: ZUpdateCampaignRequestSchema,
        response: { 200: ZCampaignSchema },
      },
    },
    async (req) => service.updateCampaign(database, actor(req), req.params.id, req.body),
  );
  app.delete(
    '/api/campaigns/:id',
    {
      schema: {
        tags: TAGS,
        params: ZIdParamSchema,
        querystring: ZVersionQuerySchema,
        response: { 204: ZNoContentSchema },
      },
    },
    async (req, reply) => {
      await service.deleteCampaign(database, actor(req), req.params.id, req.query.version);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/campaigns/:id/frameworks/import',
    {
      schema: {
        tags: TAGS,
        summary:
          'Import a framework file (JSON or XLSX) as a new framework (draft v1); 422 lists every bad row',
        params: ZIdParamSchema,
        querystring: ZImportIntoCampaignQuerySchema,
        consumes: ['multipart/form-data'],
        response: { 201: ZFrameworkImportResultSchema },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(
          await files.importNewFramework(
            database,
            actor(req),
            req.params.id,
            await uploadedFile(req),
            req.query,
          ),
        ),
  );

  // ----- frameworks 测评体系 -----
  app.get(
    '/api/frameworks',
    {
      schema: {
        tags: TAGS,
        querystring: ZListFrameworksQuerySchema,
        response: { 200: ZFrameworkListSchema },
      },
    },
    async (req) => ({
      items: await service.listFrameworks(database, actor(req), req.query.campaignId),
    }),
  );
  app.get(
    '/api/frameworks/:id',
    { schema: { tags: TAGS, params: ZIdParamSchema, response: { 200: ZFrameworkSchema } } },
    async (req) => service.getFramework(database, actor(req), req.params.id),
  );
  app.post(
    '/api/frameworks',
    {
      schema: {
        tags: TAGS,
        summary: 'Create a framework with an empty draft v1',
        body: ZCreateFrameworkRequestSchema,
        response: { 201: ZFrameworkSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await service.createFramework(database, actor(req), req.body)),
  );
  app.patch(
    '/api/frameworks/:id',
    {
      schema: {
        tags: TAGS,
        params: ZIdParamSchema,
        body: ZUpdateFrameworkRequestSchema,
        response: { 200: ZFrameworkSchema },
      },
    },
    async (req) => service.updateFramework(database, actor(req), req.params.id, req.body),
  );
  app.post(
    '/api/frameworks/:id/import',
    {
      schema: {
        tags: TAGS,
        summary: 'Import a framework file as a new draft version of this framework',
        params: ZIdParamSchema,
        querystring: ZImportSheetQuerySchema,
        consumes: ['multipart/form-data'],
        response: { 201: ZFrameworkImportResultSchema },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(
          await files.importNewVersion(
            database,
            actor(req),
            req.params.id,
            await uploadedFile(req),
            req.query,
          ),
        ),
  );
  app.post(
    '/api/framework-imports/preview',
    {
      schema: {
        tags: TAGS,
        summary:
          'Read a framework file without importing it: what an import creates, the rows that need a decision, unknown unit names with the closest units, the columns and sheets',
        querystring: ZImportSheetQuerySchema,
        consumes: ['multipart/form-data'],
        response: { 200: ZFrameworkImportPreviewSchema },
      },
    },
    async (req) => parse.previewImport(database, actor(req), await uploadedFile(req), req.query),
  );
  app.post(
    '/api/framework-imports/error-sheet',
    {
      schema: {
        tags: TAGS,
        summary:
          "The office's workbook with a 问题 column: each row's problems, to fix and import again",
        querystring: ZImportErrorSheetQuerySchema,
        consumes: ['multipart/form-data'],
      },
    },
    async (req, reply) => {
      const { filename, body } = await parse.importErrorSheet(
        database,
        actor(req),
        await uploadedFile(req),
        req.query,
      );
      return reply.headers(xlsxHeaders(filename)).send(body);
    },
  );

  // ----- versions and their content -----
  app.get(
    '/api/framework-versions/:id/tree',
    {
      schema: {
        tags: TAGS,
        summary: 'The tree 项目 → 内容 → 标准 of a version, its negative list and totals',
        params: ZIdParamSchema,
        response: { 200: ZFrameworkTreeSchema },
      },
    },
    async (req) => service.getTree(database, actor(req), req.params.id),
  );
  app.post(
    '/api/framework-versions/:id/publish',
    {
      schema: {
        tags: TAGS,
        summary: 'Publish a draft: it comes into force, the previous version is superseded',
        params: ZIdParamSchema,
        body: ZPublishRequestSchema,
        response: { 200: ZFrameworkSchema },
      },
    },
    async (req) =>
      service.publishVersion(
        database,
        actor(req),
        req.params.id,
        req.body.version,
        req.body.confirmLosses,
      ),
  );
  app.get(
    '/api/framework-versions/:id/publish-preview',
    {
      schema: {
        tags: TAGS,
        summary:
          'What publishing a draft changes: standards added, removed and changed, the links it carries and those it cannot',
        params: ZIdParamSchema,
        response: { 200: ZPublishPreviewSchema },
      },
    },
    async (req) => publish.publishPreview(database, actor(req), req.params.id),
  );
  app.delete(
    '/api/framework-versions/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Delete a draft',
        params: ZIdParamSchema,
        querystring: ZVersionQuerySchema,
        response: { 204: ZNoContentSchema },
      },
    },
    async (req, reply) => {
      await service.deleteDraft(database, actor(req), req.params.id, req.query.version);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/api/framework-versions/:id/export.json',
    {
      schema: {
        tags: TAGS,
        summary: 'The version as a framework file (JSON)',
        params: ZIdParamSchema,
      },
    },
    async (req, reply) => {
      const { filename, doc } = await files.exportJson(database, actor(req), req.params.id);
      return reply
        .headers(attachment(filename, 'application/json; charset=utf-8'))
        .send(JSON.stringify(doc, null, 2));
    },
  );
  app.get(
    '/api/framework-versions/:id/export.xlsx',
    {
      schema: {
        tags: TAGS,
        summary: 'The version as the XLSX sheet the import reads (with the 任务分解)',
        params: ZIdParamSchema,
      },
    },
    async (req, reply) => {
      const { filename, body } = await files.exportXlsx(database, actor(req), req.params.id);
      return reply.headers(xlsxHeaders(filename)).send(body);
    },
  );
  const write = { 200: ZFrameworkWriteResultSchema };
  app.post(
    '/api/framework-versions/:id/nodes',
    {
      schema: {
        tags: TAGS,
        summary:
          'Add an item, content or standard (an in-use version is first copied into a new draft)',
        params: ZIdParamSchema,
        body: ZCreateNodeRequestSchema,
        response: write,
      },
    },
    async (req) => content.createNode(database, actor(req), req.params.id, req.body),
  );
  app.patch(
    '/api/framework-versions/:id/nodes/:nodeId',
    {
      schema: {
        tags: TAGS,
        params: ZNodeParamSchema,
        body: ZUpdateNodeRequestSchema,
        response: write,
      },
    },
    async (req) =>
      content.updateNode(database, actor(req), req.params.id, req.params.nodeId, req.body),
  );
  app.post(
    '/api/framework-versions/:id/nodes/:nodeId/move',
    {
      schema: {
        tags: TAGS,
        summary: 'Move a node among its siblings or under another parent of the same kind',
        params: ZNodeParamSchema,
        body: ZMoveNodeRequestSchema,
        response: write,
      },
    },
    async (req) =>
      content.moveNode(database, actor(req), req.params.id, req.params.nodeId, req.body),
  );
  app.delete(
    '/api/framework-versions/:id/nodes/:nodeId',
    {
      schema: {
        tags: TAGS,
        summary: 'Delete a node with everything under it',
        params: ZNodeParamSchema,
        querystring: ZVersionQuerySchema,
        response: write,
      },
    },
    async (req) =>
      content.deleteNode(database, actor(req), req.params.id, req.params.nodeId, req.query.version),
  );
  app.post(
    '/api/framework-versions/:id/negative-items',
    {
      schema: {
        tags: TAGS,
        params: ZIdParamSchema,
        body: ZNegativeItemRequestSchema,
        response: write,
      },
    },
    async (req) => content.createNegative(database, actor(req), req.params.id, req.body),
  );
  app.patch(
    '/api/framework-versions/:id/negative-items/:nodeId',
    {
      schema: {
        tags: TAGS,
        params: ZNodeParamSchema,
        body: ZUpdateNegativeItemRequestSchema,
        response: write,
      },
    },
    async (req) =>
      content.updateNegative(database, actor(req), req.params.id, req.params.nodeId, req.body),
  );
  app.delete(
    '/api/framework-versions/:id/negative-items/:nodeId',
    {
      schema: {
        tags: TAGS,
        params: ZNodeParamSchema,
        querystring: ZVersionQuerySchema,
        response: write,
      },
    },
    async (req) =>
      content.deleteNegative(
        database,
        actor(req),
        req.params.id,
        req.params.nodeId,
        req.query.version,
      ),
  );

  // ----- assignments 任务分解 -----
  app.get(
    '/api/my-assignments',
    {
      schema: {
        tags: TAGS,
        summary: "My unit's assignments on the frameworks in force (lead or shared)",
        response: { 200: ZMyAssignmentListSchema },
      },
    },
    async (req) => ({ items: await assignmentsService.listMyAssignments(database, actor(req)) }),
  );
  app.get(
    '/api/framework-versions/:id/assignments',
    {
      schema: {
        tags: TAGS,
        summary: 'The 任务分解 of a version (a unit sees only the standards it works on)',
        params: ZIdParamSchema,
        querystring: ZListAssignmentsQuerySchema,
        response: { 200: ZAssignmentListSchema },
      },
    },
    async (req) => ({
      items: await assignmentsService.listAssignments(
        database,
        actor(req),
        req.params.id,
        req.query,
      ),
    }),
  );
  app.post(
    '/api/framework-versions/:id/assignments',
    {
      schema: {
        tags: TAGS,
        summary: 'Add a task (standard → lead unit, responsible units, leader, deadline, notes)',
        params: ZIdParamSchema,
        body: ZCreateAssignmentRequestSchema,
        response: { 201: ZAssignmentSchema },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(
          await assignmentsService.createAssignment(database, actor(req), req.params.id, req.body),
        ),
  );
  app.patch(
    '/api/assignments/:id',
    {
      schema: {
        tags: TAGS,
        params: ZIdParamSchema,
        body: ZUpdateAssignmentRequestSchema,
        response: { 200: ZAssignmentSchema },
      },
    },
    async (req) =>
      assignmentsService.updateAssignment(database, actor(req), req.params.id, req.body),
  );
  app.delete(
    '/api/assignments/:id',
    {
      schema: {
        tags: TAGS,
        params: ZIdParamSchema,
        querystring: ZVersionQuerySchema,
        response: { 204: ZNoContentSchema },
      },
    },
    async (req, reply) => {
      await assignmentsService.deleteAssignment(
        database,
        actor(req),
        req.params.id,
        req.query.version,
      );
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/framework-versions/:id/assignments/import',
    {
      schema: {
        tags: TAGS,
        summary:
          'Replace the 任务分解 of a version from an XLSX sheet (all or nothing, or ?skipBadRows=true for the clean rows)',
        params: ZIdParamSchema,
        querystring: ZImportSheetQuerySchema,
        consumes: ['multipart/form-data'],
        response: { 200: ZAssignmentImportResultSchema },
      },
    },
    async (req) =>
      files.importAssignments(
        database,
        actor(req),
        req.params.id,
        await uploadedFile(req),
        req.query,
      ),
  );
  app.post(
    '/api/framework-versions/:id/assignments/import/preview',
    {
      schema: {
        tags: TAGS,
        summary:
          'Read a task sheet against a version without importing it: the tasks the clean rows make, the rows that need a decision, unknown unit names, parties',
        params: ZIdParamSchema,
        querystring: ZImportSheetQuerySchema,
        consumes: ['multipart/form-data'],
        response: { 200: ZFrameworkImportPreviewSchema },
      },
    },
    async (req) =>
      parse.previewTaskImport(
        database,
        actor(req),
        req.params.id,
        await uploadedFile(req),
        req.query,
      ),
  );
  app.post(
    '/api/framework-versions/:id/assignments/import/error-sheet',
    {
      schema: {
        tags: TAGS,
        summary: "The office's task sheet with a 问题 column on the rows that cannot be imported",
        params: ZIdParamSchema,
        querystring: ZImportErrorSheetQuerySchema,
        consumes: ['multipart/form-data'],
      },
    },
    async (req, reply) => {
      const { filename, body } = await parse.importErrorSheet(
        database,
        actor(req),
        await uploadedFile(req),
        { ...req.query, versionId: req.params.id },
      );
      return reply.headers(xlsxHeaders(filename)).send(body);
    },
  );
};
