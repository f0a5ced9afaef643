import type { Readable } from 'node:stream';
import {
  PROBLEM_CHANNEL_LABELS,
  SEVERITY_LABELS,
  type TKpiQuery,
  type TKpiResponse,
  type TListProblemsQuery,
} from '../../../core/contracts/problems.js';
import { escalationBounds, ESCALATION_LABELS } from '../../../core/problems/escalation.js';
import {
  computeKpis,
  satisfactionRate,
  sumCounts,
  type KpiCounts,
  type SatisfactionCounts,
} from '../../../core/problems/kpis.js';
import { PROBLEM_STATE_LABELS } from '../../../core/problems/lifecycle.js';
import { Permission } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { errors } from '../../platform/errors.js';
import { streamSheet, type ColumnSpec } from '../../platform/xlsx.js';
import { presentProblem } from './problems.present.js';
import * as repo from './problems.repo.js';
import { kpiCounts } from './problems-reports.repo.js';

const SHANGHAI = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});
const local = (iso: string | null) =>
  iso ? SHANGHAI.format(new Date(iso)).replace(/\//g, '-') : '';

type Key =
  | 'code'
  | 'title'
  | 'category'
  | 'severity'
  | 'channel'
  | 'state'
  | 'escalation'
  | 'unit'
  | 'deadline'
  | 'region'
  | 'address'
  | 'rework'
  | 'created'
  | 'closed';

const COLUMNS: ColumnSpec<Key>[] = [
  { key: 'code', header: '问题编号', width: 16 },
  { key: 'title', header: '问题', width: 30 },
  { key: 'category', header: '类别', width: 14 },
  { key: 'severity', header: '紧急程度', width: 8 },
  { key: 'channel', header: '来源', width: 12 },
  { key: 'state', header: '状态', width: 10 },
  { key: 'escalation', header: '督办等级', width: 10 },
  { key: 'unit', header: '责任单位', width: 24 },
  { key: 'deadline', header: '整改期限', width: 18 },
  { key: 'region', header: '区域', width: 12 },
  { key: 'address', header: '地址', width: 30 },
  { key: 'rework', header: '返工次数', width: 8 },
  { key: 'created', header: '登记时间', width: 18 },
  { key: 'closed', header: '销号时间', width: 18 },
];

/** The filtered ledger as XLSX, streamed in batches: memory stays flat for any size. */
export async function exportLedger(
  database: Database,
  actor: Actor,
  q: Partial<TListProblemsQuery>,
): Promise<Readable> {
  const scope = requirePermission(actor, Permission.ProblemRead);
  const now = new Date();
  const calendar = await repo.loadCalendar(database.db);
  const bounds = escalationBounds(now, calendar);
  async function* batches() {
    for await (const rows of repo.iterateProblems(database.db, scope, q, bounds, now)) {
      yield rows.map((r) => {
        const p = presentProblem(r, now, calendar);
        return {
          code: p.code,
          title: p.title,
          category: p.categoryName,
          severity: SEVERITY_LABELS[p.severity].zh,
          channel: PROBLEM_CHANNEL_LABELS[p.channel].zh,
          state: PROBLEM_STATE_LABELS[p.state].zh,
          escalation: ESCALATION_LABELS[p.escalation].zh,
          unit: p.unitName,
          deadline: local(p.deadline),
          region: p.regionName,
          address: p.address,
          rework: p.reworkCount,
          created: local(p.createdAt),
          closed: local(p.closedAt),
        };
      });
    }
  }
  return streamSheet('问题台账', COLUMNS, batches());
}

/** 结案率, 按期结案率, 返工率, 延期率 and handling time by unit, category, district or street. */
export async function problemKpis(
  database: Database,
  actor: Actor,
  q: TKpiQuery,
): Promise<TKpiResponse> {
  const scope = requirePermission(actor, Permission.ProblemRead);
  if (new Date(q.from) >= new Date(q.to)) {
    throw errors.invalid({ zh: '开始时间必须早于结束时间', en: '`from` must be before `to`' }, [
      { path: 'querystring.from', message: '开始日期须早于结束日期 / must be before to' },
    ]);
  }
  const rows = await kpiCounts(database.db, scope, q, new Date());
  const withSatisfaction = (c: KpiCounts & SatisfactionCounts) => ({
    ...computeKpis(c),
    rated: c.rated,
    satisfied: c.satisfied,
    basic: c.basic,
    satisfactionRate: satisfactionRate(c),
  });
  const rated = {
    rated: rows.reduce((n, r) => n + r.rated, 0),
    satisfied: rows.reduce((n, r) => n + r.satisfied, 0),
    basic: rows.reduce((n, r) => n + r.basic, 0),
  };
  return {
    groupBy: q.groupBy,
    from: q.from,
    to: q.to,
    rows: rows.map((r) => ({ key: r.key, name: r.name, ...withSatisfaction(r) })),
    total: withSatisfaction({ ...sumCounts(rows), ...rated }),
  };
}
