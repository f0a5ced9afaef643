import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZMapBaseSchema,
  ZMapGridsQuerySchema,
  ZMapGridsSchema,
  ZMapProviderSettingSchema,
  ZPutMapProviderSchema,
} from '../../../core/contracts/maps.js';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { actor } from '../../platform/http.js';
import * as service from './maps.service.js';

/** 地图底图 (the office's tile provider) and the public base geometry every map can draw. */
export const mapRoutes: FastifyPluginAsyncZod<{ database: Database; config: Config }> = async (
  app,
  { database, config },
) => {
  const tags = ['system'];
  app.get(
    '/api/settings/map',
    {
      schema: {
        tags,
        summary: "The base map's tile provider (and whether the office or the environment set it)",
        response: { 200: ZMapProviderSettingSchema },
      },
    },
    async (req) => service.getMapProvider(database, config, actor(req)),
  );
  app.put(
    '/api/settings/map',
    {
      schema: {
        tags,
        summary:
          'Choose the tile provider: 天地图 (key), 高德, OpenStreetMap, an XYZ server, or none',
        body: ZPutMapProviderSchema,
        response: { 200: ZMapProviderSettingSchema },
      },
    },
    async (req) => service.putMapProvider(database, config, actor(req), req.body),
  );
  app.get(
    '/api/map/base',
    {
      config: { public: true },
      schema: {
        tags,
        summary:
          'The base maps draw without tiles: the jurisdiction and region boundaries (names and thinned outlines only)',
        // The answer is core/contracts/maps.ts ZMapBaseSchema, built once per change of the data
        // and sent as that text (with an ETag) rather than serialized again on every request.
        description: `JSON: ${Object.keys(ZMapBaseSchema.shape).join(', ')}; 304 when If-None-Match matches.`,
      },
    },
    async (req, reply) => {
      const { etag, json } = await service.mapBase(database);
      // Revalidated on every use (boundaries change while offices work), mostly as a 304.
      reply.header('etag', etag).header('cache-control', 'public, no-cache');
      if (req.headers['if-none-match'] === etag) return reply.status(304).send();
      return reply.type('application/json; charset=utf-8').send(json);
    },
  );
  app.get(
    '/api/map/grids',
    {
      schema: {
        tags,
        summary: 'The grids in a view that I may see, for maps without tiles (names and outlines)',
        querystring: ZMapGridsQuerySchema,
        response: { 200: ZMapGridsSchema },
      },
    },
    async (req) => service.mapGrids(database, actor(req), req.query.box),
  );
};
