import type {
  TIndicatorInput,
  TIndicatorUpdate,
  TIndicatorValue,
} from '../../../core/contracts/indicators.js';
import {
  periodOrdinal,
  periodProblem,
  standardComplianceShares,
  type TIndicatorPeriod,
} from '../../../core/frameworks/indicators.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { requirePermission, requireUnitReporter, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { groupFilter } from '../groups/groups.service.js';
import { presentIndicator as present, presentValue } from './indicators.present.js';
import * as repo from './indicators.repo.js';

// 硬性指标: the office defines indicators on standards; the responsible unit reports one value per
// period; compliance, trend and missing periods are computed in core/frameworks/indicators.ts.

const notFound = (what: 'indicator' | 'value', id: number) =>
  new AppError('not_found', 404, {
    zh: `${what === 'indicator' ? '指标' : '指标数值'}不存在（${id}）`,
    en: `${what === 'indicator' ? 'indicator' : 'indicator value'} not found (${id})`,
  });
const stale = () =>
  new AppError('stale_version', 409, {
    zh: '该记录已被他人修改，请刷新后重试',
    en: 'this record was changed by someone else; reload and try again',
  });
const invalid = (zh: string, en: string, path: string) =>
  new AppError('invalid', 400, { zh, en }, { fields: [{ path, message: `${zh} / ${en}` }] });

const PERIOD_PROBLEMS = {
  malformed: {
    zh: '报送周期格式不对（按月如 2026-03，按季如 2026-Q1）',
    en: 'the period is malformed (monthly 2026-03, quarterly 2026-Q1)',
  },
  future: { zh: '不能报送未来周期的数值', en: 'a value cannot be reported for a future period' },
  before_start: {
    zh: '该周期早于指标的起报周期',
    en: 'the period is before the indicator starts',
  },
};

/** The indicators presented with their reported values (one query for all of them). */
async function withStatus(db: DbOrTx, rows: repo.IndicatorRow[], now: Date) {
  const values = await repo.valuesOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) =>
    present(
      r,
      values.filter((v) => v.v.indicatorId === r.id),
      now,
    ),
  );
}

/** Indicators with compliance, trend and missing periods, and each standard's compliance share. */
export async function listIndicators(
  database: Database,
  actor: Actor,
  q: { frameworkId?: number | undefined; groupId?: number | undefined },
  now = new Date(),
) {
  const scope = requirePermission(actor, Permission.AssignmentRead);
  let rows = await repo.listIndicators(database.db, scope, q);
  if (q.groupId) {
    const owned = await groupFilter(database.db, q.groupId);
    rows = rows.filter((r) => owned.has(`${r.frameworkId}:${r.standardKey}`));
  }
  const items = await withStatus(database.db, rows, now);
  const shares = [...standardComplianceShares(items)].map(([standardKey, share]) => ({
    standardKey,
    share,
  }));
  return { items, shares };
}

/**
 * Each standard's indicator compliance share for a framework, whoever asks (the material score
 * of every standard depends on it, not only of the indicators a unit may see).
 */
export async function complianceOf(
  db: DbOrTx,
  frameworkId: number,
  now = new Date(),
): Promise<Map<string, number>> {
  const rows = await repo.listIndicators(db, { kind: 'all' }, { frameworkId });
  if (!rows.length) return new Map();
  return standardComplianceShares(await withStatus(db, rows, now));
}

async function visibleIndicator(db: DbOrTx, actor: Actor, id: number) {
  const scope = requirePermission(actor, Permission.AssignmentRead);
  const [row] = await repo.listIndicators(db, scope, { id });
  if (!row) throw notFound('indicator', id);
  return row;
}

export async function getIndicator(database: Database, actor: Actor, id: number, now = new Date()) {
  const row = await visibleIndicator(database.db, actor, id);
  return present(row, await repo.valuesOf(database.db, [id]), now);
}

export async function listValues(database: Database, actor: Actor, id: number) {
  const row = await visibleIndicator(database.db, actor, id);
  return (await repo.valuesOf(database.db, [id])).map((v) => presentValue(v, row)).reverse();
}

async function checkDefinition(
  db: DbOrTx,
  d: { period: TIndicatorPeriod; startPeriod: string; responsibleUnitId?: number | undefined },
) {
  if (periodOrdinal(d.startPeriod, d.period) === null) {
    throw invalid(
      d.period === 'month' ? '起报周期应为月份，如 2026-01' : '起报周期应为季度，如 2026-Q1',
      d.period === 'month'
        ? 'the start period must be a month, e.g. 2026-01'
        : 'the start period must be a quarter, e.g. 2026-Q1',
      'startPeriod',
    );
  }
  if (d.responsibleUnitId !== undefined) {
    if (!(await repo.unitExists(db, d.responsibleUnitId))) {
      throw invalid(
        `单位不存在（${d.responsibleUnitId}）`,
        `unit not found (${d.responsibleUnitId})`,
        'responsibleUnitId',
      );
    }
  }
}

const nameTaken = () =>
  new AppError('duplicate', 409, {
    zh: '该标准已有同名指标',
    en: 'this standard already has an indicator with that name',
  });

/** The office adds an indicator to a standard (by its stable key). */
export async function createIndicator(database: Database, actor: Actor, input: TIndicatorInput) {
  requirePermission(actor, Permission.AssignmentWrite);
  const id = await withTx(database, async (tx) => {
    if (!(await repo.frameworkExists(tx, input.frameworkId)))
      throw invalid('测评体系不存在', 'framework not found', 'frameworkId');
    if (!(await repo.standardKeyExists(tx, input.frameworkId, input.standardKey))) {
      throw invalid(
        '该测评体系没有这条测评标准',
        'no such standard in the framework',
        'standardKey',
      );
    }
    await checkDefinition(tx, input);
    if (await repo.indicatorNameTaken(tx, input)) throw nameTaken();
    const row = await repo.insertIndicator(tx, { ...input, notes: input.notes ?? null });
    await writeAudit(tx, actor, {
      action: 'indicator.create',
      entityType: 'indicator',
      entityId: row.id,
      after: row,
    });
    return row.id;
  });
  return getIndicator(database, actor, id);
}

/** The office edits an indicator's definition; a stale version is a 409. */
export async function updateIndicator(
  database: Database,
  actor: Actor,
  id: number,
  input: TIndicatorUpdate,
) {
  requirePermission(actor, Permission.AssignmentWrite);
  await withTx(database, async (tx) => {
    const before = await repo.findIndicator(tx, id);
    if (!before) throw notFound('indicator', id);
    if (before.version !== input.version) throw stale();
    const { version, ...fields } = input;
    const merged = { ...before, ...fields };
    await checkDefinition(tx, { ...merged, responsibleUnitId: fields.responsibleUnitId });
    const after = await repo.updateIndicatorRow(tx, id, version, fields);
    if (!after) throw stale();
    await writeAudit(tx, actor, {
      action: 'indicator.update',
      entityType: 'indicator',
      entityId: id,
      before,
      after,
    });
  });
  return getIndicator(database, actor, id);
}

export async function deleteIndicator(
  database: Database,
  actor: Actor,
  id: number,
  version: number,
) {
  requirePermission(actor, Permission.AssignmentWrite);
  await withTx(database, async (tx) => {
    const before = await repo.findIndicator(tx, id);
    if (!before) throw notFound('indicator', id);
    if (!(await repo.deleteIndicatorRow(tx, id, version))) throw stale();
    await writeAudit(tx, actor, {
      action: 'indicator.delete',
      entityType: 'indicator',
      entityId: id,
      before,
    });
  });
}

async function checkFiles(db: DbOrTx, actor: Actor, ids: string[]) {
  const own = await repo.ownFiles(db, actor.id, ids);
  const bad = ids.find((f) => !own.has(f));
  if (bad) {
    throw invalid(
      '附件不存在或不是本人上传',
      'an attachment does not exist or is not yours',
      'fileIds',
    );
  }
}

/** The indicator, when the actor's unit is the one responsible for reporting it (else 404). */
async function reportableIndicator(db: DbOrTx, actor: Actor, id: number) {
  const unitId = requireUnitReporter(actor, Permission.AssignmentRead);
  const row = await repo.findIndicator(db, id);
  if (!row || row.responsibleUnitId !== unitId) throw notFound('indicator', id);
  return row;
}

const periodTaken = (period: string) =>
  new AppError('period_reported', 409, {
    zh: `${period} 已报送过数值；如需更正，请修改该期数值并说明原因`,
    en: `a value was already reported for ${period}; correct that value and give the reason`,
  });

/**
 * The responsible unit reports one value for a period (not a future one, not before the start).
 * A second value for the same period is a 409 — corrections go through `correctValue`. A retry with
 * the same client id returns the stored value.
 */
export async function reportValue(
  database: Database,
  actor: Actor,
  indicatorId: number,
  input: {
    period: string;
    value: number;
    note?: string | null | undefined;
    fileIds: string[];
    clientId: string;
  },
  now = new Date(),
): Promise<{ value: TIndicatorValue; created: boolean }> {
  const ind = await reportableIndicator(database.db, actor, indicatorId);
  const again = async () => {
    const prior = await repo.findValue(database.db, { clientId: input.clientId });
    if (!prior) return null;
    if (prior.indicatorId !== indicatorId || prior.reportedBy !== actor.id) {
      throw new AppError('duplicate', 409, {
        zh: '该记录编号已被使用',
        en: 'this record id was already used',
      });
    }
    return { value: await oneValue(database.db, prior.id, ind), created: false };
  };
  const prior = await again();
  if (prior) return prior;
  const problem = periodProblem(input.period, ind.period, ind.startPeriod, now);
  if (problem) {
    const m = PERIOD_PROBLEMS[problem];
    throw invalid(m.zh, m.en, 'period');
  }
  if (await repo.findValueForPeriod(database.db, indicatorId, input.period)) {
    throw periodTaken(input.period);
  }
  try {
    const id = await withTx(database, async (tx) => {
      await checkFiles(tx, actor, input.fileIds);
      const row = await repo.insertValue(tx, {
        indicatorId,
        period: input.period,
        value: input.value,
        note: input.note ?? null,
        fileIds: input.fileIds,
        clientId: input.clientId,
        reportedBy: actor.id,
      });
      await writeAudit(tx, actor, {
        action: 'indicator.report',
        entityType: 'indicator',
        entityId: indicatorId,
        after: row,
      });
      return row.id;
    });
    return { value: await oneValue(database.db, id, ind), created: true };
  } catch (err) {
    // Two submissions at once: the same client id finds the first; another one for the period is a 409.
    const raced = await again();
    if (raced) return raced;
    if (err instanceof AppError) throw err;
    if (await repo.findValueForPeriod(database.db, indicatorId, input.period)) {
      throw periodTaken(input.period);
    }
    throw err;
  }
}

async function oneValue(
  db: DbOrTx,
  id: number,
  def: { target: number; direction: 'gte' | 'lte'; id: number },
) {
  const v = (await repo.valuesOf(db, [def.id])).find((r) => r.v.id === id)!;
  return presentValue(v, def);
}

/** The responsible unit corrects a reported value, giving the reason (audited, versioned). */
export async function correctValue(
  database: Database,
  actor: Actor,
  valueId: number,
  input: { value: number; note: string; fileIds?: string[] | undefined; version: number },
): Promise<TIndicatorValue> {
  requireUnitReporter(actor, Permission.AssignmentRead);
  const current = await repo.findValue(database.db, { id: valueId });
  if (!current) throw notFound('value', valueId);
  const ind = await reportableIndicator(database.db, actor, current.indicatorId);
  await withTx(database, async (tx) => {
    if (input.fileIds) await checkFiles(tx, actor, input.fileIds);
    const after = await repo.updateValueRow(tx, valueId, input.version, {
      value: input.value,
      note: input.note,
      ...(input.fileIds ? { fileIds: input.fileIds } : {}),
      reportedBy: actor.id,
      reportedAt: new Date(),
    });
    if (!after) throw stale();
    await writeAudit(tx, actor, {
      action: 'indicator.correct',
      entityType: 'indicator',
      entityId: current.indicatorId,
      before: current,
      after,
    });
  });
  return oneValue(database.db, valueId, ind);
}
