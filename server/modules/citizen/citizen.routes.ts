import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZIdParamSchema, ZNoContentSchema } from '../../../core/contracts/common.js';
import {
  ZCitizenReportResponseSchema,
  ZCitizenReportSchema,
  ZCitizenSetupSchema,
  ZExposurePageSchema,
  ZExposureQuerySchema,
  ZExposurePhotoParamsSchema,
  ZExposureStateSchema,
  ZJurisdictionSchema,
  ZJurisdictionSettingSchema,
  ZPublishExposureSchema,
  ZRateReportSchema,
  ZReopenReportSchema,
  ZTrackedPhotoParamsSchema,
  ZTrackingCodeParamSchema,
  ZTrackResponseSchema,
} from '../../../core/contracts/citizen.js';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { AppError } from '../../platform/errors.js';
import { actor } from '../../platform/http.js';
import { takeRateLimits } from '../../platform/rate-limit.js';
import type { FileStorage } from '../../platform/storage.js';
import * as service from './citizen.service.js';
import { readForm } from '../../platform/form.js';
import { rateReport } from './rate-report.js';
import { reopenReport } from './reopen-report.js';

const HOUR = 3600_000;

/**
 * The citizen channel: public routes (no sign-in) for the 随手拍 page, tracking and the exposure
 * board, and the office's routes to publish problems and set the jurisdiction.
 */
export const citizenRoutes: FastifyPluginAsyncZod<{
  database: Database;
  config: Config;
  storage: FileStorage;
}> = async (app, { database, config, storage }) => {
  const pub = { public: true };

  app.get(
    '/api/public/setup',
    {
      config: pub,
      schema: {
        tags: ['citizen'],
        summary: 'Categories and jurisdiction for the report page',
        response: { 200: ZCitizenSetupSchema },
      },
    },
    async () => service.publicSetup(database),
  );

  app.post(
    '/api/public/reports',
    {
      config: pub,
      schema: {
        tags: ['citizen'],
        summary:
          '随手拍: a citizen report (multipart: the fields of CitizenReport and up to 3 `photo` files)',
        consumes: ['multipart/form-data'],
        response: { 201: ZCitizenReportResponseSchema },
      },
    },
    async (req, reply) => {
      // Counted before the body is read: a flood costs a counter, not a photo decode.
      await takeRateLimits(database, [
        { key: `report:ip:${req.ip}`, limit: config.citizenReportsPerIpHour, windowMs: HOUR },
      ]);
      if (!req.isMultipart()) {
        throw new AppError('invalid', 400, {
          zh: '请以表单方式提交（multipart/form-data）',
          en: 'send the report as multipart/form-data',
        });
      }
      const form = await readForm(req, { maxFiles: service.MAX_CITIZEN_PHOTOS + 1 });
      const fields = form.fields;
      const photos = form.files.filter((f) => f.field === 'photo');
      const input = ZCitizenReportSchema.parse(fields);
      if (input.deviceId) {
        await takeRateLimits(database, [
          {
            key: `report:device:${input.deviceId}`,
            limit: config.citizenReportsPerDeviceHour,
            windowMs: HOUR,
          },
        ]);
      }
      const out = await service.submitReport(database, storage, input, photos, req.ip);
      return reply.status(201).send(out);
    },
  );

  const lookupLimit = (ip: string) =>
    takeRateLimits(database, [
      { key: `track:ip:${ip}`, limit: config.citizenLookupsPerIpHour, windowMs: HOUR },
    ]);

  app.get(
    '/api/public/track/:code',
    {
      config: pub,
      schema: {
        tags: ['citizen'],
        summary: 'Progress of a citizen report by its tracking code (public-safe)',
        params: ZTrackingCodeParamSchema,
        response: { 200: ZTrackResponseSchema },
      },
    },
    async (req) => {
      await lookupLimit(req.ip);
      return service.track(database, req.params.code, feedbackOpts(req.ip));
    },
  );

  // The reporter's own part: the tracking code proves it; counted like lookups (codes are not to
  // be guessed) and like reports (a write).
  const feedbackLimit = async (ip: string) => {
    await lookupLimit(ip);
    await takeRateLimits(database, [
      { key: `feedback:ip:${ip}`, limit: config.citizenReportsPerIpHour, windowMs: HOUR },
    ]);
  };
  const feedbackOpts = (ip: string) => ({ ip, reopenWindowDays: config.reopenWindowDays });

  app.post(
    '/api/public/track/:code/rating',
    {
      config: pub,
      schema: {
        tags: ['citizen'],
        summary: '评价: the reporter rates the result of a closed problem, once',
        params: ZTrackingCodeParamSchema,
        body: ZRateReportSchema,
        response: { 200: ZTrackResponseSchema },
      },
    },
    async (req) => {
      await feedbackLimit(req.ip);
      return rateReport(database, req.params.code, req.body, feedbackOpts(req.ip));
    },
  );

  app.post(
    '/api/public/track/:code/reopen',
    {
      config: pub,
      schema: {
        tags: ['citizen'],
        summary:
          '申请重新办理: the reporter reopens a closed problem, once, with a reason, within REOPEN_WINDOW_DAYS',
        params: ZTrackingCodeParamSchema,
        body: ZReopenReportSchema,
        response: { 200: ZTrackResponseSchema },
      },
    },
    async (req) => {
      await feedbackLimit(req.ip);
      return reopenReport(database, req.params.code, req.body, feedbackOpts(req.ip));
    },
  );

  // Public photos: only before/after photos of what the tracking code or the board shows.
  const photoRoutes = [
    {
      path: '/api/public/track/:code/photos/:fileId',
      what: 'a tracked report',
      params: ZTrackedPhotoParamsSchema,
      owner: (p: Record<string, unknown>) => ({ trackingCode: String(p.code) }),
    },
    {
      path: '/api/public/exposure/:id/photos/:fileId',
      what: 'a published problem',
      params: ZExposurePhotoParamsSchema,
      owner: (p: Record<string, unknown>) => ({ exposureId: Number(p.id) }),
    },
  ];
  for (const route of photoRoutes) {
    for (const thumb of [false, true]) {
      app.get(
        `${route.path}${thumb ? '/thumb' : ''}`,
        {
          config: pub,
          schema: {
            tags: ['citizen'],
            summary: `A photo of ${route.what}${thumb ? ' (thumbnail)' : ''}`,
            params: route.params,
          },
        },
        async (req, reply) => {
          const params = req.params as Record<string, unknown>;
          const f = await service.publicPhoto(
            database,
            storage,
            route.owner(params),
            String(params.fileId),
            thumb,
          );
          return reply
            .header('content-type', f.mime)
            .header('cache-control', 'public, max-age=3600')
            .send(f.data);
        },
      );
    }
  }

  app.get(
    '/api/public/exposure',
    {
      config: pub,
      schema: {
        tags: ['citizen'],
        summary: '曝光台: problems the office published, newest first',
        querystring: ZExposureQuerySchema,
        response: { 200: ZExposurePageSchema },
      },
    },
    async (req) => service.listExposures(database, req.query),
  );

  app.put(
    '/api/problems/:id/exposure',
    {
      schema: {
        tags: ['citizen'],
        summary: 'Publish a problem on the exposure board (or change its public wording)',
        params: ZIdParamSchema,
        body: ZPublishExposureSchema,
        response: { 204: ZNoContentSchema },
      },
    },
    async (req, reply) => {
      await service.publishExposure(database, actor(req), req.params.id, req.body);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/problems/:id/exposure',
    {
      schema: {
        tags: ['citizen'],
        summary: "A problem's entry on the exposure board (null when not published)",
        params: ZIdParamSchema,
        response: { 200: ZExposureStateSchema },
      },
    },
    async (req) => service.getExposure(database, actor(req), req.params.id),
  );

  app.delete(
    '/api/problems/:id/exposure',
    {
      schema: {
        tags: ['citizen'],
        summary: 'Take a problem off the exposure board',
        params: ZIdParamSchema,
        response: { 204: ZNoContentSchema },
      },
    },
    async (req, reply) => {
      await service.unpublishExposure(database, actor(req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/settings/jurisdiction',
    {
      schema: {
        tags: ['citizen'],
        summary: 'The jurisdiction citizen reports must fall in',
        response: { 200: ZJurisdictionSettingSchema },
      },
    },
    async () => service.getJurisdiction(database.db),
  );

  app.put(
    '/api/settings/jurisdiction',
    {
      schema: {
        tags: ['citizen'],
        summary: 'Set the jurisdiction (a GeoJSON Polygon or MultiPolygon, WGS-84)',
        body: ZJurisdictionSchema,
        response: { 200: ZJurisdictionSchema },
      },
    },
    async (req) => service.putJurisdiction(database, actor(req), req.body),
  );
};
