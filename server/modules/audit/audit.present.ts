import type { TAuditRecord } from '../../../core/contracts/audit.js';
import type { AuditRow } from './audit.repo.js';

export function presentAuditRecord(r: AuditRow): TAuditRecord {
  return { ...r, at: r.at.toISOString(), before: r.before ?? null, after: r.after ?? null };
}

/** Splits an over-fetched page (limit + 1 rows, newest first) into records and the next id cursor. */
export function presentAuditPage(
  rows: AuditRow[],
  limit: number,
): { items: TAuditRecord[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  return {
    items: items.map(presentAuditRecord),
    nextCursor: rows.length > limit ? String(items[items.length - 1]!.id) : null,
  };
}
