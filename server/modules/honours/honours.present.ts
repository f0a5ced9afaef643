import {
  HONOUR_STATUSES,
  type TCellsDashboardItem,
  type THonour,
  type THonourHistoryEntry,
  type THonourStatus,
} from '../../../core/contracts/honours.js';
import type { AuditRow } from '../audit/audit.repo.js';
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

/** A title as the dashboard lists it. */
export function presentCellsItem(h: HonourRow): TCellsDashboardItem {
  return {
    id: h.id,
    holderName: h.holderName,
    title: h.title,
    cellType: h.cellType,
    level: h.level,
    status: h.status,
    termEndsYear: h.yearConferred + h.termYears - 1,
    regionName: h.regionName,
  };
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {});
const statusOf = (v: unknown): THonourStatus | null => HONOUR_STATUSES.find((s) => s === v) ?? null;
const textOf = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/**
 * One audit record of holder `id` as a step of its history; null for an edit that changed
 * nothing but the status (its `honour.status` record tells that, with the reason).
 */
export function presentHistoryEntry(r: AuditRow, id: number): THonourHistoryEntry | null {
  const before = obj(r.before);
  const after = obj(r.after);
  const entry: THonourHistoryEntry = {
    id: r.id,
    at: r.at.toISOString(),
    actorName: r.actorName,
    action: r.action,
    kind: 'other',
    statusFrom: null,
    statusTo: null,
    reason: null,
    changed: [],
    file: null,
  };
  switch (r.action) {
    case 'honour.create':
      return { ...entry, kind: 'create', statusTo: statusOf(after.status) };
    case 'honour.update': {
      const changed = Object.keys(after).filter(
        (k) => k !== 'status' && JSON.stringify(after[k]) !== JSON.stringify(before[k] ?? null),
      );
      return changed.length ? { ...entry, kind: 'update', changed } : null;
    }
    case 'honour.status':
      return {
        ...entry,
        kind: 'status',
        statusFrom: statusOf(before.status),
        statusTo: statusOf(after.status),
        reason: textOf(after.reason),
      };
    case 'honour.import': {
      const changes = Array.isArray(after.statusChanges) ? after.statusChanges.map(obj) : [];
      const mine = changes.find((c) => c.id === id);
      return {
        ...entry,
        kind: 'import',
        statusFrom: statusOf(mine?.from),
        statusTo: statusOf(mine?.to),
        file: textOf(after.file),
      };
    }
    default:
      // A record another part of 文明细胞 writes (复审, 摘牌…): shown by its action and reason.
      return {
        ...entry,
        statusFrom: statusOf(before.status),
        statusTo: statusOf(after.status),
        reason: textOf(after.reason),
      };
  }
}
