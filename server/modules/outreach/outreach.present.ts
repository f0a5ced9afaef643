import type { TOutreachPairing, TVisit } from '../../../core/contracts/outreach.js';
import type { PairingListRow, VisitRow } from './outreach.repo.js';

export function presentPairing(r: PairingListRow): TOutreachPairing {
  return {
    id: r.id,
    unitId: r.unit_id,
    unitName: r.unit_name,
    regionId: r.region_id,
    regionName: r.region_name,
    building: r.building,
    leaderId: r.leader_id,
    targetHouseholds: r.target_households,
    visitedHouseholds: r.visited,
    coverage: Math.min(1, r.visited / r.target_households),
    active: r.active,
    version: r.version,
  };
}

export function presentVisit(r: VisitRow): TVisit {
  return {
    id: r.v.id,
    clientId: r.v.clientId,
    pairingId: r.v.pairingId,
    visitorId: r.v.visitorId,
    visitorName: r.visitorName,
    visitorUnitName: r.unitName,
    regionId: r.v.regionId,
    building: r.v.building,
    household: r.v.household,
    visitedAt: r.v.visitedAt.toISOString(),
    publicity: r.v.publicity,
    concern: r.v.concern,
    problemId: r.v.problemId,
    problemCode: r.problemCode,
  };
}
