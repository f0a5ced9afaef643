import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZHealthFailureSchema,
  ZHealthSchema,
  ZPublicSettingsSchema,
} from '../../../core/contracts/health.js';
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
          200: ZPublicSettingsSchema,
        },
      },
    },
    async () => publicSettings(database, config),
  );
  app.get(
    '/api/health',
    {
      config: { public: true },
      schema: {
        tags: ['system'],
        summary: 'Liveness and database check',
        response: {
          200: ZHealthSchema,
          503: ZHealthFailureSchema,
        },
      },
    },
    async (_req, reply) => {
      const answer = await health(database, config);
      return answer.status === 'ok' ? answer : reply.status(503).send(answer);
    },
  );
};
