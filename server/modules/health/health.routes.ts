import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { health, publicSettings } from './health.service.js';

export const healthRoutes: FastifyPluginAsyncZod<{ database: Database; config: Config }> = async (
  app,
  { database, config },
) => {
  app.get(
    '/api/settings/public',
    {
      config: { public: true },
      schema: {
        tags: ['system'],
        summary: 'Settings the web apps need before sign-in (map tiles)',
        response: {
          200: z.object({
            mapTileUrl: z.string().nullable(),
            mapAttribution: z.string(),
            mapCoords: z.enum(['wgs84', 'gcj02']),
          }),
        },
      },
    },
    async () => publicSettings(config),
  );
  app.get(
    '/api/health',
    {
      config: { public: true },
      schema: {
        tags: ['system'],
        summary: 'Liveness and database check',
        response: {
          200: z.object({ status: z.literal('ok'), db: z.string(), version: z.string() }),
          503: z.object({ status: z.literal('error'), db: z.string(), version: z.string() }),
        },
      },
    },
    async (_req, reply) => {
      const answer = await health(database, config);
      return answer.status === 'ok' ? answer : reply.status(503).send(answer);
    },
  );
};
