import { and, asc, count, eq, isNull, sql } from 'drizzle-orm';
import { DEFAULT_EVIDENCE_RULES, type TEvidenceRules } from '../../../core/frameworks/evidence.js';
import type { TScope } from '../../../core/permissions.js';
import { execRows, type DbOrTx } from '../../db/client.js';
import {
  evidenceDossiers,
  evidenceEvents,
  evidenceFiles,
  evidenceSettings,
  files,
  frameworks,
  frameworkVersions,
  units,
  users,
} from '../../db/schema/index.js';
import { unitInScopeSql } from '../org/unit-scope.repo.js';

export type DossierRow = typeof evidenceDossiers.$inferSelect;
export type EvidenceFileRow = typeof evidenceFiles.$inferSelect;
export type EventRow = typeof evidenceEvents.$inferSelect;
export type DossierFileRow = Awaited<ReturnType<typeof dossierFiles>>[number];

export interface MaterialStandard {
  key: string;
  code: string;
  text: string;
  maxScore: number;
  evidence: string[];
  itemKey: string;
  itemCode: string;
  itemText: string;
  /** Lead units first, then the responsible (co-)units. */
  leadUnitIds: number[];
  unitIds: number[];
  units: { id: number; name: string }[];
}

/** The framework, its campaign and its version in force (published). */
export async function frameworkInForce(db: DbOrTx, frameworkId: number) {
  const [row] = await db
    .select({
      id: frameworks.id,
      campaignId: frameworks.campaignId,
      versionId: frameworkVersions.id,
    })
    .from(frameworks)
    .leftJoin(
      frameworkVersions,
      and(
        eq(frameworkVersions.frameworkId, frameworks.id),
        eq(frameworkVersions.status, 'published'),
      ),
    )
    .where(eq(frameworks.id, frameworkId));
  return row;
}

/** The standards assessed by materials (方法 = 材料) of a version, in tree order, with their units. */
export async function materialStandards(
  db: DbOrTx,
  versionId: number,
): Promise<MaterialStandard[]> {
  const rows = await execRows<{
    key: string;
    code: string;
    text: string;
    max_score: string;
    evidence: string[];
    item_key: string;
    item_code: string;
    item_text: string;
    leads: { id: number; name: string }[] | null;
    others: { id: number; name: string }[] | null;
  }>(
    db,
    sql`select s.key, s.code, s.text, s.max_score, s.evidence,
               coalesce(i.key, c.key) as item_key, coalesce(i.code, c.code) as item_code,
               coalesce(i.text, c.text) as item_text,
               (select json_agg(json_build_object('id', u.id, 'name', u.name) order by a.position, a.id)
                  from assignments a join units u on u.id = a.lead_unit_id
                 where a.standard_id = s.id) as leads,
               (select json_agg(distinct jsonb_build_object('id', u.id, 'name', u.name))
                  from assignments a
                  join assignment_units au on au.assignment_id = a.id
                  join units u on u.id = au.unit_id
                 where a.standard_id = s.id) as others
          from framework_nodes s
          join framework_nodes c on c.id = s.parent_id
          left join framework_nodes i on i.id = c.parent_id
         where s.version_id = ${versionId} and s.kind = 'standard' and s.method = 'material'
         order by coalesce(i.position, c.position), coalesce(i.id, c.id), c.position, s.position`,
  );
  return rows.map((r) => {
    const leads = r.leads ?? [];
    const others = (r.others ?? []).filter((o) => !leads.some((l) => l.id === o.id));
    const all = [...leads, ...others];
    return {
      key: r.key,
      code: r.code,
      text: r.text,
      maxScore: Number(r.max_score),
      evidence: r.evidence,
      itemKey: r.item_key,
      itemCode: r.item_code,
      itemText: r.item_text,
      leadUnitIds: leads.map((l) => l.id),
      unitIds: all.map((u) => u.id),
      units: all,
    };
  });
}

export async function dossiersOf(db: DbOrTx, frameworkId: number, year: number) {
  const rows = await db
    .select({ d: evidenceDossiers, files: count(evidenceFiles.id) })
    .from(evidenceDossiers)
    .leftJoin(
      evidenceFiles,
      and(eq(evidenceFiles.dossierId, evidenceDossiers.id), isNull(evidenceFiles.removedAt)),
    )
    .where(and(eq(evidenceDossiers.frameworkId, frameworkId), eq(evidenceDossiers.year, year)))
    .groupBy(evidenceDossiers.id);
  return new Map(rows.map((r) => [r.d.standardKey, { ...r.d, files: Number(r.files) }]));
}

const dossierKey = (frameworkId: number, year: number, standardKey: string) =>
  and(
    eq(evidenceDossiers.frameworkId, frameworkId),
    eq(evidenceDossiers.year, year),
    eq(evidenceDossiers.standardKey, standardKey),
  );

export async function findDossier(
  db: DbOrTx,
  frameworkId: number,
  year: number,
  standardKey: string,
): Promise<DossierRow | undefined> {
  const [row] = await db
    .select()
    .from(evidenceDossiers)
    .where(dossierKey(frameworkId, year, standardKey));
  return row;
}

/** The dossier, created empty (draft) if it does not exist yet; locked for the caller's write. */
export async function ensureDossier(
  tx: DbOrTx,
  frameworkId: number,
  year: number,
  standardKey: string,
): Promise<DossierRow> {
  await tx
    .insert(evidenceDossiers)
    .values({ frameworkId, year, standardKey, state: 'draft' })
    .onConflictDoNothing();
  const [row] = await execRows<{ id: number }>(
    tx,
    sql`select id from evidence_dossiers
         where framework_id = ${frameworkId} and year = ${year} and standard_key = ${standardKey}
         for update`,
  );
  const [d] = await tx.select().from(evidenceDossiers).where(eq(evidenceDossiers.id, row!.id));
  return d!;
}

export async function dossierFiles(db: DbOrTx, dossierId: number) {
  return db
    .select({ ef: evidenceFiles, f: files, unitName: units.name, by: users.name })
    .from(evidenceFiles)
    .innerJoin(files, eq(files.id, evidenceFiles.fileId))
    .leftJoin(units, eq(units.id, evidenceFiles.unitId))
    .leftJoin(users, eq(users.id, evidenceFiles.uploadedBy))
    .where(and(eq(evidenceFiles.dossierId, dossierId), isNull(evidenceFiles.removedAt)))
    .orderBy(asc(evidenceFiles.id));
}

export async function dossierEvents(db: DbOrTx, dossierId: number) {
  return db
    .select()
    .from(evidenceEvents)
    .where(eq(evidenceEvents.dossierId, dossierId))
    .orderBy(asc(evidenceEvents.at), asc(evidenceEvents.id));
}

export async function rulesOf(db: DbOrTx, campaignId: number) {
  const [row] = await db
    .select()
    .from(evidenceSettings)
    .where(eq(evidenceSettings.campaignId, campaignId));
  return {
    rules: row?.rules ?? DEFAULT_EVIDENCE_RULES,
    version: row?.version ?? 0,
  } satisfies { rules: TEvidenceRules; version: number };
}

/**
 * Whether a scope's units (unit-scope.repo.ts: a unit, or a subtree's units) may read an evidence
 * file: one of them gave the file, or works on the file's standard (lead or responsible) in any
 * version of the framework.
 */
export async function scopeMayReadEvidenceFile(
  db: DbOrTx,
  fileId: string,
  scope: TScope,
): Promise<boolean> {
  const rows = await execRows<{ ok: number }>(
    db,
    sql`select 1 as ok
          from evidence_files ef
          join evidence_dossiers d on d.id = ef.dossier_id
         where ef.file_id = ${fileId}
           and ((ef.unit_id is not null and ${unitInScopeSql(scope, sql`ef.unit_id`)}) or exists (
                 select 1 from assignments a
                   join framework_nodes n on n.id = a.standard_id
                   join framework_versions v on v.id = a.version_id
                  where v.framework_id = d.framework_id and n.key = d.standard_key
                    and (${unitInScopeSql(scope, sql`a.lead_unit_id`)} or exists (
                         select 1 from assignment_units au
                          where au.assignment_id = a.id
                            and ${unitInScopeSql(scope, sql`au.unit_id`)}))))
         limit 1`,
  );
  return rows.length > 0;
}

/** Whether the file belongs to any dossier (removed ones included). */
export async function isEvidenceFile(db: DbOrTx, fileId: string): Promise<boolean> {
  const [ef] = await db
    .select({ id: evidenceFiles.id })
    .from(evidenceFiles)
    .where(eq(evidenceFiles.fileId, fileId))
    .limit(1);
  return !!ef;
}

/** The dossier, locked for the caller's write. */
export async function lockDossier(
  tx: DbOrTx,
  frameworkId: number,
  year: number,
  standardKey: string,
): Promise<DossierRow | undefined> {
  const [row] = await tx
    .select()
    .from(evidenceDossiers)
    .where(dossierKey(frameworkId, year, standardKey))
    .for('update');
  return row;
}

export async function updateDossier(
  tx: DbOrTx,
  id: number,
  set: Partial<typeof evidenceDossiers.$inferInsert>,
): Promise<void> {
  await tx.update(evidenceDossiers).set(set).where(eq(evidenceDossiers.id, id));
}

/** How many files the dossier holds (removed ones not counted). */
export async function liveFileCount(tx: DbOrTx, dossierId: number): Promise<number> {
  const [{ n }] = (await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(evidenceFiles)
    .where(and(eq(evidenceFiles.dossierId, dossierId), isNull(evidenceFiles.removedAt)))) as [
    { n: number },
  ];
  return n;
}

export async function insertEvidenceFile(
  tx: DbOrTx,
  values: typeof evidenceFiles.$inferInsert,
): Promise<number> {
  const [row] = await tx.insert(evidenceFiles).values(values).returning({ id: evidenceFiles.id });
  return row!.id;
}

/** A file of the dossier that has not been removed. */
export async function findLiveFile(
  tx: DbOrTx,
  id: number,
  dossierId: number,
): Promise<EvidenceFileRow | undefined> {
  const [f] = await tx
    .select()
    .from(evidenceFiles)
    .where(
      and(
        eq(evidenceFiles.id, id),
        eq(evidenceFiles.dossierId, dossierId),
        isNull(evidenceFiles.removedAt),
      ),
    );
  return f;
}

export async function markFileRemoved(tx: DbOrTx, id: number): Promise<void> {
  await tx.update(evidenceFiles).set({ removedAt: new Date() }).where(eq(evidenceFiles.id, id));
}

export async function insertEvent(
  tx: DbOrTx,
  values: typeof evidenceEvents.$inferInsert,
): Promise<void> {
  await tx.insert(evidenceEvents).values(values);
}

export async function upsertRules(
  tx: DbOrTx,
  campaignId: number,
  s: { rules: TEvidenceRules; version: number; updatedBy: number | null },
): Promise<void> {
  await tx
    .insert(evidenceSettings)
    .values({ campaignId, rules: s.rules, version: s.version, updatedBy: s.updatedBy })
    .onConflictDoUpdate({
      target: evidenceSettings.campaignId,
      set: { rules: s.rules, version: s.version, updatedBy: s.updatedBy, updatedAt: new Date() },
    });
}
