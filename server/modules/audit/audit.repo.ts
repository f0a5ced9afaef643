import { and, desc, eq, gte, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { TListAuditQuery } from '../../../core/contracts/audit.js';
import type { DbOrTx } from '../../db/client.js';
import { auditLog } from '../../db/schema/index.js';
import { likePattern } from '../../platform/pagination.js';

export type AuditRow = typeof auditLog.$inferSelect;

/** Audit records matching the filters, newest first, `limit + 1` rows (the extra one tells there is more). */
export async function listAuditRows(db: DbOrTx, q: TListAuditQuery): Promise<AuditRow[]> {
  const conds: SQL[] = [];
  if (q.actorId) conds.push(eq(auditLog.actorId, q.actorId));
  if (q.action) conds.push(sql`${auditLog.action} like ${likePattern(q.action).slice(1)}`);
  if (q.entityType) conds.push(eq(auditLog.entityType, q.entityType));
  if (q.entityId) conds.push(eq(auditLog.entityId, q.entityId));
  if (q.from) conds.push(gte(auditLog.at, new Date(q.from)));
  if (q.to) conds.push(lte(auditLog.at, new Date(q.to)));
  if (q.cursor) conds.push(lt(auditLog.id, Number(q.cursor)));
  return db
    .select()
    .from(auditLog)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(q.limit + 1);
}

/**
 * The history of one record, newest first (at most `limit`): its own records (entity type and
 * id), and those of bulk writes of its type that name it in a list of `after` — an import's
 * `{ statusChanges: [{ id, … }] }` (`listedIn: { action: 'x.import', key: 'statusChanges' }`).
 */
export async function entityAuditRows(
  db: DbOrTx,
  entity: { type: string; id: number | string },
  opts: { limit: number; listedIn?: { action: string; key: string } },
): Promise<AuditRow[]> {
  const own = and(eq(auditLog.entityType, entity.type), eq(auditLog.entityId, String(entity.id)))!;
  const listed = opts.listedIn
    ? and(
        eq(auditLog.entityType, entity.type),
        eq(auditLog.action, opts.listedIn.action),
        sql`${auditLog.after} -> ${opts.listedIn.key} @> ${JSON.stringify([{ id: Number(entity.id) }])}::jsonb`,
      )
    : undefined;
  return db
    .select()
    .from(auditLog)
    .where(listed ? or(own, listed) : own)
    .orderBy(desc(auditLog.id))
    .limit(opts.limit);
}
