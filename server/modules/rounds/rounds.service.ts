import { randomBytes } from 'node:crypto';
import type {
  TDrawVerification,
  TRound,
  TRoundListQuery,
  TRoundInput,
} from '../../../core/contracts/inspections.js';
import {
  commitmentOf,
  drawPoints,
  listFingerprint,
  verifyDraw,
  type DrawPoint,
  type DrawRule,
} from '../../../core/draw/draw.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { officeRegionOf, requirePermission, type Actor } from '../../platform/actor.js';
import { requireRegionWithin, requireUsersWithin } from '../org/jurisdiction.js';
import { writeAudit } from '../../platform/audit.js';
import { errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { findRoundOfLevel, present, presentAll, wrongState } from './round-access.js';
import { checkSchedule, drawnByDay, insertSchedule } from './round-days.service.js';
import * as repo from './rounds.repo.js';

export async function createRound(
  database: Database,
  actor: Actor,
  input: TRoundInput,
): Promise<TRound> {
  const scope = requirePermission(actor, Permission.InspectionManage);
  const types = await repo.pointTypeCodes(database.db);
  const unknown = input.plan.find((p) => !types.has(p.type));
  if (unknown) {
    throw errors.invalid({
      zh: `抽签方案中的点位类型“${unknown.type}”不存在`,
      en: `the plan names an unknown point type "${unknown.type}"`,
    });
  }
  const schedule = input.schedule ?? null;
  // A district or street office runs its own rounds (督查, 暗访, 模拟) on its own points.
  const owner = officeRegionOf(actor);
  if (owner !== null) await checkLevelRound(database.db, actor, owner, input);
  const regionIds = owner !== null && input.regionIds.length === 0 ? [owner] : input.regionIds;
  if (schedule) {
    // The schedule decides the round's districts and dates.
    if (input.regionIds.length || input.startsOn || input.endsOn) {
      throw errors.invalid({
        zh: '按城区分日抽签时，范围和起止日期由测评日程决定，请勿另填',
        en: 'a round drawn by day takes its districts and dates from its schedule: give neither regionIds nor startsOn/endsOn',
      });
    }
    await checkSchedule(database.db, input.plan, schedule);
  }
  return withTx(database, async (tx) => {
    let row = await repo.insertRound(tx, {
      name: input.name,
      kind: input.kind,
      startsOn: input.startsOn ?? null,
      endsOn: input.endsOn ?? null,
      plan: input.plan,
      regionIds,
      inspectorIds: input.inspectorIds,
      byDistrict: schedule !== null,
      ownerRegionId: owner,
      handDown: owner === null && input.handDown,
      createdBy: actor.id,
    });
    if (schedule) row = await insertSchedule(tx, row.id, schedule);
    await writeAudit(tx, actor, {
      action: 'round.create',
      entityType: 'round',
      entityId: row.id,
      after: input,
    });
    return present(tx, actor, scope, row);
  });
}

/** What a round of a district or street office may be: below the city's, inside its subtree. */
async function checkLevelRound(
  db: DbOrTx,
  actor: Actor,
  owner: number,
  input: TRoundInput,
): Promise<void> {
  if (input.schedule) {
    throw errors.invalid({
      zh: '按城区分日抽签的测评由市创建办组织',
      en: 'a round drawn by district and day is the city office’s to run',
    });
  }
  if (input.kind === 'official') {
    throw errors.invalid({
      zh: '正式测评由市创建办组织；区、街道可组织督查、暗访和模拟测评',
      en: 'official evaluations are the city’s; a district or street runs supervision, secret and mock rounds',
    });
  }
  for (const id of input.regionIds) await requireRegionWithin(db, actor, id);
  await requireUsersWithin(db, actor, input.inspectorIds);
  void owner;
}

/**
 * Step 1: the server draws a secret seed, freezes the eligible list, and publishes SHA-256(seed)
 * and the list's fingerprint. Nothing about the result is known to anyone yet.
 */
export async function commitRound(database: Database, actor: Actor, id: number): Promise<TRound> {
  const scope = requirePermission(actor, Permission.InspectionManage);
  return withTx(database, async (tx) => {
    const r = await findRoundOfLevel(tx, actor, id, true);
    if (r.byDistrict) throw drawnByDay();
    if (r.state !== 'planned')
      throw wrongState(r.state, 'planned', { zh: '公布承诺值', en: 'commit' });
    const list = await repo.eligiblePoints(tx, r);
    // Fail now, not at draw time, when the plan cannot be met.
    await drawPoints('feasibility-check', list, r.plan as DrawRule[]).catch((err: Error) => {
      throw errors.invalid({ zh: `抽签方案无法执行：${err.message}`, en: err.message });
    });
    const seed = randomBytes(32).toString('hex');
    const values = {
      state: 'committed' as const,
      seed,
      commitment: await commitmentOf(seed),
      fingerprint: await listFingerprint(list),
      frozenList: list,
      committedAt: new Date(),
    };
    const row = await repo.updateRound(tx, id, values);
    await writeAudit(tx, actor, {
      action: 'round.commit',
      entityType: 'round',
      entityId: id,
      after: {
        commitment: values.commitment,
        fingerprint: values.fingerprint,
        points: list.length,
      },
    });
    return present(tx, actor, scope, row);
  });
}

/** Step 2: the draw, from the committed seed and frozen list. */
export async function drawRound(database: Database, actor: Actor, id: number): Promise<TRound> {
  const scope = requirePermission(actor, Permission.InspectionManage);
  return withTx(database, async (tx) => {
    const r = await findRoundOfLevel(tx, actor, id, true);
    if (r.byDistrict) throw drawnByDay();
    if (r.state !== 'committed') throw wrongState(r.state, 'committed', { zh: '抽签', en: 'draw' });
    const { ids } = await drawPoints(r.seed!, r.frozenList as DrawPoint[], r.plan as DrawRule[]);
    const row = await repo.updateRound(tx, id, {
      state: 'drawn',
      drawnIds: ids,
      drawnAt: new Date(),
    });
    await writeAudit(tx, actor, {
      action: 'round.draw',
      entityType: 'round',
      entityId: id,
      after: { drawnIds: ids },
    });
    return present(tx, actor, scope, row);
  });
}

/** Step 3: the seed is made public so anyone can re-run the draw. */
export async function revealRound(database: Database, actor: Actor, id: number): Promise<TRound> {
  const scope = requirePermission(actor, Permission.InspectionManage);
  return withTx(database, async (tx) => {
    const r = await findRoundOfLevel(tx, actor, id, true);
    if (r.byDistrict) throw drawnByDay();
    if (r.state !== 'drawn') throw wrongState(r.state, 'drawn', { zh: '公开种子', en: 'reveal' });
    const row = await repo.updateRound(tx, id, { state: 'revealed', revealedAt: new Date() });
    await writeAudit(tx, actor, {
      action: 'round.reveal',
      entityType: 'round',
      entityId: id,
      after: { seed: r.seed },
    });
    return present(tx, actor, scope, row);
  });
}

export async function listRounds(
  database: Database,
  actor: Actor,
  q: TRoundListQuery = {},
): Promise<{ items: TRound[] }> {
  const scope = requirePermission(actor, Permission.ProblemRead);
  const rows = await repo.listRounds(database.db, officeRegionOf(actor), q.ownerRegionId);
  return { items: await presentAll(database.db, actor, scope, rows) };
}

export async function getRound(database: Database, actor: Actor, id: number): Promise<TRound> {
  // The permission before the lookup: a caller without it learns nothing about which rounds exist.
  const scope = requirePermission(actor, Permission.ProblemRead);
  return present(database.db, actor, scope, await findRoundOfLevel(database.db, actor, id));
}

/** Anyone signed in may re-run a revealed draw from what was published. */
export async function verifyRound(
  database: Database,
  actor: Actor,
  id: number,
): Promise<TDrawVerification> {
  requirePermission(actor, Permission.ProblemRead);
  const r = await findRoundOfLevel(database.db, actor, id);
  if (r.byDistrict) throw drawnByDay();
  if (r.state !== 'revealed') throw wrongState(r.state, 'revealed', { zh: '核验', en: 'verify' });
  return verifyDraw(
    {
      seed: r.seed!,
      commitment: r.commitment!,
      fingerprint: r.fingerprint!,
      points: r.frozenList as DrawPoint[],
      plan: r.plan as DrawRule[],
    },
    r.drawnIds ?? [],
  );
}
