import type { THonour } from '../../../core/contracts/honours.js';
import type { HonourRow } from './honours.repo.js';

/** A holder of a civilized title, with the names of its unit, place and managing office. */
export function presentHonour(h: HonourRow): THonour {
  return {
    id: h.id,
    cellType: h.cellType,
    holderName: h.holderName,
    unitId: h.unitId,
    unitName: h.unitName,
    regionId: h.regionId,
    regionName: h.regionName,
    title: h.title,
    level: h.level,
    yearConferred: h.yearConferred,
    termYears: h.termYears,
    termEndsYear: h.yearConferred + h.termYears - 1,
    status: h.status,
    lat: h.lat,
    lng: h.lng,
    remarks: h.remarks,
    officeRegionId: h.officeRegionId,
    officeRegionName: h.officeRegionName,
    version: h.version,
    createdAt: h.createdAt.toISOString(),
    updatedAt: h.updatedAt.toISOString(),
  };
}
