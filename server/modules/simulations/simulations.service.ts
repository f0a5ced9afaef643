import type {
  TSimulationCheckList,
  TSimulationCheckListQuery,
  TSimulationStandard,
  TSimulationTarget,
  TSimulationTargetInput,
  TSimulationTargetUpdate,
} from '../../../core/contracts/simulations.js';
import {
  shanghaiDate,
  startOfShanghaiDay,
  type CalendarTable,
} from '../../../core/calendar/working-days.js';
import {
  DEFAULT_MAX_RINGS,
  judgeCheck,
  simulationShare,
} from '../../../core/inspection/simulation.js';
import { heldBelowCity, Permission, type TScope } from '../../../core/permissions.js';
import type { Database, DbOrTx } from '../../db/client.js';
import {
  actorPermissions,
  actorScope,
  requirePermission,
  type Actor,
} from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { unitInScope, unitsInScope } from '../org/unit-scope.repo.js';
import { loadCalendar } from '../problems/problems.repo.js';
import { presentCheck, presentTarget } from './simulations.present.js';
import * as repo from './simulations.repo.js';

// 实景模拟验证: the office defines what to call for each simulation standard (targets, with their
// pass criteria); the office and inspectors record the calls (checks.service.ts); everyone who
// reads sees each check judged by core/inspection/simulation.ts and each standard's share. What a
// reader reaches is one rule, by the target's unit (`simulationReach`): a unit its own targets, an
// office or leader below the city (and an inspector tied to a region) its subtree's units'
// (issue #20); a target or check out of reach is "not found".

export const simulationErrors = {
  notFound: (what: 'target' | 'check', id: number) =>
    new AppError('not_found', 404, {
      zh: `${what === 'target' ? '模拟验证对象' : '模拟验证记录'}不存在（${id}）`,
      en: `${what === 'target' ? 'simulation target' : 'simulation check'} not found (${id})`,
    }),
  stale: () =>
    new AppError('stale_version', 409, {
      zh: '该记录已被他人修改，请刷新后重试',
      en: 'this record was changed by someone else; reload and try again',
    }),
  invalid: (zh: string, en: string, path: string) =>
    new AppError('invalid', 400, { zh, en }, { fields: [{ path, message: `${zh} / ${en}` }] }),
};

/**
 * Whose targets the actor reaches, by the target's unit (org/unit-scope.repo.ts), whatever the
 * permission: the office and leaders at the city every target; an office or leader below the city,
 * and an inspector tied to a district or street, the targets of the units placed in that subtree
 * (and of the unit it heads); a unit user its own unit's. A caller placed nowhere or at the city
 * (an inspector the city sends) calls any hotline: every target.
 */
export function simulationReach(actor: Actor): TScope {
  const scope = actorScope(actor);
  if (scope.kind === 'self' && actorPermissions(actor).has(Permission.SimulationRecord)) {
    return { kind: 'all' };
  }
  // An inspector tied to the city (the demo's 钱测评) covers the city, units placed nowhere too.
  if (scope.kind === 'region' && !heldBelowCity(actor)) return { kind: 'all' };
  return scope;
}

/** The targets the actor may read (simulation.read, then `simulationReach`). */
export function visibleScope(actor: Actor): TScope {
  requirePermission(actor, Permission.SimulationRead);
  return simulationReach(actor);
}

/** True when the actor reaches the target's unit (else the target is "not found" for it). */
export async function reachesUnit(db: DbOrTx, actor: Actor, unitId: number): Promise<boolean> {
  return unitInScope(db, simulationReach(actor), unitId);
}

/** True when the actor reads a check of one of these units' targets (its evidence files). */
export async function mayReadChecksOf(
  db: DbOrTx,
  actor: Actor,
  unitIds: readonly number[],
): Promise<boolean> {
  if (!actorPermissions(actor).has(Permission.SimulationRead)) return false;
  return (await unitsInScope(db, simulationReach(actor), unitIds)).size > 0;
}

export async function listTargets(
  database: Database,
  actor: Actor,
  q: { frameworkId?: number | undefined },
): Promise<{ items: TSimulationTarget[] }> {
  const scope = visibleScope(actor);
  const rows = await repo.listTargets(database.db, { scope, frameworkId: q.frameworkId });
  return { items: rows.map(presentTarget) };
}

async function oneTarget(db: DbOrTx, id: number): Promise<TSimulationTarget> {
  const [row] = await repo.listTargets(db, { id });
  if (!row) throw simulationErrors.notFound('target', id);
  return presentTarget(row);
}

async function checkUnit(db: DbOrTx, unitId: number) {
  const unit = await repo.findUnit(db, unitId);
  if (!unit?.active) {
    throw simulationErrors.invalid(
      `单位不存在或已停用（${unitId}）`,
      `unit not found or inactive (${unitId})`,
      'unitId',
    );
  }
}

const nameTaken = () =>
  new AppError('duplicate', 409, {
    zh: '该标准已有同名的模拟验证对象',
    en: 'this standard already has a simulation target with that name',
  });

/** The office adds a target to a simulation standard (by its stable key). */
export async function createTarget(
  database: Database,
  actor: Actor,
  input: TSimulationTargetInput,
): Promise<TSimulationTarget> {
  requirePermission(actor, Permission.SimulationWrite);
  const id = await withTx(database, async (tx) => {
    if (!(await repo.frameworkExists(tx, input.frameworkId))) {
      throw simulationErrors.invalid('测评体系不存在', 'framework not found', 'frameworkId');
    }
    const method = await repo.standardMethod(tx, input.frameworkId, input.standardKey);
    if (method === undefined) {
      throw simulationErrors.invalid(
        '该测评体系没有这条测评标准',
        'no such standard in the framework',
        'standardKey',
      );
    }
    if (method !== 'simulation') {
      throw simulationErrors.invalid(
        '只有测评方法为“实景模拟验证”的标准才设模拟验证对象',
        'only a standard assessed by simulation checks takes simulation targets',
        'standardKey',
      );
    }
    await checkUnit(tx, input.unitId);
    if (await repo.targetNameTaken(tx, input)) throw nameTaken();
    const row = await repo.insertTarget(tx, {
      frameworkId: input.frameworkId,
      standardKey: input.standardKey,
      name: input.name,
      contact: input.contact,
      unitId: input.unitId,
      maxRings: input.maxRings === undefined ? DEFAULT_MAX_RINGS : input.maxRings,
      requireCorrect: input.requireCorrect ?? true,
      callbackDays: input.callbackDays ?? null,
      script: input.script ?? null,
    });
    await writeAudit(tx, actor, {
      action: 'simulation_target.create',
      entityType: 'simulation_target',
      entityId: row.id,
      after: row,
    });
    return row.id;
  });
  return oneTarget(database.db, id);
}

/** The office edits a target (criteria, contact, unit) or retires it; a stale version is a 409. */
export async function updateTarget(
  database: Database,
  actor: Actor,
  id: number,
  input: TSimulationTargetUpdate,
): Promise<TSimulationTarget> {
  requirePermission(actor, Permission.SimulationWrite);
  await withTx(database, async (tx) => {
    const before = await repo.findTarget(tx, id);
    if (!before) throw simulationErrors.notFound('target', id);
    if (before.version !== input.version) throw simulationErrors.stale();
    const { version, ...fields } = input;
    if (fields.unitId !== undefined && fields.unitId !== before.unitId) {
      await checkUnit(tx, fields.unitId);
    }
    if (
      fields.name !== undefined &&
      (await repo.targetNameTaken(tx, { ...before, name: fields.name, exceptId: id }))
    ) {
      throw nameTaken();
    }
    const after = await repo.updateTarget(tx, id, version, fields);
    if (!after) throw simulationErrors.stale();
    await writeAudit(tx, actor, {
      action: 'simulation_target.update',
      entityType: 'simulation_target',
      entityId: id,
      before,
      after,
    });
  });
  return oneTarget(database.db, id);
}

/** A check row judged at `now` (the call-back may still be due). */
export function judgeRow(row: repo.CheckRow, now: Date, calendar: CalendarTable) {
  return judgeCheck(row, row, now, calendar);
}

/** The calendar year (Asia/Shanghai) as UTC instants [from, to). */
export function yearWindow(year: number): { from: Date; to: Date } {
  return { from: startOfShanghaiDay(`${year}-01-01`), to: startOfShanghaiDay(`${year + 1}-01-01`) };
}

/**
 * Checks of a round, or of a calendar year (this year by default), each judged, and each
 * standard's tally and share over them.
 */
export async function listChecks(
  database: Database,
  actor: Actor,
  q: TSimulationCheckListQuery,
  now = new Date(),
): Promise<TSimulationCheckList> {
  const scope = visibleScope(actor);
  const db = database.db;
  const window = q.roundId ? {} : yearWindow(q.year ?? Number(shanghaiDate(now).slice(0, 4)));
  const rows = await repo.listChecks(db, {
    scope,
    frameworkId: q.frameworkId,
    targetId: q.targetId,
    roundId: q.roundId,
    ...window,
  });
  const calendar = await loadCalendar(db);
  const judged = rows.map((r) => ({ row: r, j: judgeRow(r, now, calendar) }));
  const byStandard = new Map<string, typeof judged>();
  for (const x of judged) {
    const k = `${x.row.frameworkId}:${x.row.standardKey}`;
    byStandard.set(k, [...(byStandard.get(k) ?? []), x]);
  }
  const standards: TSimulationStandard[] = [...byStandard.values()].map((xs) => {
    const first = xs[0]!.row;
    const t = simulationShare(xs.map((x) => x.j));
    return {
      frameworkId: first.frameworkId,
      standardKey: first.standardKey,
      standardCode: first.standardCode,
      standardText: first.standardText,
      ...t,
    };
  });
  standards.sort((a, b) => (a.standardCode ?? '~').localeCompare(b.standardCode ?? '~'));
  return { items: judged.map((x) => presentCheck(x.row, x.j)), standards };
}
