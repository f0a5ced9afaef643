import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZCreatedIdSchema,
  ZIdParamSchema,
  ZNoContentSchema,
} from '../../../core/contracts/common.js';
import {
  ZGuideAssignmentsSchema,
  ZPublicResponseInputSchema,
  ZPublicSubmitResultSchema,
  ZPublicSurveySchema,
  ZQuestionnaireFileSchema,
  ZQuestionnaireInputSchema,
  ZQuestionnairePublishSchema,
  ZQuestionnaireSchema,
  ZQuestionnaireUpdateSchema,
  ZQuotaBoardSchema,
  ZQuotaGuidesSchema,
  ZQuotaSchema,
  ZQuotaUpdateSchema,
  ZQuotaInputSchema,
  ZQuotasCreatedSchema,
  ZResponseInputSchema,
  ZResponseSchema,
  ZResponsesSchema,
  ZResponsesQuerySchema,
  ZResultsQuerySchema,
  ZResultsSchema,
  ZRoundInputSchema,
  ZRoundSchema,
  ZRoundUpdateSchema,
  ZSurveyGuidesSchema,
  ZSurveyInputSchema,
  ZSurveyRoundsSchema,
  ZSurveysSchema,
  ZSurveyStandardsSchema,
  ZSurveyTokenParamSchema,
  ZSuspiciousRowsSchema,
  ZTrendSchema,
} from '../../../core/contracts/surveys.js';
import type { Database } from '../../db/client.js';
import { Permission } from '../../../core/permissions.js';
import { actor } from '../../platform/http.js';
import { receiveUpload } from '../../platform/xlsx-import.js';
import { xlsxHeaders } from '../../platform/xlsx.js';
import * as collect from './collect.service.js';
import { importQuestionnaireXlsx, questionnaireWorkbook } from './questionnaire-xlsx.js';
import * as design from './design.service.js';
import * as plan from './plan.service.js';
import * as results from './results.service.js';

/**
 * 问卷调查: questionnaire design, sampling plan (rounds, quotas, guides), collection by guides and
 * by self-completion, results. Responses have no update or delete route: they are immutable.
 */
export const surveyRoutes: FastifyPluginAsyncZod<{ database: Database }> = async (
  app,
  { database },
) => {
  const tags = ['surveys'];
  app.get(
    '/api/surveys',
    {
      schema: {
        tags,
        summary: 'Surveys and their questionnaires',
        response: { 200: ZSurveysSchema },
      },
    },
    async (req) => design.listSurveys(database, actor(req)),
  );
  app.post(
    '/api/surveys',
    {
      schema: {
        tags,
        summary: 'Create a survey',
        body: ZSurveyInputSchema,
        response: { 201: ZCreatedIdSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await design.createSurvey(database, actor(req), req.body)),
  );
  app.get(
    '/api/surveys/standards',
    {
      schema: {
        tags,
        summary: 'Framework standards measured by questionnaire (method 问卷调查)',
        response: { 200: ZSurveyStandardsSchema },
      },
    },
    async (req) => design.surveyStandards(database, actor(req)),
  );
  app.post(
    '/api/surveys/:id/questionnaires',
    {
      schema: {
        tags,
        summary: 'A new draft questionnaire for a respondent group',
        params: ZIdParamSchema,
        body: ZQuestionnaireInputSchema,
        response: { 201: ZQuestionnaireSchema },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await design.createQuestionnaire(database, actor(req), req.params.id, req.body)),
  );
  app.post(
    '/api/surveys/:id/questionnaires/import',
    {
      schema: {
        tags,
        summary: 'Import a questionnaire JSON file as a draft',
        params: ZIdParamSchema,
        body: ZQuestionnaireFileSchema,
        response: { 201: ZQuestionnaireSchema },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await design.importQuestionnaire(database, actor(req), req.params.id, req.body)),
  );
  app.get(
    '/api/questionnaires/:id',
    { schema: { tags, params: ZIdParamSchema, response: { 200: ZQuestionnaireSchema } } },
    async (req) => design.getQuestionnaire(database, actor(req), req.params.id),
  );
  app.put(
    '/api/questionnaires/:id',
    {
      schema: {
        tags,
        summary: 'Edit a draft (a published questionnaire is immutable: 409)',
        params: ZIdParamSchema,
        body: ZQuestionnaireUpdateSchema,
        response: { 200: ZQuestionnaireSchema },
      },
    },
    async (req) => design.updateQuestionnaire(database, actor(req), req.params.id, req.body),
  );
  app.post(
    '/api/questionnaires/:id/publish',
    {
      schema: {
        tags,
        params: ZIdParamSchema,
        body: ZQuestionnairePublishSchema,
        response: { 200: ZQuestionnaireSchema },
      },
    },
    async (req) =>
      design.publishQuestionnaire(database, actor(req), req.params.id, req.body.version),
  );
  app.post(
    '/api/questionnaires/:id/revise',
    {
      schema: {
        tags,
        summary: 'Copy a questionnaire into the next draft version',
        params: ZIdParamSchema,
        response: { 201: ZQuestionnaireSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await design.reviseQuestionnaire(database, actor(req), req.params.id)),
  );
  app.get(
    '/api/questionnaires/:id/export.json',
    { schema: { tags, params: ZIdParamSchema, response: { 200: ZQuestionnaireFileSchema } } },
    async (req, reply) => {
      const file = await design.exportQuestionnaire(database, actor(req), req.params.id);
      void reply.header(
        'content-disposition',
        `attachment; filename="questionnaire-${file.group}.json"`,
      );
      return file;
    },
  );

  app.get(
    '/api/questionnaires/:id/export.xlsx',
    { schema: { tags, summary: 'The questionnaire as a workbook', params: ZIdParamSchema } },
    async (req, reply) => {
      const buf = await questionnaireWorkbook(database, actor(req), req.params.id);
      return reply.headers(xlsxHeaders(`问卷-${req.params.id}.xlsx`)).send(buf);
    },
  );
  app.post(
    '/api/surveys/:id/questionnaires/import.xlsx',
    {
      schema: {
        tags,
        summary: 'Import a questionnaire workbook as a draft (multipart `file`); errors by row',
        consumes: ['multipart/form-data'],
        params: ZIdParamSchema,
        response: { 201: ZQuestionnaireSchema },
      },
    },
    async (req, reply) => {
      const file = await receiveUpload(req, Permission.SurveyWrite);
      const q = await importQuestionnaireXlsx(database, actor(req), req.params.id, file);
      return reply.status(201).send(q);
    },
  );

  // ---- sampling plan ----
  app.get(
    '/api/surveys/:id/rounds',
    { schema: { tags, params: ZIdParamSchema, response: { 200: ZSurveyRoundsSchema } } },
    async (req) => plan.listRounds(database, actor(req), req.params.id),
  );
  app.post(
    '/api/surveys/:id/rounds',
    {
      schema: {
        tags,
        params: ZIdParamSchema,
        body: ZRoundInputSchema,
        response: { 201: ZRoundSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await plan.createRound(database, actor(req), req.params.id, req.body)),
  );
  app.patch(
    '/api/survey-rounds/:id',
    {
      schema: {
        tags,
        params: ZIdParamSchema,
        body: ZRoundUpdateSchema,
        response: { 200: ZRoundSchema },
      },
    },
    async (req) => plan.updateRound(database, actor(req), req.params.id, req.body),
  );
  app.post(
    '/api/survey-rounds/:id/quotas',
    {
      schema: {
        tags,
        summary: 'Quotas for communities (e.g. 20 households × N communities)',
        params: ZIdParamSchema,
        body: ZQuotaInputSchema,
        response: { 201: ZQuotasCreatedSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await plan.addQuotas(database, actor(req), req.params.id, req.body)),
  );
  app.patch(
    '/api/survey-quotas/:id',
    {
      schema: {
        tags,
        summary: "Edit a quota's target, weight or area",
        params: ZIdParamSchema,
        body: ZQuotaUpdateSchema,
        response: { 200: ZQuotaSchema },
      },
    },
    async (req) => plan.updateQuota(database, actor(req), req.params.id, req.body),
  );
  app.put(
    '/api/survey-quotas/:id/guides',
    {
      schema: {
        tags,
        summary: 'Assign guides to a quota',
        params: ZIdParamSchema,
        body: ZQuotaGuidesSchema,
        response: { 204: ZNoContentSchema },
      },
    },
    async (req, reply) => {
      await plan.setQuotaGuides(database, actor(req), req.params.id, req.body);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/api/survey-rounds/:id/board',
    {
      schema: {
        tags,
        summary: 'Quota board: progress per quota and guide, roster shortfalls',
        params: ZIdParamSchema,
        response: { 200: ZQuotaBoardSchema },
      },
    },
    async (req) => plan.quotaBoard(database, actor(req), req.params.id),
  );
  app.get(
    '/api/survey-guides',
    {
      schema: {
        tags,
        response: { 200: ZSurveyGuidesSchema },
      },
    },
    async (req) => plan.listGuides(database, actor(req)),
  );

  // ---- collection ----
  app.get(
    '/api/survey-app/assignments',
    {
      schema: {
        tags,
        summary: "The guide's open quotas with their questionnaires",
        response: { 200: ZGuideAssignmentsSchema },
      },
    },
    async (req) => collect.guideAssignments(database, actor(req)),
  );
  app.post(
    '/api/survey-responses',
    {
      schema: {
        tags,
        summary: 'Submit a response (idempotent on clientId; one per household code per round)',
        body: ZResponseInputSchema,
        response: { 200: ZResponseSchema, 201: ZResponseSchema },
      },
    },
    async (req, reply) => {
      const { response, created } = await collect.submitResponse(database, actor(req), req.body);
      return reply.status(created ? 201 : 200).send(response);
    },
  );
  app.get(
    '/api/survey-responses',
    {
      schema: {
        tags,
        summary: "Responses: a guide's own; the office's (below the city: its subtree's)",
        querystring: ZResponsesQuerySchema,
        response: { 200: ZResponsesSchema },
      },
    },
    async (req) => collect.listResponses(database, actor(req), req.query),
  );
  app.get(
    '/api/survey-responses/:id',
    { schema: { tags, params: ZIdParamSchema, response: { 200: ZResponseSchema } } },
    async (req) => collect.getResponse(database, actor(req), req.params.id),
  );

  const pub = { public: true };
  app.get(
    '/api/public/surveys/:token',
    {
      config: pub,
      schema: {
        tags,
        summary: 'Self-completion questionnaire of a community (link or QR code)',
        params: ZSurveyTokenParamSchema,
        response: { 200: ZPublicSurveySchema },
      },
    },
    async (req) => collect.publicSurvey(database, req.params.token),
  );
  app.post(
    '/api/public/surveys/:token/responses',
    {
      config: pub,
      schema: {
        tags,
        summary: 'Self-completed response (one per household code; rate-limited)',
        params: ZSurveyTokenParamSchema,
        body: ZPublicResponseInputSchema,
        response: { 200: ZPublicSubmitResultSchema, 201: ZPublicSubmitResultSchema },
      },
    },
    async (req, reply) => {
      const out = await collect.submitPublic(database, req.params.token, req.body, req.ip);
      return reply.status(out.created ? 201 : 200).send(out);
    },
  );

  // ---- results ----
  app.get(
    '/api/survey-rounds/:id/results',
    {
      schema: {
        tags,
        summary: 'Rates per question and dimension with Wilson 95% intervals; floor flags',
        params: ZIdParamSchema,
        querystring: ZResultsQuerySchema,
        response: { 200: ZResultsSchema },
      },
    },
    async (req) => results.roundResults(database, actor(req), req.params.id, req.query.by),
  );
  app.get(
    '/api/survey-rounds/:id/results.xlsx',
    { schema: { tags, params: ZIdParamSchema } },
    async (req, reply) => {
      const buf = await results.resultsWorkbook(database, actor(req), req.params.id);
      return reply.headers(xlsxHeaders(`问卷结果-${req.params.id}.xlsx`)).send(buf);
    },
  );
  app.get(
    '/api/survey-rounds/:id/suspicious',
    {
      schema: {
        tags,
        summary: 'Responses matching a suspicious pattern (identical bursts, far from the area)',
        params: ZIdParamSchema,
        response: { 200: ZSuspiciousRowsSchema },
      },
    },
    async (req) => results.suspiciousResponses(database, actor(req), req.params.id),
  );
  app.get(
    '/api/surveys/:id/trend',
    { schema: { tags, params: ZIdParamSchema, response: { 200: ZTrendSchema } } },
    async (req) => results.surveyTrend(database, actor(req), req.params.id),
  );
};
