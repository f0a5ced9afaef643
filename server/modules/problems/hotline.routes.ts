import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZHotlineImportResultSchema,
  ZHotlineMappingSchema,
  ZHotlineOrderSchema,
  ZHotlineReceiptSchema,
  type THotlineMapping,
} from '../../../core/contracts/problems.js';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { AppError, errors } from '../../platform/errors.js';
import { actor } from '../../platform/http.js';
import { importHotline, receiveHotlineOrder, verifyHotlineSignature } from './hotline.js';
import { readForm } from '../../platform/form.js';

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: Buffer;
  }
}

const noFile = () =>
  new AppError('no_file', 400, { zh: '请选择要上传的文件', en: 'choose a file to upload' });

export const hotlineRoutes: FastifyPluginAsyncZod<{ database: Database; config: Config }> = async (
  app,
  { database, config },
) => {
  const intake = {
    duplicateRadiusM: config.duplicateRadiusM,
    recurrenceDays: config.recurrenceDays,
  };

  app.post(
    '/api/problems/import-hotline',
    {
      schema: {
        tags: ['problems'],
        summary:
          'Import 12345 work orders from XLSX/CSV (multipart: file, mapping JSON, defaultCategoryId)',
        consumes: ['multipart/form-data'],
        response: { 200: ZHotlineImportResultSchema },
      },
    },
    async (req) => {
      if (!req.isMultipart()) throw noFile();
      const { fields, files } = await readForm(req);
      const file = files.at(-1);
      if (!file) throw noFile();
      let mapping: THotlineMapping = {};
      if (fields.mapping) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(fields.mapping);
        } catch {
          throw errors.invalid({
            zh: '列对应关系不是有效的 JSON',
            en: 'mapping is not valid JSON',
          });
        }
        const r = ZHotlineMappingSchema.safeParse(parsed);
        if (!r.success) {
          throw errors.invalid(
            { zh: '列对应关系有误', en: 'invalid column mapping' },
            r.error.issues.map((i) => ({
              path: `mapping.${i.path.join('.')}`,
              message: i.message,
            })),
          );
        }
        mapping = r.data;
      }
      const defaultCategoryId = fields.defaultCategoryId ? Number(fields.defaultCategoryId) : null;
      if (defaultCategoryId !== null && !Number.isInteger(defaultCategoryId)) {
        throw errors.invalid({ zh: '默认类别无效', en: 'invalid defaultCategoryId' });
      }
      return importHotline(database, actor(req), file, mapping, defaultCategoryId, intake);
    },
  );

  // The webhook checks a signature over the exact bytes received, so this scope keeps them.
  await app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer' },
      (req, body: Buffer, done) => {
        req.rawBody = body;
        try {
          done(null, body.length ? JSON.parse(body.toString('utf8')) : {});
        } catch {
          done(
            new AppError('invalid_json', 400, {
              zh: 'JSON 格式错误',
              en: 'the body is not valid JSON',
            }),
            undefined,
          );
        }
      },
    );
    scope.withTypeProvider<import('fastify-type-provider-zod').ZodTypeProvider>().post(
      '/api/intake/hotline',
      {
        config: { public: true },
        schema: {
          tags: ['problems'],
          summary:
            '12345 webhook: JSON order signed with x-signature: sha256=HMAC(secret, "<x-timestamp>.<body>"); idempotent on orderNo',
          security: [],
          body: ZHotlineOrderSchema,
          response: {
            200: ZHotlineReceiptSchema,
            201: ZHotlineReceiptSchema,
          },
        },
        preValidation: async (req) => {
          if (!config.hotlineWebhookSecret) {
            throw new AppError('not_configured', 404, {
              zh: '未配置12345热线接口',
              en: 'the hotline webhook is not configured',
            });
          }
          const header = (name: string) => {
            const v = req.headers[name];
            return Array.isArray(v) ? v[0] : v;
          };
          verifyHotlineSignature(
            config.hotlineWebhookSecret,
            req.rawBody ?? Buffer.alloc(0),
            header('x-timestamp'),
            header('x-signature'),
          );
        },
      },
      async (req, reply) => {
        const out = await receiveHotlineOrder(database, req.body, intake);
        return reply.status(out.created ? 201 : 200).send(out);
      },
    );
  });
};
