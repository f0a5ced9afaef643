import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZCampaignIdParamSchema } from '../../../core/contracts/common.js';
import {
  ZDossierFileParamsSchema,
  ZDossierParamsSchema,
  ZDossierSchema,
  ZEvidenceListQuerySchema,
  ZEvidenceRowsSchema,
  ZEvidenceSettingsInputSchema,
  ZEvidenceSettingsSchema,
  ZEvidenceSummaryQuerySchema,
  ZEvidenceSummarySchema,
  ZReviewDossierSchema,
  ZStatementInputSchema,
  ZSubmitDossierSchema,
  ZUploadFieldsSchema,
} from '../../../core/contracts/evidence.js';
import type { Database } from '../../db/client.js';
import { AppError } from '../../platform/errors.js';
import { actor } from '../../platform/http.js';
import type { FileStorage } from '../../platform/storage.js';
import * as dossiers from './dossiers.service.js';
import * as service from './evidence.service.js';
import { uploadName } from '../../platform/form.js';
import { normaliseText } from '../../platform/input-text.js';
import { openUpload } from '../files/media.js';

const base = '/api/evidence/:frameworkId/:year/:standardKey';

/** 档案资料: dossiers per standard and cycle year, their files, the office's review, completeness. */
export const evidenceRoutes: FastifyPluginAsyncZod<{
  database: Database;
  storage: FileStorage;
  /** Upload caps: documents and images are read whole; audio and video are streamed. */
  limits: { documentBytes: number; mediaBytes: number };
}> = async (app, { database, storage, limits }) => {
  const tags = ['evidence'];
  app.get(
    '/api/evidence',
    {
      schema: {
        tags,
        summary:
          'Material standards of a framework and year with their dossiers (state=submitted: the review queue)',
        querystring: ZEvidenceListQuerySchema,
        response: { 200: ZEvidenceRowsSchema },
      },
    },
    async (req) => service.listEvidence(database, actor(req), req.query),
  );
  app.get(
    '/api/evidence/summary',
    {
      schema: {
        tags,
        summary: 'Completeness and projected material score, per item and per lead unit',
        querystring: ZEvidenceSummaryQuerySchema,
        response: { 200: ZEvidenceSummarySchema },
      },
    },
    async (req) =>
      service.evidenceSummary(
        database,
        actor(req),
        req.query.frameworkId,
        req.query.year,
        req.query.groupId,
      ),
  );
  app.get(
    '/api/evidence/settings/:campaignId',
    {
      schema: {
        tags,
        summary: 'Grade shares, evidence window and test dates of a campaign',
        params: ZCampaignIdParamSchema,
        response: { 200: ZEvidenceSettingsSchema },
      },
    },
    async (req) => service.getEvidenceSettings(database, actor(req), req.params.campaignId),
  );
  app.put(
    '/api/evidence/settings/:campaignId',
    {
      schema: {
        tags,
        summary: 'Change the archive-material rules of a campaign (office)',
        params: ZCampaignIdParamSchema,
        body: ZEvidenceSettingsInputSchema,
        response: { 200: ZEvidenceSettingsSchema },
      },
    },
    async (req) =>
      service.putEvidenceSettings(database, actor(req), req.params.campaignId, req.body),
  );
  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'One dossier: files, statement, review, timeline, window',
        params: ZDossierParamsSchema,
        response: { 200: ZDossierSchema },
      },
    },
    async (req) =>
      service.getDossier(
        database,
        actor(req),
        req.params.frameworkId,
        req.params.year,
        req.params.standardKey,
      ),
  );
  app.post(
    `${base}/files`,
    {
      schema: {
        tags,
        summary:
          'Add a file (multipart: `docDate` YYYY-MM-DD, `title?`, then `file`: PDF, Office, image, or MP4/M4A/MP3 up to the media limit)',
        params: ZDossierParamsSchema,
        consumes: ['multipart/form-data'],
        response: { 201: ZDossierSchema },
      },
    },
    async (req, reply) => {
      if (!req.isMultipart()) {
        throw new AppError('invalid', 400, {
          zh: '请以表单方式上传（multipart/form-data）',
          en: 'upload as multipart/form-data',
        });
      }
      // Fields first (docDate, title), then the file, which is read as it arrives: audio and
      // video go to storage in a stream (up to the media limit), documents are read whole.
      const fields: Record<string, string> = {};
      let out: Awaited<ReturnType<typeof dossiers.addEvidenceFile>> | undefined;
      for await (const part of req.parts({ limits: { fileSize: limits.mediaBytes } })) {
        if (part.type !== 'file') {
          if (typeof part.value === 'string') {
            fields[part.fieldname] = normaliseText(part.value, `body.${part.fieldname}`);
          }
          continue;
        }
        const input = ZUploadFieldsSchema.parse(fields);
        const incoming = await openUpload(part.file, uploadName(part.filename));
        out = await dossiers.addEvidenceFile(
          database,
          storage,
          actor(req),
          req.params,
          incoming,
          input,
          limits,
        );
      }
      if (!out) {
        throw new AppError('no_file', 400, { zh: '请选择要上传的文件', en: 'choose a file' });
      }
      return reply.status(201).send(out);
    },
  );
  app.delete(
    `${base}/files/:fileId`,
    {
      schema: {
        tags,
        summary: 'Remove a file while the dossier can be edited',
        params: ZDossierFileParamsSchema,
        response: { 200: ZDossierSchema },
      },
    },
    async (req) => {
      const { fileId, ...p } = req.params;
      return dossiers.removeEvidenceFile(database, actor(req), p, fileId);
    },
  );
  app.put(
    `${base}/statement`,
    {
      schema: {
        tags,
        summary: 'The statement (申报说明, ≤ 500 characters); version 0 for a new dossier',
        params: ZDossierParamsSchema,
        body: ZStatementInputSchema,
        response: { 200: ZDossierSchema },
      },
    },
    async (req) => dossiers.putStatement(database, actor(req), req.params, req.body),
  );
  app.post(
    `${base}/submit`,
    {
      schema: {
        tags,
        summary: 'Submit the dossier for review (lead unit)',
        params: ZDossierParamsSchema,
        body: ZSubmitDossierSchema,
        response: { 200: ZDossierSchema },
      },
    },
    async (req) => dossiers.submitDossier(database, actor(req), req.params, req.body.version),
  );
  app.post(
    `${base}/review`,
    {
      schema: {
        tags,
        summary: 'Return with a comment, or approve with a grade A–D (office)',
        params: ZDossierParamsSchema,
        body: ZReviewDossierSchema,
        response: { 200: ZDossierSchema },
      },
    },
    async (req) => dossiers.reviewDossier(database, actor(req), req.params, req.body),
  );
};
