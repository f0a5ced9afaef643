import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  ZFileIdParamSchema,
  ZFileLinkQuerySchema,
  ZUploadedFileSchema,
} from '../../../core/contracts/files.js';
import { Permission } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { AppError, errors } from '../../platform/errors.js';
import { actor } from '../../platform/http.js';
import type { FileStorage } from '../../platform/storage.js';
import { parseRange } from '../../platform/http-range.js';
import { readableFile } from './file-access.js';
import { fileLinkKey, verifyFileLink, type FileVariant } from './file-links.js';
import { findStoredFile, uploadImage, type FileRow } from './files.service.js';
import { isMedia } from './media.js';
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
  /** FILE_LINK_SECRET (unset: the key generated into the database). */
  linkSecret?: string | undefined;
}> = async (app, { database, storage, redirectSeconds = null, linkSecret }) => {
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

  /** The file's bytes (or a redirect to a signed storage URL), as a download route answers. */
  const send = async (
    req: FastifyRequest,
    reply: FastifyReply,
    f: FileRow,
    variant: FileVariant,
    id: string,
  ) => {
    const key = variant === 'thumb' && f.thumbKey ? f.thumbKey : f.storageKey;
    if (redirectSeconds) {
      const url = await storage.signedUrl(key, redirectSeconds);
      if (url) {
        // The browser may reuse the redirect while the signed URL is still good for a while.
        const maxAge = Math.floor(redirectSeconds / 2);
        return reply.header('cache-control', `private, max-age=${maxAge}`).redirect(url, 302);
      }
    }
    if (isMedia(f.mime)) {
      // Audio and video (up to the media limit) are sent as they are read, not held whole,
      // and in byte ranges, so that a player can seek without fetching the whole file.
      const etag = `"${f.sha256.slice(0, 32)}"`;
      reply
        .header('accept-ranges', 'bytes')
        .header('etag', etag)
        .header('cache-control', 'private, max-age=86400, immutable');
      if (req.headers['if-none-match'] === etag) return reply.status(304).send();
      // If-Range: a range of this very file only (it never changes, so only a stale validator
      // from another file could differ); otherwise the whole file.
      const ifRange = req.headers['if-range'];
      const range = ifRange && ifRange !== etag ? null : parseRange(req.headers.range, f.size);
      if (range === 'unsatisfiable') {
        return reply.status(416).header('content-range', `bytes */${f.size}`).send();
      }
      const body = await storage.stream(f.storageKey, range ?? undefined);
      if (!body) throw errors.notFound('file', id);
      reply.header('content-type', f.mime);
      if (!range) return reply.header('content-length', String(f.size)).send(body);
      return reply
        .status(206)
        .header('content-range', `bytes ${range.start}-${range.end}/${f.size}`)
        .header('content-length', String(range.end - range.start + 1))
        .send(body);
    }
    const data = await storage.get(key);
    if (!data) throw errors.notFound('file', id);
    if (!f.mime.startsWith('image/') && f.mime !== 'application/pdf') {
      // Office documents are downloaded, under their own name.
      const name = encodeURIComponent(f.originalName ?? `${f.id}`);
      reply.header('content-disposition', `attachment; filename*=UTF-8''${name}`);
    }
    return reply
      .header('content-type', f.mime)
      .header('cache-control', 'private, max-age=86400, immutable')
      .send(data);
  };

  for (const variant of ['full', 'thumb'] as const) {
    app.get(
      variant === 'full' ? '/api/files/:id' : '/api/files/:id/thumb',
      {
        schema: {
          tags: ['files'],
          summary:
            variant === 'full'
              ? 'A file: a photo, document, or audio/video (streamed; `Range: bytes=a-b` → 206)'
              : 'A photo’s thumbnail',
          params: ZFileIdParamSchema,
        },
      },
      async (req, reply) => {
        const f = await readableFile(database, actor(req), req.params.id);
        return send(req, reply, f, variant, req.params.id);
      },
    );
    // A signed, expiring link (file-links.ts) handed to a system without a session: the link is
    // the credential, checked before the file is looked up.
    app.get(
      variant === 'full' ? '/api/public/files/:id' : '/api/public/files/:id/thumb',
      {
        config: { public: true },
        schema: {
          tags: ['files'],
          summary: `A photo by a signed, expiring link (${variant}), as sent with 12345 results`,
          security: [],
          params: ZFileIdParamSchema,
          querystring: ZFileLinkQuerySchema,
        },
      },
      async (req, reply) => {
        const key = await fileLinkKey(database, linkSecret);
        verifyFileLink(key, req.params.id, variant, req.query.exp, req.query.sig);
        const f = await findStoredFile(database, req.params.id);
        return send(req, reply, f, variant, req.params.id);
      },
    );
  }
};
