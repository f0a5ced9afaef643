import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ESCALATION_LEVELS } from '../../../core/contracts/problems.js';
import { Permission } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { escalationOrders, problems, units } from '../../db/schema/index.js';
import { requirePermission } from '../../platform/actor.js';
import { actor } from '../../platform/http.js';
import { problemScope } from '../problems/problems.repo.js';
import { listMine, markRead, unreadCount } from './notifications.service.js';

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
    async (req) => {
      const scope = requirePermission(actor(req), Permission.ProblemRead);
      const s = problemScope(scope);
      const q = req.query;
      const rows = await database.db
        .select({
          id: escalationOrders.id,
          problemId: escalationOrders.problemId,
          code: problems.code,
          title: problems.title,
          level: escalationOrders.level,
          unitId: escalationOrders.unitId,
          unitName: units.name,
          deadline: escalationOrders.deadline,
          issuedAt: escalationOrders.issuedAt,
          state: problems.state,
        })
        .from(escalationOrders)
        .innerJoin(problems, eq(problems.id, escalationOrders.problemId))
        .leftJoin(units, eq(units.id, escalationOrders.unitId))
        .where(
          and(
            ...(s ? [s] : []),
            ...(q.level ? [eq(escalationOrders.level, q.level)] : []),
            ...(q.unitId ? [eq(escalationOrders.unitId, q.unitId)] : []),
            ...(q.cursor ? [lt(escalationOrders.id, q.cursor)] : []),
            sql`true`,
          ),
        )
        .orderBy(desc(escalationOrders.id))
        .limit(q.limit + 1);
      const items = rows.slice(0, q.limit);
      return {
        items: items.map((r) => ({
          ...r,
          deadline: r.deadline?.toISOString() ?? null,
          issuedAt: r.issuedAt.toISOString(),
        })),
        nextCursor: rows.length > q.limit ? String(items[items.length - 1]!.id) : null,
      };
    },
  );
};
