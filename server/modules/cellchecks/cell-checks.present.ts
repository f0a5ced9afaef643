import type {
  TCheck,
  TCheckList,
  THit,
  TNegativeList,
  TReview,
} from '../../../core/contracts/cell-checks.js';
import { severeRuleText } from '../../../core/cells/dynamic.js';
import type {
  CheckListRow,
  CheckRow,
  HitRow,
  NegativeListRow,
  ReviewRow,
} from './cell-checks.repo.js';

export function presentCheckList(r: CheckListRow): TCheckList {
  return {
    id: r.id,
    cellType: r.cellType,
    name: r.name,
    frequency: r.frequency,
    standards: r.standards,
    totalPoints: r.standards.reduce((s, x) => s + x.points, 0),
    active: r.active,
    version: r.version,
  };
}

export function presentNegativeList(r: NegativeListRow): TNegativeList {
  return {
    id: r.id,
    cellType: r.cellType,
    name: r.name,
    items: r.items,
    severeAction: r.severeAction,
    severeWindowMonths: r.severeWindowMonths,
    severeThreshold: r.severeThreshold,
    rectifyMonths: r.rectifyMonths,
    rule: severeRuleText(r),
    version: r.version,
  };
}

export function presentCheck(r: CheckRow): TCheck {
  return {
    id: r.id,
    honourId: r.honourId,
    holderName: r.holderName,
    listId: r.listId,
    listName: r.listName,
    period: r.period,
    checkedOn: r.checkedOn,
    results: r.results,
    passed: r.results.filter((x) => x.pass).length,
    score: r.score,
    note: r.note,
    createdAt: r.createdAt.toISOString(),
  };
}

export function presentHit(r: HitRow): THit {
  return {
    id: r.id,
    honourId: r.honourId,
    holderName: r.holderName,
    itemCode: r.itemCode,
    itemText: r.itemText,
    points: r.points,
    severe: r.severe,
    hitOn: r.hitOn,
    note: r.note,
    problemId: r.problemId,
    action: r.action,
    rectifyUntil: r.rectifyUntil,
    createdAt: r.createdAt.toISOString(),
  };
}

export function presentReview(r: ReviewRow): TReview {
  return {
    id: r.id,
    cellType: r.cellType,
    year: r.year,
    name: r.name,
    scope: r.scope,
    filingDeadline: r.filingDeadline,
    renewalCapPct: r.renewalCapPct,
    officeRegionId: r.officeRegionId,
    officeRegionName: r.officeRegionName,
    status: r.status,
    closedAt: r.closedAt ? r.closedAt.toISOString() : null,
    holderCount: r.holderCount,
    filedCount: r.filedCount,
    version: r.version,
  };
}
