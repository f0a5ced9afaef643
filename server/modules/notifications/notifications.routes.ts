import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZIdParamSchema } from '../../../core/contracts/common.js';
import {
  ZEscalationOrderPageSchema,
  ZListEscalationOrdersQuerySchema,
  ZListNotificationsQuerySchema,
  ZMarkedSchema,
  ZNotificationPageSchema,
  ZSmsLogPageSchema,
  ZSmsLogQuerySchema,
  ZUnreadCountSchema,
} from '../../../core/contracts/notifications.js';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { actor } from '../../platform/http.js';
import {
  listEscalationOrders,
  listMine,
  listSmsLog,
  markRead,
  unreadCount,
} from './notifications.service.js';

export const notificationRoutes: FastifyPluginAsyncZod<{
  database: Database;
  config: Config;
}> = async (app, { database, config }) => {
  app.get(
    '/api/notifications',
    {
      schema: {
        tags: ['notifications'],
        summary: 'My inbox, newest first',
        querystring: ZListNotificationsQuerySchema,
        response: { 200: ZNotificationPageSchema },
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
      schema: { tags: ['notifications'], response: { 200: ZUnreadCountSchema } },
    },
    async (req) => ({ count: await unreadCount(database, actor(req)) }),
  );
  app.post(
    '/api/notifications/:id/read',
    {
      schema: {
        tags: ['notifications'],
        params: ZIdParamSchema,
        response: { 200: ZMarkedSchema },
      },
    },
    async (req) => ({ marked: await markRead(database, actor(req), req.params.id) }),
  );
  app.post(
    '/api/notifications/read-all',
    {
      schema: {
        tags: ['notifications'],
        response: { 200: ZMarkedSchema },
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
        querystring: ZListEscalationOrdersQuerySchema,
        response: { 200: ZEscalationOrderPageSchema },
      },
    },
    async (req) => listEscalationOrders(database, actor(req), req.query),
  );
  app.get(
    '/api/sms-log',
    {
      schema: {
        tags: ['notifications'],
        summary:
          '短信发送记录: text messages sent (replies to reporters, codes), newest first, numbers masked',
        querystring: ZSmsLogQuerySchema,
        response: { 200: ZSmsLogPageSchema },
      },
    },
    async (req) => listSmsLog(database, actor(req), req.query, config.smsGateway?.kind ?? 'none'),
  );
};
