import {
  eligibilityOf,
  type TApplication,
  type TApplicationDetail,
  type TCall,
} from '../../../core/contracts/cell-awards.js';
import type { HonourRow } from '../honours/honours.repo.js';
import type {
  ApplicationRow,
  CallRow,
  ObjectionRow,
  ScoreRow,
  VetoRow,
  materialsOf,
} from './cell-awards.repo.js';

export function presentCall(c: CallRow): TCall {
  return {
    id: c.id,
    year: c.year,
    cellType: c.cellType,
    level: c.level,
    title: c.title,
    honourTitle: c.honourTitle,
    frameworkId: c.frameworkId,
    frameworkName: c.frameworkName,
    frameworkVersionId: c.frameworkVersionId,
    frameworkVersionNumber: c.frameworkVersionNumber,
    applicationDeadline: c.applicationDeadline,
    publicityDays: c.publicityDays,
    publicityStart: c.publicityStart,
    publicityEnd: c.publicityEnd,
    officeRegionId: c.officeRegionId,
    officeRegionName: c.officeRegionName,
    status: c.status,
    notes: c.notes,
    applications: Number(c.applications),
    version: c.version,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function presentApplication(a: ApplicationRow, vetoes: VetoRow[]): TApplication {
  return {
    id: a.id,
    callId: a.callId,
    applicantName: a.applicantName,
    unitId: a.unitId,
    unitName: a.unitName,
    regionId: a.regionId,
    regionName: a.regionName,
    contact: a.contact,
    eligibility: eligibilityOf(vetoes.map((v) => ({ key: v.vetoKey, hit: v.hit }))),
    totalScore: round2(Number(a.totalScore)),
    scored: Number(a.scored),
    proposed: a.proposed,
    objections: Number(a.objections),
    decision: a.decision,
    decisionNote: a.decisionNote,
    decidedAt: a.decidedAt?.toISOString() ?? null,
    honourId: a.honourId,
    version: a.version,
  };
}

/** The certificate's number: the year and the title's registry id (示范市文明办 keeps one series). */
export function certificateNo(year: number, honourId: number): string {
  return `WM${year}-${String(honourId).padStart(5, '0')}`;
}

export function presentApplicationDetail(
  a: ApplicationRow,
  call: CallRow,
  d: {
    vetoes: VetoRow[];
    scores: ScoreRow[];
    materials: Awaited<ReturnType<typeof materialsOf>>;
    objections: ObjectionRow[];
    honour: HonourRow | undefined;
  },
): TApplicationDetail {
  const keys = [
    ...new Set([
      ...d.materials.reports.map((r) => r.standardKey),
      ...d.materials.attached.map((f) => f.standardKey),
    ]),
  ];
  return {
    ...presentApplication(a, d.vetoes),
    assessorNotes: a.assessorNotes,
    assessedAt: a.assessedAt?.toISOString() ?? null,
    vetoes: d.vetoes.map((v) => ({
      key: v.vetoKey,
      hit: v.hit,
      note: v.note,
      checkedAt: v.checkedAt.toISOString(),
    })),
    scores: d.scores.map((s) => ({
      standardKey: s.standardKey,
      score: Number(s.score),
      note: s.note,
    })),
    materials: keys.map((k) => ({
      standardKey: k,
      report: d.materials.reports.find((r) => r.standardKey === k)?.report ?? '',
      files: d.materials.attached
        .filter((f) => f.standardKey === k)
        .map((f) => ({ id: f.id, fileId: f.fileId, title: f.title, mime: f.mime, size: f.size })),
    })),
    objectionList: d.objections.map((o) => ({
      id: o.id,
      receivedOn: o.receivedOn,
      raisedBy: o.raisedBy,
      content: o.content,
      handling: o.handling,
      outcome: o.outcome,
      version: o.version,
      createdAt: o.createdAt.toISOString(),
    })),
    honour: d.honour
      ? {
          id: d.honour.id,
          title: d.honour.title,
          yearConferred: d.honour.yearConferred,
          termYears: d.honour.termYears,
          certificateNo: certificateNo(call.year, d.honour.id),
        }
      : null,
  };
}
