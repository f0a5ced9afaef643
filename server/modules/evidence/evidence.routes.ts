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
import { openUpload, uploadBytes } from '../files/media.js';

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
          'Add a file (multipart: `docDate` YYYY-MM-DD, `title?`, `poster?` (a video’s poster frame, JPEG/PNG), then `file`: PDF, Office, image, or MP4/M4A/MP3 up to the media limit)',
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
      // Fields first (docDate, title), a video's poster frame, then the file, which is read as
      // it arrives: audio and video go to storage in a stream (up to the media limit), documents
      // are read whole. A poster sent after the file is linked to it afterwards.
      const fields: Record<string, string> = {};
      let poster: Buffer | undefined;
      let out: Awaited<ReturnType<typeof dossiers.addEvidenceFile>> | undefined;
      let late: Buffer | undefined;
      const parts = req.parts({ limits: { fileSize: limits.mediaBytes, files: 2 } });
      for await (const part of parts) {
        if (part.type !== 'file') {
          if (typeof part.value === 'string') {
            fields[part.fieldname] = normaliseText(part.value, `body.${part.fieldname}`);
          }
          continue;
        }
        if (part.fieldname === 'poster') {
          const frame = await uploadBytes(
            await openUpload(part.file, uploadName(part.filename)),
            limits.documentBytes,
          );
          if (out) late = frame;
          else poster = frame;
          continue;
        }
        if (out) {
          throw new AppError('one_file', 400, {
            zh: '每次只能上传一个文件',
            en: 'upload one file at a time',
          });
        }
        const input = ZUploadFieldsSchema.parse(fields);
        const incoming = await openUpload(part.file, uploadName(part.filename));
        out = await dossiers.addEvidenceFile(
          database,
          storage,
          actor(req),
          req.params,
          incoming,
          { ...input, poster },
          limits,
        );
      }
      if (!out) {
        throw new AppError('no_file', 400, { zh: '请选择要上传的文件', en: 'choose a file' });
      }
      if (late) {
        const dossier = await dossiers.setEvidencePoster(
          database,
          storage,
          actor(req),
          req.params,
          out.evidenceFileId,
          { data: late, filename: 'poster.jpg' },
        );
        return reply.status(201).send(dossier);
      }
      return reply.status(201).send(out.dossier);
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
    `${base}/files/:fileId/poster`,
    {
      schema: {
        tags,
        summary:
          'Set or replace a video’s poster frame (multipart `file`: a JPEG or PNG image); the office at any time, the file’s unit or the lead unit while the dossier can be edited',
        params: ZDossierFileParamsSchema,
        consumes: ['multipart/form-data'],
        response: { 200: ZDossierSchema },
      },
    },
    async (req) => {
      const file = req.isMultipart() ? await req.file() : undefined;
      if (!file) {
        throw new AppError('no_file', 400, {
          zh: '请选择封面图片',
          en: 'choose an image for the poster',
        });
      }
      const data = await uploadBytes(
        await openUpload(file.file, uploadName(file.filename)),
        limits.documentBytes,
      );
      const { fileId, ...p } = req.params;
      return dossiers.setEvidencePoster(database, storage, actor(req), p, fileId, {
        data,
        filename: uploadName(file.filename),
      });
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
