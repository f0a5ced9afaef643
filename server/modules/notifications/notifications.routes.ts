import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ESCALATION_LEVELS } from '../../../core/contracts/problems.js';
import type { Database } from '../../db/client.js';
import { actor } from '../../platform/http.js';
import { listEscalationOrders, listMine, markRead, unreadCount } from './notifications.service.js';

const ZNotificationSchema = z.object({
  id: z.number().int(),
  kind: z.string(),
  title: z.string(),
  body: z.string().nullable(),
  problemId: z.number().int().nullable(),
  read: z.boolean(),
  createdAt: z.string(),
});
const ZCursorQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.coerce.number().int().positive().optional(),
});

export const notificationRoutes: FastifyPluginAsyncZod<{ database: Database }> = async (
  app,
  { database },
) => {
  app.get(
    '/api/notifications',
    {
      schema: {
        tags: ['notifications'],
        summary: 'My inbox, newest first',
        querystring: ZCursorQuery.extend({ unread: z.enum(['true', 'false']).optional() }),
        response: {
          200: z.object({ items: z.array(ZNotificationSchema), nextCursor: z.string().nullable() }),
        },
      },
    },
    async (req) =>
      listMine(database, actor(req), {
        limit: req.query.limit,
        cursor: req.query.cursor,
        unread: req.query.unread === 'true',
      }),
  );
  app.get(
    '/api/notifications/unread-count',
    {
      schema: { tags: ['notifications'], response: { 200: z.object({ count: z.number().int() }) } },
    },
    async (req) => ({ count: await unreadCount(database, actor(req)) }),
  );
  app.post(
    '/api/notifications/:id/read',
    {
      schema: {
        tags: ['notifications'],
        params: z.object({ id: z.coerce.number().int().positive() }),
        response: { 200: z.object({ marked: z.number().int() }) },
      },
    },
    async (req) => ({ marked: await markRead(database, actor(req), req.params.id) }),
  );
  app.post(
    '/api/notifications/read-all',
    {
      schema: {
        tags: ['notifications'],
        response: { 200: z.object({ marked: z.number().int() }) },
      },
    },
    async (req) => ({ marked: await markRead(database, actor(req), null) }),
  );

  app.get(
    '/api/escalation-orders',
    {
      schema: {
        tags: ['problems'],
        summary: '督办单: each step up of a problem’s escalation colour, newest first',
        querystring: ZCursorQuery.extend({
          level: z.enum(ESCALATION_LEVELS).optional(),
          unitId: z.coerce.number().int().positive().optional(),
        }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.number().int(),
                problemId: z.number().int(),
                code: z.string(),
                title: z.string(),
                level: z.string(),
                unitId: z.number().int().nullable(),
                unitName: z.string().nullable(),
                deadline: z.string().nullable(),
                issuedAt: z.string(),
                state: z.string(),
              }),
            ),
            nextCursor: z.string().nullable(),
          }),
        },
      },
    },
    async (req) => listEscalationOrders(database, actor(req), req.query),
  );
};
