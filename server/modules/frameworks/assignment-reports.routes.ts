import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZIdParamSchema } from '../../../core/contracts/common.js';
import {
  ZAssignmentReportInputSchema,
  ZAssignmentReportRhythmSchema,
  ZAssignmentReportSchema,
  ZAssignmentReportingListSchema,
  ZAssignmentReportsSchema,
} from '../../../core/contracts/frameworks.js';
import { Permission } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { requirePermission } from '../../platform/actor.js';
import { actor } from '../../platform/http.js';
import * as reports from './assignment-reports.js';

/** 进度报送: units report on their assignments at the office's rhythm; overdue ones are flagged. */
export const assignmentReportRoutes: FastifyPluginAsyncZod<{ database: Database }> = async (
  app,
  { database },
) => {
  const tags = ['frameworks'];
  app.post(
    '/api/assignments/:id/reports',
    {
      schema: {
        tags,
        summary: 'Report progress on an assignment of my unit',
        params: ZIdParamSchema,
        body: ZAssignmentReportInputSchema,
        response: { 201: ZAssignmentReportSchema },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await reports.submitAssignmentReport(database, actor(req), req.params.id, req.body)),
  );
  app.get(
    '/api/assignments/:id/reports',
    {
      schema: {
        tags,
        summary: "An assignment's progress reports, newest first",
        params: ZIdParamSchema,
        response: { 200: ZAssignmentReportsSchema },
      },
    },
    async (req) => reports.listAssignmentReports(database, actor(req), req.params.id),
  );
  app.get(
    '/api/assignment-reporting',
    {
      schema: {
        tags,
        summary:
          'Per assignment and unit: the last report and whether it is overdue (units: their own)',
        response: { 200: ZAssignmentReportingListSchema },
      },
    },
    async (req) => ({ items: await reports.listReportingState(database, actor(req)) }),
  );
  app.get(
    '/api/settings/assignment-report-rhythm',
    {
      schema: {
        tags,
        summary: 'How often units report on their assignments',
        response: { 200: ZAssignmentReportRhythmSchema },
      },
    },
    async (req) => {
      requirePermission(actor(req), Permission.AssignmentRead);
      return { everyDays: await reports.reportingRhythm(database.db) };
    },
  );
  app.put(
    '/api/settings/assignment-report-rhythm',
    {
      schema: {
        tags,
        body: ZAssignmentReportRhythmSchema,
        response: { 200: ZAssignmentReportRhythmSchema },
      },
    },
    async (req) => reports.setReportingRhythm(database, actor(req), req.body.everyDays),
  );
};
