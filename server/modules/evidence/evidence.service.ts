import { and, eq, isNull, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type {
  TDossier,
  TEvidenceRow,
  TEvidenceSummary,
  ZEvidenceListQuerySchema,
  ZEvidenceRulesSchema,
  ZReviewDossierSchema,
} from '../../../core/contracts/evidence.js';
import {
  earnedScore,
  evidenceWindow,
  inWindow,
  tallyEvidence,
  type TDossierState,
  type TEvidenceRules,
} from '../../../core/frameworks/evidence.js';
import { Permission, permissionsOf } from '../../../core/permissions.js';
import type { Database, DbOrTx } from '../../db/client.js';
import {
  evidenceDossiers,
  evidenceEvents,
  evidenceFiles,
  evidenceSettings,
} from '../../db/schema/index.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import type { FileStorage } from '../../platform/storage.js';
import { withTx } from '../../platform/tx.js';
import { uploadDocument } from '../files/documents.js';
import { groupFilter } from '../groups/groups.service.js';
import { complianceOf } from '../indicators/indicators.service.js';
import * as repo from './evidence.repo.js';

type Tx = Parameters<Parameters<typeof withTx>[1]>[0];

const notFound = (what: string) =>
  new AppError('not_found', 404, { zh: `${what}不存在`, en: `${what} not found` });
const stale = () =>
  new AppError('stale_version', 409, {
    zh: '档案资料已被他人修改，请刷新后重试',
    en: 'this dossier was changed by someone else; reload and try again',
  });
const wrongState = (state: TDossierState, zh: string, en: string) =>
  new AppError('invalid_state', 409, {
    zh: `当前状态（${state}）下不能${zh}`,
    en: `cannot ${en} a dossier that is ${state}`,
  });

function isOffice(actor: Actor): boolean {
  return permissionsOf(actor.roles).has(Permission.FrameworkWrite);
}

/** The framework in force and the material standards the actor may see (a unit: its own). */
async function context(db: DbOrTx, actor: Actor, frameworkId: number) {
  requirePermission(actor, Permission.AssignmentRead);
  const fw = await repo.frameworkInForce(db, frameworkId);
  if (!fw) throw notFound('测评体系 / framework');
  if (fw.versionId === null) {
    throw new AppError('not_published', 409, {
      zh: '该测评体系尚未发布，发布后才能上传档案资料',
      en: 'the framework has no published version yet; materials follow publication',
    });
  }
  const all = await repo.materialStandards(db, fw.versionId);
  const { rules } = await repo.rulesOf(db, fw.campaignId);
  const mine =
    isOffice(actor) || actor.unitId === null
      ? isOffice(actor) || actor.roles.includes('leader')
        ? all
        : []
      : all.filter((s) => s.unitIds.includes(actor.unitId!));
  return { fw, standards: mine, rules };
}

function rowOf(
  s: repo.MaterialStandard,
  d: (repo.DossierRow & { files: number }) | undefined,
  rules: TEvidenceRules,
  compliance: number | undefined,
): TEvidenceRow {
  const state: TDossierState = d ? d.state : 'none';
  const grade = d?.grade ?? null;
  return {
    standardKey: s.key,
    code: s.code,
    text: s.text,
    itemKey: s.itemKey,
    itemText: s.itemText,
    maxScore: s.maxScore,
    evidence: s.evidence,
    units: s.units,
    dossierId: d?.id ?? null,
    state: d && d.files === 0 && state === 'draft' ? 'none' : state,
    grade,
    files: d?.files ?? 0,
    submittedAt: d?.submittedAt?.toISOString() ?? null,
    earned:
      Math.round(earnedScore(rules, s.maxScore, state, grade) * (compliance ?? 1) * 100) / 100,
    compliance: compliance ?? null,
  };
}

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
 * leaders any dossier's, a unit those of the standards it gives files to or works on; null when
 * the file belongs to no dossier. Removed files stay readable to the same people (the timeline
 * names them).
 */
export async function mayReadEvidenceFile(
  db: DbOrTx,
  actor: Actor,
  fileId: string,
): Promise<boolean | null> {
  const [ef] = await db
    .select({ id: evidenceFiles.id })
    .from(evidenceFiles)
    .where(eq(evidenceFiles.fileId, fileId))
    .limit(1);
  if (!ef) return null;
  if (!permissionsOf(actor.roles).has(Permission.AssignmentRead)) return false;
  if (isOffice(actor)) return true;
  if (actor.unitId !== null) return repo.unitMayReadEvidenceFile(db, fileId, actor.unitId);
  return actor.roles.includes('leader');
}

async function standardFor(db: DbOrTx, actor: Actor, frameworkId: number, key: string) {
  const ctx = await context(db, actor, frameworkId);
  const standard = ctx.standards.find((s) => s.key === key);
  // Not a material standard, or not one of the unit's: the same 404.
  if (!standard) throw notFound('测评标准 / standard');
  return { ...ctx, standard };
}

function editable(d: { state: TDossierState }): boolean {
  return d.state === 'none' || d.state === 'draft' || d.state === 'returned';
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
  const worksOnIt = actor.unitId !== null && standard.unitIds.includes(actor.unitId);
  const leads = actor.unitId !== null && standard.leadUnitIds.includes(actor.unitId);
  return {
    frameworkId,
    year,
    standard: row,
    id: d?.id ?? null,
    state: row.state,
    statement: d?.statement ?? '',
    grade: row.grade,
    reviewComment: d?.reviewComment ?? null,
    returnCount: d?.returnCount ?? 0,
    version: d?.version ?? 0,
    files: fileRows.map(({ ef, f, unitName, by }) => ({
      id: ef.id,
      fileId: f.id,
      url: `/api/files/${f.id}`,
      mime: f.mime,
      size: f.size,
      title: ef.title,
      docDate: ef.docDate,
      unitName,
      uploadedBy: by,
      createdAt: ef.createdAt.toISOString(),
    })),
    timeline: events.map((e) => ({
      action: e.action,
      grade: e.grade,
      comment: e.comment,
      actorName: e.actorName,
      at: e.at.toISOString(),
    })),
    window: evidenceWindow(rules, year),
    can: {
      upload: editable(row) && (worksOnIt || office),
      submit: editable(row) && row.files > 0 && (leads || office),
      review: office && (row.state === 'submitted' || row.state === 'approved'),
    },
  };
}

async function event(
  tx: Tx,
  actor: Actor,
  dossierId: number,
  action: (typeof evidenceEvents.$inferInsert)['action'],
  extra: { grade?: string | null; comment?: string | null } = {},
) {
  await tx.insert(evidenceEvents).values({
    dossierId,
    action,
    grade: extra.grade ?? null,
    comment: extra.comment ?? null,
    actorId: actor.id,
    actorName: actor.name,
  });
}

const MAX_FILES = 30;

/** A unit working on the standard (or the office) adds a file, dated within the window. */
export async function addEvidenceFile(
  database: Database,
  storage: FileStorage,
  actor: Actor,
  p: { frameworkId: number; year: number; standardKey: string },
  upload: { data: Buffer; filename: string },
  fields: { docDate: string; title?: string | undefined },
): Promise<TDossier> {
  const { standard, rules } = await standardFor(database.db, actor, p.frameworkId, p.standardKey);
  if (!isOffice(actor) && !(actor.unitId !== null && standard.unitIds.includes(actor.unitId))) {
    throw notFound('测评标准 / standard');
  }
  const w = evidenceWindow(rules, p.year);
  if (!inWindow(w, fields.docDate)) {
    throw new AppError(
      'outside_window',
      400,
      {
        zh: `文件日期 ${fields.docDate} 不在 ${p.year} 年度的材料有效期内（${w.from} 至 ${w.to}，测评日期 ${w.testDate}）`,
        en: `the document's date ${fields.docDate} is outside the ${p.year} evidence window (${w.from} to ${w.to}; test date ${w.testDate})`,
      },
      { fields: [{ path: 'body.docDate', message: `${w.from} – ${w.to}` }] },
    );
  }
  const existing = await repo.findDossier(database.db, p.frameworkId, p.year, p.standardKey);
  if (existing && !editable(existing)) throw wrongState(existing.state, '上传文件', 'add files to');
  // Stored before the transaction (the bytes are checked there); a refused write leaves an
  // unattached file, which only its uploader can see.
  const file = await uploadDocument(database, storage, actor, upload);
  await withTx(database, async (tx) => {
    const d = await repo.ensureDossier(tx, p.frameworkId, p.year, p.standardKey);
    if (!editable(d)) throw wrongState(d.state, '上传文件', 'add files to');
    const [{ n }] = (await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(evidenceFiles)
      .where(and(eq(evidenceFiles.dossierId, d.id), isNull(evidenceFiles.removedAt)))) as [
      { n: number },
    ];
    if (n >= MAX_FILES) {
      throw new AppError('too_many_files', 400, {
        zh: `每项标准最多 ${MAX_FILES} 个文件`,
        en: `at most ${MAX_FILES} files per standard`,
      });
    }
    const title = (fields.title ?? upload.filename).slice(0, 200);
    await tx.insert(evidenceFiles).values({
      dossierId: d.id,
      fileId: file.id,
      unitId: actor.unitId,
      title,
      docDate: fields.docDate,
      uploadedBy: actor.id,
    });
    await tx
      .update(evidenceDossiers)
      .set({ version: d.version + 1, updatedAt: new Date() })
      .where(eq(evidenceDossiers.id, d.id));
    await event(tx, actor, d.id, 'upload', { comment: title });
    await writeAudit(tx, actor, {
      action: 'evidence.upload',
      entityType: 'evidence_dossier',
      entityId: String(d.id),
      after: { fileId: file.id, title, docDate: fields.docDate, standardKey: p.standardKey },
    });
  });
  return getDossier(database, actor, p.frameworkId, p.year, p.standardKey);
}

async function lockedDossier(tx: Tx, frameworkId: number, year: number, key: string) {
  const [row] = await tx
    .select()
    .from(evidenceDossiers)
    .where(
      and(
        eq(evidenceDossiers.frameworkId, frameworkId),
        eq(evidenceDossiers.year, year),
        eq(evidenceDossiers.standardKey, key),
      ),
    )
    .for('update');
  return row;
}

/** Removes a file while the dossier can still be edited (kept in the record as removed). */
export async function removeEvidenceFile(
  database: Database,
  actor: Actor,
  p: { frameworkId: number; year: number; standardKey: string },
  evidenceFileId: number,
): Promise<TDossier> {
  const { standard } = await standardFor(database.db, actor, p.frameworkId, p.standardKey);
  await withTx(database, async (tx) => {
    const d = await lockedDossier(tx, p.frameworkId, p.year, p.standardKey);
    if (!d) throw notFound('文件 / file');
    const [f] = await tx
      .select()
      .from(evidenceFiles)
      .where(
        and(
          eq(evidenceFiles.id, evidenceFileId),
          eq(evidenceFiles.dossierId, d.id),
          isNull(evidenceFiles.removedAt),
        ),
      );
    if (!f) throw notFound('文件 / file');
    const leads = actor.unitId !== null && standard.leadUnitIds.includes(actor.unitId);
    if (!isOffice(actor) && !leads && f.unitId !== actor.unitId) throw notFound('文件 / file');
    if (!editable(d)) throw wrongState(d.state, '删除文件', 'remove files from');
    await tx.update(evidenceFiles).set({ removedAt: new Date() }).where(eq(evidenceFiles.id, f.id));
    await tx
      .update(evidenceDossiers)
      .set({ version: d.version + 1, updatedAt: new Date() })
      .where(eq(evidenceDossiers.id, d.id));
    await event(tx, actor, d.id, 'remove', { comment: f.title });
    await writeAudit(tx, actor, {
      action: 'evidence.remove',
      entityType: 'evidence_dossier',
      entityId: String(d.id),
      before: { fileId: f.fileId, title: f.title },
    });
  });
  return getDossier(database, actor, p.frameworkId, p.year, p.standardKey);
}

/** The lead unit (or the office) writes the statement (申报说明, ≤ 500 characters). */
export async function putStatement(
  database: Database,
  actor: Actor,
  p: { frameworkId: number; year: number; standardKey: string },
  input: { statement: string; version: number },
): Promise<TDossier> {
  const { standard } = await standardFor(database.db, actor, p.frameworkId, p.standardKey);
  const leads = actor.unitId !== null && standard.leadUnitIds.includes(actor.unitId);
  if (!isOffice(actor) && !leads) {
    throw new AppError('forbidden', 403, {
      zh: '申报说明由牵头单位填写',
      en: 'the lead unit writes the statement',
    });
  }
  await withTx(database, async (tx) => {
    const d = await repo.ensureDossier(tx, p.frameworkId, p.year, p.standardKey);
    // Version 0: the dossier did not exist yet (ensureDossier has just made it, at 1).
    if (d.version !== Math.max(1, input.version)) throw stale();
    if (!editable(d)) throw wrongState(d.state, '修改申报说明', 'change the statement of');
    await tx
      .update(evidenceDossiers)
      .set({ statement: input.statement, version: d.version + 1, updatedAt: new Date() })
      .where(eq(evidenceDossiers.id, d.id));
    await event(tx, actor, d.id, 'statement');
    await writeAudit(tx, actor, {
      action: 'evidence.statement',
      entityType: 'evidence_dossier',
      entityId: String(d.id),
      before: { statement: d.statement },
      after: { statement: input.statement },
    });
  });
  return getDossier(database, actor, p.frameworkId, p.year, p.standardKey);
}

/** The lead unit submits the dossier for review: files present, statement written, all in window. */
export async function submitDossier(
  database: Database,
  actor: Actor,
  p: { frameworkId: number; year: number; standardKey: string },
  version: number,
): Promise<TDossier> {
  const { standard, rules } = await standardFor(database.db, actor, p.frameworkId, p.standardKey);
  const leads = actor.unitId !== null && standard.leadUnitIds.includes(actor.unitId);
  if (!isOffice(actor) && !leads) {
    throw new AppError('forbidden', 403, {
      zh: '由牵头单位提交审核',
      en: 'the lead unit submits the dossier',
    });
  }
  const w = evidenceWindow(rules, p.year);
  await withTx(database, async (tx) => {
    const d = await lockedDossier(tx, p.frameworkId, p.year, p.standardKey);
    if (!d) throw notFound('档案资料 / dossier');
    if (d.version !== version) throw stale();
    if (!editable(d)) throw wrongState(d.state, '提交', 'submit');
    const fileRows = await repo.dossierFiles(tx, d.id);
    if (!fileRows.length) {
      throw new AppError('no_files', 400, {
        zh: '请先上传佐证材料',
        en: 'upload the supporting files first',
      });
    }
    if (!d.statement.trim()) {
      throw new AppError('no_statement', 400, {
        zh: '请先填写申报说明（不超过 500 字）',
        en: 'write the statement first (at most 500 characters)',
      });
    }
    const outside = fileRows.filter(({ ef }) => !inWindow(w, ef.docDate));
    if (outside.length) {
      const list = outside.map(({ ef }) => `${ef.title}（${ef.docDate}）`).join('、');
      throw new AppError('outside_window', 400, {
        zh: `以下文件不在材料有效期内（${w.from} 至 ${w.to}）：${list}`,
        en: `these files are outside the evidence window (${w.from} to ${w.to}): ${list}`,
      });
    }
    const now = new Date();
    await tx
      .update(evidenceDossiers)
      .set({
        state: 'submitted',
        submittedAt: now,
        submittedBy: actor.id,
        version: d.version + 1,
        updatedAt: now,
      })
      .where(eq(evidenceDossiers.id, d.id));
    await event(tx, actor, d.id, 'submit');
    await writeAudit(tx, actor, {
      action: 'evidence.submit',
      entityType: 'evidence_dossier',
      entityId: String(d.id),
      before: { state: d.state },
      after: { state: 'submitted' },
    });
  });
  return getDossier(database, actor, p.frameworkId, p.year, p.standardKey);
}

/** The office returns a dossier with a comment, or approves it with a grade (A–D). */
export async function reviewDossier(
  database: Database,
  actor: Actor,
  p: { frameworkId: number; year: number; standardKey: string },
  input: z.infer<typeof ZReviewDossierSchema>,
): Promise<TDossier> {
  requirePermission(actor, Permission.FrameworkWrite);
  await standardFor(database.db, actor, p.frameworkId, p.standardKey);
  await withTx(database, async (tx) => {
    const d = await lockedDossier(tx, p.frameworkId, p.year, p.standardKey);
    if (!d) throw notFound('档案资料 / dossier');
    if (d.version !== input.version) throw stale();
    const allowed = input.action === 'return' ? ['submitted', 'approved'] : ['submitted'];
    if (!allowed.includes(d.state)) {
      throw input.action === 'return'
        ? wrongState(d.state, '退回', 'return')
        : wrongState(d.state, '审核通过', 'approve');
    }
    const now = new Date();
    const approve = input.action === 'approve';
    await tx
      .update(evidenceDossiers)
      .set({
        state: approve ? 'approved' : 'returned',
        grade: approve ? input.grade! : null,
        reviewComment: input.comment ?? null,
        reviewedAt: now,
        reviewedBy: actor.id,
        returnCount: approve ? d.returnCount : d.returnCount + 1,
        version: d.version + 1,
        updatedAt: now,
      })
      .where(eq(evidenceDossiers.id, d.id));
    await event(tx, actor, d.id, input.action, {
      grade: approve ? input.grade! : null,
      comment: input.comment ?? null,
    });
    await writeAudit(tx, actor, {
      action: `evidence.${input.action}`,
      entityType: 'evidence_dossier',
      entityId: String(d.id),
      before: { state: d.state, grade: d.grade },
      after: { state: approve ? 'approved' : 'returned', grade: input.grade ?? null },
    });
  });
  return getDossier(database, actor, p.frameworkId, p.year, p.standardKey);
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
    await tx
      .insert(evidenceSettings)
      .values({ campaignId, rules: input.rules, version, updatedBy: actor.id })
      .onConflictDoUpdate({
        target: evidenceSettings.campaignId,
        set: { rules: input.rules, version, updatedBy: actor.id, updatedAt: new Date() },
      });
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
