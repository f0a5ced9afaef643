import type { TDossier, TEvidenceRow } from '../../../core/contracts/evidence.js';
import {
  earnedScore,
  type TDossierState,
  type TEvidenceRules,
} from '../../../core/frameworks/evidence.js';
import type { DossierFileRow, DossierRow, EventRow, MaterialStandard } from './evidence.repo.js';

/** A material standard with its dossier's state, grade and earned score (× indicator compliance). */
export function presentRow(
  s: MaterialStandard,
  d: (DossierRow & { files: number }) | undefined,
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

/** One dossier with its files and timeline; what the reader may do is the service's decision. */
export function presentDossier(
  p: { frameworkId: number; year: number },
  row: TEvidenceRow,
  d: DossierRow | undefined,
  fileRows: DossierFileRow[],
  events: EventRow[],
  window: TDossier['window'],
  can: TDossier['can'],
): TDossier {
  return {
    frameworkId: p.frameworkId,
    year: p.year,
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
      durationMs: f.durationMs,
      posterUrl: f.posterFileId ? `/api/files/${f.posterFileId}` : null,
      posterThumbUrl: f.posterFileId ? `/api/files/${f.posterFileId}/thumb` : null,
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
    window,
    can,
  };
}
