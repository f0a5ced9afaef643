import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZIdParamSchema,
  ZImportQuerySchema,
  ZImportResultSchema,
} from '../../../core/contracts/common.js';
import {
  ZActivityCancelSchema,
  ZActivityInputSchema,
  ZActivityPhotosInputSchema,
  ZActivitiesSchema,
  ZActivitySchema,
  ZAdjustmentInputSchema,
  ZAttendanceRecordInputSchema,
  ZAttendeesSchema,
  ZCheckinInputSchema,
  ZCheckinResultSchema,
  ZCheckinTokenSchema,
  ZLedgerSchema,
  ZListActivitiesQuerySchema,
  ZListVolunteersQuerySchema,
  ZMonthlyRecordSchema,
  ZMonthQuerySchema,
  ZPlaceInputSchema,
  ZPlacePatchSchema,
  ZPlaceSchema,
  ZPlacesSchema,
  ZPopulationInputSchema,
  ZTeamInputSchema,
  ZTeamSchema,
  ZTeamsSchema,
  ZVolunteerExportQuerySchema,
  ZVolunteerInputSchema,
  ZVolunteerPageSchema,
  ZVolunteerPatchSchema,
  ZVolunteerSchema,
  ZVolunteerSettingsSchema,
  ZVolunteerStatsSchema,
} from '../../../core/contracts/volunteers.js';
import {
  ZNationalExportQuerySchema,
  ZNationalHoursImportResultSchema,
  ZNationalHoursPreviewSchema,
  ZNationalImportQuerySchema,
  ZNationalLayoutSchema,
  ZNationalLayoutStateSchema,
  ZRevealedIdNumberSchema,
} from '../../../core/contracts/volunteers-national.js';
import { Permission } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { actor } from '../../platform/http.js';
import { isDryRun, receiveUpload } from '../../platform/xlsx-import.js';
import { xlsxHeaders } from '../../platform/xlsx.js';
import * as activities from './activities.service.js';
import * as checkin from './checkin.service.js';
import * as hours from './hours.service.js';
import * as registry from './volunteers.service.js';
import { exportMonthlyRecord, exportVolunteers, importVolunteers } from './volunteers-xlsx.js';
import * as national from './national.service.js';
import { importNationalHours, previewNationalHours } from './national-xlsx.js';

/** 志愿服务: registry, teams, practice stations, activities, check-in, hours and statistics. */
export const volunteerRoutes: FastifyPluginAsyncZod<{ database: Database }> = async (
  app,
  { database },
) => {
  const tags = ['volunteers'];

  // ---- registry
  app.get(
    '/api/volunteers',
    {
      schema: {
        tags,
        querystring: ZListVolunteersQuerySchema,
        response: { 200: ZVolunteerPageSchema },
      },
    },
    async (req) => registry.listVolunteers(database, actor(req), req.query),
  );
  app.get(
    '/api/volunteers/export.xlsx',
    {
      schema: {
        tags,
        summary: 'The filtered registry as XLSX (streamed; the import reads it back)',
        querystring: ZVolunteerExportQuerySchema,
      },
    },
    async (req, reply) =>
      reply
        .headers(xlsxHeaders(`志愿者-${new Date().toISOString().slice(0, 10)}.xlsx`))
        .send(exportVolunteers(database, actor(req), req.query)),
  );
  app.post(
    '/api/volunteers/import',
    {
      schema: {
        tags,
        summary: 'Import volunteers from XLSX (all or nothing; known phones are updated)',
        consumes: ['multipart/form-data'],
        querystring: ZImportQuerySchema,
        response: { 200: ZImportResultSchema },
      },
    },
    async (req) => {
      const file = await receiveUpload(req, Permission.VolunteerWrite);
      return importVolunteers(database, actor(req), file, { dryRun: isDryRun(req.query) });
    },
  );
  // ---- 实名 and the national record (全国志愿服务信息系统): volunteer.realname, audited
  app.post(
    '/api/volunteers/:id/id-number/reveal',
    {
      schema: {
        tags,
        summary: "A volunteer's 身份证号 in full (volunteer.realname; audited each time)",
        params: ZIdParamSchema,
        response: { 200: ZRevealedIdNumberSchema },
      },
    },
    async (req) => national.revealIdNumber(database, actor(req), req.params.id),
  );
  app.get(
    '/api/volunteers/national/layout',
    {
      schema: {
        tags,
        summary: "The columns of the national system's sheets (the office's, or the default)",
        response: { 200: ZNationalLayoutStateSchema },
      },
    },
    async (req) => national.getLayout(database, actor(req)),
  );
  app.put(
    '/api/volunteers/national/layout',
    {
      schema: {
        tags,
        body: ZNationalLayoutSchema,
        response: { 200: ZNationalLayoutStateSchema },
      },
    },
    async (req) => national.saveLayout(database, actor(req), req.body),
  );
  app.get(
    '/api/volunteers/national/export.xlsx',
    {
      schema: {
        tags,
        summary:
          'Volunteers, activities or hours in the national system’s layout (ID numbers decrypted; audited)',
        querystring: ZNationalExportQuerySchema,
      },
    },
    async (req, reply) => {
      const { name, stream } = await national.exportNational(database, actor(req), req.query);
      return reply.headers(xlsxHeaders(name)).send(stream);
    },
  );
  app.post(
    '/api/volunteers/national/hours/preview',
    {
      schema: {
        tags,
        summary: 'What importing hours recorded in the national system would do (writes nothing)',
        consumes: ['multipart/form-data'],
        response: { 200: ZNationalHoursPreviewSchema },
      },
    },
    async (req) => {
      const file = await receiveUpload(req, Permission.VolunteerRealname);
      return previewNationalHours(database, actor(req), file);
    },
  );
  app.post(
    '/api/volunteers/national/hours/import',
    {
      schema: {
        tags,
        summary: 'Import hours recorded in the national system (idempotent; source 全国系统)',
        consumes: ['multipart/form-data'],
        querystring: ZNationalImportQuerySchema,
        response: { 200: ZNationalHoursImportResultSchema },
      },
    },
    async (req) => {
      const file = await receiveUpload(req, Permission.VolunteerRealname);
      return importNationalHours(database, actor(req), file, {
        skipBadRows: req.query.skipBadRows === 'true',
      });
    },
  );
  app.get(
    '/api/volunteers/me',
    {
      schema: {
        tags,
        summary: "The signed-in volunteer's own record",
        response: { 200: ZVolunteerSchema },
      },
    },
    async (req) => registry.myVolunteer(database, actor(req)),
  );
  app.get(
    '/api/volunteers/me/ledger',
    { schema: { tags, response: { 200: ZLedgerSchema } } },
    async (req) => hours.myLedger(database, actor(req)),
  );
  app.get(
    '/api/volunteers/:id',
    { schema: { tags, params: ZIdParamSchema, response: { 200: ZVolunteerSchema } } },
    async (req) => registry.getVolunteer(database, actor(req), req.params.id),
  );
  app.post(
    '/api/volunteers',
    { schema: { tags, body: ZVolunteerInputSchema, response: { 201: ZVolunteerSchema } } },
    async (req, reply) =>
      reply.status(201).send(await registry.createVolunteer(database, actor(req), req.body)),
  );
  app.patch(
    '/api/volunteers/:id',
    {
      schema: {
        tags,
        params: ZIdParamSchema,
        body: ZVolunteerPatchSchema,
        response: { 200: ZVolunteerSchema },
      },
    },
    async (req) => registry.updateVolunteer(database, actor(req), req.params.id, req.body),
  );
  app.get(
    '/api/volunteers/:id/ledger',
    {
      schema: {
        tags,
        summary: 'Service-hour ledger',
        params: ZIdParamSchema,
        response: { 200: ZLedgerSchema },
      },
    },
    async (req) => hours.ledger(database, actor(req), req.params.id),
  );
  app.post(
    '/api/volunteers/:id/adjustments',
    {
      schema: {
        tags,
        summary: 'Correct hours with a reason (office; audited)',
        params: ZIdParamSchema,
        body: ZAdjustmentInputSchema,
        response: { 200: ZLedgerSchema },
      },
    },
    async (req) => hours.adjustHours(database, actor(req), req.params.id, req.body),
  );

  // ---- teams and places
  app.get(
    '/api/volunteer-teams',
    { schema: { tags, response: { 200: ZTeamsSchema } } },
    async (req) => registry.listTeams(database, actor(req)),
  );
  app.post(
    '/api/volunteer-teams',
    { schema: { tags, body: ZTeamInputSchema, response: { 201: ZTeamSchema } } },
    async (req, reply) =>
      reply.status(201).send(await registry.createTeam(database, actor(req), req.body)),
  );
  app.get(
    '/api/practice-places',
    { schema: { tags, response: { 200: ZPlacesSchema } } },
    async (req) => registry.listPlaces(database, actor(req)),
  );
  app.post(
    '/api/practice-places',
    { schema: { tags, body: ZPlaceInputSchema, response: { 201: ZPlaceSchema } } },
    async (req, reply) =>
      reply.status(201).send(await registry.createPlace(database, actor(req), req.body)),
  );
  app.patch(
    '/api/practice-places/:id',
    {
      schema: {
        tags,
        params: ZIdParamSchema,
        body: ZPlacePatchSchema,
        response: { 200: ZPlaceSchema },
      },
    },
    async (req) => registry.updatePlace(database, actor(req), req.params.id, req.body),
  );
  app.get(
    '/api/practice-places/:id/monthly',
    {
      schema: {
        tags,
        summary: "A station's monthly activity record (attendance and hours)",
        params: ZIdParamSchema,
        querystring: ZMonthQuerySchema,
        response: { 200: ZMonthlyRecordSchema },
      },
    },
    async (req) => hours.monthlyRecord(database, actor(req), req.params.id, req.query.month),
  );
  app.get(
    '/api/practice-places/:id/monthly.xlsx',
    { schema: { tags, params: ZIdParamSchema, querystring: ZMonthQuerySchema } },
    async (req, reply) => {
      const { name, stream } = await exportMonthlyRecord(
        database,
        actor(req),
        req.params.id,
        req.query.month,
      );
      return reply.headers(xlsxHeaders(name)).send(stream);
    },
  );

  // ---- activities
  app.get(
    '/api/volunteer-activities',
    {
      schema: {
        tags,
        querystring: ZListActivitiesQuerySchema,
        response: { 200: ZActivitiesSchema },
      },
    },
    async (req) => activities.listActivities(database, actor(req), req.query),
  );
  app.post(
    '/api/volunteer-activities',
    { schema: { tags, body: ZActivityInputSchema, response: { 201: ZActivitySchema } } },
    async (req, reply) =>
      reply.status(201).send(await activities.createActivity(database, actor(req), req.body)),
  );
  app.get(
    '/api/volunteer-activities/:id',
    { schema: { tags, params: ZIdParamSchema, response: { 200: ZActivitySchema } } },
    async (req) => activities.getActivity(database, actor(req), req.params.id),
  );
  app.post(
    '/api/volunteer-activities/:id/cancel',
    {
      schema: {
        tags,
        params: ZIdParamSchema,
        body: ZActivityCancelSchema,
        response: { 200: ZActivitySchema },
      },
    },
    async (req) => activities.cancelActivity(database, actor(req), req.params.id, req.body.version),
  );
  app.get(
    '/api/volunteer-activities/:id/attendees',
    { schema: { tags, params: ZIdParamSchema, response: { 200: ZAttendeesSchema } } },
    async (req) => activities.attendees(database, actor(req), req.params.id),
  );
  app.post(
    '/api/volunteer-activities/:id/sign-up',
    { schema: { tags, params: ZIdParamSchema, response: { 200: ZActivitySchema } } },
    async (req) => activities.signUp(database, actor(req), req.params.id),
  );
  app.post(
    '/api/volunteer-activities/:id/cancel-sign-up',
    { schema: { tags, params: ZIdParamSchema, response: { 200: ZActivitySchema } } },
    async (req) => activities.cancelSignUp(database, actor(req), req.params.id),
  );
  app.get(
    '/api/volunteer-activities/:id/checkin-token',
    {
      schema: {
        tags,
        summary: 'The signed, time-limited check-in token the organiser shows as a QR code',
        params: ZIdParamSchema,
        response: { 200: ZCheckinTokenSchema },
      },
    },
    async (req) => checkin.checkinToken(database, actor(req), req.params.id),
  );
  app.post(
    '/api/volunteer-activities/:id/check-in',
    {
      schema: {
        tags,
        summary: 'Check in by QR token/short code or GPS (idempotent by client id)',
        params: ZIdParamSchema,
        body: ZCheckinInputSchema,
        response: { 200: ZCheckinResultSchema },
      },
    },
    async (req) => checkin.checkIn(database, actor(req), req.params.id, req.body),
  );
  app.post(
    '/api/volunteer-activities/:id/check-out',
    {
      schema: {
        tags,
        params: ZIdParamSchema,
        body: ZCheckinInputSchema,
        response: { 200: ZCheckinResultSchema },
      },
    },
    async (req) => checkin.checkOut(database, actor(req), req.params.id, req.body),
  );
  app.post(
    '/api/volunteer-activities/:id/attendance',
    {
      schema: {
        tags,
        summary: 'The office records an attendance from the paper roster (补录)',
        params: ZIdParamSchema,
        body: ZAttendanceRecordInputSchema,
        response: { 200: ZLedgerSchema },
      },
    },
    async (req) => hours.recordAttendance(database, actor(req), req.params.id, req.body),
  );
  app.post(
    '/api/volunteer-activities/:id/photos',
    {
      schema: {
        tags,
        summary: 'Add photos taken at the activity (upload them with POST /api/files first)',
        params: ZIdParamSchema,
        body: ZActivityPhotosInputSchema,
        response: { 200: ZActivitySchema },
      },
    },
    async (req) => activities.addPhotos(database, actor(req), req.params.id, req.body.fileIds),
  );

  // ---- statistics and settings
  app.get(
    '/api/volunteer-stats',
    { schema: { tags, response: { 200: ZVolunteerStatsSchema } } },
    async (req) => hours.stats(database, actor(req)),
  );
  app.put(
    '/api/volunteer-stats/population',
    { schema: { tags, body: ZPopulationInputSchema, response: { 200: ZVolunteerStatsSchema } } },
    async (req) => hours.setPopulation(database, actor(req), req.body),
  );
  app.get(
    '/api/volunteer-settings',
    { schema: { tags, response: { 200: ZVolunteerSettingsSchema } } },
    async (req) => registry.getSettings(database, actor(req)),
  );
  app.put(
    '/api/volunteer-settings',
    {
      schema: { tags, body: ZVolunteerSettingsSchema, response: { 200: ZVolunteerSettingsSchema } },
    },
    async (req) => hours.updateSettings(database, actor(req), req.body),
  );
};
