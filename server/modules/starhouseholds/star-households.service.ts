import { defaultHonourTitle } from '../../../core/contracts/honours.js';
import {
  STAR_RATING_STATUS_LABELS,
  TEN_STARS,
  currentStarYear,
  type TListStarHouseholdsQuery,
  type TProposeStarRating,
  type TRegisterStarHonour,
  type TReviewStarRating,
  type TStarCriterionInput,
  type TStarCriterionPatch,
  type TStarHouseholdInput,
  type TStarHouseholdPatch,
} from '../../../core/contracts/star-households.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { actorHas, officeRegionOf, requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { isUniqueViolation } from '../../platform/errors.js';
import { pageOf } from '../../platform/pagination.js';
import { withTx } from '../../platform/tx.js';
import { duplicateHonour, insertHonourIn, isDuplicateHonour } from '../honours/honours.service.js';
import { requireCityLevel, requireRegionWithin } from '../org/jurisdiction.js';
import { starErrors } from './star-households.errors.js';
import { grantFor } from '../credits/grant-credits.js';
import {
  presentBoardEntry,
  presentCriterion,
  presentHousehold,
  presentRating,
} from './star-households.present.js';
import * as repo from './star-households.repo.js';

// 文明家庭 / 十星级文明户 (issue #22, item 4). Households live in grids; a grid worker registers
// and proposes in the grids they are a member of, an office (a community's = 社区居委会, a street's,
// a district's) in its subtree, the city everywhere. A proposal is reviewed by an office of the
// household's place, never by its proposer; approved ratings go on the community's public board.

/** Which households the actor sees with `permission` (403 without it). */
export function starVisibility(actor: Actor, permission: Permission): repo.StarVisibility {
  const scope = requirePermission(actor, permission);
  if (scope.kind === 'all') return { kind: 'all' };
  const own = officeRegionOf(actor);
  if (own !== null) return { kind: 'region', regionId: own };
  return { kind: 'grids', userId: actor.id ?? -1 };
}

// ---------------------------------------------------------------- criteria

export async function listCriteria(database: Database, actor: Actor) {
  requirePermission(actor, Permission.StarRead);
  return { items: (await repo.listCriteria(database.db)).map(presentCriterion) };
}

const criterionWhat = { zh: '十星级文明户的星级标准', en: 'The stars of 十星级文明户' };

export async function createCriterion(
  database: Database,
  actor: Actor,
  input: TStarCriterionInput,
) {
  requirePermission(actor, Permission.StarReview);
  requireCityLevel(actor, criterionWhat);
  try {
    const id = await withTx(database, async (tx) => {
      const values = { ...input, description: input.description ?? null };
      const id = await repo.insertCriterion(tx, values);
      await writeAudit(tx, actor, {
        action: 'star_criterion.create',
        entityType: 'star_criterion',
        entityId: id,
        after: values,
      });
      return id;
    });
    return presentCriterion((await repo.findCriterion(database.db, id))!);
  } catch (err) {
    if (isUniqueViolation(err, 'star_criteria_code_uq')) throw starErrors.duplicateCode(input.code);
    throw err;
  }
}

export async function updateCriterion(
  database: Database,
  actor: Actor,
  id: number,
  input: TStarCriterionPatch,
) {
  requirePermission(actor, Permission.StarReview);
  requireCityLevel(actor, criterionWhat);
  const { version, ...patch } = input;
  await withTx(database, async (tx) => {
    const before = await repo.findCriterion(tx, id);
    if (!before) throw starErrors.notFound('criterion', id);
    if (!(await repo.updateCriterionRow(tx, id, version, patch)))
      throw starErrors.stale('criterion');
    await writeAudit(tx, actor, {
      action: 'star_criterion.update',
      entityType: 'star_criterion',
      entityId: id,
      before,
      after: patch,
    });
  });
  return presentCriterion((await repo.findCriterion(database.db, id))!);
}

// ---------------------------------------------------------------- households

export async function listHouseholds(
  database: Database,
  actor: Actor,
  q: TListStarHouseholdsQuery,
) {
  const v = starVisibility(actor, Permission.StarRead);
  const year = q.year ?? currentStarYear();
  const { total, rows } = await repo.householdPage(database.db, v, { ...q, year });
  const page = pageOf(
    rows.map((x) => ({ ...x, id: x.h.id })),
    q.limit,
    (x) => x.id,
  );
  return {
    items: page.items.map((x) => presentHousehold(x.h, x.r, false)),
    nextCursor: page.nextCursor,
    total,
  };
}

/** One household with its rating of the year; the phone in full for those who rate it. */
export async function getHousehold(
  database: Database,
  actor: Actor,
  id: number,
  year = currentStarYear(),
) {
  const v = starVisibility(actor, Permission.StarRead);
  const h = await repo.findHousehold(database.db, id, v);
  if (!h) throw starErrors.notFound('household', id);
  const rating = await repo.namedRatingOfYear(database.db, id, year);
  // The phone in full for those who visit and call the household (grid workers, the office).
  return presentHousehold(h, rating ?? null, actorHas(actor, Permission.StarPropose));
}

/**
 * The grid a household is placed in, for this actor: a grid worker only in grids they are a
 * member of, a district/street/community office only in its subtree (403 otherwise).
 */
async function placeIn(tx: DbOrTx, actor: Actor, v: repo.StarVisibility, gridId: number) {
  const grid = await repo.gridPlace(tx, gridId);
  if (!grid) throw starErrors.notFound('grid', gridId);
  if (v.kind === 'grids' && !(await repo.isGridMember(tx, gridId, v.userId))) {
    throw starErrors.notOwnGrid();
  }
  if (v.kind === 'region') await requireRegionWithin(tx, actor, grid.regionId);
  if (!grid.active) throw starErrors.gridInactive();
  return grid;
}

function checkCoordinates(v: { lat?: number | null; lng?: number | null }) {
  if ((v.lat == null) !== (v.lng == null)) throw starErrors.coordinatesPaired();
}

async function uniqueAddress<T>(address: () => string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err, 'star_households_grid_address_uq')) {
      throw starErrors.duplicateAddress(address());
    }
    throw err;
  }
}

export async function createHousehold(
  database: Database,
  actor: Actor,
  input: TStarHouseholdInput,
) {
  const v = starVisibility(actor, Permission.StarPropose);
  checkCoordinates(input);
  const id = await uniqueAddress(
    () => input.address,
    () =>
      withTx(database, async (tx) => {
        const grid = await placeIn(tx, actor, v, input.gridId);
        const values: repo.HouseholdInsert = {
          gridId: grid.id,
          regionId: grid.regionId,
          headName: input.headName,
          address: input.address,
          building: input.building || null,
          phone: input.phone ?? null,
          lat: input.lat ?? null,
          lng: input.lng ?? null,
          createdBy: actor.id,
        };
        const id = await repo.insertHousehold(tx, values);
        await writeAudit(tx, actor, {
          action: 'star_household.create',
          entityType: 'star_household',
          entityId: id,
          after: { ...values, phone: values.phone ? '***' : null },
        });
        return id;
      }),
  );
  return getHousehold(database, actor, id);
}

export async function updateHousehold(
  database: Database,
  actor: Actor,
  id: number,
  input: TStarHouseholdPatch,
) {
  const v = starVisibility(actor, Permission.StarPropose);
  const { version, ...patch } = input;
  const set = Object.fromEntries(
    Object.entries(patch).filter(([, x]) => x !== undefined),
  ) as Partial<repo.HouseholdInsert>;
  let address = '';
  await uniqueAddress(
    () => address,
    () =>
      withTx(database, async (tx) => {
        const before = await repo.findHousehold(tx, id, v);
        if (!before) throw starErrors.notFound('household', id);
        address = patch.address ?? before.address;
        checkCoordinates({
          lat: patch.lat === undefined ? before.lat : patch.lat,
          lng: patch.lng === undefined ? before.lng : patch.lng,
        });
        if (patch.gridId !== undefined && patch.gridId !== before.gridId) {
          set.regionId = (await placeIn(tx, actor, v, patch.gridId)).regionId;
        }
        if (set.building === '') set.building = null;
        if (!(await repo.updateHouseholdRow(tx, id, version, set))) {
          throw starErrors.stale('household');
        }
        const mask = (p: string | null | undefined) => (p ? '***' : p);
        await writeAudit(tx, actor, {
          action: 'star_household.update',
          entityType: 'star_household',
          entityId: id,
          before: { ...before, phone: mask(before.phone) },
          after: { ...set, ...(set.phone !== undefined ? { phone: mask(set.phone) } : {}) },
        });
      }),
  );
  return getHousehold(database, actor, id);
}

// ---------------------------------------------------------------- ratings

async function requireActiveStars(tx: DbOrTx, codes: string[]) {
  const active = new Set((await repo.listCriteria(tx)).filter((c) => c.active).map((c) => c.code));
  const unknown = codes.filter((c) => !active.has(c));
  if (unknown.length) throw starErrors.unknownStars(unknown);
}

/**
 * Proposes a household's stars of a year (or proposes them again after a return). A retried send
 * from the phone (same client id) returns the proposal it made; an approved rating is final.
 */
export async function proposeRating(
  database: Database,
  actor: Actor,
  householdId: number,
  input: TProposeStarRating,
) {
  const v = starVisibility(actor, Permission.StarPropose);
  if (input.year > currentStarYear()) throw starErrors.futureYear();
  if (input.clientId) {
    const sent = await repo.ratingByClientId(database.db, input.clientId);
    if (sent) {
      if (
        sent.householdId !== householdId ||
        !(await repo.findHousehold(database.db, householdId, v))
      )
        throw starErrors.notFound('household', householdId);
      return getHousehold(database, actor, householdId, sent.year);
    }
  }
  try {
    await withTx(database, async (tx) => {
      const h = await repo.findHousehold(tx, householdId, v);
      if (!h) throw starErrors.notFound('household', householdId);
      if (!h.active) throw starErrors.householdInactive();
      await requireActiveStars(tx, input.stars);
      const existing = await repo.ratingOfYear(tx, householdId, input.year);
      const values = {
        status: 'proposed' as const,
        stars: input.stars,
        starCount: input.stars.length,
        note: input.note || null,
        proposedBy: actor.id,
        proposedAt: new Date(),
        reviewedBy: null,
        reviewedAt: null,
        returnReason: null,
        clientId: input.clientId ?? null,
      };
      let ratingId: number;
      if (existing) {
        if (existing.status === 'approved') throw starErrors.approved();
        if (input.version !== undefined && input.version !== existing.version) {
          throw starErrors.stale('rating');
        }
        if (!(await repo.updateRatingRow(tx, existing.id, existing.version, values))) {
          throw starErrors.stale('rating');
        }
        ratingId = existing.id;
      } else {
        ratingId = await repo.insertRating(tx, { ...values, householdId, year: input.year });
      }
      await writeAudit(tx, actor, {
        action: 'star_rating.propose',
        entityType: 'star_rating',
        entityId: ratingId,
        before: existing
          ? { status: existing.status, stars: existing.stars, returnReason: existing.returnReason }
          : null,
        after: { householdId, year: input.year, stars: input.stars, note: values.note },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err, 'star_ratings_household_year_uq'))
      throw starErrors.duplicateRating();
    if (input.clientId && isUniqueViolation(err, 'star_ratings_client_uq')) {
      return getHousehold(database, actor, householdId, input.year);
    }
    throw err;
  }
  return getHousehold(database, actor, householdId, input.year);
}

/** A rating and its household as the actor sees them with `permission` (404 otherwise). */
async function visibleRating(tx: DbOrTx, actor: Actor, permission: Permission, id: number) {
  const v = starVisibility(actor, permission);
  const rating = await repo.findRating(tx, id);
  const household = rating && (await repo.findHousehold(tx, rating.householdId, v));
  if (!rating || !household) throw starErrors.notFound('rating', id);
  return { rating, household };
}

/** Approves a proposal (it goes on the community's board) or returns it with a reason. */
export async function reviewRating(
  database: Database,
  actor: Actor,
  id: number,
  input: TReviewStarRating,
) {
  requirePermission(actor, Permission.StarReview);
  await withTx(database, async (tx) => {
    const { rating, household } = await visibleRating(tx, actor, Permission.StarReview, id);
    if (rating.status !== 'proposed') throw starErrors.notProposed();
    if (actor.id !== null && rating.proposedBy === actor.id) throw starErrors.ownProposal();
    const status = input.decision === 'approve' ? 'approved' : 'returned';
    if (status === 'returned' && !input.reason) throw starErrors.reasonRequired();
    const ok = await repo.updateRatingRow(tx, id, input.version, {
      status,
      reviewedBy: actor.id,
      reviewedAt: new Date(),
      returnReason: status === 'returned' ? input.reason! : null,
    });
    if (!ok) throw starErrors.stale('rating');
    // 文明积分: an approved rating earns the household (its number's account) points per star.
    if (status === 'approved') {
      await grantFor(tx, {
        kind: 'star_rating',
        sourceId: id,
        phone: household.phone,
        quantity: rating.starCount,
        name: household.headName,
        note: `${rating.year} 年度星级文明户：${rating.starCount} 颗星`,
        actor,
      });
    }
    await writeAudit(tx, actor, {
      action: 'star_rating.status',
      entityType: 'star_rating',
      entityId: id,
      before: { status: rating.status },
      after: {
        status,
        label: STAR_RATING_STATUS_LABELS[status].zh,
        starCount: rating.starCount,
        tenStar: status === 'approved' && rating.starCount >= TEN_STARS,
        ...(input.reason ? { reason: input.reason } : {}),
      },
    });
  });
  return presentRating((await repo.findRating(database.db, id))!);
}

/**
 * Registers an approved 十星级文明户 in the honours registry as a 文明家庭 (county or city level),
 * in the same transaction as the rating's link to it. The registry's own rules apply: a district
 * office places the title in its subtree, and a holder holds a title of a year once (409).
 */
export async function registerHonour(
  database: Database,
  actor: Actor,
  id: number,
  input: TRegisterStarHonour,
) {
  requirePermission(actor, Permission.StarReview);
  requirePermission(actor, Permission.UnitWrite);
  const level = input.level;
  let key: { holderName: string; title: string; yearConferred: number } | undefined;
  try {
    await withTx(database, async (tx) => {
      const { rating, household: h } = await visibleRating(tx, actor, Permission.StarReview, id);
      if (rating.status !== 'approved' || rating.starCount < TEN_STARS) {
        throw starErrors.notTenStar();
      }
      if (rating.honourId !== null) throw starErrors.alreadyRegistered();
      const values = {
        cellType: 'family' as const,
        holderName: `${h.headName}家庭（${h.regionName}）`,
        unitId: null,
        regionId: h.regionId,
        title: defaultHonourTitle('family', level),
        level,
        yearConferred: rating.year,
        termYears: 3,
        status: 'listed' as const,
        lat: h.lat,
        lng: h.lng,
        remarks: `${rating.year} 年度十星级文明户`,
        officeRegionId: officeRegionOf(actor),
      };
      key = values;
      const honourId = await insertHonourIn(tx, actor, values);
      if (!(await repo.updateRatingRow(tx, id, input.version, { honourId }))) {
        throw starErrors.stale('rating');
      }
      await writeAudit(tx, actor, {
        action: 'star_rating.honour',
        entityType: 'star_rating',
        entityId: id,
        before: { honourId: null },
        after: { honourId, level, title: values.title },
      });
    });
  } catch (err) {
    if (key && isDuplicateHonour(err)) throw duplicateHonour(key);
    throw err;
  }
  return presentRating((await repo.findRating(database.db, id))!);
}

// ---------------------------------------------------------------- coverage and the board

export async function coverage(
  database: Database,
  actor: Actor,
  q: { year?: number | undefined; regionId?: number | undefined },
) {
  const v = starVisibility(actor, Permission.StarRead);
  const year = q.year ?? currentStarYear();
  const rows = await repo.coverage(database.db, v, year, q.regionId, TEN_STARS);
  return {
    year,
    items: rows.map((r) => ({
      ...r,
      rate: r.households ? Math.round((r.rated / r.households) * 1000) / 1000 : 0,
    })),
  };
}

/** The public board of a community: its approved ratings of the year, most stars first. */
export async function publicBoard(
  database: Database,
  q: { regionId: number; year?: number | undefined },
) {
  const name = await repo.regionName(database.db, q.regionId);
  if (name === undefined) throw starErrors.notFound('region', q.regionId);
  const year = q.year ?? currentStarYear();
  const criteria = new Map((await repo.listCriteria(database.db)).map((c) => [c.code, c]));
  const rows = await repo.boardRows(database.db, q.regionId, year);
  return {
    regionId: q.regionId,
    regionName: name,
    year,
    items: rows.map((r) => presentBoardEntry(r, criteria)),
  };
}

/** The communities whose board has households of the year. */
export async function publicCommunities(database: Database, q: { year?: number | undefined }) {
  const year = q.year ?? currentStarYear();
  return { year, items: await repo.boardCommunities(database.db, year, TEN_STARS) };
}
