import type { TRound } from '../../../core/contracts/inspections.js';
import type { TScope } from '../../../core/permissions.js';
import type { DbOrTx } from '../../db/client.js';
import { Permission } from '../../../core/permissions.js';
import { actorHas, officeRegionOf, type Actor } from '../../platform/actor.js';
import { regionWithin } from '../org/regions.repo.js';
import { AppError, errors } from '../../platform/errors.js';
import * as daysRepo from './round-days.repo.js';
import { presentRound, STATE_LABELS } from './rounds.present.js';
import * as repo from './rounds.repo.js';

/*
 * What the round services (rounds.service.ts, round-days.service.ts) share: finding a round,
 * who may know its points, and presenting rounds with their days and drawn points by name.
 */

type State = repo.RoundRow['state'];

/** 409 for a step taken in the wrong state, naming the state it needs. */
export function wrongState(
  current: State,
  wanted: State,
  doing: { zh: string; en: string },
  what: { zh: string; en: string } = { zh: '本轮', en: 'this round' },
) {
  return new AppError('illegal_transition', 409, {
    zh: `${what.zh}当前为“${STATE_LABELS[current].zh}”，不能${doing.zh}（需为“${STATE_LABELS[wanted].zh}”）`,
    en: `${what.en} is ${STATE_LABELS[current].en}; cannot ${doing.en} (it must be ${STATE_LABELS[wanted].en})`,
  });
}

/**
 * What the actor may see of a round: the drawn points of a secret round only its inspectors and
 * whole-campaign readers (the office, leaders, admins).
 */
export function mayKnowPoints(actor: Actor, scope: TScope, r: repo.RoundRow): boolean {
  return (
    r.kind !== 'secret' ||
    scope.kind === 'all' ||
    (actor.id !== null && r.inspectorIds.includes(actor.id))
  );
}

/**
 * Rounds as the actor may see them, with their days, drawn points named (one lookup for all of
 * them: a day's drawn points are among its round's).
 */
export async function presentAll(
  db: DbOrTx,
  actor: Actor,
  scope: TScope,
  rows: repo.RoundRow[],
): Promise<TRound[]> {
  const known = rows.map((r) => mayKnowPoints(actor, scope, r));
  const ids = [...new Set(rows.flatMap((r, i) => (known[i] ? (r.drawnIds ?? []) : [])))];
  const labels = await repo.pointLabels(db, ids);
  const byDistrict = rows.filter((r) => r.byDistrict).map((r) => r.id);
  const days = await daysRepo.daysOf(db, byDistrict);
  const names = byDistrict.length ? await daysRepo.districtNames(db) : new Map<number, string>();
  const owners = await repo.ownerNames(
    db,
    rows.flatMap((r) => (r.ownerRegionId === null ? [] : [r.ownerRegionId])),
  );
  return rows.map((r, i) =>
    presentRound(
      r,
      known[i]!,
      labels,
      days.filter((d) => d.roundId === r.id),
      names,
      owners,
    ),
  );
}

export async function present(
  db: DbOrTx,
  actor: Actor,
  scope: TScope,
  r: repo.RoundRow,
): Promise<TRound> {
  return (await presentAll(db, actor, scope, [r]))[0]!;
}

export async function findRound(db: DbOrTx, id: number, lock = false): Promise<repo.RoundRow> {
  const r = await repo.findRound(db, id, lock);
  if (!r) throw errors.notFound('round', id);
  return r;
}

/**
 * Whether a round is the actor's level's to see as an office: every round for the city's
 * offices and readers; for an office or leader held at a district or street, the rounds its
 * level or a level under it runs (a city round is not announced to the district it inspects).
 */
export async function roundOfLevel(db: DbOrTx, actor: Actor, r: repo.RoundRow): Promise<boolean> {
  const own = officeRegionOf(actor);
  if (own === null) return true;
  return r.ownerRegionId !== null && regionWithin(db, r.ownerRegionId, own);
}

/** True when the actor manages the round: holds InspectionManage and the round is its level's. */
export async function managesRound(db: DbOrTx, actor: Actor, r: repo.RoundRow): Promise<boolean> {
  return actorHas(actor, Permission.InspectionManage) && roundOfLevel(db, actor, r);
}

/**
 * A round the actor may see as its level's (404 otherwise, as if it did not exist): what the
 * office steps (commit, draw, reveal, days) and the reads of a district office go through.
 */
export async function findRoundOfLevel(
  db: DbOrTx,
  actor: Actor,
  id: number,
  lock = false,
): Promise<repo.RoundRow> {
  const r = await findRound(db, id, lock);
  if (!(await roundOfLevel(db, actor, r))) throw errors.notFound('round', id);
  return r;
}
