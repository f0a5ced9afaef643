import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZIdParamSchema } from '../../../core/contracts/common.js';
import {
  ZDrawVerificationSchema,
  ZListVisitsQuerySchema,
  ZMyRoundListSchema,
  ZRoundInputSchema,
  ZRoundListQuerySchema,
  ZRoundListSchema,
  ZRoundDayParamsSchema,
  ZRoundReportSchema,
  ZRoundSchema,
  ZScheduleDayPatchSchema,
  ZVisitCorrectionSchema,
  ZVisitHistorySchema,
  ZVisitListSchema,
  ZVisitSchema,
  ZVisitSubmitSchema,
} from '../../../core/contracts/inspections.js';
import type { Database } from '../../db/client.js';
import { actor } from '../../platform/http.js';
import { xlsxHeaders } from '../../platform/xlsx.js';
import { roundReport } from './round-report.service.js';
import { roundReportWorkbook } from './round-report-xlsx.js';
import * as days from './round-days.service.js';
import * as rounds from './rounds.service.js';
import * as visits from './visits.service.js';

/**
 * Inspection rounds with their verifiable draw, the field inspections (实地检查) of the drawn
 * points, their findings and the round report.
 */
export const roundRoutes: FastifyPluginAsyncZod<{ database: Database }> = async (
  app,
  { database },
) => {
  const roundTags = ['points'];
  app.post(
    '/api/rounds',
    {
      schema: {
        tags: roundTags,
        summary: 'Plan an inspection round',
        body: ZRoundInputSchema,
        response: { 201: ZRoundSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await rounds.createRound(database, actor(req), req.body)),
  );
  app.get(
    '/api/rounds',
    {
      schema: {
        tags: roundTags,
        summary: 'Inspection rounds, newest first (of one level with ownerRegionId)',
        querystring: ZRoundListQuerySchema,
        response: { 200: ZRoundListSchema },
      },
    },
    async (req) => rounds.listRounds(database, actor(req), req.query),
  );
  app.get(
    '/api/rounds/:id',
    { schema: { tags: roundTags, params: ZIdParamSchema, response: { 200: ZRoundSchema } } },
    async (req) => rounds.getRound(database, actor(req), req.params.id),
  );
  app.post(
    '/api/rounds/:id/commit',
    {
      schema: {
        tags: roundTags,
        summary: 'Freeze the eligible points and publish SHA-256(seed)',
        params: ZIdParamSchema,
        response: { 200: ZRoundSchema },
      },
    },
    async (req) => rounds.commitRound(database, actor(req), req.params.id),
  );
  app.post(
    '/api/rounds/:id/draw',
    {
      schema: {
        tags: roundTags,
        summary: 'Draw the points from the committed seed',
        params: ZIdParamSchema,
        response: { 200: ZRoundSchema },
      },
    },
    async (req) => rounds.drawRound(database, actor(req), req.params.id),
  );
  app.post(
    '/api/rounds/:id/reveal',
    {
      schema: {
        tags: roundTags,
        summary: 'Publish the seed so anyone can re-run the draw',
        params: ZIdParamSchema,
        response: { 200: ZRoundSchema },
      },
    },
    async (req) => rounds.revealRound(database, actor(req), req.params.id),
  );
  app.post(
    '/api/rounds/:id/verify-draw',
    {
      schema: {
        tags: roundTags,
        summary: 'Re-run a revealed draw and check it',
        params: ZIdParamSchema,
        response: { 200: ZDrawVerificationSchema },
      },
    },
    async (req) => rounds.verifyRound(database, actor(req), req.params.id),
  );

  // 按城区分日抽签: each day of a round's schedule is committed, drawn and revealed on its own.
  app.patch(
    '/api/rounds/:id/days/:dayId',
    {
      schema: {
        tags: roundTags,
        summary: 'Change a planned day of the schedule (date, districts, overrides; versioned)',
        params: ZRoundDayParamsSchema,
        body: ZScheduleDayPatchSchema,
        response: { 200: ZRoundSchema },
      },
    },
    async (req) => days.updateDay(database, actor(req), req.params.id, req.params.dayId, req.body),
  );
  for (const [step, summary, run] of [
    ['commit', "Freeze the day's points and publish SHA-256(seed)", days.commitDay],
    ['draw', "Draw the day's points from its committed seed", days.drawDay],
    ['reveal', "Publish the day's seed so anyone can re-run its draw", days.revealDay],
  ] as const) {
    app.post(
      `/api/rounds/:id/days/:dayId/${step}`,
      {
        schema: {
          tags: roundTags,
          summary,
          params: ZRoundDayParamsSchema,
          response: { 200: ZRoundSchema },
        },
      },
      async (req) => run(database, actor(req), req.params.id, req.params.dayId),
    );
  }
  app.post(
    '/api/rounds/:id/days/:dayId/verify-draw',
    {
      schema: {
        tags: roundTags,
        summary: "Re-run a revealed day's draw and check it",
        params: ZRoundDayParamsSchema,
        response: { 200: ZDrawVerificationSchema },
      },
    },
    async (req) => days.verifyDay(database, actor(req), req.params.id, req.params.dayId),
  );

  const tags = ['inspections'];
  app.get(
    '/api/inspections/mine',
    {
      schema: {
        tags,
        summary: "The inspector's drawn rounds with points and checklists (kept offline)",
        response: { 200: ZMyRoundListSchema },
      },
    },
    async (req) => visits.myRounds(database, actor(req)),
  );
  app.post(
    '/api/visits',
    {
      schema: {
        tags,
        summary: 'Submit a visit (idempotent on clientId: a retry returns the stored visit)',
        body: ZVisitSubmitSchema,
        response: { 200: ZVisitSchema, 201: ZVisitSchema },
      },
    },
    async (req, reply) => {
      const { visit, created } = await visits.submitVisit(database, actor(req), req.body);
      return reply.status(created ? 201 : 200).send(visit);
    },
  );
  app.post(
    '/api/visits/:id/corrections',
    {
      schema: {
        tags,
        summary: 'Correct a visit: appends a new version with a reason (idempotent on clientId)',
        params: ZIdParamSchema,
        body: ZVisitCorrectionSchema,
        response: { 200: ZVisitSchema, 201: ZVisitSchema },
      },
    },
    async (req, reply) => {
      const { visit, created } = await visits.correctVisit(
        database,
        actor(req),
        req.params.id,
        req.body,
      );
      return reply.status(created ? 201 : 200).send(visit);
    },
  );
  app.get(
    '/api/visits',
    {
      schema: {
        tags,
        summary: 'Visits (latest versions unless history=true), scoped',
        querystring: ZListVisitsQuerySchema,
        response: { 200: ZVisitListSchema },
      },
    },
    async (req) => visits.listVisits(database, actor(req), req.query),
  );
  app.get(
    '/api/visits/:id',
    {
      schema: {
        tags,
        summary: 'A visit with all versions of it',
        params: ZIdParamSchema,
        response: { 200: ZVisitHistorySchema },
      },
    },
    async (req) => visits.getVisit(database, actor(req), req.params.id),
  );
  app.get(
    '/api/rounds/:id/report',
    {
      schema: {
        tags,
        summary:
          'Round report: pass rates by type, region, unit, point, item and framework standard',
        params: ZIdParamSchema,
        response: { 200: ZRoundReportSchema },
      },
    },
    async (req) => roundReport(database, actor(req), req.params.id),
  );
  app.get(
    '/api/rounds/:id/report.xlsx',
    {
      schema: {
        tags,
        summary: 'Round report as XLSX (sheets 测评报告 and 按测评标准)',
        params: ZIdParamSchema,
      },
    },
    async (req, reply) => {
      const r = await roundReport(database, actor(req), req.params.id);
      return reply
        .headers(xlsxHeaders(`${r.roundName}-测评报告.xlsx`))
        .send(await roundReportWorkbook(r));
    },
  );
};
