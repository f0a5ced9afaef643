import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZDashboardBreakdownQuerySchema,
  ZDashboardBreakdownSchema,
  ZDashboardDueSoonQuerySchema,
  ZDashboardDueSoonSchema,
  ZDashboardHeatQuerySchema,
  ZDashboardHeatSchema,
  ZDashboardKpisQuerySchema,
  ZDashboardKpisSchema,
  ZDashboardPointsSchema,
  ZDashboardRankingQuerySchema,
  ZDashboardRankingSchema,
  ZDashboardScopeQuerySchema,
  ZDashboardTrendQuerySchema,
  ZDashboardTrendSchema,
  ZUnitStandingQuerySchema,
  ZUnitStandingSchema,
  ZUnitDueMaterialsQuerySchema,
  ZUnitDueMaterialsSchema,
} from '../../../core/contracts/dashboards.js';
import {
  ZCellsDashboardQuerySchema,
  ZCellsDashboardSchema,
} from '../../../core/contracts/honours.js';
import type { Database } from '../../db/client.js';
import { actor } from '../../platform/http.js';
import { cellsDashboard } from '../honours/honours.service.js';
import * as service from './dashboards.service.js';
import { unitDueMaterials } from './due-materials.service.js';

/** Read-only aggregates for the office, leader and unit dashboards. */
export const dashboardRoutes: FastifyPluginAsyncZod<{ database: Database }> = async (
  app,
  { database },
) => {
  const tags = ['dashboards'];
  app.get(
    '/api/dashboards/kpis',
    {
      schema: {
        tags,
        summary: 'KPI cards of a level: open, overdue, 督办 colours, this month, cohort rates',
        querystring: ZDashboardKpisQuerySchema,
        response: { 200: ZDashboardKpisSchema },
      },
    },
    async (req) => service.dashboardKpis(database, actor(req), req.query),
  );
  app.get(
    '/api/dashboards/trend',
    {
      schema: {
        tags,
        summary: 'Registered vs closed problems per week or month',
        querystring: ZDashboardTrendQuerySchema,
        response: { 200: ZDashboardTrendSchema },
      },
    },
    async (req) => service.dashboardTrend(database, actor(req), req.query),
  );
  app.get(
    '/api/dashboards/heat',
    {
      schema: {
        tags,
        summary: 'Open problems counted per map grid cell (never the problems themselves)',
        querystring: ZDashboardHeatQuerySchema,
        response: { 200: ZDashboardHeatSchema },
      },
    },
    async (req) => service.dashboardHeat(database, actor(req), req.query),
  );
  app.get(
    '/api/dashboards/points',
    {
      schema: {
        tags,
        summary: 'Points with the result of their latest visit',
        querystring: ZDashboardScopeQuerySchema,
        response: { 200: ZDashboardPointsSchema },
      },
    },
    async (req) => service.dashboardPoints(database, actor(req), req.query),
  );
  app.get(
    '/api/dashboards/breakdown',
    {
      schema: {
        tags,
        summary: "The level's sub-regions or units with their open work and cohort KPIs",
        querystring: ZDashboardBreakdownQuerySchema,
        response: { 200: ZDashboardBreakdownSchema },
      },
    },
    async (req) => service.dashboardBreakdown(database, actor(req), req.query),
  );
  app.get(
    '/api/dashboards/ranking',
    {
      schema: {
        tags,
        summary: 'Units ranked by 按期结案率 (overall and within their class)',
        querystring: ZDashboardRankingQuerySchema,
        response: { 200: ZDashboardRankingSchema },
      },
    },
    async (req) => service.dashboardRanking(database, actor(req), req.query),
  );
  app.get(
    '/api/dashboards/cells',
    {
      schema: {
        tags,
        summary:
          '文明细胞 of a level: titles held by type and level, 复审 due (term ends this year or next), titles at risk',
        querystring: ZCellsDashboardQuerySchema,
        response: { 200: ZCellsDashboardSchema },
      },
    },
    async (req) => cellsDashboard(database, actor(req), req.query),
  );
  app.get(
    '/api/dashboards/due-soon',
    {
      schema: {
        tags,
        summary: 'Dispatched problems due soon (the blue step of the ladder)',
        querystring: ZDashboardDueSoonQuerySchema,
        response: { 200: ZDashboardDueSoonSchema },
      },
    },
    async (req) => service.dashboardDueSoon(database, actor(req), req.query),
  );
  app.get(
    '/api/dashboards/unit',
    {
      schema: {
        tags,
        summary: "A unit's standing and open work (a unit user: its own)",
        querystring: ZUnitStandingQuerySchema,
        response: { 200: ZUnitStandingSchema },
      },
    },
    async (req) => service.unitStanding(database, actor(req), req.query),
  );
  app.get(
    '/api/dashboards/unit/due-materials',
    {
      schema: {
        tags,
        summary:
          "A unit's 档案资料 due: standards it leads, materials missing, returned or under review, 时限 past or within `days` days",
        querystring: ZUnitDueMaterialsQuerySchema,
        response: { 200: ZUnitDueMaterialsSchema },
      },
    },
    async (req) => unitDueMaterials(database, actor(req), req.query),
  );
};
