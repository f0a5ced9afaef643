import { Permission, type TScope } from '../../../core/permissions.js';
import type { TDossierState } from '../../../core/frameworks/evidence.js';
import type { DbOrTx } from '../../db/client.js';
import { requirePermission, type Actor, actorPermissions } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { unitsInScope } from '../org/unit-scope.repo.js';
import * as repo from './evidence.repo.js';

// Who sees and works on which material standards (档案资料), shared by the reads and the writes.

export const notFound = (what: string) =>
  new AppError('not_found', 404, { zh: `${what}不存在`, en: `${what} not found` });
export const stale = () =>
  new AppError('stale_version', 409, {
    zh: '档案资料已被他人修改，请刷新后重试',
    en: 'this dossier was changed by someone else; reload and try again',
  });
export const wrongState = (state: TDossierState, zh: string, en: string) =>
  new AppError('invalid_state', 409, {
    zh: `当前状态（${state}）下不能${zh}`,
    en: `cannot ${en} a dossier that is ${state}`,
  });

export function isOffice(actor: Actor): boolean {
  return actorPermissions(actor).has(Permission.FrameworkWrite);
}

/**
 * The framework in force and the material standards the actor may see: the office and leaders at
 * the city all; a unit its own; an office or leader below the city those a unit of its subtree
 * (or the unit it heads) leads or shares.
 */
export async function context(db: DbOrTx, actor: Actor, frameworkId: number) {
  const scope = requirePermission(actor, Permission.AssignmentRead);
  const fw = await repo.frameworkInForce(db, frameworkId);
  if (!fw) throw notFound('测评体系 / framework');
  if (fw.versionId === null) {
    throw new AppError('not_published', 409, {
      zh: '该测评体系尚未发布，发布后才能上传档案资料',
      en: 'the framework has no published version yet; materials follow publication',
    });
  }
  const all = await repo.materialStandards(db, fw.versionId);
  const { rules } = await repo.rulesOf(db, fw.campaignId);
  return { fw, standards: await visibleStandards(db, actor, scope, all), rules };
}

async function visibleStandards(
  db: DbOrTx,
  actor: Actor,
  scope: TScope,
  all: repo.MaterialStandard[],
): Promise<repo.MaterialStandard[]> {
  if (isOffice(actor)) return all;
  if (scope.kind === 'region') {
    const reached = await unitsInScope(
      db,
      scope,
      all.flatMap((s) => s.unitIds),
    );
    return all.filter((s) => s.unitIds.some((id) => reached.has(id)));
  }
  if (actor.unitId !== null) return all.filter((s) => s.unitIds.includes(actor.unitId!));
  return scope.kind === 'all' && actor.roles.includes('leader') ? all : [];
}

export async function standardFor(db: DbOrTx, actor: Actor, frameworkId: number, key: string) {
  const ctx = await context(db, actor, frameworkId);
  const standard = ctx.standards.find((s) => s.key === key);
  // Not a material standard, or not one of the unit's: the same 404.
  if (!standard) throw notFound('测评标准 / standard');
  return { ...ctx, standard };
}

export function editable(d: { state: TDossierState }): boolean {
  return d.state === 'none' || d.state === 'draft' || d.state === 'returned';
}

/** The actor's unit works on the standard (lead or responsible). */
export function worksOn(actor: Actor, standard: repo.MaterialStandard): boolean {
  return actor.unitId !== null && standard.unitIds.includes(actor.unitId);
}

/** The actor's unit leads the standard. */
export function leads(actor: Actor, standard: repo.MaterialStandard): boolean {
  return actor.unitId !== null && standard.leadUnitIds.includes(actor.unitId);
}
