import type { TAdCampaign, TCarrier, TCarrierRule } from '../../../core/contracts/ad-carriers.js';
import { shanghaiDate } from '../../../core/calendar/working-days.js';
import type { CampaignRow, CarrierRow, RuleRow } from './ad-carriers.repo.js';

export function presentCarrier(c: CarrierRow): TCarrier {
  return {
    id: c.id,
    code: c.code,
    kind: c.kind,
    widthCm: c.widthCm,
    heightCm: c.heightCm,
    lat: c.lat,
    lng: c.lng,
    address: c.address,
    pointId: c.pointId,
    pointName: c.pointName,
    gridId: c.gridId,
    gridName: c.gridName,
    regionId: c.regionId,
    regionName: c.regionName,
    unitId: c.unitId,
    unitName: c.unitName,
    theme: c.theme,
    designTitle: c.designTitle,
    photoId: c.photoId,
    photoTakenAt: c.photoTakenAt?.toISOString() ?? null,
    state: c.state,
    fixed: c.fixed,
    cluster: c.cluster,
    problemId: c.problemId,
    problemCode: c.problemCode,
    problemState: c.problemState,
    remarks: c.remarks,
    version: c.version,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

export function presentRule(r: RuleRow): TCarrierRule {
  return {
    id: r.id,
    pointTypeId: r.pointTypeId,
    pointTypeName: r.pointTypeName,
    minCount: r.minCount,
    themeMins: (r.themeMins ?? []) as TCarrierRule['themeMins'],
    minWidthCm: r.minWidthCm,
    minHeightCm: r.minHeightCm,
    fixedOnly: r.fixedOnly,
    perLengthCount: r.perLengthCount,
    perLengthM: r.perLengthM,
    minHoardingPct: r.minHoardingPct,
    basis: r.basis,
    version: r.version,
  };
}

export function presentCampaign(c: CampaignRow, now = new Date()): TAdCampaign {
  const total = Number(c.total);
  const done = Number(c.done);
  return {
    id: c.id,
    name: c.name,
    theme: c.theme,
    designTitle: c.designTitle,
    deadline: c.deadline,
    ownerRegionId: c.ownerRegionId,
    total,
    done,
    percent: total ? Math.round((done / total) * 1000) / 10 : 0,
    overdue: done < total && shanghaiDate(now) > c.deadline,
    createdAt: c.createdAt.toISOString(),
  };
}
