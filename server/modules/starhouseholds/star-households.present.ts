import {
  TEN_STARS,
  publicHouseholdName,
  type TStarBoardEntry,
  type TStarCriterion,
  type TStarHousehold,
  type TStarRating,
} from '../../../core/contracts/star-households.js';
import type { CriterionRow, HouseholdRow, RatingRow, boardRows } from './star-households.repo.js';

/** 13812345678 → 138****5678 (lists show no phone in full). */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return null;
  return phone.length > 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

export function presentCriterion(c: CriterionRow): TStarCriterion {
  return {
    id: c.id,
    code: c.code,
    name: c.name,
    nameEn: c.nameEn,
    description: c.description,
    sortOrder: c.sortOrder,
    active: c.active,
    version: c.version,
  };
}

export function presentRating(r: RatingRow): TStarRating {
  return {
    id: r.id,
    householdId: r.householdId,
    year: r.year,
    status: r.status,
    stars: r.stars,
    starCount: r.starCount,
    tenStar: r.status === 'approved' && r.starCount >= TEN_STARS,
    note: r.note,
    proposedById: r.proposedBy,
    proposedByName: r.proposedByName,
    proposedAt: r.proposedAt.toISOString(),
    reviewedByName: r.reviewedByName,
    reviewedAt: r.reviewedAt?.toISOString() ?? null,
    returnReason: r.returnReason,
    honourId: r.honourId,
    version: r.version,
  };
}

/** A household; `fullPhone` only on its own page for those who may call it. */
export function presentHousehold(
  h: HouseholdRow,
  r: RatingRow | null,
  fullPhone: boolean,
): TStarHousehold {
  return {
    id: h.id,
    gridId: h.gridId,
    gridName: h.gridName,
    regionId: h.regionId,
    regionName: h.regionName,
    headName: h.headName,
    address: h.address,
    building: h.building,
    phone: fullPhone ? h.phone : maskPhone(h.phone),
    lat: h.lat,
    lng: h.lng,
    active: h.active,
    version: h.version,
    rating: r ? presentRating(r) : null,
  };
}

/**
 * A line of the public board: the surname only (张**户), the building-level place the office
 * recorded for the public, the grid and the stars — no phone, address, position or household id.
 */
export function presentBoardEntry(
  row: Awaited<ReturnType<typeof boardRows>>[number],
  criteria: Map<string, CriterionRow>,
): TStarBoardEntry {
  return {
    id: row.id,
    household: publicHouseholdName(row.headName),
    building: row.building,
    gridName: row.gridName,
    starCount: row.starCount,
    stars: row.stars.map((code) => {
      const c = criteria.get(code);
      return { code, name: c?.name ?? code, nameEn: c?.nameEn ?? code };
    }),
    tenStar: row.starCount >= TEN_STARS,
  };
}
