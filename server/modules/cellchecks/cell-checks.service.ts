import {
  periodPattern,
  type TCheckInput,
  type TCheckListInput,
  type TCheckListPatch,
  type THitInput,
  type THolderProblem,
  type TNegativeListInput,
  type TNegativeListPatch,
  ZCheckListInputSchema,
  ZNegativeListInputSchema,
} from '../../../core/contracts/cell-checks.js';
import {
  HONOUR_STATUS_LABELS,
  type TCellType,
  type THonourStatus,
} from '../../../core/contracts/honours.js';
import { addMonths, yearScore } from '../../../core/cells/dynamic.js';
import { shanghaiDate } from '../../../core/calendar/working-days.js';
import { distanceM } from '../../../core/geo/coords.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx, Tx } from '../../db/client.js';
import {
  actorHas,
  actorScope,
  officeRegionOf,
  requirePermission,
  type Actor,
} from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors, isUniqueViolation } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { honourOfLevel } from '../honours/honours.service.js';
import * as honoursRepo from '../honours/honours.repo.js';
import { outsideJurisdiction, requireCityLevel } from '../org/jurisdiction.js';
import { regionWithin } from '../org/regions.repo.js';
import {
  presentCheck,
  presentCheckList,
  presentHit,
  presentNegativeList,
} from './cell-checks.present.js';
import * as repo from './cell-checks.repo.js';

// 文明细胞 dynamic management (issue #22, item 3). Read with unit.read and written with unit.write,
// like the honours registry. The check lists and negative lists are the city office's settings
// (a district office reads them, 403 on writes). Checks, hits and reviews follow the holder: a
// district or street office sees the holders placed in its subtree (another district's: 404) and
// writes those it manages (managing office in its subtree; one managed by the city: 403).

/** Problems this far (m) from a holder's place count as at its premises. */
export const PROBLEM_RADIUS_M = 100;
/** …and those of the last 12 months show on its record. */
const PROBLEM_WINDOW_MS = 365 * 24 * 3600_000;

const notFound = (zh: string, en: string, id: number) =>
  new AppError('not_found', 404, { zh: `${zh}不存在（${id}）`, en: `${en} not found (${id})` });

export const today = () => shanghaiDate(new Date());

/** A holder the actor may see (404 otherwise). */
export async function visibleHonour(db: DbOrTx, actor: Actor, id: number) {
  const h = await honoursRepo.findHonour(db, id);
  if (!h || !(await honourOfLevel(db, actor, h))) throw errors.notFound('honour', id);
  return h;
}

/** Whether the actor's office manages the holder (the city: every one). */
export async function managesHonour(
  db: DbOrTx,
  actor: Actor,
  h: { officeRegionId: number | null },
) {
  const own = officeRegionOf(actor);
  return (
    own === null || (h.officeRegionId !== null && (await regionWithin(db, h.officeRegionId, own)))
  );
}

/** A holder the actor may write: seen (404) and managed (403). */
export async function managedHonour(db: DbOrTx, actor: Actor, id: number) {
  const h = await visibleHonour(db, actor, id);
  if (!(await managesHonour(db, actor, h)))
    throw outsideJurisdiction({ zh: '该称号的管理文明办', en: "The title's managing office" });
  return h;
}

/**
 * Changes a holder's status inside the caller's transaction, audited as the registry's PATCH does
 * (`honour.update` and `honour.status` with the reason).
 */
export async function changeHonourStatus(
  tx: Tx,
  actor: Actor,
  h: honoursRepo.HonourRow,
  to: THonourStatus,
  reason: string,
) {
  if (h.status === to) return;
  if (!(await honoursRepo.updateHonourRow(tx, h.id, h.version, { status: to })))
    throw errors.staleVersion('honour');
  await writeAudit(tx, actor, {
    action: 'honour.update',
    entityType: 'honour',
    entityId: h.id,
    before: h,
    after: { status: to },
  });
  await writeAudit(tx, actor, {
    action: 'honour.status',
    entityType: 'honour',
    entityId: h.id,
    before: { status: h.status },
    after: { status: to, label: HONOUR_STATUS_LABELS[to].zh, reason },
  });
}

// — Check lists and negative lists (the city's settings) —

export async function listCheckLists(database: Database, actor: Actor, cellType?: TCellType) {
  requirePermission(actor, Permission.UnitRead);
  return (await repo.checkLists(database.db, cellType)).map(presentCheckList);
}

const SETTINGS = { zh: '检查标准与负面清单', en: 'Check lists and negative lists' };

function duplicateList(name: string) {
  return new AppError('duplicate', 409, {
    zh: `已有同名清单“${name}”`,
    en: `a list named "${name}" already exists`,
  });
}

export async function createCheckList(database: Database, actor: Actor, input: TCheckListInput) {
  requirePermission(actor, Permission.UnitWrite);
  requireCityLevel(actor, SETTINGS);
  const v = ZCheckListInputSchema.parse(input);
  try {
    const id = await withTx(database, async (tx) => {
      const listId = await repo.insertCheckList(tx, v);
      await writeAudit(tx, actor, {
        action: 'cellCheckList.create',
        entityType: 'cellCheckList',
        entityId: listId,
        after: v,
      });
      return listId;
    });
    return presentCheckList((await repo.findCheckList(database.db, id))!);
  } catch (err) {
    if (isUniqueViolation(err, 'cell_check_lists_name_uq')) throw duplicateList(v.name);
    throw err;
  }
}

export async function updateCheckList(
  database: Database,
  actor: Actor,
  id: number,
  input: TCheckListPatch,
) {
  requirePermission(actor, Permission.UnitWrite);
  requireCityLevel(actor, SETTINGS);
  const { version, ...patch } = input;
  try {
    await withTx(database, async (tx) => {
      const before = await repo.findCheckList(tx, id);
      if (!before) throw notFound('检查标准', 'check list', id);
      if (!(await repo.updateCheckList(tx, id, version, patch)))
        throw errors.staleVersion('cellCheckList');
      await writeAudit(tx, actor, {
        action: 'cellCheckList.update',
        entityType: 'cellCheckList',
        entityId: id,
        before,
        after: patch,
      });
    });
  } catch (err) {
    if (isUniqueViolation(err, 'cell_check_lists_name_uq')) throw duplicateList(patch.name ?? '');
    throw err;
  }
  return presentCheckList((await repo.findCheckList(database.db, id))!);
}

export async function listNegativeLists(database: Database, actor: Actor, cellType?: TCellType) {
  requirePermission(actor, Permission.UnitRead);
  return (await repo.negativeLists(database.db, cellType)).map(presentNegativeList);
}

export async function createNegativeList(
  database: Database,
  actor: Actor,
  input: TNegativeListInput,
) {
  requirePermission(actor, Permission.UnitWrite);
  requireCityLevel(actor, SETTINGS);
  const v = ZNegativeListInputSchema.parse(input);
  try {
    const id = await withTx(database, async (tx) => {
      const listId = await repo.insertNegativeList(tx, v);
      await writeAudit(tx, actor, {
        action: 'cellNegativeList.create',
        entityType: 'cellNegativeList',
        entityId: listId,
        after: v,
      });
      return listId;
    });
    return presentNegativeList((await repo.findNegativeList(database.db, id))!);
  } catch (err) {
    if (isUniqueViolation(err, 'cell_negative_lists_type_uq'))
      throw new AppError('duplicate', 409, {
        zh: '该类型已有负面清单，请修改原清单',
        en: 'this cell type already has a negative list; edit it instead',
      });
    throw err;
  }
}

export async function updateNegativeList(
  database: Database,
  actor: Actor,
  id: number,
  input: TNegativeListPatch,
) {
  requirePermission(actor, Permission.UnitWrite);
  requireCityLevel(actor, SETTINGS);
  const { version, ...patch } = input;
  await withTx(database, async (tx) => {
    const before = await repo.findNegativeList(tx, id);
    if (!before) throw notFound('负面清单', 'negative list', id);
    if (!(await repo.updateNegativeList(tx, id, version, patch)))
      throw errors.staleVersion('cellNegativeList');
    await writeAudit(tx, actor, {
      action: 'cellNegativeList.update',
      entityType: 'cellNegativeList',
      entityId: id,
      before,
      after: patch,
    });
  });
  return presentNegativeList((await repo.findNegativeList(database.db, id))!);
}

// — Checks —

const invalid = (path: string, zh: string, en: string) =>
  errors.invalid({ zh, en }, [{ path, message: `${zh} / ${en}` }]);

/** Whether a holder in this status is still managed (checked, hit, reviewed). */
const ACTIVE_STATUSES: readonly THonourStatus[] = ['listed', 'rectifying', 'suspended'];
const inactive = (h: { holderName: string; status: THonourStatus }) =>
  new AppError('holder_inactive', 409, {
    zh: `“${h.holderName}”的称号已${HONOUR_STATUS_LABELS[h.status].zh}`,
    en: `the title of "${h.holderName}" is ${HONOUR_STATUS_LABELS[h.status].en.toLowerCase()}`,
  });

export async function recordCheck(database: Database, actor: Actor, input: TCheckInput) {
  requirePermission(actor, Permission.UnitWrite);
  const id = await withTx(database, async (tx) => {
    const h = await managedHonour(tx, actor, input.honourId);
    if (!ACTIVE_STATUSES.includes(h.status)) throw inactive(h);
    const list = await repo.findCheckList(tx, input.listId);
    if (!list) throw notFound('检查标准', 'check list', input.listId);
    if (!list.active || list.cellType !== h.cellType)
      throw invalid(
        'listId',
        '该检查标准不适用于此类称号或已停用',
        'this check list is not for this cell type or is no longer in use',
      );
    const m = periodPattern(list.frequency).exec(input.period);
    if (!m)
      throw invalid(
        'period',
        list.frequency === 'quarterly'
          ? '季度检查的周期应如 2026-Q3'
          : '月度检查的周期应如 2026-09',
        list.frequency === 'quarterly'
          ? 'a quarterly check’s period is like 2026-Q3'
          : 'a monthly check’s period is like 2026-09',
      );
    const given = new Map(input.results.map((r) => [r.code, r]));
    const missing = list.standards.filter((s) => !given.has(s.code)).map((s) => s.code);
    const unknown = input.results.filter((r) => !list.standards.some((s) => s.code === r.code));
    if (missing.length || unknown.length || given.size !== input.results.length)
      throw invalid(
        'results',
        `请对每条标准各填一个结果${missing.length ? `（缺：${missing.join('、')}）` : ''}`,
        `give one result per standard${missing.length ? ` (missing: ${missing.join(', ')})` : ''}`,
      );
    const results = list.standards.map((s) => ({
      ...s,
      pass: given.get(s.code)!.pass,
      note: given.get(s.code)!.note || null,
    }));
    const total = results.reduce((a, r) => a + r.points, 0);
    const passed = results.filter((r) => r.pass).reduce((a, r) => a + r.points, 0);
    const values = {
      honourId: h.id,
      listId: list.id,
      period: input.period,
      year: Number(m[1]),
      checkedOn: input.checkedOn,
      results,
      score: Math.round((1000 * passed) / total) / 10,
      note: input.note || null,
      checkedBy: actor.id,
    };
    let checkId: number;
    try {
      checkId = await repo.insertCheck(tx, values);
    } catch (err) {
      if (isUniqueViolation(err, 'cell_checks_period_uq'))
        throw new AppError('duplicate', 409, {
          zh: `“${h.holderName}”${input.period} 已按“${list.name}”检查过`,
          en: `"${h.holderName}" was already checked against "${list.name}" for ${input.period}`,
        });
      throw err;
    }
    await writeAudit(tx, actor, {
      action: 'cellCheck.create',
      entityType: 'honour',
      entityId: h.id,
      after: { checkId, period: values.period, listId: list.id, score: values.score },
    });
    return checkId;
  });
  return presentCheck((await repo.findCheck(database.db, id))!);
}

export async function listChecks(
  database: Database,
  actor: Actor,
  q: { listId?: number | undefined; period?: string | undefined; honourId?: number | undefined },
) {
  requirePermission(actor, Permission.UnitRead);
  const rows = await repo.checks(database.db, {
    ...(q.listId ? { listId: q.listId } : {}),
    ...(q.period ? { period: q.period } : {}),
    ...(q.honourId ? { honourId: q.honourId } : {}),
    within: officeRegionOf(actor),
  });
  return rows.map(presentCheck);
}

// — Negative-list hits —

/**
 * Records a hit. A severe item dated within the list's window puts the holder to 整改 (or
 * disqualifies it) once the window holds `severeThreshold` severe hits — in the same transaction,
 * audited as a status change with the hit as its reason.
 */
export async function recordHit(database: Database, actor: Actor, input: THitInput) {
  requirePermission(actor, Permission.UnitWrite);
  const out = await withTx(database, async (tx) => {
    const h = await managedHonour(tx, actor, input.honourId);
    if (!ACTIVE_STATUSES.includes(h.status)) throw inactive(h);
    const list = await repo.negativeListOf(tx, h.cellType);
    if (!list)
      throw invalid('itemCode', '此类称号尚无负面清单', 'this cell type has no negative list');
    const item = list.items.find((i) => i.code === input.itemCode);
    if (!item)
      throw invalid(
        'itemCode',
        `负面清单无此项：${input.itemCode}`,
        `no such item: ${input.itemCode}`,
      );
    const now = today();
    if (input.hitOn > now) throw invalid('hitOn', '日期不能晚于今天', 'the date is in the future');
    if (input.problemId) {
      const linked = await problemsOfHolder(tx, actor, h);
      if (!linked.some((p) => p.id === input.problemId))
        throw invalid(
          'problemId',
          '该问题不在此称号单位的场所（所属单位或 100 米内、近 12 个月）',
          'this problem is not at the holder’s premises (its unit, or within 100 m, last 12 months)',
        );
    }
    const values = {
      honourId: h.id,
      listId: list.id,
      itemCode: item.code,
      itemText: item.text,
      points: item.points,
      severe: item.severe,
      hitOn: input.hitOn,
      note: input.note || null,
      problemId: input.problemId ?? null,
      createdBy: actor.id,
      action: null as 'rectify' | 'disqualify' | null,
      rectifyUntil: null as string | null,
    };
    let statusChange: { from: THonourStatus; to: THonourStatus; reason: string } | null = null;
    const windowStart = addMonths(now, -list.severeWindowMonths);
    if (item.severe && input.hitOn >= windowStart) {
      const before = await repo.severeHitsSince(tx, h.id, windowStart);
      const n = before + 1;
      if (n >= list.severeThreshold) {
        const base = `负面清单严重情形：${item.code} ${item.text}（${input.hitOn}），${list.severeWindowMonths} 个月内第 ${n} 次`;
        if (list.severeAction === 'rectify') {
          values.action = 'rectify';
          values.rectifyUntil = addMonths(input.hitOn, list.rectifyMonths);
          const reason = `${base}，整改至 ${values.rectifyUntil}`;
          if (h.status === 'listed') statusChange = { from: h.status, to: 'rectifying', reason };
        } else {
          values.action = 'disqualify';
          statusChange = { from: h.status, to: 'revoked', reason: `${base}，取消资格` };
        }
      }
    }
    let hitId: number;
    try {
      hitId = await repo.insertHit(tx, values);
    } catch (err) {
      if (isUniqueViolation(err, 'cell_negative_hits_problem_uq'))
        throw new AppError('duplicate', 409, {
          zh: '该问题已计入负面清单',
          en: 'this problem is already a negative-list hit',
        });
      throw err;
    }
    await writeAudit(tx, actor, {
      action: 'cellHit.create',
      entityType: 'honour',
      entityId: h.id,
      after: { hitId, ...values },
    });
    if (statusChange) await changeHonourStatus(tx, actor, h, statusChange.to, statusChange.reason);
    return { hitId, statusChange };
  });
  return {
    hit: presentHit((await repo.findHit(database.db, out.hitId))!),
    statusChange: out.statusChange,
  };
}

// — The holder's record —

/** Problems at the holder's premises the actor may read (none without problem.read). */
async function problemsOfHolder(
  db: DbOrTx,
  actor: Actor,
  h: { id: number; unitId: number | null; lat: number | null; lng: number | null },
): Promise<THolderProblem[]> {
  if (!actorHas(actor, Permission.ProblemRead)) return [];
  const place = h.lat !== null && h.lng !== null ? { lat: h.lat, lng: h.lng } : null;
  // A box a little larger than the radius, then the exact distance.
  const dLat = PROBLEM_RADIUS_M / 111_000 + 1e-5;
  const dLng = place ? dLat / Math.cos((place.lat * Math.PI) / 180) : 0;
  const rows = await repo.problemsAt(
    db,
    {
      unitId: h.unitId,
      box: place
        ? {
            minLat: place.lat - dLat,
            maxLat: place.lat + dLat,
            minLng: place.lng - dLng,
            maxLng: place.lng + dLng,
          }
        : null,
    },
    new Date(Date.now() - PROBLEM_WINDOW_MS),
    actorScope(actor),
  );
  const hits = await repo.hitsByProblem(db, h.id);
  const out: THolderProblem[] = [];
  for (const p of rows) {
    const d =
      place && p.lat !== null && p.lng !== null
        ? distanceM(place.lat, place.lng, p.lat, p.lng)
        : null;
    const byUnit = h.unitId !== null && p.unitId === h.unitId;
    const near = d !== null && d <= PROBLEM_RADIUS_M;
    if (!byUnit && !near) continue;
    out.push({
      id: p.id,
      code: p.code,
      title: p.title,
      state: p.state,
      createdAt: p.createdAt.toISOString(),
      byUnit,
      distanceM: d === null ? null : Math.round(d),
      hitId: hits.get(p.id) ?? null,
    });
  }
  return out;
}

/** A holder's management record: checks, hits and the year's deductions, problems, reviews. */
export async function holderRecord(database: Database, actor: Actor, id: number, year?: number) {
  requirePermission(actor, Permission.UnitRead);
  const db = database.db;
  const h = await visibleHonour(db, actor, id);
  const y = year ?? Number(today().slice(0, 4));
  const [checks, hits, problems, reviews, figures, managed] = await Promise.all([
    repo.checks(db, { honourId: id }),
    repo.hitsOf(db, id),
    problemsOfHolder(db, actor, h),
    repo.reviewsOfHolder(db, id),
    repo.yearFigures(db, [id], y),
    managesHonour(db, actor, h),
  ]);
  const f = figures.get(id)!;
  return {
    honour: {
      id: h.id,
      cellType: h.cellType,
      holderName: h.holderName,
      title: h.title,
      level: h.level,
      status: h.status,
      version: h.version,
      managed: managed && actorHas(actor, Permission.UnitWrite),
    },
    year: y,
    checks: checks.map(presentCheck),
    averageScore: f.average === null ? null : Math.round(f.average * 10) / 10,
    hits: hits.map(presentHit),
    deductionsThisYear: f.deductions,
    yearScore: yearScore(f.average, f.deductions),
    problems,
    problemRadiusM: PROBLEM_RADIUS_M,
    reviews: reviews.map((r) => ({
      ...r,
      filedAt: r.filedAt ? r.filedAt.toISOString() : null,
    })),
  };
}
