import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZIdParamSchema } from '../../../core/contracts/common.js';
import {
  ZGoodPersonMonthSchema,
  ZMonthParamSchema,
  ZMonthStateInputSchema,
  ZNominationInputSchema,
  ZNominationSchema,
  ZNominationsPageSchema,
  ZNominationsQuerySchema,
  ZNominationStatusInputSchema,
  ZPublicBoardQuerySchema,
  ZPublicBoardSchema,
  ZPublicGoodPeopleSetupSchema,
  ZPublicNominationResultSchema,
  ZPublicNominationSchema,
  ZPublicVoteInputSchema,
  ZPublicVoteResultSchema,
  ZPublicVotingSchema,
  ZUpwardStepInputSchema,
} from '../../../core/contracts/good-people.js';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { AppError } from '../../platform/errors.js';
import { readForm } from '../../platform/form.js';
import { actor } from '../../platform/http.js';
import type { FileStorage } from '../../platform/storage.js';
import * as pub from './good-people-public.service.js';
import * as service from './good-people.service.js';

/**
 * 身边好人: the office's nominations, review, the month's vote and 好人榜, the path upward; and the
 * public routes (no sign-in) of the citizen pages — the form, the list, the vote.
 */
export const goodPeopleRoutes: FastifyPluginAsyncZod<{
  database: Database;
  config: Config;
  storage: FileStorage;
}> = async (app, { database, config, storage }) => {
  const tags = ['good-people'];

  app.get(
    '/api/good-people',
    {
      schema: {
        tags,
        summary: 'Nominations: a reviewer its subtree (the city: all), a nominator its own',
        querystring: ZNominationsQuerySchema,
        response: { 200: ZNominationsPageSchema },
      },
    },
    async (req) => service.listNominations(database, actor(req), req.query),
  );
  app.post(
    '/api/good-people',
    {
      schema: {
        tags,
        summary: 'Nominate a person for a month (a unit, a community, an office)',
        body: ZNominationInputSchema,
        response: { 201: ZNominationSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await service.nominate(database, actor(req), req.body)),
  );
  app.get(
    '/api/good-people/:id',
    { schema: { tags, params: ZIdParamSchema, response: { 200: ZNominationSchema } } },
    async (req) => service.getNomination(database, actor(req), req.params.id),
  );
  app.post(
    '/api/good-people/:id/status',
    {
      schema: {
        tags,
        summary: '评议: shortlist, reject (with reason), honour (with rank) at a version; audited',
        params: ZIdParamSchema,
        body: ZNominationStatusInputSchema,
        response: { 200: ZNominationSchema },
      },
    },
    async (req) => service.changeStatus(database, actor(req), req.params.id, req.body),
  );
  app.post(
    '/api/good-people/:id/steps',
    {
      schema: {
        tags,
        summary: 'A step of the path upward (省级 / 中国好人榜) of an honoured person',
        params: ZIdParamSchema,
        body: ZUpwardStepInputSchema,
        response: { 201: ZNominationSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await service.addStep(database, actor(req), req.params.id, req.body)),
  );
  app.get(
    '/api/good-people/months/:month',
    {
      schema: {
        tags,
        summary: "A month's course: collecting, voting, closed, published",
        params: ZMonthParamSchema,
        response: { 200: ZGoodPersonMonthSchema },
      },
    },
    async (req) => service.getMonth(database, actor(req), req.params.month),
  );
  app.post(
    '/api/good-people/months/:month/state',
    {
      schema: {
        tags,
        summary: "Open or close the month's vote, publish its 好人榜 (the city office)",
        params: ZMonthParamSchema,
        body: ZMonthStateInputSchema,
        response: { 200: ZGoodPersonMonthSchema },
      },
    },
    async (req) => service.moveMonth(database, actor(req), req.params.month, req.body),
  );

  // ----- public -----
  const open = { public: true };
  app.get(
    '/api/public/good-people/setup',
    {
      config: open,
      schema: {
        tags,
        summary: "The public form's month and places",
        response: { 200: ZPublicGoodPeopleSetupSchema },
      },
    },
    async () => pub.publicSetup(database),
  );
  app.get(
    '/api/public/good-people/board',
    {
      config: open,
      schema: {
        tags,
        summary: '好人榜 of a published month (the latest by default); no nominator, no voter',
        querystring: ZPublicBoardQuerySchema,
        response: { 200: ZPublicBoardSchema },
      },
    },
    async (req) => pub.publicBoard(database, req.query.month),
  );
  app.get(
    '/api/public/good-people/voting',
    {
      config: open,
      schema: {
        tags,
        summary: 'The shortlist whose vote is open, with vote counts',
        response: { 200: ZPublicVotingSchema },
      },
    },
    async () => pub.publicVoting(database),
  );
  app.post(
    '/api/public/good-people/nominations',
    {
      config: open,
      schema: {
        tags,
        summary:
          'A citizen nominates (multipart: the fields of PublicNomination and an optional `photo`)',
        consumes: ['multipart/form-data'],
        response: { 201: ZPublicNominationResultSchema },
      },
    },
    async (req, reply) => {
      await pub.limitNominations(database, config, req.ip);
      if (!req.isMultipart()) {
        throw new AppError('invalid', 400, {
          zh: '请以表单方式提交（multipart/form-data）',
          en: 'send the nomination as multipart/form-data',
        });
      }
      const form = await readForm(req, { maxFiles: 2 });
      const input = ZPublicNominationSchema.parse(form.fields);
      const photos = form.files.filter((f) => f.field === 'photo');
      return reply
        .status(201)
        .send(await pub.publicNominate(database, config, storage, input, photos, req.ip));
    },
  );
  app.post(
    '/api/public/good-people/:id/votes',
    {
      config: open,
      schema: {
        tags,
        summary:
          'Vote for a shortlisted person (one a device a day; limits per address and device)',
        params: ZIdParamSchema,
        body: ZPublicVoteInputSchema,
        response: { 200: ZPublicVoteResultSchema },
      },
    },
    async (req) => pub.vote(database, config, req.params.id, req.body.deviceId, req.ip),
  );
  for (const thumb of [false, true]) {
    app.get(
      `/api/public/good-people/:id/photo${thumb ? '/thumb' : ''}`,
      {
        config: open,
        schema: {
          tags,
          summary: `A public nominee's photo${thumb ? ' (thumbnail)' : ''}`,
          params: ZIdParamSchema,
        },
      },
      async (req, reply) => {
        const f = await pub.publicPhoto(database, storage, req.params.id, thumb);
        return reply
          .header('content-type', f.mime)
          .header('cache-control', 'public, max-age=3600')
          .send(f.data);
      },
    );
  }
};
