import type { TListAuditQuery } from '../../../core/contracts/audit.js';
import { Permission } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { parseCheckpoint, verifyAuditChain } from '../../platform/audit.js';
import { presentAuditPage } from './audit.present.js';
import { listAuditRows } from './audit.repo.js';

// The audit module only reads: sealing is the sealing job's (server/main.ts), never a reader's.
// The chain itself (writing, sealing, verifying) is server/platform/audit.ts.

/** The audit log, newest first (administrators). */
export async function listAudit(database: Database, actor: Actor, q: TListAuditQuery) {
  requirePermission(actor, Permission.AuditRead);
  // Records of the last second may show no chain position yet (the sealing job gives it).
  return presentAuditPage(await listAuditRows(database.db, q), q.limit);
}

/** Checks the hash chain against its signed checkpoints and, when given, one kept from the log. */
export async function verifyAudit(
  database: Database,
  actor: Actor,
  checkpoint: string | undefined,
) {
  requirePermission(actor, Permission.AuditRead);
  const kept = checkpoint ? parseCheckpoint(checkpoint) : null;
  return verifyAuditChain(database, { kept: kept ? [kept] : [] });
}
