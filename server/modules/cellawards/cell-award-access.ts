import { CALL_STATUS_LABELS, type TCallStatus } from '../../../core/contracts/cell-awards.js';
import { Permission } from '../../../core/permissions.js';
import type { DbOrTx } from '../../db/client.js';
import { officeRegionOf, requirePermission, type Actor } from '../../platform/actor.js';
import { AppError, errors } from '../../platform/errors.js';
import { regionWithin } from '../org/regions.repo.js';
import * as repo from './cell-awards.repo.js';

// 文明细胞申报与测评 (issue #22, item 2). Like the honours registry, read with unit.read and written
// with unit.write — but read by the offices, their leaders and admins only: scores, vetoes and
// objections are the assessing office's working record, not a unit's to browse (a unit user holds
// unit.read for the directory). By level (#20): a district or street office sees and runs the
// calls its own 文明办 (or one below it) manages; another office's call is not there for it (404).

export function wrongStage(status: TCallStatus, action: { zh: string; en: string }) {
  const l = CALL_STATUS_LABELS[status];
  return new AppError('wrong_stage', 409, {
    zh: `申报通知处于“${l.zh}”阶段，不能${action.zh}`,
    en: `the call is at the stage "${l.en}": cannot ${action.en}`,
  });
}

export const notFound = (what: 'call' | 'application' | 'objection', id: number | string) =>
  new AppError('not_found', 404, {
    zh: `${{ call: '申报通知', application: '申报', objection: '异议' }[what]}不存在（${id}）`,
    en: `${{ call: 'call', application: 'application', objection: 'objection' }[what]} not found (${id})`,
  });

/** Reads: an office, a leader or an admin with unit.read. */
export function requireReader(actor: Actor) {
  requirePermission(actor, Permission.UnitRead);
  if (!actor.roles.some((r) => r === 'admin' || r === 'office' || r === 'leader')) {
    throw errors.forbidden();
  }
}

/** A call the actor's level may see: the city every one, a district office those it manages. */
export async function callOfLevel(db: DbOrTx, actor: Actor, c: { officeRegionId: number | null }) {
  const own = officeRegionOf(actor);
  return (
    own === null || (c.officeRegionId !== null && (await regionWithin(db, c.officeRegionId, own)))
  );
}

export async function loadCall(db: DbOrTx, actor: Actor, id: number) {
  const c = await repo.findCall(db, id);
  if (!c || !(await callOfLevel(db, actor, c))) throw notFound('call', id);
  return c;
}

/** The application and its call, when the actor's level may see the call. */
export async function loadApplication(db: DbOrTx, actor: Actor, id: number) {
  const a = await repo.findApplication(db, id);
  if (!a) throw notFound('application', id);
  const call = await repo.findCall(db, a.callId);
  if (!call || !(await callOfLevel(db, actor, call))) throw notFound('application', id);
  return { app: a, call };
}

export const staleCall = () =>
  new AppError('stale_version', 409, {
    zh: '申报通知已被他人修改，请刷新后重试',
    en: 'the call was changed by someone else; reload and try again',
  });

export const decidedAlready = (name: string) =>
  new AppError('decided', 409, {
    zh: `“${name}”的申报已作出决定，不能再修改`,
    en: `the application of "${name}" has been decided and cannot change`,
  });

export const staleApplication = () =>
  new AppError('stale_version', 409, {
    zh: '该申报已被他人修改，请刷新后重试',
    en: 'the application was changed by someone else; reload and try again',
  });
