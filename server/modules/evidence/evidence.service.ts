import type { z } from 'zod';
import type {
  TDossier,
  TEvidenceRow,
  TEvidenceSummary,
  ZEvidenceListQuerySchema,
  ZEvidenceRulesSchema,
} from '../../../core/contracts/evidence.js';
import { evidenceWindow, tallyEvidence } from '../../../core/frameworks/evidence.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx } from '../../db/client.js';
import {
  actorPermissions,
  actorScope,
  requirePermission,
  type Actor,
} from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { withTx } from '../../platform/tx.js';
import { groupFilter } from '../groups/groups.service.js';
import { complianceOf } from '../indicators/indicators.service.js';
import {
  context,
  editable,
  isOffice,
  leads,
  stale,
  standardFor,
  worksOn,
} from './evidence-access.js';
import { presentDossier, presentRow as rowOf } from './evidence.present.js';
import * as repo from './evidence.repo.js';

// 档案资料: the material standards with their dossiers, one dossier, the campaign's rules.
// Writes to a dossier are in dossiers.service.ts.

/** The material standards of a framework and cycle year, with their dossiers' state. */
export async function listEvidence(
  database: Database,
  actor: Actor,
  q: z.infer<typeof ZEvidenceListQuerySchema>,
): Promise<TEvidenceRow[]> {
  const { standards, rules } = await context(database.db, actor, q.frameworkId);
  const dossiers = await repo.dossiersOf(database.db, q.frameworkId, q.year);
  const compliance = await complianceOf(database.db, q.frameworkId);
  let rows = standards.map((s) => rowOf(s, dossiers.get(s.key), rules, compliance.get(s.key)));
  if (q.state) rows = rows.filter((r) => r.state === q.state);
  if (q.unitId) rows = rows.filter((r) => r.units.some((u) => u.id === q.unitId));
  if (q.itemKey) rows = rows.filter((r) => r.itemKey === q.itemKey);
  if (q.groupId) {
    const owned = await groupFilter(database.db, q.groupId);
    rows = rows.filter((r) => owned.has(`${q.frameworkId}:${r.standardKey}`));
  }
  // The review queue reads oldest submission first.
  if (q.state === 'submitted')
    rows.sort((a, b) => (a.submittedAt ?? '').localeCompare(b.submittedAt ?? ''));
  return rows;
}

/** Completeness and projected material score, in total, per 测评项目 and per lead unit. */
export async function evidenceSummary(
  database: Database,
  actor: Actor,
  frameworkId: number,
  year: number,
  groupId?: number,
): Promise<TEvidenceSummary> {
  const ctx = await context(database.db, actor, frameworkId);
  const { rules } = ctx;
  let standards = ctx.standards;
  if (groupId) {
    const owned = await groupFilter(database.db, groupId);
    standards = standards.filter((s) => owned.has(`${frameworkId}:${s.key}`));
  }
  const dossiers = await repo.dossiersOf(database.db, frameworkId, year);
  const compliance = await complianceOf(database.db, frameworkId);
  const rows = standards.map((s) => ({
    s,
    r: rowOf(s, dossiers.get(s.key), rules, compliance.get(s.key)),
  }));
  const { total, byItem, byUnit } = tallyEvidence(
    rules,
    rows.map(({ s, r }) => ({
      key: s.key,
      itemKey: s.itemKey,
      maxScore: s.maxScore,
      state: r.state,
      grade: r.grade,
      unitIds: s.leadUnitIds,
      compliance: compliance.get(s.key),
    })),
  );
  const items = [...byItem.entries()].map(([key, t]) => {
    const s = standards.find((x) => x.itemKey === key)!;
    return { ...t, key, code: s.itemCode, text: s.itemText };
  });
  const unitNames = new Map(standards.flatMap((s) => s.units.map((u) => [u.id, u.name] as const)));
  const unitsOut = [...byUnit.entries()]
    .map(([unitId, t]) => ({
      ...t,
      unitId,
      name: unitId === null ? '未分解 / unassigned' : (unitNames.get(unitId) ?? String(unitId)),
    }))
    .sort((a, b) => a.projectedScore / (a.maxScore || 1) - b.projectedScore / (b.maxScore || 1));
  return { total, items, units: unitsOut, window: evidenceWindow(rules, year) };
}

/**
 * Whether the actor may read an evidence file, by the rule of {@link context}: the office and
 * leaders at the city any dossier's; a unit those of the standards it gives files to or works on;
 * an office or leader below the city those its subtree's units (or the unit it heads) give files
 * to or work on — never, because it is a leader, another district's. Null when the file belongs to
 * no dossier. Removed files stay readable to the same people (the timeline names them).
 */
export async function mayReadEvidenceFile(
  db: DbOrTx,
  actor: Actor,
  fileId: string,
): Promise<boolean | null> {
  if (!(await repo.isEvidenceFile(db, fileId))) return null;
  if (!actorPermissions(actor).has(Permission.AssignmentRead)) return false;
  if (isOffice(actor)) return true;
  const scope = actorScope(actor);
  if (scope.kind === 'region') return repo.scopeMayReadEvidenceFile(db, fileId, scope);
  if (actor.unitId !== null) {
    return repo.scopeMayReadEvidenceFile(db, fileId, { kind: 'unit', unitId: actor.unitId });
  }
  return scope.kind === 'all' && actor.roles.includes('leader');
}

/** One dossier with its files, timeline, window and what the actor may do. */
export async function getDossier(
  database: Database,
  actor: Actor,
  frameworkId: number,
  year: number,
  key: string,
): Promise<TDossier> {
  const db = database.db;
  const { standard, rules } = await standardFor(db, actor, frameworkId, key);
  const d = await repo.findDossier(db, frameworkId, year, key);
  const fileRows = d ? await repo.dossierFiles(db, d.id) : [];
  const events = d ? await repo.dossierEvents(db, d.id) : [];
  const compliance = (await complianceOf(db, frameworkId)).get(key);
  const row = rowOf(standard, d ? { ...d, files: fileRows.length } : undefined, rules, compliance);
  const office = isOffice(actor);
  const worksOnIt = worksOn(actor, standard);
  const leadsIt = leads(actor, standard);
  return presentDossier(
    { frameworkId, year },
    row,
    d,
    fileRows,
    events,
    evidenceWindow(rules, year),
    {
      upload: editable(row) && (worksOnIt || office),
      submit: editable(row) && row.files > 0 && (leadsIt || office),
      review: office && (row.state === 'submitted' || row.state === 'approved'),
      poster: office || (editable(row) && worksOnIt),
    },
  );
}

export async function getEvidenceSettings(database: Database, actor: Actor, campaignId: number) {
  requirePermission(actor, Permission.FrameworkRead);
  const { rules, version } = await repo.rulesOf(database.db, campaignId);
  return { campaignId, rules, version };
}

export async function putEvidenceSettings(
  database: Database,
  actor: Actor,
  campaignId: number,
  input: { rules: z.infer<typeof ZEvidenceRulesSchema>; version: number },
) {
  requirePermission(actor, Permission.FrameworkWrite);
  return withTx(database, async (tx) => {
    const before = await repo.rulesOf(tx, campaignId);
    if (before.version !== input.version) throw stale();
    const version = before.version + 1;
    await repo.upsertRules(tx, campaignId, { rules: input.rules, version, updatedBy: actor.id });
    await writeAudit(tx, actor, {
      action: 'evidence.settings',
      entityType: 'campaign',
      entityId: String(campaignId),
      before: before.rules,
      after: input.rules,
    });
    return { campaignId, rules: input.rules, version };
  });
}
