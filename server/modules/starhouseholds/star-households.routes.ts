import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZIdParamSchema } from '../../../core/contracts/common.js';
import {
  ZListStarHouseholdsQuerySchema,
  ZProposeStarRatingSchema,
  ZRegisterStarHonourSchema,
  ZReviewStarRatingSchema,
  ZStarBoardCommunitiesQuerySchema,
  ZStarBoardCommunitiesSchema,
  ZStarBoardQuerySchema,
  ZStarBoardSchema,
  ZStarCoverageQuerySchema,
  ZStarCoverageSchema,
  ZStarCriteriaSchema,
  ZStarCriterionInputSchema,
  ZStarCriterionPatchSchema,
  ZStarCriterionSchema,
  ZStarHouseholdInputSchema,
  ZStarHouseholdPatchSchema,
  ZStarHouseholdSchema,
  ZStarHouseholdsPageSchema,
  ZStarRatingSchema,
  ZStarYearQuerySchema,
} from '../../../core/contracts/star-households.js';
import type { Database } from '../../db/client.js';
import { actor } from '../../platform/http.js';
import * as service from './star-households.service.js';

/** 文明家庭 / 十星级文明户: households of the grids, their stars by year, the public board. */
export const starHouseholdRoutes: FastifyPluginAsyncZod<{ database: Database }> = async (
  app,
  { database },
) => {
  const tags = ['star-households'];
  app.get(
    '/api/star-households/criteria',
    {
      schema: {
        tags,
        summary: 'The stars of 十星级文明户 (criteria), in order, retired ones included',
        response: { 200: ZStarCriteriaSchema },
      },
    },
    async (req) => service.listCriteria(database, actor(req)),
  );
  app.post(
    '/api/star-households/criteria',
    {
      schema: {
        tags,
        summary: 'Add a star (the city office)',
        body: ZStarCriterionInputSchema,
        response: { 201: ZStarCriterionSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await service.createCriterion(database, actor(req), req.body)),
  );
  app.patch(
    '/api/star-households/criteria/:id',
    {
      schema: {
        tags,
        summary: 'Reword, reorder or retire a star at its version (the city office)',
        params: ZIdParamSchema,
        body: ZStarCriterionPatchSchema,
        response: { 200: ZStarCriterionSchema },
      },
    },
    async (req) => service.updateCriterion(database, actor(req), req.params.id, req.body),
  );
  app.get(
    '/api/star-households',
    {
      schema: {
        tags,
        summary: 'Households in the reader’s grids or subtree, each with its rating of the year',
        querystring: ZListStarHouseholdsQuerySchema,
        response: { 200: ZStarHouseholdsPageSchema },
      },
    },
    async (req) => service.listHouseholds(database, actor(req), req.query),
  );
  app.post(
    '/api/star-households',
    {
      schema: {
        tags,
        summary: 'Register a household in a grid (a grid worker: one of their own grids)',
        body: ZStarHouseholdInputSchema,
        response: { 201: ZStarHouseholdSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await service.createHousehold(database, actor(req), req.body)),
  );
  app.get(
    '/api/star-households/coverage',
    {
      schema: {
        tags,
        summary:
          'Per community: households registered and rated, ten-star ones, stars distribution',
        querystring: ZStarCoverageQuerySchema,
        response: { 200: ZStarCoverageSchema },
      },
    },
    async (req) => service.coverage(database, actor(req), req.query),
  );
  app.get(
    '/api/star-households/:id',
    {
      schema: {
        tags,
        summary: 'One household with its rating of the year (the phone in full for those who rate)',
        params: ZIdParamSchema,
        querystring: ZStarYearQuerySchema,
        response: { 200: ZStarHouseholdSchema },
      },
    },
    async (req) => service.getHousehold(database, actor(req), req.params.id, req.query.year),
  );
  app.patch(
    '/api/star-households/:id',
    {
      schema: {
        tags,
        summary: 'Edit a household at its version',
        params: ZIdParamSchema,
        body: ZStarHouseholdPatchSchema,
        response: { 200: ZStarHouseholdSchema },
      },
    },
    async (req) => service.updateHousehold(database, actor(req), req.params.id, req.body),
  );
  app.post(
    '/api/star-households/:id/ratings',
    {
      schema: {
        tags,
        summary: 'Propose the stars of a year (again after a return); a retried phone send is one',
        params: ZIdParamSchema,
        body: ZProposeStarRatingSchema,
        response: { 200: ZStarHouseholdSchema },
      },
    },
    async (req) => service.proposeRating(database, actor(req), req.params.id, req.body),
  );
  app.post(
    '/api/star-ratings/:id/review',
    {
      schema: {
        tags,
        summary: 'Approve a proposed rating or return it with a reason (not one’s own proposal)',
        params: ZIdParamSchema,
        body: ZReviewStarRatingSchema,
        response: { 200: ZStarRatingSchema },
      },
    },
    async (req) => service.reviewRating(database, actor(req), req.params.id, req.body),
  );
  app.post(
    '/api/star-ratings/:id/honour',
    {
      schema: {
        tags,
        summary: 'Register an approved ten-star household as a 文明家庭 in the honours registry',
        params: ZIdParamSchema,
        body: ZRegisterStarHonourSchema,
        response: { 200: ZStarRatingSchema },
      },
    },
    async (req) => service.registerHonour(database, actor(req), req.params.id, req.body),
  );

  const pub = { public: true };
  app.get(
    '/api/public/star-board',
    {
      config: pub,
      schema: {
        tags: ['citizen'],
        summary: 'A community’s 星级文明户 of the year (public: 张**户, building, stars)',
        querystring: ZStarBoardQuerySchema,
        response: { 200: ZStarBoardSchema },
      },
    },
    async (req) => service.publicBoard(database, req.query),
  );
  app.get(
    '/api/public/star-board/communities',
    {
      config: pub,
      schema: {
        tags: ['citizen'],
        summary: 'The communities with 星级文明户 of the year',
        querystring: ZStarBoardCommunitiesQuerySchema,
        response: { 200: ZStarBoardCommunitiesSchema },
      },
    },
    async (req) => service.publicCommunities(database, req.query),
  );
};
