import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZIdParamSchema } from '../../../core/contracts/common.js';
import {
  ZConfirmForInputSchema,
  ZDeclineInputSchema,
  ZDispatchInputSchema,
  ZFinishInputSchema,
  ZPublicCancelInputSchema,
  ZPublicConfirmInputSchema,
  ZPublicServiceMenuSchema,
  ZPublicServiceOrderResultSchema,
  ZPublicServiceOrderSchema,
  ZPublicServiceTrackSchema,
  ZServiceCheckinInputSchema,
  ZServiceCodeParamSchema,
  ZServiceContactSchema,
  ZServiceItemInputSchema,
  ZServiceItemPatchSchema,
  ZServiceItemSchema,
  ZServiceItemsQuerySchema,
  ZServiceItemsSchema,
  ZServiceOrderDetailSchema,
  ZServiceOrderInputSchema,
  ZServiceOrderPageSchema,
  ZServiceOrdersQuerySchema,
  ZServiceRecordQuerySchema,
  ZServiceRecordSchema,
  ZServiceTasksSchema,
  ZTakeInputSchema,
} from '../../../core/contracts/service-orders.js';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { actor } from '../../platform/http.js';
import * as field from './service-orders-field.service.js';
import * as menu from './service-menu.service.js';
import * as pub from './service-orders-public.service.js';
import * as records from './service-records.service.js';
import * as orders from './service-orders.service.js';

/**
 * 点单派单: the stations' service menus, orders (a grid worker's for a resident), dispatch,
 * volunteers taking and serving them, the stations' record; and the public routes (no sign-in)
 * of the citizen page — the menu, an order, its tracking page and the requester's confirmation.
 */
export const serviceOrderRoutes: FastifyPluginAsyncZod<{
  database: Database;
  config: Config;
}> = async (app, { database, config }) => {
  const tags = ['service-orders'];

  // ---- the menu
  app.get(
    '/api/service-items',
    {
      schema: {
        tags,
        summary: 'Service menus: a level’s stations’ (the office); what is offered (a grid worker)',
        querystring: ZServiceItemsQuerySchema,
        response: { 200: ZServiceItemsSchema },
      },
    },
    async (req) => menu.listItems(database, actor(req), req.query.placeId),
  );
  app.post(
    '/api/service-items',
    { schema: { tags, body: ZServiceItemInputSchema, response: { 201: ZServiceItemSchema } } },
    async (req, reply) =>
      reply.status(201).send(await menu.createItem(database, actor(req), req.body)),
  );
  app.patch(
    '/api/service-items/:id',
    {
      schema: {
        tags,
        params: ZIdParamSchema,
        body: ZServiceItemPatchSchema,
        response: { 200: ZServiceItemSchema },
      },
    },
    async (req) => menu.updateItem(database, actor(req), req.params.id, req.body),
  );

  // ---- orders
  app.get(
    '/api/service-orders',
    {
      schema: {
        tags,
        summary: 'Orders, newest first: a level’s stations’ (the city: all), a grid worker’s own',
        querystring: ZServiceOrdersQuerySchema,
        response: { 200: ZServiceOrderPageSchema },
      },
    },
    async (req) => orders.listOrders(database, actor(req), req.query),
  );
  app.post(
    '/api/service-orders',
    {
      schema: {
        tags,
        summary: 'Order for a resident (grid worker; idempotent by client id)',
        body: ZServiceOrderInputSchema,
        response: { 201: ZServiceOrderDetailSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await orders.createOrder(database, actor(req), req.body)),
  );
  app.get(
    '/api/service-orders/tasks',
    {
      schema: {
        tags,
        summary: "The volunteer's: open orders of their team, and the orders they took",
        response: { 200: ZServiceTasksSchema },
      },
    },
    async (req) => field.tasks(database, actor(req)),
  );
  app.get(
    '/api/service-orders/:id',
    { schema: { tags, params: ZIdParamSchema, response: { 200: ZServiceOrderDetailSchema } } },
    async (req) => orders.getOrder(database, actor(req), req.params.id),
  );
  app.post(
    '/api/service-orders/:id/contact',
    {
      schema: {
        tags,
        summary: "The requester's contact in full (the station; takers while serving; audited)",
        params: ZIdParamSchema,
        response: { 200: ZServiceContactSchema },
      },
    },
    async (req) => orders.revealContact(database, actor(req), req.params.id),
  );
  app.post(
    '/api/service-orders/:id/dispatch',
    {
      schema: {
        tags,
        summary: '派单: to a team with a deadline (again while nobody took it)',
        params: ZIdParamSchema,
        body: ZDispatchInputSchema,
        response: { 200: ZServiceOrderDetailSchema },
      },
    },
    async (req) => orders.dispatch(database, actor(req), req.params.id, req.body),
  );
  app.post(
    '/api/service-orders/:id/decline',
    {
      schema: {
        tags,
        summary: 'Decline with a reason the requester reads',
        params: ZIdParamSchema,
        body: ZDeclineInputSchema,
        response: { 200: ZServiceOrderDetailSchema },
      },
    },
    async (req) => orders.decline(database, actor(req), req.params.id, req.body),
  );
  app.post(
    '/api/service-orders/:id/confirm',
    {
      schema: {
        tags,
        summary: 'The station confirms for a requester who did not answer in time (with a reason)',
        params: ZIdParamSchema,
        body: ZConfirmForInputSchema,
        response: { 200: ZServiceOrderDetailSchema },
      },
    },
    async (req) => orders.confirmFor(database, actor(req), req.params.id, req.body),
  );
  app.post(
    '/api/service-orders/:id/take',
    {
      schema: {
        tags,
        summary: '接单: a seat for a volunteer of the dispatched team (idempotent)',
        params: ZIdParamSchema,
        body: ZTakeInputSchema,
        response: { 200: ZServiceOrderDetailSchema },
      },
    },
    async (req) => field.take(database, actor(req), req.params.id, req.body),
  );
  app.post(
    '/api/service-orders/:id/release',
    {
      schema: {
        tags,
        summary: 'Give the seat up before checking in',
        params: ZIdParamSchema,
        body: ZTakeInputSchema,
        response: { 200: ZServiceOrderDetailSchema },
      },
    },
    async (req) => field.release(database, actor(req), req.params.id, req.body),
  );
  app.post(
    '/api/service-orders/:id/check-in',
    {
      schema: {
        tags,
        summary: 'Check in by GPS near the address (idempotent by person and client id)',
        params: ZIdParamSchema,
        body: ZServiceCheckinInputSchema,
        response: { 200: ZServiceOrderDetailSchema },
      },
    },
    async (req) => field.checkIn(database, actor(req), req.params.id, req.body),
  );
  app.post(
    '/api/service-orders/:id/done',
    {
      schema: {
        tags,
        summary: 'Mark done with a note and photos; the takers’ hours are credited',
        params: ZIdParamSchema,
        body: ZFinishInputSchema,
        response: { 200: ZServiceOrderDetailSchema },
      },
    },
    async (req) => field.finish(database, actor(req), req.params.id, req.body),
  );

  // ---- the stations' record
  app.get(
    '/api/service-records',
    {
      schema: {
        tags,
        summary: "The stations' record: orders by state, step medians, overdue, satisfaction",
        querystring: ZServiceRecordQuerySchema,
        response: { 200: ZServiceRecordSchema },
      },
    },
    async (req) => records.serviceRecord(database, actor(req), req.query),
  );

  // ---- public
  const open = { public: true };
  app.get(
    '/api/public/service-menu',
    {
      config: open,
      schema: {
        tags,
        summary: 'Stations and the services they offer now',
        response: { 200: ZPublicServiceMenuSchema },
      },
    },
    async () => menu.publicMenu(database),
  );
  app.post(
    '/api/public/service-orders',
    {
      config: open,
      schema: {
        tags,
        summary: "A resident's order (rate-limited per address and device; honeypot)",
        body: ZPublicServiceOrderSchema,
        response: { 201: ZPublicServiceOrderResultSchema },
      },
      // Counted before the body is validated: a flood costs a counter.
      preValidation: async (req) => pub.limitOrders(database, config, req.ip),
    },
    async (req, reply) =>
      reply.status(201).send(await pub.publicOrder(database, config, req.body, req.ip)),
  );
  app.get(
    '/api/public/service-orders/:code',
    {
      config: open,
      schema: {
        tags,
        summary: 'An order’s progress by its tracking code (masked contact, no names of staff)',
        params: ZServiceCodeParamSchema,
        response: { 200: ZPublicServiceTrackSchema },
      },
    },
    async (req) => {
      await pub.limitLookups(database, config, req.ip);
      return pub.track(database, req.params.code);
    },
  );
  app.post(
    '/api/public/service-orders/:code/confirm',
    {
      config: open,
      schema: {
        tags,
        summary: 'The requester confirms a done order: satisfied or not, with a comment',
        params: ZServiceCodeParamSchema,
        body: ZPublicConfirmInputSchema,
        response: { 200: ZPublicServiceTrackSchema },
      },
    },
    async (req) => {
      await pub.limitLookups(database, config, req.ip);
      return pub.confirm(database, req.params.code, req.body, req.ip);
    },
  );
  app.post(
    '/api/public/service-orders/:code/cancel',
    {
      config: open,
      schema: {
        tags,
        summary: '撤销点单: the requester withdraws the order until a volunteer is on site',
        params: ZServiceCodeParamSchema,
        body: ZPublicCancelInputSchema,
        response: { 200: ZPublicServiceTrackSchema },
      },
    },
    async (req) => {
      await pub.limitLookups(database, config, req.ip);
      return pub.cancel(database, req.params.code, req.body, req.ip);
    },
  );
};
