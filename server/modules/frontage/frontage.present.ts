import type { TFrontageDuty } from '../../../core/contracts/frontage.js';
import type { TZoneGeometry } from '../../../core/geo/zones.js';
import type { DutyRow, ZoneProblemRow } from './frontage.repo.js';

const round1 = (m: number) => Math.round(m * 10) / 10;

/** A duty holder; the contact phone as the service decided the reader may see it. */
export function presentDuty(
  d: DutyRow,
  recent: number,
  contactPhone: string | null,
): TFrontageDuty {
  return {
    id: d.id,
    code: d.code,
    holderName: d.holderName,
    holderType: d.holderType,
    unitId: d.unitId,
    regionId: d.regionId,
    regionName: d.regionName,
    address: d.address,
    contactName: d.contactName,
    contactPhone,
    duties: d.duties,
    zone: d.zone as TZoneGeometry,
    bufferM: d.bufferM,
    agreementFileId: d.agreementFileId,
    agreementSignedOn: d.agreementSignedOn,
    plaqueStatus: d.plaqueStatus,
    active: d.active,
    version: d.version,
    recentProblems: recent,
  };
}

/** A holder whose zone contains a point, with the distance to its zone (metres, 0.1 m). */
export function presentHolder(
  d: DutyRow,
  distanceM: number,
  recent: number,
  contactPhone: string | null,
) {
  return {
    id: d.id,
    code: d.code,
    holderName: d.holderName,
    contactPhone,
    distanceM: round1(distanceM),
    recentProblems: recent,
  };
}

export function presentZoneProblem(p: ZoneProblemRow, distanceM: number) {
  return {
    id: p.id,
    code: p.code,
    title: p.title,
    state: p.state,
    createdAt: p.createdAt.toISOString(),
    distanceM: round1(distanceM),
  };
}
