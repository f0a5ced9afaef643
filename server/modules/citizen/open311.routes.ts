import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZOpen311CallbackInputSchema,
  ZOpen311CallbackResultSchema,
  ZOpen311ClientCreatedSchema,
  ZOpen311ClientInputSchema,
  ZOpen311ClientSchema,
  ZOpen311ClientsSchema,
  ZOpen311FileParamSchema,
  ZOpen311FormatParamSchema,
  ZOpen311KeyHeadersSchema,
  ZOpen311KeyQuerySchema,
  ZOpen311PostSchema,
  ZOpen311ReadQuerySchema,
} from '../../../core/contracts/open311.js';
import { ZIdParamSchema } from '../../../core/contracts/common.js';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { AppError } from '../../platform/errors.js';
import { actor } from '../../platform/http.js';
import { takeRateLimits } from '../../platform/rate-limit.js';
import {
  lang,
  open311ErrorHandler,
  sendOpen311 as send,
  sendOpen311Error,
  type Open311Format as Format,
} from './open311-http.js';
import * as service from './open311.service.js';

const CHANGESET = '2026-12-03T00:00:00Z';

function notFound(what: string): AppError {
  return new AppError('open311', 404, { zh: `没有 ${what}`, en: `${what} not found` });
}

function asFormat(format: string): Format {
  if (format === 'json' || format === 'xml') return format;
  throw notFound(`.${format}`);
}

/**
 * `HJ01.json` → ['HJ01', 'json']. The router has already decoded the parameter once; decoding it
 * again would read `%25ZZ` as the malformed escape `%ZZ` (a URIError, once a 500).
 */
function splitFile(file: string): [string, Format] {
  const dot = file.lastIndexOf('.');
  if (dot <= 0) throw notFound(file);
  return [file.slice(0, dot), asFormat(file.slice(dot + 1))];
}

/** Form fields to an object; `attribute[code]` fields are gathered into `attribute`. */
function normaliseFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const attribute: Record<string, unknown> =
    fields.attribute && typeof fields.attribute === 'object'
      ? { ...(fields.attribute as Record<string, unknown>) }
      : {};
  for (const [k, v] of Object.entries(fields)) {
    const m = /^attribute\[([^\]]+)\]$/.exec(k);
    if (m) attribute[m[1]!] = typeof v === 'number' ? String(v) : v;
    else if (k !== 'attribute') out[k] = typeof v === 'number' ? String(v) : v;
  }
  out.attribute = attribute;
  return out;
}

/**
 * Open311 GeoReport v2 at /open311/v2 (http://wiki.open311.org/GeoReport_v2): services are the
 * problem subcategories; requests are citizens' reports; POST needs an API key the office issued.
 * GET requests without a key answer only what the 曝光台 published, in public form; a key also
 * reads, in full, the requests its client filed (docs/api.md, "Who sees what"). Errors use the
 * spec's format, `[{code, description}]`, in the format the path asked for — those Fastify raises
 * before routing too, through sendOpen311FrameworkError in server/app.ts.
 */
export const open311Routes: FastifyPluginAsyncZod<{ database: Database; config: Config }> = async (
  app,
  { database, config },
) => {
  const tags = ['open311'];
  const pub = { public: true };

  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_req, body, done) => {
      const fields: Record<string, string> = {};
      for (const [k, v] of new URLSearchParams(body as string)) fields[k] = v;
      done(null, fields);
    },
  );

  app.setErrorHandler(open311ErrorHandler);
  app.setNotFoundHandler((req, reply) =>
    sendOpen311Error(req, reply, 404, { zh: '没有这个地址', en: 'not found' }),
  );

  const limitReads = (req: FastifyRequest) =>
    takeRateLimits(database, [
      { key: `open311:read:${req.ip}`, limit: config.open311ReadsPerMinute, windowMs: 60_000 },
    ]);

  app.get(
    '/discovery.:format',
    {
      config: pub,
      schema: { tags, summary: 'Open311 discovery', params: ZOpen311FormatParamSchema },
    },
    (req, reply) => {
      const url = `${config.publicUrl}/open311/v2`;
      return send(reply, asFormat(req.params.format), 'discovery', {
        changeset: CHANGESET,
        contact: '创建办 / the campaign office',
        key_service: '向创建办申请 API 密钥 / ask the campaign office for an API key',
        endpoints: [
          {
            specification: 'http://wiki.open311.org/GeoReport_v2',
            url,
            changeset: CHANGESET,
            type: 'production',
            formats: ['text/xml', 'application/json'],
          },
        ],
      });
    },
  );

  app.get(
    '/services.:format',
    {
      config: pub,
      schema: {
        tags,
        summary: 'Open311 services: the problem subcategories',
        params: ZOpen311FormatParamSchema,
      },
    },
    async (req, reply) => {
      const format = asFormat(req.params.format);
      await limitReads(req);
      return send(reply, format, 'services', await service.listServices(database));
    },
  );

  app.get(
    '/services/:file',
    {
      config: pub,
      schema: {
        tags,
        summary: 'Open311 service definition (its attributes), e.g. /services/HJ01.json',
        params: ZOpen311FileParamSchema,
      },
    },
    async (req, reply) => {
      const [code, format] = splitFile(req.params.file);
      await limitReads(req);
      return send(
        reply,
        format,
        'service_definition',
        await service.serviceDefinition(database, code),
      );
    },
  );

  /** The key of a read: the `X-Api-Key` header (kept out of access logs) or the `api_key` parameter. */
  const readerOf = (req: FastifyRequest, fromQuery: string | undefined) => {
    const header = req.headers['x-api-key'];
    const key = (typeof header === 'string' ? header : undefined) || fromQuery || undefined;
    return service.readerOf(database, key?.trim() || undefined);
  };

  app.get(
    '/requests.:format',
    {
      config: pub,
      schema: {
        tags,
        summary:
          'Open311 service requests, filtered and paged: without a key the published ones (曝光台) in public form; with a client’s key also its own in full',
        params: ZOpen311FormatParamSchema,
        querystring: ZOpen311ReadQuerySchema,
        headers: ZOpen311KeyHeadersSchema,
      },
    },
    async (req, reply) => {
      const format = asFormat(req.params.format);
      await limitReads(req);
      const reader = await readerOf(req, req.query.api_key);
      const list = await service.listRequests(
        database,
        req.query,
        reader,
        config.publicUrl,
        lang(req),
      );
      return send(reply, format, 'service_requests', list);
    },
  );

  app.get(
    '/requests/:file',
    {
      config: pub,
      schema: {
        tags,
        summary:
          'One Open311 service request: a published one by its number (e.g. /requests/19.json), a client’s own also by its tracking code',
        params: ZOpen311FileParamSchema,
        querystring: ZOpen311KeyQuerySchema,
        headers: ZOpen311KeyHeadersSchema,
      },
    },
    async (req, reply) => {
      const [id, format] = splitFile(req.params.file);
      await limitReads(req);
      const reader = await readerOf(req, req.query.api_key);
      const one = await service.getRequest(database, id, reader, config.publicUrl, lang(req));
      return send(reply, format, 'service_requests', one);
    },
  );

  app.post(
    '/requests.:format',
    {
      config: pub,
      preValidation: (req, _reply, done) => {
        if (req.body && typeof req.body === 'object')
          (req as { body: unknown }).body = normaliseFields(req.body);
        done();
      },
      schema: {
        tags,
        summary: 'File a service request (form fields or JSON; api_key required)',
        consumes: ['application/x-www-form-urlencoded', 'application/json'],
        params: ZOpen311FormatParamSchema,
        body: ZOpen311PostSchema,
      },
    },
    async (req, reply) => {
      const format = asFormat(req.params.format);
      const out = await service.submitRequest(
        database,
        req.body,
        req.ip,
        config.open311RequestsPerMinute,
      );
      const notice = {
        zh: `已受理，可凭查询码在 ${config.publicUrl}/track/${out.serviceRequestId} 查看进度`,
        en: `received; follow it at ${config.publicUrl}/track/${out.serviceRequestId}`,
      };
      return send(
        reply,
        format,
        'service_requests',
        [
          {
            service_request_id: out.serviceRequestId,
            service_notice: lang(req) === 'en' ? notice.en : notice.zh,
            account_id: null,
          },
        ],
        out.created ? 201 : 200,
      );
    },
  );
};

/** The office's side: trusted clients and their API keys. */
export const open311ClientRoutes: FastifyPluginAsyncZod<{ database: Database }> = async (
  app,
  { database },
) => {
  const tags = ['open311'];
  app.get(
    '/api/open311/clients',
    {
      schema: {
        tags,
        summary: 'Open311 clients',
        response: { 200: ZOpen311ClientsSchema },
      },
    },
    async (req) => service.listClients(database, actor(req)),
  );
  app.post(
    '/api/open311/clients',
    {
      schema: {
        tags,
        summary: 'Issue a client an API key (shown once)',
        body: ZOpen311ClientInputSchema,
        response: { 201: ZOpen311ClientCreatedSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await service.createClient(database, actor(req), req.body)),
  );
  app.put(
    '/api/open311/clients/:id/callback',
    {
      schema: {
        tags,
        summary:
          '结果回传: set or clear the URL status changes of the client’s requests are pushed to (signing secret shown once)',
        params: ZIdParamSchema,
        body: ZOpen311CallbackInputSchema,
        response: { 200: ZOpen311CallbackResultSchema },
      },
    },
    async (req) => service.setClientCallback(database, actor(req), req.params.id, req.body),
  );
  app.post(
    '/api/open311/clients/:id/revoke',
    {
      schema: {
        tags,
        summary: 'Revoke a client’s key',
        params: ZIdParamSchema,
        response: { 200: ZOpen311ClientSchema },
      },
    },
    async (req) => service.revokeClient(database, actor(req), req.params.id),
  );
};
