import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZFileIdParamSchema, ZUploadedFileSchema } from '../../../core/contracts/files.js';
import { Permission } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { AppError, errors } from '../../platform/errors.js';
import { actor } from '../../platform/http.js';
import type { FileStorage } from '../../platform/storage.js';
import { readableFile } from './file-access.js';
import { uploadImage } from './files.service.js';
import { uploadName } from '../../platform/form.js';
import { actorPermissions } from '../../platform/actor.js';

export const fileRoutes: FastifyPluginAsyncZod<{
  database: Database;
  storage: FileStorage;
  /**
   * Answer downloads with a 302 to a signed storage URL valid this many seconds (S3 with
   * FILE_REDIRECT=true), so photo bytes do not pass through the app server; null = proxy them.
   */
  redirectSeconds?: number | null;
}> = async (app, { database, storage, redirectSeconds = null }) => {
  app.post(
    '/api/files',
    {
      schema: {
        tags: ['files'],
        summary:
          'Upload a photo (multipart field `file`); re-encoded, thumbnailed, EXIF time/GPS kept',
        consumes: ['multipart/form-data'],
        response: { 201: ZUploadedFileSchema },
      },
    },
    async (req, reply) => {
      const a = actor(req);
      const perms = actorPermissions(a);
      // Reporters and units (problems, visits), and volunteers (a service order's photos).
      if (
        !perms.has(Permission.ProblemReport) &&
        !perms.has(Permission.ProblemRectify) &&
        !perms.has(Permission.ServiceOrderTake)
      )
        throw errors.forbidden();
      const file = req.isMultipart() ? await req.file() : undefined;
      if (!file)
        throw new AppError('no_file', 400, {
          zh: '请选择要上传的照片',
          en: 'choose a photo to upload',
        });
      const data = await file.toBuffer();
      return reply
        .status(201)
        .send(
          await uploadImage(database, storage, a, { data, filename: uploadName(file.filename) }),
        );
    },
  );

  for (const variant of ['full', 'thumb'] as const) {
    app.get(
      variant === 'full' ? '/api/files/:id' : '/api/files/:id/thumb',
      { schema: { tags: ['files'], summary: `A photo (${variant})`, params: ZFileIdParamSchema } },
      async (req, reply) => {
        const f = await readableFile(database, actor(req), req.params.id);
        const key = variant === 'thumb' && f.thumbKey ? f.thumbKey : f.storageKey;
        if (redirectSeconds) {
          const url = await storage.signedUrl(key, redirectSeconds);
          if (url) {
            // The browser may reuse the redirect while the signed URL is still good for a while.
            const maxAge = Math.floor(redirectSeconds / 2);
            return reply.header('cache-control', `private, max-age=${maxAge}`).redirect(url, 302);
          }
        }
        if (f.mime.startsWith('video/') || f.mime.startsWith('audio/')) {
          // Audio and video (up to the media limit) are sent as they are read, not held whole.
          const body = await storage.stream(f.storageKey);
          if (!body) throw errors.notFound('file', req.params.id);
          return reply
            .header('content-type', f.mime)
            .header('content-length', String(f.size))
            .header('cache-control', 'private, max-age=86400, immutable')
            .send(body);
        }
        const data = await storage.get(key);
        if (!data) throw errors.notFound('file', req.params.id);
        if (!f.mime.startsWith('image/') && f.mime !== 'application/pdf') {
          // Office documents are downloaded, under their own name.
          const name = encodeURIComponent(f.originalName ?? `${f.id}`);
          reply.header('content-disposition', `attachment; filename*=UTF-8''${name}`);
        }
        return reply
          .header('content-type', f.mime)
          .header('cache-control', 'private, max-age=86400, immutable')
          .send(data);
      },
    );
  }
};
